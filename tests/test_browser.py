"""The site as a person uses it, in a real browser: Debian's chromium driven by playwright.

The fixture site is built under the sub-path /repo/ (as on GitHub Pages) and served by a small
threaded server (tests/site_server.py). Every page visited must load without a page error, a
console error, a failed request or an HTTP error; the tests type in the papers index's filter, run
a search, follow links, and check that pages do not scroll sideways on a 390 px phone.
A second site of 400 synthetic papers (tests/synthetic_kb.py) has author, mechanism and tag pages
with long lists: their filter and sort, with and without JavaScript, and every picture's text at
390 px. axe-core checks every kind of page in the light and dark colour schemes (without it the
accessibility tests skip, naming what is missing, except in CI, where they fail).
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
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURE_SITE, REPO
from site_server import CHROMIUM, CHROMIUM_ARGS, serve_site
from synthetic_kb import make_synthetic_kb

from litweave.build.pipeline import build_site
from litweave.build.search import pagefind_version
from litweave.config import load_config
from litweave.site.views import LONG_LIST

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
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """400 synthetic papers (tests/synthetic_kb.py): authors, mechanisms and tags with lists
    longer than LONG_LIST, built for /repo/ without a search index."""
    root = make_synthetic_kb(tmp_path_factory.mktemp("long") / "kb", 400, 7)
    report = build_site(load_config(root, base_url="/repo/"), search=False)
    assert report.ok, [str(d) for d in report.diagnostics]
    return root / "site"


@pytest.fixture(scope="module")
def long_base(long_site: Path) -> Iterator[str]:
    with serve_site(long_site) as url:
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


def _watch(page: Any, visit: Visit, base: str, expected: str = "") -> None:
    """Record page errors, console errors, failed requests and HTTP errors of `page` (but the
    error status of `expected`, a page opened for its error answer: the 404 page)."""
    root = base.split("/repo/")[0]
    page.on("pageerror", lambda e: visit.problems.append(f"page error: {e}"))
    favicon = root + "/favicon.ico"  # asked for by the browser itself when a page names no icon

    def console(m: Any) -> None:
        if m.type == "error" and m.location.get("url") not in (favicon, expected):
            visit.problems.append(f"console error: {m.text} ({m.location.get('url')})")

    page.on("console", console)
    page.on("requestfailed", lambda r: visit.problems.append(f"request failed: {r.url} {r.failure}"))

    def response(r: Any) -> None:
        if r.status >= 400 and r.url not in (favicon, expected):
            visit.problems.append(f"HTTP {r.status}: {r.url}")

    page.on("response", response)


@pytest.fixture
def open_page(browser: Any, base: str) -> Iterator[Any]:
    """open_page(path, width) → (page, visit); every page opened is checked clean at the end.

    `at` serves another site's URL; `color_scheme` is the scheme the browser prefers; `javascript`
    False opens the page as a browser without JavaScript; `status` is the answer expected."""
    opened: list[tuple[Any, Visit, Any]] = []

    def open_(
        path: str,
        viewport: dict[str, int] = DESKTOP,
        *,
        at: str = "",
        color_scheme: str = "light",
        javascript: bool = True,
        status: int = 200,
    ) -> tuple[Any, Visit]:
        context = browser.new_context(viewport=viewport, color_scheme=color_scheme, java_script_enabled=javascript)
        page = context.new_page()
        visit = Visit()
        _watch(page, visit, at or base, expected=(at or base) + path if status != 200 else "")
        response = page.goto((at or base) + path, wait_until="networkidle")
        assert response is not None and response.status == status, (
            f"{path}: HTTP {response.status if response else '?'}"
        )
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


# -- long lists -------------------------------------------------------------------------------


def _longest(site: Path, section: str) -> tuple[str, int]:
    """The page of `section` listing the most papers, and how many."""
    counted = [
        (p.read_text(encoding="utf-8").count('<li class="paper-item">'), p.parent.name)
        for p in (site / section).glob("*/index.html")
    ]
    n, slug = max(counted)
    assert n > LONG_LIST, f"no {section} page lists more than {LONG_LIST} papers"
    return f"{section}/{slug}/", n


def _shown(page: Any) -> list[dict[str, Any]]:
    """What each list item on the page shows: its title and text, year, status and tag links."""
    return page.locator("#paper-list > li").evaluate_all(
        """items => items.map(li => ({
            title: li.querySelector('.paper-title').textContent, text: li.textContent,
            year: parseInt((li.querySelector('.paper-meta .year') || {}).textContent, 10) || null,
            status: ((li.querySelector('.reading .badge') || {}).className || '').replace(/^badge status-/, ''),
            tags: [...li.querySelectorAll('ul.chips.tags a')].map(a => a.getAttribute('href'))}))"""
    )


@pytest.mark.parametrize("section", ["authors", "mechanisms", "tags"])
def test_a_long_list_has_the_index_filter_and_sort_and_a_link_to_the_index(
    section: str, long_site: Path, long_base: str, open_page: Any
) -> None:
    path, total = _longest(long_site, section)
    page, _visit = open_page(path, PHONE, at=long_base)
    page.locator("#paper-filter").wait_for(state="visible")
    items = page.locator("#paper-list > li")
    assert f"{total} papers" in page.locator("#f-count").inner_text()
    everything = _shown(page)
    assert len(everything) == total  # fewer than a page of the filter's PAGE: all shown
    # text: a word of one title narrows the list to the papers holding it
    word = max(everything[0]["title"].split(), key=len).strip(".,:;")
    page.locator("#f-q").fill(word)
    page.wait_for_timeout(300)
    shown = _shown(page)
    assert 0 < len(shown) < total and all(word.lower() in str(s["text"]).lower() for s in shown)
    assert everything[0]["title"] in [s["title"] for s in shown]
    page.locator("#f-reset").click()
    page.wait_for_timeout(300)
    # years: from and to
    years = sorted(y for y in (s["year"] for s in everything) if y)
    low, high = years[len(years) // 4], years[3 * len(years) // 4]
    page.locator("#f-from").fill(str(low))
    page.locator("#f-to").fill(str(high))
    page.wait_for_timeout(300)
    shown = _shown(page)
    assert len(shown) == sum(1 for y in years if low <= y <= high) and all(low <= s["year"] <= high for s in shown)
    page.locator("#f-reset").click()
    page.wait_for_timeout(300)
    # status and tag, and both kept in the address: a reload shows the same list
    status = Counter(s["status"] for s in everything if s["status"]).most_common(1)[0][0]
    page.locator("#f-status").select_option(status)
    page.wait_for_timeout(300)
    shown = _shown(page)
    assert len(shown) == sum(1 for s in everything if s["status"] == status) > 0
    assert {s["status"] for s in shown} == {status}
    tag = page.locator("#f-tag option").nth(1).get_attribute("value")
    page.locator("#f-tag").select_option(tag)
    page.wait_for_timeout(300)
    tagged = [s for s in everything if s["status"] == status and any(h.endswith(f"/tags/{tag}/") for h in s["tags"])]
    assert len(_shown(page)) == len(tagged)
    assert f"status={status}" in page.url and f"tag={tag}" in page.url
    page.reload(wait_until="networkidle")
    assert items.count() == len(tagged) and page.locator("#f-status").input_value() == status
    page.locator("#f-reset").click()
    page.wait_for_timeout(300)
    # sort: oldest first, then by title
    page.locator("#f-sort").select_option("year-asc")
    page.wait_for_timeout(300)
    dated = [s["year"] for s in _shown(page) if s["year"]]
    assert dated == sorted(dated) and items.count() == total
    page.locator("#f-sort").select_option("title")
    page.wait_for_timeout(300)
    titles = [str(s["title"]).casefold() for s in _shown(page)]
    assert titles[0] <= titles[-1] and len(titles) == total
    # the papers index, filtered by this page's author, mechanism or tag, lists the same papers
    page.locator("main a", has_text=re.compile(r"filter the papers index by this", re.I)).click()
    page.wait_for_load_state("networkidle")
    assert "/repo/papers/?" in page.url
    page.locator("#paper-filter").wait_for(state="visible")
    assert page.locator("#f-count").inner_text().startswith(f"{total} papers of ")
    assert sorted(s["title"] for s in _shown(page)) == sorted(s["title"] for s in everything)


@pytest.mark.parametrize("section", ["authors", "mechanisms", "tags"])
def test_a_long_list_is_complete_without_javascript(
    section: str, long_site: Path, long_base: str, open_page: Any
) -> None:
    """Without JavaScript the form stays hidden and every paper is in the list; the link to the
    filtered papers index is there too (the index is complete without JavaScript as well)."""
    path, total = _longest(long_site, section)
    page, _visit = open_page(path, PHONE, at=long_base, javascript=False)
    assert page.evaluate("typeof window.litweaveFilterMs") == "undefined"
    assert page.locator("#paper-list > li").count() == total
    assert not page.locator("#paper-filter").is_visible() and not page.locator("#f-more").is_visible()
    assert page.locator("main a", has_text=re.compile(r"filter the papers index by this", re.I)).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


# -- pictures ---------------------------------------------------------------------------------

OUTSIDE = """() => [...document.querySelectorAll('svg')].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  if (!box.width) return [];  // the other drawing of the pair, not shown at this width
  const out = b => b.left < box.left - 0.5 || b.right > box.right + 0.5
    || b.top < box.top - 0.5 || b.bottom > box.bottom + 0.5;
  const px = (a, b) => `${Math.round(a)}–${Math.round(b)} px`;
  return [...svg.querySelectorAll('text')].map(t => [t, t.getBoundingClientRect()]).filter(([t, b]) => out(b))
    .map(([t, b]) => `${svg.getAttribute('class')}: "${t.textContent}" at ${px(b.left, b.right)}`
      + ` of ${px(box.left, box.right)}`);
})"""
"""Each text of a shown SVG whose box runs out of its picture (a clipped label)."""


def test_no_svg_label_is_clipped_at_phone_width(site: Path, long_site: Path, long_base: str, open_page: Any) -> None:
    """Every picture the sites draw, at 390 px: the fixture site's pages that have one, and every
    picture of the 400-paper site on one page with the site's stylesheet (as on their own pages,
    each a figure in <main>), so that every timeline's span of years is seen."""
    clipped: list[str] = []
    for path in ["mechanisms/"] + [
        _p for _p in sorted(f"mechanisms/{m.parent.name}/" for m in (site / "mechanisms").glob("*/index.html"))
    ]:
        page, _visit = open_page(path, PHONE)
        clipped += [f"{path}: {c}" for c in page.evaluate(OUTSIDE)]
    figures: list[str] = []
    for html_file in sorted(long_site.rglob("*.html")):
        text = html_file.read_text(encoding="utf-8")
        if "<svg" in text:
            figures += re.findall(r'<figure class="(?:timeline|network)".*?</figure>', text, re.S)
    assert len(figures) >= 20
    index = (long_site / "index.html").read_text(encoding="utf-8")
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', index)
    assert stylesheet
    page, _visit = open_page("", PHONE, at=long_base)
    page.set_content(
        '<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="stylesheet" href="{long_base.split("/repo/")[0]}{stylesheet.group(1)}"></head>'
        f"<body><main>{''.join(figures)}</main></body></html>",
        wait_until="load",
    )
    assert page.locator("svg.timeline.fig-narrow").first.is_visible()
    clipped += page.evaluate(OUTSIDE)
    assert clipped == [], "\n".join(clipped[:20])


