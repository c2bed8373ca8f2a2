"""The reader-facing site: reading fields, home, papers index data, tag pages, feeds, sitemap,
robots.txt, the 404 page, accessibility structure and bad input, on the fixture knowledge base."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from litweave.build.pipeline import BuildReport, build_site
from litweave.config import ConfigError, load_config
from litweave.site.feeds import FeedEntry, atom_feed
from litweave.site.reading import read_reading
from litweave.wording import plural

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PAPERS = Path("content/papers")


def build(root: Path, **overrides: str) -> BuildReport:
    report = build_site(load_config(root, **overrides))
    assert report.ok, [str(d) for d in report.diagnostics]
    return report


def page(kb: Path, rel: str) -> str:
    return (kb / "site" / rel).read_text(encoding="utf-8")


class _Outline(HTMLParser):
    """Headings, landmarks, form controls and labels of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tags: set[str] = set()
        self.controls: list[str] = []
        self.labels: set[str] = set()
        self.skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("input", "select", "textarea"):
            self.controls.append(a.get("id") or "")
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"] or "")
        if tag == "a" and a.get("class") == "skip" and a.get("href") == "#main":
            self.skip = True


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


# -- reading fields ----------------------------------------------------------------------------


def test_reading_fields_are_checked_and_bad_values_named() -> None:
    good, problems = read_reading(
        {"status": "Reading", "rating": "4", "tags": ["a b", "a  b", "c"], "added": dt.date(2024, 3, 1)}
    )
    assert problems == []
    assert (good.status, good.rating, good.tags, good.added) == ("reading", 4, ("a b", "c"), "2024-03-01")
    bad, problems = read_reading({"status": "skimmed", "rating": 7, "tags": ["ok", "!!!"], "added": "March"})
    assert (bad.status, bad.rating, bad.tags, bad.added) == ("", None, ("ok",), "")
    assert len(problems) == 4
    assert any(p.startswith("status: 'skimmed' is not one of to-read, reading, read") for p in problems)
    assert any(p.startswith("rating: '7' is not a whole number from 1 to 5") for p in problems)
    assert read_reading({"rating": True})[0].rating is None
    assert read_reading({"added": "2024-02-30"})[1]  # no such day


def test_invalid_reading_values_are_warnings_with_the_file_and_the_page_still_builds(kb: Path) -> None:
    path = kb / PAPERS / "nahta-2006-mechanisms.md"
    text = path.read_text(encoding="utf-8").replace("---\n", "---\nstatus: later\nrating: five\n", 1)
    path.write_text(text, encoding="utf-8")
    report = build(kb)
    found = [str(d) for d in report.diagnostics if d.file.endswith("nahta-2006-mechanisms.md")]
    assert any("warning: status: 'later' is not one of to-read, reading, read" in d for d in found), found
    assert any("warning: rating: 'five'" in d for d in found), found
    assert (kb / "site" / "papers" / "nahta-2006-mechanisms" / "index.html").is_file()


def test_status_rating_and_tags_show_with_text_alternatives(kb: Path) -> None:
    build(kb)
    html = page(kb, "papers/nahta-2012-igf-ir-trastuzumab/index.html")
    assert '<span class="badge status-reading"><span class="visually-hidden">Status: </span>Reading</span>' in html
    assert 'role="img" aria-label="Rated 4 out of 5"' in html and "★★★★☆" in html
    assert 'href="/tags/resistance/">#resistance</a>' in html and 'href="/tags/review/">#Review</a>' in html
    index = page(kb, "papers/index.html")
    assert "Rated 5 out of 5" in index and "status-read" in index  # lists show them too
    tag = page(kb, "tags/resistance/index.html")
    assert "lu-2001-insulin-like" in tag and "nahta-2012-igf-ir-trastuzumab" in tag and "2 papers" in tag
    assert 'href="/papers/?tag=resistance"' in tag
    tags = page(kb, "tags/index.html")
    assert tags.index("#resistance") < tags.index("#Review")
    graph = json.loads(page(kb, "graph.json"))
    lu = next(p for p in graph["papers"] if p["id"] == "lu-2001-insulin-like")
    assert (lu["status"], lu["rating"], lu["tags"], lu["added"]) == ("read", 5, ["resistance"], "2024-03-01")
    assert {t["id"]: t["papers"] for t in graph["tags"]}["review"] == ["nahta-2012-igf-ir-trastuzumab"]


