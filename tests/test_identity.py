"""Identity of works: DOI normalisation, keys, merging and duplicate detection."""

from __future__ import annotations

import itertools
import random
import time

from litweave.importers.identity import (
    SIMILAR,
    candidate_title_pairs,
    find_duplicates,
    merge_records,
    normalize_doi,
    similar_title_pairs,
    work_keys,
)
from litweave.model import Person, Record, Source


def rec(title: str, year: int | None = 2012, **kw: object) -> Record:
    return Record(title=title, year=year, authors=[Person(family="Nahta", given="Rita")], **kw)  # type: ignore[arg-type]


def test_normalize_doi() -> None:
    assert normalize_doi("https://doi.org/10.1155/2012/ABC") == "10.1155/2012/abc"
    assert normalize_doi("doi: 10.1000/X.") == "10.1000/x"
    assert normalize_doi("not a doi") == ""


def test_work_keys() -> None:
    keys = work_keys(rec("The Title!", doi="DOI:10.1000/A", pmid="123"))
    assert keys == ["doi:10.1000/a", "pmid:123", "tay:the title|nahta|2012"]


def test_merge_keeps_richest_values_and_primary_source() -> None:
    a = rec("T", doi="10.1000/a", abstract="short", source=Source("a.ris", "ris", 1))
    b = rec("T", pmid="99", abstract="a much longer abstract", pages="1\u20139", source=Source("b.nbib", "medline", 2))
    b.authors = [Person(family="Nahta", given="R.")]
    merged = merge_records(a, b)
    assert (merged.doi, merged.pmid, merged.abstract, merged.pages) == (
        "10.1000/a",
        "99",
        "a much longer abstract",
        "1\u20139",
    )
    assert merged.authors == [Person(family="Nahta", given="Rita")]
    assert merged.source == Source("a.ris", "ris", 1)


def test_find_duplicates_sure_and_uncertain() -> None:
    records = [
        rec("Trastuzumab resistance mechanisms", doi="10.1000/x"),
        rec("Other title entirely", doi="https://doi.org/10.1000/X"),
        rec("Trastuzumab resistance mechanisms", year=2013),
        rec("IGF-IR signalling in HER2 positive breast cancer"),
        rec("IGF-IR signalling in HER2 positive breast cancer cells"),
    ]
    groups, uncertain = find_duplicates(records)
    assert groups == [[0, 1]]
    assert (0, 2, "same title, different year or first author") in uncertain
    assert (3, 4, "similar titles") in uncertain


def test_different_dois_are_never_merged() -> None:
    groups, _ = find_duplicates([rec("Same title here", doi="10.1000/a"), rec("Same title here", doi="10.1000/b")])
    assert groups == []


def synthetic_titles(n: int, seed: int) -> list[str]:
    """Titles of 5–16 words drawn from a 5,000-word vocabulary with Zipf-like frequencies."""
    rng = random.Random(seed)
    vocabulary = [f"word{i}" for i in range(5000)]
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary))))
    return [" ".join(rng.choices(vocabulary, cum_weights=cumulative, k=rng.randint(5, 16))) for _ in range(n)]


def brute_similar(titles: list[str]) -> list[tuple[int, int]]:
    words = [frozenset(t.split()) for t in titles]
    return [
        (x, y)
        for x, y in itertools.combinations(range(len(titles)), 2)
        if min(len(words[x]), len(words[y])) >= 4
        and len(words[x] & words[y]) / max(len(words[x]), len(words[y])) >= SIMILAR
    ]


def test_similar_title_pairs_equal_comparing_every_pair() -> None:
    rng = random.Random(3)
    found = 0
    for seed in range(10):
        titles = synthetic_titles(200, seed)
        for title in titles[:40]:  # near duplicates: one word added, or one of many dropped
            words = title.split()
            titles.append(" ".join(words + [rng.choice(words)]))
            titles.append(" ".join(words + ["extra"]))
            titles.append(" ".join(words[:-1]))
        titles = sorted(set(titles))
        expected = brute_similar(titles)
        assert similar_title_pairs(titles) == expected
        found += len(expected)
    assert found > 100  # the check saw real similar pairs, not only empty lists


def test_duplicate_detection_scales_to_many_records() -> None:
    titles = sorted(set(synthetic_titles(20_000, seed=11)))
    words = [frozenset(t.split()) for t in titles]
    candidates = candidate_title_pairs(words)
    # Comparing every pair would be about 2 × 10⁸ comparisons; blocking keeps a few per title.
    assert len(candidates) < 10 * len(titles)

    records = [Record(title=t, year=1990 + i % 30, authors=[Person(family=f"Author{i}")]) for i, t in enumerate(titles)]
    long = next(i for i, w in enumerate(words) if len(w) >= 10)  # one added word keeps 10/11 shared
    records.append(Record(title=titles[long] + " revisited", year=2024, authors=[Person(family="Someone")]))
    started = time.perf_counter()
    groups, uncertain = find_duplicates(records)
    assert time.perf_counter() - started < 10
    assert groups == []
    assert (long, len(records) - 1, "similar titles") in uncertain