# -- the search page on a phone ---------------------------------------------------------------


def test_search_filters_fold_behind_one_button_on_a_phone_and_stay_open_on_a_desktop(open_page: Any) -> None:
    page, _visit = open_page("search/?q=trastuzumab", PHONE)
    page.locator(".pagefind-ui__result").first.wait_for(timeout=10_000)
    page.wait_for_function("document.querySelectorAll('.pagefind-ui__filter-name').length >= 6", timeout=10_000)
    toggle = page.locator("button.filters-toggle")
    assert toggle.count() == 1 and toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator(".pagefind-ui__filter-panel").is_visible()
    first = page.locator(".pagefind-ui__result").first.bounding_box()
    assert first is not None and first["y"] < PHONE["height"] - 100, f"the first result starts at {first} px"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    panel = page.locator(".pagefind-ui__filter-panel")
    assert panel.is_visible()
    summary = page.locator("summary.pagefind-ui__filter-name", has_text=re.compile(r"^\s*Type\s*$"))
    if summary.locator("xpath=..").get_attribute("open") is None:
        summary.click()
    summary.locator("xpath=..").locator("label", has_text="Mechanism").click()
    page.wait_for_timeout(500)
    assert toggle.inner_text().strip().startswith("Filters (1 on)")
    toggle.click()
    assert not panel.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    # on a desktop the filters stay open beside the results, with no button
    page, _visit = open_page("search/?q=trastuzumab", DESKTOP)
    page.locator(".pagefind-ui__result").first.wait_for(timeout=10_000)
    page.wait_for_function("document.querySelectorAll('.pagefind-ui__filter-name').length >= 6", timeout=10_000)
    assert page.locator(".pagefind-ui__filter-panel").is_visible()
    assert not page.locator("button.filters-toggle").is_visible()
    filters = page.locator(".pagefind-ui__filter-panel").bounding_box()
    results = page.locator(".pagefind-ui__results-area").bounding_box()
    assert filters and results and filters["x"] + filters["width"] <= results["x"]


