"""Every internal URL of a built site honours the base URL: the site built for `/some-repo/` (as on
GitHub Pages) has no root-relative URL outside `/some-repo/` and no absolute URL of its own outside
`site_url`, in any page (the 404 page included), feed, sitemap, data file or script of its own;
and no page links page-relatively, which would break on the 404 page, served at any depth."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from litweave.build import search
from litweave.build.pipeline import build_site
from litweave.config import load_config
from litweave.urls import SEARCH_BUNDLE, output_path

REPO = Path(__file__).resolve().parents[1]
BASE = "/some-repo/"
SITE_URL = "https://example.org/some-repo/"
HOST = "https://example.org/"

URL_ATTRIBUTES = frozenset({"href", "src", "action", "data-index", "poster", "srcset", "formaction"})
"""Attributes whose value is a URL; `content` counts too when it holds one (citation metadata)."""
_QUOTED_PATH = re.compile(r"""(?<![\w\\])["'](/[^"'\s<>]*)["']""")
"""A string literal holding a root-relative path, in a script or a JSON-LD block."""


class _Urls(HTMLParser):
    """Every URL an HTML page holds: attribute values, and root-relative strings in its scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._script = tag == "script"
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES or (name == "content" and value.startswith(("/", "http:", "https:"))):
                self.found.append((f"<{tag} {name}>", value.strip()))

    def handle_endtag(self, tag: str) -> None:
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script:
            self.found.extend(("<script>", m.group(1)) for m in _QUOTED_PATH.finditer(data))


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def problems(where: str, url: str) -> list[str]:
    """What is wrong with one URL found in the site, if anything."""
    if url.startswith("//"):
        return [f"{where}: protocol-relative URL {url!r}"]
    if url.startswith("/") and not url.startswith(BASE):
        return [f"{where}: root-relative URL outside the base: {url!r}"]
    if url.startswith(HOST) and not url.startswith(SITE_URL):
        return [f"{where}: absolute URL outside site_url: {url!r}"]
    return []


def html_problems(where: str, text: str) -> list[str]:
    parser = _Urls()
    parser.feed(text)
    found: list[str] = []
    for tag, url in parser.found:
        found += problems(f"{where} {tag}", url)
        if tag != "<script>" and not re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#|\?|$)", url, re.IGNORECASE):
            found.append(f"{where} {tag}: page-relative URL {url!r} (breaks when the page is served elsewhere)")
    return found


def built(root: Path, *, search_step: bool) -> Path:
    paper = root / "content" / "papers" / "nahta-2006-mechanisms.md"
    text = paper.read_text(encoding="utf-8")
    paper.write_text(text.replace("---\n", "---\ntags: [review, her2 biology]\nstatus: reading\n", 1), encoding="utf-8")
    report = build_site(load_config(root, base_url=BASE, site_url=SITE_URL), search=search_step)
    assert report.ok, [str(d) for d in report.diagnostics]
    return root / "site"


def site_problems(site: Path) -> tuple[list[str], dict[str, int]]:
    """Every URL problem in the site's HTML, XML, JSON and own scripts; how many files of each kind
    were read (so that the test sees that it looked)."""
    found: list[str] = []
    seen = {"html": 0, "xml": 0, "json": 0, "js": 0}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if not path.is_file() or rel.startswith(SEARCH_BUNDLE):
            continue  # Pagefind's own files: checked below
        kind = path.suffix.lstrip(".")
        if kind not in seen:
            continue
        seen[kind] += 1
        text = path.read_text(encoding="utf-8")
        if kind == "html":
            found += html_problems(rel, text)
        elif kind == "xml":
            for url in re.findall(r"""(?:href=["']|<loc>|<id>)([^"'<]+)""", text):
                found += problems(rel, url)
                if not url.startswith(SITE_URL):
                    found.append(f"{rel}: a feed or sitemap URL that is not absolute under site_url: {url!r}")
        elif kind == "json":
            for s in _strings(json.loads(text)):
                found += problems(rel, s)
        else:
            found += [p for m in _QUOTED_PATH.finditer(text) for p in problems(rel, m.group(1))]
    return found, seen


