"""Benchmark of the link check: how close to the ideal wall time does it get?

    .venv/bin/python scripts/benchmark_links.py [--urls 1000] [--hosts 20] [--delay 0.1]
                                                [--threads N] [--per-host-rate R]

Builds a site whose pages link to `urls` unique external URLs spread evenly over
`hosts` loopback addresses (127.0.0.2, 127.0.0.3, ...), like a catalogue spread
over many sites, each answering after `delay` seconds; runs the real check
(LinkChecker crawls the site, web.py checks the external URLs) over it and
prints the wall time against the ideal:

    ideal = max(unique URLs x delay / concurrency, URLs on the busiest host / per-host rate)

For the worst case (hosts that hang, trickle or throttle), see worst_case_links.py.
Not a test: it prints figures for a person to compare, nothing asserts a time.
"""

from __future__ import annotations

import argparse
import http.server
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from ohm.links.check import check_links
from ohm.links.classify import Status
from ohm.links.settings import read_settings


def start_delayed_server(host: str, delay: float, counts: Counter[str]) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            counts[host] += 1
            time.sleep(delay)
            body = b"<!doctype html><title>ok</title>"
            self.send_response(404 if self.path == "/robots.txt" else 200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def write_site(root: Path, urls: list[str], per_page: int = 50) -> None:
    pages = [urls[i : i + per_page] for i in range(0, len(urls), per_page)]
    index = "".join(f'<a href="page-{n}.html">page {n}</a> ' for n in range(len(pages)))
    (root / "index.html").write_text(f"<!doctype html><title>index</title>{index}", encoding="utf-8")
    for n, page in enumerate(pages):
        links = "".join(f'<a href="{url}">{url}</a> ' for url in page)
        (root / f"page-{n}.html").write_text(f"<!doctype html><title>{n}</title>{links}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.1, help="seconds each answer takes")
    parser.add_argument("--threads", type=int, help="default: from ohm/links/linkcheckerrc")
    parser.add_argument("--per-host-rate", type=float, help="default: from ohm/links/linkcheckerrc")
    args = parser.parse_args(argv)

    settings = read_settings(threads=args.threads, per_host_rate=args.per_host_rate, retries=0)
    counts: Counter[str] = Counter()
    servers = [start_delayed_server(f"127.0.0.{2 + n}", args.delay, counts) for n in range(args.hosts)]
    bases = [f"http://{host}:{port}" for host, port in (s.server_address[:2] for s in servers)]
    urls = [f"{bases[i % args.hosts]}/doc/{i}" for i in range(args.urls)]
    busiest = max(Counter(url.rsplit("/doc/", 1)[0] for url in urls).values())

    with tempfile.TemporaryDirectory() as scratch:
        write_site(Path(scratch), urls)
        start = time.monotonic()
        results = check_links({}, Path(scratch), settings, sleep=lambda _: None)
        wall = time.monotonic() - start
    for server in servers:
        server.shutdown()

    external = [r for r in results if not r.internal]
    ok = sum(1 for r in external if r.outcome.status is Status.OK)
    ideal = max(args.urls * args.delay / settings.threads, busiest / settings.per_host_rate)
    print(f"unique external URLs : {len(external)} ({ok} ok) on {args.hosts} hosts, {busiest} on the busiest")
    print(f"requests served      : {sum(counts.values())} (robots.txt included)")
    print(f"answer delay         : {args.delay * 1000:.0f} ms")
    print(f"concurrency          : {settings.threads} requests at once")
    print(f"per-host rate        : {settings.per_host_rate:g} requests/s")
    print(f"ideal wall time      : {ideal:.1f} s")
    print(f"measured wall time   : {wall:.1f} s")
    print(f"ratio                : {wall / ideal:.2f}x the ideal")
    return 0 if ok == args.urls else 1


if __name__ == "__main__":
    sys.exit(main())
