"""What a paper page shows of other papers: who mentions it ("Mentioned in", with the sentence),
its related papers (and why), and the papers its notes cite (in-text label and reference).

Computed from the whole graph after the join and kept with the join's cache, so that a build
that re-plans only an edited paper's page (its signature, so its links, unchanged) shows exactly
what a full build would. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping

from litweave.site.cite_format import apa, in_text, in_text_label
from litweave.site.graph import SiteGraph
from litweave.site.notes_links import MAX_CONTEXT, Piece
from litweave.site.related import Cited, Mentioned, PaperRelations, RelatedView, Shown, related_papers


def _reached(graph: SiteGraph, ref: str) -> tuple[str, str] | None:
    """The page a "[[Target]]" or "@key" of the notes reaches."""
    if ref.startswith("[["):
        return graph.resolve(ref[2:-2])
    cited = graph.cited(ref[1:])
    return ("paper", cited) if cited else None


def mentioned_in(graph: SiteGraph, kind: str, slug: str) -> tuple[Mentioned, ...]:
    """The papers linking to (kind, slug), newest first, each with its sentence around the link."""
    out: list[Mentioned] = []
    for other in graph.backlinks.get((kind, slug), ()):
        facts = graph.papers[other].facts
        excerpt = next((_shown(graph, s) for ref, s in facts.link_contexts if _reached(graph, ref) == (kind, slug)), ())
        out.append(Mentioned(other, facts.record.title, excerpt))
    return tuple(out)


def _shown(graph: SiteGraph, pieces: tuple[Piece, ...]) -> tuple[Shown, ...]:
    """A sentence of the notes with its wikilinks and citations as the note shows them: a
    wikilink's label linking to its page, a citation's "Lu et al., 2001" to its paper, and one
    that reaches no page as the note marks it; cut at MAX_CONTEXT characters."""
    shown: list[Shown] = []
    for piece in pieces:
        hit = _reached(graph, piece.ref) if piece.ref else None
        if not piece.ref:
            shown.append(Shown(piece.text))
        elif piece.ref.startswith("[["):
            shown.append(Shown(piece.text, "wikilink", *(hit or ("", ""))))
        elif hit is None:
            shown.append(Shown(piece.ref, "citation"))  # "@key", as the note shows an unknown key
        else:
            who, year = in_text(graph.papers[hit[1]].record)
            shown.append(Shown(in_text_label(who, year, piece.mode), "citation", *hit))
    return _cut(shown)


def _cut(shown: list[Shown]) -> tuple[Shown, ...]:
    """The pieces up to MAX_CONTEXT characters of text, a longer sentence cut at a word (never
    inside a link) and ended with an ellipsis."""
    out: list[Shown] = []
    room = MAX_CONTEXT
    for piece in shown:
        if len(piece.text) <= room:
            out.append(piece)
            room -= len(piece.text)
            continue
        head = piece.text[:room].rsplit(" ", 1)[0].rstrip() if not piece.via else ""
        if head:
            out.append(Shown(head + " …"))
        else:
            out.append(Shown("…" if out and out[-1].text.endswith(" ") else " …"))
        break
    return tuple(out)


def _why(graph: SiteGraph, mechanisms: tuple[str, ...], authors: tuple[str, ...], linked: bool) -> str:
    parts = []
    if mechanisms:
        names = ", ".join(graph.mechanisms[m].title for m in mechanisms[:3])
        more = ", …" if len(mechanisms) > 3 else ""
        parts.append(f"{len(mechanisms)} mechanism{'s' if len(mechanisms) != 1 else ''} ({names}{more})")
    if authors:
        names = ", ".join(graph.authors[a].name for a in authors[:3])
        parts.append(f"{len(authors)} author{'s' if len(authors) != 1 else ''} ({names})")
    if linked:
        parts.append("linked in notes")
    return " · ".join(parts)


def paper_relations(
    graph: SiteGraph, slug: str, author_papers: Mapping[str, tuple[str, ...]], years: Mapping[str, int | None]
) -> PaperRelations:
    """What the page of `slug` shows of other papers, from the full graph (`author_papers` and
    `years` are the graph's, indexed once per build by the caller)."""
    entry = graph.papers[slug]
    out_links = [hit[1] for _t, hit in graph.links.get(slug, ()) if hit and hit[0] == "paper"]
    out_links += [p for _k, p in graph.citations.get(slug, ()) if p]
    links = [*out_links, *graph.backlinks.get(("paper", slug), ())]
    found = related_papers(
        slug,
        [m for m in entry.mechanisms if m in graph.mechanisms],
        entry.authors,
        links,
        graph.mechanism_papers,
        author_papers,
        years,
    )
    related = tuple(
        RelatedView(
            r.slug, graph.papers[r.slug].record.title, years[r.slug], _why(graph, r.mechanisms, r.authors, r.linked)
        )
        for r in found
    )
    cited: list[tuple[str, Cited | None]] = []
    for key, target in graph.citations.get(slug, ()):
        if target is None:
            cited.append((key, None))
            continue
        record = graph.papers[target].record
        who, year = in_text(record)
        cited.append((key, Cited(target, who, year, apa(record))))
    return PaperRelations(mentioned_in(graph, "paper", slug), related, tuple(cited))
