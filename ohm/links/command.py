"""The `ohm links` verb: check every link and write the report.

Checks every URL of the catalogue and every link of the built site, retries
what may be transient, updates the history of failing links and writes
report.md and report.json. With --entry, checks only those models' URLs,
without the site and without history (for pull requests).

Whatever a URL or a server does, the run ends with a report within its time
budget. Exit status: 0 no new broken links, 1 new broken links, 2 the checker
could not run at all (bad settings, invalid catalogue, missing site, no
network), and then nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ohm.catalog import PROJECT_ROOT
from ohm.files import describe_error, replace_file
from ohm.nightly.files import ReportError
from ohm.nightly.options import add_today

from . import history as history_file
from .check import CheckerError, check_links
from .classify import Outcome, Status
from .report import build_report, report_markdown, write_report
from .settings import DEFAULT_CONFIG, SettingsError, read_settings
from .targets import catalogue_links

EXIT_CLEAN, EXIT_NEW_BROKEN, EXIT_CHECKER_FAILED = 0, 1, 2


def links_command(args: argparse.Namespace) -> int:
    try:
        return _check(args)
    except OSError as error:
        print(f"link check failed: {describe_error(error)}", file=sys.stderr)
        return EXIT_CHECKER_FAILED
    except (CheckerError, SettingsError, ReportError) as error:
        print(f"link check failed: {error}", file=sys.stderr)
        return EXIT_CHECKER_FAILED


def _check(args: argparse.Namespace) -> int:
    partial = bool(args.entry)
    settings = read_settings(
        args.config,
        threads=args.threads,
        timeout=args.timeout,
        per_host_rate=args.per_host_rate,
        retries=args.retries,
        backoff_seconds=args.backoff,
        broken_after_runs=args.broken_after if args.broken_after or not partial else 1,
        ca_bundle=args.ca_bundle,
        run_budget_seconds=args.budget,
        host_budget_seconds=args.host_budget,
    )
    links, problems = catalogue_links(
        args.catalogue, set(args.entry) if partial else None, allowed_hosts=args.allow_host
    )
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        raise CheckerError(f"{len(problems)} problem(s) in the catalogue; fix them first")
    site = None if partial or args.no_site else args.site
    if site is not None and not (site / "index.html").is_file():
        raise CheckerError(
            f"{site}/index.html not found: build the site first (scripts/setup.sh) or pass --no-site"
        )
    use_history = not partial and not args.no_history

    before = history_file.read_history(args.history) if use_history else {}
    worked = history_file.read_worked(args.history) if use_history else {}
    results = check_links(links, site, settings)
    for result in results:
        result.outcome = history_file.judge(result.outcome, result.url, worked)
    outcomes: dict[str, Outcome] = {result.url: result.outcome for result in results}
    after = history_file.update(before, outcomes, args.today)
    report = build_report(results, before, after, settings, args.today)

    write_report(report, args.report_dir / "report.json")
    replace_file(args.report_dir / "report.md", report_markdown(report).encode("utf-8"))
    if use_history:
        worked = history_file.update_worked(worked, outcomes, args.today)
        history_file.write_history(after, args.history, worked)
    counts = report.counts
    print(
        f"{report.unique_urls} URLs: {report.broken} broken ({report.new_broken} new), "
        f"{counts[Status.FAILING]} failing, {counts[Status.MOVED]} moved, "
        f"{counts[Status.NOT_CHECKED]} not checked"
        f"{'' if report.complete else ' (the time budget ran out)'}. Report: {args.report_dir}/report.md"
    )
    return EXIT_NEW_BROKEN if report.new_broken else EXIT_CLEAN


def add_command(commands: Any, common: list[argparse.ArgumentParser]) -> None:
    """Add `links` to the `ohm` command's verbs."""
    check = commands.add_parser(
        "links", parents=common, help="check every link of the catalogue and the site; write the report"
    )
    check.add_argument("--site", type=Path, default=PROJECT_ROOT / "site", help="built site (default: site/)")
    check.add_argument("--no-site", action="store_true", help="check the catalogue's URLs only")
    check.add_argument(
        "--entry",
        action="append",
        metavar="ID",
        help="check only this model's URLs (repeatable; no site, no history)",
    )
    check.add_argument("--report-dir", type=Path, default=PROJECT_ROOT / "reports" / "links")
    check.add_argument(
        "--history",
        type=Path,
        default=PROJECT_ROOT / "reports" / "links" / "history.json",
        help="failing links of earlier runs (read, then updated)",
    )
    check.add_argument("--no-history", action="store_true", help="neither read nor write the history")
    add_today(check)
    check.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="LinkChecker configuration")
    check.add_argument("--threads", type=int, help="concurrent checks")
    check.add_argument("--per-host-rate", type=float, help="requests per second to one host")
    check.add_argument("--timeout", type=int, help="seconds before a request times out")
    check.add_argument("--retries", type=int, help="checks again of transient failures")
    check.add_argument("--backoff", type=float, help="seconds before the first retry (doubles each time)")
    check.add_argument("--ca-bundle", help="file of certificates to trust instead of the system's")
    check.add_argument("--budget", type=float, metavar="SECONDS", help="time budget of the whole check")
    check.add_argument(
        "--host-budget", type=float, metavar="SECONDS", help="seconds of answers one host may take in all"
    )
    check.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="HOST",
        help="accept links to HOST although it is an internal address (to test against a local server)",
    )
    check.add_argument("--broken-after", type=int, help="consecutive failing runs before a link is broken")
    check.set_defaults(run=links_command)
