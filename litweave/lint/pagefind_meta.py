"""The files of a Pagefind search bundle that its loader fetches, read from the bundle itself.

A browser running the search page loads `pagefind.js` from the bundle's folder, which fetches
`pagefind-entry.json`; that names, per language, a metadata file (`pagefind.<hash>.pf_meta`) and
the WebAssembly (`wasm.<language>.pagefind`). The metadata lists by hash every index chunk
(`index/<hash>.pf_index`), filter (`filter/<hash>.pf_filter`) and page fragment
(`fragment/<hash>.pf_fragment`) a search may fetch (pagefind.js builds those URLs the same way).
The metadata is gzip-compressed CBOR behind a `pagefind_dcd` signature, read with the decoder the
build's search_order uses (pagefind_cbor.py). Pure.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Mapping

from litweave.pagefind_cbor import SIGNATURE, Unsupported, decode


class BundleError(ValueError):
    """A bundle file that cannot be read as Pagefind writes it."""


def entry_files(entry_json: bytes) -> list[str]:
    """Bundle-relative paths `pagefind-entry.json` makes the loader fetch: each language's
    metadata and WebAssembly."""
    try:
        entry = json.loads(entry_json)
        languages = entry["languages"]
        if not isinstance(languages, Mapping):
            raise TypeError("languages is not a mapping")
    except (ValueError, KeyError, TypeError) as exc:
        raise BundleError(f"pagefind-entry.json is not as Pagefind writes it: {exc}") from exc
    files = []
    for language, info in sorted(languages.items()):
        if not isinstance(info, Mapping) or not isinstance(info.get("hash"), str):
            raise BundleError(f"pagefind-entry.json: language {language!r} has no hash")
        files.append(f"pagefind.{info['hash']}.pf_meta")
        files.append(f"wasm.{info.get('wasm') or 'unknown'}.pagefind")
    return files


def meta_files(compressed: bytes) -> list[str]:
    """Bundle-relative paths of every fragment, index chunk and filter a `.pf_meta` lists."""
    try:
        data = gzip.decompress(compressed)
    except (OSError, EOFError, zlib.error) as exc:
        raise BundleError(f"metadata is not gzip-compressed: {exc}") from exc
    if not data.startswith(SIGNATURE):
        raise BundleError("metadata lacks Pagefind's signature")
    try:
        meta, _end = decode(data, len(SIGNATURE))
    except (IndexError, UnicodeDecodeError, RecursionError) as exc:
        raise BundleError(f"metadata cut short or garbled: {type(exc).__name__}") from exc
    except Unsupported as exc:
        raise BundleError(f"metadata uses CBOR this reader does not know: {exc}") from exc
    if not isinstance(meta, list) or len(meta) < 4 or not all(isinstance(x, list) for x in meta[1:4]):
        raise BundleError("metadata is not laid out as [version, pages, index chunks, filters, …]")
    files = []
    for row in meta[1]:  # pages: [hash, word count]
        if isinstance(row, list) and row and isinstance(row[0], str):
            files.append(f"fragment/{row[0]}.pf_fragment")
    for row in meta[2]:  # index chunks: [from, to, hash]
        if isinstance(row, list) and len(row) >= 3 and isinstance(row[2], str):
            files.append(f"index/{row[2]}.pf_index")
    for row in meta[3]:  # filters: [name, hash]
        if isinstance(row, list) and len(row) >= 2 and isinstance(row[1], str):
            files.append(f"filter/{row[1]}.pf_filter")
    return files
