"""GET JSON from an upstream API, politely: tokens, conditional requests, rate limits, bounded failures.

- A token comes from the environment and goes only to its own API, and only
  over https (or to this machine, for tests); never along a redirect.
- Conditional requests: the ETag of every answer is kept in a cache file
  between runs and sent back as If-None-Match; a 304 means "unchanged", so the
  cached answer is used (and GitHub does not count it against the rate limit).
- Rate limits: each answer's X-RateLimit-Remaining / X-RateLimit-Reset
  (GitHub) or RateLimit: "...";r=N;t=S (Hugging Face) is read. When nothing is
  left, the rest of the run skips that API instead of hammering it; a 429 (or
  GitHub's 403 with nothing remaining) is waited out only if Retry-After is short.
- Timeouts, connection errors and 5xx answers are retried with backoff; what
  still fails raises NotChecked with a one-line reason, which the check
  reports as "not checked". After `give_up_after` such failures in a row the
  API is taken to be down and not asked again in this run, so an outage costs
  minutes, not a timeout per entry. Nothing else escapes from here.
"""

from __future__ import annotations

import email.message
import http.client
import ipaddress
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ohm.files import replace_file

USER_AGENT = "OpenHealthModels-Freshness/1.0"
CACHE_VERSION = 1


class NotChecked(Exception):
    """The upstream could not answer this time; the message says why, in one line."""


class NotFound(NotChecked):
    """404: for some requests (a repository's latest release) a normal answer."""


@dataclass(frozen=True)
class ClientSettings:
    timeout: float = 20.0  # seconds per request
    retries: int = 1  # more attempts after a timeout, connection error or 5xx
    backoff_seconds: float = 5.0  # before the first retry; doubles each time
    max_wait_seconds: float = 60.0  # the longest Retry-After waited out within a run
    give_up_after: int = 5  # failed requests in a row (after retries) before the API is left alone


