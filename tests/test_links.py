"""The link checker against a hostile fake web on 127.0.0.1: verdicts, budgets, history, report.

Every test here is bounded (see pytestmark); servers that hang are released
when their test ends, so they cost the checker's timeout (1 s here), no more.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from ohm.cli import main as ohm_main
from ohm.links.check import LinkResult, check_links
from ohm.links.classify import BOT_WALL_HOSTS, Outcome, Skip, Status, classify, verdict
from ohm.links.history import Failure, judge, update, update_worked
from ohm.links.report import build_report, read_report, report_markdown
from ohm.links.settings import Settings, read_settings
from ohm.links.targets import Occurrence, catalogue_links
from ohm.links.web import _retry_after, request_key
from tests.conftest import FIXTURES, make_project, run_mkdocs
from tests.link_server import BlackHole, FakeWeb, write_ca

pytestmark = pytest.mark.timeout(120)

# A 1 s timeout, no backoff and no per-host throttle, so a run takes seconds; one retry.
FAST = {"timeout": 1, "retries": 1, "backoff_seconds": 0.0, "per_host_rate": 50.0}


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_bundle(ca: trustme.CA, tmp_path: Path) -> Path:
    return write_ca(ca, tmp_path)


@pytest.fixture
def web(ca: trustme.CA) -> Iterator[FakeWeb]:
    with FakeWeb(ca) as server:
        yield server


def fast(ca_bundle: Path, **overrides: object) -> Settings:
    return read_settings(ca_bundle=str(ca_bundle), **{**FAST, **overrides})


@pytest.fixture
def catalogue(tmp_path: Path, web: FakeWeb) -> Path:
    text = (FIXTURES / "links" / "catalogue.yaml").read_text(encoding="utf-8")
    path = tmp_path / "models.yaml"
    path.write_text(text.replace("{base}", web.base), encoding="utf-8")
    return path


def by_url(results: list[LinkResult], web: FakeWeb) -> dict[str, LinkResult]:
    return {result.url.removeprefix(web.base): result for result in results}


def check(urls: list[str], settings: Settings, waits: list[float] | None = None) -> dict[str, LinkResult]:
    """check_links over catalogue URLs written in one made-up entry; results by URL."""
    links = {url: [Occurrence("entry", f"links.f{n}", n)] for n, url in enumerate(urls)}
    sleep = waits.append if waits is not None else lambda _: None
    return {result.url: result for result in check_links(links, None, settings, sleep)}


# --- The catalogue's URLs, classified ------------------------------------------


def test_catalogue_links_are_collected_once_with_every_place(catalogue: Path, web: FakeWeb):
    links, problems = catalogue_links(catalogue, allowed_hosts={"127.0.0.1"})
    assert problems == []
    ok = links[f"{web.base}/ok"]
    assert [(o.entry, o.field) for o in ok] == [
        ("license MIT", "url"),
        ("alpha", "links.repository"),
        ("alpha", "sources[0]"),
        ("beta", "links.repository"),
        ("beta", "sources[0]"),
        ("gamma", "sources[0]"),
    ]
    assert ok[1].name == "Alpha" and ok[1].line is not None
    assert len(links) == 7


def test_each_url_is_classified_and_requested_once(catalogue: Path, web: FakeWeb, ca_bundle: Path):
    links, _ = catalogue_links(catalogue, allowed_hosts={"127.0.0.1"})
    waits: list[float] = []
    results = by_url(check_links(links, None, fast(ca_bundle), waits.append), web)

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
    assert results["/hang"].outcome.detail == "no answer within 1 s"
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
    assert web.counts["/robots.txt"] == 1, "robots.txt once per host"


def test_every_url_gets_its_own_result_whatever_its_spelling_or_redirect(web: FakeWeb, ca_bundle: Path):
    base = web.base
    spellings = [
        f"{base}/to-ok",  # redirects to another catalogue URL
        f"{base}/ok",
        f"{base}/ok#section",  # the same request as /ok
        f"{base}/./ok",
        f"{base}/p(1)",  # these pairs are different requests, answered differently
        f"{base}/p%281%29",
        f"{base}/~me",
        f"{base}/%7Eme",
        f"{base}/a%2Fb",  # %2F must arrive as written
        f"{base}/two/slashes",
        f"{base}/two//slashes",
        f"{base}/ok?",
    ]
    results = check(spellings, fast(ca_bundle))

    status = {url.removeprefix(base): result.outcome.status for url, result in results.items()}
    assert status == {
        "/to-ok": Status.MOVED,
        "/ok": Status.OK,
        "/ok#section": Status.OK,
        "/./ok": Status.OK,
        "/p(1)": Status.OK,
        "/p%281%29": Status.FAILING,
        "/~me": Status.OK,
        "/%7Eme": Status.FAILING,
        "/a%2Fb": Status.OK,
        "/two/slashes": Status.OK,
        "/two//slashes": Status.FAILING,
        "/ok?": Status.OK,
    }
    assert results[f"{base}/to-ok"].outcome.moved_to == f"{base}/ok"
    assert results[f"{base}/ok#section"].occurrences == [Occurrence("entry", "links.f2", 2)]
    assert web.requests()["/ok"] == 3, "/ok, /ok#section and /./ok are one request; /to-ok and /ok? two more"


def test_request_key_tells_apart_only_what_differs_on_the_wire():
    same = ["https://Example.org:443/a/./b#x", "https://example.org/a/b", "https://example.org/a/b#"]
    assert len({request_key(url) for url in same}) == 1
    different = [
        "https://example.org/a(1)",
        "https://example.org/a%281%29",
        "https://example.org/~a",
        "https://example.org/%7Ea",
        "https://example.org//a",
        "https://example.org/a?",
        "https://example.org/a%2Fb",
        "https://example.org/a/b",
        "https://example.org:8443/a/b",
    ]
    assert len({request_key(url) for url in different}) == len(different)


def test_redirects_are_followed_like_a_browser_and_reported_with_their_chain(web: FakeWeb, ca_bundle: Path):
    base = web.base
    results = check(
        [
            f"{base}/chain/15",
            f"{base}/chain/21",
            f"{base}/insecure",
            f"{base}/gone-moved",
            f"{base}/bad-location",
        ],
        fast(ca_bundle),
    )
    outcome = {url.removeprefix(base): result.outcome for url, result in results.items()}

    assert outcome["/chain/15"].status is Status.MOVED and len(outcome["/chain/15"].redirects) == 15
    assert outcome["/chain/21"].status is Status.FAILING
    assert outcome["/chain/21"].detail == "more than 20 redirects"
    assert outcome["/insecure"].status is Status.MOVED_INSECURE
    assert outcome["/insecure"].moved_to == f"{web.plain_base}/ok"
    assert outcome["/gone-moved"].status is Status.FAILING
    assert outcome["/gone-moved"].redirects == (f"{base}/missing",)
    assert outcome["/gone-moved"].detail == "404 Not Found (after 1 redirect)"
    assert outcome["/bad-location"].status is Status.FAILING
    assert "malformed Location header 'http://[::1'" in outcome["/bad-location"].detail

    settings = fast(ca_bundle, broken_after_runs=1)
    report = build_report(list(results.values()), {}, {}, settings, "2026-11-01")
    markdown = report_markdown(report)
    row = next(line for line in markdown.splitlines() if "/gone-moved>" in line)
    assert f"redirects: <{base}/gone-moved> → <{base}/missing>" in row
    assert "## Moved to an insecure address" in markdown
    assert "## Broken" in markdown and "| `entry` |" in markdown


def test_a_403_is_blocked_never_broken(web: FakeWeb, ca_bundle: Path):
    results = check([f"{web.base}/forbidden", f"{web.base}/botwall"], fast(ca_bundle))
    assert {result.outcome.status for result in results.values()} == {Status.BLOCKED}


def test_robots_txt_is_read_with_our_user_agent_and_ca_bundle(ca: trustme.CA, ca_bundle: Path):
    robots = "User-agent: *\nDisallow: /*/private\nDisallow: /missing\n"
    with FakeWeb(ca, robots=robots) as web:
        results = check([f"{web.base}/missing", f"{web.base}/a/private", f"{web.base}/ok"], fast(ca_bundle))
        status = {url.removeprefix(web.base): r.outcome.status for url, r in results.items()}
        assert status == {"/missing": Status.NOT_CHECKED, "/a/private": Status.NOT_CHECKED, "/ok": Status.OK}
        assert web.requests() == {"/ok": 1}, "what robots.txt forbids is never requested"
        assert web.robots_agents == [read_settings().user_agent]


def test_a_429_asking_for_too_long_is_not_waited_for(web: FakeWeb, ca_bundle: Path):
    waits: list[float] = []
    results = check([f"{web.base}/patient"], fast(ca_bundle, retries=2), waits)
    outcome = results[f"{web.base}/patient"].outcome
    assert outcome.status is Status.RATE_LIMITED and outcome.retry_after == 300
    assert waits == [] and web.requests() == {"/patient": 1}


def test_retry_after_is_honoured_once(web: FakeWeb, ca_bundle: Path):
    waits: list[float] = []
    results = check([f"{web.base}/busy"], fast(ca_bundle, retries=3), waits)
    assert results[f"{web.base}/busy"].outcome.status is Status.RATE_LIMITED
    assert waits == [1.0] and web.requests() == {"/busy": 2}


# --- Hosts that do not answer, and time budgets -------------------------------


def test_a_host_that_stops_answering_is_given_up_after_a_few_urls(web: FakeWeb, ca_bundle: Path):
    urls = [f"{web.base}/hang?{n}" for n in range(10)] + [f"{web.base}/trickle"]
    results = check(urls, fast(ca_bundle, host_give_up_after=2))

    failing = sorted(url for url, r in results.items() if r.outcome.status is Status.FAILING)
    skipped = {url: r.outcome for url, r in results.items() if r.outcome.status is Status.NOT_CHECKED}
    assert len(failing) == 2 and len(skipped) == 9
    assert {outcome.skipped for outcome in skipped.values()} == {Skip.HOST_UNREACHABLE}
    assert web.requests() == {"/hang": 2}, "no retries on a host given up"
    assert all(results[url].outcome.detail == "no answer within 1 s" for url in failing)


def test_headers_trickling_in_count_as_no_answer(web: FakeWeb, ca_bundle: Path):
    results = check([f"{web.base}/trickle"], fast(ca_bundle, retries=0))
    outcome = results[f"{web.base}/trickle"].outcome
    assert (outcome.status, outcome.detail) == (Status.FAILING, "no answer within 1 s")


def test_behind_a_silent_robots_txt_nothing_is_requested(ca: trustme.CA, ca_bundle: Path, web: FakeWeb):
    with FakeWeb(ca, robots="User-agent: *\n", robots_delay=60) as slow, BlackHole() as hole:
        urls = [
            f"{slow.base}/ok",
            f"{slow.base}/missing",
            f"{hole.base}/a",
            f"{hole.base}/b",
            f"{web.base}/ok",
        ]
        results = check(urls, fast(ca_bundle))
        assert slow.requests() == {}
    outcome = {url: result.outcome for url, result in results.items()}
    for url in urls[:4]:
        assert outcome[url].status is Status.NOT_CHECKED, url
        assert outcome[url].skipped is Skip.ROBOTS_SILENT
        assert outcome[url].detail.startswith("robots.txt gave no answer within 1 s")
    assert outcome[f"{web.base}/ok"].status is Status.OK


def test_a_host_that_used_up_its_budget_is_given_up(ca: trustme.CA, ca_bundle: Path):
    with FakeWeb(ca, slow_seconds=0.4) as web:
        results = check([f"{web.base}/slow?{n}" for n in range(6)], fast(ca_bundle, host_budget_seconds=1))
        checked = [r for r in results.values() if r.outcome.status is Status.OK]
        skipped = [r for r in results.values() if r.outcome.skipped is Skip.HOST_BUDGET]
        assert len(checked) == 3 and len(skipped) == 3 and web.requests() == {"/slow": 3}


def run_night(
    catalogue: Path, ca_bundle: Path, tmp_path: Path, day: str, *extra: str
) -> tuple[int, dict, str]:
    reports = tmp_path / "reports"
    status = ohm_main(
        [
            "links", "--catalogue", str(catalogue), "--no-site", "--today", day, "--allow-host", "127.0.0.1",
            "--report-dir", str(reports), "--history", str(reports / "history.json"),
            "--ca-bundle", str(ca_bundle), "--timeout", "1", "--retries", "1", "--backoff", "0",
            "--broken-after", "3", "--per-host-rate", "50", *extra,
        ]
    )  # fmt: skip
    markdown = (reports / "report.md").read_text(encoding="utf-8")
    assert report_markdown(read_report(reports / "report.json")) == markdown, (
        "report.json holds the whole report"
    )
    return status, json.loads((reports / "report.json").read_text(encoding="utf-8")), markdown


def test_when_the_run_budget_runs_out_the_report_lists_what_was_not_checked(
    catalogue: Path, ca_bundle: Path, tmp_path: Path, web: FakeWeb
):
    text = catalogue.read_text(encoding="utf-8").replace(f"{web.base}/ok", f"{web.base}/hang")
    catalogue.write_text(text, encoding="utf-8")
    started = time.monotonic()
    status, report, markdown = run_night(
        catalogue, ca_bundle, tmp_path, "2026-11-01", "--budget", "1", "--timeout", "5"
    )
    elapsed = time.monotonic() - started

    assert elapsed < 10, "the run ends soon after its budget, though a server hangs for 30 s"
    assert status == 0 and report["complete"] is False
    unchecked = [
        link for group in report["entries"] for link in group["links"] if link["status"] == "not-checked"
    ]
    assert unchecked and all(link["not_checked_because"] == "run-budget" for link in unchecked)
    assert report["summary"]["not_checked_for_time"] == len({link["url"] for link in unchecked})
    assert "**The run's time budget (1 s) ran out:**" in markdown and "## Not checked" in markdown
    assert (tmp_path / "reports" / "history.json").exists()


def test_a_pull_request_check_survives_a_malformed_location(ca_bundle: Path, tmp_path: Path, web: FakeWeb):
    text = (FIXTURES / "catalogues" / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("https://github.com/example/example-asr", f"{web.base}/bad-location")
    text = text.replace("https://opensource.org/license/mit", f"{web.base}/ok")
    catalogue = tmp_path / "models.yaml"
    catalogue.write_text(text, encoding="utf-8")
    reports = tmp_path / "reports"
    status = ohm_main(
        ["links", "--catalogue", str(catalogue), "--entry", "example-asr", "--report-dir", str(reports),
         "--allow-host", "127.0.0.1",
         "--ca-bundle", str(ca_bundle), "--timeout", "1", "--per-host-rate", "50"]
    )  # fmt: skip
    report = json.loads((reports / "report.json").read_text(encoding="utf-8"))
    assert status == 1 and report["summary"]["broken"] == 1


# --- Nights, history and report ------------------------------------------------


def statuses(report: dict) -> dict[tuple[str, str], tuple[str, int]]:
    return {
        (group["entry"], link["field"]): (link["status"], link["consecutive_failures"])
        for group in report["entries"]
        for link in group["links"]
    }


def test_a_link_is_broken_only_after_three_failing_nights(
    catalogue: Path, web: FakeWeb, tmp_path: Path, ca_bundle: Path
):
    nights = ["2026-11-01", "2026-11-02", "2026-11-03"]
    exits, reports = [], []
    for night in nights:
        web.reset()
        status, report, _ = run_night(catalogue, ca_bundle, tmp_path, night)
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
    assert reports[2]["complete"] is True
    markdown = (tmp_path / "reports" / "report.md").read_text(encoding="utf-8")
    assert "## Broken" in markdown and "`beta` (Beta)" in markdown and "2026-11-01" in markdown
    assert f"<{web.base}/new-home>" in markdown


def test_a_second_run_on_the_same_day_is_not_another_failing_night():
    url, settings = "https://example.org/a", read_settings()
    before = {url: Failure("2026-11-01", "2026-11-03", 3, "404 Not Found")}
    result = LinkResult(url, Outcome(Status.FAILING, "404 Not Found"))
    after = update(before, {url: result.outcome}, "2026-11-03")
    assert after == before
    again = build_report([result], before, after, settings, "2026-11-03")
    assert again.broken == 1 and again.new_broken == 0
    assert again.outcome == "broken" and again.to_json()["outcome"] == "broken"


def test_a_link_that_works_again_is_forgotten(catalogue: Path, web: FakeWeb, tmp_path: Path, ca_bundle: Path):
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace("/hang", "/new-home").replace("/busy", "/new-home"), encoding="utf-8")
    history = tmp_path / "reports" / "history.json"
    history.parent.mkdir()
    old = {"version": 1, "links": {f"{web.base}/ok": {"first_failed": "2026-10-01", "last_failed": "2026-10-02",
                                                     "failures": 2, "last_error": "404 Not Found"}}}  # fmt: skip
    history.write_text(json.dumps(old), encoding="utf-8")
    run_night(catalogue, ca_bundle, tmp_path, "2026-11-01")
    remembered = json.loads(history.read_text(encoding="utf-8"))["links"]
    assert f"{web.base}/ok" not in remembered
    assert remembered[f"{web.base}/missing"]["failures"] == 1


# --- Our own site ----------------------------------------------------------------


def write_site(root: Path, web: FakeWeb) -> Path:
    pages = {
        "index.html": f"""<a href="page.html">page</a> <a href="page.html#there">there</a>
            <a href="page.html#nowhere">nowhere</a> <a href="gone.html">gone</a> <a href="{web.base}/ok">ok</a>
            <a href="mailto:someone@example.org">mail</a>""",
        "page.html": f"""<h2 id="there">There</h2> <a href="{web.base}/ok">ok again</a>
            <a href="{web.base}/missing">missing</a> <a href="{web.base}/a%2Fb">escaped</a>
            <a href="index.html">home</a>""",
    }
    root.mkdir()
    for name, body in pages.items():
        (root / name).write_text(f"<!doctype html><title>{name}</title><body>{body}</body>", encoding="utf-8")
    return root


def test_site_pages_anchors_and_external_links_are_checked_once(
    tmp_path: Path, web: FakeWeb, ca_bundle: Path
):
    site = write_site(tmp_path / "site", web)
    links = {f"{web.base}/ok": []}
    settings = fast(ca_bundle)
    results = {result.url: result for result in check_links(links, site, settings, lambda _: None)}

    assert results["/gone.html"].outcome.status is Status.FAILING
    assert results["/gone.html"].found_on == "/"
    assert results["/page.html#nowhere"].outcome.status is Status.FAILING
    assert "nowhere" in results["/page.html#nowhere"].outcome.detail
    assert results["/page.html#there"].outcome.status is Status.OK
    assert results[f"{web.base}/missing"].found_on == "/page.html"
    assert results[f"{web.base}/a%2Fb"].outcome.status is Status.OK, "links on pages keep their %2F too"
    assert not [url for url in results if url.startswith("mailto:")]
    assert web.requests() == {"/ok": 1, "/missing": 1, "/a%2Fb": 1}

    # Our own pages cannot be flaky: they are broken on the first run; external links are not.
    report = build_report(list(results.values()), {}, {}, settings, "2026-11-01")
    status_of = {link.url: link.status for group in report.entries for link in group.links}
    assert status_of["/gone.html"] == "broken"
    assert status_of[f"{web.base}/missing"] == "failing"


def test_a_crawl_that_fails_is_an_error_and_the_rest_is_still_checked(
    tmp_path: Path, web: FakeWeb, ca_bundle: Path
):
    site = write_site(tmp_path / "site", web)
    config = tmp_path / "linkcheckerrc"
    config.write_text("[filtering]\nignore=(unclosed\n", encoding="utf-8")  # LinkChecker cannot start
    settings = read_settings(config, ca_bundle=str(ca_bundle), **FAST)
    results = {result.url: result for result in check_links({f"{web.base}/ok": []}, site, settings)}
    assert results["/"].outcome.status is Status.ERROR
    assert results["/"].outcome.detail.startswith("the crawl of the site failed")
    assert results[f"{web.base}/ok"].outcome.status is Status.OK


@pytest.mark.slow
def test_the_built_site_has_no_broken_internal_links(
    tmp_path: Path, catalogue: Path, web: FakeWeb, ca_bundle: Path
):
    project = make_project(tmp_path / "project", catalogue.read_text(encoding="utf-8"))
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - ohm:\n", "  - ohm:\n      allow_hosts: 127.0.0.1\n"),
        encoding="utf-8",
    )
    build = run_mkdocs(project)
    assert build.returncode == 0, build.stderr
    links, _ = catalogue_links(catalogue, allowed_hosts={"127.0.0.1"})
    # The crawl of our own ~60 pages gets a timeout that a busy machine cannot miss; the fake web stays fast.
    results = check_links(links, project / "site", fast(ca_bundle, timeout=10), lambda _: None)

    assert not [r.url for r in results if r.url.startswith("data:")], "the theme's inline icons are not links"
    internal = [result for result in results if result.internal]
    assert len(internal) > 10, "the crawl reached the pages, assets and search index"
    assert [(r.url, r.outcome.detail) for r in internal if r.outcome.status is not Status.OK] == []
    # The category page links every catalogue URL again; each is still fetched once.
    assert web.requests()["/ok"] == 1 and web.requests()["/missing"] == 1


# --- Rules, without a network ------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "written", "redirects", "expected"),
    [
        (200, "https://a.example/x", (), Status.OK),
        (200, "https://a.example/x", ("https://b.example/x",), Status.MOVED),
        (200, "https://a.example/x", ("http://a.example/x",), Status.MOVED_INSECURE),
        (200, "http://a.example/x", ("http://b.example/x",), Status.MOVED),
        (404, "https://a.example/x", ("https://b.example/x",), Status.FAILING),
        (403, "https://a.example/x", (), Status.BLOCKED),
        (429, "https://a.example/x", (), Status.RATE_LIMITED),
        (503, "https://a.example/x", (), Status.FAILING),
    ],
)
def test_verdicts(code: int, written: str, redirects: tuple[str, ...], expected: Status):
    assert verdict(code, "Reason", written, redirects).status is expected


def test_site_crawl_results_are_classified():
    redirected = {"valid": True, "result": "200 OK", "warnings": [[None, "Redirected to `/b/'."]]}
    assert classify(redirected) == Outcome(Status.MOVED, "200 OK", moved_to="/b/", redirects=("/b/",))
    missing_anchor = {
        "valid": True,
        "result": "200 OK",
        "warnings": [[None, "Anchor `x' not found. Available anchors: y."]],
    }
    assert classify(missing_anchor) == Outcome(Status.FAILING, "Anchor `x' not found.")
    assert classify({"valid": False, "result": "404 Not Found"}).status is Status.FAILING


def test_retry_after_as_a_number_or_a_date():
    assert _retry_after("120") == 120 and _retry_after("soon") is None and _retry_after(None) is None
    in_a_minute = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 60))
    assert 50 < (_retry_after(in_a_minute) or 0) <= 60


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
        (["--budget", "0"], "time budgets"),
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


# --- What only the history can tell ------------------------------------------------


def test_a_host_that_never_answers_is_broken_after_enough_silent_nights(
    catalogue: Path, web: FakeWeb, tmp_path: Path, ca_bundle: Path
):
    with BlackHole() as silent:
        text = catalogue.read_text(encoding="utf-8").replace(f"{web.base}/hang", f"{silent.base}/docs")
        catalogue.write_text(text, encoding="utf-8")
        nights = [
            run_night(catalogue, ca_bundle, tmp_path, day)
            for day in ("2026-11-01", "2026-11-02", "2026-11-03")
        ]
    link = [
        next(
            link
            for group in report["entries"]
            for link in group["links"]
            if link["url"] == f"{silent.base}/docs"
        )
        for _status, report, _markdown in nights
    ]
    assert [(item["status"], item["consecutive_failures"]) for item in link] == [
        ("not-checked", 1),
        ("not-checked", 2),
        ("broken", 3),
    ], "not checked while it may be a bad night, broken once the host stayed silent"
    assert link[0]["not_checked_because"] == "robots-txt-silent"
    assert link[2]["detail"].startswith("host silent since 2026-11-01: robots.txt gave no answer within 1 s")
    assert link[2]["new"] is True and nights[2][0] == 1
    assert "host silent since 2026-11-01" in nights[2][2]


def test_a_403_where_the_page_worked_before_is_failing_unless_the_host_is_a_bot_wall(
    catalogue: Path, web: FakeWeb, tmp_path: Path, ca_bundle: Path
):
    text = catalogue.read_text(encoding="utf-8").replace(f"{web.base}/hang", f"{web.base}/object")
    catalogue.write_text(text, encoding="utf-8")

    def night(day: str) -> dict:
        _status, report, _markdown = run_night(catalogue, ca_bundle, tmp_path, day, "--broken-after", "2")
        return next(
            link for group in report["entries"] for link in group["links"] if link["url"].endswith("/object")
        )

    assert night("2026-11-01")["status"] == "ok"
    history = json.loads((tmp_path / "reports" / "history.json").read_text(encoding="utf-8"))
    assert history["worked"][f"{web.base}/object"] == "2026-11-01"
    web.object_answer = (403, {})  # the store answers 403 for an object that is gone
    second, third = night("2026-11-02"), night("2026-11-03")
    assert (second["status"], second["detail"]) == ("failing", "403 Forbidden; it worked on 2026-11-01")
    assert (third["status"], third["consecutive_failures"]) == ("broken", 2)

    web.object_answer = (403, {"cf-mitigated": "challenge"})  # now a bot wall: proves nothing
    assert (night("2026-11-04")["status"], night("2026-11-05")["consecutive_failures"]) == ("blocked", 2)
    botwall = next(
        link
        for group in run_night(catalogue, ca_bundle, tmp_path, "2026-11-06")[1]["entries"]
        for link in group["links"]
        if link["url"].endswith("/botwall")
    )
    assert botwall["status"] == "blocked", "a 403 on a page that never worked stays blocked"


def test_known_bot_walls_are_named_and_their_403_never_counts():
    walled = verdict(403, "Forbidden", "https://www.sciencedirect.com/science/article/pii/X")
    plain = verdict(403, "Forbidden", "https://bucket.example/object")
    assert walled.bot_wall and not plain.bot_wall
    worked = {"https://www.sciencedirect.com/science/article/pii/X": "2026-11-01",
              "https://bucket.example/object": "2026-11-01"}  # fmt: skip
    assert (
        judge(walled, "https://www.sciencedirect.com/science/article/pii/X", worked).status is Status.BLOCKED
    )
    assert judge(plain, "https://bucket.example/object", worked).status is Status.FAILING
    assert judge(plain, "https://bucket.example/other", worked).status is Status.BLOCKED
    assert "www.sciencedirect.com" in BOT_WALL_HOSTS and len(BOT_WALL_HOSTS) < 20


def test_a_tls_failure_is_not_retried(web: FakeWeb, tmp_path: Path):
    untrusted = write_ca(trustme.CA(), tmp_path)  # not the CA that signed the fake web's certificate
    waits: list[float] = []
    results = check([f"{web.base}/ok"], fast(untrusted, retries=2), waits)
    result = results[f"{web.base}/ok"]
    assert result.outcome.status is Status.FAILING and "CERTIFICATE_VERIFY_FAILED" in result.outcome.detail
    assert result.attempts == 1 and not result.outcome.transient and waits == []
    assert web.requests() == {}, "no request ever got through"


def test_a_timeout_is_still_retried(web: FakeWeb, ca_bundle: Path):
    results = check([f"{web.base}/hang"], fast(ca_bundle, retries=1))
    assert results[f"{web.base}/hang"].attempts == 2 and web.requests() == {"/hang": 2}


def test_only_external_urls_are_remembered_as_working():
    outcomes = {
        "https://example.org/a": Outcome(Status.OK, "200 OK"),
        "https://example.org/b": Outcome(Status.FAILING, "404 Not Found"),
        "https://example.org/c": Outcome(Status.MOVED, "200 OK", moved_to="https://example.org/d"),
        "/page.html": Outcome(Status.OK, "200 OK"),
    }
    worked = update_worked(
        {"https://example.org/b": "2026-11-01", "https://gone.example/": "2026-11-01"}, outcomes, "2026-11-05"
    )
    assert worked == {
        "https://example.org/a": "2026-11-05",
        "https://example.org/b": "2026-11-01",
        "https://example.org/c": "2026-11-05",
    }, "a URL no longer in the catalogue is forgotten; a failing one keeps the day it last worked"
