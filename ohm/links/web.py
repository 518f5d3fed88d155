"""Check external URLs: each as written, host by host, politely, and always within the run's time.

    check_urls(urls, settings, deadline) -> {url: Checked(outcome, attempts)}

LinkChecker crawls our own site (engine.py), but external URLs are checked
here, because a nightly run must end with a report whatever the web does.
LinkChecker files a redirect's result under its target too and merges URLs
that differ on the wire into one cache entry (so some URLs got no result),
turns a malformed Location header into an internal error, cannot give up on a
host, and times out per read, not per request (a server trickling its headers
held it for minutes).

Here:
- every URL gets its own Outcome; spellings that send the same request
  (request_key) are requested once and share it;
- every request has a hard deadline (`timeout`), and nothing starts after the
  run's deadline;
- each host's URLs are checked one after another, at most `per_host_rate` per
  second, with at most `threads` requests at once over all hosts;
- robots.txt is read once per host with our User-Agent and CA bundle; if it
  does not answer in time, nothing else on that host is asked;
- a host is given up after `host_give_up_after` requests in a row without an
  answer, or once its answers took `host_budget_seconds` in all;
- redirects are followed by hand (up to `max_redirects`), so the chain is known;
- transient failures are checked again after a backoff; a 429's Retry-After is
  honoured once, if it is not longer than `max_retry_after_seconds`; a TLS
  failure (a bad certificate, a refused handshake) is not transient.
"""

from __future__ import annotations

import asyncio
import email.utils
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx
from protego import Protego

from .classify import BOT_WALL_HEADER, Outcome, Skip, Status, verdict
from .settings import Settings

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: at least 500 KiB of a robots.txt must be read
ROBOTS_MAX_REDIRECTS = 5  # RFC 9309: follow at least five


@dataclass
class Checked:
    outcome: Outcome
    attempts: int = 1


def request_key(url: str) -> str:
    """What goes on the wire for `url`: URLs with the same key are one request.

    The key is httpx's own reading of the URL, the one it sends: host case,
    a default port, `/./` and the fragment make no difference, while `%28`
    and `(`, `%7E` and `~`, `//` and `/`, a trailing `?`, and `%2F` and `/`
    do (servers may tell them apart).
    """
    parsed = web_url(url)
    port = parsed.port or {"http": 80, "https": 443}.get(parsed.scheme)
    return f"{parsed.scheme}://{parsed.raw_host.decode('ascii')}:{port}{parsed.raw_path.decode('ascii')}"


def check_urls(
    urls: Iterable[str], settings: Settings, deadline: float, sleep: Callable[[float], None] = time.sleep
) -> dict[str, Checked]:
    """Check every URL (http or https); `deadline` is a time.monotonic() value."""
    return asyncio.run(_check_all(sorted(set(urls)), settings, deadline, sleep))


async def _check_all(
    urls: list[str], settings: Settings, deadline: float, sleep: Callable[[float], None]
) -> dict[str, Checked]:
    checked: dict[str, Checked] = {}
    spellings: dict[str, list[str]] = {}
    for url in urls:
        try:
            spellings.setdefault(request_key(url), []).append(url)
        except ValueError as error:
            checked[url] = Checked(Outcome(Status.FAILING, f"not a valid web address: {error}"))
    async with _client(settings) as client:
        run = _Run(client, settings, deadline)
        # One URL stands for each request; its result goes to every spelling.
        first = {key: written[0] for key, written in spellings.items()}
        results = await run.round(list(first.values()))
        for key, url in first.items():
            for written in spellings[key]:
                checked[written] = results[url]
        await _retry(run, first, spellings, checked, sleep)
    return checked


async def _retry(
    run: _Run,
    first: dict[str, str],
    spellings: dict[str, list[str]],
    checked: dict[str, Checked],
    sleep: Callable[[float], None],
) -> None:
    settings = run.settings
    honoured: set[str] = set()  # URLs whose Retry-After was waited out once already
    for attempt in range(1, settings.retries + 1):
        waits = {}
        for url in first.values():
            wait = _wait_before_retry(checked[url].outcome, attempt, settings, url in honoured)
            if wait is not None and not run.given_up(url):
                waits[url] = wait
        if not waits:
            return
        wait = max(waits.values())
        if time.monotonic() + wait >= run.deadline:
            return  # no time left to wait: report what this run has
        sleep(wait)  # nothing else runs meanwhile
        honoured |= {url for url in waits if checked[url].outcome.retry_after is not None}
        again = await run.round(list(waits))
        for url, result in again.items():
            if result.outcome.status is Status.NOT_CHECKED:
                continue  # a retry that could not be made proves nothing: keep what the URL did
            for written in spellings[request_key(url)]:
                checked[written] = Checked(result.outcome, checked[url].attempts + 1)


