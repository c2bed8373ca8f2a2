"""The works a record cites are data kept beside its page (`content/references/<slug>.yaml`), not
a 131,042-character `extra:` line: the page keeps a count and stays editable, a changed source
updates the list, a hand edit of the list is kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import SHARED

from litweave.commands.import_ import import_files
from litweave.config import load_config
from litweave.importers.csljson import parse
from litweave.references import read_references, references_path

ITEM = {
    "id": "ching2018",
    "type": "journal-article",
    "title": ["Opportunities and obstacles for deep learning in biology and medicine"],
    "author": [{"family": "Ching", "given": "Travers"}],
    "issued": {"date-parts": [[2018, 4]]},
    "DOI": "10.1098/rsif.2017.0387",
    "reference-count": 3,
    "reference": [
        {"key": "r1", "DOI": "10.1371/journal.pbio.1002195", "doi-asserted-by": "publisher"},
        {"key": "r2", "DOI": "10.1038/NATURE14539", "author": "LeCun", "year": "2015", "journal-title": "Nature"},
        {"key": "r3", "unstructured": "Baldi P, et al. Searching for exotic particles. Nat Commun 2014."},
    ],
}
SLUG = "ching-2018-opportunities-obstacles-deep-learning-biology"


def _write(path: Path, item: dict) -> Path:
    path.write_text(json.dumps([item]), encoding="utf-8")
    return path


def _meta(page: Path) -> dict:
    return yaml.safe_load(page.read_text().split("---\n")[1])


def test_references_are_read_as_data_and_kept_beside_the_page(empty_kb: Path, tmp_path: Path) -> None:
    source = _write(tmp_path / "crossref.json", ITEM)
    [record] = parse(source.read_text(), "crossref.json").records
    assert [r.doi for r in record.references] == ["10.1371/journal.pbio.1002195", "10.1038/nature14539", ""]
    assert record.references[1].author == "LeCun" and record.references[1].container == "Nature"
    assert "reference" not in record.extra
    import_files(load_config(empty_kb), [source])
    page = empty_kb / "content" / "papers" / f"{SLUG}.md"
    meta = _meta(page)
    assert meta["references"] == 3 and "reference" not in meta.get("extra", {})
    loaded = read_references(references_path(empty_kb / "content", SLUG))
    assert loaded is not None and loaded.references == record.references
    assert (loaded.format, loaded.file, loaded.edited) == ("csljson", "crossref.json", False)
    text = references_path(empty_kb / "content", SLUG).read_text()
    assert text.count("\n- {") == 3  # one line per reference


def test_a_changed_source_updates_the_list_a_hand_edit_is_kept(empty_kb: Path, tmp_path: Path) -> None:
    source = _write(tmp_path / "crossref.json", ITEM)
    config = load_config(empty_kb)
    import_files(config, [source])
    path = references_path(empty_kb / "content", SLUG)
    before = path.read_bytes()
    report = import_files(config, [source])
    assert path.read_bytes() == before and not report.updated
    corrected = json.loads(json.dumps(ITEM))
    corrected["reference"][2]["DOI"] = "10.1038/ncomms5308"
    _write(source, corrected)
    import_files(config, [source])
    lines = path.read_text().splitlines()
    assert '"doi": "10.1038/ncomms5308"' in lines[-1] and before.decode().splitlines()[3:5] == lines[3:5]
    # the reader corrects a reference by hand: kept, and a further change of the source is named
    path.write_text(path.read_text().replace('"author": "LeCun"', '"author": "LeCun Y"'))
    assert not [d for d in import_files(config, [source]).diagnostics if "references" in d.message]
    corrected["reference"][0]["DOI"] = "10.1371/other"
    _write(source, corrected)
    report = import_files(config, [source])
    assert '"author": "LeCun Y"' in path.read_text() and "10.1371/other" not in path.read_text()
    [warning] = [d for d in report.diagnostics if "lists other references" in d.message]
    assert warning.file == f"content/references/{SLUG}.yaml" and "you edited it" in warning.message
    # another file of the same work never replaces the list
    other = dict(ITEM, reference=[{"key": "x", "DOI": "10.1/x"}])
    import_files(config, [_write(tmp_path / "zotero.json", other)])
    assert "10.1/x" not in path.read_text()


def test_crossrefs_555_references_make_a_small_page(empty_kb: Path) -> None:
    fixture = SHARED / "fixtures" / "csljson" / "manubot-crossref-deep-review.json"
    if not fixture.is_file():
        pytest.skip("peer fixture manubot-crossref-deep-review.json not found at ../shared/fixtures")
    import_files(load_config(empty_kb), [fixture])
    [page] = (empty_kb / "content" / "papers").glob("*.md")
    assert page.stat().st_size < 10_000  # it was 132 KB, one 131,042-character line
    assert _meta(page)["references"] == 555 and max(len(line) for line in page.read_text().splitlines()) < 3000
    loaded = read_references(references_path(empty_kb / "content", page.stem))
    assert loaded is not None and len(loaded.references) == 555
    assert sum(1 for r in loaded.references if r.doi) == 352  # the ones Crossref gives a DOI
