"""The search index: Pagefind run over the built pages, its bundle owned by the build's manifest.

Pagefind (a Rust binary shipped on PyPI as `pagefind[extended]`) reads the written HTML and
writes a static bundle — the index in fragments, its WebAssembly and its default UI — that the
search page loads from the site itself, so search needs no server and no CDN. The templates tell
it what to index (`data-pagefind-body` on the main content of paper and mechanism pages, with
what a page shows of *other* papers — related, cited, the cite box — left out) and which filters
each page belongs to (`data-pagefind-filter`). Author pages are not indexed: a name finds the
author's papers (their bylines are indexed) and the Author filter narrows to them; indexing the
author pages too doubled the step's time for results the papers already give.

Pagefind runs as a child process that dies with the build (build/pool.py, `run_child`) and
writes its bundle into the build's scratch folder beside the site (build/staging.py), which the
next build clears if this one is killed: nothing is left running, or in the system's temporary
folder. The bundle is then copied into `site/pagefind/` file by file through the same store as
every page: a file whose bytes are unchanged is not rewritten, the
manifest lists every bundle file (so the no-change check sees one missing), and bundle files a
new index no longer has are deleted. Pagefind runs only when the pages it reads changed: every
bundle file carries the fingerprint of the HTML pages' hashes and Pagefind's version. Pagefind
itself writes its filters in a different order on every run; `search_order` puts them in a fixed
one, so the same pages give the same bundle, byte for byte (tests/test_search.py holds that).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from litweave.build import checkpoints
from litweave.build.pool import run_child
from litweave.build.search_order import settle
from litweave.build.search_shards import (
    PAGES_PER_SHARD,
    SHARDS_FILE,
    deal,
    kept_in_merged,
    location,
    location_of,
    shard_count,
)
from litweave.build.staging import overlay
from litweave.build.writer import stale, store
from litweave.model import Diagnostic
from litweave.urls import SEARCH_BUNDLE

PREFIX = SEARCH_BUNDLE
"""The bundle's folder in the site; the search page loads `pagefind-ui.js` from it."""
INDEXED = ("papers", "mechanisms")
"""The site sections Pagefind reads. Pagefind costs about a millisecond a page however little a
page holds, so it is pointed at these folders rather than left to find `data-pagefind-body` in all
of them; and only these pages' bytes decide whether the index must be made again."""
GLOB = "{" + ",".join(INDEXED) + "}/*/index.html"
INSTALL_HINT = "pip install 'pagefind[extended]'"
TIMEOUT = 600
"""Seconds Pagefind may take; 5,000 papers take a few (see README "Search")."""

Files = dict[str, tuple[str, str]]
"""Site path → (fingerprint, sha256 of the bytes), as in the manifest."""


@dataclass(slots=True)
class SearchReport:
    """What the search step did."""

    ran: bool = False
    """Pagefind was run (pages changed, or its bundle was missing)."""
    shards: int = 0
    """Bundles the index is split into (build/search_shards.py)."""
    reindexed: int = 0
    """Of those, how many Pagefind made again in this build."""
    files: int = 0
    """Files of the bundle now in the site."""
    written: int = 0
    pruned: int = 0
    staged: list[str] = field(default_factory=list)
    """Bundle files written into the staging folder, moved into the site when the build commits."""
    stale: list[str] = field(default_factory=list)
    """Bundle files to delete when the build commits."""


def pagefind_version() -> str | None:
    """The installed Pagefind's version, or None when it is not installed (no process started:
    this runs on every build that wrote something)."""
    if importlib.util.find_spec("pagefind") is None:
        return None
    for dist in ("pagefind_bin_extended", "pagefind_bin", "pagefind"):
        try:
            return f"{dist} {metadata.version(dist)}"
        except metadata.PackageNotFoundError:
            continue
    return "pagefind"


def split_search(files: Mapping[str, tuple[str, str]]) -> tuple[Files, Files]:
    """The manifest's files as (the build's pages and assets, the search bundle's files)."""
    pages: Files = {}
    bundle: Files = {}
    for path, value in files.items():
        (bundle if path.startswith(PREFIX) else pages)[path] = value
    return pages, bundle


def present(out: Path, bundle: Mapping[str, tuple[str, str]]) -> Files:
    """The bundle's entries whose files are still there (kept as they are by a build without search)."""
    prefix = str(out) + os.sep
    return {path: value for path, value in bundle.items() if os.path.isfile(prefix + path)}


def indexed(path: str) -> bool:
    """A page Pagefind reads (see INDEXED): a paper's or a mechanism's, not a section's index,
    which has no `data-pagefind-body` (a shard of nothing but such pages would make Pagefind
    index whole pages)."""
    parts = path.split("/")
    return len(parts) == 3 and parts[0] in INDEXED and parts[2] == "index.html"


