"""How the search index is split so that a small change re-indexes a small part of the site.

Pagefind has no incremental mode: every run reads every page it is given. So the indexed pages
are dealt into shards by a hash of their path, each shard its own Pagefind bundle, and a build
runs Pagefind only for the shards whose pages changed — one note edited at 5,000 papers
re-indexes one shard of about 650 pages instead of all of them. The search page loads the first
bundle and merges the others into it (Pagefind's `mergeIndex`): one WebAssembly module, one
result list, the filters of all of them.

The number of shards is a power of two that grows with the library, so a library crossing a
size re-deals its pages once (a whole re-index, as before), and otherwise every page keeps its
shard. Shards are alike in size and make-up (the hash spreads papers evenly), so the scores the
shards give are comparable when their results are merged.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

PAGES_PER_SHARD = 1000
"""Roughly how many pages a shard holds at most (about a second of Pagefind's time)."""
MAX_SHARDS = 32
"""Beyond this a search would fetch too many small files per word; shards grow instead."""
SHARDS_FILE = "shards.json"
"""In the first bundle: where the search page finds the other bundles to merge."""

_SECONDARY = re.compile(r"s(\d+)/")
_MERGED_KEEPS = re.compile(r"(pagefind-entry\.json|[^/]+\.pf_meta|(index|fragment|filter)/.+)")


def shard_count(pages: int, per_shard: int = PAGES_PER_SHARD) -> int:
    """The smallest power of two that keeps shards at `per_shard` pages or fewer, capped."""
    count = 1
    while count < MAX_SHARDS and count * per_shard < pages:
        count *= 2
    return count


def shard_of(path: str, count: int) -> int:
    """The shard of a page: stable for a given count, whatever else is in the library."""
    digest = hashlib.blake2b(path.encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "big") % count


def deal(paths: Iterable[str], count: int) -> dict[int, list[str]]:
    """Shard number → its pages (sorted), for the shards that have any."""
    shards: dict[int, list[str]] = {}
    for path in sorted(paths):
        shards.setdefault(shard_of(path, count), []).append(path)
    return dict(sorted(shards.items()))


def location(shard: int, primary: int) -> str:
    """The bundle's folder inside the search bundle: the primary at its top, the others in sN/."""
    return "" if shard == primary else f"s{shard}/"


def location_of(bundle_path: str) -> str:
    """The bundle folder (as `location` gives it) that a file of the search bundle belongs to;
    the shards file belongs to none ("-")."""
    if bundle_path == SHARDS_FILE:
        return "-"
    match = _SECONDARY.match(bundle_path)
    return match.group(0) if match else ""


def kept_in_merged(name: str) -> bool:
    """Whether a file of a merged (not primary) bundle is needed: its index, not a second copy
    of Pagefind's scripts, styles and WebAssembly, which the search page loads from the primary."""
    return _MERGED_KEEPS.fullmatch(name) is not None
