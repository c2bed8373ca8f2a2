"""Import → export → import gives the same pages, for every export format.

The knowledge base is made from the sample files of every import format; its export is imported
into a second, empty knowledge base, and the two are compared page by page (provenance aside,
which names the export file the second time, and fields a format has no place for).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REPO, make_knowledge_base

from litweave.cli import main

DATA = REPO / "tests" / "data"
INPUTS = [
    DATA / "refer" / "multi.enw",
    DATA / "ris" / "sample.ris",
    DATA / "bibtex" / "sample.bib",
    DATA / "medline" / "sample.nbib",
    DATA / "csljson" / "sample.json",
]

# What each export format cannot carry (so it cannot come back): CSL-JSON carries everything
# a page holds; BibTeX and RIS have no standard place for these.
NOT_CARRIED = {
    "csl-json": set(),
    "bibtex": {"fulltext", "extra", "pmid", "note", "language"},
    "ris": {"fulltext", "extra", "pmid", "edition", "date"},
}


def _pages(root: Path) -> dict[str, dict]:
    pages = {}
    for path in sorted((root / "content" / "papers").glob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        meta.pop("sources")
        pages[path.stem] = meta
    return pages


@pytest.mark.parametrize("fmt", ["csl-json", "bibtex", "ris"])
def test_import_export_import_gives_the_same_pages(tmp_path: Path, fmt: str, capsys) -> None:
    first, second = make_knowledge_base(tmp_path / "first"), make_knowledge_base(tmp_path / "second")
    # sample.bib holds an entry that cannot be read, on purpose: named, the rest imported, exit 1
    assert main(["--root", str(first), "import", *map(str, INPUTS)]) == 1
    out = tmp_path / f"export.{fmt}"
    assert main(["--root", str(first), "export", "--format", fmt, "-o", str(out)]) == 0
    assert main(["--root", str(second), "import", str(out)]) == 0
    capsys.readouterr()
    a, b = _pages(first), _pages(second)
    assert len(a) >= 8
    assert sorted(a) == sorted(b)
    for slug in a:
        left = {k: v for k, v in a[slug].items() if k not in NOT_CARRIED[fmt]}
        right = {k: v for k, v in b[slug].items() if k not in NOT_CARRIED[fmt]}
        if "citekey" not in left:  # the key the export generated is the one the record now came with
            assert right.pop("citekey", "").replace(":", "") != ""
        assert "citekey" not in left or left["citekey"] == right["citekey"]
        assert left == right, slug
    # and exporting the second knowledge base gives the same bytes
    again = tmp_path / f"again.{fmt}"
    assert main(["--root", str(second), "export", "--format", fmt, "-o", str(again)]) == 0
    if fmt == "csl-json":
        assert again.read_bytes() == out.read_bytes()
    shutil.rmtree(first)
