"""Pagefind's bundle made byte-identical from run to run.

Pagefind 1.x writes each filter's values, and the meta file's list of filters and sorts, in the
order of a Rust hash map, which is seeded anew on every run: two runs over the same pages give
different filter files, and so a different meta file and entry that name them by hash. This puts
them in a fixed order (by name and value) and names the rewritten files by a hash of their new
bytes, so the same pages always give the same bundle. The files are gzip-compressed CBOR after
a `pagefind_dcd` signature; only the small part of CBOR they use is read and written here, and
every file is checked to read back to its own bytes first: a bundle in any other shape (another
Pagefind version) is left exactly as Pagefind wrote it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from litweave.pagefind_cbor import SIGNATURE, Unsupported, decode, encode


def read(path: Path) -> object:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise Unsupported(f"{path.name}: no {SIGNATURE!r} signature")
    body = data[len(SIGNATURE) :]
    value, end = decode(body)
    if end != len(body) or encode(value) != body:
        raise Unsupported(f"{path.name}: does not read back to its own bytes")
    return value


def write(path: Path, value: object) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + encode(value), compresslevel=9, mtime=0))


def _name(lang: str, value: object, digits: int) -> str:
    return f"{lang}_{hashlib.blake2b(encode(value), digest_size=8).hexdigest()[:digits]}"


def _key(item: object) -> str:
    return str(item[0]) if isinstance(item, list) and item else ""


def settle(bundle: Path) -> bool:
    """Put a Pagefind bundle's filters in a fixed order, renaming the files that change; False
    (and the bundle untouched) when its files are not in the shape this module knows."""
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        plan = [_settle_language(bundle, lang, info["hash"]) for lang, info in entry["languages"].items()]
    except (OSError, ValueError, KeyError, TypeError, IndexError, Unsupported):
        return False
    for lang, (meta_hash, meta, filters) in zip(entry["languages"], plan, strict=True):
        for old, (new, value) in filters.items():
            (bundle / "filter" / f"{old}.pf_filter").unlink()
            write(bundle / "filter" / f"{new}.pf_filter", value)
        (bundle / f"pagefind.{entry['languages'][lang]['hash']}.pf_meta").unlink()
        write(bundle / f"pagefind.{meta_hash}.pf_meta", meta)
        entry["languages"][lang]["hash"] = meta_hash
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    entry_path.write_text(text, encoding="utf-8")
    return True


def _settle_language(bundle: Path, lang: str, meta_hash: str) -> tuple[str, object, dict[str, tuple[str, object]]]:
    """The new meta (its name and value) and filter files (old name → new name, value) of one language."""
    meta = read(bundle / f"pagefind.{meta_hash}.pf_meta")
    if not isinstance(meta, list) or len(meta) < 5 or not all(isinstance(x, list) for x in meta[3:5]):
        raise Unsupported("meta file of another shape")
    filters: dict[str, tuple[str, object]] = {}
    for pair in meta[3]:
        name, old = pair
        value = read(bundle / "filter" / f"{old}.pf_filter")
        if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], list)):
            raise Unsupported("filter file of another shape")
        value[1].sort(key=_key)
        new = _name(lang, value, len(old) - len(lang) - 1)
        filters[old] = (new, value)
        pair[1] = new
    meta[3].sort(key=_key)
    meta[4].sort(key=_key)
    return _name(lang, meta, len(meta_hash) - len(lang) - 1), meta, filters
