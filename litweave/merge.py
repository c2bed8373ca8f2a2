"""Three-way merge of a page's front matter on re-import: base (what the last import wrote),
ours (the page as the reader left it) and theirs (what the source says now).

Pure: plain mappings in, a mapping and a list of conflicts out. Values are compared, never
interpreted, so nothing a source sends can run or change meaning here.

Per field: the same on both sides, or only the reader changed it (edited, added or deleted) ->
the reader's; only the source changed it -> the source's; both changed it differently -> a
conflict, settled by `prefer` ("ours" keeps the reader's, "theirs" takes the source's). A field
the source no longer carries is never removed from the page: a second source that lacks an
abstract says nothing about the abstract.
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
    """A field both the reader and the source changed, to different values."""

    field: str
    """The key; a key inside a mapping field is written `extra.key`."""
    ours: Any
    """The reader's value (MISSING when the reader deleted the field)."""
    theirs: Any
    """The source's new value."""
    base: Any
    """What the last import wrote (MISSING when it wrote nothing there)."""


@dataclass(slots=True)
class MergeResult:
    """A merged mapping and the conflicts met on the way."""

    merged: dict[str, Any]
    """The reader's keys in the reader's order, then keys the source adds, in its order."""
    conflicts: list[Conflict] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)
    """Fields whose value came from the source (changed or added), in merged order."""


def _same(a: Any, b: Any) -> bool:
    # type matters: True == 1 and 1 == 1.0 in Python, not on a page
    return type(a) is type(b) and a == b


def _field(name: str, base: Any, ours: Any, theirs: Any, prefer: Prefer, result: MergeResult) -> Any:
    """The merged value of one field (MISSING: not on the page)."""
    if theirs is MISSING or _same(ours, theirs) or _same(base, theirs):
        return ours  # the source says nothing new here
    if _same(base, ours):
        result.applied.append(name)
        return theirs  # only the source changed it
    if type(ours) is dict and type(theirs) is dict and (base is MISSING or type(base) is dict):
        inner = three_way(base if base is not MISSING else {}, ours, theirs, prefer)
        result.conflicts.extend(Conflict(f"{name}.{c.field}", c.ours, c.theirs, c.base) for c in inner.conflicts)
        result.applied.extend(f"{name}.{k}" for k in inner.applied)
        return inner.merged
    result.conflicts.append(Conflict(name, ours, theirs, base))
    if prefer == "theirs":
        result.applied.append(name)
        return theirs
    return ours


def three_way(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any], prefer: Prefer = "ours"
) -> MergeResult:
    """Merge `theirs` into `ours` given their common `base`; see the module docstring."""
    result = MergeResult({})
    for key, mine in ours.items():
        value = _field(key, base.get(key, MISSING), mine, theirs.get(key, MISSING), prefer, result)
        if value is not MISSING:
            result.merged[key] = value
    for key, value in theirs.items():
        if key in ours:
            continue
        value = _field(key, base.get(key, MISSING), MISSING, value, prefer, result)
        if value is not MISSING:
            result.merged[key] = value
    return result


def next_base(base: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """The base to keep after merging `theirs`: what the source says now, and for fields it no
    longer carries, what was known before (so a later source that brings them back is compared
    with the right value)."""
    kept = {k: v for k, v in base.items() if k not in theirs}
    return {**theirs, **kept}


def two_way_base(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """The base that makes `three_way` behave as the merge did before bases were kept: every
    value on the page counts as the reader's, the source only adds fields the page lacks."""
    base: dict[str, Any] = {}
    for key, value in theirs.items():
        if key not in ours:
            continue
        mine = ours[key]
        base[key] = two_way_base(mine, value) if type(mine) is dict and type(value) is dict else value
    return base
