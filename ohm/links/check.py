"""One run of the link check: LinkChecker over everything, then retries of what may be transient."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

from ohm.catalog import PROJECT_ROOT

from .classify import Outcome, classify
from .serve import serve_directory
from .settings import Settings
from .targets import Occurrence


class CheckerError(Exception):
    """The checker itself failed (not a link): the run proves nothing about the links."""


@dataclass
class LinkResult:
    url: str  # as written in the catalogue, or "/path/" for a page of our own site
    outcome: Outcome
    internal: bool = False
    found_on: str | None = None  # the first page linking to it, for links found on the site
    occurrences: list[Occurrence] = field(default_factory=list)
    attempts: int = 1


def check_links(
    links: dict[str, list[Occurrence]],
    site_dir: Path | None,
    settings: Settings,
    sleep: Callable[[float], None] = time.sleep,
) -> list[LinkResult]:
    """Check the catalogue's `links` and, if given, every link of the site built in `site_dir`."""
    serving = serve_directory(site_dir) if site_dir is not None else nullcontext(None)
    with serving as site_url:
        site_urls = [site_url] if site_url else []
        unthrottled = {urlsplit(site_url).netloc} if site_url else set()
        raw = run_engine(site_urls, sorted(links), settings, unthrottled)
        results = _collect(raw, site_url, links, settings)
        _retry_transient(results, site_url, settings, unthrottled, sleep)
    if _network_looks_down(results.values()):
        raise CheckerError("no external host answered at all: this machine's network looks down")
    return sorted(results.values(), key=lambda result: (not result.internal, result.url))


def _network_looks_down(results: Iterable[LinkResult]) -> bool:
    """True when several external hosts were tried and not one gave any HTTP answer.

    Such a run says nothing about the links; counting it as a failing night
    for every link would be crying wolf.
    """
    answered, silent = set(), set()
    for result in results:
        if not result.internal:
            host = urlsplit(result.url).netloc
            (answered if result.outcome.answered else silent).add(host)
    return len(silent) >= 2 and not answered


def _retry_transient(
    results: dict[str, LinkResult],
    site_url: str | None,
    settings: Settings,
    unthrottled: set[str],
    sleep: Callable[[float], None],
) -> None:
    for attempt in range(1, settings.retries + 1):
        waits = {
            key: _wait_before_retry(result.outcome, attempt, settings) for key, result in results.items()
        }
        retry = {key: wait for key, wait in waits.items() if wait is not None}
        if not retry:
            return
        sleep(max(retry.values()))
        absolute = {_absolute(key, site_url): key for key in retry}
        raw = run_engine([], sorted(absolute), settings, unthrottled)
        for key, outcome in _outcomes_by_start(raw, settings).items():
            result = results[absolute[key]]
            result.outcome = outcome
            result.attempts += 1


def _wait_before_retry(outcome: Outcome, attempt: int, settings: Settings) -> float | None:
    """Seconds to wait before checking again, or None when another check is pointless."""
    if not outcome.transient:
        return None
    wait = settings.backoff_seconds * 2 ** (attempt - 1)
    if outcome.retry_after is not None:
        if outcome.retry_after > settings.max_retry_after_seconds:
            return None
        wait = max(wait, outcome.retry_after)
    return wait


def _absolute(key: str, site_url: str | None) -> str:
    return site_url.rstrip("/") + key if site_url and key.startswith("/") else key


def _collect(
    raw: list[dict[str, Any]], site_url: str | None, links: dict[str, list[Occurrence]], settings: Settings
) -> dict[str, LinkResult]:
    starts = _start_urls(raw)
    results: dict[str, LinkResult] = {}
    for line in raw:
        if "start" in line or line["cache_url"].startswith("data:"):
            continue  # data: URLs (the theme's inline icons) hold their content: nothing to check
        key = starts.get(line["cache_url"]) or _site_relative(line["cache_url"], site_url)
        internal = key.startswith("/")
        parent = urldefrag(line.get("parent_url") or "").url
        found_on = _site_relative(parent, site_url) if parent else None
        results[key] = LinkResult(
            url=key,
            outcome=classify(line, settings.bot_walled_hosts),
            internal=internal,
            found_on=None if key in links else found_on,
            occurrences=links.get(key, []),
        )
    missing = sorted(set(links) - set(results))
    if missing:
        raise CheckerError(f"LinkChecker returned no result for {len(missing)} URL(s), e.g. {missing[0]}")
    return results


def _start_urls(raw: list[dict[str, Any]]) -> dict[str, str]:
    """LinkChecker's cache key of each URL we handed it -> that URL as we wrote it."""
    return {line["cache_url"]: line["start"] for line in raw if "start" in line}


def _outcomes_by_start(raw: list[dict[str, Any]], settings: Settings) -> dict[str, Outcome]:
    starts = _start_urls(raw)
    return {
        starts[line["cache_url"]]: classify(line, settings.bot_walled_hosts)
        for line in raw
        if "start" not in line and line["cache_url"] in starts
    }


def _site_relative(url: str, site_url: str | None) -> str:
    if site_url and url.startswith(site_url):
        return "/" + url[len(site_url) :]
    return url


def run_engine(
    site_urls: list[str], extern_urls: list[str], settings: Settings, unthrottled_hosts: set[str]
) -> list[dict[str, Any]]:
    """Run LinkChecker in a child process (see engine.py) and return its result lines."""
    job = {
        "config_file": str(settings.config_file),
        "site_urls": site_urls,
        "extern_urls": extern_urls,
        "checking": settings.linkchecker_options(),
        "per_host_rate": settings.per_host_rate,
        "unthrottled_hosts": sorted(unthrottled_hosts),
        "linkchecker_throttle": settings.linkchecker_throttle,
    }
    with tempfile.TemporaryDirectory(prefix="linkcheck-") as scratch:
        job_file, results_file = Path(scratch, "job.json"), Path(scratch, "results.jsonl")
        job_file.write_text(json.dumps(job), encoding="utf-8")
        process = subprocess.run(
            [sys.executable, "-m", "ohm.links.engine", str(job_file), str(results_file)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
        )
        stderr = process.stderr.strip()
        if process.returncode != 0 or "internal error" in stderr:
            last_line = stderr.splitlines()[-1] if stderr else "no error output"
            raise CheckerError(f"LinkChecker failed (exit status {process.returncode}): {last_line}")
        lines = results_file.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]
