"""Small, deterministic diffs, for a site kept in git and published on GitHub Pages:

- the same content gives the same bytes in every file of site/ (the search bundle and the
  manifest included), built clean in two folders, in separate processes, over one core or all;
- adding one paper to a built knowledge base changes exactly the pages that show it — its own
  page, its authors', its mechanisms' and its tags' pages, the indexes, home, feeds, sitemap,
  exports, graph.json, and the paper pages that now list it among their related papers — and
  no other paper, author, mechanism or tag page.

The knowledge bases are made the way a reader makes one: `bench/corpus.py` records imported with
`litweave import` into a folder holding this repository's templates and vocabulary.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from litweave.build import search
from litweave.build.pipeline import build_site
from litweave.build.writer import MANIFEST
from litweave.config import load_config
from litweave.site.related import COMMON
from litweave.urls import FEED, SEARCH_BUNDLE, output_path, rel_url

REPO = Path(__file__).resolve().parents[1]
SETTINGS = '[tool.litweave]\ntitle = "Small diffs"\nbase_url = "/repo/"\nsite_url = "https://example.org/repo/"\n'
DAY = 86_400
FIRST_IMPORT = 1_764_633_600  # 2025-12-02: `added` of the papers already there
LATER_IMPORT = FIRST_IMPORT + 5 * DAY


def run(*args: str, epoch: int = FIRST_IMPORT) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": str(epoch)}
    done = subprocess.run(
        [sys.executable, "-m", "litweave.cli", *args], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr


def corpus(tmp_path: Path, n: int, seed: int) -> list[str]:
    """`n` synthetic Refer records, one string each."""
    out = tmp_path / f"corpus-{n}-{seed}.enw"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "corpus.py"), "-n", str(n), "--seed", str(seed), "--format", "refer"]
        + [str(out)],
        check=True,
        capture_output=True,
    )
    return [r for r in out.read_text(encoding="utf-8").split("\n\n") if r.strip()]


def new_kb(root: Path, records: list[str]) -> Path:
    """A knowledge base with the repository's templates and vocabulary and these records imported."""
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "content" / "mechanisms", root / "content" / "mechanisms")
    (root / "pyproject.toml").write_text(SETTINGS, encoding="utf-8")
    refs = root.parent / f"{root.name}.enw"
    refs.write_text("\n\n".join(records) + "\n", encoding="utf-8")
    run("--root", str(root), "import", "-q", str(refs))
    return root


def tag(page: Path, *tags: str) -> None:
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("---\n", f"---\ntags: [{', '.join(tags)}]\n", 1), encoding="utf-8")


