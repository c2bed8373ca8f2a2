"""The import command: bibliographic files in, paper pages under content/papers/ out.

I/O edge of the importers. Every file is read and parsed, and every page computed, before the
first byte is written, so a file in no known format (or an existing page that cannot be read)
leaves content/ exactly as it was. Pages are matched to existing ones by identity (DOI, PMID,
else title + first author + year), merged so that nothing a reader wrote is lost, and written
atomically only when their bytes change: importing the same file twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litweave.atomic import write_text
from litweave.authors import fold
from litweave.commands.duplicates import import_duplicates
from litweave.config import Config
from litweave.content import KIND_DIRS
from litweave.frontmatter import (
    order_meta,
    paper_slug,
    parse_page,
    read_rendered,
    record_from_meta,
    record_to_meta,
    render_page,
    source_meta,
)
from litweave.importers import PARSERS
from litweave.importers.detect import detect_format
from litweave.importers.encoding import decode
from litweave.importers.identity import conflicting, find_duplicates, merge_records, work_keys
from litweave.model import Diagnostic, Page, Record
from litweave.progress import Progress


@dataclass(slots=True)
class ImportReport:
    """What an import did."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    """Paths of new pages, relative to the knowledge base."""
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    records: int = 0
    merged: int = 0
    """Records that joined another record or an existing page as the same work."""

    fatal: bool = False
    """A file or an existing page could not be used: nothing was written."""

    @property
    def ok(self) -> bool:
        """True when the import went through; skipped records are reported, not fatal."""
        return not self.fatal

    @property
    def skipped(self) -> int:
        """Records that were reported and left out (malformed, or without a title)."""
        return sum(1 for d in self.diagnostics if d.record is not None and "skipped" in d.message)


def read_records(path: Path, fmt: str | None) -> tuple[list[Record], list[Diagnostic], bool]:
    """Parse one file. The flag is False when the file as a whole is unusable."""
    name = path.name
    try:
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
    across different DOIs or PMIDs; else by provenance, so that a page whose title the reader
    corrected still receives the record it was made from."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[str]] = {}
        self.by_source: dict[tuple[str, str, int], str] = {}
        self.records: dict[str, Record] = {}
        self.metas: dict[str, dict[str, Any]] = {}

    def add(self, slug: str, meta: dict[str, Any]) -> None:
        """Index a page under its keys and its sources; a page indexed as it is now is skipped."""
        if self.metas.get(slug) == meta:  # a re-import merges every page into an equal one
            return
        self.metas[slug] = meta
        record = record_from_meta(meta)
        self.records[slug] = record
        for key in work_keys(record):
            slugs = self.by_key.setdefault(key, [])
            if slug not in slugs:
                slugs.append(slug)
        for source in meta.get("sources") or []:
            if isinstance(source, dict):
                place = (str(source.get("file")), str(source.get("format")), _int(source.get("record")))
                self.by_source.setdefault(place, slug)

    def match(self, record: Record) -> str | None:
        for key in work_keys(record):
            for slug in self.by_key.get(key, ()):
                if not conflicting(record, self.records[slug]):
                    return slug
        if record.source is None:
            return None
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
    config: Config, files: list[Path], fmt: str | None = None, progress: bool | None = None
) -> ImportReport:
    """Import `files` into `config.content`/papers; writes nothing when any file is unusable.

    `progress`: None shows a progress line when standard error is a terminal and the import runs
    long; False never does.
    """
    report = ImportReport()
    incoming = _read_all(files, fmt, report)
    if report.fatal:
        return report
    pages, diagnostics = _load_pages(config)
    report.diagnostics.extend(diagnostics)
    if any(d.level == "error" for d in diagnostics):
        report.fatal = True  # an unreadable page might be the one a record belongs to: touch nothing
        return report
    papers = {p.slug: p for p in pages if p.kind == "paper"}
    report.diagnostics.extend(import_duplicates(config, incoming, papers))
    counter = Progress("importing", len(incoming), quiet=progress is False)
    metas = _plan_pages(_groups(incoming, report), papers, report, counter)
    counter.close()
    folder = config.content / "papers"
    texts = _changed_texts(metas, papers, folder, config.root, report)
    _write_pages(
        texts,
        folder,
        config.root,
        report,
        Progress("writing", len(texts), unit="pages", quiet=progress is False, started=counter.started),
    )
    return report


def _read_all(files: list[Path], fmt: str | None, report: ImportReport) -> list[Record]:
    """Every titled record of every file; an unusable file marks the report fatal."""
    incoming: list[Record] = []
    for path in files:
        records, diagnostics, usable = read_records(path, fmt)
        report.diagnostics.extend(diagnostics)
        if not usable:
            report.fatal = True
            continue
        for record in records:
            if record.title.strip():
                incoming.append(record)
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


def _load_pages(config: Config) -> tuple[list[Page], list[Diagnostic]]:
    """What `load_content` gives, but paper pages as the import wrote them are read without PyYAML.

    Every page is still read, so an unreadable one anywhere stops the import as before; only the
    parsing of the many paper pages takes the fast path (`read_rendered`, verified by writing).
    """
    pages: list[Page] = []
    diagnostics: list[Diagnostic] = []
    for folder, kind in KIND_DIRS.items():
        base = config.content / folder
        if not base.is_dir():
            continue
        for path in sorted(base.glob("*.md")):
            rel = path.relative_to(config.root)
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                diagnostics.append(Diagnostic("error", f"not UTF-8 text: {exc.reason}", file=rel.as_posix()))
                continue
            quick = read_rendered(text) if kind == "paper" else None
            if quick is not None:
                pages.append(Page(kind=kind, slug=rel.stem, meta=quick[0], body=quick[1], path=rel))
                continue
            page, found = parse_page(text, rel, kind)
            diagnostics.extend(found)
            if page is not None:
                pages.append(page)
    return pages, diagnostics


def _groups(incoming: list[Record], report: ImportReport) -> list[list[Record]]:
    """Incoming records grouped into works, in file order (likely duplicates are reported apart)."""
    sure, _ = find_duplicates(incoming, likely=False)
    grouped = {i for g in sure for i in g}
    index_groups = sorted(sure + [[i] for i in range(len(incoming)) if i not in grouped])
    return [[incoming[i] for i in g] for g in index_groups]


def _plan_pages(
    groups: list[list[Record]], papers: dict[str, Page], report: ImportReport, counter: Progress
) -> dict[str, dict[str, Any]]:
    """The front matter of every page the import touches: new pages, and existing ones merged."""
    index = _PageIndex()
    for slug, page in papers.items():
        index.add(slug, page.meta)
    metas: dict[str, dict[str, Any]] = {}
    taken = set(papers)
    for group in groups:
        record = group[0]
        for other in group[1:]:
            record = merge_records(record, other)
        report.merged += len(group) - 1
        meta = record_to_meta(record)
        meta["sources"] = [source_meta(r.source) for r in group if r.source]
        found = index.match(record)
        if found is not None:
            metas[found] = merge_meta(metas[found] if found in metas else papers[found].meta, meta)
            report.merged += 1  # a second group for a page already updated now merges the same way
            slug = found
        else:
            slug = paper_slug(record, taken)
            taken.add(slug)
            metas[slug] = meta
        index.add(slug, metas[slug])
        counter.advance(len(group))
    return metas


def _changed_texts(
    metas: dict[str, dict[str, Any]], papers: dict[str, Page], folder: Path, root: Path, report: ImportReport
) -> dict[str, str]:
    """The text of each page whose front matter changed; unchanged pages are reported as such."""
    texts: dict[str, str] = {}
    for slug, meta in metas.items():
        if slug in papers and meta == papers[slug].meta:
            # Nothing new: leave the reader's file as they formatted it.
            report.unchanged.append((folder / f"{slug}.md").relative_to(root).as_posix())
            continue
        body = papers[slug].body if slug in papers else ""
        texts[slug] = render_page(order_meta(meta), body)
    return texts


def _write_pages(texts: dict[str, str], folder: Path, root: Path, report: ImportReport, counter: Progress) -> None:
    """Write each page whose bytes differ, atomically, in slug order."""
    for slug in sorted(texts):
        path = folder / f"{slug}.md"
        rel = path.relative_to(root).as_posix()
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        counter.advance()
        if old == texts[slug]:
            report.unchanged.append(rel)
            continue
        write_text(path, texts[slug])
        (report.updated if old is not None else report.created).append(rel)
    counter.close()
