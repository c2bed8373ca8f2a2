"""Stage 2: the whole-site graph of papers, authors and mechanisms.

Takes every page from stage 1 plus the mechanism vocabulary and its matcher; gives a SiteGraph
whose relations are stored as keys (slugs), so templates and outputs query it rather than
walking objects. It always runs in full: it is cheap, and recomputing it means backlinks,
co-authors and co-occurrences are never stale. Pure: no I/O.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from slugify import slugify

from litweave.authors import author_key, fold, parse_name, unify_authors
from litweave.exporters.keys import assign_keys
from litweave.frontmatter import as_list
from litweave.mechanisms.matcher import Matcher
from litweave.model import Diagnostic, Mechanism, Mention, Page, Person, Record, reduce_by_slots
from litweave.site.related import PaperRelations
from litweave.site.step import PaperFacts, read_paper, vocabulary_digest


@dataclass(frozen=True, slots=True)
class PaperEntry:
    """A paper: what its own page gives (`facts`) and its author slugs, joined here."""

    facts: PaperFacts
    authors: tuple[str, ...]
    """Author slugs in byline order."""

    @property
    def slug(self) -> str:
        return self.facts.slug

    @property
    def record(self) -> Record:
        return self.facts.record

    @property
    def mechanisms(self) -> tuple[str, ...]:
        return self.facts.mechanisms

    @property
    def mentions(self) -> Mapping[str, tuple[Mention, ...]]:
        return self.facts.mentions


@dataclass(frozen=True, slots=True)
class AuthorEntry:
    """A person, merged over the name variants that identify them."""

    __reduce__ = reduce_by_slots

    slug: str
    name: str
    """Display name: from the author's page if any, else the fullest variant seen."""
    person: Person
    variants: tuple[str, ...]
    """Every distinct way the name was written, sorted."""
    papers: tuple[str, ...]
    """Paper slugs, newest first."""
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
    targets: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Wikilink names (case-folded slug, title, author name, alias) → (kind, slug)."""
    links: dict[str, tuple[tuple[str, tuple[str, str] | None], ...]] = field(default_factory=dict)
    """For each paper: its wikilinks as written, each with the (kind, slug) it reaches or None."""
    backlinks: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    """(kind, slug) → the papers whose notes link to it (wikilink or citation), newest first."""
    citekeys: dict[str, str] = field(default_factory=dict)
    """Citation key → paper slug: each paper's front-matter `citekey` and its slug."""
    citations: dict[str, tuple[tuple[str, str | None], ...]] = field(default_factory=dict)
    """For each paper: its citation keys as written, each with the paper it cites or None."""
    bibkeys: dict[str, str] = field(default_factory=dict)
    """Paper slug → its BibTeX key in exports/library.bib, which its own .bib and Cite box use too
    (a generated key is made unique over the whole library, so no single paper can work it out)."""
    paper_relations: dict[str, PaperRelations] = field(default_factory=dict)
    """What each paper's page shows of other papers, filled as pages are planned (and kept with
    the join's cache for builds that plan only edited papers)."""

    def cited(self, key: str) -> str | None:
        """The paper a `[@key]` cites: by its `citekey` (exactly, else case-folded) or its slug."""
        return self.citekeys.get(key) or self.citekeys.get(key.casefold())

    def resolve(self, target: str) -> tuple[str, str] | None:
        """The page a `[[target]]` names: by slug, title, author name or mechanism alias."""
        return self.targets.get(fold(target))

    def coauthors(self, author: str) -> tuple[tuple[str, int], ...]:
        """(author slug, papers together), most frequent first. Counted when asked: kept for every
        author, the pairs of a 100,000-paper library were a large part of the build's memory, and
        only that author's page needs them (its key has the papers' bylines already)."""
        together: Counter[str] = Counter()
        for paper in self.authors[author].papers:
            together.update(a for a in self.papers[paper].authors if a != author)
        return tuple(sorted(together.items(), key=lambda kv: (-kv[1], kv[0])))

    def co_mentions(self, mechanism: str) -> tuple[tuple[str, int], ...]:
        return self.cooccurrence.get(mechanism, ())


def _paper_sort_key(facts: PaperFacts) -> tuple[int, str, str]:
    return (-(facts.record.year or 0), fold(facts.record.title), facts.slug)


def build_graph(
    pages: Sequence[Page], mechanisms: Sequence[Mechanism], matcher: Matcher
) -> tuple[SiteGraph, list[Diagnostic]]:
    """Stage 1 for every paper, then the join: the whole build in one call, for tests and tools."""
    vocabulary = {m.slug: m for m in mechanisms}
    digest = vocabulary_digest(vocabulary)
    facts = [read_paper(p, matcher, vocabulary, digest) for p in pages if p.kind == "paper"]
    diagnostics = [d for f in facts for d in f.diagnostics]
    graph, found = join_graph(facts, [p for p in pages if p.kind != "paper"], mechanisms)
    return graph, diagnostics + found


