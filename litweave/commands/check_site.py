"""The built-site half of `litweave check`: the site served under its base path and every URL it
refers to fetched, as a reader's browser and a crawler would.

Everything goes over HTTP (`commands.local_host`: a threaded server on 127.0.0.1 in this process,
404 outside the base path; clients on kept-alive connections, in forked worker processes when
there are many requests, so that reading runs on both cores beside the server):

- every HTML page, feed, sitemap and stylesheet under the output folder is fetched with GET and
  read from the bytes the server sent, once (`lint.html_scan`);
- every distinct URL they refer to — `href`, `src`, `srcset`, `poster`, the papers index's
  `data-index`, feeds' links, sitemap `<loc>`s, robots.txt's `Sitemap:`, stylesheets' `url()` —
  is requested once (HEAD), whatever the number of pages linking it;
- the search bundle is followed as Pagefind's loader follows it: from the folder of the
  `pagefind-ui.js` a page loads, `pagefind.js` and `pagefind-entry.json` (GET), then each
  language's metadata (GET) and WebAssembly, and every index chunk, filter and fragment the
  metadata lists (`lint.pagefind_meta`).

Absolute URLs under the site's published URL (`site_url`, taken from robots.txt's `Sitemap:` line,
which the build wrote, else from the settings) are rewritten to the local server; other absolute
URLs are external and not fetched (there is no network here). Anchors are checked against the ids
of the page the URL answers with (a page no one fetched yet is fetched for it), and every page's
ids must be unique. Nothing is resolved against the file system: a link works here exactly when
the host answers it.

To stay fast at 5,000 papers (13,000 pages, 250 MB of HTML, 700,000 internal links), the workers
send back only the paths they had not met yet, the references with a `#fragment` and the pages'
ids, not every reference with its line. When some path answers 404, a second pass reads the
files again and names every reference to it with its file and line; a good site is read once.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

from litweave.build.pool import default_jobs
from litweave.build.search_shards import SHARDS_FILE
from litweave.commands.local_host import Answer, Fetcher, origin, serve
from litweave.lint.html_scan import (
    Link,
    PageScan,
    is_sitemap,
    scan_css,
    scan_feed,
    scan_html,
    scan_robots,
    scan_sitemap,
)
from litweave.lint.pagefind_meta import BundleError, entry_files, meta_files
from litweave.lint.rules import Finding
from litweave.urls import SEARCH_BUNDLE

UNSAFE_SCHEMES = ("javascript:", "vbscript:")
_NOT_FETCHED = ("mailto:", "tel:", "data:", "blob:", "about:")
_BUNDLE_LOADERS = ("pagefind-ui.js", "pagefind-component-ui.js", "pagefind-modular-ui.js", "pagefind.js")
"""Scripts of a Pagefind bundle that pages load; the bundle's folder is theirs."""
WORKERS = 4


