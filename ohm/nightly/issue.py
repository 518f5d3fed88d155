"""The `ohm issue` verb: keep one GitHub issue in line with the nightly reports.

    ohm issue --repo OWNER/NAME --links reports/links/report.json [--links-status N] \
        [--freshness reports/freshness/freshness.json] [--freshness-status N] \
        [--last-good reports/last-good] [--run-url URL]

The issue is made of Sections, one per nightly check (the link check's and
the freshness check's): it is opened when any section has problems, updated
each night while one has, and closed with a comment once none has. It is
found by its label, so every night updates the same issue instead of opening
a new one. Another check joins with an entry in CHECKS and its options.

A check that failed (`--links-status` / `--freshness-status`: the exit status
of its verb, anything but "clean" or "findings", or empty when the step was
killed) says so in its section, which then shows the last good report from
`--last-good DIR`, marked stale with its date, and counts as a problem: a
failed check never closes the issue nor empties its section. A report of a
check that ran is kept in DIR as the new last good one.

Everything in the body is made inert for GitHub's mentions and issue
references (ohm.nightly.markdown), and the body is cut to fit GitHub's
limit, pointing to the run's artifacts for the whole report.

The token is read from GITHUB_TOKEN and the API's address from GITHUB_API_URL
(both set in GitHub Actions). Exit status: 0 done, 2 the issue could not be
brought in line (no token, an unusable report, the API failing).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ohm.files import describe_error, replace_file
from ohm.freshness import command as freshness_command
from ohm.freshness import report as freshness
from ohm.links import command as links_command
from ohm.links import report as links
from ohm.nightly.options import add_today

from .files import ReportError
from .markdown import fit, inert

LABEL = "broken-links"
LINKS_TITLE = "Broken links in the catalogue"
EXIT_DONE, EXIT_FAILED = 0, 2
DID_NOT_END = -1  # the status of a check whose step was killed before it could record one


@dataclass(frozen=True)
class Section:
    """One nightly report's part of the issue."""

    title: str  # part of the issue's title while it has problems, e.g. "Broken links in the catalogue (3)"
    markdown: str
    has_problems: bool  # something needs a maintainer; False: this report is happy
    all_clear: str  # said when the issue closes, e.g. "every link works again"


def links_section(report: links.LinkReport) -> Section:
    return Section(
        f"{LINKS_TITLE} ({report.broken})",
        links.report_markdown(report),
        report.broken > 0,
        "every link works again",
    )


def freshness_section(report: freshness.FreshnessReport) -> Section:
    to_recheck = len(report.entries)
    return Section(
        f"{to_recheck} {'entry' if to_recheck == 1 else 'entries'} to re-check against upstream",
        freshness.report_markdown(report),
        to_recheck > 0,
        "every entry matches upstream",
    )


@dataclass(frozen=True)
class Check:
    """A nightly check as the issue sees it: how to read its report, and which exit statuses mean it ran."""

    name: str  # its options are --NAME and --NAME-status
    label: str  # "The link check"
    last_good: str  # its report's path inside the --last-good folder
    ran: frozenset[int]  # exit statuses of its verb after which its report is tonight's
    read: Callable[[Path], tuple[Section, str]]  # its report's Section and date; ReportError if unusable


def _read_links(path: Path) -> tuple[Section, str]:
    report = links.read_report(path)
    return links_section(report), report.date


def _read_freshness(path: Path) -> tuple[Section, str]:
    report = freshness.read_freshness(path)
    return freshness_section(report), report.checked


CHECKS = (
    Check(
        "links",
        "The link check",
        "links/report.json",
        frozenset({links_command.EXIT_CLEAN, links_command.EXIT_NEW_BROKEN}),
        _read_links,
    ),
    Check(
        "freshness",
        "The freshness check",
        "freshness/freshness.json",
        frozenset({freshness_command.EXIT_CLEAN, freshness_command.EXIT_NEW_FINDINGS}),
        _read_freshness,
    ),
)


def check_section(
    check: Check, report: Path | None, status: int | None, last_good: Path | None, today: str
) -> tuple[Section, str] | None:
    """The section of `check` tonight and the day it speaks for: its report if it ran, else its
    last good one marked stale (and `today`).

    None when the check was not run at all (no report, no status). A report
    of a check that ran becomes the last good one.
    """
    kept = last_good / check.last_good if last_good else None
    if status is None or status in check.ran:
        if report is None:
            return None
        section, date = check.read(report)
        if kept is not None:
            replace_file(kept, report.read_bytes())
        return section, date
    why = "did not end" if status == DID_NOT_END else f"failed (exit status {status})"
    failed = f"{check.label} {why} on {today}"
    if kept is None or not kept.exists():
        markdown = f"# {check.label}\n\n**{failed}**, and no earlier report is kept: see the run's log.\n"
        return Section(failed, markdown, True, ""), today
    section, date = check.read(kept)
    note = f"> **{failed}.** Below is its last good report, of {date}: **stale**, see the run's log.\n\n"
    stale = replace(
        section,
        title=f"{failed} (last good report of {date}: {section.title})",
        markdown=note + section.markdown,
        has_problems=True,
    )
    return stale, today


class GitHubError(Exception):
    pass


