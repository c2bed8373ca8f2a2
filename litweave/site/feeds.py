"""Atom feeds, the sitemap and robots.txt: what feed readers and crawlers fetch.

Feeds and the sitemap need absolute URLs, so they are made only when the site knows where it is
published (`site_url`). Every date comes from the papers themselves (`added`, else the year),
never from the clock, so the same content gives the same bytes. Pure: no I/O; all text is
escaped for XML here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

FEED_SIZE = 50
"""Entries per feed: the most recently added papers."""

_EPOCH = "1970-01-01"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One paper as a feed shows it: only what its list entry shows, so a feed changes exactly
    when the paper's list entry does."""

    url: str
    """Absolute URL of the paper's page (also its Atom id)."""
    title: str
    authors: tuple[str, ...]
    journal: str
    year: int | None
    added: str
    """ISO date, or ""."""
    mechanisms: tuple[str, ...]
    tags: tuple[str, ...]


def entry_date(added: str, year: int | None) -> str:
    """An entry's date: when it was added, else 1 January of its year, else the epoch."""
    if added:
        return added
    if year is not None and 1 <= year <= 9999:
        return f"{year:04d}-01-01"
    return _EPOCH


def _stamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def _summary(e: FeedEntry) -> str:
    parts = [", ".join(e.authors), e.journal, str(e.year) if e.year is not None else ""]
    line = ". ".join(p for p in parts if p)
    if e.mechanisms:
        line += (". " if line else "") + "Mechanisms: " + ", ".join(e.mechanisms)
    if e.tags:
        line += (". " if line else "") + "Tags: " + ", ".join(e.tags)
    return line


def _clean(text: str) -> str:
    """Without the control characters XML 1.0 cannot carry."""
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)


def _xml_text(text: str) -> str:
    return escape(_clean(text))


def _attr(text: str) -> str:
    return quoteattr(_clean(text))


def atom_feed(*, feed_url: str, page_url: str, title: str, site_title: str, entries: Sequence[FeedEntry]) -> str:
    """An Atom 1.0 document (RFC 4287): newest first, dated by the newest entry."""
    dates = [entry_date(e.added, e.year) for e in entries]
    updated = max(dates, default=_EPOCH)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n',
        f"  <title>{_xml_text(title)}</title>\n",
        f"  <id>{_xml_text(feed_url)}</id>\n",
        f'  <link rel="self" type="application/atom+xml" href={_attr(feed_url)}/>\n',
        f'  <link rel="alternate" type="text/html" href={_attr(page_url)}/>\n',
        f"  <updated>{_stamp(updated)}</updated>\n",
        f"  <author><name>{_xml_text(site_title)}</name></author>\n",
        "  <generator>litweave</generator>\n",
    ]
    for e, date in zip(entries, dates, strict=True):
        out.append("  <entry>\n")
        out.append(f"    <title>{_xml_text(e.title or 'Untitled')}</title>\n")
        out.append(f"    <id>{_xml_text(e.url)}</id>\n")
        out.append(f'    <link rel="alternate" type="text/html" href={_attr(e.url)}/>\n')
        out.append(f"    <updated>{_stamp(date)}</updated>\n")
        out.extend(f"    <author><name>{_xml_text(a)}</name></author>\n" for a in e.authors)
        out.extend(f"    <category term={_attr(t)}/>\n" for t in (*e.mechanisms, *e.tags))
        summary = _summary(e)
        if summary:
            out.append(f"    <summary>{_xml_text(summary)}</summary>\n")
        out.append("  </entry>\n")
    out.append("</feed>\n")
    return "".join(out)


def sitemap_xml(urls: Iterable[str]) -> str:
    """A sitemap (sitemaps.org 0.9) listing absolute URLs; no lastmod, which would need a clock."""
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
    out.extend(f"  <url><loc>{_xml_text(u)}</loc></url>\n" for u in urls)
    out.append("</urlset>\n")
    return "".join(out)


def robots_txt(sitemap_url: str) -> str:
    """Every crawler welcome; the sitemap named when there is one."""
    text = "User-agent: *\nAllow: /\n"
    return text + (f"\nSitemap: {sitemap_url}\n" if sitemap_url else "")
