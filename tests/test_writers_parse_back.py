"""Every file litweave writes parses back to what was written: one property per writer, each over
the hostile texts of `plain_values`, and each failure once found kept as an explicit example.

Writers (found by `write_text`, `write_bytes`, `json.dump` and `atomic` in litweave/): pages
(`render_page`, `patch_front_matter`, read fast by `read_rendered`), merge bases (`render_base`,
built on `dump_fields`), draft mechanism pages (`suggest --write`), the build manifest, the build
cache (pickles), graph.json, the settings file `init` writes, and the exports
(tests/test_export_parse_back.py).
"""

from __future__ import annotations

import json
import pickle
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from plain_values import LONG_LINES, MERGE_BASES, MERGE_VALUES, PAGE_META, PLAIN_VALUES, TEXTS

from litweave.build.cache import PageCache, load_items, save_items
from litweave.build.staging import tree_dir
from litweave.build.writer import MANIFEST, Manifest
from litweave.commands.init import settings_file
from litweave.frontmatter import dump_fields, patch_front_matter, read_rendered, render_page, split_front_matter
from litweave.mechanisms.matcher import build_matcher
from litweave.mechanisms.suggest import Candidate, draft_page
from litweave.mergebase import PageBase, SourceBase, SourceRef, parse_base, render_base
from litweave.model import Mechanism, Page, Reference
from litweave.references import read_references_text, render_references
from litweave.site.graph import build_graph
from litweave.site.graph_json import graph_data, graph_json_chunks

PROPERTY = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BODIES = st.sampled_from(["", "Notes.\n", "\n\nMy [[HER2]] notes\n---\nmore\n", "...\n"])
_LOADER = yaml.CSafeLoader


# --- pages


@PROPERTY
@given(PAGE_META, BODIES)
@example({"abstract": "\n", "title": "T"}, "")  # `...` after a `|2+` value (a merge base could not be read)
@example({"abstract": "\n\u2028", "k": "x"}, "")  # `...` after U+2028, which YAML reads as a line break
@example({"title": LONG_LINES[0], "abstract": LONG_LINES[1], "note": LONG_LINES[2]}, "Body.\n")
def test_a_page_parses_back_and_the_fast_reader_agrees(meta: dict[str, Any], body: str) -> None:
    text = render_page(meta, body)
    read, rest = split_front_matter(text)
    assert read == meta
    assert rest == (body.strip("\n") + "\n" if body.strip() else "")  # the blank line after `---` is the page's
    fast = read_rendered(text)
    assert fast is None or fast == (read, rest)


@PROPERTY
@given(st.dictionaries(TEXTS, PLAIN_VALUES, min_size=1, max_size=6))
@example({"abstract": "\n", "title": "T"})  # ended with `...`: the next field began a second document
@example({"": "\n", "0": ""})
@example({"\u2029--- x\n": "\n\u2028"})
def test_fields_dumped_one_after_the_other_parse_back_with_more_after_them(values: dict[str, Any]) -> None:
    text = dump_fields(values)
    assert yaml.load(text, Loader=_LOADER) == values
    # a file of fields goes on after them (a merge base's next field, a page's closing `---`)
    assert yaml.load(text + "zz-after: 1\n", Loader=_LOADER) == {**values, "zz-after": 1}


@PROPERTY
@given(PAGE_META, PAGE_META, st.data())
@example({"\n\u2028\u2028": ""}, {}, None)  # YAML's line numbers and the file's differed: IndexError
@example({"abstract": "a\u2028b\nc\n", "tags": ["x"]}, {"tags": ["y"]}, None)
def test_a_patched_page_parses_back_to_the_new_values(
    old: dict[str, Any], update: dict[str, Any], data: st.DataObject | None
) -> None:
    new = {**old, **update}
    if data is not None and old:
        for key in data.draw(st.sets(st.sampled_from(sorted(old, key=repr)))):
            new.pop(key, None)
    text = render_page(old, "Body.\n")
    patched = patch_front_matter(text, old, new, imported=list(old))
    if patched is not None:  # None: the page is written whole instead (and the reader told)
        assert split_front_matter(patched) == (new, "Body.\n")


def test_a_value_with_a_line_break_yaml_alone_sees_is_escaped_so_the_page_can_be_patched() -> None:
    old = {"title": "T", "abstract": "First\u2028second\nthird\n", "year": 2001}
    text = render_page(old, "")
    assert "\u2028" not in text and "\\L" in text
    new = {**old, "year": 2002}
    patched = patch_front_matter(text, old, new, imported=list(old))
    assert patched == text.replace("year: 2001", "year: 2002")


# --- merge bases (the property the lead extends with the base's new fields: MERGE_BASES)


@PROPERTY
@given(MERGE_BASES, st.from_regex(r"[a-z0-9]+(-[a-z0-9]+){0,4}", fullmatch=True))
@example(PageBase({"abstract": "\n", "title": "T"}, [SourceBase(SourceRef("ris", "a.ris", "doi:1"), {})]), "t")
@example(
    PageBase({"title": "x"}, [SourceBase(SourceRef("ris", "--- source: x", "key:\n---"), {"extra": {"a": "\n"}})]),
    "lu-2001",
)
@example(PageBase({"abstract": LONG_LINES[1]}, [SourceBase(SourceRef("bibtex", "b", "key:k", 3), {})]), "long")
def test_a_merge_base_parses_back(base: PageBase, slug: str) -> None:
    loaded = parse_base(slug, render_base(slug, base))
    assert loaded.problem == ""
    assert loaded.base == base


