"""Keep one GitHub issue that tracks the nightly reports: open it, update it, close it when all is well.

    python -m ohm.links.tracking_issue --repo OWNER/NAME --report reports/links/report.json \
        --markdown reports/links/report.md [--freshness reports/freshness/freshness.json] [--run-url URL]

Reads the token from GITHUB_TOKEN and the API address from GITHUB_API_URL
(both set in GitHub Actions). The issue is found by its label, so the
nightly run updates the same issue instead of opening a new one each night.

The issue is made of Sections, one per nightly report (the link check's and
the freshness check's): it is open while any section has problems. Another
report joins with a function that reads its files into a Section, and an
argument for them.
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

from ohm.freshness.report import FreshnessError, read_freshness, report_markdown

LABEL = "broken-links"
TITLE = "Broken links in the catalogue"


class GitHubError(Exception):
    pass


class GitHub:
    """The few REST calls this needs, with plain urllib."""

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


@dataclass(frozen=True)
class Section:
    """One nightly report's part of the issue."""

    title: str  # part of the issue's title while it has problems, e.g. "Broken links in the catalogue (3)"
    markdown: str
    problems: int  # how many things need a maintainer; 0: this report is happy
    all_clear: str  # said when the issue closes, e.g. "every link works again"


def links_section(report: dict[str, Any], markdown: str) -> Section:
    broken = report["summary"]["broken"]
    return Section(f"{TITLE} ({broken})", markdown, broken, "every link works again")


def freshness_section(path: Path) -> Section:
    """The freshness check's section, from its freshness.json (ohm freshness)."""
    freshness = read_freshness(path)
    to_recheck = len(freshness["entries"])
    entries = f"{to_recheck} {'entry' if to_recheck == 1 else 'entries'}"
    return Section(
        f"{entries} to re-check against upstream",
        report_markdown(freshness),
        to_recheck,
        "every entry matches upstream",
    )


def open_tracking_issue(github: GitHub) -> int | None:
    """The number of the open tracking issue, the oldest if somehow there are several."""
    issues = github.call("GET", f"/issues?state=open&labels={LABEL}&per_page=100")
    numbers = [issue["number"] for issue in issues if "pull_request" not in issue]
    return min(numbers) if numbers else None


def sync(github: GitHub, sections: list[Section], date: str, run_url: str | None) -> str:
    """Bring the tracking issue in line with the reports of `date`; returns what was done."""
    number = open_tracking_issue(github)
    troubled = [section for section in sections if section.problems]
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", required=True, help="OWNER/NAME")
    parser.add_argument("--report", type=Path, required=True, help="report.json of the link check")
    parser.add_argument("--markdown", type=Path, required=True, help="report.md of the link check")
    parser.add_argument(
        "--freshness", type=Path, help="freshness.json of the freshness check (ohm freshness)"
    )
    parser.add_argument("--run-url", help="link to the workflow run, for the issue")
    parser.add_argument("--api-url", default=os.environ.get("GITHUB_API_URL", "https://api.github.com"))
    args = parser.parse_args(argv)
    token = os.environ.get("GITHUB_TOKEN")
    if not token:
        print("GITHUB_TOKEN is not set", file=sys.stderr)
        return 2
    try:
        report = json.loads(args.report.read_text(encoding="utf-8"))
        sections = [links_section(report, args.markdown.read_text(encoding="utf-8"))]
        if args.freshness:
            sections.append(freshness_section(args.freshness))
        print(sync(GitHub(args.api_url, args.repo, token), sections, report["date"], args.run_url))
    except (OSError, ValueError, KeyError, GitHubError, FreshnessError) as error:
        print(f"tracking issue not updated: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
