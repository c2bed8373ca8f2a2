"""Import stage, before parsing: turn the bytes of a reference file into text.

Takes the raw bytes of a file and gives `(text, diagnostics)`: the text with any byte-order mark
removed and every line ending as LF, and an info diagnostic whenever the encoding had to be
guessed rather than read from a BOM or proven by a strict UTF-8 decode.

Order of trust: a BOM (UTF-8, UTF-16 LE/BE), then UTF-16 recognised by its NUL bytes, then strict
UTF-8 (a file that is UTF-8 up to a character its end cuts in two is UTF-8 cut short, and said
to be), then GB18030 when the bytes clearly look like Chinese text, else cp1252. cp1252 comes
last because it accepts almost any byte string, so it can never fail, only be wrong.
"""

from __future__ import annotations

import codecs

from litweave.model import Diagnostic
from litweave.wording import plural

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# cp1252 leaves five bytes undefined; real files still contain them, so fall back to Latin-1
# for those rather than fail or insert replacement characters.
_CP1252_HIGH = {}
for _byte in range(0x80, 0xA0):
    try:
        _CP1252_HIGH[_byte] = bytes([_byte]).decode("cp1252")
    except UnicodeDecodeError:
        pass


def decode(data: bytes, file: str = "") -> tuple[str, list[Diagnostic]]:
    """Decode a reference file's bytes: BOM, UTF-16 by NULs, UTF-8, GB18030, else cp1252."""
    diagnostics: list[Diagnostic] = []
    text = _decode_bytes(data, file, diagnostics)
    return normalise_newlines(text), diagnostics


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so every parser sees one kind of line ending."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_bytes(data: bytes, file: str, diagnostics: list[Diagnostic]) -> str:
    # Some exporters write a space before the BOM; a BOM after one space still names the encoding.
    body = data[1:] if data[:1] == b" " and _bom_of(data[1:]) else data
    bom = _bom_of(body)
    if bom is not None:
        marker, encoding = bom
        return body[len(marker) :].decode(encoding, errors="replace")

    utf16 = _sniff_utf16(data)
    if utf16 is not None:
        diagnostics.append(Diagnostic("info", f"no byte-order mark; decoded as {utf16} (NUL byte pattern)", file))
        return data.decode(utf16, errors="replace")

    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            # UTF-8 to the last bytes, which start a character the file stops inside: a file cut
            # short, not another encoding (cp1252 would garble every other character of it)
            cut = len(data) - exc.start
            line = data.count(b"\n", 0, exc.start) + 1
            message = (
                f"the file ends inside a character ({plural(cut, 'byte')} of a UTF-8 character and not the rest, "
                "left out): the file may be truncated"
            )
            diagnostics.append(Diagnostic("warning", message, file, line))
            return data[: exc.start].decode("utf-8")

    if looks_like_gb(data):
        diagnostics.append(Diagnostic("info", "not valid UTF-8; decoded as GB18030 (Chinese text)", file))
        return data.decode("gb18030")

    diagnostics.append(Diagnostic("info", "not valid UTF-8; decoded as cp1252 (Windows Western European)", file))
    return _decode_cp1252(data)


def _bom_of(data: bytes) -> tuple[bytes, str] | None:
    # UTF-32 LE starts with the UTF-16 LE BOM; such files are not expected and would decode as
    # UTF-16 with NULs, which the parser then rejects as not a reference file.
    for marker, encoding in _BOMS:
        if data.startswith(marker):
            return marker, encoding
    return None


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: mostly-ASCII text puts a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    pairs = len(sample) // 2
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls > 0.3 * pairs and even_nuls < 0.05 * pairs:
        return "utf-16-le"
    if even_nuls > 0.3 * pairs and odd_nuls < 0.05 * pairs:
        return "utf-16-be"
    return None


def looks_like_gb(data: bytes) -> bool:
    """True when the bytes read as GB18030 Chinese text rather than as Latin text in cp1252.

    Conservative on purpose: GB18030 accepts most cp1252 byte strings too, so it is chosen only
    when the high bytes pair up in the GB2312 region (both bytes 0xA1–0xFE), the result is
    nearly all CJK characters and punctuation, and at least one run of two CJK characters occurs
    (Chinese words are written that way; isolated accented letters in Latin text are not).
    """
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    wide = [c for c in text if ord(c) > 0x7F]
    if len(wide) < 2:
        return False
    cjk = sum(1 for c in wide if _is_cjk(c))
    if cjk < 0.9 * len(wide):
        return False
    if not any(_is_cjk(a) and _is_cjk(b) for a, b in zip(text, text[1:], strict=False)):
        return False
    gb2312_pairs = 0
    other_high = 0
    i = 0
    while i < len(data):
        byte = data[i]
        if byte < 0x80:
            i += 1
            continue
        if 0xA1 <= byte <= 0xFE and i + 1 < len(data) and 0xA1 <= data[i + 1] <= 0xFE:
            gb2312_pairs += 1
            i += 2
            continue
        other_high += 1
        i += 1
    return gb2312_pairs >= 0.8 * (gb2312_pairs + other_high)


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF  # unified ideographs
        or 0x3400 <= code <= 0x4DBF  # extension A
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
    )


def _decode_cp1252(data: bytes) -> str:
    latin = data.decode("latin-1")
    return latin.translate(_CP1252_HIGH)
