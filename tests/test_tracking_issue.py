"""`ohm issue` against a fake GitHub API on 127.0.0.1: one issue, updated, then closed."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ohm.cli import main
from ohm.links.check import LinkResult
from ohm.links.classify import Outcome, Status
from ohm.links.report import build_report, write_report
from ohm.links.settings import read_settings
from ohm.nightly.issue import LABEL, GitHub, Section, sync


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
