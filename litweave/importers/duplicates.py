"""Possible duplicates grouped per work, and the report a person reads to act on them.

Pure: records (and where each comes from) in, groups and text out. `find_duplicates` links
records that are likely one work; here the links become one group per work — every record and
page of it listed once — rather than a line per pair, which for one title held by 13 records
would be 78 lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from litweave.importers.disjoint_sets import DisjointSets
from litweave.importers.identity import authors_agree, families, find_duplicates, first_family
from litweave.model import Record

SHOWN = 15
"""Groups printed on the terminal; the rest are only in the report file (a screenful in all)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One work in a group: a page, or incoming records that are one work among themselves."""

    title: str
    where: str
    """"content/papers/x.md", or "refs.ris record 3" (with " (+2 merged)" when records merged)."""
    first_author: str
    year: int | None
    doi: str
    file: str = ""
    """The file a warning about it names ('' for a page)."""
    record: int | None = None


@dataclass(slots=True)
class DuplicateGroup:
    """Works that are likely one: each entry is a page or a new work, none merged with another."""

    entries: list[Entry] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    """Why they look alike ("subtitle missing in one", "one word misspelt"…), strongest first."""
    members: list[list[int]] = field(default_factory=list)
    """The indices of the records of each entry, in the list given to `group_duplicates`."""


def group_duplicates(
    records: list[Record],
    wheres: list[str],
    new: list[bool] | None = None,
    same: list[tuple[int, int]] | None = None,
) -> list[DuplicateGroup]:
    """The groups of likely duplicates among `records`, in a stable order.

    `wheres[i]` names record i (a page path, or '' for an incoming record, named by its source).
    `new[i]` marks incoming records: a group is kept only when one of its works is made of new
    records alone (a re-import that only updates pages reports nothing). `same` joins records
    known to be one work by other means (a record and the page it was imported into before).
    """
    sure, links = find_duplicates(records)
    sets = DisjointSets(len(records))
    find = sets.find
    for group in sure:
        for i in group[1:]:
            sets.join(find(i), find(group[0]))
    for i, j in same or ():
        sets.join(find(i), find(j))
    work = [find(i) for i in range(len(records))]  # one work: sure or known the same
    # A group never holds two works whose first authors disagree: a record without authors
    # links to each of them, but does not make "Composer" and "Director" one work.
    firsts: dict[int, set[str]] = {}
    everyone: dict[int, set[str]] = {}
    for i, record in enumerate(records):
        firsts.setdefault(work[i], set()).update({first_family(record)} - {""})
        everyone.setdefault(work[i], set()).update(families(record))
    reasons: dict[tuple[int, int], str] = {}
    for i, j, reason in links:
        ri, rj = find(i), find(j)
        if ri == rj:
            if work[i] != work[j]:
                reasons[(i, j)] = reason
            continue
        if not authors_agree(firsts[ri], everyone[ri], firsts[rj], everyone[rj]):
            continue
        reasons[(i, j)] = reason
        sets.join(ri, rj)
        firsts[rj] |= firsts.pop(ri)
        everyone[rj] |= everyone.pop(ri)
    return _collect(records, wheres, new, work, find, reasons)


def _collect(
    records: list[Record],
    wheres: list[str],
    new: list[bool] | None,
    work: list[int],
    find: Callable[[int], int],
    reasons: dict[tuple[int, int], str],
) -> list[DuplicateGroup]:
    """Components of more than one work, each listing its works once."""
    components: dict[int, dict[int, list[int]]] = {}
    for i in range(len(records)):
        components.setdefault(find(i), {}).setdefault(work[i], []).append(i)
    why: dict[int, list[str]] = {}
    for (i, _), reason in sorted(reasons.items()):
        found = why.setdefault(find(i), [])
        if reason not in found:
            found.append(reason)
    groups: list[DuplicateGroup] = []
    for root, works in components.items():
        if len(works) < 2:
            continue
        if new is not None and not any(all(new[i] for i in members) for members in works.values()):
            continue
        entries = [_entry(records, wheres, members) for members in works.values()]
        groups.append(DuplicateGroup(entries, sorted(why.get(root, []), key=_strength), list(works.values())))
    return sorted(groups, key=lambda g: [(e.title.casefold(), e.where) for e in g.entries])


_REASONS = (
    "same title",
    "same title apart from spacing",
    "same title apart from small words",
    "same words in another order",
    "subtitle missing in one",
    "one word misspelt",
)


def _strength(reason: str) -> int:
    return _REASONS.index(reason) if reason in _REASONS else len(_REASONS)


def _entry(records: list[Record], wheres: list[str], members: list[int]) -> Entry:
    """A work as listed: its page if it has one, else its first record."""
    page = next((i for i in members if wheres[i]), None)
    first = members[0] if page is None else page
    record = records[first]
    where = wheres[first]
    if not where:
        where = f"{record.source.file} record {record.source.record}" if record.source else "an incoming record"
        if len(members) > 1:
            where += f" (+{len(members) - 1} merged)"
    author = ""
    if record.authors:
        author = record.authors[0].family or record.authors[0].literal
    source = record.source if not wheres[first] else None
    return Entry(
        title=record.title,
        where=where,
        first_author=author,
        year=record.year,
        doi=record.doi,
        file=source.file if source else wheres[first],
        record=source.record if source else None,
    )


def _short(title: str, width: int = 60) -> str:
    title = " ".join(title.split())
    return title if len(title) <= width else title[: width - 1] + "\u2026"


def summary_line(group: DuplicateGroup, listed: int = 3) -> str:
    """One line for the terminal: the reason, and the first works with where they are."""
    shown = "; ".join(f"{_short(e.title)!r} ({e.where})" for e in group.entries[:listed])
    more = len(group.entries) - listed
    tail = f"; and {more} more" if more > 0 else ""
    return f"possible duplicates ({group.reasons[0] if group.reasons else 'similar'}), not merged: {shown}{tail}"


def report_text(groups: list[DuplicateGroup], heading: str) -> str:
    """The full list, one block per group: what a person needs to decide and where to look."""
    works = sum(len(g.entries) for g in groups)
    lines = [
        f"# {heading}: {len(groups)} group(s), {works} works that look like duplicates of each other.",
        "# Each group lists pages and records likely to be one work that were not merged, because",
        "# no DOI, PMID or title + first author + year says so. Keep one page and move what matters",
        "# into it, or leave them apart: nothing is merged until you do.",
    ]
    for n, group in enumerate(groups, 1):
        lines.append("")
        lines.append(f"{n}. {', '.join(group.reasons) or 'similar titles'}")
        for e in group.entries:
            facts = ", ".join(x for x in (e.first_author, str(e.year) if e.year is not None else "", e.doi) if x)
            lines.append(f"   - {' '.join(e.title.split())}" + (f" [{facts}]" if facts else ""))
            lines.append(f"     {e.where}")
    return "\n".join(lines) + "\n"
