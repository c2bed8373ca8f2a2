"""Unit tests for the mechanism vocabulary, matcher, overrides, sentence context and identifier links."""

from __future__ import annotations

from pathlib import Path

import pytest

from litweave.mechanisms.identifiers import identifier_url
from litweave.mechanisms.matcher import build_matcher
from litweave.mechanisms.vocabulary import apply_overrides, check_vocabulary, mechanism_from_page
from litweave.model import Mechanism, Page
from litweave.sentences import sentence_around


def page(slug: str, **meta: object) -> Page:
    return Page("mechanism", slug, dict(meta), "Body.\n", Path(f"content/mechanisms/{slug}.md"))


def mech(slug: str, title: str, *aliases: str) -> Mechanism:
    return Mechanism(slug, title, tuple(aliases), file=f"content/mechanisms/{slug}.md")


VOCAB = [
    mech("her2", "HER2", "ERBB2", "HER-2", "HER2/neu", "neu", "her2"),
    mech(
        "igf-ir",
        "IGF-IR",
        "IGF-1R",
        "IGF1R",
        "insulin-like growth factor-I receptor",
        "type I insulin-like growth factor receptor",
    ),
    mech("igf-i", "IGF-I", "IGF-1", "insulin-like growth factor-I"),
    mech("insulin", "insulin"),
    mech("pi3k", "PI3K"),
    mech("pik3ca", "PIK3CA", "PI3Kα"),
    mech("akt", "AKT", "Akt"),
    mech("estrogen-receptor", "estrogen receptor", "ER"),
    mech("er-stress", "ER stress"),
    mech("met", "MET", "c-Met"),
    mech("tgf-beta", "TGF-β"),
    mech("trastuzumab", "trastuzumab", "Herceptin"),
    mech("egfr", "EGFR"),
    mech("progesterone-receptor", "progesterone receptor", "PR"),
]


@pytest.fixture(scope="module")
def matcher():
    return build_matcher(VOCAB)


def found(matcher, text: str) -> list[tuple[str, str]]:
    return [(m.mechanism, m.text) for m in matcher.find(text)]


# --- pages to mechanisms ---


def test_mechanism_from_page_reads_fields() -> None:
    m, diags = mechanism_from_page(
        page(
            "her2",
            title="HER2",
            aliases=["ERBB2", "neu"],
            kind="receptor",
            identifiers={"UniProt": "P04626", "HGNC": "ERBB2"},
        )
    )
    assert diags == []
    assert m is not None
    assert (m.slug, m.title, m.aliases, m.kind) == ("her2", "HER2", ("ERBB2", "neu"), "receptor")
    assert m.identifiers == (("HGNC", "ERBB2"), ("UniProt", "P04626"))
    assert m.file == "content/mechanisms/her2.md"
    assert m.description == "Body.\n"


def test_empty_title_is_reported_naming_the_file() -> None:
    m, diags = mechanism_from_page(page("blank", title="  ", aliases=["X"]))
    assert m is None
    assert [d.level for d in diags] == ["warning"]  # the build goes on without it
    assert diags[0].file == "content/mechanisms/blank.md"


def test_non_string_aliases_are_dropped_with_a_warning() -> None:
    m, diags = mechanism_from_page(page("x", title="X1", aliases=["X-1", 7, None, {"a": 1}]))
    assert m is not None and m.aliases == ("X-1",)
    assert len(diags) == 3 and all(d.level == "warning" for d in diags)


def test_bad_identifiers_are_reported() -> None:
    m, diags = mechanism_from_page(page("x", title="X1", identifiers=["HGNC", "X"]))
    assert m is not None and m.identifiers == ()
    assert len(diags) == 1


# --- vocabulary check ---


def test_duplicate_alias_within_a_page_is_kept_once() -> None:
    mechs, diags = check_vocabulary([mech("a", "AAA1", "A-1", "A-1", "AAA1")])
    assert mechs[0].aliases == ("A-1",)
    assert len(diags) == 2 and all("content/mechanisms/a.md" == d.file for d in diags)