def _wait_before_retry(outcome: Outcome, attempt: int, settings: Settings, honoured: bool) -> float | None:
    """Seconds to wait before checking again, or None when another check is pointless."""
    if not outcome.transient:
        return None
    backoff = settings.backoff_seconds * 2 ** (attempt - 1)
    if outcome.retry_after is None:
        return backoff
    if honoured or outcome.retry_after > settings.max_retry_after_seconds:
        return None
    return max(backoff, outcome.retry_after)


def _client(settings: Settings) -> httpx.AsyncClient:
    verify: ssl.SSLContext | bool = True
    if settings.ca_bundle:
        verify = ssl.create_default_context(cafile=settings.ca_bundle)
    return httpx.AsyncClient(
        headers={"User-Agent": settings.user_agent, "Accept": "*/*"},
        verify=verify,
        timeout=httpx.Timeout(settings.timeout),
        limits=httpx.Limits(max_connections=settings.threads, max_keepalive_connections=settings.threads),
        follow_redirects=False,
        event_hooks={"response": [_take_location]},
    )


async def _take_location(response: httpx.Response) -> None:
    """Move a redirect's Location header out of httpx's sight.

    httpx reads it to prepare the next request even when it does not follow
    redirects, and a malformed one then fails the whole request; we follow
    redirects ourselves and judge the header in _redirect_target.
    """
    if "location" in response.headers:
        response.extensions[_LOCATION] = response.headers["location"]
        del response.headers["location"]


_LOCATION = "ohm-location"


@dataclass(frozen=True)
class _Answer:
    code: int
    reason: str
    location: str | None
    retry_after: float | None
    body: bytes = b""
    bot_wall: bool = False  # the answer carried a bot wall's mark (classify.BOT_WALL_HEADER)

    @property
    def redirects(self) -> bool:
        return 300 <= self.code < 400 and self.code != 304


@dataclass(frozen=True)
class _Silence:
    """No HTTP answer: a timeout, a refused connection, a TLS or protocol failure."""

    detail: str
    timed_out: bool = False  # the request used up its time: counts towards giving up on the host
    out_of_time: bool = False  # cut short by the run's deadline, not the host's fault
    tls: bool = False  # the host's TLS was refused (certificate, protocol): asking again changes nothing


@dataclass
class _Host:
    """What one host (scheme, name and port) allowed and cost so far in this run."""

    name: str
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_slot: float = 0.0
    waited: float = 0.0  # seconds spent waiting for its answers, robots.txt included
    silent_in_a_row: int = 0
    answered: bool = False  # gave any HTTP answer in this run (robots.txt included)
    robots_read: bool = False
    robots: Protego | None = None  # None: everything allowed
    given_up: Outcome | None = None  # NOT_CHECKED for whatever else is on this host


class _BadRedirect(Exception):
    pass


