"""A built site served as a static host serves it, and a client that fetches from it: what
`litweave check` reads the site through.

The server answers on 127.0.0.1 at a port the system picks, from a thread of this process, under
the base path only (as GitHub Pages serves a project site at `/repo/`): a path outside it is a
404, a folder's URL gives its `index.html`, a folder named without its trailing slash is a 301 to
it, and a path that would leave the site (`..`, a link pointing out) is a 404. HTTP/1.1 with
keep-alive and TCP_NODELAY on both ends: without NODELAY every keep-alive response waits out the
peer's delayed acknowledgement (about 20 ms each, five minutes for 13,000 pages); with it the
server answers several thousand requests a second.
"""

from __future__ import annotations

import http.client
import mimetypes
import os
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote, unquote, urlsplit

from litweave.build.pool import MIN_ITEMS, parallel_map
from litweave.urls import UnsafePathError, safe_join

T = TypeVar("T")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    root: Path
    base: str
    requests: int = 0
    """Requests answered: what `check` reports as fetched over HTTP."""
    lock: threading.Lock


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        with self.server.lock:
            self.server.requests += 1
        path = unquote(urlsplit(self.path).path)
        base = self.server.base
        if path == base.rstrip("/") and base != "/":
            self._send(301, b"", location=base)
            return
        if not path.startswith(base):
            self._send(404, b"")
            return
        rel = path[len(base) :]
        try:
            target = safe_join(self.server.root, rel) if rel.strip("/") else self.server.root
        except UnsafePathError:
            self._send(404, b"")
            return
        if target.is_dir():
            if rel and not rel.endswith("/"):
                self._send(301, b"", location=quote(path + "/"))
                return
            target = target / "index.html"
        try:
            data = target.read_bytes() if body else b""
            size = len(data) if body else target.stat().st_size
        except OSError:  # missing, or a folder where a file was asked for
            self._send(404, b"")
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self._send(200, data, kind=kind, size=size)

    def _send(self, status: int, data: bytes, *, kind: str = "", location: str = "", size: int | None = None) -> None:
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(data) if size is None else size))
        self.end_headers()
        if data:
            self.wfile.write(data)


@dataclass(frozen=True, slots=True)
class Answer:
    """What the host answered for one path."""

    status: int
    location: str = ""
    """Where a 301 points (a path)."""


@contextmanager
def serve(site: Path, base: str) -> Iterator[_Server]:
    """Serve `site` at http://127.0.0.1:PORT{base} from a thread; yields the server (its `origin`
    is "http://127.0.0.1:PORT", its `requests` the count answered so far)."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.root, server.base, server.lock = site, base, threading.Lock()
    thread = threading.Thread(target=server.serve_forever, name="litweave-check-host", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def origin(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


class Fetcher:
    """Requests over kept-alive connections, one per worker thread or process.

    Many requests are mapped over forked worker processes (`build.pool`), each with its own
    connection, while the server answers from this process's threads: reading what comes back
    (250 MB of HTML at 5,000 papers) is then done on both cores rather than next to the server
    under one interpreter lock. A few are mapped over threads."""

    def __init__(self, origin: str, threads: int = 4, jobs: int = 1) -> None:
        parts = urlsplit(origin)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.threads = threads
        self.jobs = jobs
        self._local = threading.local()
        self._connections: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def _connection(self, fresh: bool = False) -> http.client.HTTPConnection:
        if getattr(self._local, "pid", None) != os.getpid():  # a forked worker: not its parent's socket
            self._local.conn, self._local.pid = None, os.getpid()
        conn: http.client.HTTPConnection | None = self._local.conn
        if conn is None or fresh:
            if conn is not None:
                conn.close()
            conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            conn.connect()
            assert conn.sock is not None
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def fetch(self, method: str, path: str) -> tuple[Answer, bytes]:
        """One request for `path` (decoded; quoted here); the body only for GET with status 200."""
        target = quote(path, safe="/:@!$&'()*+,;=-._~")
        for attempt in (0, 1):
            conn = self._connection(fresh=attempt == 1)
            try:
                conn.request(method, target)
                response = conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                if attempt:
                    raise
        location = unquote(urlsplit(response.getheader("Location") or "").path)
        return Answer(response.status, location), data if response.status == 200 else b""

    def head(self, path: str) -> Answer:
        return self.fetch("HEAD", path)[0]

    def map(self, work: Callable[[str], T], items: Sequence[str]) -> list[T]:
        """`work(item)` for every item, in order: over forked workers when there are many (what
        comes back is pickled, so keep it small), else over threads."""
        if self.jobs > 1 and len(items) >= MIN_ITEMS:
            return parallel_map(work, items, self.jobs)
        with ThreadPoolExecutor(self.threads, thread_name_prefix="litweave-check") as pool:
            return list(pool.map(work, items))

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
