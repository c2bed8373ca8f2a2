"""Notes with their citations resolved and a References list, and the "Mentioned in" and
"Related papers" lists, as view values. Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from markupsafe import Markup

from litweave.markdown import resolve_citations
from litweave.site.cite_format import in_text_label
from litweave.site.related import Mentioned, PaperRelations, Shown

UrlOf = Callable[[str, str], str]


def resolve_notes(html: str, relations: PaperRelations, url: UrlOf) -> Markup:
    """Citation placeholders to "(Nahta et al., 2012)" links; a References list at the end."""
    if not relations.cited:
        return Markup(html)
    known = {key: c for key, c in relations.cited if c is not None}

    def label(key: str, mode: str) -> tuple[str, str] | None:
        cited = known.get(key)
        if cited is None:
            return None
        return url("paper", cited.slug), in_text_label(cited.who, cited.year, mode)

    out, _missing = resolve_citations(html, label)
    refs: dict[str, str] = {}
    for c in known.values():
        refs.setdefault(c.slug, c.reference_html)
    if refs:
        items = "".join(
            f'<li>{ref} <a class="ref-page" href="{escape(url("paper", s))}">Paper page</a></li>'
            for s, ref in sorted(refs.items(), key=lambda kv: (kv[1], kv[0]))
        )
        out += f'<section class="references"><h3>References</h3>\n<ul>{items}</ul>\n</section>\n'
    return Markup(out)


def mentioned_view(mentions: Sequence[Mentioned], url: UrlOf) -> list[dict[str, object]]:
    return [{"title": m.title, "url": url("paper", m.slug), "sentence": excerpt_html(m.excerpt, url)} for m in mentions]


def excerpt_html(excerpt: Sequence[Shown], url: UrlOf) -> Markup:
    """A "Mentioned in" excerpt as HTML, its wikilinks and citations marked up as the note's
    (`markdown._render_wikilink`, `resolve_links`, `resolve_citations`), every text escaped."""
    out = []
    for piece in excerpt:
        text = escape(piece.text)
        if not piece.via:
            out.append(text)
        elif piece.kind:
            wikilink = ' class="wikilink"' if piece.via == "wikilink" else ""
            out.append(f'<a{wikilink} href="{escape(url(piece.kind, piece.slug))}">{text}</a>')
        elif piece.via == "wikilink":
            out.append(f'<span class="wikilink missing">{text}</span>')
        else:
            out.append(f'<span class="missing" title="unknown citation key">{text}</span>')
    return Markup("".join(out))


def related_view(relations: PaperRelations, url: UrlOf) -> dict[str, object]:
    """Related papers, each with what it shares with this one."""
    return {
        "related": [
            {"title": r.title, "url": url("paper", r.slug), "year": r.year, "why": r.why} for r in relations.related
        ]
    }
