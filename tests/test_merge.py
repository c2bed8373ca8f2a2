"""The three-way merge of front matter (laws, by example and by property) and the line-level
patch that writes its result without disturbing what the reader wrote."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from litweave.frontmatter import _field_value, patch_front_matter, split_front_matter
from litweave.merge import MISSING, three_way, two_way_base

BASE = {"title": "T", "journal": "J", "year": 2001, "abstract": "A"}


def test_only_the_source_changed_takes_the_source() -> None:
    result = three_way(BASE, dict(BASE), {**BASE, "journal": "J2"})
    assert result.merged["journal"] == "J2" and not result.conflicts and result.applied == ["journal"]


def test_only_the_reader_changed_keeps_the_reader() -> None:
    result = three_way(BASE, {**BASE, "journal": "Mine"}, dict(BASE))
    assert result.merged["journal"] == "Mine" and not result.conflicts


def test_both_changed_keeps_the_reader_and_reports() -> None:
    result = three_way(BASE, {**BASE, "journal": "Mine"}, {**BASE, "journal": "J2"})
    assert result.merged["journal"] == "Mine"
    [conflict] = result.conflicts
    assert (conflict.field, conflict.ours, conflict.theirs, conflict.base) == ("journal", "Mine", "J2", "J")


def test_a_deleted_field_stays_deleted_unless_the_source_changes_it() -> None:
    ours = {k: v for k, v in BASE.items() if k != "abstract"}
    assert "abstract" not in three_way(BASE, ours, dict(BASE)).merged
    changed = three_way(BASE, ours, {**BASE, "abstract": "A2"})
    assert "abstract" not in changed.merged
    assert changed.conflicts[0].ours is MISSING and changed.conflicts[0].theirs == "A2"
    assert three_way(BASE, ours, {**BASE, "abstract": "A2"}, prefer="theirs").merged["abstract"] == "A2"


def test_theirs_and_ours_settle_conflicts() -> None:
    ours, theirs = {**BASE, "year": 2002}, {**BASE, "year": 2003}
    assert three_way(BASE, ours, theirs, prefer="theirs").merged["year"] == 2003
    assert three_way(BASE, ours, theirs, prefer="ours").merged["year"] == 2002


def test_a_field_the_source_no_longer_carries_is_never_removed() -> None:
    theirs = {k: v for k, v in BASE.items() if k != "abstract"}
    assert three_way(BASE, dict(BASE), theirs).merged["abstract"] == "A"


def test_new_fields_come_after_the_readers_in_the_sources_order() -> None:
    ours = {"status": "read", **BASE}
    result = three_way(BASE, ours, {**BASE, "volume": "9", "issue": "2"})
    assert list(result.merged) == ["status", *BASE, "volume", "issue"]


def test_types_are_compared_not_just_values() -> None:
    result = three_way({"year": 2001}, {"year": 2001}, {"year": "2001"})
    assert result.merged["year"] == "2001"  # a source that changes the type changed the value


def test_mappings_merge_key_by_key() -> None:
    base = {"extra": {"a": "1", "b": "2"}}
    result = three_way(base, {"extra": {"a": "mine", "b": "2"}}, {"extra": {"a": "1", "b": "3", "c": "4"}})
    assert result.merged["extra"] == {"a": "mine", "b": "3", "c": "4"} and not result.conflicts


def test_two_way_base_keeps_every_page_value_and_adds_new_fields() -> None:
    ours = {"title": "Mine", "extra": {"a": "x"}}
    theirs = {"title": "T", "journal": "J", "extra": {"a": "y", "b": "z"}}
    result = three_way(two_way_base(ours, theirs), ours, theirs)
    assert result.merged == {"title": "Mine", "extra": {"a": "x", "b": "z"}, "journal": "J"}
    assert not result.conflicts


# ---------------------------------------------------------------------------------------------
# Properties

_KEYS = st.sampled_from(["title", "journal", "year", "abstract", "tags", "doi", "note", "extra"])
_SCALARS = st.one_of(st.text(max_size=8), st.integers(-5, 3000), st.none(), st.booleans())
_VALUES = st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3))
_MAPS = st.dictionaries(_KEYS, _VALUES, max_size=6)


@given(_MAPS, _MAPS)
def test_property_an_unchanged_source_is_the_identity(base: dict[str, Any], ours: dict[str, Any]) -> None:
    for prefer in ("ours", "theirs"):
        result = three_way(base, ours, dict(base), prefer=prefer)  # type: ignore[arg-type]
        assert result.merged == ours and list(result.merged) == list(ours) and not result.conflicts


@given(_MAPS, _MAPS, _MAPS)
def test_property_a_readers_edit_always_survives(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]):
    result = three_way(base, ours, theirs)
    for key in set(base) | set(ours):
        if key in ours and (key not in base or base[key] != ours[key] or type(base[key]) is not type(ours[key])):
            assert result.merged[key] == ours[key]
        if key in base and key not in ours:
            assert key not in result.merged  # a deletion is an edit too


@given(_MAPS, _MAPS)
def test_property_source_only_changes_are_applied(base: dict[str, Any], theirs: dict[str, Any]) -> None:
    result = three_way(base, dict(base), theirs)
    assert not result.conflicts
    assert result.merged == {**base, **theirs}


@given(_MAPS, _MAPS, _MAPS)
def test_property_theirs_and_ours_laws(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    kept = three_way(base, ours, theirs, prefer="ours")
    taken = three_way(base, ours, theirs, prefer="theirs")
    assert kept.merged == three_way(base, ours, theirs).merged
    assert [c.field for c in kept.conflicts] == [c.field for c in taken.conflicts]
    for key, value in theirs.items():
        if key not in base or not _same(base[key], value):  # the source changed it: theirs wins
            assert _same(taken.merged.get(key, MISSING), value)
    # merging twice changes nothing more: the merged page is the new "ours"
    again = three_way({**base, **theirs}, taken.merged, theirs, prefer="theirs")
    assert again.merged == taken.merged and not again.conflicts


@given(_MAPS, _MAPS)
def test_property_merging_is_idempotent(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    first = three_way({}, ours, theirs)
    assert three_way({**theirs}, first.merged, theirs).merged == first.merged


# ---------------------------------------------------------------------------------------------
# The line-level patch

PAGE = """---
title: Insulin-like growth factor-I receptor signaling  # as printed
authors: [Yuhong Lu, Xiaolin Zi]
# TODO check the second author's initials
year: 2012  # checked against the PDF
journal: 'Journal of the National Cancer Institute'
abstract: |
  First line.
  Second line.

