"""Stage 3: views and templates.

Turns the SiteGraph into a list of outputs (site-relative path + bytes). Templates see plain,
read-only views (dicts of strings, numbers and lists), never model objects, so a template cannot
compute relations (stale backlinks) and a user can override any template without learning the
model. All text from records is escaped here or by Jinja's autoescape; the only HTML handed to
templates as safe is what this module or the Markdown renderer built.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from litweave.authors import fold
from litweave.config import Config
from litweave.markdown import render_markdown, resolve_links
from litweave.mechanisms.identifiers import identifier_url
from litweave.model import Diagnostic, Mention
from litweave.sentences import split_sentences
from litweave.site.graph import PaperEntry, SiteGraph
from litweave.site.graph_json import graph_json
from litweave.site.svg import network_svg, timeline_svg
from litweave.urls import absolute, doi_url, output_path, rel_url, safe_external


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the built site."""

    path: str
    """Site-relative path ("papers/x/index.html")."""
    data: bytes


def make_environment(templates: Path) -> Environment:
    """Jinja with autoescape everywhere and undefined names as errors (a typo fails the build)."""
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


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


def _string_list(value: object) -> list[str]:
    """A reader's list field ("tags: [a, b]" or "tags: a") as strings."""
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return [str(value)] if value not in (None, "") else []