def test_shared_alias_stays_with_the_mechanism_whose_title_it_is() -> None:
    mechs, diags = check_vocabulary([mech("zz", "ZZ1", "ERBB2"), mech("erbb2", "ERBB2", "Z-2")])
    by_slug = {m.slug: m for m in mechs}
    assert by_slug["zz"].aliases == ()
    assert by_slug["erbb2"].aliases == ("Z-2",)
    assert len(diags) == 1
    assert "content/mechanisms/zz.md" in diags[0].message and "content/mechanisms/erbb2.md" in diags[0].message


def test_shared_alias_otherwise_goes_to_the_first_slug() -> None:
    mechs, diags = check_vocabulary([mech("b", "BBB1", "shared name"), mech("a", "AAA1", "Shared Name")])
    by_slug = {m.slug: m for m in mechs}
    assert by_slug["a"].aliases == ("Shared Name",)
    assert by_slug["b"].aliases == ()
    assert len(diags) == 1 and diags[0].file == "content/mechanisms/b.md"


def test_case_sensitive_names_do_not_clash() -> None:
    mechs, diags = check_vocabulary([mech("a", "AKT"), mech("b", "Akt-like thing", "akt")])
    assert diags == []


# --- matcher ---


def test_hyphen_and_slash_boundaries(matcher) -> None:
    assert found(matcher, "HER2-overexpressing cells") == [("her2", "HER2")]
    assert found(matcher, "anti-HER2 therapy") == [("her2", "HER2")]
    assert found(matcher, "the PI3K/Akt pathway") == [("pi3k", "PI3K"), ("akt", "Akt")]
    assert found(matcher, "HER2/neu status") == [("her2", "HER2/neu")]


def test_neu_inside_words_and_her_are_not_matches(matcher) -> None:
    assert found(matcher, "neuronal and neural cells; her tumour; hers; Her disease") == []
    # a symbol with a digit is also matched in lower case and mouse style (see test_lower_case_rule)
    assert found(matcher, "Her2 lowercase mix") == [("her2", "Her2")]
    assert found(matcher, "the rat neu gene and the her2 gene") == [("her2", "neu"), ("her2", "her2")]


def test_case_rules(matcher) -> None:
    assert found(matcher, "All patients met the criteria") == []
    assert found(matcher, "MET and c-Met") == [("met", "MET"), ("met", "c-Met")]
    assert found(matcher, "Trastuzumab (HERCEPTIN) and trastuzumab") == [
        ("trastuzumab", "Trastuzumab"),
        ("trastuzumab", "HERCEPTIN"),
        ("trastuzumab", "trastuzumab"),
    ]
    assert found(matcher, "er and Er are not ER") == [("estrogen-receptor", "ER")]


def test_longest_match_wins(matcher) -> None:
    text = "Insulin-like growth factor-I receptor binds IGF-I; IGF-IR is not IGF-I; insulin-like growth factor I"
    assert found(matcher, text) == [
        ("igf-ir", "Insulin-like growth factor-I receptor"),
        ("igf-i", "IGF-I"),
        ("igf-ir", "IGF-IR"),
        ("igf-i", "IGF-I"),
        ("igf-i", "insulin-like growth factor I"),
    ]
    assert found(matcher, "type I insulin-like growth factor receptor") == [
        ("igf-ir", "type I insulin-like growth factor receptor")
    ]


def test_insulin_like_is_not_insulin(matcher) -> None:
    assert found(matcher, "insulin-like peptides, insulin") == [("insulin", "insulin")]


def test_er_stress_and_shields(matcher) -> None:
    assert found(matcher, "ER stress in ER-positive cells") == [("er-stress", "ER stress"), ("estrogen-receptor", "ER")]
    assert found(matcher, "a long PR interval; partial response (PR); PR-positive") == [("progesterone-receptor", "PR")]


