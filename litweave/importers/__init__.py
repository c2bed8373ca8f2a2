"""Importers: one module per format, each `parse(text, file) -> ImportResult`.

Importers are pure given the decoded text: `encoding.decode` turns bytes into text first, and
`detect.detect_format` names the format from the content. The registry below is how the import
command finds a parser by name.
"""

from __future__ import annotations

from collections.abc import Callable

from litweave.importers import bibtex, csljson, medline, refer, ris
from litweave.importers.clean import clean_result
from litweave.model import ImportResult

Parser = Callable[[str, str], ImportResult]


def _cleaned(parse: Parser) -> Parser:
    """The importer, with control characters taken out of its records (importers/clean.py)."""

    def cleaned(text: str, file: str) -> ImportResult:
        return clean_result(parse(text, file))

    cleaned.__doc__ = parse.__doc__
    return cleaned


PARSERS: dict[str, Parser] = {
    "refer": _cleaned(refer.parse),
    "ris": _cleaned(ris.parse),
    "bibtex": _cleaned(bibtex.parse),
    "medline": _cleaned(medline.parse),
    "csljson": _cleaned(csljson.parse),
}
