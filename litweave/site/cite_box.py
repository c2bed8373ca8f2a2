"""The Cite box of a paper page and the export files next to it and for the whole library.

The box holds an APA and a Vancouver reference (`cite_format`), BibTeX and RIS from the
exporters, the reference-manager metadata of the page head (`citation_meta`), and links to the
paper's own .bib and .ris files. All of it is a function of the record, so it is built only when
the page renders and the page's fingerprint (the paper's digest) covers it. Pure.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from urllib.parse import quote

from markupsafe import Markup

from litweave.exporters.bibtex import to_bibtex
from litweave.exporters.csljson import to_csl_json
from litweave.exporters.ris import to_ris
from litweave.model import Record
from litweave.site.citation_meta import highwire_tags, jsonld
from litweave.site.cite_format import apa, vancouver
from litweave.urls import download_rel, library_rel


def pmcid(record: Record) -> str:
    """The PubMed Central id ("PMC1234567") a record carries: MEDLINE's `PMC` field, or `pmcid`."""
    for key in ("PMC", "pmcid", "PMCID", "PMCID:"):
        value = record.extra.get(key, "").strip()
        if value:
            value = value.split()[0]
            return value if value.upper().startswith("PMC") else f"PMC{value}"
    return ""


def cite_box(
    slug: str, record: Record, page_url: str, link: Callable[[str], str], absolute_url: str = "", bibkey: str = ""
) -> dict[str, object]:
    """The page's Cite box, downloads, outside links and head metadata, as view values; `bibkey`
    is the paper's BibTeX key in the library (graph.bibkeys), so all three agree.
    `link` makes a site-relative path into the URL a browser follows (litweave/urls.py);
    `absolute_url` is the page's full URL when the site's URL is known, else ""."""
    pmc = pmcid(record)
    return {
        "citation_meta": highwire_tags(record, absolute_url or page_url),
        "jsonld": Markup(jsonld(record, absolute_url)),
        "cite": {
            "apa": Markup(apa(record)),
            "vancouver": Markup(vancouver(record)),
            "bibtex": to_bibtex([record], [bibkey] if bibkey else None).strip(),
            "ris": to_ris([record]).strip(),
            "bib_url": link(quote(download_rel(slug, "bib"))),
            "ris_url": link(quote(download_rel(slug, "ris"))),
        },
        "pubmed_url": f"https://pubmed.ncbi.nlm.nih.gov/{quote(record.pmid)}/" if record.pmid.isdigit() else "",
        "pmcid": pmc,
        "pmc_url": f"https://www.ncbi.nlm.nih.gov/pmc/articles/{quote(pmc)}/" if pmc[3:].isdigit() else "",
    }


def paper_exports(slug: str, record: Record, bibkey: str = "") -> list[tuple[str, Callable[[], Iterator[bytes]]]]:
    """The paper's own .bib and .ris files, next to its page (`bibkey`: its key in the library)."""
    keys = [bibkey] if bibkey else None
    return [
        (download_rel(slug, "bib"), lambda: iter([to_bibtex([record], keys).encode("utf-8")])),
        (download_rel(slug, "ris"), lambda: iter([to_ris([record]).encode("utf-8")])),
    ]


def library_exports(records: list[Record]) -> list[tuple[str, Callable[[], Iterator[bytes]]]]:
    """The whole library as BibTeX, RIS and CSL-JSON (without full-text excerpts: a citation
    library, not an archive)."""

    def csl() -> Iterator[bytes]:
        items = to_csl_json([dataclasses.replace(r, fulltext="") for r in records])
        yield json.dumps(items, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"

    return [
        (library_rel("library.bib"), lambda: iter([to_bibtex(records).encode("utf-8")])),
        (library_rel("library.ris"), lambda: iter([to_ris(records).encode("utf-8")])),
        (library_rel("library.json"), csl),
    ]
