"""Citation keys and keyword lists shared by the exporters: deterministic, unique in one export."""

from __future__ import annotations

import re
import unicodedata

from litweave.model import Record


def cite_key(record: Record, taken: set[str]) -> str:
    """A stable citation key: first author's family name + year + first title word, made unique."""
    first = record.authors[0] if record.authors else None
    name = (first.family or first.literal) if first else "anon"
    word = next((w for w in re.findall(r"\w+", record.title) if len(w) > 3), "")
    base = "".join(
        c for c in unicodedata.normalize("NFKD", f"{name}{record.year or ''}{word}") if c.isalnum() and c.isascii()
    )
    base = base[:1].lower() + base[1:] if base else "item"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}{chr(ord('a') + n - 2)}" if n < 28 else f"{base}{n}"
    taken.add(key)
    return key


def keyword_list(keywords: list[str]) -> str:
    """Keywords joined by ", ", or by "; " when one holds a comma ("Receptor, ErbB-2"); a lone
    keyword with a comma gets a trailing ";" so that readers split it on ";" too."""
    if any("," in k for k in keywords):
        return "; ".join(keywords) + (";" if len(keywords) == 1 else "")
    return ", ".join(keywords)
