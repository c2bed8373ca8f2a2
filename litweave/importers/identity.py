"""Identity of works: normalised DOIs, matching keys, merging and duplicate detection.

Pure: takes Records, gives keys, merged Records and groups of duplicates. The import command
uses it so that the same work from several files or formats becomes one page.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from litweave.fields import FIELDS, RICHER_ATTRS
from litweave.importers.finish import is_placeholder
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


def _first_family(record: Record) -> str:
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
        keys.append(f"tay:{title}|{_first_family(record)}|{record.year}")
    elif title:  # undated: title and first author must carry identity alone
        keys.append(f"ta:{title}|{_first_family(record)}")
    return keys


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
    merged.source = primary.source or other.source
    return merged


def _richer_people(a: list, b: list) -> list:  # type: ignore[type-arg]
    """The longer author list; with equal lengths, the one with fuller given names."""
    if len(b) != len(a):
        return list(b if len(b) > len(a) else a)
    weight_a = sum(len(p.given.replace(".", "").replace(" ", "")) for p in a)
    weight_b = sum(len(p.given.replace(".", "").replace(" ", "")) for p in b)
    return list(b if weight_b > weight_a else a)


SIMILAR = 0.85
"""Share of the longer title's distinct words the shorter one must have for "similar titles"."""
_MIN_WORDS = 4


def _min_overlap(size: int) -> int:
    """The fewest shared words that make a title of `size` distinct words similar to another."""
    return next(o for o in range(size + 1) if o / size >= SIMILAR)


def candidate_title_pairs(word_sets: list[frozenset[str]]) -> list[tuple[int, int]]:
    """Pairs (x, y), x < y, that could reach SIMILAR overlap; every pair that does is among them.

    Prefix filtering: order each title's words rarest first (by how many titles hold them). Two
    titles sharing at least t words must share one among the first n − t + 1 words of each, so
    only titles meeting in such a prefix are paired, and only when their sizes are close enough.
    Rare words make small blocks, so the work grows about linearly with the number of titles
    instead of with its square.
    """
    frequency: dict[str, int] = {}
    for words in word_sets:
        for word in words:
            frequency[word] = frequency.get(word, 0) + 1
    index: dict[str, list[int]] = {}
    pairs: list[tuple[int, int]] = []
    sizes = [len(words) for words in word_sets]
    largest = max(sizes, default=0)
    # close[a][b]: sizes a and b are close enough; the same division as ever, done once per pair of sizes
    close = [
        [min(a, b) / max(a, b) >= SIMILAR if a and b else False for b in range(largest + 1)] for a in range(largest + 1)
    ]
    for y, words in enumerate(word_sets):
        size = sizes[y]
        if size < _MIN_WORDS:
            continue
        prefix = sorted(words, key=lambda w: (frequency[w], w))[: size - _min_overlap(size) + 1]
        seen: set[int] = set()
        near = close[size]
        for word in prefix:
            for x in index.get(word, ()):
                if x not in seen and near[sizes[x]]:
                    seen.add(x)
                    pairs.append((x, y))
            index.setdefault(word, []).append(y)
    return sorted(pairs)


def similar_title_pairs(titles: list[str]) -> list[tuple[int, int]]:
    """Pairs (x, y), x < y, of normalised titles sharing SIMILAR of the longer one's distinct words."""
    word_sets = [frozenset(t.split()) for t in titles]
    similar = []
    for x, y in candidate_title_pairs(word_sets):
        w1, w2 = word_sets[x], word_sets[y]
        if len(w1 & w2) / max(len(w1), len(w2)) >= SIMILAR:
            similar.append((x, y))
    return similar


def find_duplicates(records: list[Record]) -> tuple[list[list[int]], list[tuple[int, int, str]]]:
    """Groups of indices that are one work, and likely-but-uncertain pairs with the reason.

    Sure: a shared DOI, PMID or title+first-author+year key (records with different DOIs are
    never merged). Uncertain: the same normalised title with a different year or first author,
    or titles that differ only slightly (SIMILAR of the longer one's distinct words shared, found
    by `similar_title_pairs` without comparing every pair of titles).
    """
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

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
                parent[ri] = rj
                members[rj].extend(members.pop(ri))
            else:
                owner[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(records)):
        groups.setdefault(find(i), []).append(i)
    sure = sorted(g for g in groups.values() if len(g) > 1)
    uncertain: list[tuple[int, int, str]] = []
    by_title: dict[str, list[int]] = {}
    for i, record in enumerate(records):
        title = _norm_title(record.title)
        if len(title) >= 10:
            by_title.setdefault(title, []).append(i)
    for indices in by_title.values():
        for x, i in enumerate(indices):
            for j in indices[x + 1 :]:
                if find(i) != find(j):
                    uncertain.append((i, j, "same title, different year or first author"))
    titles = sorted(by_title)
    for x, y in similar_title_pairs(titles):
        for i in by_title[titles[x]]:
            for j in by_title[titles[y]]:
                if find(i) != find(j):
                    uncertain.append((min(i, j), max(i, j), "similar titles"))
    return sure, sorted(set(uncertain))
