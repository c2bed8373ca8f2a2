"""Links and ids read out of built pages, feeds, sitemaps, robots.txt and stylesheets, with the line
each is on. Pure: text in, lists out.

Built pages are read with regular expressions rather than `html.parser`: at 5,000 papers the site
holds 250 MB of HTML, which `html.parser` takes over a minute and a half to read, and these take
a few seconds. What makes that safe here is what is being read: markup this project's templates
wrote (escaped by Jinja, and valid: tests/test_html_valid.py runs the Nu checker over it), of which
only tags and their attributes are needed. Comments, and the insides of `<script>` and `<style>`,
are skipped whole, so text in them is never taken for a tag; an attribute is only taken as one
outside the double-quoted value of another (Jinja writes `"` inside such a value as `&#34;`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from typing import Literal

LinkKind = Literal["link", "asset"]

_SKIPPED = re.compile(r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
"""Comments, and scripts' and styles' insides: no tag is read in them."""
_ATTR = re.compile(
    r"""[\s"'](href|src|srcset|poster|data-index|id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""
)
"""The attributes read here, wherever they stand: the page is searched for them rather than split
into its million tags, and each hit is then placed in its tag (the nearest "<" before it, with
no ">" between). Names in lower case, as the templates write them (matching case-insensitively
doubled the time of the search)."""
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]*)")
_REL = re.compile(r"""[\s"']rel\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)
_URL_ATTRS = frozenset({"href", "src", "srcset", "poster", "data-index"})
"""Attributes whose value a browser (or the site's own script) loads: `data-index` is where the
papers index's filter script fetches its data from (templates/static/filter.js)."""
_ASSET_TAGS = frozenset({"img", "script", "source", "video", "audio", "track", "embed", "iframe", "input"})
_ASSET_RELS = frozenset({"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"})


@dataclass(frozen=True, slots=True)
class Link:
    """A URL a page refers to, as written (entities decoded), with where it is."""

    url: str
    line: int
    kind: LinkKind
    """"asset": loaded with the page (stylesheet, script, image, icon, data); "link": followed."""
    attr: str = "href"


@dataclass(slots=True)
class PageScan:
    """What one built page refers to and what it can be linked to."""

    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    """Every `id`, and every `<a name>`: what a `#fragment` may name."""
    duplicate_ids: list[tuple[str, int]] = field(default_factory=list)
    """(id, line) of every id met a second time."""


def _srcset_urls(value: str) -> list[str]:
    """The URLs of a `srcset` ("a.png 1x, b.png 2x"); a URL may hold commas only when it is not
    followed by a space, which is how browsers split it too."""
    urls = []
    for candidate in re.split(r",\s+|,$", value.strip()):
        url = candidate.strip().split()[0] if candidate.strip() else ""
        if url:
            urls.append(url.rstrip(","))
    return urls


def scan_html(text: str) -> PageScan:
    """Every URL a page loads or links (href, src, srcset, poster, data-index) and every id."""
    scan = PageScan()
    ids, links = scan.ids, scan.links
    skipped = [(m.start(), m.end()) for m in _SKIPPED.finditer(text) if "=" in m.group()]
    skip_at, skip_end = skipped[0] if skipped else (len(text), len(text))
    k = 0
    line, last = 1, 0
    tag_at, tag, asset = -1, "", False
    for m in _ATTR.finditer(text):
        at = m.start() + 1
        while at >= skip_end and k < len(skipped) - 1:
            k += 1
            skip_at, skip_end = skipped[k]
        start = text.rfind("<", 0, at)
        if start < 0 or text.find(">", start, at) >= 0:
            continue  # not inside a tag: text that only looks like an attribute
        if start != tag_at:
            if skip_at <= start < skip_end and not text.startswith(("<script", "<style"), start):
                continue  # inside a comment or a script
            named = _TAG.match(text, start)
            if named is None:
                continue
            tag_at, tag = start, named.group(1).lower()
            asset = tag in _ASSET_TAGS
            if tag == "link":
                end = text.find(">", start)
                found = _REL.search(text, start, end if end >= 0 else len(text))
                rel = next((g for g in found.groups() if g is not None), "") if found else ""
                asset = bool(_ASSET_RELS.intersection(rel.lower().split()))
        if text.count('"', start, at) % 2:
            continue  # inside another attribute's "value"
        name, double, single, bare = m.groups()
        value = double if double is not None else single if single is not None else bare
        if "&" in value:
            value = unescape(value)
        line += text.count("\n", last, at)
        last = at
        if name == "id":
            if value in ids:
                scan.duplicate_ids.append((value, line))
            ids.add(value)
        elif name == "name":
            if tag == "a":
                ids.add(value)
        elif name == "srcset":
            links.extend(Link(url, line, "asset", name) for url in _srcset_urls(value))
        else:
            kind: LinkKind = "asset" if asset or name != "href" and name != "src" else "link"
            links.append(Link(value.strip(), line, kind, name))
    return scan


_XML_LINK = re.compile(r"<(?:[\w-]+:)?link\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)/?>(?:([^<]*)</(?:[\w-]+:)?link>)?")
_XML_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_XML_LOC = re.compile(r"<(?:[\w-]+:)?loc>\s*([^<]*?)\s*</(?:[\w-]+:)?loc>")
_ENCLOSURE = re.compile(r"""<enclosure\b[^>]*\burl\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _line_of(text: str, offsets: list[int]) -> list[int]:
    lines, line, last = [], 1, 0
    for offset in offsets:
        line += text.count("\n", last, offset)
        last = offset
        lines.append(line)
    return lines


def scan_feed(text: str) -> list[Link]:
    """The links of an Atom or RSS feed: `<link href>` (Atom), `<link>URL</link>` (RSS), enclosures."""
    found: list[tuple[int, str]] = []
    for m in _XML_LINK.finditer(text):
        href = _XML_HREF.search(m.group(1))
        if href:
            found.append((m.start(), href.group(1) if href.group(1) is not None else href.group(2)))
        elif m.group(2) and m.group(2).strip():
            found.append((m.start(), m.group(2).strip()))
    for m in _ENCLOSURE.finditer(text):
        found.append((m.start(), m.group(1) if m.group(1) is not None else m.group(2)))
    found.sort()
    lines = _line_of(text, [offset for offset, _url in found])
    return [Link(unescape(url), line, "link") for (_o, url), line in zip(found, lines, strict=True)]


def scan_sitemap(text: str) -> list[Link]:
    """The `<loc>` URLs of a sitemap (or of a sitemap index)."""
    matches = list(_XML_LOC.finditer(text))
    lines = _line_of(text, [m.start() for m in matches])
    return [Link(unescape(m.group(1)), line, "link", "loc") for m, line in zip(matches, lines, strict=True)]


def is_sitemap(text: str) -> bool:
    """A sitemap or sitemap index rather than a feed (both are .xml files)."""
    head = text[:2000]
    return "<urlset" in head or "<sitemapindex" in head


def scan_robots(text: str) -> list[Link]:
    """The `Sitemap:` lines of a robots.txt."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == "sitemap" and value.strip():
            found.append(Link(value.strip(), number, "link", "Sitemap"))
    return found


_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def scan_css(text: str) -> list[Link]:
    """The `url(...)` and `@import` references of a stylesheet (comments skipped)."""
    text = _CSS_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    matches = list(_CSS_URL.finditer(text))
    lines = _line_of(text, [m.start() for m in matches])
    links = []
    for m, line in zip(matches, lines, strict=True):
        url = next((g for g in m.groups() if g is not None), "").strip()
        if url:
            links.append(Link(url, line, "asset", "url"))
    return links
