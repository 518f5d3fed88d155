"""One run of the link check: LinkChecker crawls our site, web.py checks every external URL.

Everything shares one deadline (`run_budget_seconds` from the start): what
was not checked by then is reported as such, and the run still ends with
a result for every URL.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from ohm.catalog import PROJECT_ROOT

from .classify import Outcome, Status, classify
from .serve import serve_directory
from .settings import Settings
from .targets import Occurrence
from .web import check_urls


class CheckerError(Exception):
    """The checker could not run at all: the run proves nothing about the links."""


@dataclass
class LinkResult:
    url: str  # as written in the catalogue or on a page, or "/path/" for a page of our own site
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
    deadline = time.monotonic() + settings.run_budget_seconds
    results: dict[str, LinkResult] = {}
    found_on: dict[str, str] = {}  # external URL found on the site -> the first page linking to it
    if site_dir is not None:
        with serve_directory(site_dir) as site_url:
            raw, failure = crawl_site(site_url, settings, deadline)
        for result in _site_results(raw, site_url, found_on):
            results[result.url] = result
        if failure:
            results["/"] = LinkResult("/", Outcome(Status.ERROR, failure), internal=True)
    external = set(links) | set(found_on)
    for url, checked in check_urls(external, settings, deadline, sleep).items():
        results[url] = LinkResult(
            url=url,
            outcome=checked.outcome,
            found_on=None if url in links else found_on[url],
            occurrences=links.get(url, []),
            attempts=checked.attempts,
        )
    if _network_looks_down(results.values()):
        raise CheckerError("no external host answered at all: this machine's network looks down")
    return sorted(results.values(), key=lambda result: (not result.internal, result.url))


def _network_looks_down(results: Iterable[LinkResult]) -> bool:
    """True when several external hosts were tried and not one gave any HTTP answer.

    Such a run says nothing about the links; counting it as a failing night
    for every link would be crying wolf.
    """
    answered: set[str] = set()
    silent: set[str] = set()
    for result in results:
        if not result.internal:
            host = urlsplit(result.url).netloc
            (answered if result.outcome.answered else silent).add(host)
    return len(silent) >= 2 and not answered


def _site_results(raw: list[dict[str, Any]], site_url: str, found_on: dict[str, str]) -> list[LinkResult]:
    """Results for our own pages; external links go into `found_on`, to be checked by web.py."""
    results = []
    for line in raw:
        parent = urldefrag(line.get("parent_url") or "").url
        page = _site_relative(parent, site_url) if parent else None
        if line["extern"]:
            href = urljoin(line.get("parent_url") or "", line.get("base_url") or line["url"])
            if href.startswith(("https://", "http://")) and page is not None:
                found_on.setdefault(href, page)
            continue  # mailto:, data: (the theme's inline icons) and the like hold nothing to check
        if line["cache_url"].startswith("data:"):
            continue
        key = _site_relative(line["cache_url"], site_url)
        results.append(LinkResult(key, classify(line), internal=True, found_on=page))
    return results


def _site_relative(url: str, site_url: str) -> str:
    if url.startswith(site_url):
        return "/" + url[len(site_url) :]
    return url


def crawl_site(site_url: str, settings: Settings, deadline: float) -> tuple[list[dict[str, Any]], str | None]:
    """LinkChecker's results for every link of the site served at `site_url` (see engine.py).

    Also returns why the crawl went wrong, if it did; what it found until then is kept.
    """
    job = {
        "config_file": str(settings.config_file),
        "site_url": site_url,
        "checking": settings.linkchecker_options(),
    }
    failure = None
    with tempfile.TemporaryDirectory(prefix="linkcheck-") as scratch:
        job_file, results_file = Path(scratch, "job.json"), Path(scratch, "results.jsonl")
        job_file.write_text(json.dumps(job), encoding="utf-8")
        try:
            process = subprocess.run(
                [sys.executable, "-m", "ohm.links.engine", str(job_file), str(results_file)],
                cwd=PROJECT_ROOT,
                capture_output=True,
                text=True,
                timeout=max(1.0, deadline - time.monotonic()),
            )
            stderr = process.stderr.strip()
            if process.returncode != 0 or "internal error" in stderr:
                last_line = stderr.splitlines()[-1] if stderr else "no error output"
                failure = f"the crawl of the site failed (exit status {process.returncode}): {last_line}"
        except subprocess.TimeoutExpired:
            failure = "the crawl of the site did not end within the run's time budget"
        text = results_file.read_text(encoding="utf-8") if results_file.exists() else ""
    lines = []
    for line in text.splitlines():
        with contextlib.suppress(ValueError):  # the last line of a crawl stopped half-way
            lines.append(json.loads(line))
    return lines, failure
