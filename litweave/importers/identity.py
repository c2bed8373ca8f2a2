"""Identity of works: normalised DOIs, matching keys, merging and duplicate detection.

Pure: takes Records, gives keys, merged Records and groups of duplicates. The import command
uses it so that the same work from several files or formats becomes one page.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from litweave.fields import FIELDS, RICHER_ATTRS
from litweave.importers.disjoint_sets import DisjointSets
from litweave.importers.finish import is_placeholder
from litweave.importers.titles import shape, similar_title_pairs, typo_close
from litweave.model import Record

_DOI_PREFIX = re.compile(
    r"^(?:(?:https?://)?(?:dx\.)?(?:www\.)?doi\.org/|doi:\s*|doi\s+|info:doi/|urn:doi:)", re.IGNORECASE
)


@lru_cache(maxsize=1 << 17)
def normalize_doi(s: str) -> str:
    """Lower-case DOI without `doi:`, `https://doi.org/` or similar prefixes; '' if none.

    Cached: pages and records are compared by DOI many times in one import."""
    s = s.strip()
    while True:
        stripped = _DOI_PREFIX.sub("", s).strip()
        if stripped == s:
            break
        s = stripped
    m = re.search(r"10\.\d{4,9}/\S+", s)
    if not m:
        return ""
    doi = m.group(0).rstrip(".,;")
    doi = re.sub(r"%2F", "/", doi, flags=re.IGNORECASE)
    return doi.casefold()


_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=1 << 17)
def _norm_title(title: str) -> str:
    """Case, diacritics and punctuation folded away. Cached: every record's title is keyed several
    times in one import (duplicates, page index, page match)."""
    if title.isascii():  # NFKD leaves ASCII as it is and no ASCII character is combining
        kept = title.casefold()
    else:
        decomposed = unicodedata.normalize("NFKD", title)
        kept = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_NON_WORD.sub(" ", kept).split())


def first_family(record: Record) -> str:
    """The first author's family name (or corporate name) folded, spaces removed; '' if none."""
    if not record.authors:
        return ""
    first = record.authors[0]
    return _norm_title(first.family or first.literal).replace(" ", "")


def work_keys(record: Record) -> list[str]:
    """Keys under which two records are the same work: doi:…, pmid:…, and title+author+year."""
    keys = []
    doi = normalize_doi(record.doi) if record.doi else ""
    if doi:
        keys.append(f"doi:{doi}")
    if record.pmid.strip():
        keys.append(f"pmid:{record.pmid.strip()}")
    # a placeholder ("[Untitled] Nature, 2012, Smith") says nothing of which work it is
    title = "" if is_placeholder(record.title) else _norm_title(record.title)
    if title and record.year is not None:
        keys.append(f"tay:{title}|{first_family(record)}|{record.year}")
    elif title:  # undated: title and first author must carry identity alone
        keys.append(f"ta:{title}|{first_family(record)}")
    return keys