@dataclass(slots=True)
class SiteReport:
    """What the site check did and found."""

    pages: int = 0
    """HTML pages fetched and read."""
    links: int = 0
    """Internal references checked, counted once per page that makes them."""
    urls: int = 0
    """Distinct URLs requested."""
    requests: int = 0
    site_url: str = ""
    """The published URL whose prefix was rewritten to the local server ("" when none)."""
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage, in order (printed by `check -v`)."""
    findings: list[Finding] = field(default_factory=list)


class Ref(NamedTuple):
    """A reference from a file of the site to an internal URL (a tuple: workers send back
    hundreds of thousands of them)."""

    source: str
    """The referring file, relative to the output folder."""
    line: int
    kind: str
    """"link" or "asset"."""
    target: str
    """Decoded URL path on the host, without query or fragment."""
    fragment: str
    written: str
    """The URL as the file has it."""


class _Resolver:
    """Written URLs to paths on the host, remembered (a site repeats the same few hundred)."""

    def __init__(self, base: str, site_url: str) -> None:
        self.base = base
        self.site_url = site_url
        self.site_host = urlsplit(site_url).netloc.lower() if site_url else ""
        self._cache: dict[tuple[str, str], tuple[str, str] | None] = {}

    def __call__(self, page: str, url: str) -> tuple[str, str] | None:
        """(path, fragment) of an internal URL from the page at path `page`; None for an external
        or unfetchable one."""
        if (
            url.startswith(self.base)
            and not url.startswith("//")  # a scheme-relative URL: another host, even when the base is "/"
            and "?" not in url
            and "%" not in url
            and "/." not in url
            and "\\" not in url
        ):
            path, _sep, fragment = url.partition("#")  # the common case, without urllib or the memo
            return path, fragment
        key = ("" if url.startswith("/") and not url.startswith("//") else page, url)
        hit = self._cache.get(key, False)
        if hit is not False:
            return hit  # type: ignore[return-value]
        found = self._resolve(page, url)
        self._cache[key] = found
        return found

    def _resolve(self, page: str, url: str) -> tuple[str, str] | None:
        lowered = url.lower()
        if lowered.startswith(_NOT_FETCHED) or lowered.startswith(UNSAFE_SCHEMES):
            return None
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            if not self.site_url or not url.startswith(self.site_url):
                return None  # another site
            url = self.base + url[len(self.site_url) :]
        joined = urlsplit(urljoin("http://host" + page, url))
        return unquote(joined.path) or "/", unquote(joined.fragment)


def _rel_path_url(base: str, rel: str) -> str:
    """The URL path the host serves the file `rel` at (a folder's index.html at the folder)."""
    if rel == "index.html":
        return base
    if rel.endswith("/index.html"):
        return base + rel[: -len("index.html")]
    return base + rel


def _walk(site: Path) -> list[str]:
    """Every file of the site, relative, sorted; hidden files and folders left out."""
    found = []
    for folder, dirs, files in os.walk(site):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel = os.path.relpath(folder, site)
        for name in files:
            if not name.startswith("."):
                found.append(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/"))
    return sorted(found)


def check_built_site(
    site: Path, base: str, site_url: str = "", shown_as: str = "site", *, jobs: int | None = None
) -> SiteReport:
    """Serve `site` under `base` and check every internal URL, anchor and id (module docstring).
    `site_url`: the published URL from the settings, used when robots.txt names no sitemap;
    `shown_as`: how findings name the output folder (relative to the knowledge base); `jobs`:
    worker processes that fetch and read (default: one per core)."""
    start = time.perf_counter()
    report = SiteReport()
    files = _walk(site)
    with serve(site, base) as server:
        fetcher = Fetcher(origin(server), WORKERS, default_jobs() if jobs is None else jobs)
        try:
            _Crawl(site, base, site_url, shown_as, files, fetcher, report).run()
        finally:
            report.requests = server.requests
            fetcher.close()
    report.findings.sort(key=lambda f: (f.file, f.line or 0, f.rule, f.message))
    report.seconds = time.perf_counter() - start
    return report


@dataclass(slots=True)
class _Read:
    """What reading one file of the site gives back (from a worker process: kept small)."""

    rel: str
    path: str
    answer: Answer
    page: PageScan | None = None
    """Its ids, for an HTML page (its links are not kept)."""
    links: int = 0
    """Internal references it makes (each URL once)."""
    targets: list[str] = field(default_factory=list)
    """Paths it refers to that this worker had not met yet."""
    anchors: list[Ref] = field(default_factory=list)
    """Its references to a `#fragment`."""
    loaders: list[Ref] = field(default_factory=list)
    """Its references to a search bundle's script."""
    refs: list[Ref] = field(default_factory=list)
    """In the second pass only: its references to the paths that answered 404."""
    locs: list[Link] = field(default_factory=list)
    """A sitemap's URLs."""
    unsafe: list[Finding] = field(default_factory=list)


class _Crawl:
    def __init__(
        self,
        site: Path,
        base: str,
        site_url: str,
        shown_as: str,
        files: list[str],
        fetcher: Fetcher,
        report: SiteReport,
    ) -> None:
        self.site, self.base, self.shown_as = site, base, shown_as.rstrip("/")
        self.files, self.fetcher, self.report = files, fetcher, report
        self.answers: dict[str, Answer] = {}
        self.scans: dict[str, PageScan] = {}
        self.resolve = _Resolver(base, site_url)
        self._seen: set[str] = set()
        self._mark = time.perf_counter()

    def shown(self, rel: str) -> str:
        return f"{self.shown_as}/{rel}" if self.shown_as else rel

    def find(self, rule: str, message: str, rel: str, line: int | None) -> None:
        self.report.findings.append(Finding(rule, message, self.shown(rel), line))

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.timings[stage] = now - self._mark
        self._mark = now

    # -- fetching --------------------------------------------------------------------------------

    def get(self, path: str) -> bytes:
        answer, data = self.fetcher.fetch("GET", path)
        self.answers[path] = answer
        return data

    def head_all(self, paths: Iterable[str]) -> None:
        todo = sorted({p for p in paths if p not in self.answers})
        for path, answer in zip(todo, self.fetcher.map(self.fetcher.head, todo), strict=True):
            self.answers[path] = answer

    def page_scan(self, path: str) -> PageScan | None:
        """The ids of the page a URL answers with, fetched if no one has yet (None: not a page)."""
        answer = self.answers.get(path)
        if answer is not None and answer.status in (301, 302, 307, 308) and answer.location:
            path = answer.location
        if path in self.scans:
            return self.scans[path]
        if not (path.endswith("/") or path.endswith((".html", ".htm"))):
            return None
        data = self.get(path)
        if self.answers[path].status != 200:
            return None
        self.scans[path] = scan_html(data.decode("utf-8", "replace"))
        return self.scans[path]

    def read(self, rel: str, broken: frozenset[str] | None = None) -> _Read:
        """GET one page, feed, sitemap or stylesheet and read what it refers to. First pass
        (`broken` None): the paths this worker meets for the first time, the anchors, the ids;
        second pass: only the references to `broken` paths, with their lines."""
        path = _rel_path_url(self.base, rel)
        answer, data = self.fetcher.fetch("GET", path)
        found = _Read(rel, path, answer)
        if answer.status != 200:
            return found
        text = data.decode("utf-8", "replace")
        links: list[Link]
        if rel.endswith((".html", ".htm")):
            scan = scan_html(text)
            links, scan.links = scan.links, []
            found.page = scan
        elif rel.endswith(".css"):
            links = scan_css(text)
        elif is_sitemap(text):
            found.locs = scan_sitemap(text)
            return found
        else:
            links = scan_feed(text)
        met: set[tuple[str, str]] = set()
        for link in links:
            if (link.url, link.kind) in met:
                continue
            met.add((link.url, link.kind))
            if link.url.lower().lstrip().startswith(UNSAFE_SCHEMES):
                if broken is None:
                    message = f"{link.attr} {link.url[:80]!r} would run a script"
                    found.unsafe.append(Finding("unsafe-url", message, self.shown(rel), link.line))
                continue
            hit = self.resolve(path, link.url)
            if hit is None:
                continue
            target, fragment = hit
            ref = Ref(rel, link.line, link.kind, target, fragment, link.url)
            if broken is not None:
                if target in broken:
                    found.refs.append(ref)
                continue
            found.links += 1
            if target not in self._seen:  # this worker's own memory: each path sent back once or twice
                self._seen.add(target)
                found.targets.append(target)
            if fragment and fragment != "top":
                found.anchors.append(ref)
            if link.kind == "asset" and target.endswith(_BUNDLE_LOADERS):
                found.loaders.append(ref)
        return found

    # -- the crawl -------------------------------------------------------------------------------

    def run(self) -> None:
        self.read_robots()
        self.lap("robots.txt")
        readable = [f for f in self.files if f.endswith((".html", ".htm", ".xml", ".css"))]
        results = self.fetcher.map(self.read, readable)
        self.lap("pages, feeds, sitemaps, stylesheets")
        targets: set[str] = set()
        anchors: list[Ref] = []
        loaders: dict[str, Ref] = {}
        sitemap_links: list[tuple[str, Link]] = []
        for r in results:
            self.answers[r.path] = r.answer
            if r.answer.status != 200:
                self.find("broken-link", f"the host answers {r.answer.status} for this file ({r.path})", r.rel, None)
                continue
            if r.page is not None:
                self.scans[r.path] = r.page
                self.report.pages += 1
                for ident, line in r.page.duplicate_ids:
                    self.find("duplicate-id", f"id {ident!r} is used more than once on this page", r.rel, line)
            self.report.links += r.links
            targets.update(r.targets)
            anchors += r.anchors
            for ref in r.loaders:
                loaders.setdefault(ref.target.rsplit("/", 1)[0] + "/", ref)
            sitemap_links += [(r.rel, link) for link in r.locs]
            self.report.findings += r.unsafe
        del results
        self.head_all(targets)
        self.lap("linked URLs")
        self.check_anchors(anchors)
        self.lap("anchors")
        broken = frozenset(t for t in targets if self.answers[t].status >= 400)
        if broken:
            self.report_broken(readable, broken)
            self.lap("broken links located")
        self.check_sitemaps(sitemap_links)
        self.lap("sitemap URLs")
        for folder, ref in sorted(loaders.items()):
            if folder.startswith(self.base):
                self.check_bundle(folder, ref)
        self.lap("search bundle")
        self.report.urls = len(self.answers)

    def read_robots(self) -> None:
        """robots.txt first: its `Sitemap:` line is the site's published URL as the build wrote it."""
        if "robots.txt" not in self.files:
            self.report.site_url = self.resolve.site_url
            return
        text = self.get(_rel_path_url(self.base, "robots.txt")).decode("utf-8", "replace")
        links = scan_robots(text)
        for link in links:
            if link.url.endswith("sitemap.xml") and "://" in link.url:
                self.resolve = _Resolver(self.base, link.url[: -len("sitemap.xml")])
        self.report.site_url = self.resolve.site_url
        if self.resolve.site_url:
            published = urlsplit(self.resolve.site_url).path or "/"
            if published != self.base:
                self.find(
                    "site-url-mismatch",
                    f"site_url {self.resolve.site_url} is published at {published}, but the site was built for "
                    f"{self.base}: its feeds and sitemap send readers and crawlers to the wrong place "
                    f"(checked as if they were under {self.base})",
                    "robots.txt",
                    None,
                )
        refs = []
        for link in links:
            hit = self.resolve(self.base, link.url)
            if hit is not None:
                refs.append(Ref("robots.txt", link.line, "link", hit[0], hit[1], link.url))
        self.head_all(r.target for r in refs)
        for ref in refs:
            if self.answers[ref.target].status >= 400:
                message = f"Sitemap {ref.written!r} answers {self.answers[ref.target].status}"
                self.find("broken-link", message, ref.source, ref.line)

    def check_anchors(self, anchors: list[Ref]) -> None:
        for ref in anchors:
            if self.answers[ref.target].status >= 400:
                continue  # reported as a broken link
            scan = self.page_scan(ref.target)
            if scan is not None and ref.fragment not in scan.ids:
                message = f"{ref.written!r}: the page has no element with id {ref.fragment!r}"
                self.find("broken-anchor", message, ref.source, ref.line)

    def report_broken(self, readable: list[str], broken: frozenset[str]) -> None:
        """Every reference to a path that answered 404, with its file and line: a second pass over
        the site, made only when something is broken (a good site is read once)."""
        for r in self.fetcher.map(lambda rel: self.read(rel, broken), readable):
            for ref in r.refs:
                status = self.answers[ref.target].status
                rule = "broken-asset" if ref.kind == "asset" else "broken-link"
                if ref.target.startswith(self.base + SEARCH_BUNDLE):
                    rule = "search-bundle"  # its own rule: a site built without search may lower it alone
                hint = "" if ref.target.startswith(self.base) else f" (outside the base URL {self.base})"
                self.find(rule, f"{ref.written!r} answers {status}{hint}", ref.source, ref.line)

    def check_sitemaps(self, links: list[tuple[str, Link]]) -> None:
        site_url = self.resolve.site_url
        paths: list[tuple[str, Link, str]] = []
        for rel, link in links:
            if not site_url or not link.url.startswith(site_url):
                where = f"under site_url {site_url}" if site_url else "under the site's URL (robots.txt names none)"
                self.find("sitemap-url", f"{link.url!r} is not {where}", rel, link.line)
                continue
            rest = link.url[len(site_url) :].split("#", 1)[0].split("?", 1)[0]
            paths.append((rel, link, unquote(self.base + rest)))
        self.head_all(p for _r, _l, p in paths)
        for rel, link, path in paths:
            answer = self.answers[path]
            if answer.status >= 400:
                self.find("sitemap-url", f"{link.url!r} answers {answer.status}", rel, link.line)
        self.report.links += len(paths)

    def check_bundle(self, folder: str, ref: Ref) -> None:
        """The primary bundle (its loader, `pagefind.js`, its entry, metadata, WebAssembly and
        chunks), then each shard its `shards.json` lists, which the search page merges into it
        (`mergeIndex`): their entry, metadata and chunks (build/search_shards.py)."""
        loader = self.get(folder + "pagefind.js")
        if self.answers[folder + "pagefind.js"].status != 200:
            self.bundle_missing(folder + "pagefind.js", ref.source, ref.line)
            return
        wanted: dict[str, str] = {}
        if b"pagefind-worker.js" in loader:
            wanted[folder + "pagefind-worker.js"] = folder + "pagefind.js"
        self.bundle_index(folder, ref.source, ref.line, wanted, primary=True)
        shards = self.get(folder + SHARDS_FILE)
        if self.answers[folder + SHARDS_FILE].status == 200:
            listed = folder[len(self.base) :] + SHARDS_FILE
            try:
                names = json.loads(shards)
                if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                    raise ValueError("not a list of folders")
            except ValueError as exc:
                self.find("search-bundle", f"{SHARDS_FILE} is not a list of shard folders: {exc}", listed, None)
                names = []
            for name in names:
                self.bundle_index(folder + name, listed, None, wanted, primary=False)
        self.head_all(wanted)
        for path, source in sorted(wanted.items()):
            if self.answers[path].status >= 400:
                self.bundle_missing(path, source[len(self.base) :], None, f" (listed in {source.rsplit('/', 1)[-1]})")

    def bundle_missing(self, path: str, rel: str, line: int | None, why: str = "") -> None:
        message = f"search bundle file {path} answers {self.answers[path].status}{why}"
        self.find("search-bundle", message, rel, line)

    def bundle_index(self, folder: str, rel: str, line: int | None, wanted: dict[str, str], primary: bool) -> None:
        """One bundle's `pagefind-entry.json` and metadata (GET), and into `wanted` what they list:
        the WebAssembly (the primary's only: merged shards use it) and every chunk."""
        entry = self.get(folder + "pagefind-entry.json")
        if self.answers[folder + "pagefind-entry.json"].status != 200:
            self.bundle_missing(folder + "pagefind-entry.json", rel, line)
            return
        entry_path = folder + "pagefind-entry.json"
        try:
            names = entry_files(entry)
        except BundleError as exc:
            self.find("search-bundle", str(exc), entry_path[len(self.base) :], None)
            return
        for name in names:
            if not name.endswith(".pf_meta"):
                if primary:
                    wanted[folder + name] = entry_path
                continue
            data = self.get(folder + name)
            if self.answers[folder + name].status != 200:
                self.bundle_missing(
                    folder + name, entry_path[len(self.base) :], None, " (named by pagefind-entry.json)"
                )
                continue
            try:
                chunks = meta_files(data)
            except BundleError as exc:
                self.find("search-bundle", f"{name}: {exc}", (folder + name)[len(self.base) :], None)
                continue
            for chunk in chunks:
                wanted.setdefault(folder + chunk, folder + name)
