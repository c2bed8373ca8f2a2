"""One page, several sources: each source is merged against its own base (`mergebase.py`), so a
PubMed record and a Zotero export of the same paper never flip a field, a hand edit survives
both, and a record with nothing to identify it is found again by a second import of its file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import SHARED

from litweave.commands.import_ import import_files
from litweave.config import load_config
from litweave.mergebase import base_path, parse_base

PUBMED = """PMID- 20301770
TI  - Feingold Syndrome 1.
FAU - Marcelis, Carlo LM
AU  - Marcelis CL
FAU - de Brouwer, Arjan PM
AU  - de Brouwer AP
JT  - GeneReviews(R)
DP  - 1993
AB  - Feingold syndrome 1 is characterized by digital anomalies.
PT  - Review
"""
ZOTERO = """@incollection{marcelis_feingold_1993,
  title = {Feingold {Syndrome} 1},
  booktitle = {{GeneReviews}},
  author = {Marcelis, Carlo L. M. and de Brouwer, Arjan P. M.},
  year = {1993},
  pmid = {20301770},
  publisher = {University of Washington, Seattle},
}
"""
SLUG = "marcelis-1993-feingold-syndrome-1"


def _meta(page: Path) -> dict:
    return yaml.safe_load(page.read_text().split("---\n")[1])


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _two_sources(tmp_path: Path) -> tuple[Path, Path]:
    nbib, bib = tmp_path / "one.nbib", tmp_path / "one-zotero.bib"
    nbib.write_text(PUBMED)
    bib.write_text(ZOTERO)
    return nbib, bib


def test_a_hand_edit_survives_two_sources_and_no_field_flips(empty_kb: Path, tmp_path: Path) -> None:
    nbib, bib = _two_sources(tmp_path)
    config = load_config(empty_kb)
    import_files(config, [nbib])
    page = empty_kb / "content" / "papers" / f"{SLUG}.md"
    first = _meta(page)
    assert first["title"] == "Feingold Syndrome 1." and first["authors"] == ["Carlo LM Marcelis", "Arjan PM de Brouwer"]
    page.write_text(page.read_text().replace("title: Feingold Syndrome 1.\n", "title: Feingold syndrome type 1\n"))

    zotero = import_files(config, [bib])
    after_zotero = _meta(page)
    assert after_zotero["title"] == "Feingold syndrome type 1"
    # the second source fills what was empty and leaves what the first gave
    assert after_zotero["publisher"] == "University of Washington, Seattle"
    assert after_zotero["authors"] == first["authors"] and after_zotero["journal"] == first["journal"]
    # its title differs from the reader's edit: reported, naming the source
    assert [(c.field, c.ours, c.theirs) for _, c in zotero.conflicts] == [
        ("title", "Feingold syndrome type 1", "Feingold Syndrome 1")
    ]
    warning = next(d for d in zotero.diagnostics if "conflict in title" in d.message)
    assert "one-zotero.bib (bibtex)" in warning.message

    tree = _tree(empty_kb / "content")
    pubmed = import_files(config, [nbib])
    assert _meta(page)["title"] == "Feingold syndrome type 1" and not pubmed.conflicts
    assert _tree(empty_kb / "content") == tree  # nothing flips back
    for _ in range(2):  # alternating imports of unchanged sources change no byte
        import_files(config, [bib])
        import_files(config, [nbib])
        assert _tree(empty_kb / "content") == tree
    # the open conflict is reported by every import of that source until it is settled
    assert [c.field for _, c in import_files(config, [bib]).conflicts] == ["title"]
    import_files(config, [bib], prefer="ours")
    assert not import_files(config, [bib]).conflicts and _meta(page)["title"] == "Feingold syndrome type 1"


def test_a_source_that_changes_a_field_updates_it_whichever_source_gave_it(empty_kb: Path, tmp_path: Path) -> None:
    nbib, bib = _two_sources(tmp_path)
    config = load_config(empty_kb)
    import_files(config, [nbib, bib])
    page = empty_kb / "content" / "papers" / f"{SLUG}.md"
    assert _meta(page)["journal"] == "GeneReviews(R)"
    # Zotero's record is corrected: its change reaches the field the reader left alone
    bib.write_text(ZOTERO.replace("{{GeneReviews}}", "{{GeneReviews®}}"))
    report = import_files(config, [bib])
    assert _meta(page)["journal"] == "GeneReviews®" and not report.conflicts
    # PubMed, unchanged, does not take it back; its own correction later does
    import_files(config, [nbib])
    assert _meta(page)["journal"] == "GeneReviews®"
    nbib.write_text(PUBMED.replace("JT  - GeneReviews(R)", "JT  - GeneReviews(®)"))
    import_files(config, [nbib])
    assert _meta(page)["journal"] == "GeneReviews(®)"
    base = parse_base(SLUG, base_path(empty_kb / "content", SLUG).read_text()).base
    assert base is not None and [(s.ref.format, s.ref.file, s.ref.id) for s in base.sources] == [
        ("medline", "one.nbib", "pmid:20301770"),
        ("bibtex", "one-zotero.bib", "key:marcelis_feingold_1993"),
    ]


def test_a_renamed_file_keeps_its_base_a_second_file_is_a_second_source(empty_kb: Path, tmp_path: Path) -> None:
    nbib, _bib = _two_sources(tmp_path)
    config = load_config(empty_kb)
    import_files(config, [nbib])
    page = empty_kb / "content" / "papers" / f"{SLUG}.md"
    renamed = nbib.with_name("pubmed-2024.nbib")
    nbib.rename(renamed)
    renamed.write_text(PUBMED.replace("Feingold Syndrome 1.", "Feingold syndrome 1."))
    import_files(config, [renamed])
    assert _meta(page)["title"] == "Feingold syndrome 1."  # the same source, corrected
    # a second file of the same format beside the first is another source: it only fills
    other = tmp_path / "another-search.nbib"
    other.write_text(PUBMED.replace("Feingold syndrome 1.", "FEINGOLD SYNDROME 1"))
    import_files(config, [other])
    assert _meta(page)["title"] == "Feingold syndrome 1."


def test_a_base_from_before_bases_were_per_source_is_given_to_its_source(empty_kb: Path, tmp_path: Path) -> None:
    nbib, _bib = _two_sources(tmp_path)
    config = load_config(empty_kb)
    import_files(config, [nbib])
    page, base = empty_kb / "content" / "papers" / f"{SLUG}.md", base_path(empty_kb / "content", SLUG)
    # the version 1 file an earlier litweave wrote: what the last import wrote, no source named
    values = base.read_text().split("\n", 4)[4]
    base.write_text(
        f"# litweave merge base 1 for papers/{SLUG}.md: the values the last import wrote.\n"
        "# Written by `litweave import`; commit it with the page, do not edit it.\n" + values
    )
    page.write_text(page.read_text().replace("DP  - 1993", "").replace("title: Feingold Syndrome 1.", "title: Mine"))
    nbib.write_text(PUBMED.replace("JT  - GeneReviews(R)", "JT  - GeneReviews"))
    report = import_files(config, [nbib])
    meta = _meta(page)
    assert meta["journal"] == "GeneReviews" and meta["title"] == "Mine" and not report.conflicts
    assert base.read_text().startswith(f"# litweave merge base 2 for papers/{SLUG}.md")
    assert not any("merge base" in d.message for d in report.diagnostics)


def test_records_without_title_authors_or_identifiers_are_found_again(empty_kb: Path, tmp_path: Path) -> None:
    refs = tmp_path / "refs.ris"
    refs.write_text(
        "TY  - GEN\nT2  - testJ\nCY  - testC\nER  - \n\n"
        "TY  - GEN\nN1  - a note and nothing else\nER  - \n\n"  # its placeholder names its position
        "TY  - JOUR\nTI  - A titled record\nAU  - Doe, Jane\nPY  - 2001\nER  - \n"
    )
    config = load_config(empty_kb)
    import_files(config, [refs])
    papers = empty_kb / "content" / "papers"
    names = sorted(p.name for p in papers.glob("*.md"))
    assert len(names) == 3
    tree = _tree(empty_kb / "content")
    for _ in range(2):
        report = import_files(config, [refs])
        assert not report.created and _tree(empty_kb / "content") == tree
    # a record put before them moves them in the file: still the same pages
    refs.write_text("TY  - JOUR\nTI  - A new first record\nAU  - Roe, Ann\nPY  - 2002\nER  - \n\n" + refs.read_text())
    report = import_files(config, [refs])
    assert len(report.created) == 1 and len(list(papers.glob("*.md"))) == 4


def _fixture_kb(tmp_path: Path) -> tuple[Path, list[Path]]:
    fixtures = SHARED / "fixtures"
    if not fixtures.is_dir():
        pytest.skip("peer fixtures not found at ../shared/fixtures")
    files = sorted(
        p
        for folder in ("refer", "ris", "medline", "bibtex", "csljson")
        for p in (fixtures / folder).iterdir()
        if p.is_file() and ".expected." not in p.name
    )
    root = tmp_path / "kb"
    (root / "content").mkdir(parents=True)
    (root / "litweave.toml").write_text('title = "Fixtures"\n')
    return root, files


def test_every_fixture_reimported_in_another_order_changes_no_byte(tmp_path: Path) -> None:
    root, files = _fixture_kb(tmp_path)
    config = load_config(root)
    first = import_files(config, files, progress=False)
    assert len(first.created) > 500
    tree = _tree(root / "content")
    assert not import_files(config, files, progress=False).created and _tree(root / "content") == tree
    import_files(config, list(reversed(files)), progress=False)
    assert _tree(root / "content") == tree


@pytest.mark.slow
def test_every_fixture_reimported_file_by_file_changes_no_byte(tmp_path: Path) -> None:
    root, files = _fixture_kb(tmp_path)
    config = load_config(root)
    import_files(config, files, progress=False)
    tree = _tree(root / "content")
    for path in reversed(files):  # one file at a time, the other way round
        import_files(config, [path], progress=False)
    assert _tree(root / "content") == tree


def test_an_untitled_record_exported_and_brought_back_finds_its_page(empty_kb: Path, tmp_path: Path) -> None:
    refs = tmp_path / "refs.ris"
    # two records of one file with one placeholder stay two pages; brought back, each finds its own
    refs.write_text("TY  - GEN\nT2  - Journal Title\nN1  - first\nER  - \n\nTY  - GEN\nT2  - Other Journal\nER  - \n")
    config = load_config(empty_kb)
    import_files(config, [refs])
    exported = tmp_path / "zotero.bib"
    from litweave.cli import main

    assert main(["--root", str(empty_kb), "export", "--format", "bibtex", "-o", str(exported)]) == 0
    report = import_files(config, [exported])
    assert not report.created and len(list((empty_kb / "content" / "papers").glob("*.md"))) == 2
    same = tmp_path / "same.ris"
    same.write_text("TY  - GEN\nT2  - Journal Title\nER  - \n\nTY  - GEN\nT2  - Journal Title\nN1  - x\nER  - \n")
    # two untitled records of one journal in one new file: the first joins the one page of that
    # placeholder, the second is another record of that same file, so another page
    import_files(config, [same])
    assert len(list((empty_kb / "content" / "papers").glob("*.md"))) == 3