class GitHub:
    """The few calls of GitHub's REST API on one repository that the issue needs, with plain urllib."""

    def __init__(self, api_url: str, repo: str, token: str):
        self.base = f"{api_url.rstrip('/')}/repos/{repo}"
        self.token = token

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {self.token}",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": "OpenHealthModels-LinkCheck",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raise GitHubError(f"{method} {path}: {error.code} {error.reason}") from None
        except urllib.error.URLError as error:
            raise GitHubError(f"{method} {path}: {error.reason}") from None
        except (OSError, ValueError) as error:  # a connection cut short, an answer that is not JSON
            raise GitHubError(f"{method} {path}: {error}") from None


def open_tracking_issue(github: GitHub) -> int | None:
    """The number of the open tracking issue, the oldest if somehow there are several."""
    issues = github.call("GET", f"/issues?state=open&labels={LABEL}&per_page=100")
    numbers = [issue["number"] for issue in issues if "pull_request" not in issue]
    return min(numbers) if numbers else None


def issue_body(sections: list[Section], date: str, run_url: str | None) -> str:
    """The issue's body: every section, inert for GitHub's autolinking, cut to fit GitHub's limit."""
    footer = f"\n\n---\nUpdated by the nightly check of {date}" + (f": {run_url}" if run_url else ".")
    where = f"in the artifacts of {run_url}" if run_url else "in the artifacts of the nightly run"
    more = f"*… cut short to fit in an issue: the whole report is {where}.*"
    return fit([inert(section.markdown.rstrip()) for section in sections], inert(footer), inert(more))


def sync(github: GitHub, sections: list[Section], date: str, run_url: str | None) -> str:
    """Bring the tracking issue in line with the reports of `date`; returns what was done."""
    number = open_tracking_issue(github)
    troubled = [section for section in sections if section.has_problems]
    if troubled:
        title = inert("; ".join(section.title for section in troubled))
        body = {"title": title, "body": issue_body(sections, date, run_url)}
        if number is None:
            created = github.call("POST", "/issues", {**body, "labels": [LABEL]})
            return f"opened issue #{created['number']}"
        github.call("PATCH", f"/issues/{number}", body)
        return f"updated issue #{number}"
    if number is None:
        return "nothing to report and no open issue: nothing to do"
    all_clear = "; ".join(section.all_clear for section in sections)
    comment = f"{all_clear[:1].upper()}{all_clear[1:]} as of {date}" + (f" ({run_url})." if run_url else ".")
    github.call("POST", f"/issues/{number}/comments", {"body": inert(comment)})
    github.call("PATCH", f"/issues/{number}", {"state": "closed", "state_reason": "completed"})
    return f"closed issue #{number}"


def issue_command(args: argparse.Namespace) -> int:
    token = os.environ.get("GITHUB_TOKEN")
    if not token:
        print("tracking issue not updated: GITHUB_TOKEN is not set", file=sys.stderr)
        return EXIT_FAILED
    try:
        found = []
        for check in CHECKS:
            report, status = getattr(args, check.name), _exit_status(getattr(args, f"{check.name}_status"))
            section = check_section(check, report, status, args.last_good, args.today)
            if section is not None:
                found.append(section)
        if not found:
            print("tracking issue not updated: no report given (--links, --freshness)", file=sys.stderr)
            return EXIT_FAILED
        sections = [section for section, _date in found]
        date = found[0][1]  # the first report's day, as the checks were given it (--today)
        print(sync(GitHub(args.api_url, args.repo, token), sections, date, args.run_url))
    except (ReportError, GitHubError) as error:
        print(f"tracking issue not updated: {error}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as error:
        print(f"tracking issue not updated: {describe_error(error)}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_DONE


def _exit_status(text: str | None) -> int | None:
    """A check's exit status as its step recorded it; empty (the step was killed) is DID_NOT_END.

    Read here rather than by the option's parser, so that the workflow's command
    line, with its shell variables, can be checked against the options offline.
    """
    if text is None:
        return None
    if not text.strip():
        return DID_NOT_END
    try:
        return int(text)
    except ValueError:
        raise ReportError(f"exit status {text!r} is not a number") from None


def add_command(commands: Any, common: list[argparse.ArgumentParser]) -> None:
    """Add `issue` to the `ohm` command's verbs (it reads reports, not the catalogue: `common` is unused)."""
    issue = commands.add_parser(
        "issue",
        help="open, update or close the GitHub issue that tracks the nightly reports",
        description="Keep one GitHub issue in line with the nightly reports: open, update or close it.",
    )
    issue.add_argument("--repo", required=True, help="OWNER/NAME")
    issue.add_argument("--links", type=Path, metavar="FILE", help="report.json of the link check (ohm links)")
    issue.add_argument(
        "--freshness", type=Path, metavar="FILE", help="freshness.json of the freshness check (ohm freshness)"
    )
    for check in CHECKS:
        issue.add_argument(
            f"--{check.name}-status",
            metavar="N",
            help=f"exit status of `ohm {check.name}` tonight (empty: it did not end); "
            "if it failed, its last good report is shown, marked stale",
        )
    issue.add_argument(
        "--last-good",
        type=Path,
        metavar="DIR",
        help="folder of each check's last good report: read when a check failed, updated when it ran",
    )
    add_today(issue)
    issue.add_argument("--run-url", help="link to the workflow run, for the issue")
    issue.add_argument(
        "--api-url",
        default=os.environ.get("GITHUB_API_URL", "https://api.github.com"),
        help="GitHub's REST API (default: GITHUB_API_URL, else https://api.github.com)",
    )
    issue.set_defaults(run=issue_command)
