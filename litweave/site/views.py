"""Stage 3a: the render plan and the views behind it.

`SiteViews.plan()` lists every page of the site as a `Planned` output: its path, its template, a
*key* holding everything the page shows (as small values: slugs, titles, the digests of the
papers it lists) and a function that builds the full view only when the page must be rendered.
The build hashes the key with the templates and settings into the output's fingerprint, so an
unchanged page is neither rendered nor written, and a page's key is built next to its view so
the two are read (and kept) together.

Views are plain, read-only data (dicts of strings, numbers, lists, Markup), never model objects,
so a template cannot compute relations and a user can override any template without learning
the model. Record text is escaped here or by Jinja's autoescape; the only HTML marked safe is
what this module or the Markdown renderer built. Pure: no I/O; the renderer hands in how a list
item is rendered (by its digest, so that it can keep rendered items between builds).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from markupsafe import Markup

from litweave.authors import fold
from litweave.fields import ROLES
from litweave.markdown import link_targets, render_markdown, resolve_links
from litweave.mechanisms.identifiers import identifier_url
from litweave.model import Diagnostic, Mention
from litweave.site.cite_box import cite_box, library_exports, paper_exports
from litweave.site.dead_links import dead_links
from litweave.site.feeds import FEED_SIZE, FeedEntry, atom_feed, robots_txt, sitemap_xml
from litweave.site.graph import PaperEntry, SiteGraph
from litweave.site.graph_json import graph_json_chunks
from litweave.site.notes_view import mentioned_view, related_view, resolve_notes
from litweave.site.paper_index import paper_index_chunks
from litweave.site.paper_relations import mentioned_in, paper_relations
from litweave.site.reading import STATUS_LABELS, STATUSES, rating_label, stars, tag_slug
from litweave.site.related import Mentioned, PaperRelations
from litweave.site.step import Context
from litweave.site.svg import network_svg, timeline_svg
from litweave.urls import (
    FEED,
    GRAPH,
    NOT_FOUND,
    PAPER_INDEX,
    ROBOTS,
    SEARCH_BUNDLE,
    SEARCH_PAGE,
    SITEMAP,
    absolute,
    asset_rel,
    doi_url,
    feed_rel,
    full,
    output_path,
    rel_url,
    safe_external,
)
from litweave.wording import plural

View = dict[str, object]

ITEM_TEMPLATE = "_paper_item.html"
"""Renders one paper in a list; rendered once per paper per build, outside any page template."""
LIST_TEMPLATES = frozenset({"home.html", "papers.html", "author.html", "mechanism.html", "tag.html"})
"""The pages that list papers, so whose output also depends on ITEM_TEMPLATE."""
LONG_LIST = 25
"""An author, mechanism or tag page listing more papers than this gets the papers index's filter
and sort (in the browser, over the list the page holds): past a phone screen or two, a list is
read by narrowing it, not by scrolling it."""


@dataclass(frozen=True, slots=True)
class Planned:
    """One page of the site, planned but not rendered."""

    path: str
    """Site-relative file path ("papers/x/index.html")."""
    template: str
    """Jinja template, or "" for a file whose bytes `view` gives as `{"chunks": iterable of bytes}`."""

    key: object
    """Everything the page shows, as a small comparable value; hashed into the fingerprint."""
    view: Callable[[], View]
    """Builds the template's variables; called only when the page is rendered."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What every page shows of the site itself."""

    title: str
    description: str
    base_url: str
    site_url: str = ""
    """Absolute URL of the site root ("https://example.org/repo/"), or "": no feeds, no sitemap."""


def highlight(text: str, mentions: Sequence[Mention], url_of: dict[str, str], titles: dict[str, str]) -> Markup:
    """Text with each mechanism mention wrapped in a link to its page; everything else escaped."""
    parts: list[str] = []
    pos = 0
    for m in sorted(mentions, key=lambda m: m.start):
        if m.start < pos or m.mechanism not in url_of:
            continue
        parts.append(escape(text[pos : m.start]))
        parts.append(
            f'<a class="mention" href="{escape(url_of[m.mechanism])}" title="{escape(titles[m.mechanism])}">'
            f"{escape(text[m.start : m.end])}</a>"
        )
        pos = m.end
    parts.append(escape(text[pos:]))
    return Markup("".join(parts))


