"""Claim drift: the quoted words of each pinned source read again at its head, and what upstream knows.

The entries are built here as the typed model plus the entry as written (with
its schema-3 `evidence:`), since a catalogue file of schema 3 is not valid yet;
upstream is the fakes on 127.0.0.1 (tests/fake_upstream.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import cmarkgfm
import pytest

from ohm.catalog.evidence import head_url
from ohm.cli import main
from ohm.freshness import history
from ohm.freshness.check import check_entries
from ohm.freshness.client import Api, ApiLimits, ClientSettings, ResponseCache
from ohm.freshness.entries import Claim, Entry, entry_facts
from ohm.freshness.file_check import check_freshness_file
from ohm.freshness.findings import FILE_GONE, WORDS_NOT_FOUND, Thresholds
from ohm.freshness.quotes import quote_found
from ohm.freshness.report import build_freshness, read_freshness, report_markdown, write_freshness
from ohm.nightly.issue import freshness_section, issue_body

from .fake_upstream import Failure, FakeApi
from .test_freshness_compare import typed
from .test_tracking_issue import live_pings

TODAY = "2026-12-05"
SHA = "0123456789abcdef0123456789abcdef01234567"
OLD = "fedcba9876543210fedcba9876543210fedcba98"
CARD = f"https://huggingface.co/example/medical-lm/blob/{SHA}/README.md"
LICENSE = f"https://github.com/example/medical-lm/blob/{SHA}/LICENSE"
CARD_AT_HEAD = "/example/medical-lm/resolve/main/README.md"
LICENSE_AT_HEAD = "/repos/example/medical-lm/contents/LICENSE"

README = """---
license: apache-2.0
---
# Medical LM

Medical LM is **released   openly**: anyone may download
the weights without registering.

| Benchmark | Score |
| --- | --- |
| MedQA | 71.2 |
"""
APACHE = (
    "                                 Apache License\n                           Version 2.0, January 2004\n"
)


def written(**fields: Any) -> dict[str, Any]:
    """An entry as the YAML has it: schema 2's fields, `evidence:` of schema 3, and what it leaves unknown."""
    entry = {
        "id": "medical-lm",
        "name": "Medical LM",
        "links": {
            "model_card": "https://huggingface.co/example/medical-lm",
            "repository": "https://github.com/example/medical-lm",
        },
        "licenses": {"weights": {"id": "Apache-2.0"}, "code": {"id": "Apache-2.0"}},
        "access": "open",
        "verified": "2026-12-01",
        "base_model": "none",
        "training_data": [{"name": "PubMed"}],
        "languages": ["en"],
        "deployment": {"min_gpu_memory_gb": "unknown", "cpu_only": "unknown", "runs_offline": True,
                       "formats": ["safetensors"]},
        "sources": [CARD, LICENSE],
        "evidence": {
            "licenses.weights": [{"source": CARD, "quote": "license: apache-2.0"}],
            "licenses.code": [{"source": LICENSE, "quote": "Apache License Version 2.0, January 2004"}],
            "access": [{"source": CARD, "quote": "anyone may download the weights without registering"}],
        },
    }  # fmt: skip
    entry.update(fields)
    return entry


def facts(entry: dict[str, Any]) -> Entry:
    """The check's view of a written entry: its typed model, and the entry as written for its `unknown`s."""
    return entry_facts(typed(entry), entry)


@pytest.fixture
def upstream() -> Iterator[tuple[Api, Api, FakeApi, FakeApi]]:
    """The two APIs pointed at the fakes, which know the entry's card, repository and cited files."""
    with FakeApi() as hub, FakeApi() as github:
        cache, settings = ResponseCache(), ClientSettings(timeout=1, retries=0, backoff_seconds=0)
        hub.hub_model("example/medical-lm", "apache-2.0", files=("README.md", "model.safetensors"))
        hub.hub_file("example/medical-lm", "README.md", README)
        github.github_repo("example/medical-lm", "Apache-2.0")
        github.github_file("example/medical-lm", "LICENSE", APACHE)
        yield (
            Api("Hugging Face", hub.url, None, cache, settings),
            Api("GitHub", github.url, None, cache, settings),
            hub,
            github,
        )


def check(upstream, *entries: dict[str, Any]) -> list:
    hub_api, github_api, _hub, _github = upstream
    return check_entries([facts(entry) for entry in entries], hub_api, github_api, Thresholds(), TODAY)


