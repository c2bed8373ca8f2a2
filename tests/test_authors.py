"""Author names: parsing, round trip, BibTeX and MEDLINE forms, unification."""

from __future__ import annotations

import pytest

from litweave.authors import author_key, format_name, parse_name, unify_authors
from litweave.importers.names import parse_bibtex_name, parse_medline_name
from litweave.model import Person


@pytest.mark.parametrize(
    "person",
    [
        Person(family="Nahta", given="Rita"),
        Person(family="van der Vijver", given="Marc J."),
        Person(family="King", given="Martin Luther", suffix="Jr."),
        Person(literal="World Health Organization"),
        Person(family="李", given="小龙"),
        Person(family="Müller"),
    ],
)
def test_round_trip(person: Person) -> None:
    assert parse_name(format_name(person)) == person


def test_variants_share_a_key_and_fold_diacritics() -> None:
    assert author_key(parse_name("Nahta, Rita")) == author_key(parse_name("Rita Nahta"))
    assert author_key(parse_name("Müller, Hans")) == author_key(parse_name("Muller, Hans"))


def test_bibtex_and_medline_forms() -> None:
    assert parse_bibtex_name("von Last, Jr, First") == Person(family="von Last", given="First", suffix="Jr")
    assert parse_bibtex_name("family=Smith, given=John, prefix=van") == Person(family="van Smith", given="John")
    assert parse_bibtex_name("Jean de la Fontaine") == Person(family="de la Fontaine", given="Jean")
    # a name typed wholly in lower case: only a known particle starts the family name…
    assert parse_bibtex_name("sudhin jacob") == Person(family="jacob", given="sudhin")
    assert parse_bibtex_name("ludwig van beethoven") == Person(family="van beethoven", given="ludwig")
    # …unless BibTeX's own rule is asked for, where every word but the last is a particle
    assert parse_bibtex_name("sudhin jacob", strict=True) == Person(family="sudhin jacob")
    assert parse_medline_name("Nahta R", "Nahta, Rita") == Person(family="Nahta", given="Rita")
    assert parse_medline_name("Esteva FJ") == Person(family="Esteva", given="F. J.")


def test_unify_joins_unambiguous_initials_and_reports_ambiguous() -> None:
    people = [
        parse_name("Nahta, Rita"),
        parse_name("Rita Nahta"),
        parse_medline_name("Nahta R"),
        parse_name("Smith, John"),
        parse_name("Smith, Jane"),
        parse_medline_name("Smith J"),
    ]
    canonical, ambiguous = unify_authors(people)
    assert canonical[parse_medline_name("Nahta R")] == Person(family="Nahta", given="Rita")
    assert canonical[parse_name("Rita Nahta")] == Person(family="Nahta", given="Rita")
    assert canonical[parse_medline_name("Smith J")] == parse_medline_name("Smith J")
    assert [a[0] for a in ambiguous] == [parse_medline_name("Smith J")]


def test_unify_display_keeps_diacritics() -> None:
    canonical, _ = unify_authors([parse_name("Muller, Hans"), parse_name("Müller, Hans")])
    assert canonical[parse_name("Muller, Hans")].family == "Müller"


def test_corporate_literals_are_not_read_as_people() -> None:
    from litweave.authors import person_from_literal

    assert person_from_literal(Person(literal="World Health Organization")).literal
    assert person_from_literal(Person(literal="De Vlinderstichting")).literal
    assert person_from_literal(Person(literal="Rita Nahta")) == Person(family="Nahta", given="Rita")
    assert person_from_literal(Person(literal="Marc van de Vijver")) == Person(family="van de Vijver", given="Marc")
