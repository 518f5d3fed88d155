"""The `ohm freshness` verb: has upstream changed since each entry was verified?

Asks the Hugging Face Hub and GitHub about every entry, compares, updates the
history of findings and writes freshness.json and report.md (the section the
nightly report and the tracking issue show). Tokens come from HF_TOKEN and
GITHUB_TOKEN when set.

Exit status: 0 no new findings, 1 new findings, both with the report written;
2 the check itself failed (bad options, invalid catalogue, unreadable history,
a report that cannot be written, a bug), with one line on standard error and
nothing written. Whatever upstream answers, or fails to, is never an error:
it is reported as "not checked", and the run ends within its time budget.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from ohm.catalog import PROJECT_ROOT
from ohm.files import replace_file
from ohm.nightly.files import ReportError
from ohm.nightly.options import add_today

from . import history as history_file
from .check import check_entries
from .client import Api, ApiLimits, ClientSettings, ResponseCache
from .entries import read_entries
from .findings import Thresholds
from .report import build_freshness, report_markdown, write_freshness

EXIT_CLEAN, EXIT_NEW_FINDINGS, EXIT_CHECK_FAILED = 0, 1, 2

REPORT_DIR = PROJECT_ROOT / "reports" / "freshness"
HUB_API = "https://huggingface.co"
GITHUB_API = "https://api.github.com"
GITHUB_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}

# The APIs' published limits, and what one run takes of them (README, "How much a night asks"):
# - Hub API requests, per 5-minute window: 500 per IP address without a token, 1,000 for a free
#   user's token (https://huggingface.co/docs/hub/rate-limits); whether a 304 counts is not
#   documented, so every request counts. Paced below both: 1.5 or 3 a second.
# - GitHub REST: 1,000 requests an hour for a workflow's GITHUB_TOKEN, 5,000 for a personal token;
#   a 304 does not count (docs.github.com, "Rate limits for the REST API" and "Best practices").
#   A run spends at most 900 counted requests by default (--github-budget), one night's worth.
HUB_RATE = {False: 1.5, True: 3.0}  # requests a second, without and with HF_TOKEN
GITHUB_RATE = 10.0  # well below GitHub's secondary limit of 900 points a minute
GITHUB_BUDGET = 900
WORKERS = 4
TIME_BUDGET = 600.0  # seconds: the nightly step allows 15 minutes


def freshness_command(args: argparse.Namespace) -> int:
    try:
        return _check(args)
    except (ReportError, OSError) as error:
        print(f"freshness check failed: {error}", file=sys.stderr)
    except Exception as error:  # a bug: still one line, and an exit status the workflows read as failure
        print(
            f"freshness check failed: error of the check ({type(error).__name__}: {error})", file=sys.stderr
        )
    return EXIT_CHECK_FAILED


def _check(args: argparse.Namespace) -> int:
    entries, problems = read_entries(args.catalogue)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(
            f"freshness check failed: {len(problems)} problem(s) in the catalogue; fix them first",
            file=sys.stderr,
        )
        return EXIT_CHECK_FAILED
    history_path = args.history or args.report_dir / "history.json"
    cache_path = args.cache or args.report_dir / "cache.json"
    before = {} if args.no_history else history_file.read_history(history_path)
    cache = ResponseCache() if args.no_cache else ResponseCache.read(cache_path)
    settings = ClientSettings(
        timeout=args.timeout,
        retries=args.retries,
        backoff_seconds=args.backoff,
        give_up_after=args.give_up_after,
        max_body_bytes=args.max_body,
    )
    hf_token = os.environ.get("HF_TOKEN")
    hub_limits = ApiLimits(
        workers=args.workers, rate=HUB_RATE[bool(hf_token)] if args.hub_rate is None else args.hub_rate
    )
    github_limits = ApiLimits(
        workers=args.workers, rate=args.github_rate, budget=args.github_budget or None, free_not_modified=True
    )
    hub = Api("Hugging Face", args.hf_api, hf_token, cache, settings, limits=hub_limits)
    github = Api(
        "GitHub",
        args.github_api,
        os.environ.get("GITHUB_TOKEN"),
        cache,
        settings,
        GITHUB_HEADERS,
        github_limits,
    )
    thresholds = Thresholds(inactive_days=args.inactive_after, verification_days=args.verification_due_after)

    results = check_entries(entries, hub, github, thresholds, args.today, args.time_budget or None)
    partly_checked = {result.entry.id for result in results if result.not_checked}
    after = history_file.update(
        before, {result.entry.id: result.findings for result in results}, partly_checked, args.today
    )
    freshness = build_freshness(results, after, thresholds, args.today)

    write_freshness(freshness, args.report_dir / "freshness.json")
    replace_file(args.report_dir / "report.md", report_markdown(freshness).encode("utf-8"))
    if not args.no_history:
        history_file.write_history(after, history_path)
    if not args.no_cache:
        cache.write(cache_path)

    new = sum(
        1
        for result in results
        for finding in result.findings
        if history_file.key(finding) not in before.get(result.entry.id, {})
    )
    findings = sum(len(result.findings) for result in results)
    print(
        f"{len(results)} entries: {findings} findings on {len(freshness.entries)} entries "
        f"({new} new), {len(partly_checked)} not fully checked, {len(freshness.not_reached)} not reached "
        f"this run; {hub.requests + github.requests} answers from upstream, "
        f"{hub.not_modified + github.not_modified} unchanged (304). Report: {args.report_dir}/report.md"
    )
    return EXIT_NEW_FINDINGS if new else EXIT_CLEAN


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number (1 or more)")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds")
    return value


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number (0 or more)")
    return int(text)


def add_command(commands: Any, common: list[argparse.ArgumentParser]) -> None:
    """Add `freshness` to the `ohm` command's verbs."""
    check = commands.add_parser(
        "freshness",
        parents=common,
        help="compare each entry with its Hugging Face card and GitHub repository; write the report",
        description=__doc__.split("\n\n")[0],
    )
    thresholds = Thresholds()
    client = ClientSettings()
    check.add_argument(
        "--report-dir", type=Path, default=REPORT_DIR, help="where freshness.json and report.md go"
    )
    check.add_argument(
        "--history", type=Path, help="findings of earlier runs (default: REPORT_DIR/history.json)"
    )
    check.add_argument("--no-history", action="store_true", help="neither read nor write the history")
    check.add_argument("--cache", type=Path, help="ETags of earlier answers (default: REPORT_DIR/cache.json)")
    check.add_argument("--no-cache", action="store_true", help="no conditional requests")
    add_today(check)
    check.add_argument(
        "--hf-api", default=HUB_API, metavar="URL", help=f"Hugging Face Hub (default: {HUB_API})"
    )
    check.add_argument(
        "--github-api", default=GITHUB_API, metavar="URL", help=f"GitHub REST API (default: {GITHUB_API})"
    )
    check.add_argument(
        "--inactive-after",
        type=_positive,
        default=thresholds.inactive_days,
        metavar="DAYS",
        help="days without upstream activity before an entry is inactive (default: %(default)s)",
    )
    check.add_argument(
        "--verification-due-after",
        type=_positive,
        default=thresholds.verification_days,
        metavar="DAYS",
        help="days after `verified` before an entry is due for verification (default: %(default)s)",
    )
    check.add_argument(
        "--timeout", type=_seconds, default=client.timeout, help="seconds per request (default: %(default)s)"
    )
    check.add_argument(
        "--retries",
        type=_count,
        default=client.retries,
        help="more attempts after a failure (default: %(default)s)",
    )
    check.add_argument(
        "--backoff",
        type=_seconds,
        default=client.backoff_seconds,
        help="seconds before the first retry, doubling (default: %(default)s)",
    )
    check.add_argument(
        "--give-up-after",
        type=_positive,
        default=client.give_up_after,
        metavar="N",
        help="failed requests in a row before an API is not asked again this run (default: %(default)s)",
    )
    check.add_argument(
        "--time-budget",
        type=_seconds,
        default=TIME_BUDGET,
        metavar="SECONDS",
        help="the whole run's time; what it did not reach is compared with its last answers "
        "(0: none; default: %(default)s)",
    )
    check.add_argument(
        "--workers", type=_positive, default=WORKERS, help="requests at once per API (default: %(default)s)"
    )
    check.add_argument(
        "--hub-rate",
        type=_seconds,
        metavar="PER_SECOND",
        help=f"Hub requests a second at most (default: {HUB_RATE[False]:g}, "
        f"with HF_TOKEN {HUB_RATE[True]:g}; 0: no pacing)",
    )
    check.add_argument(
        "--github-rate",
        type=_seconds,
        default=GITHUB_RATE,
        metavar="PER_SECOND",
        help="GitHub requests a second at most (0: no pacing; default: %(default)s)",
    )
    check.add_argument(
        "--github-budget",
        type=_count,
        default=GITHUB_BUDGET,
        metavar="N",
        help="GitHub requests counted against its rate limit per run (0: no budget; default: %(default)s)",
    )
    check.add_argument(
        "--max-body",
        type=_positive,
        default=client.max_body_bytes,
        metavar="BYTES",
        help="the largest answer read (default: %(default)s)",
    )
    check.set_defaults(run=freshness_command)