def found(result) -> list[tuple[str, str, str | None, str | None, str | None]]:
    """The findings, by kind and field (as the report orders them)."""
    return sorted((f.kind, f.field, f.catalogue, f.upstream, f.source) for f in result.findings)


# --- The parts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pinned", "head"),
    [
        (f"https://github.com/o/r/blob/{SHA}/docs/README.md", "https://raw.githubusercontent.com/o/r/HEAD/docs/README.md"),
        (f"https://github.com/o/r/raw/{SHA}/LICENSE", "https://raw.githubusercontent.com/o/r/HEAD/LICENSE"),
        (f"https://raw.githubusercontent.com/o/r/{SHA}/LICENSE", "https://raw.githubusercontent.com/o/r/HEAD/LICENSE"),
        (f"https://huggingface.co/o/r/blob/{SHA}/README.md", "https://huggingface.co/o/r/resolve/main/README.md"),
        (f"https://huggingface.co/datasets/o/r/resolve/{SHA}/a/b.md",
         "https://huggingface.co/datasets/o/r/resolve/main/a/b.md"),
        (f"https://github.com/o/r/tree/{SHA}", None),  # a tree is not a file
        (f"https://huggingface.co/o/r/tree/{SHA}/sub", None),
        ("https://github.com/o/r/blob/main/README.md", None),  # not pinned
        (f"https://github.com/o/r/blob/{SHA}/../../../user", None),
        (f"https://github.com/o/r/blob/{SHA}/a//b", None),
        ("https://arxiv.org/abs/2304.12306v3", None),
        ("https://doi.org/10.1000/xyz", None),
    ],
)  # fmt: skip
def test_a_pinned_file_is_followed_to_the_same_file_at_the_head(pinned, head):
    assert head_url(pinned) == head


@pytest.mark.parametrize(
    ("quote", "name", "is_found"),
    [
        ("license: apache-2.0", "README.md", True),
        ("released openly: anyone may download the weights", "README.md", True),  # markup and spaces
        ("Medical LM is **released openly**", "README.md", True),  # as written, spaces collapsed
        ("MedQA 71.2", "README.md", True),  # a table row as its reader sees it
        ("Released openly", "README.md", False),  # case counts
        ("released openly: anyone may download the weights", "README.txt", False),  # not Markdown: as written
        ("anyone may download the weights without paying", "README.md", False),
    ],
)
def test_quotes_are_compared_on_collapsed_whitespace_and_markdown_as_read(quote, name, is_found):
    assert quote_found(quote, README, name) is is_found


def test_the_entry_cites_only_files_at_a_commit_and_says_what_it_leaves_unknown():
    entry = facts(written(
        base_model="unknown", languages="unknown",
        evidence={"licenses.weights": [{"source": CARD, "quote": "license: apache-2.0"},
                                       {"source": "https://arxiv.org/abs/2304.12306v3", "quote": "Apache"}],
                  "phi_exposure": {"checked": [CARD]}},
        evaluations=[{"benchmark": "MedQA", "metric": "accuracy", "value": "71.2", "kind": "benchmark",
                      "self_reported": True, "source": CARD, "quote": "MedQA | 71.2"}],
    ))  # fmt: skip
    assert entry.claims == (
        Claim("licenses.weights", CARD, "license: apache-2.0"),
        Claim("evaluations[0]", CARD, "MedQA | 71.2"),
    )
    assert entry.silent == {"base_model", "languages"}
    assert facts(written(languages=None)).silent == set(), "a field not written is not unknown"


# --- quote-gone ---------------------------------------------------------------------------


def test_quotes_still_at_the_head_are_no_finding(upstream):
    [result] = check(upstream, written())
    assert result.findings == [] and result.not_checked == []


def test_a_quote_no_longer_in_its_file_is_quote_gone(upstream):
    _, _, hub, github = upstream
    hub.hub_file(
        "example/medical-lm", "README.md", README.replace("anyone may download", "approved users may")
    )
    github.github_file("example/medical-lm", "LICENSE", "MIT License\n")
    [result] = check(upstream, written())
    assert found(result) == [
        (
            "quote-gone",
            "access",
            "anyone may download the weights without registering",
            WORDS_NOT_FOUND,
            CARD,
        ),
        ("quote-gone", "licenses.code", "Apache License Version 2.0, January 2004", WORDS_NOT_FOUND, LICENSE),
    ]
    assert result.not_checked == []


