"""Fake Hugging Face Hub and GitHub REST APIs on 127.0.0.1, for the freshness check's tests.

Each fake answers JSON from what a test put in it (and files: the Hub's at
`/{repo}/resolve/main/{path}` as they are, GitHub's from its contents API as
base64 in JSON), with an ETag per answer
(304 when the request's If-None-Match matches), and records every request.
A path can be made to fail instead: any status, a hang longer than the
client's timeout, an answer that is not JSON, or a hostile one: any body
(`body`), sent a byte at a time (`trickle`), never ending (`endless`), late
(`delay`), or not HTTP at all (`raw`). Every hostile answer stops by itself
within HOSTILE_SECONDS, so no server thread outlives a test for long.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.server
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

HANG_SECONDS = 3
HOSTILE_SECONDS = 20


@dataclass
class Failure:
    status: int = 503
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = None  # fail this many times, then answer normally; None: always
    hang: bool = False
    not_json: bool = False
    body: bytes | None = None  # answered with this status and body instead of JSON of a failure
    trickle: float = 0.0  # seconds between the bytes of the body
    endless: bool = False  # after the body, more of it, until the client gives up
    delay: float = 0.0  # seconds before answering
    raw: bytes | None = None  # written as the whole answer, status line included


@dataclass(frozen=True)
class Request:
    path: str
    if_none_match: str | None
    authorization: str | None


class FakeApi:
    def __init__(self) -> None:
        self.answers: dict[str, Any] = {}
        self.files: dict[str, bytes] = {}  # answered as they are, not as JSON
        self.failures: dict[str, Failure] = {}
        self.down: Failure | None = None  # when set, every path fails like this
        self.headers: dict[str, str] = {}  # added to every answer (rate-limit headers, ...)
        self.requests: list[Request] = []
        self.in_flight = 0
        self.most_in_flight = 0  # the most requests answered at once
        self._lock = threading.Lock()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> FakeApi:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def paths(self) -> list[str]:
        with self._lock:
            return [request.path for request in self.requests]

    def clear_log(self) -> None:
        with self._lock:
            self.requests.clear()

    # --- What the fakes know -------------------------------------------------------

    def hub_model(
        self,
        repo: str,
        licence: str | list[str] | None = "apache-2.0",
        *,
        licence_name: str | None = None,
        gated: bool | str = False,
        last_modified: str = "2026-10-01T09:00:00.000Z",
        sha: str = "a" * 40,
        revisions: tuple[str, ...] = (),
        card: dict[str, Any] | None = None,
        files: tuple[str, ...] = ("README.md",),
    ) -> None:
        """A model on the fake Hub, with older `revisions` that its revision endpoint knows.

        `card`: more of the card's metadata (base_model, datasets, language); `files`: its files.
        """
        card = dict(card or {})
        if licence is not None:
            card["license"] = licence
        if licence_name:
            card["license_name"] = licence_name
        tags = [f"license:{item}" for item in ([licence] if isinstance(licence, str) else licence or [])]
        self.answers[f"/api/models/{repo}"] = {
            "_id": "0" * 24,
            "id": repo,
            "sha": sha,
            "lastModified": last_modified,
            "gated": gated,
            "private": False,
            "tags": ["transformers", "safetensors", *tags],
            "cardData": card,
            "siblings": [{"rfilename": name} for name in files],
        }
        for revision in (sha, *revisions):
            self.answers[f"/api/models/{repo}/revision/{revision}"] = {"id": repo, "sha": revision}

    def github_repo(
        self,
        repo: str,
        spdx_id: str | None = "Apache-2.0",
        *,
        archived: bool = False,
        pushed_at: str = "2026-11-01T12:00:00Z",
        release: str | None = None,
    ) -> None:
        licence = {"key": (spdx_id or "").lower(), "name": spdx_id, "spdx_id": spdx_id} if spdx_id else None
        self.answers[f"/repos/{repo}"] = {
            "id": 1,
            "full_name": repo,
            "archived": archived,
            "disabled": False,
            "pushed_at": pushed_at,
            "license": licence,
            "stargazers_count": 10,
        }
        if release:
            self.answers[f"/repos/{repo}/releases/latest"] = {"tag_name": "v1.0", "published_at": release}

    def hub_file(self, repo: str, path: str, content: str | bytes) -> None:
        """A file of a Hub repository at its head (`main`)."""
        self.files[f"/{repo}/resolve/main/{path}"] = content.encode() if isinstance(content, str) else content

    def github_file(self, repo: str, path: str, content: str | bytes) -> None:
        """A file of a GitHub repository at its head, as the contents API gives it."""
        data = content.encode() if isinstance(content, str) else content
        encoded = base64.encodebytes(data).decode("ascii")  # GitHub wraps its base64 in lines too
        self.answers[f"/repos/{repo}/contents/{path}"] = {
            "type": "file", "encoding": "base64", "size": len(data), "name": path.rsplit("/", 1)[-1],
            "path": path, "content": encoded,
        }  # fmt: skip

    # --- Answering ---------------------------------------------------------------------

    def _failure(self, path: str) -> Failure | None:
        with self._lock:
            failure = self.down or self.failures.get(path)
            if failure is not None and failure.times is not None:
                failure.times -= 1
                if failure.times < 0:
                    del self.failures[path]
                    failure = None
        return failure

    def _answer(
        self, path: str, if_none_match: str | None, failure: Failure | None
    ) -> tuple[int, dict[str, str], bytes]:
        if failure is not None and failure.body is not None:
            return failure.status, dict(failure.headers), failure.body
        if failure is not None and failure.hang:
            time.sleep(HANG_SECONDS)
        if failure is not None and failure.not_json:
            return 200, {}, b"<!doctype html><title>Oops</title>"
        if failure is not None and not failure.hang:
            return failure.status, dict(failure.headers), json.dumps({"message": "failure"}).encode()
        if path in self.files:
            body = self.files[path]
        elif path in self.answers:
            body = json.dumps(self.answers[path]).encode()
        else:
            return 404, {}, json.dumps({"message": "Not Found"}).encode()
        etag = f'W/"{hashlib.sha256(body).hexdigest()[:16]}"'
        if if_none_match == etag:
            return 304, {"ETag": etag}, b""
        return 200, {"ETag": etag}, body

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def handle(self) -> None:
                with contextlib.suppress(OSError):  # the client may give up on a hang first
                    super().handle()

            def do_GET(self) -> None:
                if_none_match = self.headers.get("If-None-Match")
                with fake._lock:
                    fake.requests.append(Request(self.path, if_none_match, self.headers.get("Authorization")))
                    fake.in_flight += 1
                    fake.most_in_flight = max(fake.most_in_flight, fake.in_flight)
                try:
                    self._reply(fake._failure(self.path))
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

            def _reply(self, failure: Failure | None) -> None:
                if failure is not None and failure.delay:
                    time.sleep(failure.delay)
                if failure is not None and failure.raw is not None:
                    self.wfile.write(failure.raw)
                    return
                status, headers, body = fake._answer(self.path, self.headers.get("If-None-Match"), failure)
                self.send_response(status)
                for name, value in {**fake.headers, **headers}.items():
                    self.send_header(name, value)
                streamed = failure is not None and (failure.trickle or failure.endless)
                if status != 304:
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    if not streamed:
                        self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status == 304:
                    return
                if not streamed:
                    self.wfile.write(body)
                    return
                stop = time.monotonic() + HOSTILE_SECONDS
                while time.monotonic() < stop:  # until the client hangs up (an OSError) or time is up
                    for byte in range(len(body)) if failure.trickle else [None]:
                        self.wfile.write(body if byte is None else body[byte : byte + 1])
                        self.wfile.flush()
                        if failure.trickle:
                            time.sleep(failure.trickle)
                    if not failure.endless:
                        return

        return Handler


def drifting_upstream(hub: FakeApi, github: FakeApi) -> None:
    """The upstream of tests/fixtures/catalogues/freshness.yaml: one situation per entry."""
    hub.hub_model("example/steady-lm", "apache-2.0")
    hub.hub_model("example/relicensed-lm", "cc-by-nc-4.0")
    hub.hub_model("example/changed-card", "apache-2.0", last_modified="2026-11-20T08:00:00.000Z")
    github.github_repo("example/steady-lm", "Apache-2.0")
    github.github_repo("example/archived-tool", "Apache-2.0", archived=True, pushed_at="2023-02-01T00:00:00Z")
    github.github_repo("example/dormant-tool", "Apache-2.0", pushed_at="2024-06-01T00:00:00Z")
    github.github_repo(
        "example/released-tool",
        "Apache-2.0",
        pushed_at="2024-01-01T00:00:00Z",
        release="2026-06-01T00:00:00Z",
    )
    github.github_repo("example/mit-tool", "MIT")
    github.github_repo("example/custom-licence-tool", "NOASSERTION")
