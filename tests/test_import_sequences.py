"""Random sequences of imports from several sources of the same papers, interleaved with hand
edits, checked after every step against a model of the merge rule (a Hypothesis state machine).

Three sources — a PubMed export (MEDLINE), a Zotero export (BibTeX) and a lab's RIS file — hold
versions of the same three papers (one DOI each) that differ in title, journal, volume, authors
and abstract, and that change, lose fields, gain and lose records between imports. The reader
edits, deletes and comments fields and writes notes. After every import:

- no hand edit is lost: an edited field keeps the reader's value, a deleted one stays deleted,
  every comment and note is still there, byte for byte;
- importing the same files again changes no byte under content/, and importing a source that
  has not changed since its last import changes no byte either, whatever was imported in between
  (so no field flips between two sources that disagree);
- a change a source makes to a field the reader did not edit reaches the page; a source new to a
  page fills only its empty fields;
- the conflicts reported are exactly the fields the reader edited that the source changed (or,
  for a source new to the page, holds otherwise), once per source and field.

`LITWEAVE_SEQUENCES` and `LITWEAVE_SEQUENCE_STEPS` set how many sequences of how many steps
run (the default run is small; the slow test runs more); each run prints the steps it took.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from litweave.commands.import_ import import_files
from litweave.config import load_config

PAPERS = 3
SOURCES = ("pubmed.nbib", "zotero.bib", "lab.ris")
FIELDS = ("title", "journal", "volume", "abstract", "authors")
DELETED = object()
"""A hand deletion, in the model."""

PEOPLE = (("Anna", "Smith"), ("Bob", "Jones"), ("Carl", "Wu"), ("Dora", "Kim"))


def _variants(paper: int, name: str) -> list[Any]:
    """The values sources may hold for one field of one paper (None: the source lacks it)."""
    if name == "title":
        return [
            f"Receptor signalling study {paper}",
            f"Receptor signalling study {paper}.",
            f"Receptor signaling study {paper}",
            f"Revised receptor signalling study {paper}",
        ]
    if name == "journal":
        return ["Journal of Tests", "J Tests", "Journal of Trials", None]
    if name == "volume":
        return ["12", "13", "14", None]
    if name == "abstract":
        return ["First abstract of the work.", "Second abstract.", "A third abstract.", None]
    return [(0, 1), (0,), (0, 1, 2), (3, 0)]


def _page_value(name: str, value: Any) -> Any:
    """What a page shows for a source's value."""
    if name == "authors":
        return [f"{PEOPLE[i][0]} {PEOPLE[i][1]}" for i in value]
    return value


def _medline(records: dict[int, dict[str, Any]]) -> str:
    out = []
    for paper, rec in sorted(records.items()):
        lines = [f"PMID- {9000 + paper}", f"TI  - {rec['title']}"]
        for i in rec["authors"]:
            lines += [f"FAU - {PEOPLE[i][1]}, {PEOPLE[i][0]}", f"AU  - {PEOPLE[i][1]} {PEOPLE[i][0][0]}"]
        if rec["journal"]:
            lines.append(f"JT  - {rec['journal']}")
        if rec["volume"]:
            lines.append(f"VI  - {rec['volume']}")
        lines.append(f"DP  - {2010 + paper}")
        if rec["abstract"]:
            lines.append(f"AB  - {rec['abstract']}")
        lines.append(f"AID - 10.5555/paper.{paper} [doi]")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def _bibtex(records: dict[int, dict[str, Any]]) -> str:
    out = []
    for paper, rec in sorted(records.items()):
        fields = [f"  title = {{{rec['title']}}}"]
        fields.append("  author = {" + " and ".join(f"{PEOPLE[i][1]}, {PEOPLE[i][0]}" for i in rec["authors"]) + "}")
        if rec["journal"]:
            fields.append(f"  journal = {{{rec['journal']}}}")
        if rec["volume"]:
            fields.append(f"  volume = {{{rec['volume']}}}")
        fields.append(f"  year = {{{2010 + paper}}}")
        fields.append(f"  doi = {{10.5555/paper.{paper}}}")
        if rec["abstract"]:
            fields.append(f"  abstract = {{{rec['abstract']}}}")
        out.append(f"@article{{paper{paper},\n" + ",\n".join(fields) + ",\n}\n")
    return "\n".join(out)


