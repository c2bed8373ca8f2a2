"""`graph.json`: the knowledge graph as data, for a reader's own analysis tools.

URLs are relative to the site root so the file is the same whatever the base URL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from litweave.site.graph import SiteGraph
from litweave.site.reading import tag_slug
from litweave.urls import rel_url


def _papers(graph: SiteGraph) -> Iterator[dict[str, object]]:
    for p in graph.papers.values():
        yield {
            "id": p.slug,
            "title": p.record.title,
            "url": rel_url("paper", p.slug),
            "year": p.record.year,
            "doi": p.record.doi or None,
            "authors": list(p.authors),
            "mechanisms": list(p.mechanisms),
            "status": p.facts.reading.status or None,
            "rating": p.facts.reading.rating,
            "tags": [tag_slug(t) for t in p.facts.reading.tags],
            "added": p.facts.reading.added or None,
        }


def _authors(graph: SiteGraph) -> Iterator[dict[str, object]]:
    for a in graph.authors.values():
        yield {"id": a.slug, "name": a.name, "url": rel_url("author", a.slug), "papers": list(a.papers)}


def _mechanisms(graph: SiteGraph) -> Iterator[dict[str, object]]:
    for m in graph.mechanisms.values():
        yield {
            "id": m.slug,
            "title": m.title,
            "url": rel_url("mechanism", m.slug),
            "aliases": list(m.aliases),
            "papers": list(graph.mechanism_papers.get(m.slug, ())),
        }


def _tags(graph: SiteGraph) -> Iterator[dict[str, object]]:
    found: dict[str, tuple[str, list[str]]] = {}
    for p in graph.papers.values():
        for t in p.facts.reading.tags:
            name, papers = found.setdefault(tag_slug(t), (t, []))
            if not papers or papers[-1] != p.slug:
                papers.append(p.slug)
    for slug, (name, papers) in sorted(found.items()):
        yield {"id": slug, "name": name, "url": rel_url("tag", slug), "papers": papers}


SECTIONS = (("papers", _papers), ("authors", _authors), ("mechanisms", _mechanisms), ("tags", _tags))
"""Papers (with the reader's status, rating, tags and added date), authors, mechanisms and tags,
with their relations as lists of ids (slugs)."""


def graph_data(graph: SiteGraph) -> dict[str, list[dict[str, object]]]:
    """The whole graph as one value (for tools and tests; the build streams it instead)."""
    return {name: list(items(graph)) for name, items in SECTIONS}


def graph_json_chunks(graph: SiteGraph, lines_per_chunk: int = 500) -> Iterator[bytes]:
    """graph.json as UTF-8 chunks, one entity a line: readable in a diff (one paper's change is
    one line), written by the C encoder, and never held whole in memory (at 100,000 papers the
    whole file and the structures behind it were the largest single allocation of a build)."""
    yield b"{\n"
    for i, (name, items) in enumerate(SECTIONS):
        yield f"{json.dumps(name)}: [\n".encode()
        batch: list[str] = []
        first = True
        for item in items(graph):
            batch.append(("" if first else ",\n") + json.dumps(item, ensure_ascii=False, separators=(", ", ": ")))
            first = False
            if len(batch) >= lines_per_chunk:
                yield "".join(batch).encode("utf-8")
                batch = []
        batch.append("\n]" + ("," if i < len(SECTIONS) - 1 else "") + "\n")
        yield "".join(batch).encode("utf-8")
    yield b"}\n"


def graph_json(graph: SiteGraph) -> str:
    return b"".join(graph_json_chunks(graph)).decode("utf-8")
