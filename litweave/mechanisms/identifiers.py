"""Resolver links for a mechanism's identifiers (HGNC, UniProt, ChEBI, DrugBank, MeSH…). Pure."""

from __future__ import annotations

import re
import urllib.parse

_ID_URLS: dict[str, tuple[re.Pattern[str], str]] = {
    "hgnc": (re.compile(r"(HGNC:)?\d+"), "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:{id}"),
    "hgnc-symbol": (
        re.compile(r"[A-Z0-9][A-Za-z0-9\-@._]*"),
        "https://www.genenames.org/data/gene-symbol-report/#!/symbol/{id}",
    ),
    "uniprot": (
        re.compile(r"[OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9]([A-Z][A-Z0-9]{2}[0-9]){1,2}"),
        "https://www.uniprot.org/uniprotkb/{id}/entry",
    ),
    "chebi": (re.compile(r"(CHEBI:)?\d+", re.IGNORECASE), "https://www.ebi.ac.uk/chebi/searchId.do?chebiId=CHEBI:{id}"),
    "drugbank": (re.compile(r"DB\d{5}"), "https://go.drugbank.com/drugs/{id}"),
    "mesh": (re.compile(r"[DC]\d{6,9}"), "https://meshb.nlm.nih.gov/record/ui?ui={id}"),
    "ncbi gene": (re.compile(r"\d+"), "https://www.ncbi.nlm.nih.gov/gene/{id}"),
    "chembl": (re.compile(r"CHEMBL\d+"), "https://www.ebi.ac.uk/chembl/explore/compound/{id}"),
}
_SCHEME_ALIASES = {"ncbigene": "ncbi gene", "entrez": "ncbi gene", "entrez gene": "ncbi gene", "gene": "ncbi gene"}


def identifier_url(scheme: str, ident: str) -> str | None:
    """The resolver URL for an identifier, or None for an unknown scheme or a malformed id.

    Schemes (any case): HGNC (symbol or numeric id), UniProt, ChEBI, DrugBank, MeSH, NCBI Gene,
    ChEMBL.
    """
    key = " ".join(scheme.casefold().replace("_", " ").split())
    key = _SCHEME_ALIASES.get(key, key)
    ident = ident.strip()
    if key == "hgnc" and not _ID_URLS["hgnc"][0].fullmatch(ident):
        key = "hgnc-symbol"
    entry = _ID_URLS.get(key)
    if entry is None or not entry[0].fullmatch(ident):
        return None
    if key in ("hgnc", "chebi"):
        ident = ident.split(":")[-1]
    return entry[1].format(id=urllib.parse.quote(ident, safe=""))
