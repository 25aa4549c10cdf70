"""Unit: the domain glossary finds the concepts a text names and gives their terms in four languages."""

import pytest

from helix.core.matching.glossary import (
    Concept,
    Glossary,
    default_glossary,
    expansion_text,
    parse_glossary,
)
from helix.core.matching.language import LANGUAGES

pytestmark = pytest.mark.unit

SMALL = """# a comment line
concept,domain,en,fr,de,nl
heat_pump,energy,heat pump,pompe à chaleur|PAC,Wärmepumpe,warmtepomp
chp,energy,combined heat and power|CHP,cogénération,Kraft-Wärme-Kopplung|KWK,warmtekrachtkoppeling|WKK
waste_heat,energy,waste heat,chaleur fatale,Abwärme,restwarmte
"""


@pytest.fixture
def glossary() -> Glossary:
    return parse_glossary(SMALL)


def ids(concepts: list[Concept]) -> list[str]:
    return [concept.id for concept in concepts]


def test_terms_match_with_inflection_and_without_accents_or_case(glossary):
    assert ids(glossary.concepts_in("Nous installons des POMPES A CHALEUR", "fr")) == ["heat_pump"]
    assert ids(glossary.concepts_in("Drei Wärmepumpen und viel Abwärme", "de")) == ["heat_pump", "waste_heat"]


def test_abbreviations_match_only_as_written(glossary):
    assert ids(glossary.concepts_in("Een WKK voor de serre", "nl")) == ["chp"]
    assert glossary.concepts_in("een wkk voor de serre", "nl") == []


def test_german_and_dutch_terms_match_inside_compound_words(glossary):
    assert ids(glossary.concepts_in("Industrieabwärmenutzung", "de")) == ["waste_heat"]
    assert ids(glossary.concepts_in("restwarmtebenutting", "nl")) == ["waste_heat"]


def test_a_text_is_searched_in_its_own_language_and_english_only(glossary):
    assert ids(glossary.concepts_in("Die Wärmepumpe und the heat pump", "de")) == ["heat_pump"]
    assert glossary.concepts_in("warmtepomp", "fr") == []  # a Dutch word in a French text
    assert ids(glossary.concepts_in("Une CHP et une pompe à chaleur", "fr")) == ["chp", "heat_pump"]


def test_short_words_must_match_exactly():
    glossary = parse_glossary("concept,domain,en,fr,de,nl\nsorting,waste,sorting,tri,Sortierung,sortering\n")
    assert glossary.concepts_in("un centre de tri", "fr") != []
    assert glossary.concepts_in("un tribunal", "fr") == []


def test_equivalents_are_every_term_of_every_language_once(glossary):
    assert glossary.equivalents("Wij zoeken een warmtepomp", "nl") == [
        "warmtepomp",
        "pompe à chaleur",
        "PAC",
        "Wärmepumpe",
        "heat pump",
    ]
    assert expansion_text(glossary, "no concept here", "en") == ""


def test_parse_rejects_missing_columns_and_duplicate_ids():
    with pytest.raises(ValueError, match="columns missing: nl"):
        parse_glossary("concept,domain,en,fr,de\nx,energy,a,b,c\n")
    with pytest.raises(ValueError, match="unique"):
        parse_glossary("concept,domain,en,fr,de,nl\nx,energy,a,b,c,d\nx,energy,e,f,g,h\n")


def test_shipped_glossary_covers_the_domains_in_four_languages():
    glossary = default_glossary()
    assert len(glossary) >= 250
    domains = {concept.domain for concept in glossary.concepts}
    assert {"energy", "waste", "materials", "ict", "health"} <= domains
    assert all(concept.terms[language] for concept in glossary.concepts for language in LANGUAGES)


def test_shipped_glossary_knows_the_usual_abbreviations():
    glossary = default_glossary()
    assert ids(glossary.concepts_in("Wij zoeken een WKK en PV voor onze kmo", "nl")) == [
        "combined_heat_power",
        "photovoltaics",
        "sme",
    ]
    assert "Kraft-Wärme-Kopplung" in glossary.equivalents("la cogénération", "fr")
    assert "vehicle-to-grid" in glossary.equivalents("Bidirektionales Laden (V2G) im Depot", "de")
