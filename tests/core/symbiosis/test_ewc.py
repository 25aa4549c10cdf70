"""The European List of Waste shipped with Helix: codes, the tree, and the search that suggests codes."""

from __future__ import annotations

import pytest

from helix.core.matching.embedding import HashingEncoder
from helix.core.symbiosis.ewc import (
    UnknownWasteCode,
    expand_glossary,
    normalise_code,
    printed_code,
    waste_list,
)

pytestmark = pytest.mark.unit


def test_the_whole_list_is_shipped() -> None:
    wl = waste_list()
    chapters = wl.children()
    assert [c.code for c in chapters][:3] == ["01", "02", "03"]
    assert len(chapters) == 20
    assert len(wl.entries()) == 842
    assert sum(e.hazardous for e in wl.entries()) == 406


@pytest.mark.parametrize("text", ["10 02 02", "10.02.02", "100202", "100202*", " 10 02 02* "])
def test_codes_in_every_usual_spelling(text: str) -> None:
    assert normalise_code(text) == "100202"
    assert waste_list().get(text).title == "Unprocessed slag"


@pytest.mark.parametrize("text", ["", "slag", "1002020", "10-02-02", "10 02 2"])
def test_not_codes(text: str) -> None:
    with pytest.raises(UnknownWasteCode):
        normalise_code(text)


def test_unknown_code_names_itself() -> None:
    with pytest.raises(UnknownWasteCode, match="'99 99 99' is not in the European List of Waste"):
        waste_list().get("99 99 99")


def test_tree_and_path() -> None:
    wl = waste_list()
    path = wl.path("100202")
    assert [p.code for p in path] == ["10", "1002", "100202"]
    assert path[0].title.startswith("Wastes from thermal processes")
    assert path[1].title == "Wastes from the iron and steel industry"
    subs = wl.children("10")
    assert "1002" in [s.code for s in subs]
    assert "100202" in [e.code for e in wl.children("1002")]
    assert wl.get("130205").hazardous
    assert wl.get("130205").printed == "13 02 05*"
    assert printed_code("100202") == "10 02 02"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("unprocessed slag from the steel works", "100202"),
        ("end of life tyres", "160103"),
        ("gypsum based construction materials", "170802"),
        ("sludges from treatment of urban waste water", "190805"),
        ("wooden packaging", "150103"),
    ],
)
def test_search_suggests_the_code_for_an_english_description(text: str, expected: str) -> None:
    codes = [s.entry.code for s in waste_list().suggest(text, top=5)]
    assert expected in codes, codes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Altreifen", "160103"),
        ("gipsplaten afval van de bouw", "170802"),
        ("slib van waterzuivering", "190805"),
        ("sciure de bois", "030105"),
    ],
)
def test_search_reads_dutch_french_and_german_waste_words(text: str, expected: str) -> None:
    codes = [s.entry.code for s in waste_list().suggest(text, top=5)]
    assert expected in codes, codes


def test_a_typed_code_comes_first() -> None:
    first = waste_list().suggest("10 02 02 and some other words about ash", top=3)[0]
    assert first.entry.code == "100202"
    assert first.score == 1.0


def test_no_words_no_suggestions() -> None:
    assert waste_list().suggest("   ") == []
    assert waste_list().suggest("zzzz qqqq") == []


def test_search_blends_an_encoder_when_given() -> None:
    found = waste_list().suggest("unprocessed slag", top=3, encoder=HashingEncoder())
    assert found[0].entry.code == "100202"
    assert all(0 <= s.score <= 1 for s in found)


def test_glossary_matches_inside_compound_words_but_short_keys_only_whole() -> None:
    assert "tyres" in expand_glossary("Altreifen")
    assert "ash" in expand_glossary("bodem as")
    assert "ash" not in expand_glossary("vaste stoffen")  # "as" inside a word is not ash
