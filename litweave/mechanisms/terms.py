"""How vocabulary names are written and compared: separators, case, plurals, Greek letters and
the shield phrases. Shared by the vocabulary checks and the matcher, so both fold names alike. Pure.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa"}
SEPARATORS = " -\u00a0\u2010\u2011\u2013"
SEP_CLASS = "[ \\-\u00a0\u2010\u2011\u2013]"
SEP_RUN = re.compile(SEP_CLASS + "+")
LOWER_RUN = re.compile(r"[a-z]{5}")

# Phrases that contain a vocabulary acronym but name something else; matched, then discarded.
SHIELDS = (
    "PR interval",
    "PR intervals",
    "PR segment",
    "partial response (PR)",
    "partial responses (PR)",
    "ER lumen",
    "ER membrane",
    "ER membranes",
    "ER-Golgi",
    "ER to Golgi",
    "ER-associated degradation",
    "ER-phagy",
    "rough ER",
    "smooth ER",
    # MET as metabolic equivalent of task (physical activity) or mesenchymal-epithelial transition
    "MET-hours",
    "MET-hour",
    "MET-h",
    "MET-minutes",
    "MET-min",
    "mesenchymal-epithelial transition (MET)",
    "mesenchymal-to-epithelial transition (MET)",
    # paralogues and other proteins named after a vocabulary entry
    "N-Myc",
    "N-MYC",
    "L-Myc",
    "L-MYC",
    "p21-activated kinase",
    "TNF-related apoptosis-inducing ligand",
    "pyruvate dehydrogenase kinase 1 (PDK1)",
    # domain families named after a protein by an abbreviation that is not a homology or binding name
    "BRCA1 C-terminal (BRCT)",
    "BRCA1 C-terminus (BRCT)",
    "BRCA1 carboxy-terminal (BRCT)",
    "(BRCA1 C-terminal)",
    # the IAP protein family, named after the process it blocks
    "inhibitor of apoptosis protein",
    "inhibitors of apoptosis protein",
    "inhibitor of apoptosis proteins",
    "inhibitors of apoptosis proteins",
    "inhibitor of apoptosis (IAP)",
    "inhibitor of apoptosis family",
    "inhibitor-of-apoptosis",
)

# Names that, written in capitals, are also everyday words. Inside text in capitals they are the
# word: when the word before is in capitals and is no vocabulary name, and the word after is in
# capitals too ("PATIENTS WHO MET CRITERIA") or the word before is a product code ("CCK-8 KIT").
EVERYDAY_WORDS = frozenset(
    {"MET", "KIT", "RET", "ATM", "YAP", "NOTCH", "SNAIL", "TWIST", "BAD", "BID", "MAX", "ROCK", "TRAIL"}
)
CAPITALS_WORD = re.compile(r"[A-Z0-9][A-Z0-9\-]*[A-Z0-9]")

# An organism: a name followed, within two words, by a Latin binomial in parentheses
# ("hedgehog (Erinaceus europaeus)", "Snail hosts (Biomphalaria glabrata)"). Checked only for names
# written as words, not acronyms.
ORGANISM_AFTER = re.compile(r"(?:\s[a-z]+){0,2}\s\([A-Z][a-z]+\s[a-z]{3,}\)")

# What follows a name that makes it only the namesake of another thing, a domain or another protein
# ("Src homology 2", "BCL-2 homology 3", "Ras homolog enriched in brain", "Ras-binding domain",
# "p53-binding protein 1", "FKBP12-rapamycin-binding (FRB) domain", "Grb2-associated binder",
# "TNF receptor-associated factor", the epitope tag "Myc-tagged"). Matched at
# the end of a mention; the mention is then dropped. "homology-directed repair", "homologous
# recombination", the "-associated proteins" that bind a protein and a protein's own
# "DNA-binding domain" or "ligand-binding domain" do not count: the name is then the owner.
_NAMED_AFTER = r"""
    ~homology(?!~?directed)(?![^\W_])
  | ~homologu?e?s?(?![^\W_])
  | (?:~receptor)?~(?:binding|interacting)(?:~?\([^()]{1,12}\))?
      ~(?:domains?|motifs?|modules?|pockets?|proteins?)(?![^\W_])
  | ~tag(?:s|ged)?(?![^\W_])
  | (?:~receptor)?~(?:associated|association)(?:~[^\W_]+){0,2}?~(?:domains?|binders?|factors?|promoters?)(?![^\W_])
