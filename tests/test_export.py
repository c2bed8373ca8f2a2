"""Export: CSL-JSON round trip through the importer, BibTeX and RIS read back."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from litweave.exporters.bibtex import to_bibtex
from litweave.exporters.csljson import to_csl_json
from litweave.exporters.ris import to_ris
from litweave.importers import PARSERS

DATA = Path(__file__).parent / "data"
COMPARED = (
    "title",
    "type",
    "authors",
    "editors",
    "container_title",
    "year",
    "date",
    "volume",
    "issue",
    "pages",
    "publisher",
    "doi",
    "pmid",
    "url",
    "abstract",
    "keywords",
)


def sample_records():  # type: ignore[no-untyped-def]
    records = []
    for fmt, name in (
        ("ris", "ris/sample.ris"),
        ("bibtex", "bibtex/sample.bib"),
        ("medline", "medline/sample.nbib"),
        ("csljson", "csljson/sample.json"),
    ):
        text = (DATA / name).read_bytes().decode("utf-8-sig")
        records += PARSERS[fmt](text, name).records
    return records


def fields(record):  # type: ignore[no-untyped-def]
    return {k: getattr(record, k) for k in COMPARED}


def test_csl_json_round_trip_gives_the_same_fields() -> None:
    records = sample_records()
    text = json.dumps(to_csl_json(records), ensure_ascii=False)
    back = PARSERS["csljson"](text, "export.json").records
    assert len(back) == len(records) > 5
    for a, b in zip(records, back, strict=True):
        assert fields(a) == fields(b)


def test_export_is_deterministic_with_unique_ids() -> None:
    records = sample_records()
    first = to_csl_json(records)
    assert first == to_csl_json([replace(r) for r in records])
    ids = [item["id"] for item in first]
    assert len(set(ids)) == len(ids)
    assert all(list(item) == sorted(item) for item in first)


def test_bibtex_and_ris_read_back() -> None:
    records = sample_records()
    for fmt, text in (("bibtex", to_bibtex(records)), ("ris", to_ris(records))):
        back = PARSERS[fmt](text, f"export.{fmt}").records
        assert [r.title for r in back] == [r.title for r in records], fmt
        assert [r.doi for r in back] == [r.doi for r in records], fmt
        assert [r.year for r in back] == [r.year for r in records], fmt
        assert [[p.family or p.literal for p in r.authors] for r in back] == [
            [p.family or p.literal for p in r.authors] for r in records
        ], fmt
