"""The import command: bibliographic files in, paper pages under content/papers/ out.

I/O edge of the importers. Failures stay where they are: a file in no known format, a record
that cannot be read, or an existing page that cannot be parsed is named with the reason and left
out, and everything else is imported (exit 1 tells that something was refused). Pages are matched
to existing ones by identity (DOI, PMID, else title + first author + year). A re-import merges
three ways against the base the last import left (`merge.py`, `mergebase.py`): a source's
correction reaches a field the reader did not touch, the reader's edits always stay, and a field
both changed is reported as a conflict. Only the lines of changed fields are rewritten
(`patch_front_matter`): comments, order and styles the reader wrote stay byte for byte, and the
body is never touched. Each page is written atomically, then its base, so a killed import leaves
every page whole and at worst a base one import behind, which the next import reconciles.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from litweave.atomic import remove_stale_temps, write_text
from litweave.authors import fold
from litweave.commands.duplicates import import_duplicates
from litweave.config import Config
from litweave.content import KIND_DIRS
from litweave.fields import TEXT_FIELDS
from litweave.frontmatter import (
    order_meta,
    paper_slug,
    parse_page,
    patch_front_matter,
    read_rendered,
    record_from_meta,
    record_to_meta,
    render_page,
    source_meta,
)
from litweave.importers import PARSERS
from litweave.importers.detect import detect_format
from litweave.importers.encoding import decode
from litweave.importers.finish import is_placeholder
from litweave.importers.identity import conflicting, find_duplicates, merge_records, source_id, work_keys
from litweave.merge import MISSING as MISSING_VALUE
from litweave.merge import Conflict, Prefer, base_after, merge_source, two_way_base
from litweave.mergebase import (
    LoadedBase,
    PageBase,
    SourceBase,
    SourceRef,
    base_path,
    load_base,
    render_base,
    save_base,
)
from litweave.model import Diagnostic, Page, Record, Reference
from litweave.progress import Progress
from litweave.references import (
    read_references,
    references_digest,
    references_path,
    render_references,
    save_references,
)
from litweave.wording import plural

MAX_FILE_MB = 64
"""Largest import file read, in MB (env LITWEAVE_MAX_IMPORT_MB changes it): a larger one is
refused with its size, since records, pages and indexes of it would all be held in memory."""
MAX_FIELD_CHARS = 1_000_000
"""Longest value of one field that is imported whole (full texts included); a longer one is cut
there with a warning naming the file, record and field."""


def max_file_bytes() -> int:
    """The file size limit in bytes, from LITWEAVE_MAX_IMPORT_MB when set to a positive number."""
    try:
        mb = float(os.environ.get("LITWEAVE_MAX_IMPORT_MB", "") or MAX_FILE_MB)
    except ValueError:
        mb = MAX_FILE_MB
    return int((mb if mb > 0 else MAX_FILE_MB) * 1024 * 1024)


@dataclass(slots=True)
class ImportReport:
    """What an import did."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    """Paths of new pages, relative to the knowledge base."""
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    records: int = 0
    """Records read (with a title), before any was merged or refused: not what was written."""
    merged: int = 0
    """Records that joined another record of this import, or a page they had not been imported
    into before, as the same work (a re-import of a page's own source is no merge)."""
    joins: list[tuple[str, list[str]]] = field(default_factory=list)
    """(page, the records that joined it) for every merge, for the full list of messages."""
    refused: list[str] = field(default_factory=list)
    """Files, records and pages left out, each also named by an error diagnostic."""
    conflicts: list[tuple[str, Conflict]] = field(default_factory=list)
    """(page, conflict) for every field both the reader and the source changed."""
    usable_files: int = 0
    """Files that gave records or were well-formed and empty."""

    @property
    def written(self) -> int:
        """Pages written: the new ones and the existing ones a record was merged into and changed."""
        return len(self.created) + len(self.updated)

    @property
    def nothing_usable(self) -> bool:
        """True when files were given and none of them could be read (exit 2)."""
        return self.usable_files == 0 and bool(self.refused)

    @property
    def ok(self) -> bool:
        """True when everything given was imported: no error, nothing refused."""
        return not self.refused and not any(d.level == "error" for d in self.diagnostics)

    @property
    def skipped(self) -> int:
        """Records that were reported and left out (malformed, or without a title)."""
        return sum(1 for d in self.diagnostics if d.record is not None and "skipped" in d.message)


MESSAGES = ".litweave-cache/import.txt"
"""Where the last import's every message and every merge are listed, relative to the knowledge base."""


def write_messages(config: Config, report: ImportReport) -> str:
    """The full list of the last import's messages and merges, written to MESSAGES (the terminal
    shows them grouped); its path, relative to the knowledge base."""
    lines = ["# litweave import: every message, then which records were merged into which page", ""]
    lines += [str(d) for d in report.diagnostics] or ["(no messages)"]
    lines += ["", f"# {plural(report.merged, 'record')} merged into pages of the same work"]
    for page, records in report.joins:
        lines.append(f"{page}: {'; '.join(records)}")
    write_text(config.root / MESSAGES, "\n".join(lines) + "\n")
    return MESSAGES


def read_records(path: Path, fmt: str | None) -> tuple[list[Record], list[Diagnostic], bool]:
    """Parse one file. The flag is False when the file as a whole is unusable."""
    name = path.name
    limit = max_file_bytes()
    try:
        size = path.stat().st_size
        if size > limit:
            message = (
                f"file is {size / 2**20:.3g} MB, over the import limit of {limit / 2**20:.3g} MB; "
                "split it, or raise the limit with LITWEAVE_MAX_IMPORT_MB"
            )
            return [], [Diagnostic("error", message, file=str(path))], False
        data = path.read_bytes()
    except OSError as exc:
        return [], [Diagnostic("error", f"cannot read: {exc.strerror}", file=str(path))], False
    text, diagnostics = decode(data, name)
    found = fmt or detect_format(text, name)
    if found is None:
        diagnostics.append(
            Diagnostic(
                "error",
                "not a recognised bibliographic file (Refer/EndNote, RIS, BibTeX, MEDLINE, CSL-JSON)",
                file=name,
            )
        )
        return [], diagnostics, False
    if found not in PARSERS:
        known = ", ".join(sorted(PARSERS))
        diagnostics.append(Diagnostic("error", f"unknown format {found!r} (known: {known})", file=name))
        return [], diagnostics, False
    result = PARSERS[found](text, name)
    diagnostics.extend(result.diagnostics)
    usable = bool(result.records) or not any(d.level == "error" for d in result.diagnostics)
    return result.records, diagnostics, usable


class _PageIndex:
    """Which page a record belongs to: by DOI, PMID or title + first author (+ year), never
    across different DOIs or PMIDs; else, for a record with none of those, by its identity in
    its source (`identity.source_id`, found in the merge bases of the pages from that file); else
    by provenance, so that a page whose title the reader corrected still receives the record it
    was made from."""

    def __init__(self, bases: _Bases) -> None:
        self.by_key: dict[str, list[str]] = {}
        self.by_source: dict[tuple[str, str, int], str] = {}
        self.by_file: dict[tuple[str, str], list[str]] = {}
        self.by_placeholder: dict[str, list[str]] = {}
        """Pages whose title is still an import's placeholder, by that title."""
        self.by_ref: dict[tuple[str, str, str], str] = {}
        """Source identities of pages planned in this import (their bases are not on disk yet)."""
        self.records: dict[str, Record] = {}
        self.metas: dict[str, dict[str, Any]] = {}
        self.bases = bases

    def add(self, slug: str, meta: dict[str, Any], refs: Iterable[SourceRef] = ()) -> None:
        """Index a page under its keys and its sources; a page indexed as it is now is skipped."""
        for ref in refs:
            self.by_ref.setdefault((ref.format, ref.file, ref.id), slug)
        if self.metas.get(slug) == meta:  # a re-import merges every page into an equal one
            return
        self.metas[slug] = meta
        record = record_from_meta(meta)
        self.records[slug] = record
        for key in work_keys(record):
            slugs = self.by_key.setdefault(key, [])
            if slug not in slugs:
                slugs.append(slug)
        if is_placeholder(record.title):
            slugs = self.by_placeholder.setdefault(record.title, [])
            if slug not in slugs:
                slugs.append(slug)
        for source in meta.get("sources") or []:
            if isinstance(source, dict):
                file, fmt = str(source.get("file")), str(source.get("format"))
                self.by_source.setdefault((file, fmt, _int(source.get("record"))), slug)
                slugs = self.by_file.setdefault((file, fmt), [])
                if slug not in slugs:
                    slugs.append(slug)

    def match(self, record: Record, ref: SourceRef) -> str | None:
        keys = work_keys(record)
        for key in keys:
            for slug in self.by_key.get(key, ()):
                if not conflicting(record, self.records[slug]):
                    return slug
        if record.source is None:
            return None
        if not keys:  # nothing says which work it is: only the source knows it
            found = self.by_ref.get((ref.format, ref.file, ref.id)) or self._by_base(ref)
            if found is not None and not conflicting(record, self.records[found]):
                return found
            # or its placeholder, made of what it has ("[Untitled] Nature, 2012, Smith"), when one
            # page alone has it and came from other files: the record exported and brought back
            same = self.by_placeholder.get(record.title, [])
            if (
                is_placeholder(record.title)
                and len(same) == 1
                and same[0] not in self.by_file.get((ref.file, ref.format), ())
                and not conflicting(record, self.records[same[0]])
            ):
                return same[0]
        origin = self.by_source.get((record.source.file, record.source.format, record.source.record))
        if origin is None:
            return None
        page = self.records[origin]
        # the same place in the same file, and still recognisably the same work
        same_year = record.year is not None and record.year == page.year
        same_author = bool(record.authors and page.authors) and fold(record.authors[0].family) == fold(
            page.authors[0].family
        )
        return origin if (same_year or same_author) and not conflicting(record, page) else None

    def _by_base(self, ref: SourceRef) -> str | None:
        """The page whose merge base has a section for this very record of this file."""
        for slug in self.by_file.get((ref.file, ref.format), ()):
            base = self.bases.get(slug)
            if base is not None and any(_same_ref(entry.ref, ref) for entry in base.sources):
                return slug
        return None


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def merge_meta(existing: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """An existing page's front matter updated by an import without losing anything.

    A value already on the page wins (the reader may have corrected it); keys the page lacks are
    added; provenance (`sources`) and free-form `extra` fields accumulate.
    """
    merged = dict(existing)
    for key, value in incoming.items():
        if key == "sources":
            have = list(merged.get("sources") or [])
            have.extend(s for s in value if s not in have)
            merged["sources"] = have
        elif key == "extra" and isinstance(merged.get("extra"), dict):
            merged["extra"] = {**value, **merged["extra"]}
        elif key not in merged:  # a key the reader emptied stays empty: that was their choice
            merged[key] = value
    return merged


def import_files(
    config: Config,
    files: list[Path],
    fmt: str | None = None,
    progress: bool | None = None,
    prefer: Prefer | None = None,
) -> ImportReport:
    """Import `files` into `config.content`/papers: every usable file, record and page; what cannot
    be used is named in the report and left out.

    `progress`: None shows a progress line when standard error is a terminal and the import runs
    long; False never does. `prefer`: how conflicts are settled ("ours" keeps the reader's value
    without a warning, "theirs" takes the source's; None keeps the reader's and warns).
    """
    report = ImportReport()
    incoming = _read_all(files, fmt, report)
    if report.nothing_usable:
        return report
    pages, unreadable, diagnostics = _load_pages(config)
    report.diagnostics.extend(diagnostics)
    papers = {p.slug: p for p in pages if p.kind == "paper"}
    report.diagnostics.extend(import_duplicates(config, incoming, papers))
    counter = Progress("importing", len(incoming), quiet=progress is False)
    bases = _Bases(config.content)
    folders = {path.name: path.parent for path in files}
    plans = _plan_pages(_groups(incoming, report), papers, unreadable, report, counter, bases, folders)
    counter.close()
    folder = config.content / "papers"
    changes = _merge_all(plans, papers, config, prefer, report, bases)
    _write_pages(
        changes,
        config,
        report,
        Progress("writing", len(changes), unit="pages", quiet=progress is False, started=counter.started),
    )
    report.unchanged.extend(
        (folder / f"{slug}.md").relative_to(config.root).as_posix()
        for slug, change in changes.items()
        if change.text is None
    )
    report.unchanged.sort()
    return report


def _read_all(files: list[Path], fmt: str | None, report: ImportReport) -> list[Record]:
    """Every titled record of every usable file; an unusable file is named and left out."""
    incoming: list[Record] = []
    for path in files:
        records, diagnostics, usable = read_records(path, fmt)
        report.diagnostics.extend(diagnostics)
        if not usable:
            report.refused.append(path.name)
            continue
        report.usable_files += 1
        for record in records:
            if record.title.strip():
                incoming.append(_capped(record, report))
                continue
            # A page needs a title (its heading, its slug): skip, name it, import the rest.
            report.diagnostics.append(
                Diagnostic(
                    "warning",
                    "record has no title; skipped",
                    file=record.source.file if record.source else path.name,
                    record=record.source.record if record.source else None,
                )
            )
    report.records = len(incoming)
    return incoming


def _capped(record: Record, report: ImportReport) -> Record:
    """The record with any text field longer than MAX_FIELD_CHARS cut there, each cut reported."""
    cuts: dict[str, Any] = {}
    for name in (f.attr for f in TEXT_FIELDS):
        value = getattr(record, name, None)
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            cuts[name] = value[:MAX_FIELD_CHARS]
            report.diagnostics.append(
                Diagnostic(
                    "warning",
                    f"{name} is {len(value):,} characters, cut to the limit of {MAX_FIELD_CHARS:,}",
                    file=record.source.file if record.source else "",
                    record=record.source.record if record.source else None,
                )
            )
    return replace(record, **cuts) if cuts else record


def _load_pages(config: Config) -> tuple[list[Page], set[str], list[Diagnostic]]:
    """What `load_content` gives, but paper pages as the import wrote them are read without PyYAML.

    A page that cannot be read is named with an error and its slug returned, so that no record
    is written over it; only the parsing of the many paper pages takes the fast path
    (`read_rendered`, verified by writing).
    """
    pages: list[Page] = []
    unreadable: set[str] = set()
    diagnostics: list[Diagnostic] = []
    for folder, kind in KIND_DIRS.items():
        base = config.content / folder
        if not base.is_dir():
            continue
        for path in sorted(base.glob("*.md")):
            rel = path.relative_to(config.root)
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError) as exc:
                why = f"not UTF-8 text: {exc.reason}" if isinstance(exc, UnicodeDecodeError) else exc.strerror
                diagnostics.append(Diagnostic("error", f"{why}; page left as it is", file=rel.as_posix()))
                unreadable.add(rel.stem) if kind == "paper" else None
                continue
            quick = read_rendered(text) if kind == "paper" else None
            if quick is not None:
                pages.append(Page(kind=kind, slug=rel.stem, meta=quick[0], body=quick[1], path=rel))
                continue
            page, found = parse_page(text, rel, kind)
            diagnostics.extend(found)
            if page is not None:
                pages.append(page)
            elif kind == "paper":
                unreadable.add(rel.stem)
    return pages, unreadable, diagnostics


def _groups(incoming: list[Record], report: ImportReport) -> list[list[Record]]:
    """Incoming records grouped into works, in file order (likely duplicates are reported apart)."""
    sure, _ = find_duplicates(incoming, likely=False)
    grouped = {i for g in sure for i in g}
    index_groups = sorted(sure + [[i] for i in range(len(incoming)) if i not in grouped])
    return [[incoming[i] for i in g] for g in index_groups]


class _Bases:
    """The pages' merge bases, each read from disk at most once per import."""

    def __init__(self, content: Path) -> None:
        self.content = content
        self.loaded: dict[str, LoadedBase] = {}

    def load(self, slug: str, likely: tuple[PageBase, str] | None = None) -> LoadedBase:
        found = self.loaded.get(slug)
        if found is None:
            found = self.loaded[slug] = load_base(self.content, slug, likely)
        return found

    def get(self, slug: str) -> PageBase | None:
        return self.load(slug).base


@dataclass(slots=True)
class _Contribution:
    """What one source (one record of one file, or several records with one identity there)
    brings to a page."""

    ref: SourceRef
    theirs: dict[str, Any]
    """The source's values, provenance left out."""
    sources: list[dict[str, Any]]
    """Its provenance entries for the page's `sources`."""
    folder: Path | None
    """Where its file is, to tell a renamed file from a second file."""
    references: list[Reference] = field(default_factory=list)
    """The works it cites, kept beside the page (`references.py`)."""


@dataclass(slots=True)
class _Plan:
    """What the import brings to one page."""

    theirs: dict[str, Any]
    """Every contribution's values combined (what a new page is made of), provenance included."""
    record: Record
    """The records combined, for checking that a kept base describes the same work."""
    new: bool
    """True when no page exists yet."""
    contributions: list[_Contribution] = field(default_factory=list)
    """Per source, in the order the files were given."""

    def add(self, contribution: _Contribution) -> None:
        for have in self.contributions:
            if have.ref == contribution.ref or (
                (have.ref.format, have.ref.file, have.ref.id)
                == (contribution.ref.format, contribution.ref.file, contribution.ref.id)
            ):
                have.theirs = merge_meta(have.theirs, contribution.theirs)
                have.sources.extend(s for s in contribution.sources if s not in have.sources)
                return
        self.contributions.append(contribution)


def _contribution(record: Record, folders: dict[str, Path], meta: dict[str, Any] | None = None) -> _Contribution:
    """`meta`: the record as front matter when already made (provenance included)."""
    meta = dict(meta) if meta is not None else record_to_meta(record)
    sources = meta.pop("sources", [])
    where = record.source
    ref = SourceRef(
        where.format if where else "",
        where.file if where else "",
        source_id(record, meta),
        where.record if where else 0,
    )
    return _Contribution(ref, meta, sources, folders.get(ref.file), list(record.references))


def _plan_pages(
    groups: list[list[Record]],
    papers: dict[str, Page],
    unreadable: set[str],
    report: ImportReport,
    counter: Progress,
    bases: _Bases,
    folders: dict[str, Path],
) -> dict[str, _Plan]:
    """What the import brings to every page it touches, new or existing."""
    index = _PageIndex(bases)
    for slug, page in papers.items():
        index.add(slug, page.meta)
    plans: dict[str, _Plan] = {}
    taken = set(papers) | unreadable
    for group in groups:
        counter.advance(len(group))
        record = group[0]
        for other in group[1:]:
            record = merge_records(record, other)
        meta = record_to_meta(record)
        meta["sources"] = [source_meta(r.source) for r in group if r.source]
        if len(group) == 1:
            contributions = [_contribution(record, folders, meta)]
        else:
            contributions = [_contribution(r, folders) for r in group]
        found = index.match(record, contributions[0].ref)
        if found is None and unreadable and (unsafe := paper_slug(record)) in unreadable:
            _refuse_record(record, unsafe, report)
            continue
        refs = [c.ref for c in contributions]
        if found is not None:
            plan = plans.get(found)
            if plan is None:
                plans[found] = plan = _Plan(meta, record, False)
            else:
                plan.theirs = merge_meta(plan.theirs, meta)
            index.add(found, merge_meta(papers[found].meta, plan.theirs) if found in papers else plan.theirs, refs)
        else:
            slug = paper_slug(record, taken)
            taken.add(slug)
            plans[slug] = plan = _Plan(meta, record, True)
            index.add(slug, meta, refs)
        for contribution in contributions:
            plan.add(contribution)
    for slug, plan in plans.items():
        _count_joins(slug, plan, papers.get(slug), report)
    return plans


def _count_joins(slug: str, plan: _Plan, page: Page | None, report: ImportReport) -> None:
    """The records that joined a page as another record of its work: every one of a new page but
    the first, and for an existing page those from a file it had not been imported from."""
    sources = page.meta.get("sources") if page is not None else None
    listed = (
        {(s.get("file"), s.get("format")) for s in sources if isinstance(s, dict)}
        if isinstance(sources, list)
        else set()
    )
    joined = []
    for n, contribution in enumerate(plan.contributions):
        if (page is None and n == 0) or (contribution.ref.file, contribution.ref.format) in listed:
            continue
        joined += [f"{s.get('file')} record {s.get('record')}" for s in contribution.sources]
    if joined:
        report.merged += len(joined)
        report.joins.append((f"content/papers/{slug}.md", joined))


def _refuse_record(record: Record, slug: str, report: ImportReport) -> None:
    """A record whose page exists but cannot be read: importing it would make a second page."""
    where = record.source
    report.refused.append(f"{where.file} record {where.record}" if where else slug)
    report.diagnostics.append(
        Diagnostic(
            "error",
            f"belongs to content/papers/{slug}.md, which cannot be read; fix that page and import again",
            file=where.file if where else "",
            record=where.record if where else None,
        )
    )


@dataclass(slots=True)
class _Change:
    """One page's outcome: its new text (None: unchanged) and the base to keep."""

    text: str | None
    base: str
    """The text of the base to keep (`render_base`)."""
    base_text: str | None
    """The base file as it was (None: missing), so an unchanged base is not rewritten."""
    new: bool
    references: str | None = None
    """The text of its references file to write (None: leave it as it is)."""


def import_date() -> str:
    """The date a new page records as `added` (ISO 8601): today, or the day of the
    `SOURCE_DATE_EPOCH` environment variable when it is set (the reproducible-builds convention),
    so that an import can be repeated byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
    return date.today().isoformat()


def _merge_all(
    plans: dict[str, _Plan],
    papers: dict[str, Page],
    config: Config,
    prefer: Prefer | None,
    report: ImportReport,
    bases: _Bases,
) -> dict[str, _Change]:
    """Every touched page merged with its sources' bases; conflicts and set-aside bases reported."""
    changes: dict[str, _Change] = {}
    missing: list[str] = []
    added = import_date()
    for slug, plan in plans.items():
        if plan.new:
            written = {k: v for k, v in plan.theirs.items() if k != "sources"}
            # `added` is the reader's from now on: not in the base, so no import ever changes it
            page_meta = order_meta({**plan.theirs, "added": added})
            base = PageBase(written, [SourceBase(c.ref, c.theirs) for c in plan.contributions])
            changes[slug] = _Change(render_page(page_meta, ""), render_base(slug, base), None, True)
        else:
            changes[slug] = _merge_page(config, papers[slug], plan, prefer, report, missing, bases)
    if missing:
        report.diagnostics.append(_no_base_notice(missing))
    for slug, plan in plans.items():
        changes[slug].references = _references_text(config, slug, plan, report)
    return changes


def _references_text(config: Config, slug: str, plan: _Plan, report: ImportReport) -> str | None:
    """The references file a page gets from this import, if any: the first source's list when
    the page has none; a newer list from the source it came from when nobody edited it (an
    edited one is kept, with a warning); another source's list never replaces it."""
    giving = [c for c in plan.contributions if c.references]
    if not giving:
        return None
    path = references_path(config.content, slug)
    loaded = None if plan.new else read_references(path)
    if loaded is None:
        first = giving[0]
        return render_references(slug, first.ref.format, first.ref.file, first.references)
    same = next((c for c in giving if (c.ref.format, c.ref.file) == (loaded.format, loaded.file)), None)
    if same is None:
        return None
    if loaded.digest == references_digest(same.references) and not loaded.problem:
        return None  # the source gives what it gave
    text = render_references(slug, same.ref.format, same.ref.file, same.references)
    if not loaded.edited:
        return text
    rel = path.relative_to(config.root).as_posix()
    why = loaded.problem or "you edited it"
    report.diagnostics.append(
        Diagnostic("warning", f"{same.ref.file} lists other references now, but {why}; kept as it is", rel)
    )
    return None


def _merge_page(
    config: Config,
    page: Page,
    plan: _Plan,
    prefer: Prefer | None,
    report: ImportReport,
    missing: list[str],
    bases: _Bases,
) -> _Change:
    """One existing page merged with each contribution in turn, against that source's base.

    Without a usable base every value on the page counts as written by imports, so sources only
    fill empty fields (`--theirs`: every difference is a conflict, settled for the source); the
    page is named in `missing` if that hid a difference from a source."""
    ours = {k: v for k, v in page.meta.items() if k != "sources"}
    likely: tuple[PageBase, str] | None = None
    if len(plan.contributions) == 1:  # what the base holds after an import of this very source
        only = plan.contributions[0]
        expected = PageBase(dict(only.theirs), [SourceBase(only.ref, dict(only.theirs))])
        likely = (expected, render_base(page.slug, expected))
    loaded = bases.load(page.slug, likely)
    kept = _usable_base(loaded, page.slug, plan, report, trusted=likely is not None and loaded.text == likely[1])
    if kept is not None:
        written = dict(kept.written)
        entries = [SourceBase(e.ref, dict(e.values)) for e in kept.sources]
        legacy = kept.written if kept.legacy else None
    else:
        first = plan.contributions[0].theirs
        if loaded.text is None and not loaded.problem and any(k in ours and ours[k] != v for k, v in first.items()):
            missing.append(page.slug)
        # as before bases were kept: a page value that differs from the source counts as the
        # reader's (--theirs: every difference is a conflict, settled for the source)
        written = {} if prefer == "theirs" else two_way_base(ours, first)
        entries, legacy = [SourceBase(plan.contributions[0].ref, dict(written))], None
    rel = page.path.as_posix()
    imported: list[str] = []
    for contribution in plan.contributions:
        entry = _find_entry(entries, contribution)
        base: dict[str, Any] | None = entry.values if entry is not None else None
        if entry is None and legacy is not None and _adopts_legacy(page.meta, contribution.ref):
            base, legacy = legacy, None  # the one source of a page merged before bases were per source
        result = merge_source(written, ours, contribution.theirs, base, prefer or "ours")
        report.conflicts.extend((rel, c) for c in result.conflicts)
        report.diagnostics.extend(_conflict_diagnostic(rel, c, prefer, contribution.ref) for c in result.conflicts)
        ours, written = result.merged, result.written
        after = base_after(base, contribution.theirs, result.conflicts, prefer)
        if entry is None:
            entries.append(SourceBase(contribution.ref, after))
        else:
            entry.ref, entry.values = contribution.ref, after
        imported.extend(k for k in contribution.theirs if k not in imported)
    merged = _with_sources(page.meta, ours, [s for c in plan.contributions for s in c.sources])
    text = None if merged == page.meta else _page_text(config, page, merged, imported, report)
    after_base = PageBase(written, entries)
    new_base = likely[1] if likely is not None and after_base == likely[0] else render_base(page.slug, after_base)
    return _Change(text, new_base, loaded.text, False)


def _same_ref(have: SourceRef, ref: SourceRef) -> bool:
    return (have.format, have.file, have.id) == (ref.format, ref.file, ref.id)


def _find_entry(entries: list[SourceBase], contribution: _Contribution) -> SourceBase | None:
    """The base section of this contribution's source: the same record of the same file; else
    the same record of a file of the same format that is no longer where it was (the file was
    renamed: a second file beside the first is a second source); else, for a record whose
    digest changed because its fields did, the same position in the same file."""
    ref = contribution.ref
    for entry in entries:
        if _same_ref(entry.ref, ref):
            return entry
    if not ref.id.startswith("sha:") and contribution.folder is not None:
        for entry in entries:
            if (entry.ref.format, entry.ref.id) == (ref.format, ref.id) and not (
                contribution.folder / entry.ref.file
            ).exists():
                return entry
    for entry in entries:
        if (entry.ref.format, entry.ref.file, entry.ref.record) == (ref.format, ref.file, ref.record) and (
            ref.id.startswith("sha:") or entry.ref.id.startswith("sha:")
        ):
            return entry
    return None


def _adopts_legacy(page_meta: dict[str, Any], ref: SourceRef) -> bool:
    """Whether a version 1 base (what the last import wrote, from whichever source) can stand as
    the base of `ref`: only when the page names that file as its one source."""
    sources = page_meta.get("sources")
    places = (
        {(s.get("file"), s.get("format")) for s in sources if isinstance(s, dict)}
        if isinstance(sources, list)
        else set()
    )
    return places == {(ref.file, ref.format)}


def _usable_base(
    loaded: LoadedBase, slug: str, plan: _Plan, report: ImportReport, trusted: bool = False
) -> PageBase | None:
    """The base if it can be used for this page, else None with the reason reported. `trusted`:
    the base is what this very source gives, so it describes the same work."""
    problem = loaded.problem
    if loaded.base is not None and not trusted and conflicting(record_from_meta(loaded.base.written), plan.record):
        problem = "it describes another work (different DOI or PMID)"
    if problem:
        report.diagnostics.append(
            Diagnostic(
                "warning",
                f"merge base set aside: {problem}; merged two-way (your values kept, new fields added)",
                file=f"content/.base/papers/{slug}.yaml",
            )
        )
        return None
    return loaded.base


def _no_base_notice(slugs: list[str]) -> Diagnostic:
    shown = ", ".join(f"{s}.md" for s in sorted(slugs)[:3]) + (", …" if len(slugs) > 3 else "")
    return Diagnostic(
        "warning",
        f"{len(slugs)} page(s) differ from the source and have no merge base (imported before bases were "
        f"kept, or content/.base/ was removed): merged two-way, your values kept and new fields added, "
        f"so a correction in the source was not applied ({shown}); the next import merges three-way, "
        "or `import --theirs` takes the source's values now",
        file="content/papers",
    )


def _conflict_diagnostic(rel: str, conflict: Conflict, prefer: Prefer | None, ref: SourceRef) -> Diagnostic:
    ours = "(deleted)" if conflict.ours is MISSING_VALUE else _short(conflict.ours)
    theirs = _short(conflict.theirs)
    source = f"{ref.file} ({ref.format})" if ref.file else "the source"
    if prefer == "theirs":
        return Diagnostic("info", f"conflict in {conflict.field}: took {source}'s {theirs} over yours {ours}", rel)
    if prefer == "ours":
        return Diagnostic("info", f"conflict in {conflict.field}: kept yours {ours} over {source}'s {theirs}", rel)
    return Diagnostic(
        "warning",
        f"conflict in {conflict.field}: you changed it to {ours}, {source} says {theirs}; kept yours "
        "(import --theirs takes the source's, --ours keeps yours quietly)",
        rel,
    )


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _with_sources(page_meta: dict[str, Any], merged: dict[str, Any], incoming: list[Any]) -> dict[str, Any]:
    """Provenance accumulates: the page's sources, then the new ones, the key where the page has
    it (a `sources` the reader made into something other than a list is left alone)."""
    have = page_meta.get("sources")
    sources: Any = have
    if have is None or isinstance(have, list):
        sources = list(have or [])
        sources.extend(s for s in incoming if s not in sources)
    out = {k: sources if k == "sources" else merged[k] for k in page_meta if k == "sources" or k in merged}
    out.update((k, v) for k, v in merged.items() if k not in out)
    if "sources" not in out and sources:
        out["sources"] = sources
    return out


def _page_text(config: Config, page: Page, merged: dict[str, Any], imported: list[str], report: ImportReport) -> str:
    """The page's new text: only the changed fields' lines rewritten, else (a layout the patch
    cannot follow) the front matter written whole, with a warning; the body as it was."""
    path = config.root / page.path
    text = path.read_text(encoding="utf-8")
    patched = patch_front_matter(text, page.meta, merged, imported=[*imported, "sources"])
    if patched is not None:
        return patched
    report.diagnostics.append(
        Diagnostic(
            "warning", "front matter rewritten whole: its layout and comments could not be kept", page.path.as_posix()
        )
    )
    return render_page(merged, page.body)


def _write_pages(changes: dict[str, _Change], config: Config, report: ImportReport, counter: Progress) -> None:
    """Write each changed page atomically, then its base, in slug order: a killed import leaves
    every page old or new and at worst one base behind its page, which the next import reconciles."""
    folder = config.content / "papers"
    for stale in (folder, base_path(config.content, "x").parent):  # what a killed import left
        remove_stale_temps(stale)
    for slug in sorted(changes):
        change = changes[slug]
        counter.advance()
        path = folder / f"{slug}.md"
        rel = path.relative_to(config.root).as_posix()
        if change.text is not None:
            old = path.read_text(encoding="utf-8") if not change.new and path.is_file() else None
            if old == change.text:
                change.text = None
            else:
                write_text(path, change.text)
                (report.created if change.new else report.updated).append(rel)
        save_base(config.content, slug, change.base, change.base_text)
        if change.references is not None:
            save_references(references_path(config.content, slug), change.references)
    counter.close()
