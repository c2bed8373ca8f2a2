"""Stage 1 of a build, over every content file: pages parsed (or taken from the cache) and each
paper's facts computed (or taken from the cache), over both cores when there are many.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from litweave.build.cache import PageCache
from litweave.build.pool import parallel_map
from litweave.build.state import BuildState
from litweave.content import SourceFile, parse_source
from litweave.mechanisms.matcher import build_matcher
from litweave.model import Diagnostic, Mechanism, Page
from litweave.progress import Progress
from litweave.site.step import PaperFacts, read_paper, vocabulary_digest
from litweave.urls import (
    EXPORTS,
    FEED,
    GRAPH,
    NOT_FOUND,
    ROBOTS,
    SEARCH_BUNDLE,
    SEARCH_PAGE,
    SECTIONS,
    SITEMAP,
    STATIC,
)

RESERVED = frozenset(
    {*SECTIONS.values(), "index.html", "favicon.svg", "_litweave", "cname"}
    | {rel.split("/")[0] for rel in (STATIC, SEARCH_PAGE, SEARCH_BUNDLE, EXPORTS, FEED, GRAPH, NOT_FOUND)}
    | {SITEMAP, ROBOTS}
)
"""Top-level names the site itself uses (urls.py; `_litweave/` is the dev server's): a
free-standing page may not take them."""
_PLAIN = re.compile(r"[^\W_][\w.-]*")


def check_page_slugs(sources: Sequence[SourceFile]) -> list[Diagnostic]:
    """File names become URLs: they must be plain, and pages must not shadow a section."""
    problems = []
    for source in sources:
        slug = source.rel.rpartition("/")[2].removesuffix(".md")
        if not _PLAIN.fullmatch(slug):
            problems.append(
                Diagnostic(
                    "error",
                    "file name must start with a letter or digit and hold only "
                    "letters, digits, '.', '_' and '-': it becomes the page's URL",
                    file=source.rel,
                )
            )
        elif source.kind == "page" and slug.casefold() in RESERVED:
            problems.append(
                Diagnostic("error", f"a page may not be called {slug!r}: the site uses that name", file=source.rel)
            )
    return problems


def read_pages(sources: Sequence[SourceFile], cache: PageCache) -> tuple[list[Page], list[Diagnostic], int]:
    """Every non-paper page, parsed or from the cache; and how many were parsed."""
    pages: list[Page] = []
    diagnostics: list[Diagnostic] = []
    parsed = 0
    for source in sources:
        page = cache.get(source.rel, source.digest)
        if not isinstance(page, Page):
            parsed += 1
            page, found = parse_source(source)
            diagnostics.extend(found)
            if page is None:
                continue
            cache.put(source.rel, source.digest, page)
        pages.append(page)
    return pages, diagnostics, parsed


def facts_key(source: SourceFile, vocab: str) -> str:
    """A paper's stage-1 cache key: its bytes and the vocabulary's names."""
    return hashlib.blake2b(f"{source.digest}\x00{vocab}".encode(), digest_size=16).hexdigest()


@dataclass(slots=True)
class Stage1:
    """Stage 1 of the papers a build needs."""

    facts: list[PaperFacts]
    keys: dict[str, str]
    """Cache key of each paper file's facts."""
    diagnostics: list[Diagnostic]
    parsed: int


def paper_facts(
    sources: Sequence[SourceFile], mechanisms: Sequence[Mechanism], cache: PageCache, state: BuildState, jobs: int
) -> Stage1:
    """Stage 1 of these papers: from the cache where the file and the vocabulary are unchanged,
    else parsed and matched (over both cores when there are many)."""
    vocabulary = {m.slug: m for m in mechanisms}
    vocab = vocabulary_digest(vocabulary)
    facts: dict[str, PaperFacts] = {}
    keys = {s.rel: facts_key(s, vocab) for s in sources}
    todo: list[SourceFile] = []
    for source in sources:
        hit = cache.get(source.rel, keys[source.rel])
        if isinstance(hit, PaperFacts):
            facts[source.rel] = hit
        else:
            todo.append(source)
    diagnostics: list[Diagnostic] = []
    if todo:
        if state.matcher is None or state.matcher[0] != vocab:
            state.matcher = (vocab, build_matcher(mechanisms))
        matcher = state.matcher[1]

        def stage1(source: SourceFile) -> tuple[PaperFacts | None, list[Diagnostic]]:
            page, found = parse_source(source)
            if page is None:
                return None, found
            return read_paper(page, matcher, vocabulary, keys[source.rel]), found

        counter = Progress("reading", len(todo), unit="pages", quiet=state.quiet)
        results = parallel_map(stage1, todo, jobs, counter.advance)
        counter.close()
        for source, (result, found) in zip(todo, results, strict=True):
            diagnostics.extend(found)
            if result is not None:
                facts[source.rel] = result
                cache.put(source.rel, keys[source.rel], result)
    ordered = [facts[s.rel] for s in sources if s.rel in facts]
    diagnostics.extend(d for f in ordered for d in f.diagnostics)
    return Stage1(ordered, keys, diagnostics, len(todo))