sources:
- {file: refs.enw, format: refer, record: 1}
status: read   # finished in March
tags:
  - igf
  - "her2"
rating: 5
---

My notes: **important**.
"""


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


def _meta(text: str) -> dict[str, Any]:
    return split_front_matter(text)[0]


def test_patch_changes_only_the_changed_fields_lines() -> None:
    old = _meta(PAGE)
    new = {**old, "year": 2013, "abstract": "A corrected abstract.", "volume": "93", "issue": "24"}
    patched = patch_front_matter(PAGE, old, new, imported=["title", "authors", "year", "abstract", "sources"])
    assert patched is not None and _meta(patched) == new
    assert "year: 2013  # checked against the PDF\n" in patched
    assert "# TODO check the second author's initials\nyear" in patched
    assert "abstract: A corrected abstract.\n\nsources:" in patched
    assert "- {file: refs.enw, format: refer, record: 1}\nvolume: '93'\nissue: '24'\nstatus: read" in patched
    unchanged = [line for line in PAGE.splitlines() if not line.startswith(("year", "abstract", "  First", "  Second"))]
    assert all(line in patched.splitlines() for line in unchanged)
    assert patched.endswith("---\n\nMy notes: **important**.\n")


def test_patch_of_a_block_list_replaces_its_lines_only() -> None:
    old = _meta(PAGE)
    new = {**old, "sources": [*old["sources"], {"file": "b.ris", "format": "ris", "record": 3}]}
    patched = patch_front_matter(PAGE, old, new)
    assert patched is not None and _meta(patched) == new
    assert patched == PAGE.replace("record: 1}\n", "record: 1}\n- {file: b.ris, format: ris, record: 3}\n")


def test_patch_refuses_what_it_cannot_follow() -> None:
    flow = "---\n{title: T, year: 2001}\n---\n"
    assert patch_front_matter(flow, {"title": "T", "year": 2001}, {"title": "T", "year": 2002}) is None
    assert patch_front_matter("no front matter\n", {}, {"title": "T"}) is None


_FIELD_NAMES = st.sampled_from(["title", "journal", "year", "volume", "abstract", "status", "tags", "note"])
_FIELD_VALUES = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20),
    st.integers(0, 3000),
    st.lists(st.text(alphabet="abc xyz-:#'", max_size=6), max_size=3),
    st.sampled_from(["a\nmultiline\nvalue\n", "two\nlines"]),
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_FIELD_NAMES, _FIELD_VALUES, min_size=1, max_size=6), st.data())
def test_property_patch_keeps_every_line_of_unchanged_fields(old: dict[str, Any], data: st.DataObject) -> None:
    # the reader's page: every field as the import writes it, each followed by a comment line
    old["sources"] = [{"file": "a.enw", "format": "refer", "record": 1}]
    commented = "---\n" + "".join(f"{k}:{_field_value(v)}# note\n" for k, v in old.items()) + "---\n\nBody.\n"
    assert _meta(commented) == old
    changed = data.draw(st.sets(st.sampled_from(sorted(k for k in old if k != "sources"))))
    new = dict(old)
    for key in changed:
        new[key] = data.draw(_FIELD_VALUES)
    added = data.draw(st.dictionaries(st.sampled_from(["doi", "pmid", "issue"]), _FIELD_VALUES, max_size=2))
    new.update(added)
    patched = patch_front_matter(commented, old, new, imported=list(old))
    assert patched is not None
    assert _meta(patched) == new
    assert patched.count("# note\n") == commented.count("# note\n")
    assert patched.endswith("---\n\nBody.\n")
    for key, value in old.items():
        if key not in changed or _same(new[key], value):  # an unchanged field keeps its lines
            assert f"\n{key}:{_field_value(value)}" in patched