def test_greek_letters_and_plurals(matcher) -> None:
    assert [s for s, _ in found(matcher, "PI3Kα, PI3K-alpha, PI3Kalpha and PI3K")] == ["pik3ca"] * 3 + ["pi3k"]
    assert [t for _, t in found(matcher, "TGF-β, TGF-beta, TGFβ, TGF beta")] == [
        "TGF-β",
        "TGF-beta",
        "TGFβ",
        "TGF beta",
    ]
    assert found(matcher, "EGFRs and estrogen receptors") == [
        ("egfr", "EGFRs"),
        ("estrogen-receptor", "estrogen receptors"),
    ]
    assert found(matcher, "METs") == []


def test_mentions_are_offsets_into_the_text(matcher) -> None:
    text = "Trastuzumab targets HER2; PI3K/AKT follows."
    mentions = matcher.find(text)
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:], strict=False))


def test_empty_vocabulary_matches_nothing() -> None:
    assert build_matcher([]).find("HER2 and trastuzumab") == []


def test_retry_shorter_on_case_mismatch() -> None:
    m = build_matcher([mech("a", "ABC"), mech("b", "ABC-Def")])
    # "ABC-DEF" is a candidate for the case-sensitive "ABC-Def" only by folding; ABC must still be found.
    assert found(m, "ABC-DEF") == [("a", "ABC")]


# --- overrides ---


def test_overrides_add_and_remove_by_any_name(matcher) -> None:
    slugs, diags = apply_overrides(
        ["her2", "estrogen-receptor"],
        ["IGF-1R", "Trastuzumab", "unknown thing"],
        ["ER"],
        matcher,
        file="content/papers/x.md",
    )
    assert slugs == ["her2", "igf-ir", "trastuzumab"]
    assert len(diags) == 1 and "unknown thing" in diags[0].message and diags[0].file == "content/papers/x.md"


def test_overrides_resolve_slugs(matcher) -> None:
    slugs, diags = apply_overrides([], ["igf-ir"], [], matcher)
    assert slugs == ["igf-ir"] and diags == []


# --- sentences ---


@pytest.mark.parametrize(
    ("text", "target", "sentence"),
    [
        ("First one. Lu et al. showed HER2 gain. Next.", "HER2", "Lu et al. showed HER2 gain."),
        ("See Fig. 2 for HER2 at 2.5 mg, e.g. here. Then.", "HER2", "See Fig. 2 for HER2 at 2.5 mg, e.g. here."),
        ("Is it? HER2 is! Yes.", "HER2", "HER2 is!"),
        ("Title line\n\nHER2 in a new paragraph", "HER2", "HER2 in a new paragraph"),
        ("HER2 only", "HER2", "HER2 only"),
    ],
)
def test_sentence_around(text: str, target: str, sentence: str) -> None:
    start = text.index(target)
    got, s, e = sentence_around(text, start, start + len(target))
    assert got == sentence
    assert got[s:e] == target


# --- identifiers ---


@pytest.mark.parametrize(
    ("scheme", "ident", "url"),
    [
        ("HGNC", "ERBB2", "https://www.genenames.org/data/gene-symbol-report/#!/symbol/ERBB2"),
        ("HGNC", "HGNC:3430", "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:3430"),
        ("UniProt", "P04626", "https://www.uniprot.org/uniprotkb/P04626/entry"),
        ("ChEBI", "CHEBI:45863", "https://www.ebi.ac.uk/chebi/searchId.do?chebiId=CHEBI:45863"),
        ("DrugBank", "DB00072", "https://go.drugbank.com/drugs/DB00072"),
        ("MeSH", "D018719", "https://meshb.nlm.nih.gov/record/ui?ui=D018719"),
        ("NCBI Gene", "2064", "https://www.ncbi.nlm.nih.gov/gene/2064"),
        ("ChEMBL", "CHEMBL1201585", "https://www.ebi.ac.uk/chembl/explore/compound/CHEMBL1201585"),
    ],
)
def test_identifier_url(scheme: str, ident: str, url: str) -> None:
    assert identifier_url(scheme, ident) == url


