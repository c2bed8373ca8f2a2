"""Regenerate the README's screenshots (docs/screenshots/*.png) from a knowledge base of synthetic
records: bench/corpus.py's generated papers (not real publications), imported with
`litweave import`, given reading statuses and tags (tests/synthetic_kb.py, as the browser tests
do), built under /repo/ and photographed in Debian's chromium at desktop (1280x900) and phone
(390x844) width.

    python docs/make_screenshots.py [-n 400] [--seed 7] [--out docs/screenshots]

Needs /usr/bin/chromium and playwright (pip install -e '.[test]'); Pagefind for the search shot.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from site_server import CHROMIUM, CHROMIUM_ARGS, serve_site  # noqa: E402
from synthetic_kb import make_synthetic_kb  # noqa: E402

from litweave.build.pipeline import build_site  # noqa: E402
from litweave.config import load_config  # noqa: E402

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
LIMIT = 300 * 1024
"""Each picture stays under this many bytes (the README loads them all)."""


def _longest(site: Path, section: str) -> str:
    """The slug of the page of `section` that lists the most papers (a long list, with its filter)."""
    counted = [
        (p.read_text(encoding="utf-8").count('class="paper-item"'), p.parent.name)
        for p in (site / section).glob("*/index.html")
    ]
    return max(counted)[1]


def shoot(site: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    paper = sorted((site / "papers").glob("*/index.html"))[0].parent.name
    shots = {
        "home": "",
        "papers-filtered": "papers/",
        "paper": f"papers/{paper}/",
        "mechanism": f"mechanisms/{_longest(site, 'mechanisms')}/",
        "author": f"authors/{_longest(site, 'authors')}/",
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
    parser.add_argument("-n", type=int, default=400, help="synthetic papers (default 400)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="litweave-shots-") as tmp:
        root = make_synthetic_kb(Path(tmp) / "kb", args.n, args.seed)
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
