"""`graph.json`: the knowledge graph as data, for a reader's own analysis tools.

URLs are relative to the site root so the file is the same whatever the base URL.
"""

from __future__ import annotations

import json

from litweave.site.graph import SiteGraph
from litweave.urls import rel_url


def graph_data(graph: SiteGraph) -> dict[str, list[dict[str, object]]]:
    """Papers, authors and mechanisms with their relations as lists of ids (slugs)."""
    return {
        "papers": [
            {
                "id": p.slug,
                "title": p.record.title,
                "url": rel_url("paper", p.slug),
                "year": p.record.year,
                "doi": p.record.doi or None,
                "authors": list(p.authors),
                "mechanisms": list(p.mechanisms),
            }
            for p in graph.papers.values()
        ],
        "authors": [
            {"id": a.slug, "name": a.name, "url": rel_url("author", a.slug), "papers": list(a.papers)}
            for a in graph.authors.values()
        ],
        "mechanisms": [
            {
                "id": m.slug,
                "title": m.title,
                "url": rel_url("mechanism", m.slug),
                "aliases": list(m.aliases),
                "papers": list(graph.mechanism_papers.get(m.slug, ())),
            }
            for m in graph.mechanisms.values()
        ],
    }


def graph_json(graph: SiteGraph) -> str:
    """One entity a line: readable in a diff (one paper's change is one line), and written by the
    C encoder (an indented dump goes through the pure-Python one, ten times slower)."""
    parts = []
    for section, items in graph_data(graph).items():
        lines = ",\n".join(json.dumps(item, ensure_ascii=False, separators=(", ", ": ")) for item in items)
        parts.append(f"{json.dumps(section)}: [\n{lines}\n]")
    return "{\n" + ",\n".join(parts) + "\n}\n"