def test_identifier_url_rejects_unknown_and_malformed() -> None:
    assert identifier_url("Wikipedia", "HER2") is None
    assert identifier_url("UniProt", "not an id") is None
    assert identifier_url("DrugBank", "DB72") is None


# --- rules added after the blind accuracy set ---


def test_en_dash_separates_words_of_a_long_name() -> None:
    m = build_matcher([mech("emt", "EMT", "epithelial-mesenchymal transition")])
    assert found(m, "It drives epithelial–mesenchymal transition in vitro.") == [
        ("emt", "epithelial–mesenchymal transition")
    ]


def test_number_series_names_each_sibling_in_the_vocabulary() -> None:
    m = build_matcher([mech("cdk4", "CDK4"), mech("cdk6", "CDK6"), mech("erk", "ERK", "ERK1/2")])
    assert [s for s, _ in found(m, "CDK4/6 inhibitors")] == ["cdk4", "cdk6"]
    assert found(m, "CDK4/7 inhibitors") == [("cdk4", "CDK4")]  # no CDK7 page: no sibling
    assert found(m, "ERK1/2 phosphorylation") == [("erk", "ERK1/2")]  # a name with a slash stays whole


def test_shield_phrases_are_not_mentions(matcher) -> None:
    assert found(matcher, "Activity was 12 MET-hours per week.") == []
    assert found(matcher, "the mesenchymal-epithelial transition (MET) of tumour cells") == []
    assert found(matcher, "The MET receptor is amplified.") == [("met", "MET")]


# --- domains named after a protein, coordinated members, lower-case symbols ---

DOMAIN_VOCAB = [
    mech("src", "SRC", "Src", "c-Src"),
    mech("bcl-2", "BCL-2", "Bcl-2", "BCL2"),
    mech("bax", "BAX", "Bcl-2-associated X protein"),
    mech("ras", "RAS", "Ras"),
    mech("raf", "RAF", "Raf"),
    mech("akt", "AKT", "Akt", "AKT1", "protein kinase B"),
    mech("egfr", "EGFR"),
    mech("tp53", "TP53", "p53"),
    mech("brca1", "BRCA1"),
    mech("grb2", "GRB2", "Grb2"),
    mech("tnf-alpha", "TNF-α", "TNF"),
    mech("her2", "HER2", "ERBB2"),
    mech("her3", "HER3", "ERBB3"),
    mech("cdk4", "CDK4", "cyclin-dependent kinase 4"),
    mech("cdk6", "CDK6", "cyclin-dependent kinase 6"),
    mech("mmp-2", "MMP-2", "MMP2", "matrix metalloproteinase-2"),
    mech("mmp-9", "MMP-9", "MMP9", "matrix metalloproteinase-9"),
    mech("caspase-3", "caspase-3", "CASP3"),
    mech("caspase-8", "caspase-8"),
    mech("caspase-9", "caspase-9"),
    mech("fgfr1", "FGFR1"),
    mech("fgfr2", "FGFR2"),
    mech("fgfr3", "FGFR3"),
    mech("fgfr4", "FGFR4"),
    mech("vegfr1", "VEGFR-1"),
    mech("vegfr2", "VEGFR-2"),
    mech("vegfr3", "VEGFR-3"),
    mech("met", "MET"),
    mech("kras", "KRAS", "Kras"),
]


@pytest.fixture(scope="module")
def domain_matcher():
    return build_matcher(DOMAIN_VOCAB)


