"""The site as a person uses it, in a real browser: Debian's chromium driven by playwright.

The fixture site is built under the sub-path /repo/ (as on GitHub Pages) and served by a small
threaded server (tests/site_server.py). Every page visited must load without a page error, a
console error, a failed request or an HTTP error; the tests type in the papers index's filter, run
a search, follow links, and check that pages do not scroll sideways on a 390 px phone.
Screenshots at desktop (1280 px) and phone (390 px) width are written to $LITWEAVE_ARTIFACTS
(or pytest's temporary folder) and the folder is printed.

Without /usr/bin/chromium or playwright these tests skip, naming what is missing; in CI
(CI=true) they fail instead, so a CI that lost its browser cannot pass silently.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURE_SITE, REPO
from site_server import CHROMIUM, CHROMIUM_ARGS, serve_site

from litweave.build.pipeline import build_site
from litweave.build.search import pagefind_version
from litweave.config import load_config

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _missing() -> str:
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return ""


MISSING = _missing()
if MISSING and os.environ.get("CI", "").lower() in ("", "0", "false"):
    pytest.skip(f"browser tests need a browser: {MISSING}", allow_module_level=True)
# in CI a missing browser is not skipped: the fixtures below fail loudly


@dataclass
class Visit:
    """What went wrong while a page was open."""

    problems: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site, one paper given tags and a status, built for /repo/ with its search index."""
    if pagefind_version() is None:
        pytest.fail("Pagefind is not installed: pip install -e '.[test]'")
    root = tmp_path_factory.mktemp("browser") / "kb"
    shutil.copytree(FIXTURE_SITE, root)
    shutil.copytree(REPO / "templates", root / "templates")
    paper = root / "content" / "papers" / "nahta-2006-mechanisms.md"
    text = paper.read_text(encoding="utf-8")
    paper.write_text(text.replace("---\n", "---\ntags: [review, resistance]\nstatus: to-read\n", 1), encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LITWEAVE_SEARCH_SHARD_PAGES", "3")  # several shards, so the page merges them
        report = build_site(load_config(root, base_url="/repo/"))
    assert report.ok, [str(d) for d in report.diagnostics]
    assert report.search is not None and report.search.ran and report.search.shards >= 3
    return root / "site"


@pytest.fixture(scope="module")
def base(site: Path) -> Iterator[str]:
    with serve_site(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    assert not MISSING, f"browser tests need a browser: {MISSING}"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    folder = Path(os.environ.get("LITWEAVE_ARTIFACTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"browser screenshots: {folder}")
    return folder


def _watch(page: Any, visit: Visit, base: str) -> None:
    """Record page errors, console errors, failed requests and HTTP errors of `page`."""
    root = base.split("/repo/")[0]
    page.on("pageerror", lambda e: visit.problems.append(f"page error: {e}"))
    favicon = root + "/favicon.ico"  # asked for by the browser itself when a page names no icon

    def console(m: Any) -> None:
        if m.type == "error" and m.location.get("url") != favicon:
            visit.problems.append(f"console error: {m.text} ({m.location.get('url')})")

    page.on("console", console)
    page.on("requestfailed", lambda r: visit.problems.append(f"request failed: {r.url} {r.failure}"))

    def response(r: Any) -> None:
        if r.status >= 400 and r.url != favicon:
            visit.problems.append(f"HTTP {r.status}: {r.url}")

    page.on("response", response)


@pytest.fixture
def open_page(browser: Any, base: str) -> Iterator[Any]:
    """open_page(path, width) → (page, visit); every page opened is checked clean at the end."""
    opened: list[tuple[Any, Visit, Any]] = []

    def open_(path: str, viewport: dict[str, int] = DESKTOP) -> tuple[Any, Visit]:
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        visit = Visit()
        _watch(page, visit, base)
        response = page.goto(base + path, wait_until="networkidle")
        assert response is not None and response.ok, f"{path}: HTTP {response.status if response else '?'}"
        opened.append((page, visit, context))
        return page, visit

    yield open_
    problems = [p for _page, visit, _c in opened for p in visit.problems]
    for _page, _visit, context in opened:
        context.close()
    assert problems == []


def _first(site: Path, section: str) -> str:
    found = sorted(p.parent.name for p in (site / section).glob("*/index.html"))
    assert found, f"no pages under {section}/"
    return f"{section}/{found[0]}/"


PAGES = ["", "papers/", "mechanisms/", "authors/", "papers/nahta-2006-mechanisms/", "search/"]


@pytest.mark.parametrize("path", PAGES + ["author", "mechanism"])
def test_page_loads_clean_at_desktop_and_phone_width(path: str, site: Path, open_page: Any, artifacts: Path) -> None:
    if path in ("author", "mechanism"):
        path = _first(site, path + "s")
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page, _visit = open_page(path, viewport)
        assert page.locator("h1").count() == 1
        assert page.title()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{path} scrolls sideways at {viewport['width']} px: {width} px wide"
        shot = re.sub(r"[^a-z0-9]+", "-", path.strip("/") or "home") + f"-{name}.png"
        page.screenshot(path=str(artifacts / shot))


def test_tag_page_loads_clean(site: Path, open_page: Any) -> None:
    tags = sorted((site / "tags").glob("*/index.html")) if (site / "tags").is_dir() else []
    if not tags:
        pytest.skip("the site has no tag pages (tags/<tag>/) to load")
    page, _visit = open_page(f"tags/{tags[0].parent.name}/", PHONE)
    assert page.locator("a[href*='/repo/papers/']").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_links_are_followed_under_the_sub_path(open_page: Any) -> None:
    page, _visit = open_page("")
    page.locator("main a[href*='/repo/papers/'][href$='/']").filter(has_not_text="papers").first.click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"/repo/papers/[^/]+/$", page.url), page.url
    page.locator("main a[href*='/repo/authors/']").first.click()
    page.wait_for_load_state("networkidle")
    assert "/repo/authors/" in page.url and page.locator("h1").count() == 1
    page.locator("main a[href*='/repo/papers/']").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("main a[href*='/repo/mechanisms/']").first.click()
    page.wait_for_load_state("networkidle")
    assert "/repo/mechanisms/" in page.url
    page.locator("header a", has_text="Search").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/repo/search/")


def test_typing_in_the_papers_filter_narrows_the_list(open_page: Any) -> None:
    page, _visit = open_page("papers/")
    items = page.locator("#paper-list > li")
    total = items.count()
    assert total >= 3
    page.locator("#paper-filter").wait_for(state="visible")
    page.locator("#f-q").fill("IGF")
    page.wait_for_timeout(300)
    shown = items.count()
    assert 0 < shown < total, f"typing 'IGF' shows {shown} of {total} papers"
    assert all("igf" in t.lower() for t in page.locator("#paper-list > li").all_inner_texts())
    assert f"of {total} match" in page.locator("#f-count").inner_text()
    page.locator("#f-q").fill("zzzznothing")
    page.wait_for_timeout(300)
    assert items.count() == 0
    page.locator("#f-q").fill("")
    page.locator("#f-status").select_option("to-read")
    page.wait_for_timeout(300)
    assert items.count() == 1 and "Mechanisms of disease" in items.first.inner_text()
    page.locator("#f-reset").click()
    page.wait_for_timeout(300)
    assert items.count() == total


def _search(page: Any, term: str) -> Any:
    page.locator(".pagefind-ui__search-input").fill(term)
    results = page.locator(".pagefind-ui__result")
    results.first.wait_for(timeout=10_000)
    return results


def test_search_finds_papers_and_links_under_the_sub_path(open_page: Any, artifacts: Path) -> None:
    page, _visit = open_page("search/")
    results = _search(page, "trastuzumab")
    assert results.count() >= 2
    hrefs = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(h.startswith("/repo/") for h in hrefs), hrefs
    page.wait_for_function("document.querySelectorAll('.pagefind-ui__filter-name').length >= 6", timeout=10_000)
    filters = page.locator(".pagefind-ui__filter-name").all_inner_texts()
    assert {"mechanism", "author", "year", "type", "status", "tag"} <= {f.strip().lower() for f in filters}, filters
    page.screenshot(path=str(artifacts / "search-desktop.png"))
    page.locator(".pagefind-ui__result-link").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(page.url.split("/repo/")[0] + "/repo/") and page.locator("h1").count() == 1


def _count(page: Any) -> int:
    """The number of results Pagefind's UI says it found (it shows five at first)."""
    message = page.locator(".pagefind-ui__message").inner_text()
    found = re.match(r"(\d+) results? for", message)
    assert found, message
    return int(found.group(1))


def test_search_merges_every_shard(open_page: Any, site: Path) -> None:
    """Each shard's pages are found: the result count is the number of indexed pages, across all
    the shard bundles, whose text holds the word."""
    holding = set()
    for fragment in (site / "pagefind").glob("**/fragment/*.pf_fragment"):
        raw = gzip.decompress(fragment.read_bytes())
        data = json.loads(raw[raw.index(b"{") :])
        if "trastuzumab" in data["content"].lower():
            holding.add(data["url"])
    shards = json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert len(shards) >= 2 and len(holding) >= 3
    page, _visit = open_page("search/?q=trastuzumab")
    page.locator(".pagefind-ui__result").first.wait_for(timeout=10_000)
    page.wait_for_timeout(500)
    assert _count(page) == len(holding)


def test_search_filters_narrow_the_results(open_page: Any) -> None:
    page, _visit = open_page("search/?q=trastuzumab")
    page.locator(".pagefind-ui__result").first.wait_for(timeout=10_000)
    before = _count(page)
    summary = page.locator("summary.pagefind-ui__filter-name", has_text=re.compile(r"^\s*Type\s*$"))
    if summary.locator("xpath=..").get_attribute("open") is None:
        summary.click()
    summary.locator("xpath=..").locator("label", has_text="Mechanism").click()
    page.wait_for_timeout(800)
    after = _count(page)
    assert 0 < after < before, (before, after)
    links = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert all("/repo/mechanisms/" in h for h in links), links


def test_a_missing_page_answers_404_with_a_way_home(browser: Any, base: str, site: Path) -> None:
    page = browser.new_page()
    response = page.goto(base + "no/such/page/")
    assert response is not None and response.status == 404
    if (site / "404.html").is_file():
        assert page.locator("a[href='/repo/']").count() >= 1
    page.close()