def hashes(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_clean_builds_in_two_folders_one_core_or_all_give_the_same_bytes(tmp_path: Path) -> None:
    """400 papers: enough that the default build renders in worker processes (build/pool.py),
    while `--jobs 1` renders in its own; each build is its own process, with its own hash seed."""
    one = new_kb(tmp_path / "one", corpus(tmp_path, 400, 11))
    tag(next(iter(sorted((one / "content" / "papers").glob("*.md")))), "review")
    two = tmp_path / "elsewhere" / "two"
    shutil.copytree(one, two)
    run("--root", str(one), "build", "-q", "--clean", "--jobs", "1")
    run("--root", str(two), "build", "-q", "--clean")
    ours, theirs = hashes(one / "site"), hashes(two / "site")
    assert len(ours) > 1500 and "tags/review/index.html" in ours and "feed.xml" in ours
    if search.pagefind_version() is not None:
        assert sum(p.startswith(SEARCH_BUNDLE) for p in ours) > 100
    assert sorted(ours) == sorted(theirs)
    assert [p for p in ours if ours[p] != theirs[p]] == []


def _graph(site: Path) -> dict[str, dict[str, dict[str, object]]]:
    data = json.loads((site / "graph.json").read_text(encoding="utf-8"))
    return {section: {item["id"]: item for item in items} for section, items in data.items()}


@pytest.mark.parametrize("seed", [20, 5], ids=["no-weight-steps", "weight-steps"])
def test_adding_one_paper_changes_only_the_pages_that_show_it(tmp_path: Path, seed: int) -> None:
    records = corpus(tmp_path, 121, seed)
    kb = new_kb(tmp_path / "kb", records[:120])
    papers = sorted((kb / "content" / "papers").glob("*.md"))
    tag(papers[0], "review")
    tag(papers[1], "screening")
    config = load_config(kb)
    assert build_site(config, search=False).ok
    site = kb / "site"
    before, graph_before = hashes(site), _graph(site)

    (kb / "new.enw").write_text(records[120], encoding="utf-8")
    run("--root", str(kb), "import", "-q", str(kb / "new.enw"), epoch=LATER_IMPORT)
    (new_page,) = set((kb / "content" / "papers").glob("*.md")) - set(papers)
    tag(new_page, "review")
    report = build_site(config, search=False)
    assert report.ok, [str(d) for d in report.diagnostics]
    after, graph = hashes(site), _graph(site)

    slug = new_page.stem
    new = graph["papers"][slug]
    authors, mechanisms, tags = list(new["authors"]), list(new["mechanisms"]), list(new["tags"])  # type: ignore[call-overload]
    assert authors and mechanisms and tags == ["review"]
    # Related papers weigh a shared author or mechanism by its number of papers in steps (powers
    # of two, site/related.py). Where the new paper takes one of its authors or mechanisms to the
    # next step, the other papers sharing it may reorder their related papers: those pages may
    # change too, and no others. Seed 20 has no such step, so there the set is exact.
    stepped: set[str] = set()
    for section, keys in (("authors", authors), ("mechanisms", mechanisms)):
        for key in keys:
            was = graph_before[section].get(key, {}).get("papers", [])
            now = graph[section][key]["papers"]
            assert len(now) <= COMMON
            if was and len(was).bit_length() != len(now).bit_length():  # type: ignore[arg-type]
                stepped.update(was)  # type: ignore[arg-type]
    assert bool(stepped) == (seed == 5)

    def page(kind: str, key: str = "") -> str:
        return output_path(rel_url(kind, key))

    new_url = f'href="/repo/{rel_url("paper", slug)}"'
    listing = {
        p
        for p in after
        if p.startswith("papers/") and p.endswith("/index.html") and new_url in (site / p).read_text(encoding="utf-8")
    } - {page("paper", slug), page("paper")}
    assert listing, "no paper lists the new one among its related papers: the test would show little"
    expected_html = {
        page("paper", slug),
        *(page("author", a) for a in authors),
        *(page("mechanism", m) for m in mechanisms),
        *(page("tag", t) for t in tags),
        page("home"),
        page("paper"),
        page("author"),
        page("mechanism"),
        page("tag"),
        *listing,
    }
    changed = {p for p in after if before.get(p) != after[p]}
    changed_html = {p for p in changed if p.endswith(".html")}
    may_reorder = {page("paper", p) for p in stepped}
    assert expected_html <= changed_html <= expected_html | may_reorder
    assert len(changed_html) < len([p for p in after if p.endswith(".html")]) / 4
    expected_other = {
        MANIFEST,
        "graph.json",
        "papers/index.json",
        "sitemap.xml",
        FEED,
        *(f"exports/library.{ext}" for ext in ("bib", "ris", "json")),
        *(f"{rel_url('paper', slug)}{slug}.{ext}" for ext in ("bib", "ris")),
        *(rel_url("author", a) + FEED for a in authors),
        *(rel_url("mechanism", m) + FEED for m in mechanisms),
    }
    assert {p for p in changed if not p.endswith(".html")} == expected_other
    assert set(before) - set(after) == set()
    # what did not change is not even rewritten
    assert report.write is not None and set(report.write.written) == changed - {MANIFEST}
    untouched_tag = page("tag", "screening")
    assert untouched_tag in after and untouched_tag not in changed
