"""Records cut off by the end of their file: how each line-based format shows it, and the warning.

A file cut short (a download that stopped, a copy limited to so many bytes) still parses: its last
record simply has fewer fields, or a last field that stops mid-word, and would be imported as if
whole. What counts as evidence differs by format, and only evidence is reported, so that complete
files raise no warning:

- RIS ends every record with `ER`: a last record without one is cut (or malformed, which the
  reader needs to know as much).
- Refer and MEDLINE have no end marker, and many complete files end without a final line break,
  so a missing line break alone proves nothing. A cut shows when the last line is a tag with no
  value (the cut fell inside it), or when the file ends mid-line and every other record of the
  file ends with the same field (as exporters that write fields in a fixed order do: PubMed's
  `SO`, a synthetic corpus's `%U`) while the last record does not.
- BibTeX: an entry whose brace or quote is still open at the end of the file (importers/bibtex.py).

A file cut inside a UTF-8 character is reported where it is decoded (importers/encoding.py).
"""

from __future__ import annotations

from litweave.model import Diagnostic


def ends_mid_line(text: str) -> bool:
    """True when the text's last line has no line break after it (the cut, if any, is in it)."""
    return bool(text) and not text.endswith("\n")


def stops_short(last_tags: list[str]) -> str | None:
    """The tag every record but the last ends with, when the last ends with another; else None.

    Needs two records or more: one record alone shows no habit of its writer to compare with.
    """
    if len(last_tags) < 2:
        return None
    usual = set(last_tags[:-1])
    if len(usual) != 1:
        return None
    (tag,) = usual
    return tag if last_tags[-1] != tag else None


def cut_off(file: str, number: int, line: int, how: str, field: str = "") -> Diagnostic:
    """The warning for record `number` of `file`, which `how` ("ends without ER at the end of the
    file"); `field` names its last field as the file writes its tag, the one to check first, or
    is empty when the cut fell between fields."""
    check = f"check its last field, {field}, on line {line}" if field else f"the file stops on line {line}"
    return Diagnostic("warning", f"record {number} of {file} {how}: it may be truncated ({check})", file, line, number)


def cut_at_start(file: str, number: int, line: int, start: str) -> Diagnostic:
    """The warning for record `number`, of which the file holds only the start of its first line
    (`start`) before it ends: nothing to import, and no placeholder page made of it."""
    return Diagnostic(
        "warning",
        f"record {number} of {file} is only {start!r} at the end of the file: it may be truncated; skipped",
        file,
        line,
        number,
    )