# -- accessibility: axe-core on every kind of page --------------------------------------------

AXE_IN_PACKAGE = Path("node_modules") / "axe-core" / "axe.min.js"


def find_axe() -> Path | None:
    """axe-core's script: $AXE_CORE_JS, under .tools/ (.ci/run installs it there) or in npm's
    global folder; found the way test_html_valid.py finds the Nu HTML checker."""
    candidates = [Path(os.environ["AXE_CORE_JS"])] if os.environ.get("AXE_CORE_JS") else []
    candidates.append(REPO / ".tools" / AXE_IN_PACKAGE)
    npm = shutil.which("npm")
    if npm:
        done = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, check=False)
        if done.returncode == 0 and done.stdout.strip():
            candidates.append(Path(done.stdout.strip()) / AXE_IN_PACKAGE.relative_to("node_modules"))
    return next((c for c in candidates if c.is_file()), None)


@pytest.fixture(scope="module")
def axe() -> Path:
    found = find_axe()
    if found is None:
        missing = "axe-core not found (npm install --prefix .tools axe-core, or set AXE_CORE_JS)"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(f"axe-core is needed in CI: {missing}")
        pytest.skip(f"the accessibility checks need axe-core: {missing}")
    return found


KINDS = {
    "home": "",
    "papers index": "papers/",
    "paper": "papers/nahta-2006-mechanisms/",
    "authors index": "authors/",
    "author": "authors/",
    "mechanisms index": "mechanisms/",
    "mechanism": "mechanisms/",
    "tags index": "tags/",
    "tag": "tags/",
    "page": "about/",
    "search": "search/?q=trastuzumab",
    "404": "no/such/page/",
    "long author list": "authors/",
    "long mechanism list": "mechanisms/",
}
"""Every kind of page the site makes; "author" and the like stand for the first such page, the
long lists for the 400-paper site's longest (with the filter shown)."""

SERIOUS = """async () => {
  const found = await axe.run(document, {resultTypes: ['violations']});
  return found.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.help}: ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; '));
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_axe_finds_nothing_serious(
    kind: str, scheme: str, axe: Path, site: Path, long_site: Path, long_base: str, open_page: Any
) -> None:
    """axe-core's serious and critical findings, at desktop and phone width (each shows its own
    drawing of a chart, and the search page its folded filters), in the colour scheme given."""
    path, at = KINDS[kind], ""
    if kind.startswith("long "):
        path, at = _longest(long_site, path.rstrip("/"))[0], long_base
    elif kind in ("author", "mechanism", "tag"):
        path = _first(site, path.rstrip("/"))
    findings: list[str] = []
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page, _visit = open_page(path, viewport, at=at, color_scheme=scheme, status=404 if kind == "404" else 200)
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        if kind == "search":
            page.locator(".pagefind-ui__result").first.wait_for(timeout=10_000)
        if kind.startswith("long "):
            page.locator("#paper-filter").wait_for(state="visible")
        page.add_script_tag(path=str(axe))
        findings += [f"{name}: {f}" for f in page.evaluate(SERIOUS)]
    assert findings == [], f"{path} ({scheme}):\n" + "\n".join(findings)