@PROPERTY
@given(MERGE_VALUES, st.from_regex(r"[a-z0-9]+", fullmatch=True))
@example({"abstract": "\n", "title": "T"}, "t")  # the failure the merge property met now and then
def test_a_version_1_merge_base_is_still_read(values: dict[str, Any], slug: str) -> None:
    header = (
        f"# litweave merge base 1 for papers/{slug}.md: the values the last import wrote.\n"
        "# Written by `litweave import`; commit it with the page, do not edit it.\n"
    )
    loaded = parse_base(slug, header + (dump_fields(values) if values else "{}\n"))
    assert loaded.problem == "" and loaded.base is not None
    assert (loaded.base.written, loaded.base.legacy) == (values, True)


# --- draft mechanism pages (`suggest --write`)


@PROPERTY
@given(TEXTS, TEXTS, TEXTS)
@example("TGF-β", "a: b", "...")
@example("x", "\n...\n", "---")
def test_a_draft_mechanism_page_parses_back(short: str, long: str, sentence: str) -> None:
    _slug, text = draft_page(Candidate(short, long, ("a",), sentence))
    meta, _body = split_front_matter(text)
    assert meta == {"title": short, "aliases": [long], "kind": "draft"}


# --- the settings file `init` writes


@PROPERTY
@given(TEXTS)
@example("a\x7fb")  # DEL, which JSON leaves as it is and TOML refuses: the file did not load
@example('"""\n[x]\ntitle = 1')
def test_the_settings_file_init_writes_parses_back(title: str) -> None:
    assert tomllib.loads(settings_file(title))["title"] == title


# --- the build manifest


@PROPERTY
@given(
    st.dictionaries(TEXTS, st.tuples(TEXTS, TEXTS), max_size=5),
    TEXTS,
    TEXTS,
    st.lists(st.lists(TEXTS | st.integers() | st.none(), max_size=5), max_size=3),
)
def test_the_build_manifest_parses_back(
    tmp_path_factory: pytest.TempPathFactory,
    files: dict[str, tuple[str, str]],
    base_url: str,
    inputs: str,
    diagnostics: list[list[object]],
) -> None:
    out = tmp_path_factory.mktemp("manifest") / "site"
    written = Manifest(files, base_url, inputs, diagnostics)
    written.stage(out)
    assert Manifest.read(tree_dir(out)) == written  # the next site, where the build writes it
    assert (tree_dir(out) / MANIFEST).read_bytes().endswith(b"\n")


# --- the build cache


PAGES = st.builds(
    lambda kind, slug, meta, body: Page(kind, slug, meta, body, Path(f"content/{slug}.md")),
    st.sampled_from(["paper", "author", "mechanism", "page"]),
    st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True),
    PAGE_META,
    TEXTS,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(TEXTS, st.tuples(TEXTS, PAGES), max_size=6), st.dictionaries(TEXTS, TEXTS, max_size=5))
def test_the_build_cache_reads_back_what_it_saved(
    tmp_path_factory: pytest.TempPathFactory, entries: dict[str, tuple[str, Page]], items: dict[str, str]
) -> None:
    root = tmp_path_factory.mktemp("cache")
    cache = PageCache.open(root, "v1", [])
    for rel, (digest, page) in entries.items():
        cache.put(rel, digest, page)
    cache.save(forget_unseen=True)
    again = PageCache.open(root, "v1", notices := [])
    assert {rel: again.get(rel, digest) for rel, (digest, _page) in entries.items()} == {
        rel: page for rel, (_digest, page) in entries.items()
    }
    assert notices == []
    save_items(root, "site", "salt", items)
    assert load_items(root, "site", "salt") == items


def test_a_cached_page_is_pickled_whole() -> None:
    page = Page("paper", "x", {"title": "...", "abstract": "\n"}, "---\n", Path("content/papers/x.md"))
    assert pickle.loads(pickle.dumps(page)) == page


# --- graph.json


def _paper(slug: str, meta: dict[str, Any]) -> Page:
    return Page("paper", slug, meta, "", Path(f"content/papers/{slug}.md"))


_PAPER_META = st.fixed_dictionaries(
    {"title": TEXTS},
    optional={
        "authors": st.lists(TEXTS, max_size=3),
        "year": st.integers(1000, 2100),
        "doi": TEXTS,
        "tags": st.lists(TEXTS, max_size=3),
        "status": st.sampled_from(["to-read", "reading", "read"]) | TEXTS,
        "rating": st.integers(0, 6),
        "abstract": TEXTS,
    },
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PAPER_META, min_size=1, max_size=5), st.integers(1, 3))
@example([{"title": "HER2\u2028...", "authors": ["O'Brien, Pat", "\u0085"], "tags": ["#x", ": "]}], 1)
def test_graph_json_parses_back(metas: list[dict[str, Any]], per_chunk: int) -> None:
    mechanisms = [Mechanism("her2", "HER2", ("ERBB2",))]
    pages = [_paper(f"p{i}", meta) for i, meta in enumerate(metas)]
    graph, _ = build_graph(pages, mechanisms, build_matcher(mechanisms))
    data = b"".join(graph_json_chunks(graph, lines_per_chunk=per_chunk))
    assert json.loads(data.decode("utf-8")) == json.loads(json.dumps(graph_data(graph)))


# --- references files (content/references/<slug>.yaml)


@PROPERTY
@given(st.lists(st.builds(Reference, *([TEXTS] * 10)), max_size=5), TEXTS)
@example([Reference(key="\u2028", unstructured="...\n---")], "a\u2028b.json")
def test_a_references_file_parses_back(references: list[Reference], file: str) -> None:
    loaded = read_references_text(render_references("p", "csljson", file, references))
    assert loaded is not None and loaded.problem == "" and not loaded.edited
    assert (loaded.format, loaded.file) == ("csljson", file)
    # a reference of empty fields only is written as {} and read back as one of empty fields
    assert loaded.references == references
