"""A built site served as a web host would serve it under a sub-path, for the browser tests and
the README screenshots: `/repo/...` maps to the output folder, anything else (and any missing
file) answers 404 with the site's own 404.html when it has one. Threaded, on 127.0.0.1 only, on a
free port the system picks."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Debian's chromium, no browser download: headless, without the calls home a fresh profile makes."""


class _Handler(SimpleHTTPRequestHandler):
    prefix = "/repo/"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass

    def translate_path(self, path: str) -> str:
        url = unquote(urlsplit(path).path)
        if not url.startswith(self.prefix) and url != self.prefix.rstrip("/"):
            return str(Path(self.directory) / ".outside-the-sub-path")  # no such file: 404
        return super().translate_path("/" + url[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve_site(site: Path, prefix: str = "/repo/") -> Iterator[str]:
    """Serve `site` at http://127.0.0.1:PORT{prefix}; yields that URL, stops on exit."""
    handler = partial(type("Handler", (_Handler,), {"prefix": prefix}), directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
