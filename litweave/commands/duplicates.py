"""Possible duplicates reported where a person sees them: a screenful on the terminal, the full
list in `.litweave-cache/duplicates.txt`.

I/O edge of `importers.duplicates`. `import` reports the new records that look like another new
record or a page already in content/; `check` reports the pages that look like each other. The
file is rewritten by each (its first line says which), removed when there is nothing to report,
and is the same bytes for the same content.
"""

from __future__ import annotations

from typing import Any

from litweave.atomic import write_text
from litweave.build.cache import CACHE_DIR
from litweave.config import Config
from litweave.frontmatter import record_from_meta
from litweave.importers.duplicates import SHOWN, DuplicateGroup, group_duplicates, report_text, summary_line
from litweave.model import Diagnostic, Page, Record

REPORT = f"{CACHE_DIR}/duplicates.txt"
"""Where the full list goes, relative to the knowledge base."""


def import_duplicates(config: Config, incoming: list[Record], papers: dict[str, Page]) -> list[Diagnostic]:
    """Warnings for groups in which a new work looks like another new work or an existing page."""
    records: list[Record] = []
    wheres: list[str] = []
    by_source: dict[tuple[str, str, str], int] = {}
    for slug in sorted(papers):
        page = papers[slug]
        sources = page.meta.get("sources")
        for source in sources if isinstance(sources, list) else []:
            if isinstance(source, dict):
                by_source.setdefault(_place(source), len(records))
        records.append(record_from_meta(page.meta))
        wheres.append(page.path.as_posix() if page.path else f"content/papers/{slug}.md")
    new = [False] * len(records) + [True] * len(incoming)
    same: list[tuple[int, int]] = []
    for n, record in enumerate(incoming):
        if record.source is not None:  # imported before into a page whose title was corrected since
            place = (record.source.file, record.source.format, str(record.source.record))
            if place in by_source:
                same.append((len(records) + n, by_source[place]))
    groups = group_duplicates(records + incoming, wheres + [""] * len(incoming), new, same)
    return publish(config, groups, "litweave import")


def page_duplicates(config: Config, pages: list[Page]) -> list[Diagnostic]:
    """Warnings for groups of paper pages that look like one work (what `check` lists)."""
    papers = sorted((p for p in pages if p.kind == "paper"), key=lambda p: p.slug)
    records = [record_from_meta(p.meta) for p in papers]
    wheres = [p.path.as_posix() if p.path else f"content/papers/{p.slug}.md" for p in papers]
    return publish(config, group_duplicates(records, wheres), "litweave check")


def _place(source: dict[str, Any]) -> tuple[str, str, str]:
    return str(source.get("file")), str(source.get("format")), str(source.get("record"))


def publish(config: Config, groups: list[DuplicateGroup], command: str) -> list[Diagnostic]:
    """Write the report file (or remove a stale one) and give the lines for the terminal."""
    path = config.root / REPORT
    if not groups:
        path.unlink(missing_ok=True)
        return []
    write_text(path, report_text(groups, f"Possible duplicates found by `{command}`"))
    diagnostics = [
        Diagnostic("warning", summary_line(g), file=g.entries[-1].file, record=g.entries[-1].record)
        for g in groups[:SHOWN]
    ]
    more = f"; {len(groups) - SHOWN} more not shown here" if len(groups) > SHOWN else ""
    works = sum(len(g.entries) for g in groups)
    diagnostics.append(
        Diagnostic(
            "warning",
            f"{len(groups)} group(s) of possible duplicates ({works} works){more}; the full list is in {REPORT}",
            file=REPORT,
        )
    )
    return diagnostics
