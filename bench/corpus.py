"""Deterministic synthetic corpus of biomedical paper records, for the benchmarks (stdlib only).

Each record has a title of 8-16 words, 1-12 authors drawn from a Zipf-Mandelbrot-weighted pool
that grows with N, a journal from a pool of 200, a year from 1990 to 2026, a DOI, and an abstract
of 150-300 words that mentions 1-6 "mechanisms". The mechanism pool is this repository's own
vocabulary (`content/mechanisms/*.md`, read at run time: each page's title, with its aliases as
the other ways a text may name it) topped up to about 300 with made-up names ("TAVOK-2 kinase",
"ZNF418") that no vocabulary name or alias can match, so that part of every corpus is
deliberately unknown to the vocabulary. Filler prose that would mention any pool name is left
out, so a record's `mechanisms` are exactly the pool entries its text names.

Formats:
  refer   EndNote/Refer tagged text (`%0 Journal Article`, `%T`, one `%A Family, Given` per
          author, `%J`, `%D`, `%R`, `%X`), a blank line between records; OUT may be `-`
  hugo    a Hugo site folder: config.toml with the taxonomies authors and mechanisms,
          content/papers/*.md (YAML front matter, the abstract as body) and minimal layouts,
          no theme; Hugo renders one page per paper, per author and per mechanism, and lists

    python bench/corpus.py -n 1000 [--seed 1] --format refer corpus.enw
    python bench/corpus.py -n 1000 --format hugo hugo-site/

The same (N, seed) and vocabulary always give byte-identical output: nothing depends on the
clock, on hash ordering or on the platform. The author pool scales with N, so the records for
N=1000 are not a prefix of those for N=10000.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VOCABULARY = REPO / "content" / "mechanisms"
POOL_SIZE = 300
JOURNAL_POOL = 200
YEARS = range(1990, 2027)

# ---------------------------------------------------------------------------------------------
# Mechanism vocabulary: a reader for the small YAML subset the vocabulary pages use
# ---------------------------------------------------------------------------------------------


class FrontMatterError(ValueError):
    """A vocabulary page whose front matter this reader cannot follow."""


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _quoted(text: str, i: int) -> tuple[str, int]:
    """A single- or double-quoted YAML scalar starting at text[i]; returns (value, next index)."""
    quote = text[i]
    j = i + 1
    if quote == "'":
        out: list[str] = []
        while j < len(text):
            if text[j] == "'":
                if text[j + 1 : j + 2] == "'":
                    out.append("'")
                    j += 2
                    continue
                return "".join(out), j + 1
            out.append(text[j])
            j += 1
        raise FrontMatterError("unterminated single-quoted string")
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == '"':
            return json.loads(text[i : j + 1]), j + 1
        j += 1
    raise FrontMatterError("unterminated double-quoted string")


def _flow(text: str, i: int, stops: str) -> tuple[object, int]:
    """A flow value (`[...]`, `{...}`, quoted or plain scalar) at text[i]; plain scalars end at
    any character of `stops`."""
    i = _skip_space(text, i)
    if i >= len(text):
        return "", i
    c = text[i]
    if c == "[":
        items: list[object] = []
        i += 1
        while True:
            i = _skip_space(text, i)
            if i >= len(text):
                raise FrontMatterError("unterminated [ list")
            if text[i] == "]":
                return items, i + 1
            value, i = _flow(text, i, ",]")
            items.append(value)
            i = _skip_space(text, i)
            if i < len(text) and text[i] == ",":
                i += 1
    if c == "{":
        mapping: dict[str, object] = {}
        i += 1
        while True:
            i = _skip_space(text, i)
            if i >= len(text):
                raise FrontMatterError("unterminated { mapping")
            if text[i] == "}":
                return mapping, i + 1
            key, i = _flow(text, i, ":,}")
            i = _skip_space(text, i)
            value: object = ""
            if i < len(text) and text[i] == ":":
                value, i = _flow(text, i + 1, ",}")
            mapping[str(key)] = value
            i = _skip_space(text, i)
            if i < len(text) and text[i] == ",":
                i += 1
    if c in "'\"":
        return _quoted(text, i)
    j = i
    while j < len(text) and text[j] not in stops and text[j] != "\n":
        if text[j] == ":" and ":" in stops and text[j + 1 : j + 2] not in (" ", "\t", "\n", ""):
            j += 1  # "a:b" is one plain scalar; only ": " separates a key
            continue
        j += 1
    return text[i:j].strip(), j


def parse_front_matter(block: str) -> dict[str, object]:
    """The top-level keys of a front matter block written as a flow mapping or as `key: value`
    lines (values plain, quoted, flow lists or maps, or `- item` lines below an empty key)."""
    if block.strip().startswith("{"):
        value, _ = _flow(block.strip(), 0, "")
        assert isinstance(value, dict)
        return value
    result: dict[str, object] = {}
    key = None
    for line in block.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " \t-":
            item = line.strip()
            if key is not None and item.startswith("- ") and isinstance(result.get(key), list):
                value, _ = _flow(item[2:], 0, "")
                result[key].append(value)  # type: ignore[union-attr]
            continue  # nested mappings (identifiers) are not needed here
        key, sep, rest = line.partition(":")
        if not sep:
            raise FrontMatterError(f"not a key: value line: {line!r}")
        key, rest = key.strip(), rest.strip()
        if not rest:
            result[key] = []
        elif rest[0] in "[{'\"":
            result[key], _ = _flow(rest, 0, "")
        else:
            result[key] = re.sub(r"\s+#.*$", "", rest)
    return result


@dataclass(frozen=True)
class Mechanism:
    name: str
    """The name a record lists (the vocabulary page's title)."""
    forms: tuple[str, ...]
    """Ways a text names it: the name first, then the aliases."""
    kind: str
    """"agent" (a drug or antibody), "process" (a process or pathway) or "target"."""
    known: bool
    """True for vocabulary pages, False for the made-up names."""


def _kind(kind: str) -> str:
    if kind in ("drug", "antibody"):
        return "agent"
    if kind in ("process", "pathway"):
        return "process"
    return "target"


def load_vocabulary(folder: Path = VOCABULARY) -> list[Mechanism]:
    """The mechanisms of `folder/*.md`, in file name order."""
    out: list[Mechanism] = []
    for path in sorted(folder.glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if not lines or lines[0].strip() != "---" or "---" not in (x.strip() for x in lines[1:]):
            continue
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        try:
            data = parse_front_matter("\n".join(lines[1:end]))
        except FrontMatterError as exc:
            raise FrontMatterError(f"{path.name}: {exc}") from exc
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            continue
        aliases = data.get("aliases") or []
        if not isinstance(aliases, list):
            aliases = [aliases]
        forms = list(dict.fromkeys([title.strip(), *(str(a).strip() for a in aliases if str(a).strip())]))
        out.append(Mechanism(title.strip(), tuple(forms), _kind(str(data.get("kind", ""))), True))
    return out


def mention_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """Case-insensitive whole-word matcher of any of `names` (stricter than the build's matcher,
    which is case-sensitive for acronyms: whatever this misses, the build misses too)."""
    alternatives = sorted(set(names), key=lambda s: (-len(s), s))
    if not alternatives:
        return re.compile(r"(?!x)x")
    body = "|".join(re.escape(a) for a in alternatives)
    return re.compile(rf"(?<![0-9A-Za-z])(?:{body})(?![0-9A-Za-z])", re.IGNORECASE)


_FAMILIES = "ZNF TMEM KLHL LRRC CCDC ANKRD FAM WDR TRIM DUSP RNF PPP1R ARHGEF TBC1D ZBTB SLC9C".split()
_SYLLABLES = "ka vo ri ze lu ta mi no sa de fe gi ho ra te xa qu bo ne pi".split()
_ROLES = ["kinase", "receptor", "phosphatase", "ligase", "channel", "exchanger"]


def made_up_names(count: int, avoid: Sequence[str]) -> list[Mechanism]:
    """`count` plausible gene-like names, the same for the same `avoid` whatever the seed: none
    equals, contains or is contained in a name of `avoid` or of each other."""
    rng = random.Random("litweave-bench-made-up-mechanisms")
    avoid_rx = mention_pattern(avoid)
    taken: list[str] = []
    out: list[Mechanism] = []
    guard = 0
    while len(out) < count:
        guard += 1
        if guard > 100 * count + 1000:
            raise RuntimeError("cannot make enough distinct made-up mechanism names")
        if rng.random() < 0.5:
            name = f"{rng.choice(_FAMILIES)}{rng.randint(2, 899)}"
        else:
            stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).upper()
            name = f"{stem}-{rng.randint(1, 9)} {rng.choice(_ROLES)}"
        if avoid_rx.search(name) or (taken and mention_pattern(taken).search(name)):
            continue
        if any(mention_pattern([name]).search(t) for t in taken):
            continue
        taken.append(name)
        out.append(Mechanism(name, (name,), "target", False))
    return out


def mechanism_pool(folder: Path = VOCABULARY, size: int = POOL_SIZE) -> list[Mechanism]:
    """The vocabulary followed by made-up names up to `size` entries (all of the vocabulary when
    it alone is larger)."""
    vocabulary = load_vocabulary(folder)
    forms = [f for m in vocabulary for f in m.forms]
    return vocabulary + made_up_names(max(0, size - len(vocabulary)), forms)


# ---------------------------------------------------------------------------------------------
# Prose: phrase lists and sentence patterns ({M} is a mechanism, the rest are filled in below)
# ---------------------------------------------------------------------------------------------

DISEASES = """breast carcinoma|triple-negative breast cancer|lung adenocarcinoma|squamous lung cancer|
colorectal carcinoma|pancreatic adenocarcinoma|hepatocellular carcinoma|glioblastoma|acute myeloid leukaemia|
multiple myeloma|cutaneous melanoma|high-grade serous ovarian cancer|prostate adenocarcinoma|gastric adenocarcinoma|
clear cell renal carcinoma|oral squamous cell carcinoma|endometrial carcinoma|urothelial carcinoma|osteosarcoma|
neuroblastoma|pleural mesothelioma|papillary thyroid carcinoma|cervical carcinoma|oesophageal adenocarcinoma|
medulloblastoma|follicular lymphoma|diffuse large B-cell lymphoma|type 2 diabetes|obesity|pulmonary fibrosis|
ulcerative colitis|fatty liver disease|heart failure|chronic kidney disease|rheumatoid arthritis"""
PROCESSES = """cell proliferation|drug tolerance|tumour invasion|cell migration|clonogenic survival|colony formation|
lipid accumulation|glycolytic flux|mitochondrial respiration|oxidative stress|immune infiltration|T-cell activation|
stromal remodelling|lineage plasticity|therapy escape|spheroid growth|xenograft growth|
protein translation|chromatin remodelling|fibroblast activation|macrophage polarisation|replication stress|
ribosome biogenesis|nutrient sensing|cytokine release|vascular leakage|dormancy exit"""
ADJECTIVES = """Adaptive|Aberrant|Sustained|Transient|Compensatory|Paradoxical|Selective|Divergent|Coordinated|
Context-dependent|Dose-dependent|Persistent|Reciprocal|Unexpected|Heterogeneous|Graded"""
STUDIES = """a phase II trial|a randomised phase III trial|a retrospective cohort study|a prospective multicentre study|
a systematic review|a pooled analysis|a preclinical study|an integrative genomic analysis|a population-based study|
a single-centre experience|a translational study|in vitro and in vivo evidence"""
MODELS = """patient-derived xenograft|organoid|murine|orthotopic|spheroid|isogenic|syngeneic|zebrafish"""
OUTCOMES = """overall survival|progression-free survival|pathological complete response|disease-free survival|
objective response rate|time to relapse|quality of life"""
VERBS = """promotes|restrains|enhances|dampens|modulates|restores|drives|reverses|predicts|uncouples"""
SETBACKS = """acquired resistance|primary resistance|endocrine resistance|treatment failure|early relapse|
adaptive resistance"""
SUBJECTS = """Oncology|Cancer Research|Cell Biology|Molecular Medicine|Endocrinology|Pharmacology|Immunology|
Haematology|Translational Medicine|Experimental Therapeutics|Pathology|Biochemistry|Genetics|Genomics|Proteomics|
Drug Discovery|Clinical Investigation|Biomedical Science|Tumour Biology|Medical Genetics|Neuro-Oncology|Urology|
Radiation Oncology|Surgical Oncology|Metabolism|Cardiology|Cell Signalling|Precision Medicine|Targeted Therapy|
Molecular Pathology"""
JOURNAL_FORMS = """Journal of {}|Annals of {}|Archives of {}|International Journal of {}|European Journal of {}|
Frontiers in {}|Advances in {}|Current Opinion in {}|Trends in {}|Clinical {}|Reviews in {}|Open {}"""

TITLES_WITH_TWO = """Crosstalk between {M} and {M2} shapes {P} in {C} models of {D}|
Combined targeting of {M} and {M2} in {D}: {S}|
{A} coupling of {M} to {M2} {V} {P} in {D}"""
TITLES_WITH_ONE = """{A} {P} mediated by {M} in {D}|
{M} {V} {P} and {P2} in {D}: {S}|
Role of {M} in {P} and {P2} of {D}|
Prognostic value of {M} for {O} in patients with {D}: {S}|
Targeting {M} to overcome {R} in {D}: {S}|
Loss of {M} confers {R} through {P} in {D}|
{M} as a therapeutic handle in {D}: {S}|
Efficacy and safety of {M} in advanced {D}: {S}|
{A} {M} activity in {D} with {R}: {S}|
Inhibition of {M} {V} {P} in {C} models of {D}|
Circulating {M} levels and {O} in {D}: {S}|
Does {M} predict {O} in {D}?|
Spatial profiling of {M} and {P} in {D}|
{M} links {P} to {R} in {D}"""
TITLES_PLAIN = """{A} {P} and {P2} in {D}: {S}|
Determinants of {O} in {D}: {S}|
{A} {P} in {C} models of {D}|
{A} {P} in {D} after {R}: {S}|
Patterns of {P} and {O} in {D}: {S}|
Predictors of {R} and {O} in {D}: {S}"""

MENTIONS = {
    "agent": """Treatment with {M} was associated with longer {O} (HR {hr}; 95% CI {lo}-{hi}).|
Exposure to {M} reduced {P} by {pct}% relative to vehicle in {C} models.|
Sensitivity to {M} varied widely across the {n} cell lines tested.|
Adding {M} to standard care {V} {P} without new safety signals.|
Cells that survived {M} displayed {P} and a shift towards {P2}.""",
    "target": """Expression of {M} was scored in {n} archival tumour specimens.|
Knockdown of {M} reduced {P} by {pct}% compared with control cells.|
Mechanistically, {M} {V} {P} through a feedback loop that sustains {P2}.|
High {M} levels correlated with shorter {O} in a validation cohort of {n} patients.|
Pharmacological blockade of {M} {V} {P} in {C} models (p = {p}).""",
    "process": """Markers of {M} rose {fold}-fold after treatment and tracked with {P}.|
Blocking {M} restored {P} in {C} models of {D}.|
The extent of {M} in resected tumours was linked to poorer {O}.|
Single-cell profiles placed {M} upstream of {P} in a subset of cells.""",
}
PAIRS = """Dual blockade of {M} and {M2} curbed {P} more than either alone.|
Signalling through {M} and {M2} converged on {P} in {C} models."""
BACKGROUND = """{D} remains a leading cause of death, and {O} for patients with advanced disease is still poor.|
Despite progress in targeted therapy, {R} limits the durability of responses in {D}.|
The molecular events behind {P} in {D} are incompletely understood.|
Markers that predict {O} are needed to guide the choice of treatment in {D}.|
{P} and {P2} mark aggressive disease and are associated with poor {O}.|
How {P} is controlled in {D} has been debated for more than a decade.|
Few treatment options remain for patients with {D} once {R} sets in."""
METHODS = """We analysed {n} tumour samples from patients treated between {y1} and {y2} by RNA sequencing.|
Cells from {C} models were exposed to rising drug concentrations for three days, and viability was measured.|
Associations with {O} were tested in Cox models adjusted for age, stage and grade.|
Eligible patients were randomly assigned in a 1:1 ratio, and the primary end point was {O}.|
Transcriptomic and proteomic profiles were integrated to reconstruct signalling networks.|
Tissue microarrays from {n} cases were stained and scored by two pathologists blinded to outcome.|
Whole-exome data from {n} tumours were screened for recurrent alterations.|
Dose-response curves were fitted with a four-parameter model, and synergy was scored by the Bliss method.|
We pooled individual patient data from {fold} trials completed between {y1} and {y2}."""
RESULTS = """Gene set enrichment showed significant enrichment of {P} and {P2} programmes.|
Overall, {pct}% of patients responded, with a median duration of response of {mo} months.|
In {C} models, the combination reduced tumour volume by {pct}% relative to vehicle (p = {p}).|
No significant difference in {O} was seen between the arms after a median follow-up of {mo} months.|
Serious adverse events occurred in {pct}% of patients, most often neutropenia and diarrhoea.|
Sensitivity analyses excluding early deaths gave consistent estimates.|
The effect persisted after adjustment for known clinical factors (p = {p}).|
Responses were deeper in tumours with high baseline {P}, although the difference was modest.|
Serial biopsies showed that {P} declined within two weeks and recovered at progression.|
A score combining {P} and {P2} separated patients into groups with distinct {O}.|
Effects on {P} were reproduced in a second panel of {C} models.|
The benefit was confined to patients younger than 65 years in an exploratory analysis.|
Circulating tumour DNA fell below detection in {pct}% of responders by the third cycle."""
CONCLUSIONS = """These findings point to a new route to {R} and support combination strategies in {D}.|
Our results suggest that {P} may be a therapeutic vulnerability in {D}.|
Prospective validation in larger cohorts is warranted before routine clinical use.|
Taken together, these data argue for marker-driven trials in {D}."""

GIVEN_NAMES = """James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Susan Joseph Sarah
Thomas Karen Wei Jing Hui Yan Xin Min Hiroshi Yuki Kenji Akiko Takashi Haruka Ji-hoon Seo-yeon Priya Rahul Anil
Sunita Deepak Kavita Mohammed Fatima Ahmed Layla Omar Aisha Carlos Maria Jose Ana Luis Sofia Javier Lucia Giovanni
Francesca Marco Giulia Luca Chiara Hans Anna Klaus Petra Ingrid Pierre Claire Jean Sophie Camille Lars Astrid Erik
Olga Dmitri Natalia Sergei Irina Andrzej Katarzyna Piotr Agnieszka Kwame Ama Chinedu Ngozi Tunde Amara Elena
Nikolaos Eleni Daniel Rachel Noah Miriam Ethan Leah Kofi Nadia Samuel Grace Benjamin Hannah Lukas Emma Mateo
Valentina Arjun Ananya Hamid Zahra Tomas Eva Rita Paolo Ines Bruno Marta Felix Greta Oskar Alma""".split()
FAMILY_NAMES = """Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Martin Jackson
Thompson White Harris Clark Lewis Robinson Walker Young Allen Wright Scott Green Baker Adams Nelson Hill Campbell
Mitchell Roberts Carter Phillips Evans Turner Torres Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan
Cooper Reed Bailey Bell Gomez Kelly Howard Ward Diaz Richardson Wood Watson Brooks Bennett Gray Reyes Cruz Hughes
Price Myers Foster Sanders Ross Morales Powell Sullivan Russell Ortiz Jenkins Perry Butler Barnes Fisher Henderson
Wang Zhang Liu Chen Yang Huang Zhao Zhou Wu Xu Sun Zhu Guo Lin Gao Luo Zheng Tanaka Suzuki Takahashi Watanabe Ito
Yamamoto Nakamura Kobayashi Kato Yoshida Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Patel Sharma Singh Kumar
Gupta Reddy Rao Iyer Nair Mehta Muller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Rossi
Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Garcia Martinez Rodriguez Lopez Hernandez Gonzalez
Perez Sanchez Ramirez Flores Dubois Durand Lefebvre Moreau Laurent Fournier Jensen Nielsen Hansen Pedersen Larsen
Johansson Karlsson Nilsson Eriksson Ivanov Petrov Smirnov Popov Nowak Kowalski Wisniewski Okafor Mensah Adeyemi
Nkosi Haddad Khalil Hassan Rahman Cohen Levi Papadopoulos Nahta Esteva Hortobagyi Slamon""".split()
_ONSETS = "b br c d dr f g gr h j k kr l m n p pr r s st t tr v w z".split()
_NUCLEI = "a e i o u ai ei ou ia".split()
_CODAS = ["", "", "", "n", "r", "l", "s", "t", "k", "m", "nd", "rt", "ng"]

AUTHOR_COUNTS = [3, 7, 10, 12, 12, 11, 9, 7, 5, 3, 2, 1]  # weights of 1..12 authors, mean about 5.5
MECHANISM_COUNTS = [22, 30, 22, 13, 8, 5]  # weights of 1..6 mechanisms, mean about 2.7


def _split(text: str) -> list[str]:
    return [s.strip() for s in text.replace("\n", "").split("|") if s.strip()]


@dataclass(frozen=True)
class Prose:
    """The phrase lists and patterns, each without any entry that would name a pool mechanism."""

    diseases: list[str]
    processes: list[str]
    adjectives: list[str]
    studies: list[str]
    models: list[str]
    outcomes: list[str]
    verbs: list[str]
    setbacks: list[str]
    journals: list[str]
    titles_two: list[str]
    titles_one: list[str]
    titles_plain: list[str]
    mentions: dict[str, list[str]]
    pairs: list[str]
    background: list[str]
    methods: list[str]
    results: list[str]
    conclusions: list[str]
    dropped: list[str]
    """Entries left out because they name a pool mechanism (empty for today's vocabulary)."""


def make_prose(pool: Sequence[Mechanism]) -> Prose:
    rx = mention_pattern(f for m in pool for f in m.forms)
    dropped: list[str] = []

    def clean(entries: list[str]) -> list[str]:
        kept = []
        for entry in entries:
            probe = re.sub(r"\{\w+\}", " ", entry)
            (dropped if rx.search(probe) else kept).append(entry)
        if not kept:
            raise RuntimeError(f"every entry of a phrase list names a mechanism: {entries[:3]}")
        return kept

    journals = [form.format(s) for s in _split(SUBJECTS) for form in _split(JOURNAL_FORMS)]
    return Prose(
        diseases=clean(_split(DISEASES)),
        processes=clean(_split(PROCESSES)),
        adjectives=clean(_split(ADJECTIVES)),
        studies=clean(_split(STUDIES)),
        models=clean(_split(MODELS)),
        outcomes=clean(_split(OUTCOMES)),
        verbs=clean(_split(VERBS)),
        setbacks=clean(_split(SETBACKS)),
        journals=clean(journals),
        titles_two=clean(_split(TITLES_WITH_TWO)),
        titles_one=clean(_split(TITLES_WITH_ONE)),
        titles_plain=clean(_split(TITLES_PLAIN)),
        mentions={kind: clean(_split(text)) for kind, text in MENTIONS.items()},
        pairs=clean(_split(PAIRS)),
        background=clean(_split(BACKGROUND)),
        methods=clean(_split(METHODS)),
        results=clean(_split(RESULTS)),
        conclusions=clean(_split(CONCLUSIONS)),
        dropped=dropped,
    )


# ---------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------


class ZipfMandelbrot:
    """Indices 0..n-1 drawn with weight 1 / (rank + q) ** s, rank starting at 1."""

    def __init__(self, n: int, s: float, q: float) -> None:
        self.cumulative = list(itertools.accumulate(1.0 / (rank + q) ** s for rank in range(1, n + 1)))

    def draw(self, rng: random.Random) -> int:
        return bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])

    def distinct(self, rng: random.Random, k: int) -> list[int]:
        k = min(k, len(self.cumulative))
        out: list[int] = []
        while len(out) < k:
            i = self.draw(rng)
            if i not in out:
                out.append(i)
        return out