class _Run:
    def __init__(self, client: httpx.AsyncClient, settings: Settings, deadline: float):
        self.client = client
        self.settings = settings
        self.deadline = deadline
        self.slots = asyncio.Semaphore(settings.threads)
        self.hosts: dict[str, _Host] = {}

    def given_up(self, url: str) -> bool:
        return self._host(web_url(url)).given_up is not None

    async def round(self, urls: list[str]) -> dict[str, Checked]:
        """Check `urls`, each host's one after another; whatever the deadline left unchecked says so."""
        results: dict[str, Checked] = {}
        by_host: dict[str, list[str]] = {}
        for url in urls:
            by_host.setdefault(_host_name(web_url(url)), []).append(url)

        async def check_host(host_urls: list[str]) -> None:
            for url in host_urls:
                results[url] = Checked(await self.check(url))

        loop = asyncio.get_running_loop()
        # The requests themselves stop at the deadline; this only guards against a stuck task.
        safety_net = loop.time() + max(0.0, self.deadline - time.monotonic()) + 5
        try:
            async with asyncio.timeout_at(safety_net), asyncio.TaskGroup() as group:
                for host_urls in by_host.values():
                    group.create_task(check_host(host_urls))
        except TimeoutError:
            pass
        out_of_time = Checked(self._out_of_time())
        return {url: results.get(url, out_of_time) for url in urls}

    async def check(self, url: str) -> Outcome:
        try:
            return await self._follow(url)
        except Exception as error:  # one URL must never stop the run, whatever it does to us
            return Outcome(Status.ERROR, f"the checker failed on this URL: {type(error).__name__}: {error}")

    async def _follow(self, written: str) -> Outcome:
        current = web_url(written)
        chain: list[str] = []
        for _hop in range(self.settings.max_redirects + 1):
            skip = await self._may_request(current)
            if skip is not None:
                return replace(skip, redirects=tuple(chain))
            answer = await self._request(current)
            if isinstance(answer, _Silence):
                if answer.out_of_time:
                    return replace(self._out_of_time(), redirects=tuple(chain))
                return Outcome(
                    Status.FAILING,
                    answer.detail + _after(chain),
                    redirects=tuple(chain),
                    transient=not answer.tls,
                    answered=bool(chain) or self._host(current).answered,
                )
            if not answer.redirects:
                outcome = verdict(answer.code, answer.reason, written, tuple(chain), answer.bot_wall)
                return replace(outcome, retry_after=answer.retry_after) if answer.code == 429 else outcome
            try:
                current = _redirect_target(current, answer.location)
            except _BadRedirect as error:
                detail = f"{answer.code} {answer.reason}: {error}".strip()
                return Outcome(Status.FAILING, detail + _after(chain), redirects=tuple(chain))
            chain.append(str(current))
        return Outcome(
            Status.FAILING, f"more than {self.settings.max_redirects} redirects", redirects=tuple(chain)
        )

    async def _may_request(self, url: httpx.URL) -> Outcome | None:
        """None when `url` may be requested now, else why not."""
        host = self._host(url)
        if host.given_up is None and time.monotonic() >= self.deadline:
            return self._out_of_time()
        if host.given_up is None and not host.robots_read:
            await self._read_robots(host, url)
        if host.given_up is not None:
            return host.given_up
        if host.robots is not None and not host.robots.can_fetch(str(url), self.settings.user_agent):
            return Outcome(Status.NOT_CHECKED, "robots.txt forbids checking this URL", skipped=Skip.ROBOTS)
        return None

    async def _read_robots(self, host: _Host, url: httpx.URL) -> None:
        async with host.lock:
            if host.robots_read:
                return
            target = url.copy_with(path="/robots.txt", query=None)
            for _hop in range(ROBOTS_MAX_REDIRECTS + 1):
                answer = await self._request(target, read_body=True)
                if not isinstance(answer, _Answer) or not answer.redirects:
                    break
                try:
                    target = _redirect_target(target, answer.location)
                except _BadRedirect:
                    break
            if isinstance(answer, _Silence) and answer.timed_out:
                if not answer.out_of_time and host.given_up is None:
                    host.given_up = Outcome(
                        Status.NOT_CHECKED,
                        f"robots.txt gave {answer.detail}: nothing else on this host was asked",
                        answered=False,
                        skipped=Skip.ROBOTS_SILENT,
                    )
                if not answer.out_of_time:
                    host.robots_read = True
                return
            # Any other failure (refused, TLS, 4xx, 5xx): no rules; the pages' own answers will tell.
            host.robots_read = True
            if isinstance(answer, _Answer) and 200 <= answer.code < 300:
                try:
                    host.robots = Protego.parse(answer.body.decode("utf-8", errors="replace"))
                except Exception:  # a robots.txt this parser cannot read sets no rules
                    host.robots = None

    async def _request(self, url: httpx.URL, read_body: bool = False) -> _Answer | _Silence:
        """One GET, within the timeout and the run's deadline, counted against its host."""
        host = self._host(url)
        await self._wait_for_slot(host)
        async with self.slots:
            limit = min(float(self.settings.timeout), self.deadline - time.monotonic())
            if limit <= 0:
                return _Silence("the run's time budget ran out", out_of_time=True)
            started = time.monotonic()
            try:
                async with asyncio.timeout(limit), self.client.stream("GET", url) as response:
                    body = await _read_up_to(response, ROBOTS_MAX_BYTES) if read_body else b""
                    result: _Answer | _Silence = _Answer(
                        response.status_code,
                        response.reason_phrase,
                        response.extensions.get(_LOCATION),
                        _retry_after(response.headers.get("retry-after")),
                        body,
                        response.headers.get(BOT_WALL_HEADER[0], "").lower() == BOT_WALL_HEADER[1],
                    )
            except (TimeoutError, httpx.TimeoutException):
                out_of_time = limit < self.settings.timeout
                result = _Silence(f"no answer within {limit:.0f} s", timed_out=True, out_of_time=out_of_time)
            except httpx.TransportError as error:
                result = _Silence(f"{type(error).__name__}: {error}".rstrip(": "), tls=_tls_refused(error))
            finally:
                host.waited += time.monotonic() - started
        self._count(host, result)
        return result

    async def _wait_for_slot(self, host: _Host) -> None:
        now = time.monotonic()
        slot = max(now, host.next_slot)
        host.next_slot = slot + 1.0 / self.settings.per_host_rate
        delay = min(slot, self.deadline) - now
        if delay > 0:
            await asyncio.sleep(delay)

    def _count(self, host: _Host, result: _Answer | _Silence) -> None:
        settings = self.settings
        # Only requests that cost time count: a refused connection costs nothing, and
        # a host whose name no longer resolves must show every link it breaks.
        if isinstance(result, _Answer):
            host.silent_in_a_row = 0
            host.answered = True
        elif result.timed_out and not result.out_of_time:
            host.silent_in_a_row += 1
        if host.given_up is not None:
            return
        if host.silent_in_a_row >= settings.host_give_up_after:
            host.given_up = Outcome(
                Status.NOT_CHECKED,
                f"host unreachable: given up after {host.silent_in_a_row} requests without an answer",
                answered=host.answered,
                skipped=Skip.HOST_UNREACHABLE,
            )
        elif host.waited >= settings.host_budget_seconds:
            host.given_up = Outcome(
                Status.NOT_CHECKED,
                f"the host used up its time budget ({settings.host_budget_seconds:g} s of answers)",
                skipped=Skip.HOST_BUDGET,
            )

    def _out_of_time(self) -> Outcome:
        return Outcome(
            Status.NOT_CHECKED,
            f"the run's time budget ({self.settings.run_budget_seconds:g} s) ran out first",
            skipped=Skip.RUN_BUDGET,
        )

    def _host(self, url: httpx.URL) -> _Host:
        name = _host_name(url)
        if name not in self.hosts:
            self.hosts[name] = _Host(name)
        return self.hosts[name]