def test_every_url_of_a_site_built_for_a_sub_path_stays_under_it(kb: Path) -> None:
    site = built(kb, search_step=False)
    found, seen = site_problems(site)
    assert found == []
    assert seen["html"] > 20 and seen["xml"] > 5 and seen["json"] >= 3 and seen["js"] >= 2
    # the pages this test must not miss hold what it looks for
    not_found = (site / "404.html").read_text(encoding="utf-8")
    for url in (BASE, f"{BASE}static/style.css", f"{BASE}static/favicon.svg", f"{BASE}papers/", f"{BASE}search/"):
        assert f'href="{url}"' in not_found, url
    assert f'href="{BASE}feed.xml"' in not_found  # the site's feed, in every page's head
    paper = (site / "papers" / "lu-2001-insulin-like" / "index.html").read_text(encoding="utf-8")
    assert f'href="{BASE}papers/lu-2001-insulin-like/lu-2001-insulin-like.bib"' in paper
    assert f'content="{SITE_URL}papers/lu-2001-insulin-like/"' in paper  # citation_abstract_html_url
    assert f'src="{BASE}static/cite.js"' in paper
    papers = (site / "papers" / "index.html").read_text(encoding="utf-8")
    assert f'data-index="{BASE}papers/index.json"' in papers and f'src="{BASE}static/filter.js"' in papers
    assert f'href="{BASE}tags/review/"' in (site / "tags" / "index.html").read_text(encoding="utf-8")
    search_page = (site / "search" / "index.html").read_text(encoding="utf-8")
    assert f'src="{BASE}pagefind/pagefind-ui.js"' in search_page
    assert f'var bundle = "{BASE}pagefind/";' in search_page and f'baseUrl: "{BASE}"' in search_page
    assert f"<loc>{SITE_URL}papers/lu-2001-insulin-like/</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f'href="{SITE_URL}authors/rita-nahta/feed.xml"' in (site / "authors/rita-nahta/feed.xml").read_text(
        encoding="utf-8"
    )


def test_the_repository_sample_built_for_a_sub_path(tmp_path: Path) -> None:
    """The knowledge base this repository ships (`python build.py`), built for `/some-repo/`."""
    root = tmp_path / "sample"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    report = build_site(load_config(root, base_url=BASE, site_url=SITE_URL), search=False)
    assert report.ok, [str(d) for d in report.diagnostics]
    found, seen = site_problems(root / "site")
    assert found == []
    assert seen["html"] > 200 and seen["xml"] >= 3 and seen["json"] >= 3


def test_graph_json_urls_are_site_relative_and_reach_pages(kb: Path) -> None:
    """graph.json names pages relative to the site's root, so the file is the same whatever the base
    URL (a tool resolves them against where it found the file); each one is a page of the site."""
    site = built(kb, search_step=False)
    graph = json.loads((site / "graph.json").read_text(encoding="utf-8"))
    urls = [item["url"] for section in graph.values() for item in section]
    assert len(urls) > 10
    for url in urls:
        assert not url.startswith("/") and (site / output_path(url)).is_file(), url


def test_the_checker_finds_a_hand_built_url(kb: Path) -> None:
    """The checks above can fail: a link that forgets the base, a page-relative link and an
    absolute URL of another site_url are each reported."""
    found = html_problems(
        "x.html",
        '<a href="/papers/x/">a</a><a href="papers/x/">b</a><link href="https://example.org/other/">'
        '<script>var u = "/pagefind/";</script><a href="/some-repo/ok/">ok</a><a href="#main">ok</a>',
    )
    assert len(found) == 4, found


@pytest.mark.skipif(search.pagefind_version() is None, reason="Pagefind is not installed (pip install -e '.[test]')")
def test_the_search_bundle_under_a_sub_path(kb: Path) -> None:
    """Pagefind stores each result's URL from the site's root ("/papers/x/"), whatever the base: it
    has no option to do otherwise. The search page hands the base to Pagefind's UI (`baseUrl`),
    which puts it in front of every result, and loads the bundle from under the base
    (`bundlePath`). So every stored URL must be a page of the site, and the bundle's own JSON
    must hold no root-relative URL outside the base."""
    site = built(kb, search_step=True)
    bundle = site / SEARCH_BUNDLE
    fragments = sorted(bundle.glob("**/fragment/*.pf_fragment"))  # every shard
    assert len(fragments) > 5
    for fragment in fragments:
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        url = json.loads(data[len(b"pagefind_dcd") :])["url"]
        assert url.startswith("/") and not url.startswith(BASE), url
        assert (site / output_path(url.lstrip("/"))).is_file(), url
    for path in bundle.rglob("*.json"):
        assert [p for s in _strings(json.loads(path.read_text(encoding="utf-8"))) for p in problems(path.name, s)] == []
    search_page = (site / "search" / "index.html").read_text(encoding="utf-8")
    assert f'var bundle = "{BASE}pagefind/";' in search_page and f'baseUrl: "{BASE}"' in search_page
    assert (bundle / "pagefind-ui.js").is_file() and (bundle / "pagefind-ui.css").is_file()
