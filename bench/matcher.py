"""Benchmark the mechanism matcher: build it from content/mechanisms/ and time `find` on a corpus.

The corpus is N synthetic papers (default 2,000) from bench/corpus.py, title + abstract each. Its
mechanism pool is content/mechanisms/ topped up with made-up names the vocabulary cannot match.
Prints throughput in MB/s and abstracts/s, with the mentions found, for the trie regex the matcher
uses and, for comparison, a plain alternation of every term sorted longest first; then how many of
the corpus's own labels the matcher finds, for the vocabulary's mechanisms and the made-up ones.

    python bench/matcher.py [-n 2000] [--seed 1] [--repeat 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import corpus as bench_corpus  # noqa: E402  (bench/corpus.py: this script's own folder is on sys.path)

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


def make_corpus(n: int, seed: int) -> tuple[list, set[str]]:
    """The papers of bench/corpus.py for (n, seed), and the names of the made-up mechanisms."""
    corpus = bench_corpus
    pool = corpus.mechanism_pool(ROOT / "content" / "mechanisms")
    return list(corpus.generate(n, seed, pool)), {m.name for m in pool if not m.known}


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
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs; the best is reported")
    args = parser.parse_args()
    if args.n < 1 or args.repeat < 1:
        parser.error("-n and --repeat must be at least 1")

    mechs = load_vocabulary()
    start = time.perf_counter()
    matcher = build_matcher(mechs)
    build_s = time.perf_counter() - start
    terms = len(matcher.exact) + len(matcher.folded)
    print(f"vocabulary: {len(mechs)} mechanisms, {terms} terms after variants; build {build_s * 1000:.0f} ms")

    papers, made_up = make_corpus(args.n, args.seed)
    texts = [p.title + "\n\n" + "\n\n".join(p.abstract) for p in papers]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"corpus: {len(texts)} abstracts (bench/corpus.py, seed {args.seed}), {megabytes:.2f} MB")

    for name, m in (("trie regex (used)", matcher), ("plain alternation", plain_alternation(matcher))):
        seconds, mentions = time_find(m, texts, args.repeat)
        print(
            f"{name:>20}: {megabytes / seconds:7.2f} MB/s  {len(texts) / seconds:9.0f} abstracts/s  "
            f"({seconds:.3f} s, {mentions} mentions)"
        )

    # How many of the corpus's own labels the matcher finds: those of the vocabulary should all be
    # found; the made-up ones are outside the vocabulary and should never be.
    found = total = found_made_up = total_made_up = 0
    for paper, text in zip(papers, texts, strict=True):
        slugs = matcher.slugs(text)
        got = {matcher.titles[s].casefold() for s in slugs} | {
            a.casefold() for a, slug in matcher.names.items() if slug in slugs
        }
        for label in paper.mechanisms:
            hit = label.casefold() in got
            if label in made_up:
                total_made_up += 1
                found_made_up += hit
            else:
                total += 1
                found += hit
    print(
        f"corpus labels found: {found}/{total} of the vocabulary's ({found / max(total, 1):.1%}); "
        f"{found_made_up}/{total_made_up} of the made-up ones"
    )


if __name__ == "__main__":
    main()
