"""How two titles compare: the same work written differently, or two works that look alike.

Pure. Titles that name one work differ in case, punctuation, diacritics, spacing, small words,
word order, a dropped subtitle or one typo; titles of two works differ in a content word — a
drug, a gene, a disease, a number. The rule therefore aligns the titles token by token and
accepts only differences of the first kind: any differing number, symbol (HER2, KRAS, BAX) or
content word that is not one edit away from its counterpart rules a pair out. Word-overlap
measures cannot tell these apart ("Efficacy of CDK6 in prostate cancer" shares most of its
words with "Efficacy of erlotinib in bladder cancer").

Finding the pairs stays near-linear in the number of titles: each title is indexed under a few
exact keys (its words in order, its content words sorted, its main title without the
subtitle, and its content words with one left out, which two titles share exactly when they
differ in one word), and only titles sharing a key are compared.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

STOPWORDS = frozenset("a an the of in on for and to with by at from as into via its their is are be or".split())
"""Small words whose presence or absence never makes two titles different works. Negations
("not", "no", "without") and relations ("after", "versus") are content on purpose."""

_ROMAN = frozenset("i ii iii iv v vi vii viii ix x xi xii xiii xiv xv".split())
_TOKEN = re.compile(r"[^\W_]+")
_SUBTITLE = re.compile(r":|\?|!|\s[-\u2013\u2014]+\s|\.\s|\s\u2013|\u2014")
MIN_CONTENT = 3
"""Content words a title (or the main title a subtitle was dropped from) needs before anything
but an exact match counts: "Breast cancer" is a topic, not a work."""
MIN_MAIN = 4
"""Content words a main title needs for a title without its subtitle to be the same work:
"Breast cancer screening: a review" is not the book "Breast cancer screening"."""
_LARGEST_BLOCK = 64
"""A one-word-left-out key held by more distinct titles than this is generic; it is not paired."""


def fold(text: str) -> str:
    """Lower-case, diacritics removed: the form tokens are compared in."""
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text.casefold()


def _is_symbol(raw: str, shouting: bool) -> bool:
    """A token that must match exactly: numbers, roman numerals, gene and protein symbols."""
    if len(raw) <= 3 or _DIGIT.search(raw) or raw.casefold() in _ROMAN:
        return True
    if raw[1:].islower() or shouting:  # "tumour", "Tumour"; in a title in capitals case says nothing
        return False
    return sum(map(str.isupper, raw)) >= 2


_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class TitleShape:
    """A title taken apart once for every comparison it takes part in."""

    tokens: tuple[str, ...]
    """Folded words in order, punctuation gone."""
    content: tuple[str, ...]
    """`tokens` without stopwords, in order."""
    main: tuple[str, ...]
    """Content words of the main title (before the first ':', '?', ' - ' …); () without a subtitle."""
    title: str
    """The title as written: its case tells symbols from words (`exact_tokens`)."""

    @property
    def sorted_content(self) -> tuple[str, ...]:
        return tuple(sorted(self.content))


@lru_cache(maxsize=1 << 16)
def shape(title: str) -> TitleShape:
    """The parts of `title` the comparison needs."""
    tokens = tuple(_TOKEN.findall(fold(title)))
    content = tuple(t for t in tokens if t not in STOPWORDS)
    split = _SUBTITLE.search(title)
    main: tuple[str, ...] = ()
    if split and title[split.end() :].strip(" .?!"):
        main = tuple(t for t in _TOKEN.findall(fold(title[: split.start()])) if t not in STOPWORDS)
    return TitleShape(tokens, content, main, title)


@lru_cache(maxsize=1 << 12)
def exact_tokens(title: str) -> frozenset[str]:
    """Folded tokens of `title` that allow no typo: numbers, roman numerals, symbols, short words.

    Only the few titles that differ in one word need it, so it is not part of `shape`."""
    shouting = sum(map(str.isupper, title)) > 0.7 * sum(map(str.isalpha, title))
    return frozenset(fold(t) for t in _TOKEN.findall(title) if _is_symbol(t, shouting))


def _one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance of exactly one (a substitution, insertion, deletion or swap)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    if a[i + 1 :] == b[i + 1 :]:
        return True
    return a[i + 2 :] == b[i + 2 :] and a[i] == b[i + 1] and a[i + 1] == b[i]


_BRITISH = re.compile(r"^(?:oe|ae)")


def typo_close(a: str, b: str) -> bool:
    """Two words one slip of the keyboard apart ("tumour"/"tumor", "signalling"/"signaling").

    Both must be letters only, at least four long and start alike: drug and gene names that
    differ in one letter (KRAS/NRAS, lapatinib/apatinib) are symbols or differ at the start;
    a British "oe"/"ae" at the start is the one exception ("oestrogen" is "estrogen")."""
    if len(a) < 4 or len(b) < 4 or not (a.isalpha() and b.isalpha()):
        return False
    if _BRITISH.sub("e", a) == _BRITISH.sub("e", b):  # oestrogen, aetiology
        return True
    return a[0] == b[0] and _one_edit(a, b)


def compare(a: TitleShape, b: TitleShape) -> str | None:
    """Why two titles are likely one work, or None when a content word, number or symbol differs.

    Reasons, strongest first: "same title" (case, punctuation, diacritics), "same title apart from
    spacing", "same title apart from small words", "same words in another order", "subtitle
    missing in one", "one word misspelt"."""
    if a.tokens == b.tokens:
        return "same title"
    if "".join(a.tokens) == "".join(b.tokens):
        return "same title apart from spacing"
    if a.content == b.content and a.content:
        return "same title apart from small words"
    if len(a.content) >= MIN_CONTENT and a.sorted_content == b.sorted_content:
        return "same words in another order"
    if _dropped_subtitle(a, b) or _dropped_subtitle(b, a):
        return "subtitle missing in one"
    if len(a.content) >= MIN_CONTENT and len(a.content) == len(b.content):
        only_a = Counter(a.content) - Counter(b.content)
        only_b = Counter(b.content) - Counter(a.content)
        if sum(only_a.values()) == 1 and sum(only_b.values()) == 1:
            word_a, word_b = next(iter(only_a)), next(iter(only_b))
            if typo_close(word_a, word_b) and not {word_a, word_b} & (exact_tokens(a.title) | exact_tokens(b.title)):
                return "one word misspelt"
    return None


