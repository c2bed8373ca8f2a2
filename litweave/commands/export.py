"""`litweave export`: the whole knowledge base as CSL-JSON, BibTeX or RIS.

The I/O edge of `outputs.export`: reads the paper pages (the reader's corrections included, since
the pages are the truth), and writes one file atomically or to standard output.
"""

from __future__ import annotations

import json
from pathlib import Path

from litweave.atomic import write_text
from litweave.config import Config
from litweave.content import load_content
from litweave.exporters.bibtex import to_bibtex
from litweave.exporters.csljson import to_csl_json
from litweave.exporters.ris import to_ris
from litweave.frontmatter import record_from_meta
from litweave.model import Diagnostic, Record

FORMATS = ("csl-json", "bibtex", "ris")


def knowledge_base_records(config: Config) -> tuple[list[Record], list[Diagnostic]]:
    """Every paper of the knowledge base as a Record, in slug order."""
    pages, diagnostics = load_content(config.content, config.root)
    papers = sorted((p for p in pages if p.kind == "paper"), key=lambda p: p.slug)
    return [record_from_meta(p.meta) for p in papers], diagnostics


def export_text(records: list[Record], fmt: str) -> str:
    if fmt == "csl-json":
        return json.dumps(to_csl_json(records), ensure_ascii=False, indent=2) + "\n"
    if fmt == "bibtex":
        return to_bibtex(records)
    if fmt == "ris":
        return to_ris(records)
    raise ValueError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}")


def export(config: Config, fmt: str, out: Path | None) -> tuple[str, int, list[Diagnostic]]:
    """Export to `out` (atomically) or return the text when `out` is None."""
    records, diagnostics = knowledge_base_records(config)
    text = export_text(records, fmt)
    if out is not None:
        write_text(out, text)
    return text, len(records), diagnostics
