"""Import stage, after decoding: undo one known kind of mojibake in field values.

Takes a field value and gives `(fixed_text, repairs)`. The damage repaired is punctuation that
went through a GBK encoder and came back out of a Big5 decoder: the en dash U+2013 is bytes
A8 43 in GBK, which Big5 reads as 每, so "20–30%" arrives as "20每30%". The mojibake forms are
computed from the codecs themselves, not typed in. Every one of them is also a real character
of Chinese text (每天 "every day"), so a form is repaired only in a context where the Chinese
reading is impossible: between digits, between Latin words, or as a pair of quotes around Latin
text. Anything else is left exactly as it was.

"naˋve" is the same path with one more loss: ï has no GBK code, so the exporter wrote a full-width
question mark, which Big5 reads as ˋ. The letter itself is gone; only words where the lost letter
is certain are restored, and `find_lost` points at the other places for a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _garble(char: str) -> str:
    """What `char` becomes when written as GBK and read as Big5."""
    return char.encode("gbk").decode("big5")


EN_DASH = _garble("–")  # 每
EM_DASH = _garble("—")  # 〞
LEFT_SINGLE = _garble("‘")  # ＆
RIGHT_SINGLE = _garble("’")  # ＊
LEFT_DOUBLE = _garble("“")  # ※
RIGHT_DOUBLE = _garble("”")  # §
LOST = _garble("？")  # ˋ: a character GBK could not encode became "？" before the Big5 read

_CONTEXT = 12


@dataclass(frozen=True, slots=True)
class Repair:
    """One repaired spot in a text."""

    position: int
    """Offset of the repaired character in the original text."""
    before: str
    """A few characters around the spot as they were."""
    after: str
    """The same span as repaired."""


_LATIN_WORD = r"[A-Za-z0-9]"
_NOT_CJK = r"\u3000-\u9fff\uff00-\uffef"

# en dash: "20每30%", "[5每7]", "[3, 8每12]" — digits on both sides; Chinese never puts 每 there.
_EN_DASH_RE = re.compile(rf"(?<=[0-9]){EN_DASH}(?=[0-9])")
# em dash: between Latin words, with or without spaces ("drug〞a", "drug 〞 a").
_EM_DASH_RE = re.compile(
    rf"(?<={_LATIN_WORD}){EM_DASH}(?={_LATIN_WORD})|(?<={_LATIN_WORD} ){EM_DASH}(?= {_LATIN_WORD})"
)
# apostrophe inside a Latin word: "don＊t", "patient＊s".
_APOSTROPHE_RE = re.compile(rf"(?<=[A-Za-z]){RIGHT_SINGLE}(?=[A-Za-z])")


def _quote_pair(left: str, right: str, longest: int) -> re.Pattern[str]:
    """A left…right pair around Latin text on one line, with no CJK inside."""
    inside = rf"[^\n{left}{right}{_NOT_CJK}]{{0,{longest}}}?"
    return re.compile(rf"{left}[A-Za-z0-9]{inside}[A-Za-z0-9.,!?)]{right}")


_QUOTE_PAIR_RES = (
    (_quote_pair(LEFT_DOUBLE, RIGHT_DOUBLE, 300), "“", "”"),
    (_quote_pair(LEFT_SINGLE, RIGHT_SINGLE, 120), "‘", "’"),
)
# Words whose lost letter is certain: English has no other "na?ve".
_LOST_WORD_RE = re.compile(rf"(?<![A-Za-z])([Nn])a{LOST}v(?=e|ety|ely|eness|eté)")
_LOST_RE = re.compile(rf"(?<=[A-Za-z]){LOST}(?=[A-Za-z])")


def repair(text: str) -> tuple[str, list[Repair]]:
    """Repair GBK→Big5 punctuation mojibake where the context is unambiguous."""
    if not any(form in text for form in (EN_DASH, EM_DASH, RIGHT_SINGLE, LEFT_DOUBLE, LOST)):
        return text, []
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in the original text
    for match in _EN_DASH_RE.finditer(text):
        edits.append((match.start(), match.end(), "–"))
    if "〝" not in text:  # a real 〝…〞 quotation means 〞 is meant
        for match in _EM_DASH_RE.finditer(text):
            edits.append((match.start(), match.end(), "—"))
    for pattern, left, right in _QUOTE_PAIR_RES:
        for match in pattern.finditer(text):
            edits.append((match.start(), match.start() + 1, left))
            edits.append((match.end() - 1, match.end(), right))
    taken = {start for start, _, _ in edits}
    for match in _APOSTROPHE_RE.finditer(text):
        if match.start() not in taken:
            edits.append((match.start(), match.end(), "’"))
    for match in _LOST_WORD_RE.finditer(text):
        spot = match.start() + 2
        edits.append((spot, spot + 1, "ï"))
    if not edits:
        return text, []
    edits.sort()
    fixed = _apply(text, edits)
    repairs = [_describe(text, edits, start) for start, _, _ in edits]
    return fixed, repairs


def find_lost(text: str) -> list[int]:
    """Offsets of ˋ between Latin letters: a letter lost in conversion that `repair` could not restore."""
    if LOST not in text:  # nearly always: skip the regex scan
        return []
    return [match.start() for match in _LOST_RE.finditer(text)]


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    parts: list[str] = []
    cursor = 0
    for start, end, replacement in edits:
        parts.append(text[cursor:start])
        parts.append(replacement)
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts)


def _describe(text: str, edits: list[tuple[int, int, str]], position: int) -> Repair:
    lo = max(0, position - _CONTEXT)
    hi = min(len(text), position + _CONTEXT + 1)
    inside = [(s - lo, e - lo, r) for s, e, r in edits if lo <= s and e <= hi]
    before = text[lo:hi]
    return Repair(position=position, before=before, after=_apply(before, inside))
