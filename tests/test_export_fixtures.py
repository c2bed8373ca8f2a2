"""The BibTeX export of what every peer BibTeX file imports as: read back by litweave's importer to
the same text, holding no backslash but those of the escapes the importer reads back, and no
escaped backslash that is what is left of a command the import did not decode.

The generated records of test_export_parse_back are drawn from a small alphabet; these are the
texts real .bib files decode to (accents, math, dotless i, Greek letters, tabbing accents). A
value decoded by half (`X\\'\\ixx` as "X\\\u0301íx́x́", `\\L\\lêáé` as "Ł\\lêáé") was exported
as an escaped backslash, which every reader then prints: `X\\textbackslash{}\u0301íx́x́`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SHARED

from litweave.commands.export import export_text
from litweave.importers import PARSERS
from litweave.importers.encoding import decode
from litweave.importers.latex import known_command, latex_to_unicode
from litweave.model import Record

BIBTEX = SHARED / "fixtures" / "bibtex"
FILES = sorted(p for p in BIBTEX.glob("*.bib") if ".expected" not in p.name) if BIBTEX.is_dir() else []

ESCAPES = {
    r"\textbackslash{}": "\\",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
    **{"\\" + c: c for c in "&%$#_"},
}
"""Every backslash a BibTeX export may write, and the character litweave's importer reads it as."""
_ESCAPE = re.compile("|".join(re.escape(e) for e in sorted(ESCAPES, key=len, reverse=True)))

_PARAGRAPHS = ("abstract", "note")
"""Fields whose paragraph breaks a BibTeX value, one line, writes as spaces."""
_CONTAINED = {"article-journal", "chapter", "paper-conference"}
"""Types whose entry has a container field; another type's container goes to `howpublished`."""


def _texts(record: Record) -> dict[str, object]:
    """What the export carries of a record, as text."""
    out: dict[str, object] = {
        name: getattr(record, name)
        for name in ("title", "volume", "issue", "pages", "publisher", "place", "doi", "url", "language", "year")
    }
    out.update({name: " ".join(getattr(record, name).split()) for name in _PARAGRAPHS})
    out["container_title"] = record.container_title if record.type in _CONTAINED else ""
    out["keywords"] = record.keywords
    for role in ("authors", "editors"):
        out[role] = [(p.family, p.given, p.suffix, p.literal) for p in getattr(record, role)]
    return out


_ESCAPED_BACKSLASH = re.compile(r"\\textbackslash\{\}([A-Za-z]*)(.?)", re.DOTALL)


_MARKS = "'\"`^~=."
"""The marks of LaTeX's accent commands (`\\'e`, `\\"o`)."""


def _half_decoded(exported: str) -> list[str]:
    """The escaped backslashes of an export that stand for a command left undecoded: one before
    the name of a command litweave knows (`\\l` of "Ł\\lêáé"), before an accent's mark, alone or
    after a name (`\\a'A`, the tabbing environment's accent), or before a combining mark (what an
    accent put on the backslash leaves). One before the name of a command litweave does not know
    is that command kept as written (`\\unknown`), on purpose, and one before anything else a
    backslash the text holds (`\\textbackslash`, a path)."""
    found = []
    for m in _ESCAPED_BACKSLASH.finditer(exported):
        name, after = m.groups()
        combining = not name and "\u0300" <= after <= "\u036f"
        if (name and known_command(name)) or (after and after in _MARKS) or combining:
            found.append(exported[max(0, m.start() - 20) : m.end() + 10])
    return found


def _imported(path: Path) -> list[Record]:
    text, _ = decode(path.read_bytes(), path.name)
    return PARSERS["bibtex"](text, path.name).records


@pytest.mark.skipif(not FILES, reason=f"peer fixtures not found at {BIBTEX} (../shared/fixtures)")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_the_export_of_an_imported_file_reads_back_and_carries_no_stray_backslash(path: Path) -> None:
    records = _imported(path)
    exported = export_text(records, "bibtex")
    stray = [m.start() for m in re.finditer(r"\\", _ESCAPE.sub("", exported))]
    assert stray == [], f"{path.name}: a backslash that is no escape the importer reads back: {exported!r}"
    assert _half_decoded(exported) == []
    if not records:  # a file of comments or @string definitions only
        assert exported == ""
        return
    result = PARSERS["bibtex"](exported, "export.bib")
    assert [d for d in result.diagnostics if d.level == "error"] == []
    assert [_texts(r) for r in result.records] == [_texts(r) for r in records]


def test_every_escape_the_export_writes_reads_back_as_its_character() -> None:
    for escape, char in ESCAPES.items():
        assert latex_to_unicode(f"a{escape}b") == f"a{char}b", escape