@pytest.mark.parametrize(
    "text",
    [
        "Src homology 3 (SH3) domains bind proline-rich motifs.",
        "Src homology 2 (SH2) domains recognise phosphotyrosine.",
        "the Src-homology-2 domain",
        "Src homology region 2 domain-containing phosphatase-1 (SHP-1)",
        "SH2-containing phosphatase, Src homology and PH domain-containing proteins",
        "the BCL-2 homology 3 (BH3) domain and Bcl-2 homology domain 3 peptides",
        "Ras homolog enriched in brain (Rheb)",
        "the Ras-binding domain (RBD) and the Ras binding domain",
        "Ras-association domain family 1A",
        "p53-binding protein 1 (53BP1) foci",
        "Grb2-associated binder 1 (GAB1)",
        "TNF receptor-associated factor 6 and TNF receptor-associated death domain protein",
        "BRCA1 C-terminal (BRCT) domains bind phosphopeptides.",
        "the kinase domain, the pleckstrin homology (PH) domain and the Ras-binding domain",
    ],
)
def test_a_domain_named_after_a_protein_is_not_a_mention(domain_matcher, text: str) -> None:
    assert found(domain_matcher, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the kinase domain of EGFR", [("egfr", "EGFR")]),
        ("the EGFR kinase domain", [("egfr", "EGFR")]),
        ("the PH domain of AKT", [("akt", "AKT")]),
        ("the Akt PH domain", [("akt", "Akt")]),
        ("the c-Src SH3 domain", [("src", "c-Src")]),
        ("the p53 DNA-binding domain", [("tp53", "p53")]),
        ("the BRCT domain of BRCA1", [("brca1", "BRCA1")]),
        ("BRCA1 homology-directed repair and BRCA1 homologous recombination", [("brca1", "BRCA1")] * 2),
        ("Bcl-2-associated X protein", [("bax", "Bcl-2-associated X protein")]),
        ("Ras binds the Ras-binding domain of Raf", [("ras", "Ras"), ("raf", "Raf")]),
        ("HER2-associated proteins", [("her2", "HER2")]),
        ("trastuzumab-associated cardiotoxicity with TNF", [("tnf-alpha", "TNF")]),
    ],
)
def test_a_domain_written_with_its_owner_mentions_the_owner(domain_matcher, text: str, expected) -> None:
    assert found(domain_matcher, text) == expected


def test_a_page_for_the_domain_wins_over_its_namesake() -> None:
    vocab = [*DOMAIN_VOCAB, mech("sh2", "SH2 domain", "Src homology 2 domain", "SH2")]
    m = build_matcher(vocab)
    assert found(m, "the Src homology 2 domain of GRB2") == [("sh2", "Src homology 2 domain"), ("grb2", "GRB2")]
    assert found(m, "Src homology 3 domains") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Matrix metalloproteinases 2 and 9 degrade collagen", ["mmp-2", "mmp-9"]),
        ("MMP-2 and -9 were upregulated", ["mmp-2", "mmp-9"]),
        ("MMP-2/-9 and MMP2/9", ["mmp-2", "mmp-9", "mmp-2", "mmp-9"]),
        ("matrix metalloproteinase (MMP)-2 and -9", ["mmp-2", "mmp-9"]),
        ("MMPs 2 and 9", ["mmp-2", "mmp-9"]),
        ("HER2 and -3 heterodimers", ["her2", "her3"]),
        ("CDK4/6 inhibitors", ["cdk4", "cdk6"]),
        ("cyclin-dependent kinases 4 and 6", ["cdk4", "cdk6"]),
        ("caspase-3, -8 and -9 were cleaved", ["caspase-3", "caspase-8", "caspase-9"]),
        ("caspase-3, -7, and -9", ["caspase-3", "caspase-9"]),
        ("caspases 3 and 7", ["caspase-3"]),
        ("caspase-3/7 activity", ["caspase-3"]),
        ("VEGFR-1/2/3", ["vegfr1", "vegfr2", "vegfr3"]),
        ("FGFR1\u20134", ["fgfr1", "fgfr2", "fgfr3", "fgfr4"]),
        ("FGFR1-3 inhibitors", ["fgfr1", "fgfr2", "fgfr3"]),
    ],
)
def test_coordinated_forms_count_each_member_with_a_page(domain_matcher, text: str, expected) -> None:
    assert [m.mechanism for m in domain_matcher.find(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HER2 and 3 patients", ["her2"]),
        ("CDK4 and 6 of 10 tumours", ["cdk4"]),
        ("HER2 2+ and 3+ tumours; HER2/3+", ["her2", "her2"]),
        ("FGFR1-12 and FGFR4-1", ["fgfr1", "fgfr4"]),
        ("MMP-9 -1562C/T and MMP-2 1.5-fold", ["mmp-9", "mmp-2"]),
        ("caspase activity and MMPs in 2 of 9 cases", []),
        ("matrix metalloproteinase (TIMP)-2", []),
    ],
)
def test_counts_and_scores_are_not_members(domain_matcher, text: str, expected) -> None:
    assert [m.mechanism for m in domain_matcher.find(text)] == expected


