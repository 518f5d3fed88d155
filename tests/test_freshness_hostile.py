"""The freshness check against a hostile or broken upstream: every run ends by itself with a report.

Each case makes one answer of the fake Hub or GitHub (on 127.0.0.1) misbehave.
Whatever it sends, the run exits 0 or 1, writes freshness.json, report.md and
the cache, lists that question as not checked with a reason, and draws no
finding from it. pytest-timeout bounds each run; no test measures time.
"""

from __future__ import annotations

import json

import pytest

from ohm.freshness.report import read_freshness

from .fake_upstream import Failure
from .test_freshness import findings, run

# The fake APIs (`apis`, `hub`, `github`) and `no_tokens` are fixtures of conftest.py.
pytestmark = pytest.mark.usefixtures("no_tokens")

HUB_CARD = "/api/models/example/relicensed-lm"
REPO = "/repos/example/mit-tool"


def json_body(data: object) -> bytes:
    return json.dumps(data).encode()


def repo_answer(**fields: object) -> bytes:
    answer = {"full_name": "example/mit-tool", "archived": False, "pushed_at": "2026-11-01T12:00:00Z"}
    return json_body({**answer, "license": {"spdx_id": "MIT"}, **fields})


def card_answer(**fields: object) -> bytes:
    answer = {"id": "example/relicensed-lm", "sha": "a" * 40, "lastModified": "2026-10-01T09:00:00.000Z"}
    return json_body({**answer, "gated": False, "cardData": {"license": "cc-by-nc-4.0"}, **fields})


def assert_not_checked(tmp_path, entry: str, field: str, reason: str) -> None:
    """The run wrote everything, and lists this one question as not checked, with `reason` in it."""
    for name in ("freshness.json", "report.md", "cache.json", "history.json"):
        assert (tmp_path / name).is_file(), name
    data = read_freshness(tmp_path / "freshness.json")
    [item] = [item for item in data.not_checked.get(entry, []) if item.field == field]
    assert reason in item.reason
    assert entry not in data.entries or all(f.field != field for f in data.entries[entry])
    assert "archived-tool" in data.entries, "the other entries are checked"


CASES = {
    # (path, failure, entry, field, part of the reason)
    "nested-json": (HUB_CARD, Failure(200, body=b"[" * 200_000 + b"]" * 200_000), "relicensed-lm",
                    "links.model_card", "nested too deep"),
    "spdx-id-list": (REPO, Failure(200, body=repo_answer(license={"spdx_id": ["MIT"]})), "mit-tool",
                     "links.repository", "`license.spdx_id` is a list"),
    "spdx-id-object": (REPO, Failure(200, body=repo_answer(license={"spdx_id": {"id": "MIT"}})), "mit-tool",
                       "links.repository", "`license.spdx_id` is an object"),
    "spdx-id-number": (REPO, Failure(200, body=repo_answer(license={"spdx_id": 3})), "mit-tool",
                       "links.repository", "`license.spdx_id` is a number"),
    "licence-object": (REPO, Failure(200, body=repo_answer(license="MIT")), "mit-tool",
                       "links.repository", "`license` is text"),
    "archived-string": (REPO, Failure(200, body=repo_answer(archived="false")), "mit-tool",
                        "links.repository", "`archived` is text, expected true or false"),
    "card-licence-junk": (HUB_CARD, Failure(200, body=card_answer(cardData={"license": [1, None, {"a": 1}]})),
                          "relicensed-lm", "links.model_card", "`cardData.license[]` is a number"),
    "sha-number": (HUB_CARD, Failure(200, body=card_answer(sha=12345)), "relicensed-lm", "links.model_card",
                   "`sha` is a number"),
    "last-modified-list": (HUB_CARD, Failure(200, body=card_answer(lastModified=["2026"])), "relicensed-lm",
                           "links.model_card", "`lastModified` is a list"),
    "gated-string": (HUB_CARD, Failure(200, body=card_answer(gated="false")), "relicensed-lm",
                     "links.model_card", "`gated` is text"),
    "not-an-object": (HUB_CARD, Failure(200, body=b"[1, 2, 3]"), "relicensed-lm", "links.model_card",
                      "`answer` is a list"),
    "not-utf8": (HUB_CARD, Failure(200, body=b'{"id": "\xff\xfe"}'), "relicensed-lm", "links.model_card",
                 "unexpected answer"),
    "huge-retry-after": (REPO, Failure(429, headers={"Retry-After": "9" * 400}), "mit-tool",
                         "links.repository", "rate limited (429)"),
    "huge-rate-limit-reset": (REPO, Failure(403, headers={"X-RateLimit-Remaining": "0",
                                                          "X-RateLimit-Reset": "9" * 30}),
                              "mit-tool", "links.repository", "rate limited (403)"),
    "trickled-body": (HUB_CARD, Failure(200, body=card_answer(), trickle=0.2), "relicensed-lm",
                      "links.model_card", "timed out"),
    "endless-body": (HUB_CARD, Failure(200, body=b'{"id": "' + b"x" * 65536, endless=True), "relicensed-lm",
                     "links.model_card", "larger than 1,000,000 bytes"),
    "oversized-body": (HUB_CARD, Failure(200, body=card_answer(padding="x" * 3_000_000)), "relicensed-lm",
                       "links.model_card", "larger than 1,000,000 bytes"),
    "slow-answer": (HUB_CARD, Failure(200, body=card_answer(), delay=3), "relicensed-lm", "links.model_card",
                    "timed out"),
    "not-http": (REPO, Failure(raw=b"SSH-2.0-OpenSSH_9.6 @admin #1\r\n\r\n"), "mit-tool", "links.repository",
                 "connection failed"),
}  # fmt: skip


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", CASES)
def test_a_hostile_answer_is_not_checked_and_the_run_ends_with_a_report(tmp_path, hub, github, case):
    path, failure, entry, field, reason = CASES[case]
    (hub if path.startswith("/api/") else github).failures[path] = failure
    assert run(tmp_path, hub, github) in (0, 1)
    assert_not_checked(tmp_path, entry, field, reason)


