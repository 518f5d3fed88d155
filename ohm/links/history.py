"""Memory between runs: since when, and on how many consecutive runs, each link has failed.

    {"version": 1,
     "links": {"https://example.org/a": {"first_failed": "2026-11-23", "last_failed": "2026-11-25",
                                          "failures": 3, "last_error": "404 Not Found"}},
     "worked": {"https://example.org/b": "2026-11-25"}}

Runs are counted per day: a second run on the same day (a manual re-run)
does not count as another failing night. A link that works again is
forgotten; a link that could not be checked (rate limited, robots.txt, bot
wall, a time budget, an error of the checker) keeps its count unchanged, so
it neither becomes broken nor is cleared by a run that proved nothing.

Two things a single run cannot tell, the history does:
- a host that gives no answer at all (it accepts connections and says
  nothing, so its links are not checked) fails every night it does: after
  `broken_after_runs` nights its links are broken, "host silent since ...";
- `worked` (absent when empty) remembers the last day each URL answered 2xx:
  a 403 on a page that worked before is not a bot wall but a page gone (stores
  answer 403 for a missing object), so it is failing like any error, unless
  its host is a known bot wall (classify.BOT_WALL_HOSTS).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
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
Worked = dict[str, str]  # URL -> the last day it answered 2xx

_UNPROVEN = {Status.RATE_LIMITED, Status.NOT_CHECKED, Status.BLOCKED, Status.ERROR}
_WORKED = {Status.OK, Status.MOVED, Status.MOVED_INSECURE}


def judge(outcome: Outcome, url: str, worked: Worked) -> Outcome:
    """`outcome` in the light of earlier runs: a 403 where the page worked before is failing."""
    if outcome.status is Status.BLOCKED and not outcome.bot_wall and url in worked:
        return replace(outcome, status=Status.FAILING, detail=f"{outcome.detail}; it worked on {worked[url]}")
    return outcome


def update(history: History, outcomes: dict[str, Outcome], today: str) -> History:
    """The history after a run that ended with `outcomes` on `today` (YYYY-MM-DD)."""
    updated: History = {}
    for url, outcome in outcomes.items():
        previous = history.get(url)
        if outcome.status is Status.FAILING or outcome.host_silent:
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


def update_worked(worked: Worked, outcomes: dict[str, Outcome], today: str) -> Worked:
    """`worked` after a run: today for external URLs that answered 2xx, unchanged for the others
    still checked. Pages of our own site are left out: they never answer 403."""
    return {
        url: today if outcome.status in _WORKED else worked[url]
        for url, outcome in outcomes.items()
        if url.startswith(("https://", "http://")) and (outcome.status in _WORKED or url in worked)
    }


def read_history(path: Path) -> History:
    """The history in `path`; empty when there is no file yet (the first run). ReportError if unusable."""
    return files.read_history(path, "links", _parse, {})


def read_worked(path: Path) -> Worked:
    """The days URLs last worked, from the history in `path`; ReportError if unusable."""
    return files.read_history(path, "worked", _parse_worked, {}, optional=True)


def _parse(links: dict[str, Any]) -> History:
    return {url: Failure(**failure) for url, failure in links.items()}


def _parse_worked(worked: dict[str, Any]) -> Worked:
    if not all(isinstance(day, str) for day in worked.values()):
        raise ValueError("`worked` holds a day that is not text")
    return dict(worked)


def write_history(history: History, path: Path, worked: Worked | None = None) -> None:
    files.write_history(
        path,
        "links",
        {url: asdict(history[url]) for url in sorted(history)},
        worked=dict(sorted((worked or {}).items())),
    )
