"""Notes with their citations resolved and a References list, and the "Mentioned in" and
"Related papers" lists, as view values. Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from markupsafe import Markup

from litweave.markdown import resolve_citations
from litweave.site.related import Mentioned, PaperRelations

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
        text = f"{cited.who}, {cited.year}" if mode == "p" else f"{cited.who} ({cited.year})"
        return url("paper", cited.slug), text

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


def mentioned_view(mentions: Sequence[Mentioned], url: UrlOf) -> list[dict[str, str]]:
    return [{"title": m.title, "url": url("paper", m.slug), "sentence": m.sentence} for m in mentions]


def related_view(relations: PaperRelations, url: UrlOf) -> dict[str, object]:
    """Related papers, each with what it shares with this one."""
    return {
        "related": [
            {"title": r.title, "url": url("paper", r.slug), "year": r.year, "why": r.why} for r in relations.related
        ]
    }