def _ris(records: dict[int, dict[str, Any]]) -> str:
    out = []
    for paper, rec in sorted(records.items()):
        lines = ["TY  - JOUR", f"TI  - {rec['title']}"]
        lines += [f"AU  - {PEOPLE[i][1]}, {PEOPLE[i][0]}" for i in rec["authors"]]
        if rec["journal"]:
            lines.append(f"T2  - {rec['journal']}")
        if rec["volume"]:
            lines.append(f"VL  - {rec['volume']}")
        lines += [f"PY  - {2010 + paper}", f"DO  - 10.5555/paper.{paper}"]
        if rec["abstract"]:
            lines.append(f"AB  - {rec['abstract']}")
        lines.append("ER  - ")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


WRITERS = {"pubmed.nbib": _medline, "zotero.bib": _bibtex, "lab.ris": _ris}

STEPS = {"taken": 0, "sequences": 0, "imports": 0}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _split(text: str) -> tuple[list[str], str]:
    """Front matter lines (between the --- lines) and the rest."""
    assert text.startswith("---\n")
    end = text.index("\n---\n", 3)
    return text[4:end].split("\n"), text[end + 5 :]


class ImportSequences(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="litweave-sequences-"))
        self.kb = self.tmp / "kb"
        (self.kb / "content" / "papers").mkdir(parents=True)
        (self.kb / "litweave.toml").write_text('title = "Sequences"\n')
        self.files = self.tmp / "files"
        self.files.mkdir()
        self.config = load_config(self.kb)
        # the model
        self.source: dict[str, dict[int, dict[str, Any]]] = {s: {} for s in SOURCES}
        self.base: dict[str, dict[int, dict[str, Any]]] = {s: {} for s in SOURCES}
        """Per source and paper, what the merge rule says that source's base holds."""
        self.dirty = {s: True for s in SOURCES}
        self.hand: dict[int, dict[str, Any]] = {p: {} for p in range(PAPERS)}
        self.kept_lines: dict[int, list[str]] = {p: [] for p in range(PAPERS)}
        """Comment and note lines the reader wrote, which must stay on the page."""
        self.pages: set[int] = set()
        self.written: dict[int, set[str]] = {p: set() for p in range(PAPERS)}
        """Fields an import has written to each page (a deletion of anything else undoes an addition)."""
        self.count = 0
        STEPS["sequences"] += 1

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- helpers -------------------------------------------------------------------------------

    def _page_paths(self) -> dict[int, Path]:
        found = {}
        for path in (self.kb / "content" / "papers").glob("*.md"):
            meta = yaml.safe_load("\n".join(_split(path.read_text())[0]))
            found[int(str(meta["doi"]).rsplit(".", 1)[1])] = path
        return found

    def _meta(self, paper: int) -> dict[str, Any]:
        return yaml.safe_load("\n".join(_split(self._page_paths()[paper].read_text())[0]))

    def _edit(self, paper: int, change) -> None:  # type: ignore[no-untyped-def]
        path = self._page_paths()[paper]
        lines, rest = _split(path.read_text())
        lines, rest = change(lines, rest)
        path.write_text("---\n" + "\n".join(lines) + "\n---\n" + rest)

    def _next(self) -> int:
        self.count += 1
        return self.count

    # -- what the sources do -------------------------------------------------------------------

    @initialize(
        first=st.sampled_from(SOURCES),
        values=st.lists(st.lists(st.integers(0, 3), min_size=5, max_size=5), min_size=PAPERS, max_size=PAPERS),
    )
    def start(self, first: str, values: list[list[int]]) -> None:
        for source in SOURCES:
            for paper in range(PAPERS):
                self.source[source][paper] = self._record(paper, values[paper], shift=SOURCES.index(source))
        self._import(first)

    def _record(self, paper: int, picks: list[int], shift: int = 0) -> dict[str, Any]:
        record = {}
        for name, pick in zip(FIELDS, picks, strict=True):
            options = _variants(paper, name)
            record[name] = options[(pick + shift) % len(options)]
        record["title"] = record["title"] or _variants(paper, "title")[0]
        return record

    @rule(
        source=st.sampled_from(SOURCES),
        paper=st.integers(0, PAPERS - 1),
        name=st.sampled_from(FIELDS),
        pick=st.integers(0, 3),
    )
    def source_changes_a_field(self, source: str, paper: int, name: str, pick: int) -> None:
        if paper not in self.source[source]:
            return
        value = _variants(paper, name)[pick]
        if name == "title" and value is None:
            return
        if self.source[source][paper][name] != value:
            self.source[source][paper][name] = value
            self.dirty[source] = True

    @rule(
        source=st.sampled_from(SOURCES),
        paper=st.integers(0, PAPERS - 1),
        picks=st.lists(st.integers(0, 3), min_size=5, max_size=5),
    )
    def source_adds_or_removes_a_record(self, source: str, paper: int, picks: list[int]) -> None:
        if paper in self.source[source]:
            if len(self.source[source]) > 1:
                del self.source[source][paper]
                self.dirty[source] = True
        else:
            self.source[source][paper] = self._record(paper, picks)
            self.dirty[source] = True

    @rule(source=st.sampled_from(SOURCES))
    def import_a_source(self, source: str) -> None:
        self._import(source)

    @rule(first=st.sampled_from(SOURCES), second=st.sampled_from(SOURCES))
    def import_two_sources_at_once(self, first: str, second: str) -> None:
        if first != second:
            self._import(first, second)

    # -- what the reader does ------------------------------------------------------------------

    @precondition(lambda self: bool(self.pages))
    @rule(data=st.data(), name=st.sampled_from(FIELDS))
    def reader_edits_a_field(self, data: st.DataObject, name: str) -> None:
        paper = data.draw(st.sampled_from(sorted(self.pages)))
        n = self._next()
        value: Any = [f"Hand Person{n}"] if name == "authors" else f"Hand {n}"
        line = f"{name}: [Hand Person{n}]" if name == "authors" else f"{name}: Hand {n}"

        def change(lines: list[str], rest: str) -> tuple[list[str], str]:
            at = [i for i, x in enumerate(lines) if x.startswith(f"{name}:")]
            if at:
                lines[at[0]] = line
            else:
                lines.insert(1, line)
            return lines, rest

        self._edit(paper, change)
        self.hand[paper][name] = value

    @precondition(lambda self: bool(self.pages))
    @rule(data=st.data(), name=st.sampled_from(FIELDS))
    def reader_deletes_a_field(self, data: st.DataObject, name: str) -> None:
        paper = data.draw(st.sampled_from(sorted(self.pages)))
        if name not in self._meta(paper) or name == "title":
            return

        def change(lines: list[str], rest: str) -> tuple[list[str], str]:
            return [x for x in lines if not x.startswith(f"{name}:")], rest

        self._edit(paper, change)
        if name in self.written[paper]:
            self.hand[paper][name] = DELETED
        else:  # the reader takes back a field they added: the page is as no one touched it
            del self.hand[paper][name]

    @precondition(lambda self: bool(self.pages))
    @rule(data=st.data(), inline=st.booleans())
    def reader_writes_a_comment(self, data: st.DataObject, inline: bool) -> None:
        paper = data.draw(st.sampled_from(sorted(self.pages)))
        n = self._next()

        def change(lines: list[str], rest: str) -> tuple[list[str], str]:
            year = [i for i, x in enumerate(lines) if x.startswith("year:")]
            if inline and year and "#" not in lines[year[0]]:  # no source changes the year
                lines[year[0]] += f"  # checked {n}"
                self.kept_lines[paper].append(lines[year[0]])
            else:
                lines.insert(1, f"# my comment {n}")
                self.kept_lines[paper].append(f"# my comment {n}")
            return lines, rest

        self._edit(paper, change)

    @precondition(lambda self: bool(self.pages))
    @rule(data=st.data())
    def reader_writes_a_note(self, data: st.DataObject) -> None:
        paper = data.draw(st.sampled_from(sorted(self.pages)))
        n = self._next()
        self._edit(paper, lambda lines, rest: (lines, rest.rstrip("\n") + f"\n\nMy note {n}.\n"))
        self.kept_lines[paper].append(f"My note {n}.")

    # -- the import and what must hold after it --------------------------------------------------

    def _import(self, *sources: str) -> None:
        before_meta = {p: self._meta(p) for p in self.pages}
        clean = [s for s in sources if not self.dirty[s]]
        for source in sources:
            (self.files / source).write_text(WRITERS[source](self.source[source]))
        before = _tree(self.kb / "content")
        report = import_files(self.config, [self.files / s for s in sources], progress=False)
        STEPS["imports"] += 1
        assert report.ok, [str(d) for d in report.diagnostics if d.level == "error"]
        after = _tree(self.kb / "content")
        if len(clean) == len(sources):
            assert after == before, f"importing unchanged {sources} changed {_changed(before, after)}"
        # again, at once: nothing changes
        again = import_files(self.config, [self.files / s for s in sources], progress=False)
        assert _tree(self.kb / "content") == after, (
            f"a second import changed {_changed(after, _tree(self.kb / 'content'))}"
        )
        assert not again.created and not again.updated

        slug_paper = {p.name: n for n, p in self._page_paths().items()}
        reported = Counter((slug_paper[rel.rsplit("/", 1)[1]], c.field) for rel, c in report.conflicts)
        expected: Counter[tuple[int, str]] = Counter()
        final: dict[tuple[int, str], set[Any]] = {}  # what the page must show after the import
        new_pages = {p for s in sources for p in self.source[s]} - self.pages
        for source in sources:
            for paper, record in self.source[source].items():
                base = self.base[source].get(paper)
                new_base = dict(base or {})
                for name in FIELDS:
                    if record[name] is None:
                        continue
                    shown = _page_value(name, record[name])
                    known = base.get(name) if base is not None else None
                    if name in self.hand[paper]:
                        if known != shown:
                            expected[(paper, name)] += 1
                            continue  # an open conflict keeps the old base, so it is reported again
                    elif paper in new_pages:
                        final.setdefault((paper, name), set()).add(repr(shown))  # made of the richest value
                        self.written[paper].add(name)
                    elif known != shown and (base is not None or name not in self.written[paper]):
                        final[(paper, name)] = {repr(shown)}  # changed, or filled by a new source
                        self.written[paper].add(name)
                    new_base[name] = shown
                self.base[source][paper] = new_base
            self.dirty[source] = False
        self.pages |= new_pages
        for (paper, name), allowed in final.items():
            assert repr(self._meta(paper).get(name)) in allowed, (sources, paper, name, before_meta.get(paper))
        assert reported == expected, f"conflicts reported {sorted(reported)}, expected {sorted(expected)}"

    @invariant()
    def no_hand_edit_is_lost(self) -> None:
        STEPS["taken"] += 1
        for paper in self.pages:
            text = self._page_paths()[paper].read_text()
            meta = self._meta(paper)
            for name, value in self.hand[paper].items():
                if value is DELETED:
                    assert name not in meta, (paper, name)
                else:
                    assert meta.get(name) == value, (paper, name, meta.get(name), value)
            lines = text.split("\n")
            for line in self.kept_lines[paper]:
                assert line in lines, (paper, line)


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def _run(sequences: int, steps: int) -> None:
    STEPS.update(taken=0, sequences=0, imports=0)
    ImportSequences.TestCase.settings = settings(
        max_examples=sequences, stateful_step_count=steps, deadline=None, database=None
    )
    ImportSequences.TestCase().runTest()
    print(f"\n{STEPS['sequences']} sequences, {STEPS['taken']} steps, {STEPS['imports']} imports")


def test_import_sequences_keep_every_edit() -> None:
    _run(int(os.environ.get("LITWEAVE_SEQUENCES", "30")), int(os.environ.get("LITWEAVE_SEQUENCE_STEPS", "25")))


@pytest.mark.slow
def test_import_sequences_keep_every_edit_long() -> None:
    _run(int(os.environ.get("LITWEAVE_SEQUENCES", "60")), int(os.environ.get("LITWEAVE_SEQUENCE_STEPS", "50")))
