"""Dealing the search index into shards (litweave/build/search_shards.py): stable, even, and
growing by doubling."""

from __future__ import annotations

from collections import Counter

from litweave.build.search_shards import (
    MAX_SHARDS,
    deal,
    kept_in_merged,
    location,
    location_of,
    shard_count,
    shard_of,
)


def test_the_shard_count_doubles_with_the_library_and_stops_at_the_cap() -> None:
    assert shard_count(0, 1000) == shard_count(1000, 1000) == 1
    assert shard_count(1001, 1000) == 2
    assert shard_count(5215, 1000) == 8
    assert shard_count(10**7, 1000) == MAX_SHARDS
    counts = [shard_count(n, 1000) for n in range(0, 200_000, 997)]
    assert counts == sorted(counts) and all(c & (c - 1) == 0 for c in counts)


def test_a_page_keeps_its_shard_whatever_else_is_in_the_library() -> None:
    pages = [f"papers/p{i}/index.html" for i in range(3000)]
    alone = {p: shard_of(p, 8) for p in pages[:10]}
    dealt = deal(pages, 8)
    assert all(p in dealt[alone[p]] for p in alone)
    # doubling splits a shard in two: a page of shard k goes to k or k + count
    assert all(shard_of(p, 16) in (shard_of(p, 8), shard_of(p, 8) + 8) for p in pages)


def test_shards_are_even() -> None:
    pages = [f"papers/paper-{i}/index.html" for i in range(8000)]
    sizes = Counter(shard_of(p, 8) for p in pages)
    assert len(sizes) == 8 and max(sizes.values()) < 1.15 * min(sizes.values())


def test_bundle_files_are_told_apart_by_folder() -> None:
    assert location(3, primary=0) == "s3/" and location(0, primary=0) == ""
    assert location_of("s3/index/en_1.pf_index") == "s3/" and location_of("pagefind-ui.js") == ""
    assert location_of("index/en_1.pf_index") == "" and location_of("shards.json") == "-"
    assert kept_in_merged("pagefind-entry.json") and kept_in_merged("fragment/en_1.pf_fragment")
    assert kept_in_merged("pagefind.en_12ab.pf_meta") and kept_in_merged("filter/en_1.pf_filter")
    assert not kept_in_merged("pagefind.js") and not kept_in_merged("wasm.en.pagefind")
    assert not kept_in_merged("pagefind-ui.css")
