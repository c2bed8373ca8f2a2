"""The merge of a page's front matter on re-import, against the base of the source being imported.

Pure: plain mappings in, a mapping and a list of conflicts out. Values are compared, never
interpreted, so nothing a source sends can run or change meaning here.

A page can be fed by several sources (a PubMed record and a Zotero export of the same paper),
which disagree on small things (a trailing period, "M. J." against "M J"). Each source has its
own base: what that source gave the last time (`mergebase.py`). Beside them the page keeps what
the imports wrote to it (`written`), which is how a reader's edit is told from a value another
source put there. Per field:

- the source says what it said last time -> nothing changes (so alternating imports of two
  disagreeing sources never flip a field);
- the source changed it and the reader did not edit it -> the source's new value;
- the reader edited it (the page differs from what the imports wrote) and the source changed it
  to something else -> a conflict, settled by `prefer` ("ours" keeps the reader's, "theirs" takes
  the source's; None keeps the reader's and the conflict stays open);
- a source new to the page fills only fields that are empty (neither on the page nor written
  there before, so a field the reader deleted stays deleted); where it disagrees with a value
  the reader did not edit, the page's value stands, and where it disagrees with the reader's
  edit, that is a conflict;
- the page already says what the source says -> agreed: from then on the value counts as written.

A field the source no longer carries is never removed from the page: a second source that lacks
an abstract says nothing about the abstract. Mappings (`extra`) merge key by key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Prefer = Literal["ours", "theirs"]


class _Missing:
    """The absence of a key, distinct from every value (None included)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()


@dataclass(frozen=True, slots=True)
class Conflict:
    """A field the reader edited and a source changed, to different values."""

    field: str
    """The key; a key inside a mapping field is written `extra.key`."""
    ours: Any
    """The reader's value (MISSING when the reader deleted the field)."""
    theirs: Any
    """The source's new value."""
    base: Any
    """What this source gave last time (MISSING when it gave nothing there, or is new to the page)."""


@dataclass(slots=True)
class MergeResult:
    """A merged mapping, what the imports have now written, and the conflicts met on the way."""

    merged: dict[str, Any]
    """The reader's keys in the reader's order, then keys the source adds, in its order."""
    written: dict[str, Any] = field(default_factory=dict)
    """What the imports have written to the page after this merge (the `written` given, updated
    where the source's value was taken or agreed with)."""
    conflicts: list[Conflict] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)
    """Fields whose value came from the source (changed or added), in merged order."""


def _same(a: Any, b: Any) -> bool:
    # type matters: True == 1 and 1 == 1.0 in Python, not on a page
    return type(a) is type(b) and a == b


def _field(
    name: str, written: Any, base: Any, ours: Any, theirs: Any, new: bool, prefer: Prefer, result: MergeResult
) -> tuple[Any, Any]:
    """The merged value of one field and what is written there afterwards (MISSING: absent)."""
    if theirs is MISSING or (not new and _same(base, theirs)):
        return ours, written  # the source says nothing new here
    if _same(ours, theirs):
        return ours, theirs  # agreed
    edited = not _same(ours, written)
    if type(ours) is dict and type(theirs) is dict and (edited or new):
        if (written is MISSING or type(written) is dict) and (base is MISSING or type(base) is dict):
            inner = merge_source(
                written if written is not MISSING else {},
                ours,
                theirs,
                None if new else (base if base is not MISSING else {}),
                prefer,
            )
            result.conflicts.extend(Conflict(f"{name}.{c.field}", c.ours, c.theirs, c.base) for c in inner.conflicts)
            result.applied.extend(f"{name}.{k}" for k in inner.applied)
            return inner.merged, inner.written
    if not edited:
        if new and ours is not MISSING:
            return ours, written  # a new source fills only what is empty
        result.applied.append(name)
        return theirs, theirs
    result.conflicts.append(Conflict(name, ours, theirs, base))
    if prefer == "theirs":
        result.applied.append(name)
        return theirs, theirs
    return ours, written


def merge_source(
    written: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    base: dict[str, Any] | None,
    prefer: Prefer = "ours",
) -> MergeResult:
    """Merge one source's values `theirs` into the page `ours`; see the module docstring.

    `written`: what the imports wrote to the page; `base`: what this source gave last time, or
    None for a source new to the page."""
    result = MergeResult({}, dict(written))
    new = base is None
    source_base = base or {}

    def one(key: str, mine: Any, value: Any) -> None:
        merged, now = _field(
            key, written.get(key, MISSING), source_base.get(key, MISSING), mine, value, new, prefer, result
        )
        if merged is not MISSING:
            result.merged[key] = merged
        if now is MISSING:
            result.written.pop(key, None)
        else:
            result.written[key] = now

    for key, mine in ours.items():
        one(key, mine, theirs.get(key, MISSING))
    for key, value in theirs.items():
        if key not in ours:
            one(key, MISSING, value)
    return result


def three_way(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any], prefer: Prefer = "ours"
) -> MergeResult:
    """The merge of a page with one source whose base is also all the page was ever given."""
    return merge_source(base, ours, theirs, base, prefer)


def next_base(base: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """A source's base after an import of `theirs`: what it says now, and for fields it no longer
    carries, what it said before (so that bringing one back unchanged is no change)."""
    kept = {k: v for k, v in base.items() if k not in theirs}
    return {**theirs, **kept}


def two_way_base(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """The base that makes a merge behave as it did before bases were kept: every value on the
    page counts as the reader's, the source only adds fields the page lacks."""
    base: dict[str, Any] = {}
    for key, value in theirs.items():
        if key not in ours:
            continue
        mine = ours[key]
        base[key] = two_way_base(mine, value) if type(mine) is dict and type(value) is dict else value
    return base


def base_after(
    base: dict[str, Any] | None, theirs: dict[str, Any], conflicts: list[Conflict], prefer: Prefer | None
) -> dict[str, Any]:
    """The source's base to keep: what it says now, except where a conflict was left unsettled,
    which keeps its old base so that it is reported again, and `--theirs` can still take it."""
    old = base or {}
    after = next_base(old, theirs)
    if prefer is None:
        for top in {c.field.split(".")[0] for c in conflicts}:
            if top in old:
                after[top] = old[top]
            else:
                after.pop(top, None)
    return after
