"""`litweave serve`: build, serve on 127.0.0.1, rebuild in-process on every change, reload the browser.

The site is built into a folder of its own (`.litweave-cache/serve/`), so `serve` never touches
`site/`, and served under the base URL it is built for (the settings' `base_url`, or
`serve --base-url`), as GitHub Pages would serve it: with a base of "/repo/" the site is at
http://127.0.0.1:8000/repo/, "/" redirects there, and any other path answers with the site's own
404 page. The path served is read back from the manifest of the build being served, so the server
and the pages' links cannot disagree; a site that works under `serve` works once published.

Each build is swapped in whole, as `build` swaps site/ (build/staging.py): the server reads the
served folder by its path on every request, so it serves the last build or the new one, never a
mix of both.

The graph, the stage-1 cache and the compiled matcher stay warm in memory (a `BuildState`), and
a watcher thread is told of every change by the operating system, so a saved note is rebuilt and
served within a fraction of a second. Every build that finishes reloads the browser:
livereload's own poller is not used (it polls every 0.8 s and drops a second change within 3 s).
A content error is printed in the terminal and shown as an overlay in the browser, while the
last good site stays served. Only the loopback interface by default: a reading list with private
notes is not for the whole network.
"""

from __future__ import annotations

import errno
import gc
import json
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from litweave.atomic import write_bytes
from litweave.build.cache import CACHE_DIR
from litweave.build.pipeline import BuildReport, BuildState, build_site
from litweave.build.writer import Manifest
from litweave.config import Config
from litweave.urls import NOT_FOUND, absolute
from litweave.wording import REPEATED_NOTE, plural

SERVE_DIR = f"{CACHE_DIR}/serve"
STATUS = "_litweave/status.json"
"""Written into the served folder after every build: the errors the overlay shows, if any."""
DEBOUNCE_MS = 40
"""Changes within this long of each other are one save (an editor writes, renames, touches)."""
STEP_MS = 10

_OVERLAY = """<script>(function(){fetch(%s,{cache:"no-store"}).then(function(r){return r.json()})
.then(function(s){if(!s.errors||!s.errors.length)return;var d=document.createElement("div");
d.setAttribute("role","alert");d.style.cssText="position:fixed;inset:0 0 auto 0;z-index:99999;max-height:60vh;"+
"overflow:auto;background:#7f1d1d;color:#fff;font:14px/1.4 monospace;padding:1em;white-space:pre-wrap";
d.textContent="litweave: the last build failed; this is the last good site.\\n\\n"+s.errors.join("\\n");
document.body.appendChild(d)}).catch(function(){})})();</script>"""


def overlay(base_url: str) -> bytes:
    """The script that shows the last build's errors over the page, fetching the status file from
    under the base URL."""
    return (_OVERLAY % json.dumps(absolute(base_url, STATUS))).encode("utf-8")


def watched(config: Config) -> list[Path]:
    """What a build reads: content/, templates/ and the settings files (not site/ nor the cache,
    which the build itself writes)."""
    paths = [config.content, config.templates, config.root / "pyproject.toml", config.root / "litweave.toml"]
    return [p for p in paths if p.exists()]


class Rebuilder:
    """Builds the served folder; keeps the build state warm and the status file current."""

    def __init__(self, config: Config, on_built: Callable[[], None] = lambda: None) -> None:
        self.config = config
        self.state = BuildState(known={}, quiet=True)
        self.on_built = on_built
        self.lock = threading.Lock()

    def build(self, jobs: int | None = 1) -> BuildReport:
        with self.lock:
            start = time.perf_counter()
            # no search step: Pagefind reads the whole site again after every save (seconds at
            # a few thousand papers); `litweave build` makes the search index
            # the served folder is litweave's own: the status file is all it holds besides the
            # build's outputs, so the build need not walk it to find what else to carry over
            report = build_site(self.config, jobs=jobs, state=self.state, search=False, carried=(STATUS,))
            problems = [str(d) for d in report.diagnostics if d.level == "error"]
            shown, repeated = report.shown()
            for d in shown:
                if d.level != "info":
                    print(str(d), file=sys.stderr)
            if repeated:
                print(REPEATED_NOTE.format(count=plural(repeated, "warning")), file=sys.stderr)
            status = {"ok": report.ok, "errors": problems}
            write_bytes(self.config.output / STATUS, json.dumps(status).encode("utf-8"))
            seconds = time.perf_counter() - start
            if report.write is not None:
                print(f"rebuilt in {seconds:.2f} s: {plural(len(report.write.written), 'file')} changed", flush=True)
            else:
                print(f"build failed ({plural(len(problems), 'error')}); still serving the last good site", flush=True)
            self.on_built()
            return report


