"""`papers/index.json`: the compact data the papers index filters and sorts in the browser.

The papers index page holds every paper as HTML (a complete list without JavaScript); the
script (templates/static/filter.js) reads this file instead of the page, so filtering 10,000
papers compares small arrays rather than walking the DOM. Papers are in the page's order, one
array each; authors, mechanisms and tags are listed once and referred to by position:

    {"v": 1,
     "authors": [[slug, name], ...], "mechanisms": [[slug, title], ...], "tags": [[slug, name], ...],
     "papers": [[slug, title, year|null, added, rating|0, status, journal,
                 [author i...], [mechanism i...], [tag i...], keywords], ...]}

Pure: no I/O; written in chunks like graph.json.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from litweave.site.graph import SiteGraph
from litweave.site.reading import tag_slug


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def paper_index_chunks(
    graph: SiteGraph, tags: Mapping[str, tuple[str, tuple[str, ...]]], per_chunk: int = 1000
) -> Iterator[bytes]:
    authors = {slug: i for i, slug in enumerate(graph.authors)}
    mechanisms = {slug: i for i, slug in enumerate(graph.mechanisms)}
    tag_index = {slug: i for i, slug in enumerate(tags)}
    head = {
        "v": 1,
        "authors": [[s, a.name] for s, a in graph.authors.items()],
        "mechanisms": [[s, m.title] for s, m in graph.mechanisms.items()],
        "tags": [[s, name] for s, (name, _) in tags.items()],
    }
    yield (_dump(head)[:-1] + ',\n"papers":[\n').encode("utf-8")
    batch: list[str] = []
    for n, (slug, entry) in enumerate(graph.papers.items()):
        r, reading = entry.record, entry.facts.reading
        row = [
            slug,
            r.title,
            r.year,
            reading.added,
            reading.rating or 0,
            reading.status,
            r.container_title,
            [authors[a] for a in entry.authors],
            [mechanisms[m] for m in entry.mechanisms if m in mechanisms],
            [tag_index[tag_slug(t)] for t in reading.tags],
            "; ".join(r.keywords),
        ]
        batch.append(("," if n else "") + _dump(row) + "\n")
        if len(batch) >= per_chunk:
            yield "".join(batch).encode("utf-8")
            batch = []
    batch.append("]}\n")
    yield "".join(batch).encode("utf-8")
