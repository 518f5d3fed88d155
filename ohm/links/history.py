"""Memory between runs: since when, and on how many consecutive runs, each link has failed.

    {"version": 1,
     "links": {"https://example.org/a": {"first_failed": "2026-11-23", "last_failed": "2026-11-25",
                                          "failures": 3, "last_error": "404 Not Found"}}}

Runs are counted per day: a second run on the same day (a manual re-run)
does not count as another failing night. A link that works again is
forgotten; a link that could not be checked (rate limited, robots.txt, bot
wall, an unreachable host, a time budget, an error of the checker) keeps its
count unchanged, so it neither becomes broken nor is cleared by a run that
proved nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ohm.nightly import files

from .classify import Outcome, Status


@dataclass(frozen=True)
class Failure:
    first_failed: str
    last_failed: str
    failures: int
    last_error: str


History = dict[str, Failure]

_UNPROVEN = {Status.RATE_LIMITED, Status.NOT_CHECKED, Status.BLOCKED, Status.ERROR}


def update(history: History, outcomes: dict[str, Outcome], today: str) -> History:
    """The history after a run that ended with `outcomes` on `today` (YYYY-MM-DD)."""
    updated: History = {}
    for url, outcome in outcomes.items():
        previous = history.get(url)
        if outcome.status is Status.FAILING:
            updated[url] = _failed_again(previous, today, outcome.detail)
        elif outcome.status in _UNPROVEN and previous is not None:
            updated[url] = previous
    return updated


def _failed_again(previous: Failure | None, today: str, error: str) -> Failure:
    if previous is None:
        return Failure(today, today, 1, error)
    if previous.last_failed == today:
        return Failure(previous.first_failed, today, previous.failures, error)
    return Failure(previous.first_failed, today, previous.failures + 1, error)


def read_history(path: Path) -> History:
    """The history in `path`; empty when there is no file yet (the first run). ReportError if unusable."""
    return files.read_history(path, "links", _parse, {})


def _parse(links: dict[str, Any]) -> History:
    return {url: Failure(**failure) for url, failure in links.items()}


def write_history(history: History, path: Path) -> None:
    files.write_history(path, "links", {url: asdict(history[url]) for url in sorted(history)})
