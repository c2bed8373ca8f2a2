"""Importers: one module per format, each `parse(text, file) -> ImportResult`.

Importers are pure given the decoded text: `encoding.decode` turns bytes into text first, and
`detect.detect_format` names the format from the content. The registry below is how the import
command finds a parser by name.
"""

from __future__ import annotations

from collections.abc import Callable

from litweave.importers import bibtex, csljson, medline, refer, ris
from litweave.model import ImportResult

Parser = Callable[[str, str], ImportResult]

PARSERS: dict[str, Parser] = {
    "refer": refer.parse,
    "ris": ris.parse,
    "bibtex": bibtex.parse,
    "medline": medline.parse,
    "csljson": csljson.parse,
}