"""
NAMED_AFTER = re.compile(_NAMED_AFTER.replace("~", SEP_CLASS), re.IGNORECASE | re.VERBOSE)


def is_case_insensitive(term: str) -> bool:
    return LOWER_RUN.search(term) is not None


def case_variants(term: str) -> list[str]:
    """Lower-case and mouse-style forms of a symbol with a digit: "AKT1" → "akt1", "Akt1".

    Only a case-sensitive name with a digit and at least two letters has them: lower-case forms of
    symbols without a digit are words or other things ("met", "ret", "kit", "ras", "trail") and
    are matched only when a page lists them as aliases.
    """
    if is_case_insensitive(term) or not any(c.isdigit() for c in term):
        return []
    if sum(c.isalpha() for c in term) < 2:
        return []
    lower = term.lower()
    return [form for form in dict.fromkeys((lower, lower.capitalize())) if form != term]


def abbreviated_splits(term: str) -> list[tuple[str, str, str]]:
    """How a long name is written with the abbreviation of its first words in parentheses inside
    it: (first words, abbreviation, rest) for "endoplasmic reticulum (ER) stress", "epidermal growth
    factor (EGF) receptor", "insulin-like growth factor-I (IGF-I) receptor". The abbreviation is the
    initials of those words (of each part of a hyphenated word, "-like" left out), with a last "-I"
    or "-1" kept."""
    if not is_case_insensitive(term):
        return []
    words = term.split()
    splits = []
    for k in range(2, len(words)):
        parts = [part for word in words[:k] for part in _WORD_PARTS.split(word) if part and part != "like"]
        abbreviation = "".join(part[0] for part in parts).upper()
        tail = _MEMBER_TAIL.search(words[k - 1])
        if tail:
            abbreviation += "-" + tail.group(1)
        splits.append((" ".join(words[:k]), abbreviation, " ".join(words[k:])))
    return splits


_WORD_PARTS = re.compile(r"-(?=[^\W\d_]{2})")
_MEMBER_TAIL = re.compile(r"-([IV]+|\d+)$")


def takes_plural(term: str, insensitive: bool) -> bool:
    if insensitive:
        return term[-1:].isalpha() and not term.endswith("s")
    return len(term) >= 3 and term[-1] in "RK"


def greek_variants(term: str) -> list[str]:
    """Spell each Greek letter out and vary the separator before it; the term itself first."""
    pieces = re.split("([" + "".join(GREEK) + "])", term)
    if len(pieces) == 1:
        return [term]
    options: list[list[str]] = [[pieces[0]]]
    for i in range(1, len(pieces), 2):
        letter, tail = pieces[i], pieces[i + 1]
        before = options[-1]
        seps: tuple[str, ...] = ("",)
        if before[0][-1:] in ("-", " ") or before[0][-1:].isalnum():
            options[-1] = [before[0].rstrip("- ")]
            seps = ("-", "", " ") if before[0][-1:] == "-" else ("", "-", " ")
        options.append([sep + spelled for sep in seps for spelled in (letter, GREEK[letter])])
        options.append([tail])
    return list(dict.fromkeys("".join(combo) for combo in itertools.product(*options)))


def insensitive_key(text: str) -> str:
    return SEP_RUN.sub(" ", text.casefold())


def fold_name(text: str) -> str:
    """Key for looking a name up by hand (front-matter overrides): case and separators folded."""
    return insensitive_key(unicodedata.normalize("NFC", text).strip())


def name_key(name: str) -> str:
    name = unicodedata.normalize("NFC", name.strip())
    return insensitive_key(name) if is_case_insensitive(name) else name