def watch(config: Config, rebuild: Callable[[], object], stop: threading.Event) -> None:
    """Rebuild once per burst of changes until `stop` is set. The operating system tells of
    changes as they happen (inotify, through watchfiles), so nothing polls the knowledge base;
    changes made while a build runs are gathered and give one more build."""
    from watchfiles import watch as changes

    for _batch in changes(*watched(config), debounce=DEBOUNCE_MS, step=STEP_MS, stop_event=stop):
        try:
            rebuild()
        except Exception as exc:  # noqa: BLE001 - the server outlives a failed build
            print(f"litweave serve: build crashed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)


def listen_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port ("" spared: None when it can), in words:
    a name that is no address, an address of no interface of this machine, a port in use."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        return f"{host!r} is not a host name or address ({getattr(exc, 'strerror', None) or exc})"
    with socket.socket(family, kind, proto) as probe:
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is in use; choose another with --port"
            if exc.errno == errno.EADDRNOTAVAIL:
                return f"{host} is not an address of this machine; use 127.0.0.1, or 0.0.0.0 for every interface"
            return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    return None


def _handler_class(base_url: str, root: Path):  # type: ignore[no-untyped-def]
    """livereload's static handler, with the error overlay injected into every HTML page and the
    site's 404 page for a missing file."""
    from livereload.handlers import StaticFileHandler

    script = overlay(base_url)

    class Handler(StaticFileHandler):  # type: ignore[misc, valid-type]
        @classmethod
        def get_content(cls, abspath, start=None, end=None):  # type: ignore[no-untyped-def]
            if abspath.endswith(".html"):
                return _with_overlay(abspath, script)
            return super().get_content(abspath, start, end)

        def get_content_size(self):  # type: ignore[no-untyped-def]
            if self.absolute_path.endswith(".html"):
                return len(_with_overlay(self.absolute_path, script))
            return super().get_content_size()

        def write_error(self, status_code, **kwargs):  # type: ignore[no-untyped-def]
            if status_code != 404 or not _answer_not_found(self, root, script):
                super().write_error(status_code, **kwargs)

    return Handler


def _answer_not_found(handler, root: Path, script: bytes) -> bool:  # type: ignore[no-untyped-def]
    """Answer with the site's 404 page, as GitHub Pages answers a missing file; False when the
    site has none (Tornado's plain error page is sent instead)."""
    page = root / NOT_FOUND
    if not page.is_file():
        return False
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.finish(_with_overlay(str(page), script))
    return True


def _outside_handler(root: Path, base_url: str):  # type: ignore[no-untyped-def]
    """Every path outside the base URL: "/" and the base without its slash redirect to the base,
    anything else is not found."""
    from tornado.web import RequestHandler

    script = overlay(base_url)

    class Outside(RequestHandler):  # type: ignore[misc]
        def get(self, *args: str) -> None:
            if self.request.path in ("/", base_url.rstrip("/")):
                self.redirect(base_url)
                return
            self.send_error(404)

        def write_error(self, status_code, **kwargs):  # type: ignore[no-untyped-def]
            if status_code != 404 or not _answer_not_found(self, root, script):
                super().write_error(status_code, **kwargs)

        head = get

    return Outside


def _with_overlay(path: str, script: bytes) -> bytes:
    data = Path(path).read_bytes()
    at = data.rfind(b"</body>")
    return data[:at] + script + data[at:] if at >= 0 else data + script


def served_base(output: Path, configured: str) -> str:
    """The base URL the served folder was built for, from its manifest (the configured one when
    the first build failed before writing one)."""
    return Manifest.read(output).base_url or configured


def serve(config: Config, host: str = "127.0.0.1", port: int = 8000) -> int:
    problem = listen_problem(host, port)
    if problem is not None:
        print(f"litweave serve: {problem}", file=sys.stderr)
        return 2
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    config = replace(config, output_dir=SERVE_DIR)
    loop: list[IOLoop] = []

    def reload_browsers() -> None:
        if loop:
            loop[0].add_callback(LiveReloadHandler.reload_waiters)

    rebuilder = Rebuilder(config, reload_browsers)
    rebuilder.build(jobs=None)
    gc.freeze()  # what the first build made lives as long as the server: no collection walks it again

    class OwnWatcher(Watcher):  # type: ignore[misc]
        """Tells livereload that changes are watched elsewhere (the thread below)."""

        def start(self, callback):  # type: ignore[no-untyped-def]
            return True

        def examine(self):  # type: ignore[no-untyped-def]
            return None, None

    watcher = OwnWatcher()
    watcher.watch(str(config.content))
    base_url = served_base(config.output, config.base_url)
    server = _server_class(base_url, config.output)(watcher=watcher)
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(config, rebuilder.build, stop), daemon=True)
    loop.append(IOLoop.current())
    thread.start()
    print(f"serving at http://{host}:{port}{base_url} (Ctrl-C to stop)", flush=True)
    try:
        server.serve(root=str(config.output), host=host, port=port, open_url_delay=None, restart_delay=0)
    except OSError as exc:
        reason = "in use" if exc.errno == errno.EADDRINUSE else exc.strerror
        print(f"litweave serve: cannot listen on {host}:{port}: {reason}", file=sys.stderr)
        return 2
    finally:
        stop.set()
    return 0


def _server_class(base_url: str, root: Path):  # type: ignore[no-untyped-def]
    """livereload's server with the site mounted at the base URL (its own /livereload routes stay
    at the root, where its script looks for them)."""
    import re

    from livereload import Server

    static = _handler_class(base_url, root)

    class BasedServer(Server):  # type: ignore[misc]
        def get_web_handlers(self, script):  # type: ignore[no-untyped-def]
            options = {"path": self.root or ".", "default_filename": self.default_filename}
            handlers = [(re.escape(base_url) + "(.*)", static, options)]
            if base_url != "/":
                handlers.append((r"(.*)", _outside_handler(root, base_url)))
            return handlers

    return BasedServer