def test_range_members_share_the_span_of_the_last_number(domain_matcher) -> None:
    text = "FGFR1\u20133"
    assert [(m.mechanism, m.start, m.end) for m in domain_matcher.find(text)] == [
        ("fgfr1", 0, 5),
        ("fgfr2", 6, 7),
        ("fgfr3", 6, 7),
    ]


def test_lower_case_rule(domain_matcher) -> None:
    # symbols with a digit and two letters: lower case and mouse style match
    assert found(domain_matcher, "an akt1 allele, Erbb2 mice, erbb3 and cdk4") == [
        ("akt", "akt1"),
        ("her2", "Erbb2"),
        ("her3", "erbb3"),
        ("cdk4", "cdk4"),
    ]
    # without a digit only the forms a page lists: "Kras" is an alias, "kras", "met", "src" are not
    assert found(domain_matcher, "Kras mice; kras; patients met criteria; src; egfr; AKT1") == [
        ("kras", "Kras"),
        ("akt", "AKT1"),
    ]


def test_a_written_name_wins_over_a_generated_lower_case_form() -> None:
    m = build_matcher([mech("a", "ABC1"), mech("b", "abc1")])
    assert found(m, "ABC1 abc1 Abc1") == [("a", "ABC1"), ("b", "abc1"), ("a", "Abc1")]


def test_lists_of_letter_and_roman_members() -> None:
    m = build_matcher(
        [
            mech("igf-i", "IGF-I", "IGF-1"),
            mech("igf-ii", "IGF-II"),
            mech("tgf-alpha", "TGF-α"),
            mech("tgf-beta", "TGF-β"),
            mech("vegf", "VEGF", "VEGF-A"),
            mech("vegf-c", "VEGF-C"),
            mech("cyclin-d1", "cyclin D1"),
            mech("cyclin-e", "cyclin E"),
            mech("pd-1", "PD-1"),
            mech("pd-l1", "PD-L1"),
        ]
    )
    assert [x.mechanism for x in m.find("IGF-I and -II; IGF-I/II")] == ["igf-i", "igf-ii"] * 2
    assert [x.mechanism for x in m.find("TGF-α and -β; TGF-alpha and -beta")] == ["tgf-alpha", "tgf-beta", "tgf-alpha"]
    assert [x.mechanism for x in m.find("VEGF-A and -C, cyclin D1/E")] == ["vegf", "vegf-c", "cyclin-d1", "cyclin-e"]
    assert [x.mechanism for x in m.find("PD-1/L1 and PD-1/A")] == ["pd-1", "pd-l1", "pd-1"]


