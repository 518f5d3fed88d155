"""The link checker against a fake web on 127.0.0.1: classification, retries, history, report."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from ohm.cli import main as ohm_main
from ohm.links.check import LinkResult, check_links
from ohm.links.classify import Outcome, Status, classify
from ohm.links.history import Failure
from ohm.links.report import build_report, report_markdown
from ohm.links.settings import read_settings
from ohm.links.targets import catalogue_links
from tests.conftest import FIXTURES, make_project, run_mkdocs
from tests.link_server import FakeWeb

# Small timeout, no backoff and no per-host throttle, so a run takes seconds; one retry.
FAST = {"timeout": 1, "retries": 1, "backoff_seconds": 0.0, "per_host_rate": 50.0}


@pytest.fixture
def web(tmp_path: Path) -> Iterator[FakeWeb]:
    with FakeWeb(tmp_path) as server:
        yield server


@pytest.fixture
def catalogue(tmp_path: Path, web: FakeWeb) -> Path:
    text = (FIXTURES / "links" / "catalogue.yaml").read_text(encoding="utf-8")
    path = tmp_path / "models.yaml"
    path.write_text(text.replace("{base}", web.base), encoding="utf-8")
    return path


def by_url(results: list[LinkResult], web: FakeWeb) -> dict[str, LinkResult]:
    return {result.url.removeprefix(web.base): result for result in results}


def test_catalogue_links_are_collected_once_with_every_place(catalogue: Path, web: FakeWeb):
    links, problems = catalogue_links(catalogue, allowed_hosts={"127.0.0.1"})
    assert problems == []
    ok = links[f"{web.base}/ok"]
    assert [(o.entry, o.field) for o in ok] == [
        ("license MIT", "url"),
        ("alpha", "links.repository"),
        ("beta", "links.repository"),
    ]
    assert ok[1].name == "Alpha" and ok[1].line is not None
    assert len(links) == 7


def test_each_url_is_classified_and_requested_once(catalogue: Path, web: FakeWeb):
    links, _ = catalogue_links(catalogue, allowed_hosts={"127.0.0.1"})
    waits: list[float] = []
    results = by_url(
        check_links(links, None, read_settings(ca_bundle=str(web.ca_bundle), **FAST), waits.append), web
    )

    assert {url: result.outcome.status for url, result in results.items()} == {
        "/ok": Status.OK,
        "/moved": Status.MOVED,
        "/missing": Status.FAILING,
        "/flaky": Status.OK,
        "/busy": Status.RATE_LIMITED,
        "/botwall": Status.BLOCKED,
        "/hang": Status.FAILING,
    }
    assert results["/moved"].outcome.moved_to == f"{web.base}/new-home"
    assert results["/missing"].outcome.detail == "404 Not Found"
    assert "timed out" in results["/hang"].outcome.detail.lower()
    assert results["/flaky"].attempts == 2
    assert waits == [1.0], "one retry round, waiting as long as Retry-After asked"
    # Checked once each; only what may be transient (500, 429, timeout) a second time.
    assert web.requests() == {
        "/ok": 1,
        "/moved": 1,
        "/new-home": 1,
        "/missing": 1,
        "/flaky": 2,
        "/busy": 2,
        "/botwall": 1,
        "/hang": 2,
    }


def run_night(catalogue: Path, web: FakeWeb, tmp_path: Path, day: str) -> tuple[int, dict]:
    reports = tmp_path / "reports"
    status = ohm_main(
        [
            "links", "--catalogue", str(catalogue), "--no-site", "--today", day,
            "--report-dir", str(reports), "--history", str(reports / "history.json"),
            "--ca-bundle", str(web.ca_bundle), "--allow-host", "127.0.0.1", "--timeout", "1", "--retries", "1", "--backoff", "0",
            "--broken-after", "3", "--per-host-rate", "50",
        ]
    )  # fmt: skip
    return status, json.loads((reports / "report.json").read_text(encoding="utf-8"))


def statuses(report: dict) -> dict[tuple[str, str], tuple[str, int]]:
    return {
        (group["entry"], link["field"]): (link["status"], link["consecutive_failures"])
        for group in report["entries"]
        for link in group["links"]
    }


def test_a_link_is_broken_only_after_three_failing_nights(catalogue: Path, web: FakeWeb, tmp_path: Path):
    nights = ["2026-11-01", "2026-11-02", "2026-11-03"]
    exits, reports = [], []
    for night in nights:
        web.reset()
        status, report = run_night(catalogue, web, tmp_path, night)
        exits.append(status)
        reports.append(report)
        assert web.requests()["/ok"] == 1 and web.requests()["/missing"] == 1

    assert exits == [0, 0, 1]
    assert [statuses(r)[("beta", "links.model_card")] for r in reports] == [
        ("failing", 1),
        ("failing", 2),
        ("broken", 3),
    ]
    assert statuses(reports[2])[("gamma", "links.docs")] == ("broken", 3)
    assert all(statuses(r)[("beta", "links.paper")] == ("ok", 0) for r in reports), "flaky is never failing"
    assert statuses(reports[2])[("gamma", "links.homepage")] == ("rate-limited", 0)
    assert statuses(reports[2])[("gamma", "links.repository")] == ("blocked", 0)
    assert statuses(reports[2])[("alpha", "links.docs")] == ("moved", 0)
    broken = next(
        link for group in reports[2]["entries"] for link in group["links"] if link["url"].endswith("/missing")
    )
    assert broken["first_failed"] == "2026-11-01" and broken["new"] is True
    assert reports[2]["summary"]["broken"] == 2 and reports[2]["summary"]["new_broken"] == 2

    # A second run on the same day is not another failing night, and the links are no longer new.
    status, again = run_night(catalogue, web, tmp_path, "2026-11-03")
    assert status == 0
    assert statuses(again)[("beta", "links.model_card")] == ("broken", 3)
    assert again["summary"]["new_broken"] == 0 and again["outcome"] == "broken"

    markdown = (tmp_path / "reports" / "report.md").read_text(encoding="utf-8")
    assert "## Broken" in markdown and "`beta` (Beta)" in markdown and "2026-11-01" in markdown
    assert f"<{web.base}/new-home>" in markdown


def test_a_link_that_works_again_is_forgotten(catalogue: Path, web: FakeWeb, tmp_path: Path):
    history = tmp_path / "reports" / "history.json"
    history.parent.mkdir()
    old = {"version": 1, "links": {f"{web.base}/ok": {"first_failed": "2026-10-01", "last_failed": "2026-10-02",
                                                     "failures": 2, "last_error": "404 Not Found"}}}  # fmt: skip
    history.write_text(json.dumps(old), encoding="utf-8")
    run_night(catalogue, web, tmp_path, "2026-11-01")
    remembered = json.loads(history.read_text(encoding="utf-8"))["links"]
    assert f"{web.base}/ok" not in remembered
    assert remembered[f"{web.base}/missing"]["failures"] == 1


def write_site(root: Path, web: FakeWeb) -> Path:
    pages = {
        "index.html": f"""<a href="page.html">page</a> <a href="page.html#there">there</a>
            <a href="page.html#nowhere">nowhere</a> <a href="gone.html">gone</a> <a href="{web.base}/ok">ok</a>""",
        "page.html": f"""<h2 id="there">There</h2> <a href="{web.base}/ok">ok again</a>
            <a href="{web.base}/missing">missing</a> <a href="index.html">home</a>""",
    }
    root.mkdir()
    for name, body in pages.items():
        (root / name).write_text(f"<!doctype html><title>{name}</title><body>{body}</body>", encoding="utf-8")
    return root


def test_site_pages_anchors_and_external_links_are_checked_once(tmp_path: Path, web: FakeWeb):
    site = write_site(tmp_path / "site", web)
    links = {f"{web.base}/ok": []}
    settings = read_settings(ca_bundle=str(web.ca_bundle), **FAST)
    results = {result.url: result for result in check_links(links, site, settings, lambda _: None)}

    assert results["/gone.html"].outcome.status is Status.FAILING
    assert results["/gone.html"].found_on == "/"
    assert results["/page.html#nowhere"].outcome.status is Status.FAILING
    assert "nowhere" in results["/page.html#nowhere"].outcome.detail
    assert results["/page.html#there"].outcome.status is Status.OK
    assert results[f"{web.base}/missing"].found_on == "/page.html"
    assert web.requests() == {"/ok": 1, "/missing": 1}

    # Our own pages cannot be flaky: they are broken on the first run; external links are not.
    report = build_report(list(results.values()), {}, {}, settings, "2026-11-01")
    status_of = {link["url"]: link["status"] for group in report["entries"] for link in group["links"]}
    assert status_of["/gone.html"] == "broken"
    assert status_of[f"{web.base}/missing"] == "failing"


def test_the_built_site_has_no_broken_internal_links(tmp_path: Path, catalogue: Path, web: FakeWeb):
    project = make_project(tmp_path / "project", catalogue.read_text(encoding="utf-8"))
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - ohm\n", "  - ohm:\n      allow_hosts: 127.0.0.1\n"),
        encoding="utf-8",
    )
    build = run_mkdocs(project)
    assert build.returncode == 0, build.stderr
    links, _ = catalogue_links(catalogue, allowed_hosts={"127.0.0.1"})
    settings = read_settings(ca_bundle=str(web.ca_bundle), **FAST)
    results = check_links(links, project / "site", settings, lambda _: None)

    assert not [r.url for r in results if r.url.startswith("data:")], "the theme's inline icons are not links"
    internal = [result for result in results if result.internal]
    assert len(internal) > 10, "the crawl reached the pages, assets and search index"
    assert [(r.url, r.outcome.detail) for r in internal if r.outcome.status is not Status.OK] == []
    # The category page links every catalogue URL again; each is still fetched once.
    assert web.requests()["/ok"] == 1 and web.requests()["/missing"] == 1


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ({"valid": False, "result": "403 Forbidden", "url": "https://www.walled.example/x"}, Status.BLOCKED),
        ({"valid": False, "result": "403 Forbidden", "url": "https://open.example/x"}, Status.FAILING),
        (
            {
                "valid": True,
                "result": "syntax OK",
                "info": ["Access denied by robots.txt, checked only syntax."],
            },
            Status.NOT_CHECKED,
        ),
        ({"valid": False, "result": "ConnectionError: Connection refused"}, Status.FAILING),
        (
            {
                "valid": True,
                "result": "200 OK",
                "extern": True,
                "warnings": [[None, "Anchor `x' not found."]],
            },
            Status.OK,
        ),
    ],
)
def test_classification_rules(result: dict, expected: Status):
    assert classify(result, frozenset({"walled.example"})).status is expected


def test_a_run_without_network_changes_nothing(tmp_path: Path, capsys):
    closed = []
    for _ in range(2):  # two ports nobody listens on: every host is unreachable
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed.append(probe.getsockname()[1])
    text = (FIXTURES / "catalogues" / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("https://opensource.org/license/mit", f"https://127.0.0.1:{closed[0]}/licence")
    text = text.replace("https://github.com/example/example-asr", f"https://127.0.0.1:{closed[1]}/repo")
    catalogue = tmp_path / "models.yaml"
    catalogue.write_text(text, encoding="utf-8")
    history = tmp_path / "history.json"
    args = [
        "links",
        "--catalogue",
        str(catalogue),
        "--no-site",
        "--history",
        str(history),
        "--allow-host",
        "127.0.0.1",
    ]
    status = ohm_main([*args, "--report-dir", str(tmp_path), "--retries", "0", "--timeout", "1"])
    assert status == 2
    assert "network looks down" in capsys.readouterr().err
    assert not history.exists() and not (tmp_path / "report.json").exists()


def test_retry_after_as_a_date_falls_back_to_backoff():
    outcome = classify(
        {"valid": True, "result": "429 Too Many Requests",
         "warnings": [["http-rate-limited", "Rate limited (Retry-After: Wed, 21 Oct 2026 07:28:00 GMT)"]]}
    )  # fmt: skip
    assert outcome == Outcome(Status.RATE_LIMITED, "429 Too Many Requests", retry_after=None, transient=True)


def test_report_text_cannot_break_the_markdown_table():
    settings = read_settings()
    result = LinkResult("https://example.org/a", Outcome(Status.FAILING, "500 | <b>boom</b>\nmore"))
    history = {"https://example.org/a": Failure("2026-11-01", "2026-11-03", 3, "x")}
    markdown = report_markdown(build_report([result], history, history, settings, "2026-11-03"))
    row = next(line for line in markdown.splitlines() if "example.org" in line)
    assert row.count(" | ") == 5 and "&lt;b&gt;" in row and "<b>" not in row and "\n" not in row


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--threads", "0"], "threads must be at least 1"),
        (["--site", "nowhere"], "nowhere/index.html not found"),
        (
            ["--entry", "no-such-model", "--catalogue", str(FIXTURES / "catalogues" / "small.yaml")],
            "no model with this id",
        ),
        (
            ["--catalogue", str(FIXTURES / "invalid" / "duplicate-id.yaml"), "--no-site"],
            "problem(s) in the catalogue",
        ),
    ],
)
def test_the_checker_failing_is_told_apart_from_broken_links(args, message, capsys, tmp_path: Path):
    status = ohm_main(["links", "--report-dir", str(tmp_path), "--no-history", *args])
    assert status == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "report.json").exists()
