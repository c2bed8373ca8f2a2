"""The on-disk cache of stage 1: each content file's parsed page, and each paper's facts, keyed by
a hash of the file's bytes (and, for papers, of the vocabulary's names).

Pickle files in `.litweave-cache/`, the entries spread over a fixed number of shards by path,
so that saving after one edit rewrites one small shard and not the whole cache. Each shard is
tagged with the litweave version (the package's own source digest included, so a changed
litweave never reads an old layout). A cache from
another version, or one that cannot be read, is set aside with a one-line notice and rebuilt;
it can only ever cost time, never a wrong page, since every entry is looked up by the hash of
what it was computed from. Entries of files no longer in content/ are dropped on save.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from litweave import __version__
from litweave.atomic import write_bytes
from litweave.model import Diagnostic, Mechanism, Person
from litweave.site.graph import AuthorEntry, PaperEntry, SiteGraph, resolve_paper_links
from litweave.site.related import PaperRelations
from litweave.site.step import PaperFacts

CACHE_DIR = ".litweave-cache"
_FORMAT = 2
SHARDS = 32


def _shard(rel: str) -> int:
    return hashlib.blake2b(rel.encode("utf-8"), digest_size=2).digest()[0] % SHARDS


def code_version() -> str:
    """litweave's version and a digest of its own source files' names, sizes and modification
    times: what a cache or manifest was made by (an edited litweave never reads an old layout)."""
    package = Path(__file__).resolve().parents[1]
    h = hashlib.blake2b(digest_size=8)
    for folder, dirs, files in sorted(os.walk(package)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(f for f in files if f.endswith(".py")):
            st = os.stat(os.path.join(folder, name))
            h.update(f"{os.path.relpath(os.path.join(folder, name), package)}:{st.st_size}:{st.st_mtime_ns};".encode())
    return f"{__version__}+{h.hexdigest()}"


@dataclass(slots=True)
class PageCache:
    """Stage-1 results by content path: (digest of the inputs, value). Shards are read when first
    asked for, so a build that needs the facts of one edited paper reads one shard."""

    folder: Path
    version: str
    notices: list[Diagnostic]
    """Where the one-line notice about an unusable cache goes."""
    ignore: bool = False
    """`build --clean`: read nothing, write everything anew."""
    entries: dict[str, tuple[str, object]] = field(default_factory=dict)
    loaded: set[int] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    changed: set[int] = field(default_factory=set)
    """Shards to write on save."""
    _noticed: bool = False

    @classmethod
    def open(cls, root: Path, version: str, notices: list[Diagnostic], *, ignore: bool = False) -> PageCache:
        return cls(root / CACHE_DIR, version, notices, ignore)

    def _path(self, shard: int) -> Path:
        return self.folder / f"pages-{shard:02d}.pickle"

    def _load(self, shard: int) -> None:
        """Read one shard into `entries`; an unusable one is noticed once and rebuilt."""
        self.loaded.add(shard)
        path = self._path(shard)
        if self.ignore or not path.is_file():
            self.changed.add(shard)
            return
        try:
            with path.open("rb") as handle:
                data = pickle.load(handle)
            if not isinstance(data, dict) or data.get("format") != _FORMAT or not isinstance(data.get("entries"), dict):
                raise ValueError("unknown layout")
        except Exception as exc:  # noqa: BLE001 - any unreadable cache is rebuilt, never trusted
            self._notice(f"cache unreadable ({type(exc).__name__})")
            return
        if data.get("version") != self.version:
            self._notice(f"cache made by litweave {data.get('version')}")
            return
        self.entries.update(data["entries"])

    def _notice(self, problem: str) -> None:
        if not self._noticed:
            self._noticed = True
            self.notices.append(Diagnostic("info", f"{problem}; rebuilding it", file=CACHE_DIR))
        self.changed.update(range(SHARDS))

    def load_all(self) -> None:
        for shard in range(SHARDS):
            if shard not in self.loaded:
                self._load(shard)

    def get(self, rel: str, digest: str) -> object | None:
        self.seen.add(rel)
        shard = _shard(rel)
        if shard not in self.loaded:
            self._load(shard)
        hit = self.entries.get(rel)
        return hit[1] if hit is not None and hit[0] == digest else None

    def put(self, rel: str, digest: str, value: object) -> None:
        self.seen.add(rel)
        self.entries[rel] = (digest, value)
        self.changed.add(_shard(rel))

    def save(self, forget_unseen: bool) -> None:
        """Write the shards that changed. With `forget_unseen` (every file was looked up), entries
        of files no longer in content/ are dropped."""
        if forget_unseen:
            self.load_all()
            for rel in set(self.entries) - self.seen:
                del self.entries[rel]
                self.changed.add(_shard(rel))
        if not self.changed:
            return
        shards: dict[int, dict[str, tuple[str, object]]] = {s: {} for s in self.changed}
        for rel, entry in self.entries.items():
            bucket = shards.get(_shard(rel))
            if bucket is not None:
                bucket[rel] = entry
        for shard, entries in sorted(shards.items()):
            data = {"format": _FORMAT, "version": self.version, "entries": dict(sorted(entries.items()))}
            write_bytes(self._path(shard), pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        self.changed.clear()
        self.ignore = False
        self.loaded = set(range(SHARDS)) if forget_unseen else self.loaded
        gitignore = self.folder / ".gitignore"
        if not gitignore.exists():  # the cache is never committed, whatever the project's .gitignore says
            write_bytes(gitignore, b"*\n")


@dataclass(slots=True)
class Relations:
    """What the last full build joined, kept (`.litweave-cache/graph.pickle`) so that a build in
    which only papers' own texts changed (their signatures did not) plans just those papers' pages
    without reading or joining the rest. It keeps what those pages show of other pages: author
    names, mechanism titles, wikilink targets."""

    digest: str
    """Relations digest: settings, templates, the non-paper pages and every paper's signature."""
    salt: str
    """Digest of version, settings, templates and static files: when it differs, plan everything."""
    sources: dict[str, str]
    """Every content file's digest at the time."""
    signatures: dict[str, str]
    """Each paper file's signature (what other pages show of it)."""
    facts_keys: dict[str, str]
    """Each paper file's stage-1 cache key."""
    stage1: dict[str, tuple[Diagnostic, ...]]
    """Each paper file's own diagnostics."""
    mechanisms: tuple[Mechanism, ...]
    """The vocabulary, to match an edited paper without reading the mechanism pages."""
    paper_authors: dict[str, tuple[str, ...]]
    """Each paper's author slugs."""
    author_names: dict[str, str]
    targets: dict[str, tuple[str, str]]
    """Wikilink names → (kind, slug), as `SiteGraph.targets`."""
    diagnostics: list[Diagnostic]
    """The join's and the links' diagnostics, reported again by builds that reuse it."""
    paper_relations: dict[str, PaperRelations] = field(default_factory=dict)
    """What each paper page shows of other papers (backlinks, related, cited), as planned."""
    bibkeys: dict[str, str] = field(default_factory=dict)
    """Each paper's BibTeX key in the library (`SiteGraph.bibkeys`)."""

    @classmethod
    def of(
        cls,
        digest: str,
        salt: str,
        sources: dict[str, str],
        facts: Sequence[PaperFacts],
        facts_keys: dict[str, str],
        graph: SiteGraph,
        diagnostics: Sequence[Diagnostic],
    ) -> Relations:
        return cls(
            digest,
            salt,
            sources,
            {f.file: f.signature for f in facts},
            facts_keys,
            {f.file: f.diagnostics for f in facts if f.diagnostics},
            tuple(graph.mechanisms.values()),
            {slug: entry.authors for slug, entry in graph.papers.items()},
            {slug: a.name for slug, a in graph.authors.items()},
            graph.targets,
            list(diagnostics),
            dict(graph.paper_relations),
            dict(graph.bibkeys),
        )

    def graph(self, facts: Sequence[PaperFacts]) -> SiteGraph:
        """The part of the graph that these papers' own pages show: the papers, their authors'
        names, the vocabulary and the wikilink targets (only those pages are planned)."""
        papers = {f.slug: PaperEntry(f, self.paper_authors.get(f.slug, ())) for f in facts}
        authors = {
            a: AuthorEntry(a, self.author_names[a], Person(literal=self.author_names[a]), (), ())
            for entry in papers.values()
            for a in entry.authors
        }
        graph = SiteGraph(papers=papers, authors=authors, mechanisms={m.slug: m for m in self.mechanisms})
        graph.targets = self.targets
        graph.links = resolve_paper_links(papers.values(), self.targets)
        graph.paper_relations = {slug: self.paper_relations[slug] for slug in papers if slug in self.paper_relations}
        graph.bibkeys = {slug: self.bibkeys[slug] for slug in papers if slug in self.bibkeys}
        return graph