class SiteRenderer:
    """Builds views from the graph and renders them; one instance per build."""

    def __init__(self, config: Config, graph: SiteGraph) -> None:
        self.config = config
        self.graph = graph
        self.env = make_environment(config.templates)
        self.base = config.base_url
        self.diagnostics: list[Diagnostic] = []
        self.mech_url = {s: self.url("mechanism", s) for s in graph.mechanisms}
        self.mech_title = {s: m.title for s, m in graph.mechanisms.items()}
        self._link_targets = self._wikilink_targets()
        self._items: dict[str, Markup] = {}
        self._sentences: dict[tuple[str, str], list[tuple[int, int]]] = {}
        self._item_template = self.env.get_template("_paper_item.html")
        self._site = self.site_view()

    # -- URLs ---------------------------------------------------------------------------------

    def url(self, kind: str, slug: str = "") -> str:
        return absolute(self.base, rel_url(kind, slug))

    def _wikilink_targets(self) -> dict[str, str]:
        """[[Target]] resolves by slug, title, author name or mechanism alias (case-folded)."""
        targets: dict[str, str] = {}

        def add(name: str, url: str) -> None:
            targets.setdefault(fold(name), url)

        for kind, items in (("paper", self.graph.papers), ("author", self.graph.authors)):
            for slug in items:
                add(slug, self.url(kind, slug))
        for slug, m in self.graph.mechanisms.items():
            for name in (slug, m.title, *m.aliases):
                add(name, self.url("mechanism", slug))
        for slug, p in self.graph.papers.items():
            add(p.record.title, self.url("paper", slug))
        for slug, a in self.graph.authors.items():
            add(a.name, self.url("author", slug))
        for slug in self.graph.pages:
            add(slug, self.url("page", slug))
        return targets

    def markdown(self, text: str, file: str, doc_id: str = "") -> Markup:
        html, missing = resolve_links(render_markdown(text, doc_id), lambda t: self._link_targets.get(fold(t)))
        for target in missing:
            self.diagnostics.append(Diagnostic("warning", f"wikilink [[{target}]] matches no page", file=file))
        return Markup(html)

    # -- views --------------------------------------------------------------------------------

    def site_view(self) -> dict[str, object]:
        return {
            "title": self.config.title,
            "description": self.config.description,
            "base_url": self.base,
            "home_url": self.url("home"),
            "nav": [
                {"title": "Papers", "url": self.url("paper")},
                {"title": "Mechanisms", "url": self.url("mechanism")},
                {"title": "Authors", "url": self.url("author")},
            ],
            "static_url": absolute(self.base, "static/"),
            "counts": {
                "papers": len(self.graph.papers),
                "authors": len(self.graph.authors),
                "mechanisms": len(self.graph.mechanisms),
            },
        }

    def paper_summary(self, entry: PaperEntry) -> dict[str, object]:
        r = entry.record
        return {
            "title": r.title,
            "url": self.url("paper", entry.slug),
            "year": r.year,
            "journal": r.container_title,
            "authors": [{"name": self.graph.authors[a].name, "url": self.url("author", a)} for a in entry.authors],
            "mechanisms": [{"title": self.mech_title[m], "url": self.mech_url[m]} for m in entry.mechanisms],
        }

    def paper_item(self, slug: str, context: Markup | None = None) -> dict[str, object]:
        """A paper as a list entry: its summary rendered once per build, reused in every list."""
        html = self._items.get(slug)
        if html is None:
            html = Markup(self._item_template.render(p=self.paper_summary(self.graph.papers[slug])).strip())
            self._items[slug] = html
        return {"item_html": html, "context_html": context or Markup("")}

    def paper_view(self, entry: PaperEntry) -> dict[str, object]:
        r = entry.record
        file = entry.page.path.as_posix()
        view = self.paper_summary(entry)
        view.update(
            {
                "slug": entry.slug,
                "title_html": highlight(r.title, entry.mentions["title"], self.mech_url, self.mech_title),
                "type": r.type,
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
                "keywords": r.keywords,
                "abstract_html": _paragraphs(
                    highlight(r.abstract, entry.mentions["abstract"], self.mech_url, self.mech_title)
                ),
                "fulltext_html": self.markdown(r.fulltext, file, "fulltext"),
                "notes_html": self.markdown(entry.page.body, file, "notes"),
                "status": str(entry.page.meta.get("status") or ""),
                "tags": _string_list(entry.page.meta.get("tags")),
                "sources": entry.page.meta.get("sources") or [],
            }
        )
        return view

    def author_view(self, slug: str) -> dict[str, object]:
        a = self.graph.authors[slug]
        return {
            "name": a.name,
            "url": self.url("author", slug),
            "variants": [v for v in a.variants if v != a.name],
            "papers": [self.paper_item(p) for p in a.papers],
            "coauthors": [
                {"name": self.graph.authors[c].name, "url": self.url("author", c), "count": n} for c, n in a.coauthors
            ],
            "orcid": str(a.page.meta.get("orcid") or "") if a.page else "",
            "bio_html": self.markdown(a.page.body, a.page.path.as_posix()) if a.page else Markup(""),
        }

    def mention_context(self, entry: PaperEntry, slug: str) -> Markup:
        """The sentence where a paper first mentions a mechanism, the mention highlighted."""
        texts = {
            "abstract": entry.record.abstract,
            "title": entry.record.title,
            "fulltext": entry.record.fulltext,
            "keywords": "; ".join(entry.record.keywords),
            "notes": entry.page.body,
        }
        for field_name, text in texts.items():
            hit = next((m for m in entry.mentions[field_name] if m.mechanism == slug), None)
            if hit is None:
                continue
            spans = self._sentences.get((entry.slug, field_name))
            if spans is None:  # split each text once, however many mechanisms it mentions
                spans = self._sentences[(entry.slug, field_name)] = split_sentences(text)
            i = bisect_right(spans, (hit.start, len(text) + 1)) - 1
            s0, s1 = spans[i] if i >= 0 else (0, len(text))
            sentence, start, end = text[s0:s1], hit.start - s0, hit.end - s0
            return Markup(
                f"{escape(sentence[:start])}<mark>{escape(sentence[start:end])}</mark>{escape(sentence[end:])}"
            )
        return Markup("")  # named in front matter only

    def _years(self, papers: Iterable[str]) -> dict[int, int]:
        years: dict[int, int] = {}
        for p in papers:
            year = self.graph.papers[p].record.year
            if year is not None:
                years[year] = years.get(year, 0) + 1
        return years

    def network(self) -> Markup:
        """The co-occurrence network of the mechanism index, laid out at build time."""
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
        if not edges:
            return Markup("")
        return Markup(network_svg(nodes, edges, urls=self.mech_url))

    def mechanism_view(self, slug: str) -> dict[str, object]:
        m = self.graph.mechanisms[slug]
        papers = self.graph.mechanism_papers.get(slug, ())
        summaries = [self.paper_item(p, self.mention_context(self.graph.papers[p], slug)) for p in papers]
        return {
            "title": m.title,
            "url": self.mech_url[slug],
            "kind": m.kind,
            "aliases": list(m.aliases),
            "identifiers": [{"scheme": s, "id": i, "url": identifier_url(s, i)} for s, i in m.identifiers],
            "description_html": self.markdown(m.description, m.file),
            "papers": summaries,
            "timeline_svg": Markup(timeline_svg(self._years(papers), title=f"Papers mentioning {m.title} per year"))
            if papers
            else Markup(""),
            "cooccurring": [
                {"title": self.mech_title[o], "url": self.mech_url[o], "count": n}
                for o, n in self.graph.co_mentions(slug)
            ],
        }

    # -- outputs ------------------------------------------------------------------------------

    def render(self, template: str, rel: str, **view: object) -> Output:
        html = self.env.get_template(template).render(site=self._site, **view)
        return Output(output_path(rel), html.encode("utf-8"))

    def outputs(self) -> Iterable[Output]:
        g = self.graph
        papers = [self.paper_item(p) for p in g.papers]
        yield self.render(
            "home.html",
            "",
            recent=papers[:20],
            mechanisms=sorted(
                (
                    {"title": m.title, "url": self.mech_url[s], "count": len(g.mechanism_papers.get(s, ()))}
                    for s, m in g.mechanisms.items()
                    if g.mechanism_papers.get(s)
                ),
                key=lambda v: (-int(v["count"]), fold(str(v["title"]))),  # type: ignore[call-overload]
            )[:30],
        )
        yield self.render("papers.html", rel_url("paper"), papers=papers)
        for entry in g.papers.values():
            yield self.render("paper.html", rel_url("paper", entry.slug), paper=self.paper_view(entry))
        yield self.render(
            "authors.html",
            rel_url("author"),
            authors=[
                {"name": a.name, "url": self.url("author", s), "count": len(a.papers)} for s, a in g.authors.items()
            ],
        )
        for slug in g.authors:
            yield self.render("author.html", rel_url("author", slug), author=self.author_view(slug))
        yield self.render(
            "mechanisms.html",
            rel_url("mechanism"),
            network_svg=self.network(),
            mechanisms=[
                {"title": m.title, "url": self.mech_url[s], "kind": m.kind, "count": len(g.mechanism_papers.get(s, ()))}
                for s, m in g.mechanisms.items()
            ],
        )
        for slug in g.mechanisms:
            yield self.render("mechanism.html", rel_url("mechanism", slug), mechanism=self.mechanism_view(slug))
        for slug, page in g.pages.items():
            yield self.render(
                "page.html",
                rel_url("page", slug),
                page={
                    "title": str(page.meta.get("title") or slug),
                    "body_html": self.markdown(page.body, page.path.as_posix()),
                },
            )
        yield Output("graph.json", graph_json(g).encode("utf-8"))
        static = self.config.templates / "static"
        if static.is_dir():
            for path in sorted(p for p in static.rglob("*") if p.is_file()):
                yield Output("static/" + path.relative_to(static).as_posix(), path.read_bytes())
