"""A small fake web on 127.0.0.1 for link-check tests: one path per behaviour, every request counted."""

from __future__ import annotations

import collections
import contextlib
import http.server
import ssl
import threading
import time
from pathlib import Path

import trustme

HANG_SECONDS = 3


class FakeWeb:
    """HTTPS server whose paths answer like the real web at its worst.

    /ok 200 · /moved 301 -> /new-home · /missing 404 · /flaky 500 then 200, alternately ·
    /busy 429 with Retry-After: 1 · /botwall 403 with Cloudflare's challenge header ·
    /hang answers only after HANG_SECONDS.
    """

    def __init__(self, certificate_dir: Path):
        self.counts: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()
        ca = trustme.CA()
        self.ca_bundle = certificate_dir / "ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_bundle))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1").configure_cert(context)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.base = f"https://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeWeb:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

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
                # The client may give up first (a timeout): that is the point of /hang.
                with contextlib.suppress(OSError, ssl.SSLError):
                    super().handle()

            def do_GET(self) -> None:
                seen = web._count(self.path)
                if self.path == "/ok" or self.path == "/new-home":
                    self._reply(200)
                elif self.path == "/moved":
                    self._reply(301, Location="/new-home")
                elif self.path == "/flaky":
                    self._reply(500 if seen % 2 == 1 else 200)
                elif self.path == "/busy":
                    self._reply(429, **{"Retry-After": "1"})
                elif self.path == "/botwall":
                    self._reply(403, **{"cf-mitigated": "challenge"})
                elif self.path == "/hang":
                    time.sleep(HANG_SECONDS)
                    self._reply(200)
                else:
                    self._reply(404)

            def _reply(self, status: int, **headers: str) -> None:
                body = b"<!doctype html><title>page</title><p>page</p>"
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler
