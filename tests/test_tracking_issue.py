"""`ohm issue` against a fake GitHub API on 127.0.0.1: one issue, updated, then closed; a body that
pings no one (rendered by cmark-gfm, GitHub's own reader) and always fits; a failed check's last good
report kept, marked stale."""

from __future__ import annotations

import html
import html.parser
import http.server
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from random import Random

import cmarkgfm
import pytest

from ohm.cli import main
from ohm.freshness import report as freshness
from ohm.links import report as links
from ohm.links.check import LinkResult
from ohm.links.classify import Outcome, Status
from ohm.links.history import Failure
from ohm.links.report import build_report, write_report
from ohm.links.settings import read_settings
from ohm.nightly.issue import LABEL, GitHub, Section, sync
from ohm.nightly.markdown import GITHUB_BODY_LIMIT, WORD_JOINER, clean, code_span, fit, inert


class FakeGitHub:
    """Just enough of the issues API, keeping issues in memory and every call in order."""

    def __init__(self) -> None:
        self.issues: dict[int, dict] = {}
        self.comments: list[tuple[int, str]] = []
        self.calls: list[str] = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                fake.calls.append(f"GET {self.path}")
                assert self.headers["Authorization"] == "Bearer secret"
                open_issues = [
                    i for i in fake.issues.values() if i["state"] == "open" and LABEL in i["labels"]
                ]
                self._reply(200, open_issues)

            def do_POST(self) -> None:
                body = self._body()
                fake.calls.append(f"POST {self.path}")
                if self.path.endswith("/comments"):
                    fake.comments.append((int(self.path.split("/")[-2]), body["body"]))
                    return self._reply(201, {})
                number = len(fake.issues) + 1
                fake.issues[number] = {"number": number, "state": "open", **body}
                self._reply(201, fake.issues[number])

            def do_PATCH(self) -> None:
                body = self._body()
                fake.calls.append(f"PATCH {self.path}")
                number = int(self.path.rsplit("/", 1)[-1])
                fake.issues[number].update(body)
                self._reply(200, fake.issues[number])

            def _body(self) -> dict:
                return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

            def _reply(self, status: int, data: object) -> None:
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    fake = FakeGitHub()
    monkeypatch.setenv("GITHUB_TOKEN", "secret")
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def write_link_report(path: Path, date: str, broken: int) -> Path:
    """A report.json of `ohm links` with `broken` broken links (pages of our own site: broken at once)."""
    results = [
        LinkResult(f"/gone-{n}.html", Outcome(Status.FAILING, "404 Not Found"), internal=True, found_on="/")
        for n in range(broken)
    ] + [LinkResult("/", Outcome(Status.OK, "200 OK"), internal=True)]
    write_report(build_report(results, {}, {}, read_settings(), date), path)
    return path


def night(github: FakeGitHub, tmp_path: Path, date: str, broken: int) -> int:
    report = write_link_report(tmp_path / "report.json", date, broken)
    return main(
        ["issue", "--repo", "owner/name", "--api-url", github.url, "--links", str(report),
         "--run-url", "https://example.org/run/1"]
    )  # fmt: skip


def test_one_issue_is_opened_updated_and_closed(github: FakeGitHub, tmp_path: Path):
    assert night(github, tmp_path, "2026-11-01", broken=0) == 0
    assert github.issues == {}, "nothing broken, nothing opened"

    assert night(github, tmp_path, "2026-11-02", broken=2) == 0
    assert night(github, tmp_path, "2026-11-03", broken=3) == 0
    assert list(github.issues) == [1], "the second night updates the same issue"
    issue = github.issues[1]
    assert issue["labels"] == [LABEL] and issue["title"] == "Broken links in the catalogue (3)"
    assert (
        issue["body"].startswith("# Link check of 2026-11-03")
        and "https://example.org/run/1" in issue["body"]
    )
    assert "## Broken" in issue["body"] and "`/gone-2.html`" in issue["body"], "the link report's Markdown"

    assert night(github, tmp_path, "2026-11-04", broken=0) == 0
    assert github.issues[1]["state"] == "closed"
    assert github.comments == [(1, "Every link works again as of 2026-11-04 (https://example.org/run/1).")]

    assert night(github, tmp_path, "2026-11-05", broken=1) == 0
    assert list(github.issues) == [1, 2], "a new issue only after the old one was closed"


def test_api_failure_is_an_error_not_a_traceback(github: FakeGitHub, tmp_path: Path, capsys):
    github.server.shutdown()
    github.server.server_close()
    assert night(github, tmp_path, "2026-11-02", broken=1) == 2
    assert "tracking issue not updated" in capsys.readouterr().err


