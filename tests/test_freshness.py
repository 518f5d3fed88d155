"""The freshness check against fake Hugging Face and GitHub APIs on 127.0.0.1: `ohm freshness` end to end."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from ohm.cli import main
from ohm.freshness.report import Unanswered, read_freshness

from .conftest import FIXTURES
from .fake_upstream import Failure, FakeApi

CATALOGUE = FIXTURES / "catalogues" / "freshness.yaml"
TODAY = "2026-11-25"


# The fake APIs (`apis`, `hub`, `github`) and `no_tokens` are fixtures of conftest.py.
pytestmark = pytest.mark.usefixtures("no_tokens")


def run(reports: Path, hub: FakeApi, github: FakeApi, *extra: str, today: str = TODAY) -> int:
    return main(
        ["freshness", "--catalogue", str(CATALOGUE), "--report-dir", str(reports),
         "--hf-api", hub.url, "--github-api", github.url, "--today", today,
         "--timeout", "1", "--backoff", "0", "--workers", "1", "--hub-rate", "0", *extra]
    )  # fmt: skip


def findings(reports: Path) -> dict[str, list[tuple[str, str, str | None, str | None]]]:
    data = read_freshness(reports / "freshness.json")
    return {
        entry: [(f.kind, f.field, f.catalogue, f.upstream) for f in items]
        for entry, items in data.entries.items()
    }


def test_each_upstream_change_is_one_finding_with_both_values(tmp_path, hub, github):
    assert run(tmp_path, hub, github) == 1, "new findings"
    assert findings(tmp_path) == {
        "archived-tool": [
            ("archived", "links.repository", "https://github.com/example/archived-tool", "archived")
        ],
        "changed-card": [("card-changed", "verified", "2026-11-01", "2026-11-20")],
        "dormant-tool": [("inactive", "links.repository", None, "2024-06-01")],
        "mit-tool": [("licence-changed", "licenses.code", "Apache-2.0", "MIT")],
        "relicensed-lm": [("licence-changed", "licenses.weights", "Apache-2.0", "cc-by-nc-4.0")],
        "unlinked-method": [("verification-due", "verified", "2026-01-10", None)],
    }
    data = json.loads((tmp_path / "freshness.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and data["checked"] == TODAY and data["not_checked"] == {}
    assert {f["since"] for items in data["entries"].values() for f in items} == {TODAY}


def test_an_entry_with_neither_link_is_only_checked_for_its_verification_date(tmp_path, hub, github):
    run(tmp_path, hub, github)
    assert not [path for path in hub.paths() + github.paths() if "unlinked" in path]
    assert findings(tmp_path)["unlinked-method"] == [("verification-due", "verified", "2026-01-10", None)]


def test_thresholds_are_options(tmp_path, hub, github):
    run(tmp_path, hub, github, "--inactive-after", "1000", "--verification-due-after", "400")
    assert "dormant-tool" not in findings(tmp_path) and "unlinked-method" not in findings(tmp_path)
    run(tmp_path, hub, github, "--inactive-after", "30", "--no-history")
    # Released in June, six months before: inactive by a 30-day measure.
    assert findings(tmp_path)["released-tool"] == [("inactive", "links.repository", None, "2026-06-01")]


def test_since_is_the_first_run_that_saw_a_finding(tmp_path, hub, github):
    assert run(tmp_path, hub, github, today="2026-11-24") == 1
    hub.hub_model("example/steady-lm", "mit")  # a new change on the second night
    github.github_repo("example/mit-tool", "Apache-2.0")  # and one put right
    assert run(tmp_path, hub, github, today="2026-11-25") == 1
    data = read_freshness(tmp_path / "freshness.json")
    since = {(entry, f.kind): f.since for entry, items in data.entries.items() for f in items}
    assert since[("relicensed-lm", "licence-changed")] == "2026-11-24"
    assert since[("steady-lm", "licence-changed")] == "2026-11-25"
    assert "mit-tool" not in data.entries
    history = json.loads((tmp_path / "history.json").read_text(encoding="utf-8"))
    assert "mit-tool" not in history["entries"], "a finding put right is forgotten"
    assert run(tmp_path, hub, github, today="2026-11-26") == 0, "nothing new on the third night"


def test_a_same_day_rerun_asks_conditionally_and_writes_the_same_report(tmp_path, hub, github):
    run(tmp_path, hub, github)
    first = {name: (tmp_path / name).read_text(encoding="utf-8") for name in ("freshness.json", "report.md")}
    first_requests = len(hub.requests) + len(github.requests)
    hub.clear_log()
    github.clear_log()

    assert run(tmp_path, hub, github) == 0, "the same findings are not new the second time"
    assert {name: (tmp_path / name).read_text(encoding="utf-8") for name in first} == first
    again = hub.requests + github.requests
    assert len(again) == first_requests
    answered = [r for r in again if not r.path.endswith("/releases/latest")]  # 404s have no ETag
    assert answered and all(r.if_none_match for r in answered), (
        "every cached answer is asked for conditionally"
    )


def test_a_changed_answer_replaces_the_cached_one(tmp_path, hub, github):
    run(tmp_path, hub, github)
    hub.hub_model("example/relicensed-lm", "apache-2.0")  # put right upstream: a new ETag
    run(tmp_path, hub, github)
    assert "relicensed-lm" not in findings(tmp_path)


def test_without_the_cache_no_request_is_conditional(tmp_path, hub, github):
    run(tmp_path, hub, github)
    hub.clear_log()
    run(tmp_path, hub, github, "--no-cache")
    assert hub.requests and not any(r.if_none_match for r in hub.requests)


def test_a_spent_rate_limit_stops_asking_that_api_for_the_rest_of_the_run(tmp_path, hub, github):
    github.headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 3600)}
    assert run(tmp_path, hub, github) in (0, 1)
    assert len(github.requests) == 1, "the first answer said nothing is left"
    data = read_freshness(tmp_path / "freshness.json")
    github_entries = {"archived-tool", "dormant-tool", "released-tool", "mit-tool", "custom-licence-tool"}
    assert set(data.not_checked) >= github_entries - {"archived-tool"}
    for entry in github_entries - {"archived-tool"}:
        [item] = data.not_checked[entry]
        assert item.field == "links.repository" and item.reason.startswith("GitHub: rate limit used up")
        assert entry not in data.entries, "not checked is never a finding"
    assert "relicensed-lm" in data.entries, "the Hub is still asked"


def test_a_short_retry_after_is_waited_out(tmp_path, hub, github):
    github.failures["/repos/example/mit-tool"] = Failure(429, {"Retry-After": "0"}, times=1)
    run(tmp_path, hub, github)
    assert github.paths().count("/repos/example/mit-tool") == 2
    assert findings(tmp_path)["mit-tool"] == [("licence-changed", "licenses.code", "Apache-2.0", "MIT")]


def test_a_long_retry_after_leaves_the_rest_of_that_api_unasked(tmp_path, hub, github):
    github.failures["/repos/example/archived-tool"] = Failure(429, {"Retry-After": "3600"})
    run(tmp_path, hub, github)
    # steady-lm comes before archived-tool in the catalogue; nothing is asked after it.
    assert github.paths() == [
        "/repos/example/steady-lm",
        "/repos/example/steady-lm/releases/latest",
        "/repos/example/archived-tool",
    ]
    reason = read_freshness(tmp_path / "freshness.json").not_checked["archived-tool"][0].reason
    assert reason.startswith("GitHub: rate limited (429) until ")


@pytest.mark.parametrize(
    ("failure", "reason", "attempts"),
    [
        (Failure(503), "Hugging Face: 503 Service Unavailable", 2),
        (Failure(404), "Hugging Face: 404 Not Found", 1),
        (Failure(401), "Hugging Face: 401 Unauthorized", 1),
        (Failure(hang=True), "Hugging Face: timed out", 2),
        (Failure(not_json=True), "Hugging Face: unexpected answer (JSONDecodeError)", 1),
    ],
    ids=["5xx", "404", "401", "timeout", "not-json"],
)
def test_an_upstream_failure_is_not_checked_and_the_run_goes_on(
    tmp_path, hub, github, failure, reason, attempts
):
    hub.failures["/api/models/example/relicensed-lm"] = failure
    assert run(tmp_path, hub, github) == 1
    data = read_freshness(tmp_path / "freshness.json")
    assert data.not_checked == {"relicensed-lm": [Unanswered("links.model_card", reason)]}
    assert "relicensed-lm" not in data.entries
    assert "archived-tool" in data.entries and "changed-card" in data.entries, "the others are checked"
    assert hub.paths().count("/api/models/example/relicensed-lm") == attempts


def test_an_api_that_is_down_is_left_alone_after_a_few_failures(tmp_path, hub, github):
    github.down = Failure(502)
    assert run(tmp_path, hub, github, "--give-up-after", "2") in (0, 1)
    assert len(github.requests) == 2 * 2, "two repositories, each tried twice (one retry)"
    data = read_freshness(tmp_path / "freshness.json")
    reasons = {entry: items[0].reason for entry, items in data.not_checked.items()}
    not_asked = "GitHub: not asked: 2 requests in a row failed"
    assert reasons == {
        "steady-lm": "GitHub: 502 Bad Gateway",  # the first two in the catalogue with a repository
        "archived-tool": "GitHub: 502 Bad Gateway",
        "dormant-tool": not_asked,
        "released-tool": not_asked,
        "mit-tool": not_asked,
        "custom-licence-tool": not_asked,
    }
    assert "relicensed-lm" in data.entries, "the Hub is still asked"


def test_a_failure_keeps_what_the_history_knew(tmp_path, hub, github):
    run(tmp_path, hub, github, today="2026-11-24")
    hub.failures["/api/models/example/relicensed-lm"] = Failure(500)
    run(tmp_path, hub, github, today="2026-11-25")
    assert "relicensed-lm" not in findings(tmp_path), "an outage is not a finding..."
    del hub.failures["/api/models/example/relicensed-lm"]
    run(tmp_path, hub, github, today="2026-11-26")
    [finding] = read_freshness(tmp_path / "freshness.json").entries["relicensed-lm"]
    assert finding.since == "2026-11-24", "...nor does it reset since"


def test_the_token_goes_to_its_own_api_only(tmp_path, hub, github, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "gh-secret")
    run(tmp_path, hub, github)
    assert {r.authorization for r in github.requests} == {"Bearer gh-secret"}
    assert {r.authorization for r in hub.requests} == {None}


def test_the_report_is_grouped_by_entry_and_says_what_to_recheck(tmp_path, hub, github):
    run(tmp_path, hub, github)
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert report.startswith("## Upstream changes\n")
    assert "**6 entries to re-check** (6 findings, 6 new)" in report
    section = report.split("### `relicensed-lm`\n", 1)[1].split("###", 1)[0]
    assert (
        "**Licence changed** **new**: `licenses.weights` is `Apache-2.0` in the catalogue, `cc-by-nc-4.0` upstream"
        in section
    )
    assert "Re-check: read the licence on the card" in section
    assert report.index("### `archived-tool`") < report.index("### `unlinked-method`")


def test_hostile_upstream_text_stays_text_in_the_report(tmp_path, hub, github):
    hub.hub_model("example/relicensed-lm", "`<script>alert(1)</script>` | **x**")
    run(tmp_path, hub, github)
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in report and "&lt;script&gt;" in report


def test_an_invalid_catalogue_is_a_one_line_error(tmp_path, hub, github, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        CATALOGUE.read_text(encoding="utf-8").replace("id: steady-lm", "id: Steady LM"), encoding="utf-8"
    )
    code = main(["freshness", "--catalogue", str(bad), "--report-dir", str(tmp_path / "r"),
                 "--hf-api", hub.url, "--github-api", github.url])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "freshness check failed: 1 problem(s) in the catalogue" in err
    assert "Traceback" not in err and not (tmp_path / "r").exists() and not hub.requests


def test_an_unreadable_history_is_a_one_line_error(tmp_path, hub, github, capsys):
    (tmp_path / "history.json").write_text("{not json", encoding="utf-8")
    assert run(tmp_path, hub, github) == 2
    err = capsys.readouterr().err.strip()
    assert (
        err.startswith("freshness check failed: ") and "delete it to start afresh" in err and "\n" not in err
    )
    assert not (tmp_path / "freshness.json").exists()


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--today", "25/11/2026"),
        ("--inactive-after", "0"),
        ("--timeout", "soon"),
        ("--retries", "-1"),
        ("--give-up-after", "x"),
    ],
)
def test_bad_options_are_refused(tmp_path, hub, github, capsys, option, value):
    with pytest.raises(SystemExit) as exit_info:
        run(tmp_path, hub, github, option, value)
    assert exit_info.value.code == 2 and option in capsys.readouterr().err
