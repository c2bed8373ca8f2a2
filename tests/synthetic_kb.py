"""A knowledge base of synthetic records for the browser tests and the README's screenshots:
bench/corpus.py's generated papers (not real publications), imported with `litweave import` into
a knowledge base with this repository's templates and mechanism vocabulary, then given reading
statuses and tags by position, so that authors, mechanisms and tags have lists long enough to
need the page's filter."""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STATUSES = ("read", "reading", "to-read", "", "")
TAGS = ("review", "clinical", "in vitro", "to discuss", "methods")


def make_synthetic_kb(root: Path, n: int, seed: int) -> Path:
    """`n` synthetic records imported into a new knowledge base at `root`; three papers in five
    get a status and one in three two tags, drawn from a generator seeded with `seed` (the same
    every time, and independent of each other, so every tag's papers have every status)."""
    if str(REPO / "bench") not in sys.path:
        sys.path.insert(0, str(REPO / "bench"))
    import corpus

    from litweave.cli import main as litweave

    root.mkdir(parents=True)
    (root / "litweave.toml").write_text("# synthetic records, for pictures and browser tests\n", encoding="utf-8")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "content" / "mechanisms", root / "content" / "mechanisms")
    records = root.parent / f"synthetic-{n}-{seed}.enw"
    assert corpus.main(["-n", str(n), "--seed", str(seed), "--format", "refer", str(records)]) == 0
    assert litweave(["--root", str(root), "import", "-q", str(records)]) == 0
    rng = random.Random(seed)
    for page in sorted((root / "content" / "papers").glob("*.md")):
        status = rng.choice(STATUSES)
        extra = f"status: {status}\n" if status else ""
        if rng.random() < 1 / 3:
            extra += f"tags: [{', '.join(rng.sample(TAGS, 2))}]\n"
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("---\n", "---\n" + extra, 1), encoding="utf-8")
    return root
