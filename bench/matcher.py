"""Benchmark the mechanism matcher: build it from content/mechanisms/ and time `find` on a corpus.

The corpus is 2,000 synthetic papers from ../shared/bench/make_corpus.py (title + abstract each).
Prints throughput in MB/s and texts/s for the trie regex the matcher uses and, for comparison, a
plain alternation of every term sorted longest first.

    python bench/matcher.py [-n 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from litweave.mechanisms.matcher import Matcher, build_matcher  # noqa: E402
from litweave.mechanisms.terms import SEP_CLASS  # noqa: E402
from litweave.mechanisms.vocabulary import check_vocabulary, mechanism_from_page  # noqa: E402
from litweave.model import Page  # noqa: E402


def load_vocabulary() -> list:
    mechs = []
    for path in sorted((ROOT / "content" / "mechanisms").glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.load(front, Loader=yaml.CSafeLoader)
        mech, _ = mechanism_from_page(Page("mechanism", path.stem, meta, body, path.relative_to(ROOT)))
        if mech is not None:
            mechs.append(mech)
    return check_vocabulary(mechs)[0]


def make_corpus(n: int) -> list[dict]:
    script = ROOT.parent / "shared" / "bench" / "make_corpus.py"
    if not script.exists():
        sys.exit(f"corpus generator not found: {script}")
    out = subprocess.run(
        [sys.executable, str(script), "-n", str(n), "--format", "jsonl", "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def plain_alternation(matcher: Matcher) -> Matcher:
    """The same matcher with its trie regex replaced by a flat alternation, longest term first."""
    keys = {re.sub(SEP_CLASS + "+", " ", k.casefold()) for k in matcher.exact} | set(matcher.folded)
    alts = [re.escape(k).replace(r"\ ", SEP_CLASS) for k in sorted(keys, key=lambda k: (-len(k), k))]
    pattern = re.compile(
        r"(?<![^\W_])(?:" + "|".join(alts) + r")(?![^\W_])(?![\-\u2010\u2011]like(?![^\W_]))", re.IGNORECASE
    )
    return dataclasses.replace(matcher, pattern=pattern)


def time_find(matcher: Matcher, texts: list[str], repeat: int) -> tuple[float, int]:
    best = float("inf")
    mentions = 0
    for _ in range(repeat):
        start = time.perf_counter()
        mentions = sum(len(matcher.find(t)) for t in texts)
        best = min(best, time.perf_counter() - start)
    return best, mentions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=2000, help="number of papers (default 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs; the best is reported")
    args = parser.parse_args()

    mechs = load_vocabulary()
    start = time.perf_counter()
    matcher = build_matcher(mechs)
    build_s = time.perf_counter() - start
    terms = len(matcher.exact) + len(matcher.folded)
    print(f"vocabulary: {len(mechs)} mechanisms, {terms} terms after variants; build {build_s * 1000:.0f} ms")

    records = make_corpus(args.n)
    texts = [r["title"] + "\n\n" + "\n\n".join(r["abstract"]) for r in records]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"corpus: {len(texts)} texts, {megabytes:.2f} MB")

    for name, m in (("trie regex (used)", matcher), ("plain alternation", plain_alternation(matcher))):
        seconds, mentions = time_find(m, texts, args.repeat)
        print(
            f"{name:>20}: {megabytes / seconds:7.2f} MB/s  {len(texts) / seconds:9.0f} texts/s  "
            f"({seconds:.3f} s, {mentions} mentions)"
        )

    # How many of the corpus's own labels our vocabulary finds (it does not cover the whole pool).
    found = total = 0
    for record, text in zip(records, texts, strict=True):
        got = {matcher.titles[s].casefold() for s in matcher.slugs(text)} | {
            a.casefold() for s in matcher.slugs(text) for a, slug in matcher.names.items() if slug == s
        }
        labels = [x.casefold() for x in record["mechanisms"]]
        total += len(labels)
        found += sum(1 for x in labels if x in got)
    print(f"corpus labels found: {found}/{total} ({found / total:.1%}); labels outside the vocabulary count as missed")


if __name__ == "__main__":
    main()
