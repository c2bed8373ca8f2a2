"""Importers: one module per format, each `parse(text, file) -> ImportResult`.

Importers are pure given the decoded text: `encoding.decode` turns bytes into text first, and
`detect.detect_format` names the format from the content. The registry below is how the import
command finds a parser by name; each parser's records pass through `clean` (control characters)
and `finish` (markup cleaned in every format, a placeholder title where a record has none), so
no caller sees a raw record.
"""

from __future__ import annotations

from collections.abc import Callable

from litweave.importers import bibtex, csljson, medline, refer, ris
from litweave.importers.clean import clean_result
from litweave.importers.finish import finish
from litweave.model import ImportResult

Parser = Callable[[str, str], ImportResult]


def _finished(parse: Parser, fmt: str) -> Parser:
    """The importer, with markup cleaned and untitled records given placeholders
    (importers/finish.py), then control characters taken out (importers/clean.py): last, so
    that nothing a cleaning step produced can put a line break in a one-line field."""

    def run(text: str, file: str) -> ImportResult:
        return clean_result(finish(parse(text, file), file, fmt))

    run.__doc__ = parse.__doc__
    return run


PARSERS: dict[str, Parser] = {
    name: _finished(parse, name)
    for name, parse in (
        ("refer", refer.parse),
        ("ris", ris.parse),
        ("bibtex", bibtex.parse),
        ("medline", medline.parse),
        ("csljson", csljson.parse),
    )
}