def join_graph(
    facts: Sequence[PaperFacts], pages: Sequence[Page], mechanisms: Sequence[Mechanism]
) -> tuple[SiteGraph, list[Diagnostic]]:
    """Join what each page gave into relations: authors, mechanisms' papers, co-occurrence, links.

    Only keys are joined here; nothing is parsed or matched again, so a rebuild after one edit
    costs this join and not a re-read of the knowledge base. `pages` are the non-paper pages.
    """
    diagnostics: list[Diagnostic] = []
    graph = SiteGraph()
    graph.mechanisms = {m.slug: m for m in sorted(mechanisms, key=lambda m: (fold(m.title), m.slug))}
    graph.pages = {p.slug: p for p in pages if p.kind == "page"}
    graph.mechanism_pages = {p.slug: p for p in pages if p.kind == "mechanism" and p.slug in graph.mechanisms}
    papers = sorted((f for f in facts if f.record.title), key=_paper_sort_key)
    author_pages, alias_key, found = _author_pages(pages)
    diagnostics.extend(found)
    people, variants, paper_keys, found = _people(papers, alias_key)
    diagnostics.extend(found)
    author_slug = _author_slugs(people, author_pages)
    for f in papers:
        graph.papers[f.slug] = PaperEntry(f, tuple(author_slug[k] for k in paper_keys[f.slug]))
    _join_authors(graph, people, variants, author_slug, author_pages)
    _join_mechanisms(graph)
    _join_links(graph)
    return graph, diagnostics


def _author_pages(pages: Sequence[Page]) -> tuple[dict[str, Page], dict[str, str], list[Diagnostic]]:
    """A person's identity is the folded key of their name; author pages add name variants."""
    author_pages: dict[str, Page] = {}
    alias_key: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
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
        for alias in as_list(page.meta.get("aliases")):
            alias_key[author_key(parse_name(alias))] = key
    return author_pages, alias_key, diagnostics


def _people(
    papers: Sequence[PaperFacts], alias_key: Mapping[str, str]
) -> tuple[dict[str, Person], dict[str, set[str]], dict[str, list[str]], list[Diagnostic]]:
    """Name variants of one person meet ("Nahta, Rita", "Rita Nahta", "Nahta R" when unambiguous):
    each person by key, the spellings seen, and each paper's author keys in byline order."""
    diagnostics: list[Diagnostic] = []
    canonical, ambiguous = unify_authors([p for f in papers for p in f.record.authors])
    for variant, candidates in ambiguous:
        names = "; ".join(c.display for c in candidates)
        diagnostics.append(
            Diagnostic("warning", f"author {variant.display!r} fits several people ({names}); kept apart")
        )
    people: dict[str, Person] = {}
    variants: dict[str, set[str]] = defaultdict(set)
    paper_keys: dict[str, list[str]] = {}
    for f in papers:
        keys: list[str] = []
        for written in f.record.authors:
            person = canonical.get(written, written)
            key = author_key(person)
            key = alias_key.get(key, key)
            if not key.strip("|"):
                continue
            variants[key].add(written.display)
            people.setdefault(key, person)
            if key not in keys:
                keys.append(key)
        paper_keys[f.slug] = keys
    return people, variants, paper_keys, diagnostics


def _author_slugs(people: Mapping[str, Person], author_pages: Mapping[str, Page]) -> dict[str, str]:
    """Readable slugs; two different people with one slug get -2, -3 in key order."""
    author_slug: dict[str, str] = {}
    used: set[str] = set()
    for key in sorted(people, key=lambda k: (fold(people[k].family or people[k].literal), k)):
        own = author_pages.get(key)
        base = own.slug if own else (_slug(people[key].display) or "author")
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        author_slug[key] = slug
    return author_slug


_SLUGS: dict[str, str] = {}


def _slug(name: str) -> str:
    """python-slugify, remembered: a build asks for the same few thousand names every time."""
    slug = _SLUGS.get(name)
    if slug is None:
        slug = _SLUGS[name] = slugify(name)
    return slug


