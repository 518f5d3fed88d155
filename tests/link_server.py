"""A small hostile web on 127.0.0.1 for link-check tests: one path per behaviour, every request counted.

Servers that hang wait on an event that is set when the server stops, so a
hanging server never holds a test longer than the checker's own timeouts.
"""

from __future__ import annotations

import collections
import contextlib
import http.server
import socket
import ssl
import threading
from pathlib import Path

import trustme

HANG_SECONDS = 30  # longer than any test's timeout; ended early when the server stops
CHAIN_PATH = "/chain/"  # /chain/N redirects to /chain/N-1, ..., /chain/0 answers 200


class FakeWeb:
    """HTTPS server (with a plain-HTTP twin) whose paths answer like the real web at its worst.

    /ok, /new-home 200 · /moved 301 -> /new-home · /missing 404 · /flaky 500 then 200, alternately ·
    /busy 429 with Retry-After: 1 · /patient 429 with Retry-After: 300 · /botwall 403 with Cloudflare's
    challenge header · /forbidden plain 403 · /hang answers only after HANG_SECONDS · /trickle sends
    its headers a byte at a time, for ever · /slow answers after `slow_seconds` · /bad-location 301 with
    a malformed Location · /to-ok 301 -> /ok · /gone-moved 301 -> /missing · /insecure 301 -> the
    plain-HTTP twin's /ok · /chain/N N redirects · /a%2Fb 200 only if %2F arrives as written ·
    /p(1) 200 but /p%281%29 404 · /~me 200 but /%7Eme 404 · /two/slashes 200 but /two//slashes 404 ·
    /object answers `object_answer` (status and headers; 200 until a test removes the object) ·
    robots.txt: `robots` (after `robots_delay` seconds), whose requests' User-Agents are kept in
    `robots_agents`.
    """

    def __init__(
        self, ca: trustme.CA, robots: str = "", robots_delay: float = 0.0, slow_seconds: float = 0.0
    ):
        self.counts: collections.Counter[str] = collections.Counter()
        self.robots, self.robots_delay, self.slow_seconds = robots, robots_delay, slow_seconds
        self.robots_agents: list[str] = []
        self.object_answer: tuple[int, dict[str, str]] = (200, {})
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1").configure_cert(context)
        self.server = _server()
        self.server.RequestHandlerClass = self._handler()
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.base = f"https://127.0.0.1:{self.server.server_address[1]}"
        self.plain = _server()
        self.plain.RequestHandlerClass = self._handler()
        self.plain_base = f"http://127.0.0.1:{self.plain.server_address[1]}"

    def __enter__(self) -> FakeWeb:
        for server in (self.server, self.plain):
            threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for server in (self.server, self.plain):
            server.shutdown()
            server.server_close()

    def requests(self) -> dict[str, int]:
        """Requests per path so far, robots.txt left out."""
        with self._lock:
            return {path: n for path, n in self.counts.items() if path != "/robots.txt"}

    def reset(self) -> None:
        with self._lock:
            self.counts.clear()

    def _count(self, path: str) -> int:
        with self._lock:
            self.counts[path] += 1
            return self.counts[path]

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        web = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def handle(self) -> None:
                # The client may give up first (a timeout): that is the point of /hang and /trickle.
                with contextlib.suppress(OSError, ssl.SSLError):
                    super().handle()

            def do_GET(self) -> None:
                path = self.path.partition("?")[0]
                seen = web._count(path)
                if path == "/robots.txt":
                    web.robots_agents.append(self.headers["User-Agent"])
                    web.stopping.wait(web.robots_delay)
                    self._reply(200 if web.robots else 404, web.robots.encode())
                elif path in (
                    "/ok",
                    "/new-home",
                    "/a%2Fb",
                    "/p(1)",
                    "/~me",
                    "/two/slashes",
                    f"{CHAIN_PATH}0",
                ):
                    self._reply(200)
                elif path.startswith(CHAIN_PATH):
                    self._reply(302, Location=f"{CHAIN_PATH}{int(path.removeprefix(CHAIN_PATH)) - 1}")
                elif path in REDIRECTS:
                    self._reply(301, Location=REDIRECTS[path].replace("{plain}", web.plain_base))
                elif path == "/flaky":
                    self._reply(500 if seen % 2 == 1 else 200)
                elif path == "/busy":
                    self._reply(429, **{"Retry-After": "1"})
                elif path == "/patient":
                    self._reply(429, **{"Retry-After": "300"})
                elif path == "/botwall":
                    self._reply(403, **{"cf-mitigated": "challenge"})
                elif path == "/forbidden":
                    self._reply(403)
                elif path == "/object":
                    status, headers = web.object_answer
                    self._reply(status, **headers)
                elif path == "/hang":
                    web.stopping.wait(HANG_SECONDS)
                elif path == "/slow":
                    web.stopping.wait(web.slow_seconds)
                    self._reply(200)
                elif path == "/trickle":
                    self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                    while not web.stopping.wait(0.2):
                        self.wfile.write(b"X")  # one byte of a header that never ends
                        self.wfile.flush()
                else:
                    self._reply(404)

            def _reply(self, status: int, body: bytes = b"", **headers: str) -> None:
                body = body or b"<!doctype html><title>page</title><p>page</p>"
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


REDIRECTS = {
    "/moved": "/new-home",
    "/to-ok": "/ok",
    "/gone-moved": "/missing",
    "/insecure": "{plain}/ok",
    "/bad-location": "http://[::1",
}


def _server() -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    server.daemon_threads = True
    return server


class BlackHole:
    """A host that accepts connections and never says a word (not even TLS's hello)."""

    def __enter__(self) -> BlackHole:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)  # the kernel accepts for us; nobody ever reads
        self.base = f"https://127.0.0.1:{self.socket.getsockname()[1]}"
        return self

    def __exit__(self, *exc: object) -> None:
        self.socket.close()


def write_ca(ca: trustme.CA, directory: Path) -> Path:
    path = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path
