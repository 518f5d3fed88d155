"""What one checked URL means for the catalogue: its status, and why.

External URLs are checked by web.py, which builds an Outcome directly. Pages
of our own site are crawled by LinkChecker (engine.py); `classify` reads one
of its results. LinkChecker calls a redirect valid and mentions it only as a
warning, so the class is decided from the whole result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    OK = "ok"
    MOVED = "moved"  # works, but through a redirect: update the catalogue
    MOVED_INSECURE = "moved-insecure"  # an https URL that now redirects to plain http
    FAILING = "failing"  # failed in this run (broken once it failed on enough runs)
    BLOCKED = "blocked"  # 403: the host refuses robots; not evidence of a broken link
    RATE_LIMITED = "rate-limited"  # 429 even after retries: not checked this time
    NOT_CHECKED = "not-checked"  # never requested (robots.txt, an unreachable host, a budget): see Skip
    ERROR = "error"  # the checker itself failed on this URL: says nothing about the link


class Skip(StrEnum):
    """Why a URL was not checked."""

    ROBOTS = "robots-txt"  # robots.txt forbids it
    ROBOTS_SILENT = "robots-txt-silent"  # robots.txt did not answer in time, so nothing on the host is asked
    HOST_UNREACHABLE = "host-unreachable"  # its host did not answer several requests in a row
    HOST_BUDGET = "host-budget"  # its host used up its time budget
    RUN_BUDGET = "run-budget"  # the run's time budget ran out first


@dataclass(frozen=True)
class Outcome:
    status: Status
    detail: str = ""  # the answer or the error, as a person reads it
    moved_to: str | None = None
    redirects: tuple[str, ...] = ()  # every address a redirect led to, in order
    retry_after: float | None = None  # seconds the server asked us to wait
    transient: bool = False  # worth checking again in this run (timeouts, 5xx, 429)
    answered: bool = True  # False when its host gave no HTTP answer at all (DNS, connection, timeout)
    skipped: Skip | None = None  # for NOT_CHECKED: why


def verdict(code: int, reason: str, written: str, redirects: tuple[str, ...] = ()) -> Outcome:
    """The status of a URL whose last answer, after `redirects`, was `code reason`."""
    detail = f"{code} {reason}".strip()
    if redirects:
        detail += f" (after {len(redirects)} redirect{'s' if len(redirects) > 1 else ''})"
    if code == 429:
        return Outcome(Status.RATE_LIMITED, detail, redirects=redirects, transient=True)
    if code == 403:
        return Outcome(Status.BLOCKED, detail, redirects=redirects)
    if not 200 <= code < 300:
        return Outcome(Status.FAILING, detail, redirects=redirects, transient=code >= 500)
    if not redirects:
        return Outcome(Status.OK, detail)
    final = redirects[-1]
    insecure = written.startswith("https://") and final.startswith("http://")
    status = Status.MOVED_INSECURE if insecure else Status.MOVED
    return Outcome(status, detail, moved_to=final, redirects=redirects)


_REDIRECT = re.compile(r"Redirected to `(?P<url>[^']*)'")
_HTTP_STATUS = re.compile(r"^(?P<code>[1-5]\d\d)\b")


def classify(result: dict[str, Any]) -> Outcome:
    """Classify one result line of the site crawl (see engine.py)."""
    text = str(result.get("result") or "")
    code = _status_code(text)
    warnings = [message for _tag, message in result.get("warnings", [])]
    if not result.get("valid"):
        return Outcome(Status.FAILING, text, answered=code is not None)
    missing_anchor = next((w for w in warnings if w.startswith("Anchor `")), None)
    if missing_anchor:
        return Outcome(Status.FAILING, missing_anchor.split(" Available anchors")[0])
    redirects = tuple(match["url"] for w in warnings if (match := _REDIRECT.search(w)))
    if redirects:
        return Outcome(Status.MOVED, text, moved_to=redirects[-1], redirects=redirects)
    return Outcome(Status.OK, text)


def _status_code(text: str) -> int | None:
    match = _HTTP_STATUS.match(text.strip("'"))
    return int(match["code"]) if match else None