@dataclass(frozen=True)
class Paper:
    number: int
    title: str
    authors: list[tuple[str, str]]
    """(family, given) pairs."""
    journal: str
    year: int
    doi: str
    abstract: list[str]
    """Paragraphs."""
    mechanisms: list[str]
    """Names of the pool mechanisms the title and abstract mention, in order of first mention."""

    @property
    def key(self) -> str:
        return f"p{self.number:06d}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def author_pool(rng: random.Random, size: int) -> list[tuple[str, str]]:
    """`size` distinct (family, given) names, distinct also once folded to a slug."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    while len(out) < size:
        if rng.random() < 0.6:
            family = rng.choice(FAMILY_NAMES)
        else:
            syllables = rng.choice((2, 2, 3))
            family = "".join(rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS) for _ in range(syllables))
            family = family.capitalize()
        given = rng.choice(GIVEN_NAMES)
        if rng.random() < 0.4:
            given += f" {chr(ord('A') + rng.randrange(26))}."
        key = _slug(f"{family} {given}")
        if key in seen:
            continue
        seen.add(key)
        out.append((family, given))
    return out


def _capitalise(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:] if sentence[:1].islower() else sentence


class _Filler:
    """Fills {X} slots of the sentence patterns from one random stream."""

    def __init__(self, rng: random.Random, prose: Prose) -> None:
        self.rng = rng
        self.prose = prose

    def fill(self, pattern: str, disease: str, m: str = "", m2: str = "", start: bool = True) -> str:
        rng, prose = self.rng, self.prose
        p, p2 = rng.sample(prose.processes, 2)
        lo = rng.randint(30, 80) / 100
        values = {
            "M": m,
            "M2": m2,
            "D": disease,
            "P": p,
            "P2": p2,
            "A": rng.choice(prose.adjectives),
            "S": rng.choice(prose.studies),
            "C": rng.choice(prose.models),
            "O": rng.choice(prose.outcomes),
            "V": rng.choice(prose.verbs),
            "R": rng.choice(prose.setbacks),
            "pct": rng.randint(5, 85),
            "n": rng.randint(24, 2400),
            "hr": f"{lo + 0.07:.2f}",
            "lo": f"{lo:.2f}",
            "hi": f"{lo + rng.randint(10, 40) / 100:.2f}",
            "p": rng.choice(("0.001", "0.002", "0.004", "0.01", "0.02", "0.03", "0.04")),
            "fold": rng.randint(2, 9),
            "mo": rng.randint(3, 60),
            "y1": rng.randint(1990, 2012),
            "y2": rng.randint(2013, 2026),
        }
        text = pattern.format(**values)
        # a sentence may start with a mechanism written in lower case ("trastuzumab ..."): leave it so
        return _capitalise(text) if start and not pattern.startswith("{M") else text


def _words(text: str) -> int:
    return len(text.split())


def _title(f: _Filler, disease: str, mechanisms: list[Mechanism], forms: dict[str, str]) -> str:
    rng, prose = f.rng, f.prose
    for _ in range(1000):
        roll = rng.random()
        if roll < 0.2 and len(mechanisms) >= 2:
            title = f.fill(rng.choice(prose.titles_two), disease, forms[mechanisms[0].name], forms[mechanisms[1].name])
        elif roll < 0.8:
            title = f.fill(rng.choice(prose.titles_one), disease, forms[mechanisms[0].name])
        else:
            title = f.fill(rng.choice(prose.titles_plain), disease)
        if 8 <= _words(title) <= 16:
            return title
    raise RuntimeError("no title of 8-16 words")


def _abstract(f: _Filler, disease: str, mechanisms: list[Mechanism], forms: dict[str, str]) -> list[str]:
    """Paragraphs of 150-300 words in all that name every mechanism of `mechanisms`; no sentence
    pattern is used twice unless the patterns run out."""
    rng, prose = f.rng, f.prose
    target = rng.randint(150, 300)
    used: set[str] = set()

    def pick(patterns: list[str]) -> str:
        fresh = [p for p in patterns if p not in used]
        pattern = rng.choice(fresh or patterns)
        used.add(pattern)
        return pattern

    mention = [f.fill(pick(prose.mentions[m.kind]), disease, forms[m.name]) for m in mechanisms]
    if len(mechanisms) >= 2 and rng.random() < 0.4:
        a, b = rng.sample(mechanisms, 2)
        mention.append(f.fill(pick(prose.pairs), disease, forms[a.name], forms[b.name]))
    sections = {
        "background": [f.fill(pick(prose.background), disease)],
        "methods": [f.fill(pick(prose.methods), disease)],
        "results": mention,
        "conclusions": [f.fill(pick(prose.conclusions), disease)],
    }
    total = sum(_words(s) for ss in sections.values() for s in ss)
    sources = [("background", prose.background), ("methods", prose.methods)] + [("results", prose.results)] * 3
    misses = 0
    while total < target and misses < 30:
        section, patterns = rng.choice(sources)
        fresh = [p for p in patterns if p not in used]
        if not fresh:
            misses += 1
            continue
        pattern = rng.choice(fresh)
        sentence = f.fill(pattern, disease)
        if total + _words(sentence) > 300:
            misses += 1
            continue
        used.add(pattern)
        if section == "results":  # findings interleave with the mechanism sentences
            sections[section].insert(rng.randint(0, len(sections[section])), sentence)
        else:
            sections[section].append(sentence)
        total += _words(sentence)
    while total < 150:  # rare: the patterns ran out early; repeat the shortest findings
        sentence = min((f.fill(p, disease) for p in prose.results), key=_words)
        sections["results"].append(sentence)
        total += _words(sentence)
    sentences = [s for ss in sections.values() for s in ss]
    if len(sentences) > 5 and rng.random() < 0.5:
        cut = len(sections["background"]) + len(sections["methods"])
        return [" ".join(sentences[:cut]), " ".join(sentences[cut:])]
    return [" ".join(sentences)]


def generate(n: int, seed: int = 1, pool: Sequence[Mechanism] | None = None) -> Iterator[Paper]:
    """`n` papers, the same for the same (n, seed, pool)."""
    pool = list(pool) if pool is not None else mechanism_pool()
    prose = make_prose(pool)
    rng = random.Random(f"litweave-bench:{n}:{seed}")
    authors = author_pool(rng, max(50, 2 * n))
    pick_author = ZipfMandelbrot(len(authors), s=1.0, q=25.0)
    journals = rng.sample(prose.journals, min(JOURNAL_POOL, len(prose.journals)))
    pick_journal = ZipfMandelbrot(len(journals), s=0.8, q=2.0)
    ranked = list(pool)
    rng.shuffle(ranked)  # popularity order of the mechanisms
    pick_mechanism = ZipfMandelbrot(len(ranked), s=1.0, q=3.0)
    year_weights = [1.05 ** (y - YEARS[0]) for y in YEARS]
    filler = _Filler(rng, prose)
    for number in range(1, n + 1):
        k = rng.choices(range(1, len(AUTHOR_COUNTS) + 1), weights=AUTHOR_COUNTS)[0]
        names = [authors[i] for i in pick_author.distinct(rng, k)]
        k = rng.choices(range(1, len(MECHANISM_COUNTS) + 1), weights=MECHANISM_COUNTS)[0]
        mechanisms = [ranked[i] for i in pick_mechanism.distinct(rng, k)]
        # one way of naming each mechanism per paper: mostly its name, sometimes an alias
        forms = {m.name: m.forms[0] if rng.random() < 0.7 else rng.choice(m.forms) for m in mechanisms}
        disease = rng.choice(prose.diseases)
        title = _title(filler, disease, mechanisms, forms)
        abstract = _abstract(filler, disease, mechanisms, forms)
        j = pick_journal.draw(rng)
        year = rng.choices(YEARS, weights=year_weights)[0]
        initials = "".join(w[0] for w in re.findall(r"[A-Z][a-z]+", journals[j])).lower()
        doi = f"10.{5001 + j}/{initials}.{year}.{number:06d}"
        yield Paper(number, title, names, journals[j], year, doi, abstract, [m.name for m in mechanisms])


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


def refer_record(paper: Paper) -> str:
    lines = ["%0 Journal Article", f"%T {paper.title}"]
    lines += [f"%A {family}, {given}" for family, given in paper.authors]
    lines += [f"%J {paper.journal}", f"%D {paper.year}", f"%R {paper.doi}", "%X " + " ".join(paper.abstract)]
    return "\n".join(lines) + "\n"


def write_refer(papers: Iterable[Paper], out: str) -> int:
    stream = sys.stdout if out == "-" else open(out, "w", encoding="utf-8", newline="\n")
    count = 0
    try:
        for paper in papers:
            stream.write(("\n" if count else "") + refer_record(paper))
            count += 1
    finally:
        if stream is not sys.stdout:
            stream.close()
    return count


def _yaml(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def hugo_page(paper: Paper) -> str:
    lines = ["---", f"title: {_yaml(paper.title)}", "authors:"]
    lines += [f"  - {_yaml(f'{family}, {given}')}" for family, given in paper.authors]
    lines += ["mechanisms:"] + [f"  - {_yaml(m)}" for m in paper.mechanisms]
    lines += [f"journal: {_yaml(paper.journal)}", f"year: {paper.year}", f"doi: {_yaml(paper.doi)}", "---", ""]
    return "\n".join(lines) + "\n\n".join(paper.abstract) + "\n"


HUGO_CONFIG = """baseURL = "http://example.org/"
title = "Synthetic paper corpus"
languageCode = "en"
disableKinds = ["sitemap", "robotsTXT", "RSS", "404"]
capitalizeListTitles = false

