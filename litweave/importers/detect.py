"""Format detection: which importer reads a file, judged from its content.

Takes decoded text (and optionally the file name), gives an importer name from
`litweave.importers.PARSERS` or None. Each format has a signature in the text; the extension
only breaks a tie when the text fits more than one format.
"""

from __future__ import annotations

import json
import re

_RIS_START = re.compile(r"^\s*TY\s{0,4}-", re.MULTILINE)
_RIS_TAG = re.compile(r"^[A-Z][A-Z0-9] {1,2}- ", re.MULTILINE)
_MEDLINE_PMID = re.compile(r"^PMID\s*-\s*\d", re.MULTILINE)
_MEDLINE_TAG = re.compile(
    r"^(OWN |STAT|FAU |DP  |JT  |TA  |PG  |LID |AID |PT  |PMID|PMC |PMCR|SO  |VI  |IP  )- ", re.MULTILINE
)
_REFER_TAG = re.compile(r"^%[0-9A-Z@!#$&()*+^|~\]\[<>?]\s", re.MULTILINE)
_BIBTEX_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)

_EXTENSIONS = {
    "ris": "ris",
    "nbib": "medline",
    "medline": "medline",
    "txt": "medline",
    "bib": "bibtex",
    "bibtex": "bibtex",
    "json": "csljson",
    "enw": "refer",
    "ref": "refer",
    "refer": "refer",
}


def detect_format(text: str, filename: str = "") -> str | None:
    """The importer name for `text`: csljson, ris, medline, refer or bibtex; None when none fits."""
    text = text.lstrip("\ufeff \t\r\n").replace("\r\n", "\n")
    if not text:
        return None
    candidates = [fmt for fmt, test in _TESTS if test(text)]
    if not candidates:
        return None
    ext = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    preferred = _EXTENSIONS.get(ext)
    if preferred in candidates:
        return preferred
    return candidates[0]


_CSL_KEYS = {"title", "type", "author", "issued", "id", "DOI"}


def _is_csljson(text: str) -> bool:
    if text[0] not in "[{":
        return False
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, a number too long, or nested too deeply
        return False
    if isinstance(data, dict):
        data = data.get("items", data.get("message", data))
        if isinstance(data, dict) and isinstance(data.get("items"), list):
            data = data["items"]
    if isinstance(data, list):  # an array of objects is CSL-JSON's shape, even with empty items
        items = [i for i in data if isinstance(i, dict)]
        return bool(items) and (len(items) == len(data) or any(_CSL_KEYS & set(i) for i in items))
    return isinstance(data, dict) and bool(_CSL_KEYS & set(data))


def _is_ris(text: str) -> bool:
    return bool(_RIS_START.search(text)) and len(_RIS_TAG.findall(text[:20000])) >= 2


def _is_medline(text: str) -> bool:
    head = text[:20000]
    if _MEDLINE_PMID.search(head):
        return True
    return len(set(m.group(1) for m in _MEDLINE_TAG.finditer(head))) >= 2 and not _RIS_START.search(head)


def _is_refer(text: str) -> bool:
    try:
        from litweave.importers.refer import looks_like
    except ImportError:  # the Refer importer may not offer a detector
        return len(_REFER_TAG.findall(text[:20000])) >= 2
    return bool(looks_like(text))


def _is_bibtex(text: str) -> bool:
    return bool(_BIBTEX_ENTRY.search(text))


_TESTS = (
    ("csljson", _is_csljson),
    ("ris", _is_ris),
    ("medline", _is_medline),
    ("refer", _is_refer),
    ("bibtex", _is_bibtex),
)