def _dropped_subtitle(full: TitleShape, bare: TitleShape) -> bool:
    """`bare` is `full` without its subtitle (the main title's content words, in any order)."""
    return len(full.main) >= MIN_MAIN and sorted(full.main) == list(bare.sorted_content)


def _keys(s: TitleShape) -> list[tuple[str, int]]:
    """Exact keys under which a title is indexed; two titles `compare` accepts share at least one.

    A multiset of words is keyed by the sum of its words' hashes, so that the keys of a title
    with one word left out cost one subtraction each rather than a new tuple."""
    keys = [("j", hash("".join(s.tokens)))]
    hashes = [hash(w) for w in s.content]
    total = sum(hashes)
    if s.content:
        keys.append(("c", total))
    if len(s.main) >= MIN_MAIN:
        keys.append(("c", sum(map(hash, s.main))))
    if len(s.content) >= MIN_CONTENT:
        keys.extend(("d", total - h) for h in hashes)
    return keys


def similar_title_pairs(titles: list[str]) -> list[tuple[int, int, str]]:
    """Pairs (x, y, reason), x < y, of distinct titles that `compare` finds to be one work.

    Only titles sharing an index key are compared, so the work grows with the number of titles
    (and the few titles each key holds), not with its square."""
    shapes = [shape(t) for t in titles]
    # Most keys are held by one title: a list is made only for a key's second title (hundreds of
    # thousands of one-element lists would cost more in garbage collection than all the rest).
    first: dict[tuple[str, int], int] = {}
    index: dict[tuple[str, int], list[int]] = {}
    for i, s in enumerate(shapes):
        for key in _keys(s):
            j = first.setdefault(key, i)
            if j != i:
                index.setdefault(key, [j]).append(i)
    pairs: set[tuple[int, int, str]] = set()
    seen: set[tuple[int, int]] = set()
    for key, members in index.items():
        members = list(dict.fromkeys(members))
        if len(members) < 2 or (key[0] == "d" and len(members) > _LARGEST_BLOCK):
            continue
        anchors = members if len(members) <= _LARGEST_BLOCK else _anchors(key, members, shapes)
        for n, x in enumerate(anchors):
            for y in members if anchors is not members else members[n + 1 :]:
                pair = (min(x, y), max(x, y))
                if x == y or pair in seen:
                    continue
                seen.add(pair)
                reason = compare(shapes[pair[0]], shapes[pair[1]])
                if reason is not None:
                    pairs.add((*pair, reason))
    return sorted(pairs)


def _anchors(key: tuple[str, int], members: list[int], shapes: list[TitleShape]) -> list[int]:
    """The members of a large block the others are compared with, so that a block of thousands
    (one bare title and the many titles that add a subtitle to it) costs linear time: the titles
    whose whole content is the key, or the first one."""
    if key[0] == "c":
        bare = [i for i in members if sum(map(hash, shapes[i].content)) == key[1]]
        if bare:
            return bare[:_LARGEST_BLOCK]
    return members[:1]