def source_id(record: Record, fields: dict[str, Any]) -> str:
    """A record's identity within its source file, which survives the file being exported again
    in another order: its citation key, else its PMID or DOI, else a digest of its fields
    (`fields`: the record as front matter, provenance left out), so that even a record with no
    title, author or identifier is found again by a second import of the same file."""
    if record.citekey.strip():
        return f"key:{record.citekey.strip()}"
    if record.pmid.strip():
        return f"pmid:{record.pmid.strip()}"
    doi = normalize_doi(record.doi) if record.doi else ""
    if doi:
        return f"doi:{doi}"
    # a placeholder title names the record's position, which is no part of what it is
    kept = {k: v for k, v in fields.items() if k != "sources" and not (k == "title" and is_placeholder(str(v)))}
    text = json.dumps(kept, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return "sha:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def conflicting(a: Record, b: Record) -> bool:
    """Two records that cannot be one work whatever else they share: different DOIs or PMIDs."""
    doi_a, doi_b = normalize_doi(a.doi), normalize_doi(b.doi)
    if doi_a and doi_b and doi_a != doi_b:
        return True
    pmid_a, pmid_b = a.pmid.strip(), b.pmid.strip()
    return bool(pmid_a and pmid_b and pmid_a != pmid_b)


def _richer(a: str, b: str) -> str:
    """The value carrying more: the longer text, ties keep the first."""
    return b if len(b.strip()) > len(a.strip()) else a


_PEOPLE_ATTRS = tuple(f.attr for f in FIELDS if f.kind == "people")


def merge_records(primary: Record, other: Record) -> Record:
    """One Record with the richest value of each field; `primary` wins ties and keeps its source."""
    merged = Record(title="", type=primary.type or other.type)
    for name in RICHER_ATTRS:
        setattr(merged, name, _richer(getattr(primary, name), getattr(other, name)))
    if merged.type == "article-journal" and other.type not in ("", "article-journal") and primary.source is None:
        merged.type = other.type
    merged.year = primary.year if primary.year is not None else other.year
    merged.date = primary.date
    if other.date and (
        not primary.date or (len(other.date) > len(primary.date) and other.date.startswith(primary.date))
    ):
        merged.date = other.date
    for name in _PEOPLE_ATTRS:  # authors, editors, translators…
        setattr(merged, name, _richer_people(getattr(primary, name), getattr(other, name)))
    merged.keywords = list(dict.fromkeys(primary.keywords + other.keywords))
    merged.extra = {**other.extra, **primary.extra}
    merged.unparsed = {**other.unparsed, **primary.unparsed}
    merged.citekey = primary.citekey or other.citekey
    merged.references = primary.references or other.references
    merged.source = primary.source or other.source
    return merged


def _richer_people(a: list, b: list) -> list:  # type: ignore[type-arg]
    """The longer author list; with equal lengths, the one with fuller given names."""
    if len(b) != len(a):
        return list(b if len(b) > len(a) else a)
    weight_a = sum(len(p.given.replace(".", "").replace(" ", "")) for p in a)
    weight_b = sum(len(p.given.replace(".", "").replace(" ", "")) for p in b)
    return list(b if weight_b > weight_a else a)


_MAX_COMPARED = 64
"""Records of one title (or of two similar titles) compared pairwise at most: past that, each
record is compared with the first ones only, which joins the same groups in linear time."""


def find_duplicates(records: list[Record], likely: bool = True) -> tuple[list[list[int]], list[tuple[int, int, str]]]:
    """Groups of indices that are one work, and links between groups that are likely one work.

    Sure: a shared DOI, PMID or title+first-author+year key (records with different DOIs are
    never merged). Likely (`(i, j, reason)`, i < j): titles that `titles.compare` finds to be one
    work written differently, between records that no DOI or PMID tells apart and whose first
    authors agree (the year may differ: online and print, a reprint).
    The links connect every group of likely duplicates but are not every pair of it: a title
    held by thousands of records gives thousands of links, not millions. `likely=False` skips
    them (an import merges by the sure groups and reports the likely ones with the pages).
    """
    find, sure = _sure_groups(records)
    if not likely:
        return sure, []
    by_title: dict[str, list[int]] = {}
    for i, record in enumerate(records):
        title = "" if is_placeholder(record.title) else _norm_title(record.title)
        if len(title) >= 10 and sum(1 for w in title.split() if not w.isdigit()) >= 2:  # not "0011-21/0012-22"
            by_title.setdefault(title, []).append(i)
    links: set[tuple[int, int, str]] = set()
    for indices in by_title.values():
        _link(records, indices, indices, "same title", find, links)
    titles = sorted(by_title)
    shown = [records[by_title[t][0]].title for t in titles]  # punctuation and case mark subtitles and symbols
    for x, y, reason in similar_title_pairs(shown):
        _link(records, by_title[titles[x]], by_title[titles[y]], reason, find, links)
    return sure, sorted(links)


def _sure_groups(records: list[Record]) -> tuple[Callable[[int], int], list[list[int]]]:
    """Union-find over the work keys: the root of each record, and the groups of more than one."""
    sets = DisjointSets(len(records))
    find = sets.find
    # Every member of a group is checked, not only the one holding the key, so a chain of shared
    # keys never joins two records with different DOIs or PMIDs.
    members: dict[int, list[int]] = {i: [i] for i in range(len(records))}
    owner: dict[str, int] = {}
    for i, record in enumerate(records):
        for key in work_keys(record):
            if key in owner:
                ri, rj = find(i), find(owner[key])
                if ri == rj or any(conflicting(records[x], records[y]) for x in members[ri] for y in members[rj]):
                    continue
                sets.join(ri, rj)
                members[rj].extend(members.pop(ri))
            else:
                owner[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(records)):
        groups.setdefault(find(i), []).append(i)
    return find, sorted(g for g in groups.values() if len(g) > 1)


def _link(
    records: list[Record],
    xs: list[int],
    ys: list[int],
    reason: str,
    find: Callable[[int], int],
    links: set[tuple[int, int, str]],
) -> None:
    """Add a link for each pair of `xs` × `ys` (the first _MAX_COMPARED of `xs`) likely one work."""
    for i in xs[:_MAX_COMPARED]:
        for j in ys:
            if i == j or (xs is ys and j < i) or find(i) == find(j):
                continue
            a, b = records[i], records[j]
            if not conflicting(a, b) and _corroborated(a, b):
                links.add((min(i, j), max(i, j), reason))


def _corroborated(a: Record, b: Record) -> bool:
    """Whether the first authors let two records with one title stand for one work (`authors_agree`).

    Without this, two works that happen to share a title ("Book Title", or a common phrasing)
    would be reported as one. A title of fewer than four content words ("Lorem Ipsum") is too
    common to stand for a work without authors: a record without any then says nothing for it."""
    if (not a.authors or not b.authors) and len(shape(a.title).content) < 4:
        return False
    return authors_agree({first_family(a)} - {""}, families(a), {first_family(b)} - {""}, families(b))


def authors_agree(firsts_a: set[str], all_a: set[str], firsts_b: set[str], all_b: set[str]) -> bool:
    """Every first author of one side agrees with every first author of the other: their family
    names fold alike or are one typo apart, or one is among the other side's authors (an author
    list in another order). A side with no authors contradicts nothing."""
    return all(fa == fb or typo_close(fa, fb) or fa in all_b or fb in all_a for fa in firsts_a for fb in firsts_b)


def families(record: Record) -> set[str]:
    """Folded family names of all of a record's authors."""
    return {_norm_title(p.family or p.literal).replace(" ", "") for p in record.authors}
