"""Citation keys and keyword lists shared by the exporters: deterministic, unique in one export.

A record keeps the key it was imported with (`Record.citekey`: a BibTeX key, a meaningful RIS ID
or CSL id), so that a paper's existing `\\cite{}` commands still resolve; a page imported before
keys were kept has its BibTeX key in `extra: {ID: …}`, which counts too. Only a record without one
gets a generated key, "family + year + first long title word", and a generated key never takes
a kept one. Collisions get suffixes a, b, … in record order, so the same library (in the same
order, as the export sorts it) gives the same keys on every run.
"""

from __future__ import annotations

import re
import unicodedata

from litweave.importers.normalize import meaningful_citekey
from litweave.model import Record


def kept_key(record: Record) -> str:
    """The citation key the record came with, or ""."""
    return record.citekey.strip() or meaningful_citekey(record.extra.get("ID", ""))


def assign_keys(records: list[Record]) -> list[str]:
    """One unique key per record, in order: kept keys first, then generated ones for the rest."""
    taken: set[str] = set()
    keys = [_unique(kept, taken) if (kept := kept_key(r)) else "" for r in records]
    return [key or cite_key(r, taken) for key, r in zip(keys, records, strict=True)]


def _unique(base: str, taken: set[str]) -> str:
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}{chr(ord('a') + n - 2)}" if n < 28 else f"{base}{n}"
    taken.add(key)
    return key


def cite_key(record: Record, taken: set[str]) -> str:
    """A stable citation key: first author's family name + year + first title word, made unique."""
    first = record.authors[0] if record.authors else None
    name = (first.family or first.literal) if first else "anon"
    word = next((w for w in re.findall(r"\w+", record.title) if len(w) > 3), "")
    base = "".join(
        c for c in unicodedata.normalize("NFKD", f"{name}{record.year or ''}{word}") if c.isalnum() and c.isascii()
    )
    base = base[:1].lower() + base[1:] if base else "item"
    return _unique(base, taken)


def keyword_list(keywords: list[str]) -> str:
    """Keywords joined by ", ", or by "; " when one holds a comma ("Receptor, ErbB-2"); a lone
    keyword with a comma gets a trailing ";" so that readers split it on ";" too."""
    if any("," in k for k in keywords):
        return "; ".join(keywords) + (";" if len(keywords) == 1 else "")
    return ", ".join(keywords)