@pytest.mark.timeout(60)
def test_lone_surrogates_and_control_characters_are_cleaned_before_the_cache_and_the_report(
    tmp_path, hub, github
):
    body = card_answer(cardData={"license": "cc-by-nc-4.0\ud800\u0007"}).replace(b"\\u0007", b"\\u001b[31m")
    hub.failures[HUB_CARD] = Failure(200, body=body, headers={"ETag": '"surrogate"'})
    assert run(tmp_path, hub, github) == 1
    [(kind, _field, _catalogue, upstream)] = findings(tmp_path)["relicensed-lm"]
    assert kind == "licence-changed" and upstream == "cc-by-nc-4.0\ufffd\ufffd[31m"
    for name in ("cache.json", "freshness.json", "report.md"):
        text = (tmp_path / name).read_bytes().decode("utf-8")  # strict: no surrogate was written
        assert "\x1b" not in text and "\\u001b" not in text and "\\ud800" not in text, name
    hub.failures.clear()
    hub.hub_model("example/relicensed-lm", "cc-by-nc-4.0")
    assert run(tmp_path, hub, github) in (0, 1), "the cache written with the cleaned answer is read back"


@pytest.mark.timeout(60)
def test_a_run_whose_answers_all_come_late_stops_at_its_time_budget_with_a_report(tmp_path, hub, github):
    hub.down = Failure(200, body=card_answer(), delay=0.9)  # each answer just inside the 1 s timeout
    github.down = Failure(200, body=repo_answer(), delay=0.9)
    assert run(tmp_path, hub, github, "--time-budget", "2") in (0, 1)
    data = read_freshness(tmp_path / "freshness.json")
    assert data.not_reached, "entries the budget did not reach are named"
    assert set(data.not_reached.values()) == {None}, "never checked before"
    assert (tmp_path / "report.md").read_text(encoding="utf-8").count("last checked never") == len(
        data.not_reached
    )
    for entry in data.not_reached:
        reasons = [item.reason for item in data.not_checked[entry]]
        assert reasons and all("not reached" in reason for reason in reasons)


def test_a_bug_of_the_check_is_one_line_and_exit_2_never_1(tmp_path, hub, github, monkeypatch, capsys):
    def broken(*args: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("ohm.freshness.command.build_freshness", broken)
    assert run(tmp_path, hub, github) == 2
    err = capsys.readouterr().err
    assert err.startswith("freshness check failed: error of the check (ZeroDivisionError: a bug)")
    assert "Traceback" not in err and err.count("\n") == 1


def test_a_failed_request_of_a_bug_is_not_checked_and_the_run_goes_on(tmp_path, hub, github, monkeypatch):
    def broken(api: object, repo: str) -> None:
        raise KeyError(repo)

    monkeypatch.setattr("ohm.freshness.check.fetch_github_repo", broken)
    assert run(tmp_path, hub, github) in (0, 1)
    data = read_freshness(tmp_path / "freshness.json")
    assert data.not_checked["mit-tool"][0].reason == "GitHub: error of the check (KeyError)"
    assert "relicensed-lm" in data.entries


def test_time_is_asked_once_per_request_not_per_byte(tmp_path, hub, github):
    """A trickled body is cut at the request's deadline, not when a single byte is late."""
    hub.failures[HUB_CARD] = Failure(200, body=card_answer(), trickle=0.05)  # each byte well in time
    run(tmp_path, hub, github)
    assert_not_checked(tmp_path, "relicensed-lm", "links.model_card", "timed out")
    assert hub.paths().count(HUB_CARD) == 2, "tried again once, then given up"


def test_a_damaged_cache_is_not_checked_once_then_asked_afresh(tmp_path, hub, github):
    run(tmp_path, hub, github)
    cache = json.loads((tmp_path / "cache.json").read_text(encoding="utf-8"))
    [url] = [url for url in cache["responses"] if url.endswith(HUB_CARD)]
    cache["responses"][url]["body"]["gated"] = "yes"
    (tmp_path / "cache.json").write_text(json.dumps(cache), encoding="utf-8")

    assert run(tmp_path, hub, github) in (0, 1)
    assert_not_checked(tmp_path, "relicensed-lm", "links.model_card", "`gated` is text")
    run(tmp_path, hub, github)
    assert "relicensed-lm" not in read_freshness(tmp_path / "freshness.json").not_checked
    assert findings(tmp_path)["relicensed-lm"][0][0] == "licence-changed"