def _join_authors(
    graph: SiteGraph,
    people: Mapping[str, Person],
    variants: Mapping[str, set[str]],
    author_slug: Mapping[str, str],
    author_pages: Mapping[str, Page],
) -> None:
    author_papers: dict[str, list[str]] = defaultdict(list)
    for entry in graph.papers.values():
        for a in entry.authors:
            author_papers[a].append(entry.slug)
    key_of = {s: k for k, s in author_slug.items()}
    for slug in sorted(author_slug.values(), key=lambda s: (fold(people[key_of[s]].family), s)):
        key = key_of[slug]
        own = author_pages.get(key)
        name = str(own.meta.get("name") or own.meta.get("title")) if own else people[key].display
        graph.authors[slug] = AuthorEntry(
            slug=slug,
            name=name,
            person=people[key],
            variants=tuple(sorted(variants[key])),
            papers=tuple(author_papers[slug]),
            page=own,
        )


def _join_mechanisms(graph: SiteGraph) -> None:
    mech_papers: dict[str, list[str]] = defaultdict(list)
    pair_counts: Counter[tuple[str, str]] = Counter()
    for entry in graph.papers.values():
        mechs = [m for m in entry.mechanisms if m in graph.mechanisms]
        for m in mechs:
            mech_papers[m].append(entry.slug)
        for i, a in enumerate(mechs):
            for b in mechs[i + 1 :]:
                pair_counts[(a, b)] += 1
    graph.mechanism_papers = {m: tuple(mech_papers.get(m, ())) for m in graph.mechanisms}
    co: dict[str, Counter[str]] = defaultdict(Counter)
    for (a, b), n in pair_counts.items():
        co[a][b] += n
        co[b][a] += n
    graph.cooccurrence = {
        m: tuple(sorted(co[m].items(), key=lambda kv: (-kv[1], kv[0]))) for m in graph.mechanisms if co[m]
    }


def _join_links(graph: SiteGraph) -> None:
    """Wikilink names to pages, each paper's links resolved, and the backlinks they make."""
    targets: dict[str, tuple[str, str]] = {}

    def add(name: str, kind: str, slug: str) -> None:
        targets.setdefault(fold(name), (kind, slug))

    for slug in graph.papers:
        add(slug, "paper", slug)
    for slug in graph.authors:
        add(slug, "author", slug)
    for slug, m in graph.mechanisms.items():
        for name in (slug, m.title, *m.aliases):
            add(name, "mechanism", slug)
    for slug, p in graph.papers.items():
        add(p.record.title, "paper", slug)
    for slug, a in graph.authors.items():
        add(a.name, "author", slug)
    for slug in graph.pages:
        add(slug, "page", slug)
    graph.targets = targets
    graph.links = resolve_paper_links(graph.papers.values(), targets)
    _join_citations(graph)
    back: dict[tuple[str, str], list[str]] = defaultdict(list)
    for slug in graph.papers:  # newest first, so each backlink list is too
        hits = [hit for _t, hit in graph.links.get(slug, ())]
        hits += [("paper", p) for _k, p in graph.citations.get(slug, ()) if p is not None]
        for hit in hits:
            # papers are taken one at a time, so this paper can only be the list's last item
            if hit is not None and hit != ("paper", slug) and (not back[hit] or back[hit][-1] != slug):
                back[hit].append(slug)
    graph.backlinks = {k: tuple(v) for k, v in sorted(back.items())}


def _join_citations(graph: SiteGraph) -> None:
    """Citation keys to papers: a kept `citekey` wins over the key the library's BibTeX export
    generates, which wins over a slug; of two papers claiming one key, the first (newest) has it."""
    keys: dict[str, str] = {}
    for slug, entry in graph.papers.items():
        if entry.facts.citekey:
            keys.setdefault(entry.facts.citekey, slug)
    # the keys of exports/library.bib (same records, same order), so notes cite what pandoc reads
    graph.bibkeys = dict(zip(graph.papers, assign_keys([e.record for e in graph.papers.values()]), strict=True))
    for slug, key in graph.bibkeys.items():
        keys.setdefault(key, slug)
    for slug in graph.papers:
        keys.setdefault(slug, slug)
    folded: dict[str, str] = {}
    for key, slug in keys.items():
        folded.setdefault(key.casefold(), slug)
    graph.citekeys = {**folded, **keys}
    graph.citations = {
        e.slug: tuple((k, graph.cited(k)) for k in e.facts.cites) for e in graph.papers.values() if e.facts.cites
    }


def resolve_paper_links(
    papers: Iterable[PaperEntry], targets: Mapping[str, tuple[str, str]]
) -> dict[str, tuple[tuple[str, tuple[str, str] | None], ...]]:
    """Each paper's wikilinks with the (kind, slug) each reaches, or None; papers without links left out."""
    return {e.slug: tuple((t, targets.get(fold(t))) for t in e.facts.links) for e in papers if e.facts.links}
