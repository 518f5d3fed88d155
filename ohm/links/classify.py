"""What one LinkChecker result means for the catalogue.

LinkChecker calls a 429 and a redirect valid and mentions them only as
warnings, and a robots.txt refusal only as an info line, so the class is
decided from the whole result: status text, warnings and infos.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit


class Status(StrEnum):
    OK = "ok"
    MOVED = "moved"  # works, but through a redirect: update the catalogue
    FAILING = "failing"  # failed in this run (broken once it failed on enough runs)
    BLOCKED = "blocked"  # a host that refuses robots (403 bot wall): not evidence of a broken link
    RATE_LIMITED = "rate-limited"  # 429 even after retries: not checked this time
    NOT_CHECKED = "not-checked"  # robots.txt forbids checking it


@dataclass(frozen=True)
class Outcome:
    status: Status
    detail: str = ""  # LinkChecker's result or error text
    moved_to: str | None = None
    retry_after: float | None = None  # seconds the server asked us to wait
    transient: bool = False  # worth checking again in this run (timeouts, 5xx, 429)
    answered: bool = True  # False when no HTTP answer came at all (DNS, connection, timeout)


_REDIRECT = re.compile(r"Redirected to `(?P<url>[^']*)'")
_RETRY_AFTER = re.compile(r"Retry-After: *(?P<value>[^),]+)", re.IGNORECASE)
_HTTP_STATUS = re.compile(r"^(?P<code>[1-5]\d\d)\b")
_TRANSIENT_ERRORS = ("timeout", "timed out", "connectionerror", "connection refused", "connection reset")


def classify(result: dict[str, Any], bot_walled_hosts: frozenset[str] = frozenset()) -> Outcome:
    """Classify one result line of the engine (see engine.py)."""
    text = str(result.get("result") or "")
    code = _status_code(text)
    warnings = [message for _tag, message in result.get("warnings", [])]
    infos = result.get("info", [])

    if code == 429:
        return Outcome(Status.RATE_LIMITED, text, retry_after=_retry_after(warnings, infos), transient=True)
    if any("robots.txt" in info for info in infos) and text == "syntax OK":
        return Outcome(Status.NOT_CHECKED, "robots.txt forbids checking this URL")
    if code == 403 and _is_bot_wall(result, infos, bot_walled_hosts):
        return Outcome(Status.BLOCKED, text)
    if not result.get("valid"):
        transient = (code is not None and code >= 500) or (
            code is None and any(marker in text.lower() for marker in _TRANSIENT_ERRORS)
        )
        return Outcome(Status.FAILING, text, transient=transient, answered=code is not None)
    missing_anchor = next((w for w in warnings if w.startswith("Anchor `")), None)
    if missing_anchor and not result.get("extern"):
        return Outcome(Status.FAILING, missing_anchor.split(" Available anchors")[0])
    # A missing anchor on another site is not reported: many sites create
    # their anchors with JavaScript, which LinkChecker does not run.
    redirects = [match["url"] for w in warnings if (match := _REDIRECT.search(w))]
    if redirects:
        return Outcome(Status.MOVED, text, moved_to=redirects[-1])
    return Outcome(Status.OK, text)


def _status_code(text: str) -> int | None:
    match = _HTTP_STATUS.match(text.strip("'"))
    return int(match["code"]) if match else None


def _retry_after(warnings: list[str], infos: list[str]) -> float | None:
    for line in [*warnings, *infos]:
        match = _RETRY_AFTER.search(line.replace("Retry-after=", "Retry-After: "))
        if match:
            try:
                return max(0.0, float(match["value"].strip()))
            except ValueError:
                return None  # an HTTP date: fall back to our own backoff
    return None


def _is_bot_wall(result: dict[str, Any], infos: list[str], bot_walled_hosts: frozenset[str]) -> bool:
    host = (urlsplit(result.get("url") or "").hostname or "").lower()
    if host in bot_walled_hosts or host.removeprefix("www.") in bot_walled_hosts:
        return True
    return any("cf-mitigated=challenge" in info.lower() for info in infos)