REGION_END = b"<!--/search-->"
"""Where a page's indexed part ends (templates/paper.html, mechanism.html): what a page shows
after it — related papers, counts, the cite box — is not indexed, so a change there (a new paper
reshuffles the related lists of others) does not make its shard be indexed again."""

Regions = dict[str, tuple[str, str]]
"""Indexed page → (sha256 of its bytes, digest of its indexed part), kept between builds so that
only pages whose bytes changed are read again."""


def region_digest(html: bytes) -> str:
    """The digest of what Pagefind reads of a page: its language and its `data-pagefind-body`
    element up to REGION_END (the whole page when a template has no such marks)."""
    h = hashlib.blake2b(digest_size=16)
    opening = html.find(b"<html")
    h.update(html[opening : html.find(b">", opening) + 1] if opening >= 0 else b"")
    start = max(html.find(b"data-pagefind-body"), 0)
    end = html.find(REGION_END, start)
    h.update(html[start:] if end < 0 else html[start:end])
    return h.hexdigest()


def shard_fingerprint(digests: Mapping[str, str], paths: list[str], version: str, where: str) -> str:
    """What one Pagefind run reads: its pages' indexed parts, which Pagefind, and where its
    bundle goes (a shard that becomes the primary one is made again, with Pagefind's scripts)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{version}\x00{where}".encode())
    for path in paths:
        h.update(f"\x00{path}\x00{digests[path]}".encode())
    return h.hexdigest()


def page_digests(
    pages: Mapping[str, tuple[str, str]], paths: list[str], regions: Regions, read_page: Callable[[str], bytes]
) -> dict[str, str]:
    """Each indexed page's region digest, read again only where the page's bytes changed since
    `regions` was made; `regions` is brought up to date (and forgets pages that are gone)."""
    digests: dict[str, str] = {}
    for path in paths:
        sha = pages[path][1]
        known = regions.get(path)
        if known is None or known[0] != sha:
            known = regions[path] = (sha, region_digest(read_page(path)))
        digests[path] = known[1]
    for gone in set(regions) - set(paths):
        del regions[gone]
    return digests


def index_site(
    out: Path,
    pages: Mapping[str, tuple[str, str]],
    previous: Mapping[str, tuple[str, str]],
    diagnostics: list[Diagnostic],
    *,
    scratch: Path,
    force: bool = False,
    site_view: Callable[[Iterable[str], str], Path] | None = None,
    read_page: Callable[[str], bytes] | None = None,
    regions: Regions | None = None,
    per_shard: int | None = None,
) -> tuple[Files, SearchReport]:
    """Bring `out/pagefind/` up to date with the pages in `out`: the bundle's manifest entries.

    `pages`: the manifest entries of everything else the build wrote; `previous`: the bundle's
    entries of the last build. The indexed pages are dealt into shards (build/search_shards.py)
    and Pagefind runs, two at a time, only for the shards whose pages changed, writing into
    `scratch` (the build's own folder, cleared with it). Without Pagefind
    the build goes on without search (one warning), and an old bundle, which would no longer
    match the pages, is removed. `site_view(paths, name)` gives the folder Pagefind reads for a
    shard: those pages as this build will leave them (build/staging.py), since the changed pages
    are still staged, not yet in `out`; `read_page` reads one of them the same way. A shard is
    indexed again when the indexed part of one of its pages changed (`regions`, the last build's
    digests, updated in place)."""
    report = SearchReport()
    version = pagefind_version()
    if version is None:
        diagnostics.append(
            Diagnostic("warning", f"search index not built: Pagefind is not installed ({INSTALL_HINT})", PREFIX)
        )
        report.stale = stale(out, set(previous))
        report.pruned = len(report.stale)
        return {}, report
    paths = [path for path in pages if indexed(path)]
    count = shard_count(len(paths), per_shard or _per_shard())
    shards = deal(paths, count) or {0: []}
    primary = next(iter(shards))
    reader = read_page or (lambda path: (out / path).read_bytes())
    digests = page_digests(pages, paths, {} if regions is None else regions, reader)
    before: dict[str, Files] = {}
    for path, value in previous.items():
        before.setdefault(location_of(path[len(PREFIX) :]), {})[path] = value
    bundle: Files = {}
    todo: list[tuple[str, list[str], str]] = []
    for shard, members in shards.items():
        where = location(shard, primary)
        fingerprint = shard_fingerprint(digests, members, version, where)
        old = before.get(where, {})
        if not force and old and _current(out, old, fingerprint):
            bundle.update(old)
        else:
            todo.append((where, members, fingerprint))
    view = site_view or (lambda members, name: overlay(out, scratch, members, name))
    bundles = scratch / "pagefind"
    shutil.rmtree(bundles, ignore_errors=True)
    bundles.mkdir(parents=True)
    try:
        runs = [(where, members, fingerprint, bundles / (where or "primary")) for where, members, fingerprint in todo]
        with ThreadPoolExecutor(max_workers=min(len(runs), os.cpu_count() or 1) or 1) as pool:
            failures = list(
                pool.map(lambda run: _run_pagefind(view(run[1], run[0].strip("/") or "primary"), run[3]), runs)
            )
        for (where, _members, fingerprint, folder), failure in zip(runs, failures, strict=True):
            if failure:
                diagnostics.append(Diagnostic("warning", f"search index not built: {failure}", PREFIX + where))
                bundle.update(before.get(where, {}))
                continue
            if not settle(folder):
                notice = "search bundle left in Pagefind's own order (a layout this litweave does not know)"
                diagnostics.append(Diagnostic("info", notice, PREFIX + where))
            bundle.update(_copy_bundle(folder, out, PREFIX + where, where == "", previous, fingerprint, report))
            checkpoints.reached("bundled")
    finally:
        shutil.rmtree(bundles, ignore_errors=True)
    # the bundles to merge, relative to the first; a shard whose Pagefind failed on its first run
    # has no bundle yet and is left out, since a merge that cannot load breaks the whole search
    merged = [
        location(s, primary)
        for s in shards
        if s != primary and PREFIX + location(s, primary) + "pagefind-entry.json" in bundle
    ]
    listing = (json.dumps(merged, indent=0) + "\n").encode("utf-8")
    last = previous.get(PREFIX + SHARDS_FILE)
    sha, written = store(out, PREFIX + SHARDS_FILE, listing, last[1] if last else None)
    bundle[PREFIX + SHARDS_FILE] = (str(len(merged)), sha)
    if written:
        report.written += 1
        report.staged.append(PREFIX + SHARDS_FILE)
    report.ran = bool(todo)
    report.shards = len(shards)
    report.reindexed = len(todo)
    report.files = len(bundle)
    report.stale = stale(out, set(previous) - set(bundle))
    report.pruned = len(report.stale)
    return bundle, report


def _per_shard() -> int:
    """Pages per shard: `LITWEAVE_SEARCH_SHARD_PAGES` when set (a tuning knob, and how the tests
    make a small site use several shards), else the default."""
    value = os.environ.get("LITWEAVE_SEARCH_SHARD_PAGES", "")
    return int(value) if value.isdigit() and int(value) > 0 else PAGES_PER_SHARD


def _current(out: Path, previous: Mapping[str, tuple[str, str]], fingerprint: str) -> bool:
    prefix = str(out) + os.sep
    return all(fp == fingerprint and os.path.isfile(prefix + path) for path, (fp, _sha) in previous.items())


def pagefind_program() -> list[str]:
    """How to start Pagefind: its binary, found as `python -m pagefind` finds it
    (`PAGEFIND_BINARY_PATH`, else the one the extended or the plain binary package ships), so
    that no second interpreter starts only to hand over to it; else `python -m pagefind`."""
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured:
        return [shutil.which(configured) or configured]
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return [str(Path(importlib.import_module(package).get_executable()).resolve())]
        except (ImportError, AttributeError, OSError):
            continue
    return [sys.executable, "-m", "pagefind"]


def _run_pagefind(site: Path, bundle: Path) -> str:
    """Run Pagefind over `site` into `bundle`; "" when it worked, else what went wrong."""
    command = [*pagefind_program(), "--site", str(site), "--glob", GLOB]
    command += ["--output-path", str(bundle), "--silent"]
    try:
        done = run_child(command, TIMEOUT, started=lambda: checkpoints.reached("pagefind"))
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"Pagefind could not run: {exc}"
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        return f"Pagefind failed (exit {done.returncode}): {lines[-1] if lines else 'no message'}"
    if not (bundle / "pagefind.js").is_file():
        return "Pagefind wrote no pagefind.js"
    return ""


def _copy_bundle(
    bundle: Path,
    out: Path,
    prefix: str,
    primary: bool,
    previous: Mapping[str, tuple[str, str]],
    fingerprint: str,
    report: SearchReport,
) -> Files:
    """A shard's bundle files into out/<prefix>, unchanged bytes left alone; their manifest
    entries. A merged shard keeps only its index (search_shards.kept_in_merged)."""
    entries: Files = {}
    for file in sorted(p for p in bundle.rglob("*") if p.is_file()):
        name = file.relative_to(bundle).as_posix()
        if not primary and not kept_in_merged(name):
            continue
        path = prefix + name
        old = previous.get(path)
        sha, written = store(out, path, file.read_bytes(), old[1] if old else None)
        entries[path] = (fingerprint, sha)
        report.written += written
        if written:
            report.staged.append(path)
    return entries
