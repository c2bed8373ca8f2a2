"""The built-site half of `litweave check`: the site served under its base path and every URL it
refers to fetched, as a reader's browser and a crawler would.

What goes over HTTP (`commands.local_host`: a threaded server on 127.0.0.1 in this process, 404
outside the base path, and a few kept-alive connections):

- every HTML page and every feed and sitemap under the output folder is fetched with GET and read
  from the bytes the server sent (so a page is parsed once, `lint.html_scan`);
- every other URL they refer to — `href`, `src`, `srcset`, `poster`, the papers index's
  `data-index`, feeds' links, sitemap `<loc>`s, robots.txt's `Sitemap:`, stylesheets' `url()` —
  is requested once (HEAD), each distinct URL once whatever the number of pages linking it;
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
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from litweave.commands.local_host import Answer, Fetcher, serve
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
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference from a file of the site to an internal URL."""

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


def check_built_site(site: Path, base: str, site_url: str = "", shown_as: str = "site") -> SiteReport:
    """Serve `site` under `base` and check every internal URL, anchor and id (module docstring).
    `site_url`: the published URL from the settings, used when robots.txt names no sitemap;
    `shown_as`: how findings name the output folder (relative to the knowledge base)."""
    start = time.perf_counter()
    report = SiteReport()
    files = _walk(site)
    with serve(site, base) as origin:
        fetcher = Fetcher(origin, WORKERS)
        try:
            _Crawl(site, base, site_url, shown_as, files, fetcher, report).run()
        finally:
            report.requests = fetcher.requests
            fetcher.close()
    report.findings.sort(key=lambda f: (f.file, f.line or 0, f.rule, f.message))
    report.seconds = time.perf_counter() - start
    return report


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
        self.settings_site_url = site_url
        self.answers: dict[str, Answer] = {}
        self.scans: dict[str, PageScan] = {}
        self.refs: list[Ref] = []
        self.resolve = _Resolver(base, site_url)

    def shown(self, rel: str) -> str:
        return f"{self.shown_as}/{rel}" if self.shown_as else rel

    def find(self, rule: str, message: str, rel: str, line: int | None) -> None:
        self.report.findings.append(Finding(rule, message, self.shown(rel), line))

    # -- fetching --------------------------------------------------------------------------------

    def get(self, path: str) -> bytes:
        answer, data = self.fetcher.fetch("GET", path)
        self.answers[path] = answer
        return data

    def head_all(self, paths: Iterable[str]) -> None:
        todo = sorted({p for p in paths if p not in self.answers})
        for path, (answer, _data) in zip(
            todo, self.fetcher.map(lambda p: self.fetcher.fetch("HEAD", p), todo), strict=True
        ):
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

    # -- the crawl -------------------------------------------------------------------------------

    def run(self) -> None:
        robots = [f for f in self.files if f == "robots.txt"]
        for rel in robots:
            text = self.get(_rel_path_url(self.base, rel)).decode("utf-8", "replace")
            for link in scan_robots(text):
                if link.url.endswith("sitemap.xml") and "://" in link.url:
                    self.resolve = _Resolver(self.base, link.url[: -len("sitemap.xml")])
            self.add_refs(rel, scan_robots(text))
        if self.resolve.site_url:
            self.report.site_url = self.resolve.site_url
            published = urlsplit(self.resolve.site_url).path or "/"
            if published != self.base:
                self.find(
                    "site-url-mismatch",
                    f"site_url {self.resolve.site_url} is published at {published}, but the site was built for "
                    f"{self.base}: its feeds and sitemap send readers and crawlers to the wrong place "
                    f"(checked as if they were under {self.base})",
                    "robots.txt" if robots else "",
                    None,
                )
        pages = [f for f in self.files if f.endswith((".html", ".htm"))]
        self.read_pages(pages)
        sitemap_links = self.read_xml([f for f in self.files if f.endswith(".xml")])
        self.read_stylesheets()
        self.head_all(r.target for r in self.refs)
        self.check_refs()
        self.check_sitemaps(sitemap_links)
        self.check_search_bundle()
        self.report.urls = len(self.answers)

    def refs_of(self, rel: str, links: Iterable[Link]) -> tuple[list[Ref], list[Finding]]:
        """The internal references among a file's links, each once per file, and its unsafe URLs.
        Touches nothing shared but the resolver's memo, so the workers run it as pages arrive."""
        page = _rel_path_url(self.base, rel)
        refs: list[Ref] = []
        unsafe: list[Finding] = []
        seen: set[tuple[str, str, str]] = set()
        for link in links:
            key = (link.url, link.kind, link.attr)
            if key in seen:
                continue
            seen.add(key)
            if link.url.lower().lstrip().startswith(UNSAFE_SCHEMES):
                message = f"{link.attr} {link.url[:80]!r} would run a script"
                unsafe.append(Finding("unsafe-url", message, self.shown(rel), link.line))
                continue
            hit = self.resolve(page, link.url)
            if hit is not None:
                refs.append(Ref(rel, link.line, link.kind, hit[0], hit[1], link.url))
        return refs, unsafe

    def add_refs(self, rel: str, links: Iterable[Link]) -> None:
        refs, unsafe = self.refs_of(rel, links)
        self.refs.extend(refs)
        self.report.findings.extend(unsafe)

    def read_pages(self, pages: list[str]) -> None:
        """GET every page over the workers, each read as it arrives (links resolved there too, so
        only ids and references are kept, not 250 MB of pages or a million links)."""

        def read(rel: str) -> tuple[str, str, Answer, PageScan | None, list[Ref], list[Finding]]:
            path = _rel_path_url(self.base, rel)
            answer, data = self.fetcher.fetch("GET", path)
            if answer.status != 200:
                return rel, path, answer, None, [], []
            scan = scan_html(data.decode("utf-8", "replace"))
            refs, unsafe = self.refs_of(rel, scan.links)
            scan.links = []
            return rel, path, answer, scan, refs, unsafe

        for rel, path, answer, scan, refs, unsafe in self.fetcher.map(read, pages):
            self.answers[path] = answer
            if scan is None:
                self.find("broken-link", f"the host answers {answer.status} for this page ({path})", rel, None)
                continue
            self.scans[path] = scan
            self.report.pages += 1
            self.refs.extend(refs)
            self.report.findings.extend(unsafe)
            for ident, line in scan.duplicate_ids:
                self.find("duplicate-id", f"id {ident!r} is used more than once on this page", rel, line)

    def read_xml(self, files: list[str]) -> list[tuple[str, Link]]:
        """GET every feed and sitemap over the workers: feeds' links become references; the
        sitemaps' URLs are returned, checked against the site's URL later."""

        def read(rel: str) -> tuple[str, Answer, list[Ref], list[Finding], list[Link]]:
            path = _rel_path_url(self.base, rel)
            answer, data = self.fetcher.fetch("GET", path)
            text = data.decode("utf-8", "replace")
            if is_sitemap(text):
                return path, answer, [], [], scan_sitemap(text)
            refs, unsafe = self.refs_of(rel, scan_feed(text))
            return path, answer, refs, unsafe, []

        found: list[tuple[str, Link]] = []
        for rel, (path, answer, refs, unsafe, locs) in zip(files, self.fetcher.map(read, files), strict=True):
            self.answers[path] = answer
            self.refs.extend(refs)
            self.report.findings.extend(unsafe)
            found.extend((rel, link) for link in locs)
        return found

    def read_stylesheets(self) -> None:
        """Stylesheets the pages load, for the files they refer to in turn (`url()`, `@import`)."""
        sheets = sorted({r.target for r in self.refs if r.kind == "asset" and r.target.endswith(".css")})
        for path in sheets:
            if not path.startswith(self.base):
                continue
            data = self.get(path)
            if self.answers[path].status == 200:
                rel = path[len(self.base) :]
                self.add_refs(rel, scan_css(data.decode("utf-8", "replace")))

    def check_refs(self) -> None:
        self.report.links = len(self.refs)
        for ref in self.refs:
            answer = self.answers[ref.target]
            if answer.status >= 400:
                rule = "broken-asset" if ref.kind == "asset" else "broken-link"
                hint = "" if ref.target.startswith(self.base) else f" (outside the base URL {self.base})"
                message = f"{ref.written!r} answers {answer.status}{hint}"
                self.find(rule, message, ref.source, ref.line)
            elif ref.fragment and ref.fragment != "top":
                scan = self.page_scan(ref.target)
                if scan is not None and ref.fragment not in scan.ids:
                    message = f"{ref.written!r}: the page has no element with id {ref.fragment!r}"
                    self.find("broken-anchor", message, ref.source, ref.line)

    def check_sitemaps(self, links: list[tuple[str, Link]]) -> None:
        site_url = self.resolve.site_url
        paths: list[tuple[str, Link, str]] = []
        for rel, link in links:
            if not site_url or not link.url.startswith(site_url):
                where = f"under site_url {site_url}" if site_url else "under the site's URL (robots.txt names none)"
                self.find("sitemap-url", f"{link.url!r} is not {where}", rel, link.line)
                continue
            paths.append((rel, link, self.base + link.url[len(site_url) :].split("#", 1)[0].split("?", 1)[0]))
        self.head_all(unquote(p) for _r, _l, p in paths)
        for rel, link, path in paths:
            answer = self.answers[unquote(path)]
            if answer.status >= 400:
                self.find("sitemap-url", f"{link.url!r} answers {answer.status}", rel, link.line)
        self.report.links += len(paths)

    def check_search_bundle(self) -> None:
        """The bundle of every page that loads a Pagefind script, as Pagefind's loader fetches it."""
        loaders: dict[str, Ref] = {}
        for ref in self.refs:
            if ref.kind == "asset" and ref.target.endswith(_BUNDLE_LOADERS) and ref.target.startswith(self.base):
                folder = ref.target.rsplit("/", 1)[0] + "/"
                loaders.setdefault(folder, ref)
        for folder, ref in sorted(loaders.items()):
            self.check_bundle(folder, ref)

    def check_bundle(self, folder: str, ref: Ref) -> None:
        def missing(name: str, status: int, rel: str, line: int | None, why: str = "") -> None:
            message = f"search bundle file {folder}{name} answers {status}{why}"
            self.find("search-bundle", message, rel, line)

        loader = self.get(folder + "pagefind.js")
        if self.answers[folder + "pagefind.js"].status != 200:
            missing("pagefind.js", self.answers[folder + "pagefind.js"].status, ref.source, ref.line)
            return
        entry = self.get(folder + "pagefind-entry.json")
        if self.answers[folder + "pagefind-entry.json"].status != 200:
            missing("pagefind-entry.json", self.answers[folder + "pagefind-entry.json"].status, ref.source, ref.line)
            return
        wanted: dict[str, tuple[str, int | None]] = {}
        if b"pagefind-worker.js" in loader:
            wanted["pagefind-worker.js"] = (folder[len(self.base) :] + "pagefind.js", None)
        try:
            names = entry_files(entry)
        except BundleError as exc:
            self.find("search-bundle", str(exc), folder[len(self.base) :] + "pagefind-entry.json", None)
            return
        entry_rel = folder[len(self.base) :] + "pagefind-entry.json"
        for name in names:
            if not name.endswith(".pf_meta"):
                wanted[name] = (entry_rel, None)
                continue
            data = self.get(folder + name)
            if self.answers[folder + name].status != 200:
                missing(name, self.answers[folder + name].status, entry_rel, None, " (named by pagefind-entry.json)")
                continue
            try:
                chunks = meta_files(data)
            except BundleError as exc:
                self.find("search-bundle", f"{name}: {exc}", folder[len(self.base) :] + name, None)
                continue
            for chunk in chunks:
                wanted.setdefault(chunk, (folder[len(self.base) :] + name, None))
        self.head_all(folder + name for name in wanted)
        by_source: dict[tuple[str, int | None], list[str]] = defaultdict(list)
        for name, where in sorted(wanted.items()):
            if self.answers[folder + name].status >= 400:
                by_source[where].append(name)
        for (rel, line), names_missing in sorted(by_source.items(), key=lambda kv: kv[0][0]):
            for name in names_missing:
                missing(name, self.answers[folder + name].status, rel, line, f" (listed in {rel.rsplit('/', 1)[-1]})")
