"""Worst case of the link check: how long does a run take when the web fights back?

    .venv/bin/python scripts/worst_case_links.py [--urls 260] [--hosts 26] [--kind mixed]
                                                 [--timeout S] [--host-budget S] [--budget S]

Starts `hosts` hostile servers on loopback addresses (127.0.0.2, 127.0.0.3, ...)
and spreads `urls` catalogue URLs evenly over them; then runs the real check
(ohm.links.check.check_links, the project's settings unless overridden, real
waits between retries) and prints the wall time beside the bound that the
settings promise:

    per host h with n URLs:  T(h) = timeout (robots.txt) + (1 + retries) x n / per_host_rate
                                    + min((1 + retries) x n x timeout, host_budget + timeout)
    bound = min(run_budget, max T(h) + sum T(h) / threads + retry waits)
    retry waits <= max_retry_after + backoff x (2**retries - 1)

Kinds of host: silent (accepts connections, never says a word), hang (robots.txt
answers, pages never do), trickle (pages send their headers a byte at a time),
slow-robots (robots.txt answers after the timeout), slow (every page answers 200
just before the timeout), slow-503 (the same with 503, so retried), retry-after
(429 with Retry-After: 300); mixed cycles through them all.

Not a test: it prints figures for a person to compare, nothing asserts a time.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable

from ohm.links.check import CheckerError, check_links
from ohm.links.settings import Settings, read_settings
from ohm.links.targets import Occurrence

KINDS = ["silent", "hang", "trickle", "slow-robots", "slow", "slow-503", "retry-after"]


class Hostile:
    """One hostile host; `close` releases everything it holds."""

    def __init__(self, address: str, kind: str, timeout: float, stopping: threading.Event):
        self.kind = kind
        if kind == "silent":
            self.socket = socket.socket()
            self.socket.bind((address, 0))
            self.socket.listen(1024)  # the kernel accepts for us; nobody ever reads
            self.base = f"http://{address}:{self.socket.getsockname()[1]}"
            self.server = None
            return
        handler = _handler(kind, timeout, stopping)
        self.server = http.server.ThreadingHTTPServer((address, 0), handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.base = f"http://{address}:{self.server.server_address[1]}"

    def close(self) -> None:
        if self.server is None:
            self.socket.close()
        else:
            self.server.shutdown()
            self.server.server_close()


Handler = type[http.server.BaseHTTPRequestHandler]


def _handler(kind: str, timeout: float, stopping: threading.Event) -> Handler:
    replies: dict[str, Callable[[http.server.BaseHTTPRequestHandler], None]] = {
        "hang": lambda handler: stopping.wait(3600),
        "trickle": _trickle(stopping),
        "slow-robots": lambda handler: _reply(handler, 200),
        "slow": lambda handler: (stopping.wait(0.95 * timeout), _reply(handler, 200)),
        "slow-503": lambda handler: (stopping.wait(0.95 * timeout), _reply(handler, 503)),
        "retry-after": lambda handler: _reply(handler, 429, ("Retry-After", "300")),
    }

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def handle(self) -> None:
            with contextlib.suppress(OSError):  # the checker gave up first: that is the point
                super().handle()

        def do_GET(self) -> None:
            if self.path == "/robots.txt":
                if kind == "slow-robots":
                    stopping.wait(timeout + 5)
                _reply(self, 404)
            else:
                replies[kind](self)

    return Handler


def _trickle(stopping: threading.Event) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def reply(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        while not stopping.wait(0.5):
            handler.wfile.write(b"X")
            handler.wfile.flush()

    return reply


def _reply(handler: http.server.BaseHTTPRequestHandler, status: int, *headers: tuple[str, str]) -> None:
    body = b"<!doctype html><title>page</title>"
    handler.send_response(status)
    for name, value in headers:
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def bound(settings: Settings, urls_per_host: list[int]) -> float:
    """The longest a run may take with these settings, as the module docstring says."""
    t, budget = float(settings.timeout), settings.host_budget_seconds
    tries = 1 + settings.retries
    spacing = 1 / settings.per_host_rate
    per_host = [t + tries * n * spacing + min(tries * n * t, budget + t) for n in urls_per_host]
    waits = settings.max_retry_after_seconds + settings.backoff_seconds * (2**settings.retries - 1)
    total = max(per_host) + sum(per_host) / settings.threads + waits
    return min(settings.run_budget_seconds, total)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--urls", type=int, default=260)
    parser.add_argument("--hosts", type=int, default=26)
    parser.add_argument("--kind", choices=[*KINDS, "mixed"], default="mixed")
    parser.add_argument("--timeout", type=int, help="default: from ohm/links/linkcheckerrc")
    parser.add_argument("--host-budget", type=float, help="default: from ohm/links/linkcheckerrc")
    parser.add_argument("--budget", type=float, help="run budget; default: from ohm/links/linkcheckerrc")
    args = parser.parse_args(argv)

    settings = read_settings(
        timeout=args.timeout, host_budget_seconds=args.host_budget, run_budget_seconds=args.budget
    )
    stopping = threading.Event()
    kinds = [KINDS[n % len(KINDS)] if args.kind == "mixed" else args.kind for n in range(args.hosts)]
    hosts = [Hostile(f"127.0.0.{2 + n}", kind, settings.timeout, stopping) for n, kind in enumerate(kinds)]
    urls = [f"{hosts[i % args.hosts].base}/doc/{i}" for i in range(args.urls)]
    links = {url: [Occurrence("benchmark", "links.docs", None)] for url in urls}
    per_host = list(Counter(url.rsplit("/doc/", 1)[0] for url in urls).values())
    start = time.monotonic()
    try:
        results = check_links(links, None, settings)
    except CheckerError as error:  # every host silent: the run stops as if the network were down
        results = []
        print(f"checker stopped    : {error}")
    finally:
        wall = time.monotonic() - start
        stopping.set()
        for host in hosts:
            host.close()

    statuses = Counter(
        result.outcome.status.value + (f" ({result.outcome.skipped.value})" if result.outcome.skipped else "")
        for result in results
    )
    print(f"URLs, hosts        : {args.urls} on {args.hosts} hosts ({', '.join(sorted(set(kinds)))})")
    print(
        f"settings           : timeout {settings.timeout} s, {settings.threads} threads, "
        f"retries {settings.retries}, host budget {settings.host_budget_seconds:g} s, "
        f"give up after {settings.host_give_up_after} unanswered, "
        f"run budget {settings.run_budget_seconds:g} s"
    )
    print("verdicts           : " + ", ".join(f"{n} {status}" for status, n in sorted(statuses.items())))
    print(f"bound              : {bound(settings, per_host):.0f} s")
    print(f"measured wall time : {wall:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