def test_the_issue_stays_open_while_any_section_has_problems(github: FakeGitHub):
    client = GitHub(github.url, "owner/name", "secret")
    links = Section(
        "Broken links in the catalogue (0)", "# Link check\n\nall fine\n", False, "every link works again"
    )
    other = Section("Other report (2)", "# Other report\n\n2 problems\n", True, "the other report is clean")
    assert sync(client, [links, other], "2026-11-02", None) == "opened issue #1"
    issue = github.issues[1]
    assert issue["title"] == "Other report (2)"
    assert "# Link check" in issue["body"] and "# Other report" in issue["body"]

    assert sync(
        client, [links, Section(other.title, other.markdown, False, other.all_clear)], "2026-11-03", None
    ) == ("closed issue #1")
    assert github.comments == [(1, "Every link works again; the other report is clean as of 2026-11-03.")]


def test_without_a_token_or_a_usable_report_nothing_is_done(
    github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    report = write_link_report(tmp_path / "report.json", "2026-11-02", broken=1)
    args = ["issue", "--repo", "owner/name", "--api-url", github.url, "--links"]
    (tmp_path / "old.json").write_text(json.dumps({"version": 1, "date": "2026-11-02"}), encoding="utf-8")
    assert main([*args, str(tmp_path / "old.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"tracking issue not updated: {tmp_path / 'old.json'}: not a link report") and (
        err.count("\n") == 1
    )
    assert main([*args, str(tmp_path / "missing.json")]) == 2
    assert "missing.json: cannot read it" in capsys.readouterr().err

    monkeypatch.delenv("GITHUB_TOKEN")
    assert main([*args, str(report)]) == 2
    assert "GITHUB_TOKEN is not set" in capsys.readouterr().err
    assert github.calls == [], "the API was never asked"


# --- Nothing from outside pings anyone --------------------------------------------

# What GitHub links in text that is not inside code, pre or a link: mentions and issue references.
LIVE_PING = re.compile(r"(?<![\w`])@[A-Za-z0-9]|#[0-9]|\bGH-[0-9]", re.IGNORECASE)
EXEMPT = {"code", "pre", "a"}

HOSTILE = [
    "@attacker please look",
    "cc @org/team and #123",
    "see owner/repo#7 and GH-42",
    "`` `@in-code` but not `` @out and #8",
    "\\@escaped \\#9",
    "&#64;entity &#x23;10 &commat;named &num;11",
    "<b>@tag</b> <http://x.example/@in-link> <@not-a-link>",
    "| @cell | #12 |",
    "`open @unclosed #13",
]


class TextOutsideLinks(html.parser.HTMLParser):
    """Text nodes of rendered HTML, split into those GitHub autolinks in and those it leaves alone."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.outside: list[str] = []
        self.exempt: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in {"br", "hr", "img", "input"}:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        (self.exempt if EXEMPT & set(self.open) else self.outside).append(data)


def live_pings(markdown: str) -> list[str]:
    """Every text outside code, pre and links, as GitHub renders `markdown`, that holds a live ping."""
    texts = TextOutsideLinks()
    texts.feed(cmarkgfm.github_flavored_markdown_to_html(markdown, options=cmarkgfm.Options.CMARK_OPT_UNSAFE))
    return [text for text in texts.outside if LIVE_PING.search(text)]


def hostile_reports(tmp_path: Path) -> tuple[Path, Path]:
    """A link report and a freshness file whose every outside text is one of HOSTILE."""
    results = []
    for n, text in enumerate(HOSTILE):
        url = f"https://site{n}.example/page"
        failing = Outcome(Status.FAILING, f"500 {text}", redirects=(f"https://elsewhere.example/{n}",))
        moved = Outcome(Status.MOVED, f"200 {text}", moved_to=f"https://x.example/{text}")
        not_checked = Outcome(Status.NOT_CHECKED, text)
        results += [
            LinkResult(url, failing),
            LinkResult(url + "/moved", moved),
            LinkResult(url + "/robots", not_checked),
            LinkResult(f"https://x.example/{text}", Outcome(Status.BLOCKED, f"403 {text}")),
        ]
    failures = {r.url: Failure("2026-11-01", "2026-11-03", 3, "x") for r in results}
    links_path = tmp_path / "report.json"
    write_report(build_report(results, failures, failures, read_settings(), "2026-11-03"), links_path)
    findings = [
        {"kind": "licence-changed", "field": "licenses.weights", "catalogue": text, "upstream": text,
         "since": "2026-11-02"}
        for text in HOSTILE
    ]  # fmt: skip
    freshness = {
        "schema_version": 1, "checked": "2026-11-03", "entries": {"medsam": findings},
        "not_checked": {"whisper": [{"field": "links.repository", "reason": text} for text in HOSTILE]},
        "thresholds": {"inactive_days": 365, "verification_days": 180},
    }  # fmt: skip
    freshness_path = tmp_path / "freshness.json"
    freshness_path.write_text(json.dumps(freshness), encoding="utf-8")
    return links_path, freshness_path


def test_the_ping_detector_finds_what_github_would_link():
    assert live_pings("hello @someone") and live_pings("fixes #12") and live_pings("see GH-3")
    assert live_pings("owner/repo#4") and live_pings("\\@escaped") and live_pings("&#64;entity")
    assert not live_pings("`@in code`") and not live_pings("<https://x.example/@user>")
    assert not live_pings("mail@example.org") and not live_pings("```\n@pre #1\n```")


def test_hostile_reason_phrases_locations_and_upstream_values_ping_no_one(github: FakeGitHub, tmp_path: Path):
    links_path, freshness_path = hostile_reports(tmp_path)
    status = main(
        ["issue", "--repo", "owner/name", "--api-url", github.url, "--links", str(links_path),
         "--freshness", str(freshness_path), "--run-url", "https://example.org/run/1"]
    )  # fmt: skip
    assert status == 0
    [issue] = github.issues.values()
    before = links.report_markdown(links.read_report(links_path)) + freshness.report_markdown(
        freshness.read_freshness(freshness_path)
    )
    assert len(live_pings(before)) >= len(HOSTILE), "the reports as written would ping"
    assert live_pings(issue["body"]) == [] and live_pings(issue["title"]) == []
    shown = cmarkgfm.github_flavored_markdown_to_html(issue["body"]).replace(WORD_JOINER, "")
    for text in ("@attacker please look", "@org/team", "owner/repo#7", "GH-42"):
        assert text in html.unescape(shown), "the text is still there to read"


def test_inert_leaves_no_ping_in_any_mix_of_markdown_syntax():
    random = Random(20)  # fixed: the same strings every run
    alphabet = "`<>|\\@#a1 \n-&;x:/"
    for _ in range(5000):
        text = "".join(random.choice(alphabet) for _ in range(random.randint(1, 30)))
        table = "| a | b |\n| --- | --- |\n| " + text.replace("\n", " ") + " |"
        assert live_pings(inert(text)) == [], repr(text)
        assert live_pings(inert(table)) == [], repr(text)


def test_a_code_span_shows_its_text_as_written_even_in_a_table():
    random = Random(21)
    for _ in range(3000):
        text = "".join(random.choice("`|\\ a*_<&@") for _ in range(random.randint(1, 12)))
        rendered = cmarkgfm.github_flavored_markdown_to_html("| h |\n| --- |\n| " + code_span(text) + " |")
        cell = re.search(r"<td><code>(.*?)</code></td>", rendered, re.DOTALL)
        expected = " ".join(text.split())
        assert (html.unescape(cell[1]) if cell else "") == expected, repr(text)


def test_text_that_cannot_be_sent_is_replaced():
    assert clean("a\ud800b\x00c\x1bd\ne\tf") == "a\ufffdb\ufffdc\ufffdd\ne\tf"
    assert inert("\udfff@x") == "\ufffd@" + WORD_JOINER + "x"


# --- A body that always fits --------------------------------------------------------


def test_the_body_fits_githubs_limit_and_points_to_the_whole_report(github: FakeGitHub, tmp_path: Path):
    results = [
        LinkResult(f"https://example.org/{n}/{'x' * 80}", Outcome(Status.FAILING, "404 Not Found"))
        for n in range(3000)
    ]
    failures = {r.url: Failure("2026-11-01", "2026-11-03", 3, "x") for r in results}
    report = tmp_path / "report.json"
    write_report(build_report(results, failures, failures, read_settings(), "2026-11-03"), report)
    assert len(links.report_markdown(links.read_report(report))) > 4 * GITHUB_BODY_LIMIT
    freshness_path = tmp_path / "freshness.json"
    finding = {"kind": "archived", "field": "links.repository", "catalogue": None, "upstream": "archived",
               "since": "2026-11-02"}  # fmt: skip
    freshness_path.write_text(
        json.dumps({"schema_version": 1, "checked": "2026-11-03", "entries": {"medsam": [finding]}}),
        encoding="utf-8",
    )
    status = main(
        ["issue", "--repo", "owner/name", "--api-url", github.url, "--links", str(report),
         "--freshness", str(freshness_path), "--run-url", "https://example.org/run/9"]
    )  # fmt: skip
    assert status == 0
    body = github.issues[1]["body"]
    assert len(body) <= GITHUB_BODY_LIMIT and len(body.encode("utf-16-le")) // 2 <= GITHUB_BODY_LIMIT
    assert body.startswith("# Link check of 2026-11-03") and "| Entry | Field | URL |" in body
    assert (
        "cut short to fit in an issue: the whole report is in the artifacts of https://example.org/run/9"
        in body
    )
    assert "## Upstream changes" in body and "### `medsam`" in body, "the small section is kept whole"
    assert live_pings(body) == []


def test_fit_keeps_small_sections_whole_and_shares_the_rest():
    small, big = "# Small\n\nall fine", "# Big\n" + "\n".join(f"line {n}" for n in range(10_000))
    body = fit([big, small, big], "\n\nfooter", "MORE", limit=2_000)
    assert len(body) <= 2_000 and body.endswith("footer") and small in body
    assert body.count("MORE") == 2 and body.startswith("# Big\nline 0\n")
    assert fit(["a", "b"], "!", "MORE") == "a\n\nb!"


# --- A failed check keeps the last good report ---------------------------------------


def test_a_failed_freshness_run_keeps_the_issue_open_with_the_last_good_section(
    github: FakeGitHub, tmp_path: Path
):
    last_good = tmp_path / "last-good"
    finding = {"kind": "licence-changed", "field": "licenses.weights", "catalogue": "Apache-2.0",
               "upstream": "cc-by-nc-4.0", "since": "2026-11-02"}  # fmt: skip

    def night(date: str, freshness_status: str, entries: dict | None) -> int:
        tonight = tmp_path / date
        tonight.mkdir()
        report = write_link_report(tonight / "report.json", date, broken=0)
        if entries is not None:
            (tonight / "freshness.json").write_text(
                json.dumps({"schema_version": 1, "checked": date, "entries": entries}), encoding="utf-8"
            )
        return main(
            ["issue", "--repo", "owner/name", "--api-url", github.url, "--links", str(report),
             "--links-status", "0", "--freshness", str(tonight / "freshness.json"),
             "--freshness-status", freshness_status, "--last-good", str(last_good), "--today", date]
        )  # fmt: skip

    assert night("2026-11-02", "1", {"medsam": [finding]}) == 0
    assert (last_good / "freshness" / "freshness.json").is_file()
    assert (last_good / "links" / "report.json").is_file()
    [issue] = github.issues.values()
    assert issue["title"] == "1 entry to re-check against upstream"

    assert night("2026-11-03", "3", None) == 0, "the freshness check failed and wrote nothing"
    assert issue["state"] == "open" and github.comments == []
    assert issue["title"] == (
        "The freshness check failed (exit status 3) on 2026-11-03 "
        "(last good report of 2026-11-02: 1 entry to re-check against upstream)"
    )
    assert "Below is its last good report, of 2026-11-02: **stale**" in issue["body"]
    assert "### `medsam`" in issue["body"] and "`cc-by-nc-4.0`" in issue["body"]

    assert night("2026-11-04", "", None) == 0, "the step was killed: no status at all"
    assert "The freshness check did not end on 2026-11-04" in issue["title"] and issue["state"] == "open"

    assert night("2026-11-05", "0", {}) == 0, "a good run with nothing to re-check closes it"
    assert issue["state"] == "closed"
    assert json.loads((last_good / "freshness" / "freshness.json").read_text())["checked"] == "2026-11-05"


def test_a_failed_check_with_no_earlier_report_opens_the_issue_saying_so(github: FakeGitHub, tmp_path: Path):
    report = write_link_report(tmp_path / "report.json", "2026-11-02", broken=0)
    status = main(
        ["issue", "--repo", "owner/name", "--api-url", github.url, "--links", str(report),
         "--freshness", str(tmp_path / "missing.json"), "--freshness-status", "3",
         "--last-good", str(tmp_path / "last-good"), "--today", "2026-11-02"]
    )  # fmt: skip
    assert status == 0
    [issue] = github.issues.values()
    assert issue["title"] == "The freshness check failed (exit status 3) on 2026-11-02"
    assert "no earlier report is kept" in issue["body"]
