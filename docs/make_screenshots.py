"""Regenerate the README's screenshots (docs/screenshots/*.png) from a knowledge base of synthetic
records: bench/corpus.py's generated papers (not real publications), imported with
`litweave import`, given reading statuses and tags, built under /repo/ and photographed in
Debian's chromium at desktop (1280x900) and phone (390x844) width.

    python docs/make_screenshots.py [-n 300] [--seed 7] [--out docs/screenshots]

Needs /usr/bin/chromium and playwright (pip install -e '.[test]'); Pagefind for the search shot.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench"), str(REPO / "tests")]

from site_server import CHROMIUM, CHROMIUM_ARGS, serve_site  # noqa: E402

from litweave.build.pipeline import build_site  # noqa: E402
from litweave.cli import main as litweave  # noqa: E402
from litweave.config import load_config  # noqa: E402

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
STATUSES = ("read", "reading", "to-read", "", "")
TAGS = ("review", "clinical", "in vitro", "to discuss", "methods")
LIMIT = 300 * 1024
"""Each picture stays under this many bytes (the README loads them all)."""


def make_kb(root: Path, n: int, seed: int) -> None:
    """A knowledge base of `n` synthetic records with this repository's mechanism vocabulary."""
    import corpus

    root.mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "content" / "mechanisms", root / "content" / "mechanisms")
    records = root / "synthetic.enw"
    assert corpus.main(["-n", str(n), "--seed", str(seed), "--format", "refer", str(records)]) == 0
    assert litweave(["--root", str(root), "import", "-q", str(records)]) == 0
    for i, page in enumerate(sorted((root / "content" / "papers").glob("*.md"))):
        extra = ""
        if STATUSES[i % len(STATUSES)]:
            extra += f"status: {STATUSES[i % len(STATUSES)]}\n"
        if i % 3 == 0:
            extra += f"tags: [{TAGS[i % len(TAGS)]}, {TAGS[(i // 3) % len(TAGS)]}]\n"
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("---\n", "---\n" + extra, 1), encoding="utf-8")


def shoot(site: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    paper = sorted((site / "papers").glob("*/index.html"))[0].parent.name
    mechanisms = [p.parent.name for p in sorted((site / "mechanisms").glob("*/index.html"))]
    mechanism = "her2" if "her2" in mechanisms else mechanisms[0]
    shots = {
        "home": "",
        "papers-filtered": "papers/",
        "paper": f"papers/{paper}/",
        "mechanism": f"mechanisms/{mechanism}/",
        "search": "search/?q=resistance",
    }
    written: list[Path] = []
    with serve_site(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for name, path in shots.items():
            for width, viewport in VIEWPORTS.items():
                page = browser.new_page(viewport=viewport)
                page.goto(base + path, wait_until="networkidle")
                if name == "papers-filtered":
                    _filter(page, "resistance")
                if name == "search":
                    page.locator(".pagefind-ui__result").first.wait_for(timeout=15_000)
                target = out / f"{name}-{width}.png"
                page.screenshot(path=str(target))
                page.close()
                written.append(target)
        browser.close()
    return written


def _filter(page: Any, term: str) -> None:
    box = page.locator("main input[type=search], main input[type=text]").first
    if box.count():
        box.fill(term)
        page.wait_for_timeout(500)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="synthetic papers (default 300)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="litweave-shots-") as tmp:
        root = Path(tmp) / "kb"
        make_kb(root, args.n, args.seed)
        title = f"Synthetic sample: {args.n} generated records"
        config = load_config(root, base_url="/repo/", title=title, description="Made-up papers, for the pictures.")
        report = build_site(config)
        if not report.ok:
            print("\n".join(str(d) for d in report.diagnostics), file=sys.stderr)
            return 1
        written = shoot(config.output, args.out)
    too_big = [p for p in written if p.stat().st_size > LIMIT]
    for p in written:
        print(f"{p.relative_to(REPO) if p.is_relative_to(REPO) else p}: {p.stat().st_size // 1024} KB")
    if too_big:
        print(f"over {LIMIT // 1024} KB: {', '.join(p.name for p in too_big)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
