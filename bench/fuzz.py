"""Long-run fuzzing of the readers of untrusted input: each importer, the format detector, the
decoder and mojibake repair, and the front-matter reader.

Two modes, one target at a time, each printing the inputs tried, the time taken and every failure
with the input that shows it. Exit status 1 when a target failed.

- `--mode mutate` (the default, for long runs): a few hundred seed files are drawn from the
  structured generators of tests/fuzz_inputs.py (near-valid files of each format, spoilt), then
  each input is a seed changed by one to four random edits (a slice cut, repeated or moved, a
  control character, a format token or a unicode character put in, two seeds spliced, the file
  cut short). Some hundred times cheaper per input than drawing from the generators, so 100,000
  inputs take minutes. Every distinct failure (exception type and place) is kept with its input,
  and the run goes on; `--save DIR` writes those inputs to files.
- `--mode hypothesis`: hypothesis itself with many examples; stops at the first failure and
  shrinks it to a small input.

    python bench/fuzz.py --target ris --examples 100000
    python bench/fuzz.py --target all --examples 20000 --seed 7
    python bench/fuzz.py --mode hypothesis --target bibtex --examples 5000

Targets: ris, medline, refer, bibtex, csljson, detect, decode, mojibake, frontmatter, page.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

import fuzz_inputs  # noqa: E402
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402


def run_hypothesis(target: str, examples: int, seed_value: int) -> tuple[int, float, str]:
    """Fuzz one target: (inputs tried, seconds, the failure or "")."""
    strategy, check = fuzz_inputs.TARGETS[target]
    count = 0

    def counted(value: object) -> None:
        nonlocal count
        count += 1
        check(value)

    test = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )(seed(seed_value)(given(strategy)(counted)))
    start = time.perf_counter()
    try:
        test()
    except Exception as exc:  # the failure, shrunk by hypothesis
        shown = "".join(traceback.format_exception(exc)[-12:])
        return count, time.perf_counter() - start, shown[-6000:]
    return count, time.perf_counter() - start, ""


def draw_seeds(target: str, count: int, seed_value: int) -> list[object]:
    """Inputs drawn from the target's structured generator."""
    strategy, _check = fuzz_inputs.TARGETS[target]
    seeds: list[object] = []

    def keep(value: object) -> None:
        seeds.append(value)

    test = settings(max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck))(
        seed(seed_value)(given(strategy)(keep))
    )
    test()
    return seeds


_TOKENS = [
    *fuzz_inputs._WORDS,
    *fuzz_inputs._CONTROL,
    *fuzz_inputs._SYNTAX,
    "\n",
    "\n\n",
    "{",
    "}",
    "\\",
    "%0 ",
    "ER  - \n",
    "TY  - JOUR\n",
    "@article{k,\n",
    "\n---\n",
    '"',
    "[",
    "]",
    "\ud7ff",
    "\U0010ffff",
]
_LIMIT = 300_000


def mutate(rng: random.Random, data: str, other: str) -> str:
    """One random edit of a text."""
    n = len(data)
    i, j = sorted((rng.randint(0, n), rng.randint(0, n)))
    kind = rng.randrange(9)
    if kind == 0:
        return data[:i] + data[j:]
    if kind == 1:
        return data[:j] + data[i:j] * rng.choice((1, 2, 10, 1000)) + data[j:]
    if kind == 2:
        return data[:i] + rng.choice(_TOKENS) + data[i:]
    if kind == 3:
        return (
            data[:i]
            + chr(rng.choice((rng.randrange(0x20), rng.randrange(0x80, 0x300), rng.randrange(0x110000))))
            .encode("utf-8", "replace")
            .decode("utf-8", "replace")
            + data[i:]
        )
    if kind == 4:
        k = rng.randint(0, len(other))
        return data[:i] + other[k:] if rng.random() < 0.5 else other[:k] + data[i:]
    if kind == 5:
        return data[:i]
    if kind == 6:
        lines = data.split("\n")
        rng.shuffle(lines) if rng.random() < 0.2 else lines.insert(rng.randint(0, len(lines)), rng.choice(lines))
        return "\n".join(lines)
    if kind == 7:
        return data[:i] + data[i:j].upper() + data[j:]
    return data[:i] + data[j:] + data[i:j]


def _mutated(rng: random.Random, seeds: list[object]) -> object:
    first, second = rng.choice(seeds), rng.choice(seeds)
    as_bytes = isinstance(first, bytes)
    text = first.decode("latin-1") if isinstance(first, bytes) else str(first)
    other = second.decode("latin-1") if isinstance(second, bytes) else str(second)
    for _ in range(rng.randint(1, 4)):
        text = mutate(rng, text, other)[:_LIMIT]
    return text.encode("latin-1", "replace") if as_bytes else text


def run_mutations(
    target: str, examples: int, seed_value: int, seed_count: int, save: Path | None
) -> tuple[int, float, str]:
    """Fuzz one target by mutating drawn seeds: (inputs tried, seconds, the distinct failures or "")."""
    _strategy, check = fuzz_inputs.TARGETS[target]
    start = time.perf_counter()
    seeds = draw_seeds(target, seed_count, seed_value)
    rng = random.Random(seed_value)
    failures: dict[tuple[str, str], object] = {}
    for count in range(1, examples + 1):
        value = _mutated(rng, seeds) if count > len(seeds) else seeds[count - 1]
        try:
            check(value)
        except Exception as exc:
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = (type(exc).__name__, f"{Path(frame.filename).name}:{frame.lineno}")
            if where not in failures:
                failures[where] = value
                print(f"  {target}: {where[0]} at {where[1]} on {value!r:.300}", flush=True)
                if save is not None:
                    save.mkdir(parents=True, exist_ok=True)
                    data = value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass")
                    (save / f"{target}-{len(failures)}.bin").write_bytes(data)
    report = "\n".join(f"{kind} at {place}: {value!r:.500}" for (kind, place), value in failures.items())
    return examples, time.perf_counter() - start, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", default="all", choices=["all", *fuzz_inputs.TARGETS])
    parser.add_argument("--examples", type=int, default=10000, help="inputs per target (default 10000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0); runs with other seeds find more")
    parser.add_argument("--mode", choices=["mutate", "hypothesis"], default="mutate")
    parser.add_argument("--seeds", type=int, default=300, help="seed files drawn per target in mutate mode")
    parser.add_argument("--save", type=Path, help="write each failing input into this folder (mutate mode)")
    args = parser.parse_args(argv)
    targets = list(fuzz_inputs.TARGETS) if args.target == "all" else [args.target]
    failed = False
    for target in targets:
        if args.mode == "mutate":
            count, seconds, failure = run_mutations(target, args.examples, args.seed, args.seeds, args.save)
        else:
            count, seconds, failure = run_hypothesis(target, args.examples, args.seed)
        status = "FAILED" if failure else "ok"
        print(
            f"{target:12} {count:8d} inputs  {seconds:7.1f} s  {count / max(seconds, 1e-9):7.0f}/s  {status}",
            flush=True,
        )
        if failure:
            failed = True
            print(failure, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
