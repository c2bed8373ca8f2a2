"""The search step: Pagefind's bundle in site/pagefind/, owned by the manifest, rebuilt only when the
pages changed, deterministic, and the build going on (with a warning) when Pagefind is absent."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from litweave.build import search, search_order
from litweave.build.pipeline import BuildReport, build_site
from litweave.build.writer import MANIFEST
from litweave.config import load_config

needs_pagefind = pytest.mark.skipif(
    search.pagefind_version() is None, reason="Pagefind is not installed (pip install -e '.[test]')"
)


def build(root: Path, **kwargs: object) -> BuildReport:
    report = build_site(load_config(root, base_url="/repo/"), **kwargs)  # type: ignore[arg-type]
    assert report.ok, [str(d) for d in report.diagnostics]
    return report


def bundle(root: Path) -> dict[str, bytes]:
    folder = root / "site" / "pagefind"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def manifest_bundle(root: Path) -> set[str]:
    files = json.loads((root / "site" / MANIFEST).read_text(encoding="utf-8"))["files"]
    return {p for p in files if p.startswith("pagefind/")}


def fragments(root: Path) -> dict[str, str]:
    """URL → indexed text of every page in the bundle (Pagefind's fragments: gzip, a signature, JSON)."""
    out: dict[str, str] = {}
    for path in (root / "site" / "pagefind").glob("**/fragment/*.pf_fragment"):  # every shard
        raw = gzip.decompress(path.read_bytes())
        data = json.loads(raw[raw.index(b"{") :])
        out[data["url"]] = data["content"]
    return out


@needs_pagefind
def test_the_bundle_indexes_papers_and_mechanisms_only(kb: Path) -> None:
    report = build(kb)
    assert report.search is not None and report.search.ran
    entry = json.loads((kb / "site" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    site = kb / "site"
    expected = sum(len(list((site / s).glob("*/index.html"))) for s in ("papers", "mechanisms"))
    assert expected > 5 and list((site / "authors").glob("*/index.html"))
    # author pages, home, the indexes, the search page and the about page are not indexed
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == expected
    assert {"pagefind-ui.js", "pagefind-ui.css", "pagefind.js"} <= set(bundle(kb))
    assert manifest_bundle(kb) == {"pagefind/" + p for p in bundle(kb)}
    assert report.search.files == len(bundle(kb))


@needs_pagefind
def test_a_page_is_indexed_by_its_own_text_not_what_it_shows_of_others(kb: Path) -> None:
    build(kb)
    pages = fragments(kb)
    paper = pages["/papers/nahta-2006-mechanisms/"]  # the UI adds the base
    assert "HER2-targeted therapy" in paper and "Rita Nahta" in paper  # its title and byline
    html = (kb / "site" / "papers" / "nahta-2006-mechanisms" / "index.html").read_text(encoding="utf-8")
    assert 'class="cite"' in html and "Copy" in html  # the cite box is on the page, not in its text
    assert "Copy" not in paper and "Related" not in paper and "Cite" not in paper
    mechanism = next(text for url, text in pages.items() if url.startswith("/mechanisms/"))
    assert "Mentioned together with" not in mechanism


def test_pages_carry_the_search_filters_escaped(kb: Path) -> None:
    paper = kb / "content" / "papers" / "nahta-2006-mechanisms.md"
    text = paper.read_text(encoding="utf-8")
    paper.write_text(text.replace("---\n", '---\ntags: ["<b>x</b>", review]\nstatus: reading\n', 1), encoding="utf-8")
    build(kb, search=False)
    html = (kb / "site" / "papers" / "nahta-2006-mechanisms" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in html
    assert '<span data-pagefind-filter="tag">&lt;b&gt;x&lt;/b&gt;</span>' in html
    assert '<span data-pagefind-filter="status">Reading</span>' in html
    assert '<span data-pagefind-filter="type">Journal article</span>' in html
    assert '<span data-pagefind-filter="year">2006</span>' in html
    assert html.count('data-pagefind-filter="author"') >= 1 and 'data-pagefind-filter="mechanism"' in html
    author = next((kb / "site" / "authors").glob("*/index.html")).read_text(encoding="utf-8")
    # not indexed: an author is found through the papers' bylines and their Author filter
    assert "data-pagefind-body" not in author and "data-pagefind-filter" not in author
    home = (kb / "site" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in home


def test_the_search_page_works_under_a_sub_path(kb: Path) -> None:
    build(kb, search=False)
    html = (kb / "site" / "search" / "index.html").read_text(encoding="utf-8")
    assert '<script src="/repo/pagefind/pagefind-ui.js"></script>' in html
    assert 'href="/repo/pagefind/pagefind-ui.css"' in html
    assert 'var bundle = "/repo/pagefind/";' in html and 'baseUrl: "/repo/", bundlePath: bundle' in html
    assert 'fetch(bundle + "shards.json")' in html
    assert 'href="/repo/search/"' in (kb / "site" / "index.html").read_text(encoding="utf-8")


@needs_pagefind
def test_pagefind_runs_only_when_pages_changed_and_never_loses_its_bundle(kb: Path) -> None:
    build(kb)
    first = bundle(kb)
    again = build(kb)  # nothing changed: the build stops at the no-change check
    assert again.search is None and bundle(kb) == first
    mechanism = kb / "content" / "mechanisms" / "her2.md"
    mechanism.write_text(mechanism.read_text(encoding="utf-8") + "\nMore about the receptor.\n", encoding="utf-8")
    changed = build(kb)  # a mechanism page changed: the whole site is planned again
    assert changed.search is not None and changed.search.ran
    assert changed.write is not None and not any(p.startswith("pagefind/") for p in changed.write.pruned)
    assert manifest_bundle(kb) == {"pagefind/" + p for p in bundle(kb)}
    (kb / "site" / "pagefind" / "pagefind-ui.js").unlink()  # a bundle file lost: put back
    restored = build(kb)
    assert restored.search is not None and restored.search.ran
    assert (kb / "site" / "pagefind" / "pagefind-ui.js").is_file()
    paper = kb / "content" / "papers" / "lu-2001-insulin-like.md"
    paper.write_text(paper.read_text(encoding="utf-8") + "\nA note on IGF-IR.\n", encoding="utf-8")
    fast = build(kb)  # one paper's notes: the fast path, and the search step still runs
    assert fast.search is not None and fast.search.ran and fast.search.written >= 1


@needs_pagefind
def test_the_bundle_is_byte_identical_from_build_to_build(kb: Path, tmp_path: Path) -> None:
    """Pagefind alone writes its filters in a different order on every run; the search step puts
    them in a fixed one (litweave/build/search_order.py)."""
    other = tmp_path / "other"
    shutil.copytree(kb, other)
    build(kb)
    build(other, clean=True)
    ours = bundle(kb)
    assert any(p.startswith("filter/") for p in ours) and len(ours) > 20
    assert ours == bundle(other)


@needs_pagefind
def test_settling_reorders_what_pagefind_wrote_in_hash_map_order(kb: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    build(kb, search=False)
    runs = []
    for i in range(3):
        out = tmp_path / f"run{i}"
        subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(kb / "site"), "--output-path", str(out), "--silent"],
            check=True,
        )
        raw = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        assert search_order.settle(out)
        runs.append((raw, {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}))
    assert runs[0][1] == runs[1][1] == runs[2][1]
    # the settled filters hold the same values as Pagefind's own
    meta = next(p for p in runs[0][1] if p.endswith(".pf_meta"))
    filters = search_order.read(tmp_path / "run0" / meta)[3]  # type: ignore[index]
    assert [name for name, _hash in filters] == sorted(name for name, _hash in filters)
    assert {name for name, _hash in filters} == {"author", "mechanism", "year", "type", "status", "tag"}


@needs_pagefind
def test_without_pagefind_the_build_warns_and_removes_a_stale_bundle(kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(kb)
    assert bundle(kb)
    monkeypatch.setattr(search, "pagefind_version", lambda: None)
    paper = kb / "content" / "papers" / "lu-2001-insulin-like.md"
    paper.write_text(paper.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    report = build_site(load_config(kb, base_url="/repo/"))
    assert report.write is not None  # the site is built all the same
    warnings = [str(d) for d in report.diagnostics if "Pagefind is not installed" in d.message]
    assert len(warnings) == 1 and "pip install 'pagefind[extended]'" in warnings[0]
    assert not (kb / "site" / "pagefind").exists() and manifest_bundle(kb) == set()


@needs_pagefind
def test_a_failing_pagefind_keeps_the_last_bundle(kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(kb)
    before = bundle(kb)
    monkeypatch.setattr(search, "_run_pagefind", lambda site, out: "Pagefind failed (exit 1): boom")
    paper = kb / "content" / "papers" / "lu-2001-insulin-like.md"
    paper.write_text(paper.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    report = build_site(load_config(kb, base_url="/repo/"))
    assert any("search index not built: Pagefind failed (exit 1): boom" in d.message for d in report.diagnostics)
    assert bundle(kb) == before and manifest_bundle(kb) == {"pagefind/" + p for p in before}


@needs_pagefind
def test_a_build_without_search_keeps_the_bundle_it_finds(kb: Path) -> None:
    build(kb)
    before = bundle(kb)
    paper = kb / "content" / "papers" / "lu-2001-insulin-like.md"
    paper.write_text(paper.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    report = build(kb, search=False)  # as `litweave serve` builds
    assert report.search is None
    assert bundle(kb) == before and manifest_bundle(kb) == {"pagefind/" + p for p in before}


def test_build_no_search_leaves_the_index_out(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from litweave.cli import main

    assert main(["--root", str(kb), "build", "--no-search", "-q"]) == 0
    assert not (kb / "site" / "pagefind").exists() and (kb / "site" / "search" / "index.html").is_file()
    assert "search index" not in capsys.readouterr().out


@needs_pagefind
def test_a_sharded_index_re_indexes_only_the_shard_of_a_changed_page(kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITWEAVE_SEARCH_SHARD_PAGES", "2")
    first = build(kb)
    assert first.search is not None and first.search.shards >= 3 and first.search.reindexed == first.search.shards
    merged = json.loads((kb / "site" / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert len(merged) == first.search.shards - 1
    site = kb / "site"
    expected = {f"/{s}/{p.parent.name}/" for s in ("papers", "mechanisms") for p in (site / s).glob("*/index.html")}
    assert set(fragments(kb)) == expected  # every indexed page in exactly one shard: none lost, none twice
    count = sum(1 for _ in (site / "pagefind").glob("**/*.pf_fragment"))
    assert count == len(expected)
    for shard in merged:  # a merged bundle holds its index, not a second copy of Pagefind's scripts
        names = {p.name for p in (site / "pagefind" / shard).iterdir()}
        assert "pagefind-entry.json" in names and "pagefind.js" not in names and "wasm.en.pagefind" not in names
    before = bundle(kb)
    paper = kb / "content" / "papers" / "lu-2001-insulin-like.md"
    paper.write_text(paper.read_text(encoding="utf-8") + "\nA note on IGF-IR.\n", encoding="utf-8")
    again = build(kb)
    assert again.search is not None and again.search.reindexed == 1 and again.search.shards == first.search.shards
    after = bundle(kb)
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    folders = {p.split("/")[0] if p.split("/")[0].startswith("s") and "/" in p else "" for p in changed}
    assert changed and len(folders) == 1, changed  # one shard's files, the others untouched
    assert "A note on IGF-IR." in fragments(kb)["/papers/lu-2001-insulin-like/"]
    assert manifest_bundle(kb) == {"pagefind/" + p for p in after}


@needs_pagefind
def test_what_a_page_shows_of_other_papers_does_not_re_index_it(kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new paper changes the related lists, counts and feeds of other pages, but not their
    indexed part: only the new paper's shard is indexed again."""
    monkeypatch.setenv("LITWEAVE_SEARCH_SHARD_PAGES", "2")
    first = build(kb)
    assert first.search is not None and first.search.shards >= 3
    new = kb / "content" / "papers" / "kim-2003-igf-ir.md"
    new.write_text(
        "---\ntitle: IGF-IR and HER2 crosstalk in trastuzumab-resistant cells\n"
        'authors: ["Nahta, Rita", "Kim, Ana"]\nyear: 2003\n---\n',
        encoding="utf-8",
    )
    second = build(kb)
    assert second.write is not None
    others = [p for p in second.write.written if p.startswith(("papers/", "mechanisms/")) and p.endswith("index.html")]
    others = [p for p in others if "kim-2003" not in p and p.count("/") == 2]
    assert others, "the new paper shows on other paper and mechanism pages"
    assert second.search is not None and second.search.reindexed == 1
    assert "IGF-IR and HER2 crosstalk" in fragments(kb)["/papers/kim-2003-igf-ir/"]


@needs_pagefind
def test_a_shard_pagefind_fails_on_is_left_out_of_the_merge(kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITWEAVE_SEARCH_SHARD_PAGES", "2")
    real = search._run_pagefind

    def only_the_first(site: Path, out: Path) -> str:
        return real(site, out) if out.name == "primary" else "Pagefind failed (exit 1): boom"

    monkeypatch.setattr(search, "_run_pagefind", only_the_first)
    report = build_site(load_config(kb, base_url="/repo/"))
    assert report.search is not None and report.search.shards >= 3
    failed = [d for d in report.diagnostics if "boom" in d.message]
    assert len(failed) == report.search.shards - 1 and all(d.file.startswith("pagefind/s") for d in failed)
    assert json.loads((kb / "site" / "pagefind" / "shards.json").read_text(encoding="utf-8")) == []
    assert (kb / "site" / "pagefind" / "pagefind.js").is_file()  # the first shard's search still works
