"""Wikilinks and citations that reach nothing, found from the joined graph: what the build warns
about (and draws struck through) and what `litweave check` reports with its line. One list for
both, so the two can never disagree on what is broken. Pure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from litweave.markdown import link_targets
from litweave.site.graph import SiteGraph


@dataclass(frozen=True, slots=True)
class DeadLink:
    """A `[[target]]` that names no page, or an `@key` that cites no paper."""

    file: str
    """The content file it is written in."""
    kind: Literal["wikilink", "citation"]
    target: str
    """The wikilink target or citation key, as written."""

    @property
    def message(self) -> str:
        if self.kind == "wikilink":
            return f"wikilink [[{self.target}]] matches no page"
        return f"citation [@{self.target}] matches no paper's citekey or slug"


def dead_links(graph: SiteGraph, body_html: Callable[[str], str]) -> list[DeadLink]:
    """Every dead wikilink and citation of the papers' notes and full texts (resolved in the join),
    then of mechanism descriptions, author pages and free-standing pages (`body_html` renders one
    body, wikilinks left as placeholders; the build passes its own, which remembers each)."""
    found: list[DeadLink] = []
    for slug, links in graph.links.items():
        file = graph.papers[slug].facts.file
        found.extend(DeadLink(file, "wikilink", t) for t, hit in links if hit is None)
    for slug, cites in graph.citations.items():
        file = graph.papers[slug].facts.file
        found.extend(DeadLink(file, "citation", k) for k, hit in cites if hit is None)
    others: list[tuple[str, str]] = [(m.description, m.file) for m in graph.mechanisms.values()]
    others += [(a.page.body, a.page.path.as_posix()) for a in graph.authors.values() if a.page]
    others += [(p.body, p.path.as_posix()) for p in graph.pages.values()]
    for text, file in others:
        if "[[" in text:
            targets = dict.fromkeys(link_targets(body_html(text)))
            found.extend(DeadLink(file, "wikilink", t) for t in targets if graph.resolve(t) is None)
    return found