_SMALL = ("sources", "signatures", "facts_keys", "stage1")
"""The per-file part of Relations: what a fast build updates, saved on every build."""


def _relations_paths(root: Path, output_dir: str) -> tuple[Path, Path]:
    """One pair per output folder (`build` and `serve` plan for different base URLs): the joined
    part, written by full builds only, and the per-file part, written by every build."""
    tag = hashlib.blake2b(output_dir.encode("utf-8"), digest_size=4).hexdigest()
    return root / CACHE_DIR / f"graph-{tag}.pickle", root / CACHE_DIR / f"files-{tag}.pickle"


def load_relations(root: Path, output_dir: str, version: str) -> Relations | None:
    """The last join, or None (missing, unreadable or made by another litweave: join again)."""
    joined, files = _relations_paths(root, output_dir)
    try:
        with joined.open("rb") as handle:
            big = pickle.load(handle)
        with files.open("rb") as handle:
            small = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a missing or broken file only costs a join
        return None
    if not (isinstance(big, dict) and isinstance(small, dict)):
        return None
    relations = big.get("relations")
    if big.get("version") != version or not isinstance(relations, Relations) or small.get("of") != relations.digest:
        return None
    for name in _SMALL:
        setattr(relations, name, small.get(name))
    return relations


def save_relations(root: Path, output_dir: str, version: str, relations: Relations, *, joined: bool) -> None:
    big_path, small_path = _relations_paths(root, output_dir)
    if joined:
        kept = {name: getattr(relations, name) for name in _SMALL}
        for name in _SMALL:
            setattr(relations, name, {})
        try:
            data = {"format": _FORMAT, "version": version, "relations": relations}
            write_bytes(big_path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        finally:
            for name, value in kept.items():
                setattr(relations, name, value)
    small = {"of": relations.digest, **{name: getattr(relations, name) for name in _SMALL}}
    write_bytes(small_path, pickle.dumps(small, protocol=pickle.HIGHEST_PROTOCOL))


def _items_path(root: Path, output_dir: str) -> Path:
    tag = hashlib.blake2b(output_dir.encode("utf-8"), digest_size=4).hexdigest()
    return root / CACHE_DIR / f"items-{tag}.pickle"


def load_items(root: Path, output_dir: str, salt: str) -> dict[str, str]:
    """Rendered list items of the last build, by item digest, if made with the same item template,
    settings and litweave (`salt`); else none."""
    try:
        with _items_path(root, output_dir).open("rb") as handle:
            data = pickle.load(handle)
    except Exception:  # noqa: BLE001 - missing or broken: items are rendered again
        return {}
    if isinstance(data, dict) and data.get("salt") == salt and isinstance(data.get("items"), dict):
        return data["items"]
    return {}


def save_items(root: Path, output_dir: str, salt: str, items: dict[str, str]) -> None:
    data = {"format": _FORMAT, "salt": salt, "items": items}
    write_bytes(_items_path(root, output_dir), pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def _regions_path(root: Path, output_dir: str) -> Path:
    tag = hashlib.blake2b(output_dir.encode("utf-8"), digest_size=4).hexdigest()
    return root / CACHE_DIR / f"search-{tag}.pickle"


def load_search_regions(root: Path, output_dir: str, salt: str) -> dict[str, tuple[str, str]]:
    """The digests of the indexed parts of the pages (build/search.py), by page, from the last
    build with the same litweave (`salt`); else none (every indexed page is read once)."""
    try:
        with _regions_path(root, output_dir).open("rb") as handle:
            data = pickle.load(handle)
    except Exception:  # noqa: BLE001 - missing or broken: the pages are read again
        return {}
    if isinstance(data, dict) and data.get("salt") == salt and isinstance(data.get("regions"), dict):
        return data["regions"]
    return {}


def save_search_regions(root: Path, output_dir: str, salt: str, regions: dict[str, tuple[str, str]]) -> None:
    data = {"format": _FORMAT, "salt": salt, "regions": regions}
    write_bytes(_regions_path(root, output_dir), pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