def test_a_file_gone_at_the_head_is_quote_gone_saying_so(upstream):
    _, _, hub, _ = upstream
    del hub.files[CARD_AT_HEAD]
    [result] = check(upstream, written())
    assert found(result) == [
        ("quote-gone", "access", "anyone may download the weights without registering", FILE_GONE, CARD),
        ("quote-gone", "licenses.weights", "license: apache-2.0", FILE_GONE, CARD),
    ]


def test_a_file_that_cannot_be_read_is_not_checked_never_a_finding(upstream):
    _, _, hub, _ = upstream
    hub.failures[CARD_AT_HEAD] = Failure(503)
    [result] = check(upstream, written())
    assert result.findings == []
    reason = "Hugging Face: 503 Service Unavailable, reading https://huggingface.co/example/medical-lm/resolve/main/README.md"
    assert result.not_checked == [("licenses.weights", reason), ("access", reason)]


def test_an_unreachable_upstream_is_not_checked(upstream):
    hub_api, github_api, _, _ = upstream
    hub_api.base_url = github_api.base_url = "http://127.0.0.1:9"  # the discard port: nothing listens
    [result] = check(upstream, written())
    assert result.findings == []
    assert {field for field, _ in result.not_checked} == {
        "links.model_card", "links.repository", "licenses.weights", "licenses.code", "access",
    }  # fmt: skip
    assert all("connection failed" in reason for _, reason in result.not_checked)


def test_each_distinct_file_is_asked_once_a_run(upstream):
    _, _, hub, github = upstream
    pinned_before = CARD.replace(SHA, OLD)  # the same file at another commit: the same head
    other = written(
        id="medical-lm-small", name="Medical LM small", sources=[CARD, pinned_before, LICENSE],
        evidence={"licenses.weights": [{"source": pinned_before, "quote": "license: apache-2.0"}],
                  "access": [{"source": CARD, "quote": "anyone may download"}]},
    )  # fmt: skip
    results = check(upstream, written(), other)
    assert [r.findings for r in results] == [[], []]
    assert hub.paths().count(CARD_AT_HEAD) == 1
    assert github.paths().count(LICENSE_AT_HEAD) == 1


def test_an_unchanged_file_is_asked_for_conditionally_and_read_from_the_cache(upstream):
    _, _, hub, _ = upstream
    [first] = check(upstream, written())
    hub.clear_log()
    [again] = check(upstream, written())
    [request] = [r for r in hub.requests if r.path == CARD_AT_HEAD]
    assert request.if_none_match, "asked with the ETag of the answer kept"
    assert again.findings == first.findings == [] and again.not_checked == []


# --- Hostile answers -------------------------------------------------------------------------

HOSTILE = {
    "huge": (Failure(200, body=b"x" * 1_100_000), "larger than 1,000,000 bytes"),
    "endless": (Failure(200, body=b"y" * 65_536, endless=True), "larger than 1,000,000 bytes"),
    "binary": (Failure(200, body=b"license: apache-2.0\0\x01\x02"), "binary, not a text file"),
    "not-utf8": (Failure(200, body=b"license: apache-2.0 \xff\xfe"), "not UTF-8 text"),
    "html": (Failure(200, body=b"\n<!DOCTYPE html><html><title>Sign in</title>license: apache-2.0"),
             "an HTML page in place of the file"),
    "trickle": (Failure(200, body=README.encode(), trickle=0.05), "timed out"),
    "slow": (Failure(200, body=README.encode(), delay=3), "timed out"),
    "429": (Failure(429, headers={"Retry-After": "3600"}), "rate limited (429)"),
    "5xx": (Failure(502), "502 Bad Gateway"),
    "401": (Failure(401), "401 Unauthorized"),
    "not-http": (Failure(raw=b"SSH-2.0-OpenSSH_9.6 @admin #1\r\n\r\n"), "connection failed"),
}  # fmt: skip


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_file_answer_is_not_checked_with_its_reason(upstream, case):
    failure, reason = HOSTILE[case]
    _, _, hub, _ = upstream
    hub.failures[CARD_AT_HEAD] = failure
    [result] = check(upstream, written())
    assert result.findings == []
    reasons = {field: why for field, why in result.not_checked}
    assert set(reasons) == {"licenses.weights", "access"} and reason in reasons["access"]