class ResponseCache:
    """Answers by URL with their ETag, kept between runs; only what this run asked for is written back."""

    def __init__(self, responses: dict[str, dict[str, Any]] | None = None):
        self._responses = dict(responses or {})
        self._used: set[str] = set()

    def get(self, url: str) -> dict[str, Any] | None:
        self._used.add(url)
        return self._responses.get(url)

    def put(self, url: str, etag: str | None, body: Any) -> None:
        self._used.add(url)
        if etag:
            self._responses[url] = {"etag": etag, "body": body}
        else:
            self._responses.pop(url, None)

    @classmethod
    def read(cls, path: Path) -> ResponseCache:
        """The cache in `path`; an empty one if it is missing or unusable (it only saves requests)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == CACHE_VERSION and isinstance(data.get("responses"), dict):
                return cls(data["responses"])
        except (OSError, ValueError, AttributeError):
            pass
        return cls()

    def write(self, path: Path) -> None:
        kept = {url: self._responses[url] for url in sorted(self._used) if url in self._responses}
        text = json.dumps({"version": CACHE_VERSION, "responses": kept}, indent=1, ensure_ascii=False)
        replace_file(path, (text + "\n").encode("utf-8"))


class Api:
    """One upstream API (the Hugging Face Hub or GitHub) at `base_url`."""

    def __init__(
        self,
        name: str,
        base_url: str,
        token: str | None,
        cache: ResponseCache,
        settings: ClientSettings,
        headers: dict[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.token = token if token and _safe_for_token(self.base_url) else None
        self.cache = cache
        self.settings = settings
        self.headers = {"Accept": "application/json", "User-Agent": USER_AGENT, **(headers or {})}
        self.sleep = sleep
        self.requests = 0  # answers received, 304s included
        self.not_modified = 0
        self._blocked_until: float | None = None  # rate limit used up until then (epoch seconds)
        self._failed_in_a_row = 0
        self._down = False

    def get(self, path: str, keep: Callable[[Any], Any]) -> Any:
        """The JSON answer at `path`, reduced by `keep` to what the check reads (and the cache stores)."""
        if self._down:
            raise NotChecked(f"not asked: {self.settings.give_up_after} requests in a row failed")
        if self._blocked_until is not None:
            if time.time() < self._blocked_until:
                raise NotChecked(f"rate limit used up until {_clock(self._blocked_until)}")
            self._blocked_until = None
        try:
            body = self._get(self.base_url + path, keep)
        except _Unreachable:
            self._failed_in_a_row += 1
            self._down = self._failed_in_a_row >= self.settings.give_up_after
            raise
        except NotChecked:  # it answered, if not what was hoped for
            self._failed_in_a_row = 0
            raise
        self._failed_in_a_row = 0
        return body

    def _get(self, url: str, keep: Callable[[Any], Any]) -> Any:
        cached = self.cache.get(url)
        attempt = 0
        while True:
            try:
                status, headers, payload = self._request(url, cached["etag"] if cached else None)
            except _Transient as error:
                if attempt >= self.settings.retries:
                    raise _Unreachable(str(error)) from None
                self.sleep(self.settings.backoff_seconds * 2**attempt)
                attempt += 1
                continue
            self.requests += 1
            self._watch_rate_limit(headers)
            if status == 304 and cached:
                self.not_modified += 1
                return cached["body"]
            if 200 <= status < 300:
                try:
                    body = keep(json.loads(payload))
                except (ValueError, KeyError, TypeError, AttributeError) as error:
                    raise NotChecked(f"unexpected answer ({type(error).__name__})") from None
                self.cache.put(url, headers.get("ETag"), body)
                return body
            wait = self._rate_limited(status, headers)
            if wait is not None:
                if wait <= self.settings.max_wait_seconds and attempt < self.settings.retries:
                    self.sleep(wait)
                    attempt += 1
                    continue
                self._blocked_until = max(self._blocked_until or 0, time.time() + wait)
                raise NotChecked(f"rate limited ({status}) until {_clock(self._blocked_until)}")
            if status == 404:
                raise NotFound(f"{status} {_reason(status)}")
            if status >= 500:
                if attempt < self.settings.retries:
                    self.sleep(self.settings.backoff_seconds * 2**attempt)
                    attempt += 1
                    continue
                raise _Unreachable(f"{status} {_reason(status)}")
            raise NotChecked(f"{status} {_reason(status)}")

    def _request(self, url: str, etag: str | None) -> tuple[int, email.message.Message, bytes]:
        request = urllib.request.Request(url, headers=self.headers)
        if etag:
            request.add_header("If-None-Match", etag)
        if self.token:
            request.add_unredirected_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:  # every status but 2xx, 304 included
            with error:
                return error.code, error.headers, error.read()
        except (urllib.error.URLError, TimeoutError, http.client.HTTPException, OSError) as error:
            raise _Transient(_describe(error)) from None

    def _watch_rate_limit(self, headers: email.message.Message) -> None:
        remaining, reset_at = _rate_limit(headers)
        if remaining is not None and remaining <= 0:
            self._blocked_until = reset_at if reset_at is not None else time.time() + 3600

    def _rate_limited(self, status: int, headers: email.message.Message) -> float | None:
        """Seconds to wait if this answer is a rate limit, else None."""
        remaining, reset_at = _rate_limit(headers)
        if status != 429 and not (status == 403 and (remaining == 0 or "Retry-After" in headers)):
            return None
        self._blocked_until = None  # decided below, with the wait
        retry_after = headers.get("Retry-After", "")
        if retry_after.strip().isdigit():
            return float(retry_after)
        if reset_at is not None:
            return max(0.0, reset_at - time.time())
        return 60.0


class _Transient(Exception):
    """A request that got no answer at all; it may be retried."""


class _Unreachable(NotChecked):
    """No usable answer even after the retries: a timeout, a refused connection or a 5xx."""


_IETF_RATE_LIMIT = re.compile(r"\br=(\d+).*?\bt=(\d+)|\bt=(\d+).*?\br=(\d+)")


def _rate_limit(headers: email.message.Message) -> tuple[int | None, float | None]:
    """(requests remaining, when the budget resets as epoch seconds), each None when not said."""
    remaining = headers.get("X-RateLimit-Remaining")
    reset = headers.get("X-RateLimit-Reset")
    if remaining is not None and remaining.strip().isdigit():
        reset_at = float(reset) if reset and reset.strip().isdigit() else None
        return int(remaining), reset_at
    match = _IETF_RATE_LIMIT.search(headers.get("RateLimit", ""))
    if match:
        r, t = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        return int(r), time.time() + int(t)
    return None, None


def _safe_for_token(base_url: str) -> bool:
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme == "https":
        return True
    try:
        return parts.hostname == "localhost" or ipaddress.ip_address(parts.hostname or "").is_loopback
    except ValueError:
        return False


def _describe(error: Exception) -> str:
    reason = getattr(error, "reason", error)
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return "timed out"
    return f"connection failed ({reason})"


def _reason(status: int) -> str:
    return http.client.responses.get(status, "error")


def _clock(epoch: float) -> str:
    return time.strftime("%H:%M UTC", time.gmtime(epoch))
