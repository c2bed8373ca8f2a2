"""`litweave serve` as a person uses it: a real server process on a free loopback port, files
edited on disk, pages fetched over HTTP."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from litweave.commands.serve import SERVE_DIR


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


@pytest.fixture
def server(kb: Path) -> Iterator[tuple[Path, str, subprocess.Popen[str]]]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "litweave.cli", "--root", str(kb), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: "<html" in fetch(base + "/"))
        yield kb, base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_serve_picks_up_edits_and_survives_a_content_error(
    server: tuple[Path, str, subprocess.Popen[str]],
) -> None:
    kb, base, proc = server
    page = kb / "content" / "papers" / "lu-2001-insulin-like.md"
    url = base + "/papers/lu-2001-insulin-like/"
    good = page.read_text(encoding="utf-8")
    page.write_text(good + "\nFirst marker note.\n", encoding="utf-8")
    wait_for(lambda: "First marker note." in fetch(url))
    # a second save right after the first is not dropped
    page.write_text(good + "\nSecond marker note.\n", encoding="utf-8")
    wait_for(lambda: "Second marker note." in fetch(url))

    page.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    wait_for(lambda: json.loads(fetch(base + "/_litweave/status.json"))["errors"])
    status = json.loads(fetch(base + "/_litweave/status.json"))
    assert any("lu-2001-insulin-like.md" in e for e in status["errors"])
    assert "Second marker note." in fetch(url)  # the last good site stays served
    # every served page carries the overlay script that shows those errors (run in a browser)
    assert (
        "/_litweave/status.json" in fetch(url)
        and "/_litweave/status.json"
        not in (kb / SERVE_DIR / "papers" / "lu-2001-insulin-like" / "index.html").read_text()
    )

    page.write_text(good + "\nThird marker note.\n", encoding="utf-8")
    wait_for(lambda: "Third marker note." in fetch(url))
    # the status is written once the build is over, just after its pages are in place
    wait_for(lambda: json.loads(fetch(base + "/_litweave/status.json"))["errors"] == [])
    assert proc.poll() is None
    # serve builds a folder of its own: site/ is not touched
    assert not (kb / "site").exists()
    assert (kb / SERVE_DIR / "index.html").is_file()


def test_serve_ends_on_the_right_site_after_a_burst_of_changes(
    server: tuple[Path, str, subprocess.Popen[str]],
) -> None:
    kb, base, _proc = server
    papers = kb / "content" / "papers"
    for i in range(500):
        (papers / f"burst-{i % 50:02d}.md").write_text(
            f"---\ntitle: Burst paper {i % 50} version {i}\nyear: 2020\n---\n", encoding="utf-8"
        )
    wait_for(lambda: "version 499" in fetch(base + "/papers/burst-49/"), seconds=60)
    assert "version 450" in fetch(base + "/papers/burst-00/")
    assert "Burst paper 49" in fetch(base + "/papers/")


def test_serve_refuses_path_traversal(server: tuple[Path, str, subprocess.Popen[str]]) -> None:
    kb, base, _proc = server
    (kb / "secret.txt").write_text("private\n", encoding="utf-8")
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/papers/..%2f..%2fsecret.txt", "/..%2F..%2Fsecret.txt"):
        try:
            body = fetch(base + path)
        except urllib.error.HTTPError as exc:
            assert exc.code in (400, 403, 404)
        else:
            assert "private" not in body


def raw_get(base: str, path: str) -> tuple[int, bytes]:
    """GET `path` exactly as written (no client-side normalisation of '..' or escapes)."""
    status, _headers, body = raw_head(base, path)
    return status, body


TRAVERSALS = [
    "/../secret.txt",
    "/../../secret.txt",
    "/papers/../../../secret.txt",
    "/%2e%2e/%2e%2e/secret.txt",
    "/%2E%2E%2F%2E%2E%2Fsecret.txt",
    "/papers/..%2f..%2f..%2fsecret.txt",
    "/%252e%252e/%252e%252e/secret.txt",
    "/%252e%252e%252f%252e%252e%252fsecret.txt",
    "/..\\..\\secret.txt",
    "/..%5c..%5csecret.txt",
    "/%2e%2e%5c%2e%2e%5csecret.txt",
    "/.%2e/.%2e/secret.txt",
    "//%2e%2e//%2e%2e//secret.txt",
    "/..;/..;/secret.txt",
    "/%c0%ae%c0%ae/%c0%ae%c0%ae/secret.txt",
]


def test_serve_refuses_every_form_of_path_traversal(server: tuple[Path, str, subprocess.Popen[str]]) -> None:
    """Plain, percent-encoded, double-encoded, backslashed and overlong-UTF-8 '..', sent raw, to
    reach a file one and two folders above the served one (.litweave-cache/serve/)."""
    kb, base, proc = server
    (kb / "secret.txt").write_text("private\n", encoding="utf-8")
    (kb / ".litweave-cache" / "secret.txt").write_text("private\n", encoding="utf-8")
    assert raw_get(base, "/")[0] == 200
    for path in TRAVERSALS:
        status, body = raw_get(base, path)
        assert b"private" not in body, path
        assert status in (400, 403, 404), (path, status)
    assert proc.poll() is None


def test_serve_listens_on_the_loopback_only(server: tuple[Path, str, subprocess.Popen[str]]) -> None:
    """By default the server binds 127.0.0.1, never all interfaces: the kernel's table of
    listening sockets says so."""
    _kb, base, _proc = server
    port = int(base.rsplit(":", 1)[1])
    tables = [Path("/proc/net/tcp"), Path("/proc/net/tcp6")]
    if not tables[0].exists():
        pytest.skip("no /proc/net/tcp on this system to read the listening address from")
    listening = []
    for table in tables:
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                listening.append(address)
    assert listening == ["0100007F"], listening  # 127.0.0.1, little-endian


def test_busy_port_is_one_line_naming_it(kb: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "litweave.cli", "--root", str(kb), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert str(port) in proc.stderr and "in use" in proc.stderr
    assert "Traceback" not in proc.stderr and "serving" not in proc.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--port", "99999"], "99999 is not a port: use 1-65535"),
        (["--port", "http"], "'http' is not a number"),
        (["--host", "0.0.0.0.1"], "'0.0.0.0.1' is not a host name or address"),
        (["--host", "192.0.2.7"], "192.0.2.7 is not an address of this machine"),
    ],
    ids=["port-too-large", "port-not-a-number", "host-not-an-address", "host-of-another-machine"],
)
def test_a_port_or_host_that_cannot_be_used_is_one_line_naming_it(kb: Path, args: list[str], said: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "litweave.cli", "--root", str(kb), "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 or proc.stderr.startswith("usage:")
    assert said in proc.stderr and "Traceback" not in proc.stderr and "in use" not in proc.stderr
    assert not (kb / SERVE_DIR).exists() and "serving" not in proc.stdout


def raw_head(base: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """GET `path` as written; the status, the headers (lower-case names) and the body."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("latin-1"))
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize("how", ["settings", "option"])
def test_serve_serves_the_site_under_its_base_url(kb: Path, how: str) -> None:
    """With base_url "/repo/" (in the settings, or `serve --base-url`), the site is at /repo/ as on
    GitHub Pages: its links work there, "/" and "/repo" redirect to it, and any other path gets
    the site's 404 page; the status file of the error overlay is under the base too."""
    extra: list[str] = []
    if how == "settings":
        (kb / "litweave.toml").write_text('base_url = "/repo/"\n', encoding="utf-8")
    else:
        extra = ["--base-url", "/repo/"]
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "litweave.cli", "--root", str(kb), "serve", "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: "<html" in fetch(base + "/repo/"))
        home = fetch(base + "/repo/")
        assert 'href="/repo/papers/"' in home and 'href="/repo/static/style.css"' in home
        assert 'href="/papers/' not in home
        manifest = json.loads((kb / SERVE_DIR / ".litweave-manifest.json").read_text(encoding="utf-8"))
        assert manifest["base_url"] == "/repo/"
        # every link of a page resolves on this server, as it will once published
        paper = fetch(base + "/repo/papers/lu-2001-insulin-like/")
        assert "/repo/_litweave/status.json" in paper
        for link in sorted(set(re.findall(r'(?:href|src)="(/repo/[^"#?]*)"', paper))):
            assert raw_head(base, link)[0] == 200, link
        assert json.loads(fetch(base + "/repo/_litweave/status.json")) == {"ok": True, "errors": []}
        for path in ("/", "/repo"):
            status, headers, _ = raw_head(base, path)
            assert status in (301, 302) and headers["location"] == "/repo/", (path, status, headers)
        status, _, _ = raw_head(base, "/repo/papers")  # a folder without its slash: redirected to it
        assert status in (301, 302)
        for path in ("/papers/lu-2001-insulin-like/", "/repo/no-such-page/", "/static/style.css"):
            status, _, body = raw_head(base, path)
            assert status == 404 and b"Page not found" in body and b'href="/repo/static/style.css"' in body, path
        assert proc.poll() is None
    finally:
        proc.terminate()
        try:
            out, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert f"serving at http://127.0.0.1:{port}/repo/" in out