# -- home and papers index -----------------------------------------------------------------------


def test_home_summarises_the_knowledge_base(kb: Path) -> None:
    build(kb)
    html = page(kb, "index.html")
    assert ">4 papers</a>" in html and ">2 tags</a>" in html
    statuses = re.findall(r'status-([a-z-]+)">[^<]+</span> (\d+)</a>', html)
    assert statuses == [("to-read", "0"), ("reading", "1"), ("read", "1")]
    recent = re.findall(r'class="paper-title" href="/papers/([^/]+)/"', html.split('id="recent"')[1])
    # by `added`, newest first, then the papers without it (by year)
    assert recent[:2] == ["nahta-2012-igf-ir-trastuzumab", "lu-2001-insulin-like"]
    assert "Most-published authors" in html and 'href="/authors/rita-nahta/"' in html


def test_counts_are_singular_and_plural_in_words() -> None:
    assert [plural(n, "paper") for n in (0, 1, 2, 1200)] == ["0 papers", "1 paper", "2 papers", "1,200 papers"]


def test_one_paper_site_says_one_paper(empty_kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from litweave.cli import main

    (empty_kb / PAPERS).mkdir(parents=True)
    (empty_kb / PAPERS / "x-2020-only.md").write_text("---\ntitle: Only one\nyear: 2020\n---\n", encoding="utf-8")
    assert main(["--root", str(empty_kb), "build"]) == 0
    out = capsys.readouterr().out
    assert "(s)" not in out and "0 warnings" in out
    html = page(empty_kb, "index.html")
    assert ">1 paper</a>" in html and "1 papers" not in html and ">1 author" not in html
    assert "1 paper, newest first." in page(empty_kb, "papers/index.html")


def test_papers_index_data_matches_the_list_and_controls_are_labelled(kb: Path) -> None:
    build(kb)
    html = page(kb, "papers/index.html")
    data = json.loads(page(kb, "papers/index.json"))
    listed = re.findall(r'<li class="paper-item"><a class="paper-title" href="/papers/([^/]+)/"', html)
    assert [row[0] for row in data["papers"]] == listed and len(listed) == 4
    row = next(r for r in data["papers"] if r[0] == "lu-2001-insulin-like")
    assert row[2:6] == [2001, "2024-03-01", 5, "read"]
    assert [data["tags"][i][0] for i in row[9]] == ["resistance"]
    assert {data["authors"][i][1] for i in row[7]} >= {"Rita Nahta", "Marc van de Vijver"}
    page_outline = outline(html)
    ids = {"f-q", "f-from", "f-to", "f-mechanism", "f-author", "f-status", "f-tag", "f-sort"}
    assert set(page_outline.controls) == ids and ids <= page_outline.labels
    assert '<form id="paper-filter"' in html and " hidden>" in html.split('<form id="paper-filter"')[1][:300]
    assert 'src="/static/filter.js" defer' in html and 'data-index="/papers/index.json"' in html


def test_keywords_link_to_the_filtered_index(kb: Path) -> None:
    path = kb / PAPERS / "nahta-2006-mechanisms.md"
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\nkeywords: [HER2 & co]\n", 1))
    build(kb)
    html = page(kb, "papers/nahta-2006-mechanisms/index.html")
    assert '<a href="/papers/?q=HER2+%26+co">HER2 &amp; co</a>' in html


def test_coauthors_are_sorted_by_family_name(kb: Path) -> None:
    build(kb)
    html = page(kb, "authors/rita-nahta/index.html").split('id="coauthors"')[1]
    names = re.findall(r'<a href="/authors/[^"]+">([^<]+)</a>', html)
    assert names.index("René Dupont") < names.index("Yuhong Lu") < names.index("Marc van de Vijver")


# -- accessibility and structure -------------------------------------------------------------------


def test_every_page_has_landmarks_a_skip_link_and_ordered_headings(kb: Path) -> None:
    build(kb)
    pages = sorted((kb / "site").rglob("*.html"))
    assert len(pages) > 15
    for path in pages:
        o = outline(path.read_text(encoding="utf-8"))
        rel = path.relative_to(kb / "site").as_posix()
        assert {"header", "nav", "main", "footer"} <= o.tags, rel
        assert o.skip, rel
        assert o.headings and o.headings[0] == 1 and o.headings.count(1) == 1, (rel, o.headings)
        assert all(b <= a + 1 for a, b in zip(o.headings, o.headings[1:], strict=False)), (rel, o.headings)
        assert set(o.controls) <= o.labels, rel


def test_bad_input_renders_escaped_without_stray_separators(kb: Path) -> None:
    long_word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 4
    (kb / PAPERS / "bare-paper.md").write_text(
        f'---\ntitle: "A <b>bold</b> \\"quoted\\" {long_word}"\njournal: "J. <i>Odd</i> & Co"\n---\n',
        encoding="utf-8",
    )
    build(kb)
    html = page(kb, "papers/bare-paper/index.html")
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;i&gt;Odd&lt;/i&gt; &amp; Co" in html
    assert "None" not in html and "Abstract" not in html and 'class="byline"' not in html
    index = page(kb, "papers/index.html")
    item = index.split('href="/papers/bare-paper/"')[1].split("</li>")[0]
    meta = item.split('<div class="paper-meta">')[1].split("</div>")[0]
    assert "·" not in meta and meta.strip().startswith("<cite>")  # the stylesheet separates the parts
    hostile = page(kb, "papers/hostile-2020-script/index.html")
    assert "<script>alert" not in hostile and 'href="javascript' not in hostile
    css = page(kb, "static/style.css")
    assert "overflow-wrap: anywhere" in css and "prefers-color-scheme: dark" in css and "@media print" in css


def test_a_broken_wikilink_is_reported_and_shown_broken(kb: Path) -> None:
    report = build(kb)
    assert any("wikilink [[No Such Page]] matches no page" in d.message for d in report.diagnostics)
    assert 'class="wikilink missing"' in page(kb, "papers/nahta-2012-igf-ir-trastuzumab/index.html")


# -- feeds, sitemap, robots, 404 ---------------------------------------------------------------------


def test_without_site_url_no_feeds_or_sitemap_and_a_notice(kb: Path) -> None:
    report = build(kb)
    assert not (kb / "site" / "feed.xml").exists() and not (kb / "site" / "sitemap.xml").exists()
    assert [d.level for d in report.diagnostics if "site_url is not set" in d.message] == ["info"]
    assert page(kb, "robots.txt") == "User-agent: *\nAllow: /\n"
    assert "application/atom+xml" not in page(kb, "index.html")


def test_feeds_and_sitemap_with_site_url(kb: Path) -> None:
    path = kb / PAPERS / "nahta-2006-mechanisms.md"
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\ntags: ['a<b>&\"c']\n", 1))
    build(kb, site_url="https://example.org/kb", base_url="/kb/")
    feed = ET.fromstring(page(kb, "feed.xml"))
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id").text == "https://example.org/kb/feed.xml"  # type: ignore[union-attr]
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 4
    ids = [e.find(f"{ATOM}id").text for e in entries]  # type: ignore[union-attr]
    assert ids[:2] == [
        "https://example.org/kb/papers/nahta-2012-igf-ir-trastuzumab/",
        "https://example.org/kb/papers/lu-2001-insulin-like/",
    ]
    assert feed.find(f"{ATOM}updated").text == "2024-05-01T00:00:00Z"  # type: ignore[union-attr]
    titles = [e.find(f"{ATOM}title").text for e in entries]  # type: ignore[union-attr]
    assert "<script>alert('x')</script> A hostile title & co" in titles  # escaped in the XML, intact once parsed
    terms = [c.get("term") for c in feed.iter(f"{ATOM}category")]
    assert 'a<b>&"c' in terms
    her2 = ET.fromstring(page(kb, "mechanisms/her2/feed.xml"))
    assert her2.find(f"{ATOM}title").text.endswith("papers on HER2")  # type: ignore[union-attr]
    author = ET.fromstring(page(kb, "authors/rita-nahta/feed.xml"))
    assert len(author.findall(f"{ATOM}entry")) == 3
    assert 'href="/kb/authors/rita-nahta/feed.xml"' in page(kb, "authors/rita-nahta/index.html")
    sitemap = ET.fromstring(page(kb, "sitemap.xml"))
    locs = [u.find(f"{SITEMAP}loc").text for u in sitemap]  # type: ignore[union-attr]
    assert "https://example.org/kb/" in locs and "https://example.org/kb/tags/resistance/" in locs
    assert "https://example.org/kb/about/" in locs and len(locs) == len(set(locs))
    for loc in locs:
        rel = loc.removeprefix("https://example.org/kb/")  # type: ignore[union-attr]
        assert (kb / "site" / rel / "index.html").is_file(), loc
    assert page(kb, "robots.txt").endswith("Sitemap: https://example.org/kb/sitemap.xml\n")


def test_feed_xml_is_escaped_and_dated_from_the_papers() -> None:
    entry = FeedEntry("https://x.org/p/?a=1&b=2", "T <&> \x07", ("A & B",), "J", None, "", (), ("t",))
    xml = atom_feed(
        feed_url="https://x.org/feed.xml", page_url="https://x.org/", title="S & T", site_title="S", entries=[entry]
    )
    root = ET.fromstring(xml)
    assert root.find(f"{ATOM}entry/{ATOM}updated").text == "1970-01-01T00:00:00Z"  # type: ignore[union-attr]
    assert root.find(f"{ATOM}entry/{ATOM}title").text == "T <&> "  # type: ignore[union-attr]
    assert xml == atom_feed(
        feed_url="https://x.org/feed.xml", page_url="https://x.org/", title="S & T", site_title="S", entries=[entry]
    )


def test_site_url_must_be_a_web_url(kb: Path) -> None:
    with pytest.raises(ConfigError, match="site_url must be a full http"):
        load_config(kb, site_url="javascript:alert(1)")
    assert load_config(kb, site_url="https://example.org/x").site_url == "https://example.org/x/"


def test_404_page_works_at_any_depth_under_a_sub_path(kb: Path) -> None:
    build(kb, base_url="/repo/")
    html = page(kb, "404.html")
    assert 'href="/repo/static/style.css"' in html and 'href="/repo/"' in html
    assert "Page not found" in html and 'href="/repo/static/favicon.svg"' in html
    assert (kb / "site" / "static" / "favicon.svg").read_text().startswith("<svg")


def test_added_paper_rewrites_its_feeds_and_the_sitemap_only(kb: Path) -> None:
    build(kb, site_url="https://example.org/")
    (kb / PAPERS / "new-2024-paper.md").write_text(
        "---\ntitle: HER2 again\nauthors: [Ada Newcomer]\nyear: 2024\nadded: 2025-01-01\n---\n", encoding="utf-8"
    )
    report = build(kb, site_url="https://example.org/")
    assert report.write is not None
    written = set(report.write.written)
    assert {"feed.xml", "sitemap.xml", "authors/ada-newcomer/feed.xml", "mechanisms/her2/feed.xml"} <= written
    assert not written & {"authors/rita-nahta/feed.xml", "mechanisms/igf-i/feed.xml", "robots.txt", "404.html"}
