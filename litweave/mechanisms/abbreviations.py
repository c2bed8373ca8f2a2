"""Abbreviation definitions in running text, by the Schwartz–Hearst algorithm.

Discovery stage, pure: a text in, the `Definition`s it makes ("long form (SHORT)" or
"SHORT (long form)") out. Follows A. S. Schwartz and M. A. Hearst, "A simple algorithm for
identifying abbreviation definitions in biomedical text", PSB 2003: a short form is one or two
words of at most ten characters with a letter and starting with a letter or digit; its long form
is the shortest tail of the words before the parenthesis in which every letter and digit of the
short form appears in order, the first one at the start of a word; and the long form may have at
most min(|short| + 5, 2 × |short|) words.
"""

from __future__ import annotations

from dataclasses import dataclass

from litweave.sentences import split_sentences


@dataclass(frozen=True, slots=True)
class Definition:
    """One abbreviation defined in a text."""

    short: str
    """The abbreviation as written ("IGF-IR")."""
    long: str
    """Its expansion as written ("insulin-like growth factor-I receptor")."""
    sentence: str
    """The sentence that defines it."""


def find_definitions(text: str) -> list[Definition]:
    """Every abbreviation definition in `text`, in order of appearance."""
    found: list[Definition] = []
    for start, end in split_sentences(text):
        sentence = " ".join(text[start:end].split())
        for short, long in _pairs(sentence):
            found.append(Definition(short, long, sentence))
    return found


_LONG_FORM_WINDOW = 400
"""Characters before a parenthesis searched for its long form: a long form has at most 15 words
(`_acceptable`), and searching a whole sentence back from every parenthesis made a 1 MB abstract
without a full stop take minutes."""


def _pairs(sentence: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    search_from = 0
    while True:
        open_at = sentence.find(" (", search_from)
        if open_at < 0:
            break
        open_at += 1
        close_at = _matching_paren(sentence, open_at)
        if close_at < 0:
            break
        inside = sentence[open_at + 1 : close_at]
        window = max(0, open_at - _LONG_FORM_WINDOW)
        clause_end = max(sentence.rfind(". ", window, open_at), sentence.rfind(", ", window, open_at))
        before = sentence[clause_end + 2 if clause_end >= 0 else window : open_at]
        for sep in (", ", "; "):
            cut = inside.find(sep)
            if cut >= 0:
                inside = inside[:cut]
        short, long = inside.strip(), before.strip()
        if len(short) > 1 and len(long) > 1:
            if len(short.split()) > 2 or len(short) > len(long):
                # "SHORT (long form)": the short form is the word before the parenthesis
                words = before.split()
                short = words[-1] if words else ""
                long = inside.strip()
                if not any(c.isupper() for c in short):
                    short = ""
            short = short.strip(".,;:")
            if _valid_short(short):
                best = _best_long_form(short, long)
                if best is not None and _acceptable(short, best):
                    pairs.append((short, best))
        search_from = close_at + 1
    return pairs


def _matching_paren(text: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _valid_short(short: str) -> bool:
    return bool(short) and any(c.isalpha() for c in short) and (short[0].isalnum() or short[0] == "(")


def _best_long_form(short: str, long: str) -> str | None:
    """The shortest tail of `long` holding the short form's characters in order (from the right)."""
    li = len(long) - 1
    for si in range(len(short) - 1, -1, -1):
        ch = short[si].lower()
        if not ch.isalnum():
            continue
        while li >= 0 and (long[li].lower() != ch or (si == 0 and li > 0 and long[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        li -= 1
    start = long.rfind(" ", 0, li + 1) + 1
    return long[start:]


def _acceptable(short: str, long: str) -> bool:
    long_words = len(long.replace("-", " ").split())
    short_chars = sum(1 for c in short if c.isalnum())
    return not (
        len(short) < 2
        or len(long) < len(short)
        or f"{short} " in long
        or long.endswith(short)
        or long_words > short_chars * 2
        or long_words > short_chars + 5
        or short_chars > 10
    )
