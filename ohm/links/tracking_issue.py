"""Keep one GitHub issue that tracks broken links: open it, update it, close it when all is well.

    python -m ohm.links.tracking_issue --repo OWNER/NAME --report reports/links/report.json \
        --markdown reports/links/report.md [--freshness reports/freshness/freshness.json] [--run-url URL]

Reads the token from GITHUB_TOKEN and the API address from GITHUB_API_URL
(both set in GitHub Actions). The issue is found by its label, so the
nightly run updates the same issue instead of opening a new one each night.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from ohm.freshness.report import FreshnessError, TrackingSection, tracking_section

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


def open_tracking_issue(github: GitHub) -> int | None:
    """The number of the open tracking issue, the oldest if somehow there are several."""
    issues = github.call("GET", f"/issues?state=open&labels={LABEL}&per_page=100")
    numbers = [issue["number"] for issue in issues if "pull_request" not in issue]
    return min(numbers) if numbers else None


def sync(
    github: GitHub,
    report: dict[str, Any],
    markdown: str,
    run_url: str | None,
    freshness: TrackingSection | None = None,
) -> str:
    """Bring the tracking issue in line with the report (and the freshness check's); returns what was done."""
    number = open_tracking_issue(github)
    broken = report["summary"]["broken"]
    footer = f"\n\n---\nUpdated by the nightly link check of {report['date']}" + (
        f": {run_url}" if run_url else "."
    )
    if freshness is not None:  # upstream changes keep the same issue open, in a section of their own
        markdown += freshness.markdown
    if broken or (freshness is not None and freshness.entries_to_recheck):
        title = f"{TITLE} ({broken})" + (freshness.title_part if freshness is not None else "")
        body = {"title": title, "body": markdown + footer}
        if number is None:
            created = github.call("POST", "/issues", {**body, "labels": [LABEL]})
            return f"opened issue #{created['number']}"
        github.call("PATCH", f"/issues/{number}", body)
        return f"updated issue #{number}"
    if number is None:
        return "no broken links and no open issue: nothing to do"
    works = "works and every entry matches upstream" if freshness is not None else "works again"
    comment = f"Every link {works} as of {report['date']}" + (f" ({run_url})." if run_url else ".")
    github.call("POST", f"/issues/{number}/comments", {"body": comment})
    github.call("PATCH", f"/issues/{number}", {"state": "closed", "state_reason": "completed"})
    return f"closed issue #{number}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", required=True, help="OWNER/NAME")
    parser.add_argument("--report", type=Path, required=True, help="report.json of the link check")
    parser.add_argument("--markdown", type=Path, required=True, help="report.md of the link check")
    parser.add_argument("--run-url", help="link to the workflow run, for the issue")
    parser.add_argument("--freshness", type=Path, help="freshness.json of `ohm freshness`: its section")
    parser.add_argument("--api-url", default=os.environ.get("GITHUB_API_URL", "https://api.github.com"))
    args = parser.parse_args(argv)
    token = os.environ.get("GITHUB_TOKEN")
    if not token:
        print("GITHUB_TOKEN is not set", file=sys.stderr)
        return 2
    try:
        report = json.loads(args.report.read_text(encoding="utf-8"))
        markdown = args.markdown.read_text(encoding="utf-8")
        freshness = tracking_section(args.freshness) if args.freshness else None
        print(sync(GitHub(args.api_url, args.repo, token), report, markdown, args.run_url, freshness))
    except (OSError, ValueError, KeyError, GitHubError, FreshnessError) as error:
        print(f"tracking issue not updated: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