def _paragraphs(html: Markup) -> Markup:
    """Plain-text abstracts keep their paragraph breaks."""
    paras = [p.strip() for p in str(html).split("\n\n") if p.strip()]
    return Markup("".join(f"<p>{p}</p>\n" for p in paras))


def _context_html(context: Context | None) -> Markup:
    if context is None:
        return Markup("")  # named in front matter only
    s, a, b = context.sentence, context.start, context.end
    return Markup(f"{escape(s[:a])}<mark>{escape(s[a:b])}</mark>{escape(s[b:])}")


def _digest(value: object) -> str:
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=12).hexdigest()


class SiteViews:
    """Plans the site from the graph and builds each page's view on demand; one per build."""

    def __init__(
        self, graph: SiteGraph, settings: Settings, render_item: Callable[[str, Callable[[], View]], Markup]
    ) -> None:
        self.graph = graph
        self.settings = settings
        self.base = settings.base_url
        self._render_item = render_item
        self.mech_url = {s: self.url("mechanism", s) for s in graph.mechanisms}
        self.mech_title = {s: m.title for s, m in graph.mechanisms.items()}
        self._item_keys: dict[str, tuple[object, ...]] = {}
        self._item_digests: dict[str, str] = {}
        self._bodies: dict[str, str] = {}
        self._author_papers: dict[str, tuple[str, ...]] | None = None
        self._paper_years: dict[str, int | None] | None = None
        self._mentions: dict[tuple[str, str], tuple[Mentioned, ...]] = {}
        self._tags: dict[str, tuple[str, tuple[str, ...]]] | None = None

    # -- URLs and links -------------------------------------------------------------------------

    def url(self, kind: str, slug: str = "") -> str:
        return absolute(self.base, rel_url(kind, slug))

    def index_url(self, **query: str) -> str:
        """The papers index filtered: its filter state lives in the URL's query."""
        return self.url("paper") + "?" + urlencode(query)

    def link(self, rel: str) -> str:
        """The URL a browser follows to a site-relative path (urls.py)."""
        return absolute(self.base, rel)

    def full_url(self, rel: str) -> str:
        """An absolute URL for feeds and the sitemap (only made when site_url is set)."""
        return full(self.settings.site_url, rel)

    def site_view(self) -> View:
        return {
            "title": self.settings.title,
            "description": self.settings.description,
            "base_url": self.base,
            "home_url": self.url("home"),
            "nav": [
                {"title": "Papers", "url": self.url("paper")},
                {"title": "Mechanisms", "url": self.url("mechanism")},
                {"title": "Authors", "url": self.url("author")},
                {"title": "Tags", "url": self.url("tag")},
                {"title": "Search", "url": self.link(SEARCH_PAGE)},
            ],
            "static_url": self.link(asset_rel("")),
            "search_bundle_url": self.link(SEARCH_BUNDLE),
            "feed_url": self.link(feed_rel()) if self.settings.site_url else "",
        }

    def _target_url(self, target: str) -> str | None:
        hit = self.graph.resolve(target)
        return self.url(*hit) if hit else None

    def _resolutions(self, html: str) -> tuple[tuple[str, tuple[str, str] | None], ...]:
        """What a body's wikilinks reach: part of the key of every page that shows the body."""
        return tuple((t, self.graph.resolve(t)) for t in dict.fromkeys(link_targets(html)))

    def _body_html(self, text: str, doc_id: str = "") -> str:
        """Markdown of a body that is not a paper's (those are rendered in stage 1), once per build."""
        cache_key = doc_id + "\x00" + text
        html = self._bodies.get(cache_key)
        if html is None:
            html = self._bodies[cache_key] = render_markdown(text, doc_id)
        return html

    def _resolve(self, html: str) -> Markup:
        """Wikilink placeholders to URLs; the broken ones are reported by `broken_links`."""
        return Markup(resolve_links(html, self._target_url)[0])

    def broken_links(self) -> list[Diagnostic]:
        """Every wikilink that reaches no page, found from the graph (so reported on every build,
        rendered or not); `litweave check` reports the same list (site/dead_links.py) with lines."""
        return [Diagnostic("warning", d.message, file=d.file) for d in dead_links(self.graph, self._body_html)]

    def relations(self, slug: str) -> PaperRelations:
        """What the paper's page shows of other papers (kept in the graph for the fast path)."""
        found = self.graph.paper_relations.get(slug)
        if found is None:
            if self._author_papers is None or self._paper_years is None:
                self._author_papers = {a: e.papers for a, e in self.graph.authors.items()}
                self._paper_years = {p: e.record.year for p, e in self.graph.papers.items()}
            found = paper_relations(self.graph, slug, self._author_papers, self._paper_years)
            self.graph.paper_relations[slug] = found
        return found

    def mentions(self, kind: str, slug: str) -> tuple[Mentioned, ...]:
        """The papers whose notes link to an author or mechanism page: worked out once, for the
        page's key and again for its view."""
        key = (kind, slug)
        found = self._mentions.get(key)
        if found is None:
            found = self._mentions[key] = mentioned_in(self.graph, kind, slug)
        return found

    # -- list items ----------------------------------------------------------------------------

    def item_key(self, slug: str) -> tuple[object, ...]:
        """What a paper shows in a list: title, year, journal, authors, mechanisms, reading fields."""
        key = self._item_keys.get(slug)
        if key is None:
            entry = self.graph.papers[slug]
            r = entry.record
            key = self._item_keys[slug] = (
                slug,
                r.title,
                r.year,
                r.container_title,
                tuple((a, self.graph.authors[a].name) for a in entry.authors),
                tuple((m, self.mech_title[m]) for m in entry.mechanisms if m in self.mech_title),
                entry.facts.coins,
                entry.facts.reading,
            )
        return key

    def release_keys(self) -> None:
        """Forget the list items' keys once the plan is made (their digests stay): memory."""
        self._item_keys.clear()

    def item_digest(self, slug: str) -> str:
        digest = self._item_digests.get(slug)
        if digest is None:
            digest = self._item_digests[slug] = _digest(self.item_key(slug))
        return digest

    def paper_summary(self, entry: PaperEntry) -> View:
        r = entry.record
        reading = entry.facts.reading
        return {
            "title": r.title or "Untitled",
            "url": self.url("paper", entry.slug),
            "year": r.year,
            "journal": r.container_title,
            "authors": [{"name": self.graph.authors[a].name, "url": self.url("author", a)} for a in entry.authors],
            "mechanisms": [
                {"title": self.mech_title[m], "url": self.mech_url[m]} for m in entry.mechanisms if m in self.mech_url
            ],
            "coins": entry.facts.coins,
            "status": reading.status,
            "status_label": STATUS_LABELS.get(reading.status, ""),
            "rating": reading.rating,
            "stars": stars(reading.rating),
            "rating_label": rating_label(reading.rating),
            "tags": [{"name": t, "url": self.url("tag", tag_slug(t))} for t in reading.tags],
            "added": reading.added,
        }

    def paper_item(self, slug: str, context: Markup | None = None) -> View:
        """A paper as a list entry: its summary rendered once per build, reused in every list."""
        summary = _bind_entry(self.paper_summary, self.graph.papers[slug])
        html = self._render_item(self.item_digest(slug), summary)
        return {"item_html": html, "context_html": context or Markup("")}

    # -- pages ---------------------------------------------------------------------------------

    def paper_key(self, slug: str) -> object:
        entry = self.graph.papers[slug]
        links = self.graph.links.get(slug, ())
        return (entry.facts.digest, self.item_key(slug), links, self.relations(slug), self.graph.bibkeys.get(slug, ""))

    def paper_view(self, slug: str) -> View:
        entry = self.graph.papers[slug]
        f = entry.facts
        r = f.record
        view = self.paper_summary(entry)
        view.update(
            {
                "slug": slug,
                "title_html": highlight(r.title, f.mentions["title"], self.mech_url, self.mech_title),
                "type": r.type,
                "roles": [  # editors, translators…: named as what they are, after the authors
                    {"label": role.label, "names": ", ".join(p.display for p in getattr(r, role.attr))}
                    for role in ROLES
                    if getattr(r, role.attr)
                ],
                "volume": r.volume,
                "issue": r.issue,
                "pages": r.pages,
                "publisher": r.publisher,
                "place": r.place,
                "date": r.date,
                "doi": r.doi,
                "doi_url": doi_url(r.doi) if r.doi else "",
                "pmid": r.pmid,
                "external_url": safe_external(r.url) or "",
                "keywords": [{"name": k, "url": self.index_url(q=k)} for k in r.keywords],
                "abstract_html": _paragraphs(
                    highlight(r.abstract, f.mentions["abstract"], self.mech_url, self.mech_title)
                ),
                "fulltext_html": self._resolve(f.fulltext_html),
                "notes_html": resolve_notes(self._resolve(f.notes_html), self.relations(slug), self.url),
                "sources": list(f.sources),
            }
        )
        page_url = self.url("paper", slug)
        full = self.full_url(rel_url("paper", slug)) if self.settings.site_url else ""
        view.update(cite_box(slug, r, page_url, self.link, full, self.graph.bibkeys.get(slug, "")))
        view.update(related_view(self.relations(slug), self.url))
        view["mentioned_in"] = mentioned_view(self.relations(slug).mentioned_in, self.url)
        return {"paper": view}

    def author_key(self, slug: str) -> object:
        a = self.graph.authors[slug]
        bio = (a.page.body, self._resolutions(self._body_html(a.page.body))) if a.page else None
        orcid = str(a.page.meta.get("orcid") or "") if a.page else ""
        # the co-authors follow from the papers' bylines, which the item digests cover
        mentions = self.mentions("author", slug)
        return (a.name, a.variants, orcid, bio, tuple(self.item_digest(p) for p in a.papers), mentions)

    def author_view(self, slug: str) -> View:
        a = self.graph.authors[slug]
        return {
            "author": {
                "name": a.name,
                "url": self.url("author", slug),
                "variants": [v for v in a.variants if v != a.name],
                "papers": [self.paper_item(p) for p in a.papers],
                "coauthors": [
                    {"name": self.graph.authors[c].name, "url": self.url("author", c), "count": n}
                    for c, n in sorted(self.graph.coauthors(slug), key=lambda cn: self._family_key(cn[0]))
                ],
                "papers_count": plural(len(a.papers), "paper"),
                "filter": self.filter_view(a.papers, f"Filter the papers by {a.name}"),
                "filter_url": self.index_url(author=slug),
                "feed_url": self.feed_path("author", slug),
                "orcid": str(a.page.meta.get("orcid") or "") if a.page else "",
                "bio_html": self._resolve(self._body_html(a.page.body)) if a.page else Markup(""),
                "mentioned_in": mentioned_view(self.mentions("author", slug), self.url),
            }
        }

    def _family_key(self, slug: str) -> tuple[str, str, str]:
        """Sorts people by family name, then given name (a corporate name by itself)."""
        p = self.graph.authors[slug].person
        return (fold(p.literal or p.family or self.graph.authors[slug].name), fold(p.given), slug)

    def feed_path(self, kind: str, slug: str = "") -> str:
        """The URL of a page's Atom feed, or "" when the site makes none."""
        if not self.settings.site_url:
            return ""
        return self.link(feed_rel(kind, slug))

    def _years(self, papers: Iterable[str]) -> dict[int, int]:
        years: dict[int, int] = {}
        for p in papers:
            year = self.graph.papers[p].record.year
            if year is not None:
                years[year] = years.get(year, 0) + 1
        return years

    def mechanism_key(self, slug: str) -> object:
        m = self.graph.mechanisms[slug]
        papers = self.graph.mechanism_papers.get(slug, ())
        contexts = tuple((self.item_digest(p), self.graph.papers[p].facts.contexts.get(slug)) for p in papers)
        co = tuple((o, self.mech_title[o], n) for o, n in self.graph.co_mentions(slug))
        links = self._resolutions(self._body_html(m.description)) if "[[" in m.description else ()
        mentions = self.mentions("mechanism", slug)
        return (m, links, contexts, sorted(self._years(papers).items()), co, mentions)

    def mechanism_view(self, slug: str) -> View:
        m = self.graph.mechanisms[slug]
        papers = self.graph.mechanism_papers.get(slug, ())
        items = [self.paper_item(p, _context_html(self.graph.papers[p].facts.contexts.get(slug))) for p in papers]
        timeline = responsive_timeline(self._years(papers), f"Papers mentioning {m.title} per year") if papers else ""
        return {
            "mechanism": {
                "title": m.title,
                "url": self.mech_url[slug],
                "kind": m.kind,
                "aliases": list(m.aliases),
                "identifiers": [{"scheme": s, "id": i, "url": identifier_url(s, i)} for s, i in m.identifiers],
                "description_html": self._resolve(self._body_html(m.description)),
                "papers": items,
                "papers_count": plural(len(papers), "paper"),
                "filter": self.filter_view(papers, f"Filter the papers mentioning {m.title}"),
                "filter_url": self.index_url(mechanism=slug),
                "feed_url": self.feed_path("mechanism", slug) if papers else "",  # no papers, no feed
                "timeline_svg": Markup(timeline),
                "cooccurring": [
                    {"title": self.mech_title[o], "url": self.mech_url[o], "count": n}
                    for o, n in self.graph.co_mentions(slug)
                ],
                "mentioned_in": mentioned_view(self.mentions("mechanism", slug), self.url),
            }
        }

    def _network_input(self) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]]]:
        """Nodes and kept edges of the co-occurrence network."""
        g = self.graph
        nodes = [
            (s, m.title, len(g.mechanism_papers.get(s, ())))
            for s, m in g.mechanisms.items()
            if g.mechanism_papers.get(s)
        ]
        papers = {s: len(g.mechanism_papers.get(s, ())) for s in g.mechanisms}
        # Raw counts would hand every drawn link to the few mechanisms mentioned everywhere;
        # each mechanism instead keeps its few most specific partners (association strength
        # n_ab / sqrt(n_a n_b)), so the picture shows who goes with whom across the whole field.
        keep: set[tuple[str, str]] = set()
        for a, pairs in g.cooccurrence.items():
            ranked = sorted(pairs, key=lambda p: (-p[1] / math.sqrt(papers[a] * papers[p[0]]), p[0]))
            keep.update((min(a, b), max(a, b)) for b, n in ranked[:3] if n >= 2 or len(g.papers) < 50)
        edges = [(a, b, n) for a, pairs in g.cooccurrence.items() for b, n in pairs if (a, b) in keep]
        return nodes, edges

    def _mechanism_index(self) -> list[dict[str, object]]:
        g = self.graph
        return [
            {"title": m.title, "url": self.mech_url[s], "kind": m.kind, "count": len(g.mechanism_papers.get(s, ()))}
            for s, m in g.mechanisms.items()
        ]

    def mechanisms_view(self) -> View:
        nodes, edges = self._network_input()
        svg = responsive_network(nodes, edges, self.mech_url) if edges else ""
        return {"network_svg": Markup(svg), "mechanisms": self._mechanism_index()}

    def _top_mechanisms(self) -> list[dict[str, object]]:
        g = self.graph
        counted = [(s, len(g.mechanism_papers.get(s, ()))) for s in g.mechanisms]
        ranked = sorted((c for c in counted if c[1]), key=lambda c: (-c[1], fold(self.mech_title[c[0]])))[:15]
        return [{"title": self.mech_title[s], "url": self.mech_url[s], "count": n} for s, n in ranked]

    def _counts(self) -> list[dict[str, object]]:
        g = self.graph
        return [
            {"text": plural(len(g.papers), "paper"), "url": self.url("paper")},
            {"text": plural(len(g.mechanisms), "mechanism"), "url": self.url("mechanism")},
            {"text": plural(len(g.authors), "author"), "url": self.url("author")},
            {"text": plural(len(self.tags), "tag"), "url": self.url("tag")},
        ]

    def recent(self, papers: Iterable[str] | None = None, n: int = 10) -> list[str]:
        """The most recently added papers: by `added`, then year, newest first; undated last."""
        g = self.graph
        slugs = g.papers if papers is None else papers

        def key(slug: str) -> tuple[int, int]:
            f = g.papers[slug].facts  # `added` is an ISO date, so its digits order it
            return (-int(f.reading.added.replace("-", "") or 0), -(f.record.year or 0))

        return sorted(slugs, key=key)[:n]

    def _top_authors(self, n: int = 15) -> list[dict[str, object]]:
        g = self.graph
        ranked = sorted(g.authors.values(), key=lambda a: (-len(a.papers), self._family_key(a.slug)))[:n]
        return [{"name": a.name, "url": self.url("author", a.slug), "count": len(a.papers)} for a in ranked]

    def _status_summary(self) -> list[dict[str, object]]:
        counts = Counter(e.facts.reading.status for e in self.graph.papers.values())
        return [
            {"label": STATUS_LABELS[s], "status": s, "count": counts[s], "url": self.index_url(status=s)}
            for s in STATUSES
        ]

    def home_key(self) -> object:
        recent = self.recent()
        return (
            self._counts(),
            [self.item_digest(p) for p in recent],
            self._top_mechanisms(),
            self._top_authors(),
            self._status_summary(),
        )

    def home_view(self) -> View:
        return {
            "recent": [self.paper_item(p) for p in self.recent()],
            "mechanisms": self._top_mechanisms(),
            "authors": self._top_authors(),
            "counts": self._counts(),
            "statuses": self._status_summary(),
            "unread": sum(1 for e in self.graph.papers.values() if not e.facts.reading.status),
        }

    def papers_view(self) -> View:
        g = self.graph
        return {
            "papers": [self.paper_item(p) for p in g.papers],
            "filter": {
                "label": "Filter papers",
                "placeholder": "Title, author, journal, keyword…",
                "count": plural(len(g.papers), "paper"),
                "index_url": self.link(PAPER_INDEX),
                "script_url": self.link(asset_rel("filter.js")),
                "mechanisms": sorted(
                    ({"slug": s, "title": self.mech_title[s]} for s in g.mechanisms if g.mechanism_papers.get(s)),
                    key=lambda m: fold(str(m["title"])),
                ),
                "author": True,
                "tags": [{"slug": t, "name": name} for t, (name, _) in self.tags.items()],
                "statuses": [{"value": s, "label": STATUS_LABELS[s]} for s in STATUSES],
                "added": True,
            },
        }

    def filter_view(self, papers: Sequence[str], label: str, but_tag: str = "") -> View | None:
        """The filter of a long list on an author, mechanism or tag page, or None for a short one.

        The script filters the items the page holds (not papers/index.json), so the form offers
        what those items show: text, years, status, the tags among them (but the page's own), and
        no "recently added" order, which a list item does not show."""
        if len(papers) <= LONG_LIST:
            return None
        among = {tag_slug(t) for p in papers for t in self.graph.papers[p].facts.reading.tags} - {but_tag}
        return {
            "label": label,
            "placeholder": "Title, author, journal…",
            "count": plural(len(papers), "paper"),
            "index_url": "",
            "script_url": self.link(asset_rel("filter.js")),
            "mechanisms": [],
            "author": False,
            "tags": [{"slug": t, "name": name} for t, (name, _) in self.tags.items() if t in among],
            "statuses": [{"value": s, "label": STATUS_LABELS[s]} for s in STATUSES],
            "added": False,
        }

    # -- tags ----------------------------------------------------------------------------------

    @property
    def tags(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Tag slug → (name as first written, papers newest first), sorted by name."""
        if self._tags is None:
            found: dict[str, tuple[str, list[str]]] = {}
            for slug, entry in self.graph.papers.items():
                for t in entry.facts.reading.tags:
                    name, papers = found.setdefault(tag_slug(t), (t, []))
                    if not papers or papers[-1] != slug:
                        papers.append(slug)
            ordered = sorted(found.items(), key=lambda kv: (fold(kv[1][0]), kv[0]))
            self._tags = {k: (name, tuple(papers)) for k, (name, papers) in ordered}
        return self._tags

    def tag_view(self, slug: str) -> View:
        name, papers = self.tags[slug]
        return {
            "tag": {
                "name": name,
                "url": self.url("tag", slug),
                "papers": [self.paper_item(p) for p in papers],
                "papers_count": plural(len(papers), "paper"),
                "filter": self.filter_view(papers, f"Filter the papers tagged {name}", but_tag=slug),
                "filter_url": self.index_url(tag=slug),
            }
        }

    def tags_view(self) -> View:
        return {
            "tags": [
                {"name": name, "url": self.url("tag", t), "count": len(papers)}
                for t, (name, papers) in self.tags.items()
            ]
        }

    def page_view(self, slug: str) -> View:
        page = self.graph.pages[slug]
        body = self._resolve(self._body_html(page.body))
        return {"page": {"title": str(page.meta.get("title") or slug), "body_html": body}}

    # -- the plan ------------------------------------------------------------------------------

    def plan_papers(self, slugs: Iterable[str]) -> Iterator[Planned]:
        """The pages of these papers (all of them, or the ones whose own text changed)."""
        for slug in slugs:
            yield Planned(
                output_path(rel_url("paper", slug)), "paper.html", self.paper_key(slug), _bind(self.paper_view, slug)
            )
            facts = self.graph.papers[slug].facts
            bibkey = self.graph.bibkeys.get(slug, "")
            for path, chunks in paper_exports(slug, facts.record, bibkey):
                yield Planned(path, "", (facts.record_digest, bibkey), _chunks(chunks))

    def plan(self) -> Iterator[Planned]:
        """Every output of the site, in a fixed order; files the build copies (static assets) aside."""
        g = self.graph
        yield Planned(output_path(""), "home.html", self.home_key(), self.home_view)
        digests = [self.item_digest(p) for p in g.papers]
        yield Planned(output_path(rel_url("paper")), "papers.html", digests, self.papers_view)
        keywords = [(d, tuple(g.papers[p].record.keywords)) for d, p in zip(digests, g.papers, strict=True)]
        yield Planned(PAPER_INDEX, "", keywords, lambda: {"chunks": paper_index_chunks(g, self.tags)})
        yield from self.plan_papers(g.papers)
        authors = [(s, a.name, len(a.papers)) for s, a in g.authors.items()]
        yield Planned(
            output_path(rel_url("author")),
            "authors.html",
            authors,
            lambda: {"authors": [{"name": n, "url": self.url("author", s), "count": c} for s, n, c in authors]},
        )
        for slug in g.authors:
            yield Planned(
                output_path(rel_url("author", slug)),
                "author.html",
                self.author_key(slug),
                _bind(self.author_view, slug),
            )
        yield Planned(
            output_path(rel_url("mechanism")),
            "mechanisms.html",
            (self._network_input(), self._mechanism_index()),
            self.mechanisms_view,
        )
        for slug in g.mechanisms:
            yield Planned(
                output_path(rel_url("mechanism", slug)),
                "mechanism.html",
                self.mechanism_key(slug),
                _bind(self.mechanism_view, slug),
            )
        yield Planned(output_path(SEARCH_PAGE), "search.html", (), dict)
        yield from self.plan_tags()
        yield Planned(NOT_FOUND, "404.html", (), dict)
        yield from self.plan_feeds()
        for slug, page in g.pages.items():
            key = (page.meta.get("title"), page.body, self._resolutions(self._body_html(page.body)))
            yield Planned(output_path(rel_url("page", slug)), "page.html", key, _bind(self.page_view, slug))
        # graph.json shows the papers' list data (and DOIs) and the vocabulary's names; the rest
        # of it (who wrote what, which papers mention what) follows from those
        papers = [(self.item_digest(p), e.record.doi) for p, e in g.papers.items()]
        names = [(s, m.title, m.aliases) for s, m in g.mechanisms.items()]
        yield Planned(GRAPH, "", (papers, names), lambda: {"chunks": graph_json_chunks(g)})
        yield from self.plan_crawlers()
        # the library's exports change with any record, and only with records (not notes)
        records = [(p, e.facts.record_digest) for p, e in g.papers.items()]
        for path, chunks in library_exports([e.record for e in g.papers.values()]):
            yield Planned(path, "", records, _chunks(chunks))

    def plan_tags(self) -> Iterator[Planned]:
        tags = [(t, name, len(papers)) for t, (name, papers) in self.tags.items()]
        yield Planned(output_path(rel_url("tag")), "tags.html", tags, self.tags_view)
        for t, (name, papers) in self.tags.items():
            key = (name, [self.item_digest(p) for p in papers])
            yield Planned(output_path(rel_url("tag", t)), "tag.html", key, _bind(self.tag_view, t))

    def _feed(self, rel: str, title: str, papers: Iterable[str]) -> Planned:
        """An Atom feed of the most recently added of `papers`; its page is `rel`."""
        recent = self.recent(papers, FEED_SIZE)
        settings = self.settings

        def view() -> View:
            entries = [self._feed_entry(p) for p in recent]
            text = atom_feed(
                feed_url=self.full_url(rel + FEED),
                page_url=self.full_url(rel),
                title=title,
                site_title=settings.title,
                entries=entries,
            )
            return {"chunks": iter([text.encode("utf-8")])}

        return Planned(rel + FEED, "", (title, [self.item_digest(p) for p in recent]), view)

    def _feed_entry(self, slug: str) -> FeedEntry:
        entry = self.graph.papers[slug]
        r, reading = entry.record, entry.facts.reading
        return FeedEntry(
            url=self.full_url(rel_url("paper", slug)),
            title=r.title,
            authors=tuple(self.graph.authors[a].name for a in entry.authors),
            journal=r.container_title,
            year=r.year,
            added=reading.added,
            mechanisms=tuple(self.mech_title[m] for m in entry.mechanisms if m in self.mech_title),
            tags=reading.tags,
        )

    def plan_feeds(self) -> Iterator[Planned]:
        """Recently added papers, site-wide and per mechanism and author: only with a site_url
        (Atom ids and links must be absolute)."""
        if not self.settings.site_url:
            return
        g = self.graph
        yield self._feed("", f"{self.settings.title}: recently added papers", g.papers)
        for slug, m in g.mechanisms.items():
            papers = g.mechanism_papers.get(slug, ())
            if papers:
                yield self._feed(rel_url("mechanism", slug), f"{self.settings.title}: papers on {m.title}", papers)
        for slug, a in g.authors.items():
            yield self._feed(rel_url("author", slug), f"{self.settings.title}: papers by {a.name}", a.papers)

    def page_urls(self) -> list[str]:
        """Every HTML page's site-relative URL, for the sitemap."""
        g = self.graph
        urls = ["", rel_url("paper"), rel_url("author"), rel_url("mechanism"), rel_url("tag")]
        urls += [rel_url("paper", p) for p in g.papers]
        urls += [rel_url("author", a) for a in g.authors]
        urls += [rel_url("mechanism", m) for m in g.mechanisms]
        urls += [rel_url("tag", t) for t in self.tags]
        urls += [rel_url("page", p) for p in g.pages]
        return urls

    def plan_crawlers(self) -> Iterator[Planned]:
        """robots.txt always; sitemap.xml with a site_url (a sitemap's URLs must be absolute)."""
        site_url = self.settings.site_url
        sitemap = self.full_url(SITEMAP)
        yield Planned(ROBOTS, "", sitemap, lambda: {"chunks": iter([robots_txt(sitemap).encode("utf-8")])})
        if site_url:
            urls = self.page_urls()
            yield Planned(
                SITEMAP,
                "",
                urls,
                lambda: {"chunks": iter([sitemap_xml(self.full_url(u) for u in urls).encode("utf-8")])},
            )


def responsive_timeline(years: dict[int, int], title: str) -> str:
    """The chart twice: for desktop and for phones (static/style.css shows one), each drawn so its
    lettering is at least 12 px at the narrowest width it is shown at (640 px and 390 px)."""
    wide = timeline_svg(years, title=title, width=640, height=190, font=13, css="timeline fig-wide")
    narrow = timeline_svg(years, title=title, width=360, height=200, font=13, css="timeline fig-narrow")
    return wide + narrow


def responsive_network(
    nodes: list[tuple[str, str, int]], edges: list[tuple[str, str, int]], urls: dict[str, str]
) -> str:
    """The network for desktop (shown from 960 px) and, with its 40 strongest links only, for phones."""
    wide = network_svg(nodes, edges, urls=urls, width=960, height=640, font=14, css="network fig-wide")
    narrow = network_svg(
        nodes, edges, urls=urls, width=360, height=480, font=12.5, max_edges=40, css="network fig-narrow"
    )
    return wide + narrow


def _bind_entry(method: Callable[[PaperEntry], View], entry: PaperEntry) -> Callable[[], View]:
    return lambda: method(entry)


def _bind(method: Callable[[str], View], slug: str) -> Callable[[], View]:
    return lambda: method(slug)


def _chunks(make: Callable[[], Iterable[bytes]]) -> Callable[[], View]:
    return lambda: {"chunks": make()}