def _tls_refused(error: BaseException) -> bool:
    """True when `error` comes from TLS itself (a certificate, a protocol), not a connection cut short."""
    cause: BaseException | None = error
    for _depth in range(10):  # a chain of causes is short; never follow a cycle for ever
        if cause is None:
            return False
        if isinstance(cause, ssl.SSLError) and not isinstance(
            cause, ssl.SSLEOFError | ssl.SSLZeroReturnError
        ):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _host_name(url: httpx.URL) -> str:
    return f"{url.scheme}://{url.netloc.decode('ascii')}"


def _after(chain: list[str]) -> str:
    return f" (after {len(chain)} redirect{'s' if len(chain) > 1 else ''})" if chain else ""


def web_url(url: str) -> httpx.URL:
    """`url` as httpx will send it, without its fragment; ValueError if it is no http(s) address."""
    try:
        parsed = httpx.URL(url).copy_with(fragment=None)
    except httpx.InvalidURL as error:
        raise ValueError(str(error)) from None
    if parsed.scheme not in ("http", "https"):
        raise ValueError(f"{parsed.scheme or 'no'} scheme, not http or https")
    host = parsed.host
    if not host or any(c in host for c in ' %<>\\^`{|}"') or not 0 < (parsed.port or 1) < 65536:
        raise ValueError(f"malformed host or port in {url!r}")
    return parsed


def _redirect_target(current: httpx.URL, location: str | None) -> httpx.URL:
    """Where a redirect leads, or _BadRedirect saying what is wrong with its Location header."""
    if location is None or not location.strip():
        raise _BadRedirect("redirect without a Location header")
    try:
        written = urlsplit(location.strip())
        if written.scheme.lower() in ("http", "https") and not written.netloc:
            raise ValueError("no host")
        return web_url(str(current.join(location.strip())))
    except (httpx.InvalidURL, ValueError) as error:
        raise _BadRedirect(f"malformed Location header {location!r} ({error})") from None


async def _read_up_to(response: httpx.Response, limit: int) -> bytes:
    body = b""
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) >= limit:
            break
    return body[:limit]


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number, or an HTTP date."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