def test_suspended_prefixes_and_shared_receptor_heads() -> None:
    m = build_matcher(
        [
            mech("kras", "KRAS", "K-Ras"),
            mech("nras", "NRAS", "N-Ras"),
            mech("hras", "HRAS", "H-Ras"),
            mech("her2", "HER2"),
            mech("insulin", "insulin"),
            mech("insulin-receptor", "insulin receptor"),
            mech("igf-ir", "IGF-IR", "IGF-I receptor"),
            mech("estrogen-receptor", "estrogen receptor"),
            mech("progesterone-receptor", "progesterone receptor"),
        ]
    )
    assert found(m, "K-, N- and H-Ras isoforms") == [("kras", "K"), ("nras", "N"), ("hras", "H-Ras")]
    assert found(m, "pre- and post-HER2 therapy") == [("her2", "HER2")]
    assert found(m, "the insulin and IGF-I receptors") == [
        ("insulin-receptor", "insulin"),
        ("igf-ir", "IGF-I receptors"),
    ]
    assert found(m, "estrogen and progesterone receptors") == [
        ("estrogen-receptor", "estrogen"),
        ("progesterone-receptor", "progesterone receptors"),
    ]
    assert found(m, "insulin and the IGF-I receptor") == [("insulin", "insulin"), ("igf-ir", "IGF-I receptor")]


def test_an_abbreviation_written_inside_a_long_name() -> None:
    m = build_matcher(
        [
            mech("er-stress", "ER stress", "endoplasmic reticulum stress"),
            mech("egfr", "EGFR", "epidermal growth factor receptor"),
            mech("egf", "EGF", "epidermal growth factor"),
            mech("igf-ir", "IGF-IR", "insulin-like growth factor-I receptor"),
        ]
    )
    assert found(m, "endoplasmic reticulum (ER) stress rose") == [("er-stress", "endoplasmic reticulum (ER) stress")]
    assert found(m, "the epidermal growth factor (EGF) receptor") == [
        ("egfr", "epidermal growth factor (EGF) receptor")
    ]
    assert found(m, "insulin-like growth factor-I (IGF-I) receptor") == [
        ("igf-ir", "insulin-like growth factor-I (IGF-I) receptor")
    ]
    assert found(m, "epidermal growth factor (EGF) levels") == [("egf", "epidermal growth factor"), ("egf", "EGF")]


def test_everyday_words_in_capitals_organisms_tags_and_marker_levels() -> None:
    m = build_matcher(
        [
            mech("met", "MET"),
            mech("kit", "KIT"),
            mech("egfr", "EGFR"),
            mech("snail", "SNAIL", "Snail"),
            mech("hedgehog", "Hedgehog"),
            mech("myc", "MYC", "Myc"),
            mech("cd44", "CD44"),
            mech("cd24", "CD24"),
            mech("hif-1a", "HIF-1α"),
        ]
    )
    assert found(m, "PATIENTS WHO MET CRITERIA WERE ENROLLED; the CCK-8 KIT (Dojindo)") == []
    assert found(m, "MET AMPLIFICATION; EGFR MET AMPLIFICATION; NSCLC MET amplification; KIT D816V") == [
        ("met", "MET"),
        ("egfr", "EGFR"),
        ("met", "MET"),
        ("met", "MET"),
        ("kit", "KIT"),
    ]
    assert found(m, "A hedgehog (Erinaceus europaeus) model; Snail hosts (Biomphalaria glabrata)") == []
    assert found(m, "Hedgehog signalling (Smoothened) and Snail") == [("hedgehog", "Hedgehog"), ("snail", "Snail")]
    assert found(m, "Myc-tagged constructs and a Myc tag; Myc amplification") == [("myc", "Myc")]
    assert found(m, "CD44high/CD24low and CD44hi cells; CD44highest") == [
        ("cd44", "CD44"),
        ("cd24", "CD24"),
        ("cd44", "CD44"),
    ]
    assert found(m, "HIF\u20111α and HIF\u20101α") == [("hif-1a", "HIF\u20111α"), ("hif-1a", "HIF\u20101α")]
