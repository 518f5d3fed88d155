"""GET JSON from an upstream API, politely and within bounds, whatever it answers.

- A token comes from the environment and goes only to its own API, and only
  over https (or to this machine, for tests); a redirect to another host drops it.
- Bounds: every request has a hard deadline from connecting to its last byte
  (`timeout`, and never past the run's deadline), and a body is read up to
  `max_body_bytes` and no further. What passes a bound is "not checked".
- One boundary: the body is parsed as JSON (any depth, any bytes) and handed to
  the caller's `keep`, the typed parser of the fields read; whatever cannot be
  used raises Unusable. Cached answers go through the same `keep`. A file
  (`file=True`: a model card's README at its head) is handed over as bytes,
  and only from the API's own host: a redirect elsewhere is not followed.
- Concurrency within the API's limits (`ApiLimits`): at most `workers`
  requests at once, at most `rate` a second, at most `budget` counted requests
  a run (`reserve`/`refund` around each entry). A URL is asked at most once a run.
- Conditional requests: the last answer to every URL is kept in the cache file
  with its ETag, sent back as If-None-Match; a 304 means "unchanged" (GitHub
  does not count it against the rate limit). A 404 is kept too.
- Rate limits: X-RateLimit-Remaining / X-RateLimit-Reset (GitHub) or
  RateLimit: "...";r=N;t=S (Hugging Face) are read, clamped to a day. When
  nothing is left, the rest of the run leaves that API alone; a 429 (or
  GitHub's 403 with nothing remaining) is waited out only if Retry-After is short.
- Timeouts, connection errors and 5xx answers are retried with backoff; what
  still fails raises NotChecked with a one-line reason. After `give_up_after`
  such failures in a row the API is taken to be down for the rest of the run.
  Nothing else escapes from here.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import http.client
import ipaddress
import json
import re
import time
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from ohm.files import replace_file

from .text import clean_text

USER_AGENT = "OpenHealthModels-Freshness/1.0"
CACHE_VERSION = 1
MAX_REDIRECTS = 5
MAX_BLOCK_SECONDS = 24 * 3600  # the longest a rate-limit header may stop an API (a run is shorter)


class NotChecked(Exception):
    """The upstream could not answer this time; the message says why, in one line."""


class NotFound(NotChecked):
    """404: for some requests (a repository's latest release) a normal answer."""


class Unusable(NotChecked):
    """An answer the check cannot read: not JSON, too deep, too large, a field of the wrong type."""


class NotReached(NotChecked):
    """Not asked this run (its time or request budget ran out first)."""


@dataclass(frozen=True)
class ClientSettings:
    timeout: float = 20.0  # seconds per request, from connecting to the last byte
    retries: int = 1  # more attempts after a timeout, connection error or 5xx
    backoff_seconds: float = 5.0  # before the first retry; doubles each time
    max_wait_seconds: float = 60.0  # the longest Retry-After waited out within a run
    give_up_after: int = 5  # failed requests in a row (after retries) before the API is left alone
    max_body_bytes: int = 1_000_000  # a model's answer is a few kilobytes; reading stops past this


@dataclass(frozen=True)
class ApiLimits:
    """How hard one API may be asked in one run."""

    workers: int = 4  # requests at once
    rate: float = 0.0  # requests a second at most; 0: no pacing
    budget: int | None = None  # answers counted against the rate limit per run; None: no budget
    free_not_modified: bool = False  # a 304 does not count (GitHub documents this; the Hub does not)


class ResponseCache:
    """The last answer to each URL (body and ETag, or "missing") and when each entry was last checked.

    Kept between runs; only what this run used is written back. Unusable or
    missing, it is empty: it only saves requests and orders the rotation.
    """

    def __init__(self, responses: dict[str, Any] | None = None, checked: dict[str, str] | None = None):
        self._responses = dict(responses or {})
        self._used: set[str] = set()
        self.checked: dict[str, str] = dict(checked or {})  # entry id -> day it was last asked about

    def get(self, url: str) -> dict[str, Any] | None:
        self._used.add(url)
        cached = self._responses.get(url)
        return cached if isinstance(cached, dict) else None

    def put(self, url: str, etag: str | None, body: Any) -> None:
        self._used.add(url)
        self._responses[url] = {"etag": etag, "body": body}

    def forget(self, url: str) -> None:
        self._responses.pop(url, None)

    def put_missing(self, url: str) -> None:
        self._used.add(url)
        self._responses[url] = {"etag": None, "missing": True}

    @classmethod
    def read(cls, path: Path) -> ResponseCache:
        """The cache in `path`; an empty one if it is missing or unusable (it only saves requests)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == CACHE_VERSION and isinstance(data.get("responses"), dict):
                checked = data.get("checked")
                checked = checked if isinstance(checked, dict) else {}
                return cls(data["responses"], {k: v for k, v in checked.items() if isinstance(v, str)})
        except (OSError, ValueError, AttributeError, RecursionError):
            pass
        return cls()

    def write(self, path: Path) -> None:
        kept = {url: self._responses[url] for url in sorted(self._used) if url in self._responses}
        data = {"version": CACHE_VERSION, "checked": dict(sorted(self.checked.items())), "responses": kept}
        replace_file(path, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


# The entry being checked, so that its counted requests can be refunded from its reservation.
_counted: contextvars.ContextVar[dict[str, int] | None] = contextvars.ContextVar("counted", default=None)


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
        limits: ApiLimits | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.token = token if token and _safe_for_token(self.base_url) else None
        self.cache = cache
        self.settings = settings
        self.limits = limits or ApiLimits()
        self.headers = {"Accept": "application/json", "User-Agent": USER_AGENT, **(headers or {})}
        self.sleep = sleep
        self.requests = 0  # answers received, 304s included
        self.not_modified = 0
        self.repeats = 0  # questions answered by an earlier request of the same run
        self._start_run(None)

    def _start_run(self, deadline: float | None) -> None:
        self.deadline = deadline  # time.monotonic() after which nothing is asked
        self.budget_left = self.limits.budget
        self._asked: dict[str, asyncio.Future[Any]] = {}
        self._blocked_until: float | None = None  # rate limit used up until then (epoch seconds)
        self._failed_in_a_row = 0
        self._down = False
        self._next_slot = 0.0
        self._client: httpx.AsyncClient | None = None
        self._slots: asyncio.Semaphore | None = None

    @contextlib.asynccontextmanager
    async def run(self, deadline: float | None) -> AsyncIterator[Api]:
        """One run: a connection pool, the request budget, and the URLs asked so far."""
        self._start_run(deadline)
        workers = max(1, self.limits.workers)
        self._slots = asyncio.Semaphore(workers)
        limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
        async with httpx.AsyncClient(
            headers=self.headers,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            limits=limits,
            timeout=None,
        ) as client:
            self._client = client
            try:
                yield self
            finally:
                self._client = None

    # --- The budget of counted requests ---------------------------------------------------

    def reserve(self, count: int) -> bool:
        """Set aside `count` counted requests for one entry; False if the run's budget cannot cover them."""
        if self.budget_left is None or count == 0:
            return True
        if self.budget_left < count:
            return False
        self.budget_left -= count
        return True

    def refund(self, reserved: int, used: int) -> None:
        """Give back what an entry reserved and did not use (or take what its retries used beyond)."""
        if self.budget_left is not None:
            self.budget_left += reserved - used

    # --- Asking ----------------------------------------------------------------------------

    async def get(
        self, path: str, keep: Callable[[Any], Any], immutable: bool = False, file: bool = False
    ) -> Any:
        """The JSON answer at `path`, checked and reduced by `keep` to what the check reads (and caches).

        `immutable`: an answer that never changes (a commit is a commit), asked only if not cached.
        `file`: the answer is a file, not JSON: `keep` gets its bytes (or, from the cache, what it kept).
        """
        url = self.base_url + path
        if immutable and self.cache.get(url) is not None:
            with contextlib.suppress(Unusable):
                return await self.cached(path, keep)
        if url in self._asked:
            self.repeats += 1
            return await asyncio.shield(self._asked[url])
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._asked[url] = future
        try:
            body = await self._ask(url, keep, file)
        except NotChecked as error:
            future.set_exception(error)
            future.exception()  # retrieved: a URL asked once need not be asked again
            raise
        except Exception as error:  # a bug must not leave the other askers waiting
            future.set_exception(NotChecked(f"unexpected error ({type(error).__name__})"))
            future.exception()
            raise
        future.set_result(body)
        return body

    async def cached(
        self, path: str, keep: Callable[[Any], Any], immutable: bool = False, file: bool = False
    ) -> Any:
        """The last answer at `path` from an earlier run, without asking; NotReached if there is none."""
        cached = self.cache.get(self.base_url + path)
        if cached is None:
            raise NotReached("not reached this run, never answered before")
        if cached.get("missing"):
            raise NotFound("404 Not Found")
        return keep(cached.get("body"))

    def _may_ask(self) -> None:
        if self._down:
            raise NotChecked(f"not asked: {self.settings.give_up_after} requests in a row failed")
        if self._blocked_until is not None:
            if time.time() < self._blocked_until:
                raise NotChecked(f"rate limit used up until {_clock(self._blocked_until)}")
            self._blocked_until = None

    async def _ask(self, url: str, keep: Callable[[Any], Any], file: bool) -> Any:
        self._may_ask()
        try:
            body = await self._get(url, keep, file)
        except _Unreachable:
            self._failed_in_a_row += 1
            self._down = self._failed_in_a_row >= self.settings.give_up_after
            raise
        except NotChecked:  # it answered, if not what was hoped for
            self._failed_in_a_row = 0
            raise
        self._failed_in_a_row = 0
        return body

    async def _get(self, url: str, keep: Callable[[Any], Any], file: bool) -> Any:
        cached = self.cache.get(url)
        etag = _etag(cached.get("etag")) if cached else None
        attempt = 0
        while True:
            try:
                status, headers, payload = await self._request(url, etag, same_host=file)
            except _Transient as error:
                if attempt >= self.settings.retries:
                    raise _Unreachable(str(error)) from None
                await self._wait(self.settings.backoff_seconds * 2**attempt)
                attempt += 1
                continue
            self._count(status)
            self._watch_rate_limit(headers)
            if status == 304 and cached and "body" in cached:
                self.not_modified += 1
                try:
                    return keep(cached["body"])
                except Unusable:
                    self.cache.forget(url)  # a damaged cache file: the next run asks afresh
                    raise
            if 200 <= status < 300:
                body = keep(payload if file else parse_json(payload))
                self.cache.put(url, _etag(headers.get("ETag")), body)
                return body
            wait = self._rate_limited(status, headers)
            if wait is not None:
                if wait <= self.settings.max_wait_seconds and attempt < self.settings.retries:
                    await self._wait(wait)
                    attempt += 1
                    continue
                self._blocked_until = max(self._blocked_until or 0, time.time() + wait)
                raise NotChecked(f"rate limited ({status}) until {_clock(self._blocked_until)}")
            if status == 404:
                self.cache.put_missing(url)
                raise NotFound(f"{status} {_reason(status)}")
            if status >= 500:
                if attempt < self.settings.retries:
                    await self._wait(self.settings.backoff_seconds * 2**attempt)
                    attempt += 1
                    continue
                raise _Unreachable(f"{status} {_reason(status)}")
            raise NotChecked(f"{status} {_reason(status)}")

    async def _request(
        self, url: str, etag: str | None, same_host: bool = False
    ) -> tuple[int, httpx.Headers, bytes]:
        """One GET within the API's limits: (status, headers, body); _Transient if nothing came.

        `same_host`: redirects are followed only on the API's own host; one to another host is
        not followed (NotChecked).
        """
        assert self._client is not None and self._slots is not None, "ask within `async with api.run()`"
        headers = {"If-None-Match": etag} if etag else {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        async with self._slots:
            self._may_ask()  # again: the answers that came while this request waited may have said no
            await self._pace()
            limit = self._time_left(self.settings.timeout)
            try:
                async with asyncio.timeout(limit):
                    return await self._follow(url, headers, same_host)
            except TimeoutError:
                if limit < self.settings.timeout:
                    raise NotReached("the run's time budget ran out during the request") from None
                raise _Transient("timed out") from None  # no complete answer within the timeout
            except httpx.TooManyRedirects:
                raise NotChecked("too many redirects") from None
            except httpx.TransportError as error:
                raise _Transient(_describe(error)) from None
            except (httpx.HTTPError, httpx.InvalidURL, UnicodeError, ValueError) as error:
                raise Unusable(f"unexpected answer ({type(error).__name__})") from None

    async def _follow(
        self, url: str, headers: dict[str, str], same_host: bool
    ) -> tuple[int, httpx.Headers, bytes]:
        assert self._client is not None
        target = httpx.URL(url)
        for _hop in range(MAX_REDIRECTS + 1):
            async with self._client.stream(
                "GET", target, headers=headers, follow_redirects=not same_host
            ) as response:
                following = response.next_request
                if following is None:
                    body = await _read_up_to(response, self.settings.max_body_bytes)
                    return response.status_code, response.headers, body
            if following.url.netloc != target.netloc or following.url.scheme != target.scheme:
                raise NotChecked("redirected to another host, not followed")
            target = following.url
        raise httpx.TooManyRedirects("too many redirects")

    def _time_left(self, at_most: float) -> float:
        if self.deadline is None:
            return at_most
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise NotReached("not reached: the run's time budget ran out")
        return min(at_most, left)

    async def _pace(self) -> None:
        if self.limits.rate <= 0:
            return
        now = time.monotonic()
        slot = max(now, self._next_slot)
        self._next_slot = slot + 1.0 / self.limits.rate
        if slot > now:
            await asyncio.sleep(min(slot - now, self._time_left(slot - now)))

    async def _wait(self, seconds: float) -> None:
        if self.deadline is not None and time.monotonic() + seconds >= self.deadline:
            raise NotReached("the run's time budget ran out before a retry")
        await self.sleep(seconds)

    def _count(self, status: int) -> None:
        self.requests += 1
        if status == 304 and self.limits.free_not_modified:
            return
        counted = _counted.get()
        if counted is not None:
            counted[self.name] = counted.get(self.name, 0) + 1

    def _watch_rate_limit(self, headers: Mapping[str, str]) -> None:
        remaining, reset_at = _rate_limit(headers)
        if remaining is not None and remaining <= 0:
            self._blocked_until = _clamp_epoch(reset_at if reset_at is not None else time.time() + 3600)

    def _rate_limited(self, status: int, headers: Mapping[str, str]) -> float | None:
        """Seconds to wait (at most a day) if this answer is a rate limit, else None."""
        remaining, reset_at = _rate_limit(headers)
        if status != 429 and not (status == 403 and (remaining == 0 or "Retry-After" in headers)):
            return None
        self._blocked_until = None  # decided by the caller, with the wait
        retry_after = (headers.get("Retry-After") or "").strip()
        if retry_after.isdigit():  # an absurd number of digits is as long as a wait can be
            return min(
                float(retry_after[:12]) if len(retry_after) <= 12 else MAX_BLOCK_SECONDS, MAX_BLOCK_SECONDS
            )
        if reset_at is not None:
            return max(0.0, _clamp_epoch(reset_at) - time.time())
        return 60.0


@contextlib.contextmanager
def counting() -> Any:
    """Count, per API name, the requests of one entry that counted against its budget."""
    counted: dict[str, int] = {}
    token = _counted.set(counted)
    try:
        yield counted
    finally:
        _counted.reset(token)


def parse_json(payload: bytes) -> Any:
    """A JSON body, or Unusable: not UTF-8, not JSON, or nested deeper than Python's parser goes."""
    try:
        return json.loads(payload)
    except RecursionError:
        raise Unusable("unexpected answer (JSON nested too deep)") from None
    except ValueError as error:
        raise Unusable(f"unexpected answer ({type(error).__name__})") from None


async def _read_up_to(response: httpx.Response, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise Unusable(f"unexpected answer (larger than {limit:,} bytes)")
    return b"".join(chunks)


class _Transient(Exception):
    """A request that got no answer at all; it may be retried."""


class _Unreachable(NotChecked):
    """No usable answer even after the retries: a timeout, a refused connection or a 5xx."""


_IETF_RATE_LIMIT = re.compile(r"\br=(\d{1,12})\b.*?\bt=(\d{1,12})\b|\bt=(\d{1,12})\b.*?\br=(\d{1,12})\b")
_ETAG = re.compile(r'(W/)?"[\x21\x23-\x7e]{0,200}"')


def _rate_limit(headers: Mapping[str, str]) -> tuple[int | None, float | None]:
    """(requests remaining, when the budget resets as epoch seconds), each None when not said (or absurd)."""
    remaining = (headers.get("X-RateLimit-Remaining") or "").strip()
    reset = (headers.get("X-RateLimit-Reset") or "").strip()
    if remaining.isdigit() and len(remaining) <= 12:
        reset_at = None
        if reset.isdigit():  # an absurd number of digits is as far off as a reset may be
            reset_at = float(reset) if len(reset) <= 12 else time.time() + MAX_BLOCK_SECONDS
        return int(remaining), reset_at
    match = _IETF_RATE_LIMIT.search(headers.get("RateLimit") or "")
    if match:
        r, t = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        return int(r), time.time() + min(int(t), MAX_BLOCK_SECONDS)
    return None, None


def _clamp_epoch(epoch: float) -> float:
    now = time.time()
    return min(max(epoch, now), now + MAX_BLOCK_SECONDS)


def _etag(value: Any) -> str | None:
    """An ETag worth sending back: a quoted printable-ASCII tag, else None (the answer is kept without)."""
    return value.strip() if isinstance(value, str) and _ETAG.fullmatch(value.strip()) else None


def _safe_for_token(base_url: str) -> bool:
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme == "https":
        return True
    try:
        return parts.hostname == "localhost" or ipaddress.ip_address(parts.hostname or "").is_loopback
    except ValueError:
        return False


def _describe(error: httpx.TransportError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    return clean_text(f"connection failed ({type(error).__name__})", 200)


def _reason(status: int) -> str:
    return http.client.responses.get(status, "error")


def _clock(epoch: float) -> str:
    return time.strftime("%H:%M UTC", time.gmtime(_clamp_epoch(epoch)))
