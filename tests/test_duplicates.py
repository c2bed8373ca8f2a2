"""Possible duplicates: measured on three labelled sets, grouped per work, reported in a screenful.

The sets: hand-written title pairs (tests/data/duplicate_pairs.yaml), synthetic corpora with
near-duplicates made from their own titles (the corpora themselves hold none), and the peer
fixtures (read in place). Run with `-s` to see the figures.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, SHARED

from litweave.cli import main
from litweave.commands.duplicates import REPORT
from litweave.commands.import_ import read_records
from litweave.importers.duplicates import SHOWN, group_duplicates
from litweave.importers.finish import is_placeholder
from litweave.importers.identity import _norm_title, find_duplicates, first_family, normalize_doi
from litweave.model import Person, Record, Source

PAIRS = REPO / "tests" / "data" / "duplicate_pairs.yaml"
FIXTURES = SHARED / "fixtures"
MAKE_CORPUS = SHARED / "bench" / "make_corpus.py"


def found_pairs(records: list[Record]) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """(merged pairs, reported pairs): every pair of records in one sure group, and every pair
    of records in different works of one reported group — what a reader is told is one work."""
    sure, _ = find_duplicates(records, likely=False)
    merged = {pair for g in sure for pair in itertools.combinations(g, 2)}
    reported: set[tuple[int, int]] = set()
    for group in group_duplicates(records, [""] * len(records)):
        for one, other in itertools.combinations(group.members, 2):
            reported.update((min(i, j), max(i, j)) for i in one for j in other)
    return merged, reported


def _place(record: Record) -> tuple[str, int]:
    assert record.source is not None
    return record.source.file, record.source.record


def score(
    truth: set[tuple[int, int]], merged: set[tuple[int, int]], reported: set[tuple[int, int]]
) -> dict[str, float]:
    told = merged | reported
    return {
        "precision": len(reported & truth) / len(reported) if reported else 1.0,
        "recall": len(told & truth) / len(truth) if truth else 1.0,
        "reported": len(reported),
        "false merges": len(merged - truth),
    }


# --- the hand-written pairs ------------------------------------------------------------------


def test_labelled_title_pairs() -> None:
    pairs = yaml.safe_load(PAIRS.read_text(encoding="utf-8"))["pairs"]
    assert sum(p["same"] for p in pairs) >= 30 and sum(not p["same"] for p in pairs) >= 30
    records: list[Record] = []
    truth: set[tuple[int, int]] = set()
    for n, p in enumerate(pairs):
        author = [Person(family=f"Author{n}", given="A.")]  # each pair its own author: pairs never meet
        for k, title in enumerate((p["a"], p["b"])):
            records.append(
                Record(title=title, year=2019 + k, authors=author, source=Source("pairs.yaml", "x", 2 * n + k))
            )
        if p["same"]:
            truth.add((2 * n, 2 * n + 1))
    merged, reported = found_pairs(records)
    result = score(truth, merged, reported)
    print(f"hand-written pairs ({len(pairs)}): {result}")
    wrong = [pairs[i // 2]["a"] for i, _ in reported - truth]
    missed = [pairs[i // 2]["a"] for i, _ in truth - merged - reported]
    assert result["precision"] == 1.0, wrong
    assert result["recall"] == 1.0, missed


# --- synthetic corpora with near-duplicates made from their own titles ------------------------


def _variant(title: str, kind: str, rng: random.Random) -> str | None:
    """`title` written again the way another database or a hurried hand would write it."""
    words = title.split()
    if kind == "case":
        return title.upper() if rng.random() < 0.5 else title.lower()
    if kind == "punctuation":
        return title.replace(":", "").replace(",", "") + "."
    if kind == "diacritics":
        return re.sub(r"(?<=[a-z])e(?=[a-z]{3})", "\u00e9", title, count=1)
    if kind == "spacing":
        return title.replace("-", " ", 1) if "-" in title else None
    if kind == "small words":
        return title[4:] if title.startswith("The ") else "The " + title[0].lower() + title[1:]
    if kind == "subtitle":
        return title.split(":")[0] if ":" in title else None
    if kind == "word order":
        if ":" in title:
            main, sub = title.split(":", 1)
            return f"{sub.strip()}: {main}"
        return None
    if kind == "typo":
        long = [i for i, w in enumerate(words) if w.isalpha() and w.islower() and len(w) >= 6]
        if not long:
            return None
        i = rng.choice(long)
        w = words[i]
        k = rng.randrange(1, len(w) - 2)
        words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
        return " ".join(words)
    raise ValueError(kind)


KINDS = ["case", "punctuation", "diacritics", "spacing", "small words", "subtitle", "word order", "typo"]


def near_duplicate_set(originals: list[Record], copies: int, seed: int) -> tuple[list[Record], set[tuple[int, int]]]:
    """The corpus without DOIs (titles and authors must decide) plus `copies` rewritten records,
    each by the same first author; the truth is which records come from one original."""
    rng = random.Random(seed)
    records = [Record(title=r.title, year=r.year, authors=r.authors, source=r.source) for r in originals]
    origin = list(range(len(records)))
    for n, i in enumerate(rng.sample(range(len(originals)), copies)):
        title = _variant(originals[i].title, KINDS[n % len(KINDS)], rng)
        if title is None:
            continue
        year = originals[i].year if rng.random() < 0.5 or originals[i].year is None else originals[i].year + 1
        records.append(
            Record(title=title, year=year, authors=originals[i].authors, source=Source("copies", "x", n + 1))
        )
        origin.append(i)
    by_origin: dict[int, list[int]] = {}
    for k, o in enumerate(origin):
        by_origin.setdefault(o, []).append(k)
    truth = {pair for members in by_origin.values() for pair in itertools.combinations(members, 2)}
    return records, truth


def _corpus(path: Path) -> list[Record]:
    records, diagnostics, ok = read_records(path, None)
    assert ok and records
    return records


def test_synthetic_corpus_with_near_duplicates(tmp_path: Path) -> None:
    out = tmp_path / "corpus.enw"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "corpus.py"), "-n", "4000", "--seed", "3", "--format", "refer", str(out)],
        check=True,
    )
    records, truth = near_duplicate_set(_corpus(out), 400, seed=3)
    merged, reported = found_pairs(records)
    result = score(truth, merged, reported)
    print(f"bench/corpus.py n=4000 + {len(records) - 4000} rewritten copies: {result}")
    assert result["false merges"] == 0
    assert result["precision"] >= 0.9
    assert result["recall"] >= 0.95


def test_peer_corpus_with_near_duplicates(tmp_path: Path) -> None:
    if not MAKE_CORPUS.is_file():
        pytest.skip(f"make_corpus.py not found at ../shared/bench ({MAKE_CORPUS.name}); peer data is absent")
    out = tmp_path / "corpus.enw"
    subprocess.run(
        [sys.executable, str(MAKE_CORPUS), "-n", "4000", "--seed", "3", "--format", "refer", str(out)], check=True
    )
    originals = _corpus(out)
    # the corpus as generated (with DOIs): nothing is one work, nothing may be reported
    assert found_pairs(originals) == (set(), set())
    records, truth = near_duplicate_set(originals, 400, seed=5)
    merged, reported = found_pairs(records)
    result = score(truth, merged, reported)
    print(f"make_corpus.py n=4000 seed 3 + {len(records) - 4000} rewritten copies, DOIs removed: {result}")
    assert result["false merges"] == 0
    assert result["precision"] >= 0.9
    assert result["recall"] >= 0.95


# --- the peer fixtures ----------------------------------------------------------------------


def _fixture_records() -> list[Record]:
    if not (FIXTURES / "manifest.json").is_file():
        pytest.skip("peer fixtures not found at ../shared/fixtures; peer data is absent")
    manifest = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
    records: list[Record] = []
    for entry in manifest["inputs"]:
        found, _, _ = read_records(FIXTURES / entry["file"], None)
        records.extend(r for r in found if r.title.strip())
    return records


FIXTURE_LABELS = REPO / "tests" / "data" / "duplicate_fixture_labels.yaml"


def test_peer_fixtures() -> None:
    records = _fixture_records()
    merged, reported = found_pairs(records)
    labels = yaml.safe_load(FIXTURE_LABELS.read_text(encoding="utf-8"))
    place = {_place(r): i for i, r in enumerate(records)}
    truth: set[tuple[int, int]] = set()
    for work in labels["same_work"]:
        members = sorted(place[(m["file"], m["record"])] for m in work["records"] if (m["file"], m["record"]) in place)
        truth.update(itertools.combinations(members, 2))
    # the requirement: no DOI-less pair with the same title and first author goes unreported
    required = set()
    by_key: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(records):
        if is_placeholder(r.title):  # "[Untitled] container, year, author": not a title to compare
            continue
        if not normalize_doi(r.doi) and len(_norm_title(r.title)) >= 10 and first_family(r):
            by_key.setdefault((_norm_title(r.title), first_family(r)), []).append(i)
    for members in by_key.values():
        required.update(itertools.combinations(members, 2))
    assert required - merged - reported == set()
    # Precision per pair of works a group lists (a work merged from 40 placeholder records is one
    # entry of the report, not 40): true when the labels or the requirement join the two.
    pairs = told = 0
    for group in group_duplicates(records, [""] * len(records)):
        for one, other in itertools.combinations(group.members, 2):
            pairs += 1
            told += any((min(i, j), max(i, j)) in truth | required for i in one for j in other)
    print(f"peer fixtures ({len(records)} records): {told} of {pairs} reported pairs of works are one work")
    assert pairs and told / pairs >= 0.9


# --- grouping and reporting -------------------------------------------------------------------


def _write_refer(path: Path, titles: list[tuple[str, str, int]]) -> None:
    path.write_text(
        "\n".join(f"%0 Journal Article\n%T {t}\n%A {a}, Rita\n%D {y}\n" for t, a, y in titles), encoding="utf-8"
    )


def test_import_reports_groups_and_pages_in_a_screenful(empty_kb: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    first = tmp_path / "first.enw"
    _write_refer(first, [("Role of IGF-IR in trastuzumab resistance of breast cancer", "Nahta", 2012)])
    assert main(["--root", str(empty_kb), "import", "-q", str(first)]) == 0
    assert not (empty_kb / REPORT).exists()
    capsys.readouterr()
    second = tmp_path / "second.enw"
    works = [
        (f"Signalling of kinase {chr(65 + n)}{chr(65 + n)}X in breast cancer", f"Author{n}", 2001) for n in range(40)
    ]
    copies = [(t.replace("Signalling", "Signaling"), a, y + 1) for t, a, y in works]
    page_copy = [("The role of IGF-IR in trastuzumab resistance of breast cancer: a review", "Nahta", 2013)]
    _write_refer(
        second, works + copies + page_copy + [("IGF-IR in tamoxifen resistance of breast cancer", "Nahta", 2014)]
    )
    assert main(["--root", str(empty_kb), "import", "-q", str(second)]) == 0
    err = capsys.readouterr().err.splitlines()
    dup_lines = [line for line in err if "duplicate" in line]
    # the shown groups, themselves grouped by kind (one example and a count), and the summary
    assert 2 <= len(dup_lines) <= SHOWN + 1 and len(err) <= 20
    assert any("— 14 messages like this" in line for line in dup_lines)
    assert any(
        f"41 group(s) of possible duplicates (82 works); 26 more not shown here; the full list is in {REPORT}" in line
        for line in err
    )
    text = (empty_kb / REPORT).read_text(encoding="utf-8")
    assert text.count("\n   - ") == 82 and "content/papers/" in text and "subtitle missing in one" in text
    assert "tamoxifen" not in text  # a different drug: another work
    # the same import again: every record is now its own page, nothing new, nothing reported
    assert main(["--root", str(empty_kb), "import", "-q", str(second)]) == 0
    assert "duplicate" not in capsys.readouterr().err and not (empty_kb / REPORT).exists()
    # check lists the pages that look alike, grouped, and writes the same kind of list
    main(["--root", str(empty_kb), "check"])
    err = capsys.readouterr().err
    assert "41 group(s) of possible duplicates (82 works)" in err
    again = (empty_kb / REPORT).read_text(encoding="utf-8")
    main(["--root", str(empty_kb), "check"])
    assert (empty_kb / REPORT).read_text(encoding="utf-8") == again  # deterministic


def test_zotero_ris_template_file_reports_nothing() -> None:
    path = FIXTURES / "ris" / "zotero-RIS-05.ris"
    if not path.is_file():
        pytest.skip("peer fixture zotero-RIS-05.ris not found at ../shared/fixtures; peer data is absent")
    records = [r for r in _corpus(path) if r.title.strip()]
    groups = group_duplicates(records, [""] * len(records))
    # was 41 pairwise lines for "Analytic Title": the records of that short title by "Author Name"
    # are merged, and the rest are by other authors (Composer, Director) or by none
    assert groups == []
