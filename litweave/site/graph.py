"""Stage 2: the whole-site graph of papers, authors and mechanisms.

Takes every page from stage 1 plus the mechanism vocabulary and its matcher; gives a SiteGraph
whose relations are stored as keys (slugs), so templates and outputs query it rather than
walking objects. It always runs in full: it is cheap, and recomputing it means backlinks,
co-authors and co-occurrences are never stale. Pure: no I/O.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from slugify import slugify

from litweave.authors import author_key, fold, parse_name, unify_authors
from litweave.frontmatter import paper_meta_problems, record_from_meta
from litweave.mechanisms.disambiguation import drop_redefined, redefined_short_forms
from litweave.mechanisms.matcher import Matcher
from litweave.mechanisms.vocabulary import apply_overrides
from litweave.model import Diagnostic, Mechanism, Mention, Page, Person, Record


@dataclass(frozen=True, slots=True)
class PaperEntry:
    """A paper and its relations."""

    slug: str
    page: Page
    record: Record
    authors: tuple[str, ...]
    """Author slugs in byline order."""
    mechanisms: tuple[str, ...]
    """Mechanism slugs: detected, plus front-matter `mechanisms`, less `not_mechanisms`; sorted."""
    mentions: dict[str, tuple[Mention, ...]]
    """Mentions by field ("title", "abstract", "fulltext", "keywords", "notes"), offsets into that text."""


@dataclass(frozen=True, slots=True)
class AuthorEntry:
    """A person, merged over the name variants that identify them."""

    slug: str
    name: str
    """Display name: from the author's page if any, else the fullest variant seen."""
    person: Person
    variants: tuple[str, ...]
    """Every distinct way the name was written, sorted."""
    papers: tuple[str, ...]
    """Paper slugs, newest first."""
    coauthors: tuple[tuple[str, int], ...]
    """(author slug, papers together), most frequent first."""
    page: Page | None = None


