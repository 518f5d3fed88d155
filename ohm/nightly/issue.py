"""The `ohm issue` verb: keep one GitHub issue in line with the nightly reports.

    ohm issue --repo OWNER/NAME --links reports/links/report.json \
        [--freshness reports/freshness/freshness.json] [--run-url URL]

The issue is made of Sections, one per nightly report (the link check's and
the freshness check's): it is opened when any section has problems, updated
each night while one has, and closed with a comment once none has. It is
found by its label, so every night updates the same issue instead of opening
a new one. Another report joins with a function that makes its Section and
an option that names its file.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ohm.freshness import report as freshness
from ohm.links import report as links

from .files import ReportError

LABEL = "broken-links"
LINKS_TITLE = "Broken links in the catalogue"
EXIT_DONE, EXIT_FAILED = 0, 2


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


def sync(github: GitHub, sections: list[Section], date: str, run_url: str | None) -> str:
    """Bring the tracking issue in line with the reports of `date`; returns what was done."""
    number = open_tracking_issue(github)
    troubled = [section for section in sections if section.has_problems]
    footer = f"\n\n---\nUpdated by the nightly check of {date}" + (f": {run_url}" if run_url else ".")
    if troubled:
        title = "; ".join(section.title for section in troubled)
        markdown = "\n\n".join(section.markdown.rstrip() for section in sections)
        body = {"title": title, "body": markdown + footer}
        if number is None:
            created = github.call("POST", "/issues", {**body, "labels": [LABEL]})
            return f"opened issue #{created['number']}"
        github.call("PATCH", f"/issues/{number}", body)
        return f"updated issue #{number}"
    if number is None:
        return "nothing to report and no open issue: nothing to do"
    all_clear = "; ".join(section.all_clear for section in sections)
    comment = f"{all_clear[:1].upper()}{all_clear[1:]} as of {date}" + (f" ({run_url})." if run_url else ".")
    github.call("POST", f"/issues/{number}/comments", {"body": comment})
    github.call("PATCH", f"/issues/{number}", {"state": "closed", "state_reason": "completed"})
    return f"closed issue #{number}"


def issue_command(args: argparse.Namespace) -> int:
    token = os.environ.get("GITHUB_TOKEN")
    if not token:
        print("tracking issue not updated: GITHUB_TOKEN is not set", file=sys.stderr)
        return EXIT_FAILED
    try:
        link_report = links.read_report(args.links)
        sections = [links_section(link_report)]
        if args.freshness:
            sections.append(freshness_section(freshness.read_freshness(args.freshness)))
        print(sync(GitHub(args.api_url, args.repo, token), sections, link_report.date, args.run_url))
    except (ReportError, GitHubError) as error:
        print(f"tracking issue not updated: {error}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_DONE


def add_command(commands: Any, common: list[argparse.ArgumentParser]) -> None:
    """Add `issue` to the `ohm` command's verbs (it reads reports, not the catalogue: `common` is unused)."""
    issue = commands.add_parser(
        "issue",
        help="open, update or close the GitHub issue that tracks the nightly reports",
        description="Keep one GitHub issue in line with the nightly reports: open, update or close it.",
    )
    issue.add_argument("--repo", required=True, help="OWNER/NAME")
    issue.add_argument(
        "--links", type=Path, required=True, metavar="FILE", help="report.json of the link check (ohm links)"
    )
    issue.add_argument(
        "--freshness", type=Path, metavar="FILE", help="freshness.json of the freshness check (ohm freshness)"
    )
    issue.add_argument("--run-url", help="link to the workflow run, for the issue")
    issue.add_argument(
        "--api-url",
        default=os.environ.get("GITHUB_API_URL", "https://api.github.com"),
        help="GitHub's REST API (default: GITHUB_API_URL, else https://api.github.com)",
    )
    issue.set_defaults(run=issue_command)