[taxonomies]
  author = "authors"
  mechanism = "mechanisms"
"""

_NAV = (
    '<nav><a href="/">Home</a> · <a href="/papers/">Papers</a> · <a href="/authors/">Authors</a> · '
    '<a href="/mechanisms/">Mechanisms</a></nav>'
)
# Template names moved between Hugo versions (before 0.73, "taxonomy" was a term's page; since
# 0.146 a legacy _default/taxonomy.html also serves terms), so the three taxonomy templates are one
# and the same, switching on the page's kind: whichever file a version picks renders correctly.
_TAXONOMY = """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>
{{ if eq .Kind "taxonomy" }}{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">\
{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}{{ else }}{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> — {{ .Params.journal }}, \
{{ .Params.year }}</li>
{{ end }}{{ end }}</ul>
{{ end }}
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{{{ .Title }}}} · {{{{ .Site.Title }}}}</title></head>
<body>
{_NAV}
{{{{ block "main" . }}}}{{{{ end }}}}
</body></html>
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ if .IsHome }}<ul>
<li><a href="/papers/">Papers</a> ({{ len (where .Site.RegularPages "Section" "papers") }})</li>
<li><a href="/authors/">Authors</a> ({{ len .Site.Taxonomies.authors }})</li>
<li><a href="/mechanisms/">Mechanisms</a> ({{ len .Site.Taxonomies.mechanisms }})</li>
</ul>{{ else }}<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ .Params.year }})</li>
{{ end }}</ul>{{ end }}
{{ end }}
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
{{ .Content }}</article>
{{ end }}
""",
    "_default/terms.html": _TAXONOMY,
    "_default/taxonomy.html": _TAXONOMY,
    "_default/term.html": _TAXONOMY,
    "papers/single.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p class="meta">{{ .Params.journal }} · {{ .Params.year }} · \
<a href="https://doi.org/{{ .Params.doi }}">doi:{{ .Params.doi }}</a></p>
<h2>Authors</h2>
<ul>{{ range .GetTerms "authors" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<h2>Mechanisms</h2>
<ul>{{ range .GetTerms "mechanisms" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<section class="abstract">
{{ .Content }}
</section>
</article>
{{ end }}
""",
}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(text)


def write_hugo(papers: Iterable[Paper], out: str) -> int:
    root = Path(out)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise SystemExit(f"corpus.py: {out} exists and is not an empty folder")
    _write(root / "config.toml", HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        _write(root / "layouts" / name, text)
    _write(root / "content" / "papers" / "_index.md", '---\ntitle: "Papers"\n---\n')
    count = 0
    for paper in papers:
        _write(root / "content" / "papers" / f"{paper.key}.md", hugo_page(paper))
        count += 1
    return count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawTextHelpFormatter,
    )
    parser.add_argument("-n", type=int, required=True, help="number of papers")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--format", required=True, choices=["refer", "hugo"])
    parser.add_argument("out", help="output file ('-': standard output) for refer, an empty folder for hugo")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("-n must be at least 1")
    if args.format == "hugo" and args.out == "-":
        parser.error("--format hugo needs a folder")
    papers = generate(args.n, args.seed)
    if args.format == "refer":
        write_refer(papers, args.out)
    else:
        write_hugo(papers, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
