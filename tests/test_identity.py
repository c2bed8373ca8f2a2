"""Identity of works: DOI normalisation, keys, merging and duplicate detection."""

from __future__ import annotations

import itertools
import random
import time

from litweave.importers.identity import find_duplicates, merge_records, normalize_doi, work_keys
from litweave.importers.titles import compare, shape, similar_title_pairs
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


def test_find_duplicates_sure_and_likely() -> None:
    records = [
        rec("Trastuzumab resistance mechanisms", doi="10.1000/x"),
        rec("Other title entirely", doi="https://doi.org/10.1000/X"),
        rec("Trastuzumab resistance mechanisms", year=2013),
        rec("IGF-IR signalling in HER2 positive breast cancer"),
        rec("IGF-IR signaling in HER2-positive breast cancer", year=2013),
        rec("IGF-IR signalling in HER3 positive breast cancer", year=2014),
    ]
    groups, likely = find_duplicates(records)
    assert groups == [[0, 1]]
    assert likely == [(0, 2, "same title"), (3, 4, "one word misspelt")]  # HER3 is another work
    assert find_duplicates(records, likely=False) == (groups, [])


def test_different_dois_are_never_merged_nor_reported() -> None:
    groups, likely = find_duplicates(
        [rec("Same title here and now", doi="10.1000/a"), rec("Same title here and now", doi="10.1000/b")]
    )
    assert (groups, likely) == ([], [])


def test_same_title_needs_agreeing_first_authors() -> None:
    def four(title: str) -> list[Record]:
        return [
            rec(title, year=None),
            Record(title=title, authors=[Person(family="Other")]),
            Record(title=title + ".", authors=[Person(family="Smith"), Person(family="Nahta")], year=1999),
            Record(title=title.upper()),  # no authors: nothing for, nothing against
        ]

    # not (0, 1) nor (1, 2): Other is neither Nahta nor Smith
    long = [(i, j) for i, j, _ in find_duplicates(four("Analytic title of a long book chapter"))[1]]
    assert long == [(0, 2), (0, 3), (1, 3), (2, 3)]
    # a title as short as "Analytic Title" needs authors that agree, not merely no authors
    assert [(i, j) for i, j, _ in find_duplicates(four("Analytic Title"))[1]] == [(0, 2)]


def synthetic_titles(n: int, seed: int) -> list[str]:
    """Titles of 5–16 words drawn from a 5,000-word vocabulary with Zipf-like frequencies."""
    rng = random.Random(seed)
    vocabulary = [f"word{i}" for i in range(5000)]
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary))))
    return [" ".join(rng.choices(vocabulary, cum_weights=cumulative, k=rng.randint(5, 16))) for _ in range(n)]


def brute_similar(titles: list[str]) -> list[tuple[int, int, str]]:
    found = []
    for x, y in itertools.combinations(range(len(titles)), 2):
        reason = compare(shape(titles[x]), shape(titles[y]))
        if reason is not None:
            found.append((x, y, reason))
    return found


def near_variants(title: str, rng: random.Random) -> list[str]:
    """Ways of writing one work again, and ways of writing another work that looks like it."""
    words = title.split()
    swapped = words[1:] + words[:1]
    typo = list(words)
    k = rng.randrange(len(words))
    typo[k] = "wurd" + typo[k][4:] + "x"
    return [
        title.upper(),
        " ".join(swapped),
        title + ": a subtitle here",
        " ".join(words[:-1] + ["the"] + words[-1:]),
        " ".join(typo),
        title.replace(" ", "-", 1),
        " ".join(words[:-1] + ["word1234567"]),
    ]


def test_similar_title_pairs_equal_comparing_every_pair() -> None:
    rng = random.Random(3)
    found = 0
    for seed in range(6):
        titles = synthetic_titles(150, seed)
        for title in titles[:30]:
            titles.extend(near_variants(title, rng))
        titles = sorted(set(titles))
        expected = brute_similar(titles)
        assert similar_title_pairs(titles) == expected
        found += len(expected)
    assert found > 100  # the check saw real similar pairs, not only empty lists


def test_duplicate_detection_scales_to_many_records() -> None:
    titles = sorted(set(synthetic_titles(20_000, seed=11)))
    records = [Record(title=t, year=1990 + i % 30, authors=[Person(family=f"Author{i}")]) for i, t in enumerate(titles)]
    long = next(i for i, t in enumerate(titles) if len(t.split()) >= 10)
    records.append(Record(title=titles[long] + ": revisited", year=2024, authors=[Person(family=f"Author{long}")]))
    started = time.perf_counter()
    groups, likely = find_duplicates(records)
    assert time.perf_counter() - started < 10
    assert groups == []
    assert (long, len(records) - 1, "subtitle missing in one") in likely
