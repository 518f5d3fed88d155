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
from urllib.parse import urlsplit


class Status(StrEnum):
    """What a link's check means, worst first: the order of the report, with how the report shows it.

    Each member is its value in report.json, then its heading and explanation
    in report.md (no heading: no section; `{n}` is `broken_after_runs`), then
    its word in the summary line. A check gives every status but BROKEN, which
    the report gives to a link FAILING on enough consecutive runs.
    """

    heading: str | None
    explanation: str
    label: str

    def __new__(cls, value: str, heading: str | None, explanation: str, label: str) -> Status:
        member = str.__new__(cls, value)
        member._value_ = value
        member.heading, member.explanation, member.label = heading, explanation, label
        return member

    BROKEN = (
        "broken",
        "Broken",
        "Failed on {n} or more consecutive runs (links between our own pages: at once).",
        "broken",
    )
    FAILING = (  # failed in this run (broken once it failed on enough runs)
        "failing",
        "Failing, not yet broken",
        "Failed on this run; reported as broken if this goes on.",
        "failing",
    )
    ERROR = (  # the checker itself failed on this URL: says nothing about the link
        "error",
        "Errors of the checker",
        "The checker itself failed on these; that says nothing about the links, which count as unchecked.",
        "errors",
    )
    MOVED_INSECURE = (  # an https URL that now redirects to plain http
        "moved-insecure",
        "Moved to an insecure address",
        "These https addresses now redirect to plain http, which the catalogue does not take: "
        "look for a secure address, or remove the link.",
        "moved to http",
    )
    MOVED = (  # works, but through a redirect: update the catalogue
        "moved",
        "Moved",
        "These work through a redirect: put the new address in the catalogue.",
        "moved",
    )
    BLOCKED = (  # 403: the host refuses robots; failing instead once the page worked before (history.py)
        "blocked",
        "Blocked",
        "The host answered 403: it refuses robots (a bot wall), and the page never worked for us; "
        "not counted as broken.",
        "blocked",
    )
    RATE_LIMITED = (  # 429 even after retries: not checked this time
        "rate-limited",
        "Rate limited",
        "The host answered 429 even after waiting; not checked this time.",
        "rate limited",
    )
    NOT_CHECKED = (  # never requested (robots.txt, an unreachable host, a budget): see Skip
        "not-checked",
        "Not checked",
        "Never requested in this run, for the reason given; not counted as broken or as working.",
        "not checked",
    )
    OK = ("ok", None, "", "ok")


# Hosts known to answer robots with 403 whatever the page: a 403 there never counts against a link,
# even one that worked before. A 403 with Cloudflare's challenge header is such a wall on any host.
BOT_WALL_HOSTS = frozenset(
    {
        "www.sciencedirect.com",
        "onlinelibrary.wiley.com",
        "www.researchgate.net",
        "www.tandfonline.com",
        "journals.sagepub.com",
        "academic.oup.com",
        "ieeexplore.ieee.org",
        "dl.acm.org",
        "www.jstor.org",
        "www.nejm.org",
        "www.science.org",
        "pubs.acs.org",
    }
)
BOT_WALL_HEADER = ("cf-mitigated", "challenge")


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
    bot_wall: bool = False  # for BLOCKED: a known bot wall, whose 403 never counts against the link

    @property
    def host_silent(self) -> bool:
        """Not checked because its host gave no HTTP answer at all: counts as a failing night."""
        return (
            self.status is Status.NOT_CHECKED
            and self.skipped in (Skip.ROBOTS_SILENT, Skip.HOST_UNREACHABLE)
            and not self.answered
        )


def verdict(
    code: int, reason: str, written: str, redirects: tuple[str, ...] = (), bot_wall: bool = False
) -> Outcome:
    """The status of a URL whose last answer, after `redirects`, was `code reason`.

    `bot_wall`: the answer carried a bot wall's mark (BOT_WALL_HEADER).
    """
    detail = f"{code} {reason}".strip()
    if redirects:
        detail += f" (after {len(redirects)} redirect{'s' if len(redirects) > 1 else ''})"
    if code == 429:
        return Outcome(Status.RATE_LIMITED, detail, redirects=redirects, transient=True)
    if code == 403:
        host = urlsplit(redirects[-1] if redirects else written).hostname or ""
        return Outcome(
            Status.BLOCKED, detail, redirects=redirects, bot_wall=bot_wall or host in BOT_WALL_HOSTS
        )
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