@pytest.mark.timeout(60)
def test_a_redirect_to_another_host_is_not_followed(upstream):
    _, _, hub, _ = upstream
    elsewhere = hub.url.replace("127.0.0.1", "localhost") + "/elsewhere/README.md"
    hub.files["/elsewhere/README.md"] = README.encode()
    hub.failures[CARD_AT_HEAD] = Failure(302, headers={"Location": elsewhere})
    [result] = check(upstream, written())
    assert result.findings == [] and "/elsewhere/README.md" not in hub.paths()
    assert all("redirected to another host" in reason for _, reason in result.not_checked)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ([{"type": "file", "name": "LICENSE"}], "`answer` is a list"),  # a folder
        ({"type": "file", "encoding": "none", "content": ""}, "over 1 MB"),
        ({"type": "file", "encoding": "base64", "content": "%%%"}, "not base64"),
        ({"type": "file", "encoding": "base64", "content": 7}, "`content` is a number"),
    ],
)
def test_a_github_contents_answer_that_is_no_file_is_not_checked(upstream, answer, reason):
    _, _, _, github = upstream
    github.answers[LICENSE_AT_HEAD] = answer
    [result] = check(upstream, written())
    assert result.findings == []
    [(field, why)] = result.not_checked
    assert field == "licenses.code" and reason in why


# --- upstream-knows ---------------------------------------------------------------------------


def test_a_card_stating_a_licence_the_entry_says_is_unknown_is_upstream_knows(upstream):
    entry = written(licenses={"weights": {"id": "unknown"}, "code": {"id": "unknown"}}, evidence={})
    [result] = check(upstream, entry)
    assert found(result) == [
        ("upstream-knows", "licenses.code", "unknown", "Apache-2.0", None),
        ("upstream-knows", "licenses.weights", "unknown", "apache-2.0", None),
    ], "not licence-changed: nothing changed, the entry can say more"


def test_a_card_naming_no_licence_knows_nothing_more(upstream):
    _, _, hub, github = upstream
    hub.hub_model("example/medical-lm", "other")
    github.github_repo("example/medical-lm", "NOASSERTION")
    entry = written(licenses={"weights": {"id": "unknown"}, "code": {"id": "unknown"}}, evidence={})
    [result] = check(upstream, entry)
    assert result.findings == []


def test_card_metadata_the_entry_says_is_unknown_is_upstream_knows(upstream):
    _, _, hub, _ = upstream
    hub.hub_model(
        "example/medical-lm",
        "apache-2.0",
        card={"base_model": "example/base-lm", "datasets": ["pubmed", "mimic-iv"], "language": "en"},
        files=("README.md", "medical-lm.Q4_K_M.gguf", "model-00001.safetensors"),
    )
    silent = written(base_model="unknown", training_data="unknown", languages="unknown",
                     deployment={"min_gpu_memory_gb": "unknown", "cpu_only": "unknown",
                                 "runs_offline": True, "formats": "unknown"})  # fmt: skip
    [result] = check(upstream, silent)
    assert found(result) == [
        ("upstream-knows", "base_model", "unknown", "example/base-lm", None),
        ("upstream-knows", "deployment.formats", "unknown", "safetensors, gguf", None),
        ("upstream-knows", "languages", "unknown", "en", None),
        ("upstream-knows", "training_data", "unknown", "pubmed, mimic-iv", None),
    ]
    [stated] = check(upstream, written())
    assert stated.findings == [], "what the entry states is not compared here"


def test_a_long_list_upstream_is_cut_to_fit_the_report(upstream, tmp_path):
    _, _, hub, _ = upstream
    hub.hub_model(
        "example/medical-lm", "apache-2.0", card={"datasets": [f"dataset-{n:03d}" for n in range(500)]}
    )
    results = check(upstream, written(training_data="unknown"))
    [finding] = results[0].findings
    assert finding.upstream.startswith("dataset-000, dataset-001") and finding.upstream.endswith("…")
    write_freshness(build_freshness(results, {}, Thresholds(), TODAY), tmp_path / "freshness.json")
    check_freshness_file(tmp_path / "freshness.json")


def test_odd_card_metadata_is_not_checked_never_a_finding(upstream):
    _, _, hub, _ = upstream
    hub.hub_model("example/medical-lm", "apache-2.0", card={"base_model": {"name": "x"}})
    [result] = check(upstream, written(base_model="unknown"))
    assert result.findings == []
    assert ("links.model_card", "Hugging Face: unexpected answer: `cardData.base_model` is an object, "
            "expected text or a list") in result.not_checked  # fmt: skip


# --- Into the report, freshness.json and the tracking issue ---------------------------------------

HOSTILE_QUOTE = "ping @admin and #12 `code` <script>x</script>"