@dataclass(slots=True)
class SiteGraph:
    """Everything stage 3 needs, with relations as keys."""

    papers: dict[str, PaperEntry] = field(default_factory=dict)
    """By slug, newest first."""
    authors: dict[str, AuthorEntry] = field(default_factory=dict)
    """By slug, sorted by family name."""
    mechanisms: dict[str, Mechanism] = field(default_factory=dict)
    """By slug, sorted by title."""
    mechanism_papers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Papers mentioning each mechanism, newest first."""
    cooccurrence: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    """For each mechanism: (other mechanism, papers mentioning both), most frequent first."""
    pages: dict[str, Page] = field(default_factory=dict)
    """Free-standing pages (content/pages), by slug."""
    mechanism_pages: dict[str, Page] = field(default_factory=dict)
    """The page each mechanism came from, by slug."""

    def papers_of(self, author: str) -> tuple[str, ...]:
        return self.authors[author].papers

    def co_mentions(self, mechanism: str) -> tuple[tuple[str, int], ...]:
        return self.cooccurrence.get(mechanism, ())


def _paper_sort_key(entry: tuple[str, Record]) -> tuple[int, str, str]:
    slug, record = entry
    return (-(record.year or 0), fold(record.title), slug)


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return [str(value)]


def build_graph(
    pages: Sequence[Page], mechanisms: Sequence[Mechanism], matcher: Matcher
) -> tuple[SiteGraph, list[Diagnostic]]:
    """Link every paper to its authors and mechanisms and derive the reverse relations."""
    diagnostics: list[Diagnostic] = []
    graph = SiteGraph()
    graph.mechanisms = {m.slug: m for m in sorted(mechanisms, key=lambda m: (fold(m.title), m.slug))}
    find = matcher.find
    paper_pages = [p for p in pages if p.kind == "paper"]
    graph.pages = {p.slug: p for p in pages if p.kind == "page"}
    graph.mechanism_pages = {p.slug: p for p in pages if p.kind == "mechanism" and p.slug in graph.mechanisms}

    # Authors: a person's identity is the folded key of their name; author pages add variants.
    alias_key: dict[str, str] = {}
    author_pages: dict[str, Page] = {}
    for page in pages:
        if page.kind != "author":
            continue
        name = str(page.meta.get("name") or page.meta.get("title") or "").strip()
        if not name:
            diagnostics.append(
                Diagnostic(
                    "warning", "author page has no name: add `name:` to its front matter", file=page.path.as_posix()
                )
            )
            continue
        key = author_key(parse_name(name))
        author_pages[key] = page
        for alias in _as_list(page.meta.get("aliases")):
            alias_key[author_key(parse_name(alias))] = key

    records: list[tuple[str, Record, Page]] = []
    for page in paper_pages:
        for problem in paper_meta_problems(page.meta):
            diagnostics.append(Diagnostic("warning", problem, file=page.path.as_posix()))
        record = record_from_meta(page.meta)
        if not record.title:
            diagnostics.append(Diagnostic("error", "paper has no title", file=page.path.as_posix()))
            continue
        records.append((page.slug, record, page))
    records.sort(key=lambda item: _paper_sort_key((item[0], item[1])))

    # Name variants of one person meet: "Nahta, Rita", "Rita Nahta", "Nahta R" (when unambiguous).
    canonical, ambiguous = unify_authors([p for _slug, record, _page in records for p in record.authors])
    for variant, candidates in ambiguous:
        names = "; ".join(c.display for c in candidates)
        diagnostics.append(
            Diagnostic("warning", f"author {variant.display!r} fits several people ({names}); kept apart")
        )
    people: dict[str, Person] = {}
    variants: dict[str, set[str]] = defaultdict(set)
    paper_author_keys: dict[str, list[str]] = {}
    for slug, record, _page in records:
        keys: list[str] = []
        for written in record.authors:
            person = canonical.get(written, written)
            key = author_key(person)
            key = alias_key.get(key, key)
            if not key.strip("|"):
                continue
            variants[key].add(written.display)
            people.setdefault(key, person)
            if key not in keys:
                keys.append(key)
        paper_author_keys[slug] = keys

    # Slugs: readable names; two different people with one slug get -2, -3 in key order.
    author_slug: dict[str, str] = {}
    used: set[str] = set()
    for key in sorted(people, key=lambda k: (fold(people[k].family or people[k].literal), k)):
        own = author_pages.get(key)
        base = own.slug if own else (slugify(people[key].display) or "author")
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        author_slug[key] = slug

    mech_papers: dict[str, list[str]] = defaultdict(list)
    pair_counts: Counter[tuple[str, str]] = Counter()
    for slug, record, page in records:
        texts = {
            "title": record.title,
            "abstract": record.abstract,
            "fulltext": record.fulltext,
            "keywords": "; ".join(record.keywords),
            "notes": page.body,
        }
        found = {name: find(text) for name, text in texts.items()}
        # an acronym the paper defines as something else ("endoplasmic reticulum (ER)") is no mention
        rejected = redefined_short_forms(
            texts.values(), (m for ms in found.values() for m in ms), matcher, graph.mechanisms
        )
        mentions = {name: drop_redefined(ms, rejected) for name, ms in found.items()}
        detected = sorted({m.mechanism for found in mentions.values() for m in found})
        kept, found_diags = apply_overrides(
            detected,
            _as_list(page.meta.get("mechanisms")),
            _as_list(page.meta.get("not_mechanisms")),
            matcher,
            file=page.path.as_posix(),
        )
        diagnostics.extend(found_diags)
        mech_slugs = tuple(sorted(kept))
        # a mention the reader rejected (`not_mechanisms`) is not linked anywhere either
        mentions = {name: tuple(m for m in ms if m.mechanism in kept) for name, ms in mentions.items()}
        for m in mech_slugs:
            mech_papers[m].append(slug)
        for i, a in enumerate(mech_slugs):
            for b in mech_slugs[i + 1 :]:
                pair_counts[(a, b)] += 1
        authors = tuple(author_slug[k] for k in paper_author_keys[slug])
        graph.papers[slug] = PaperEntry(slug, page, record, authors, mech_slugs, mentions)

    author_papers: dict[str, list[str]] = defaultdict(list)
    for entry in graph.papers.values():
        for a in entry.authors:
            author_papers[a].append(entry.slug)
    key_of = {s: k for k, s in author_slug.items()}
    for slug in sorted(author_slug.values(), key=lambda s: (fold(people[key_of[s]].family), s)):
        key = key_of[slug]
        together: Counter[str] = Counter()
        for paper in author_papers[slug]:
            together.update(a for a in graph.papers[paper].authors if a != slug)
        own = author_pages.get(key)
        name = str(own.meta.get("name") or own.meta.get("title")) if own else people[key].display
        graph.authors[slug] = AuthorEntry(
            slug=slug,
            name=name,
            person=people[key],
            variants=tuple(sorted(variants[key])),
            papers=tuple(author_papers[slug]),
            coauthors=tuple(sorted(together.items(), key=lambda kv: (-kv[1], kv[0]))),
            page=own,
        )

    graph.mechanism_papers = {m: tuple(mech_papers.get(m, ())) for m in graph.mechanisms}
    co: dict[str, Counter[str]] = defaultdict(Counter)
    for (a, b), n in pair_counts.items():
        co[a][b] += n
        co[b][a] += n
    graph.cooccurrence = {
        m: tuple(sorted(co[m].items(), key=lambda kv: (-kv[1], kv[0]))) for m in graph.mechanisms if co[m]
    }
    return graph, diagnostics