def test_findings_reach_freshness_json_the_report_and_the_issue(upstream, tmp_path):
    _, _, hub, _ = upstream
    hub.hub_file("example/medical-lm", "README.md", "Nothing here.")
    entry = written(
        licenses={"weights": {"id": "Apache-2.0"}, "code": {"id": "unknown"}},
        evidence={"access": [{"source": CARD, "quote": HOSTILE_QUOTE}]},
    )
    results = check(upstream, entry)
    after = history.update({}, {r.entry.id: r.findings for r in results}, set(), TODAY)
    report = build_freshness(results, after, Thresholds(), TODAY)
    write_freshness(report, tmp_path / "freshness.json")
    check_freshness_file(tmp_path / "freshness.json")  # valid against freshness.schema.json

    data = json.loads((tmp_path / "freshness.json").read_text(encoding="utf-8"))
    assert data["entries"]["medical-lm"] == [
        {"kind": "quote-gone", "field": "access", "catalogue": HOSTILE_QUOTE, "upstream": WORDS_NOT_FOUND,
         "since": TODAY, "source": CARD},
        {"kind": "upstream-knows", "field": "licenses.code", "catalogue": "unknown", "upstream": "Apache-2.0",
         "since": TODAY},
    ]  # fmt: skip
    assert read_freshness(tmp_path / "freshness.json") == report

    markdown = report_markdown(report)
    assert (
        "**Quote gone** **new**: `access` cites " in markdown
        and f"no longer in `{CARD}` at its head" in markdown
    )
    assert (
        "**Upstream knows** **new**: `licenses.code` is `unknown` in the catalogue; upstream states `Apache-2.0`"
        in markdown
    )
    assert f"`access` cites ``{HOSTILE_QUOTE}``, no longer" in markdown, "the quote as written, in code"
    rendered = cmarkgfm.github_flavored_markdown_to_html(markdown, options=cmarkgfm.Options.CMARK_OPT_UNSAFE)
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered

    section = freshness_section(report)
    assert section.has_problems and section.title == "1 entry to re-check against upstream"
    body = issue_body([section], TODAY, None)
    assert "Quote gone" in body and "Upstream knows" in body
    assert live_pings(body) == [], "the quote pings no one"


def test_the_freshness_verb_reports_claims_and_keeps_them_in_its_history(upstream, tmp_path, monkeypatch):
    _, _, hub, github = upstream
    hub.hub_file("example/medical-lm", "README.md", README.replace("license: apache-2.0", "license: mit"))
    entries = [facts(written())]
    monkeypatch.setattr("ohm.freshness.command.read_entries", lambda path: (entries, []))
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)

    def night(today: str) -> int:
        return main(
            ["freshness", "--report-dir", str(tmp_path), "--hf-api", hub.url, "--github-api", github.url,
             "--today", today, "--timeout", "1", "--backoff", "0", "--hub-rate", "0"]
        )  # fmt: skip

    assert night("2026-12-04") == 1
    hub.failures[CARD_AT_HEAD] = Failure(503)  # the next night the card does not answer...
    assert night("2026-12-05") == 0
    del hub.failures[CARD_AT_HEAD]
    assert night("2026-12-06") == 0, "...and the finding is not new the night after"
    check_freshness_file(tmp_path / "freshness.json")
    [finding] = read_freshness(tmp_path / "freshness.json").entries["medical-lm"]
    assert (finding.kind, finding.field, finding.source, finding.since) == (
        "quote-gone", "licenses.weights", CARD, "2026-12-04",
    )  # fmt: skip
    assert "**Quote gone**" in (tmp_path / "report.md").read_text(encoding="utf-8")
    kept = json.loads((tmp_path / "history.json").read_text(encoding="utf-8"))["entries"]["medical-lm"]
    assert [item["kind"] for item in kept] == ["quote-gone"]


@pytest.mark.parametrize(("budget", "reached"), [(3, True), (2, False)])
def test_cited_files_count_against_the_request_budget(upstream, budget, reached):
    hub_api, _, _, github = upstream
    # The repository and its latest release, and the LICENSE: three GitHub requests for this entry.
    github_api = Api(
        "GitHub", github.url, None, hub_api.cache, hub_api.settings, limits=ApiLimits(budget=budget)
    )
    [result] = check_entries([facts(written())], hub_api, github_api, Thresholds(), TODAY)
    assert result.reached is reached
    assert (LICENSE_AT_HEAD in github.paths()) is reached
