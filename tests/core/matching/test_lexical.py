"""Unit: BM25 over Snowball stems finds documents that use the query's words, in any of four languages."""

import pytest

from helix.core.matching.lexical import LexicalIndex, tokenize

pytestmark = pytest.mark.unit

DOCUMENTS = [
    ("de-lighting", "Wir bieten intelligente LED-Beleuchtung für Lagerhallen und Büros an."),
    ("en-coating", "This coating protects steel against corrosion in a salty environment."),
    ("fr-renovation", "Nous cherchons un partenaire pour la rénovation énergétique de nos bureaux."),
    ("nl-heat-pump", "Wij installeren een warmtepomp en een warmtenet voor de renovatie van woningen."),
    ("en-mobility", "We offer charging points for electric vans on the business park."),
    ("nl-ict", "Wij ontwikkelen software voor de planning van het onderhoud van gebouwen."),
]


@pytest.fixture
def index():
    return LexicalIndex(DOCUMENTS)


def test_dutch_query_finds_the_dutch_document_on_the_same_topic_first(index):
    hits = index.search("Wij zoeken een bedrijf dat warmtepompen plaatst in oude woningen.", top_k=6)

    assert hits[0][0] == "nl-heat-pump"


def test_dutch_plural_and_singular_share_a_stem():
    assert tokenize("warmtepompen", "nl") == tokenize("warmtepomp", "nl") == ["warmtepomp"]


def test_english_plural_and_singular_share_a_stem():
    assert tokenize("renovations", "en") == tokenize("renovation", "en") == ["renov"]


def test_plural_query_finds_the_document_with_the_singular(index):
    hits = index.search("Warmtepompen voor de woningen", top_k=1)

    assert [doc_id for doc_id, _ in hits] == ["nl-heat-pump"]


def test_french_accents_are_folded_so_english_words_meet_french_ones(index):
    assert tokenize("la rénovation", "fr") == tokenize("the renovation", "en") == ["renov"]
    assert tokenize("énergétique façade", "fr") == tokenize("energetique facade", "fr")
    assert [doc_id for doc_id, _ in index.search("Renovations of the offices", top_k=1)] == ["fr-renovation"]


def test_function_words_of_the_language_are_dropped():
    assert tokenize("De renovatie van het dak en de gevel", "nl") == tokenize("renovatie dak gevel", "nl")
    assert len(tokenize("renovatie dak gevel", "nl")) == 3


def test_shared_terms_are_the_document_words_the_query_also_uses(index):
    shared = index.shared_terms("Warmtepompen voor de renovatie van woningen", "nl-heat-pump")

    assert shared == ["warmtepomp", "renovatie", "woningen"]


def test_shared_terms_across_languages_are_written_as_in_the_document(index):
    assert index.shared_terms("Energy renovation of offices", "fr-renovation") == ["rénovation"]


def test_empty_query_finds_nothing(index):
    assert index.search("", top_k=5) == []
    assert index.search("de het een", top_k=5) == []


def test_query_without_known_words_finds_nothing(index):
    assert index.search("zebra giraffe", top_k=5) == []


def test_top_k_limits_the_number_of_hits(index):
    query = "Wij bieden software, coating, warmtepomp, laadpalen en LED voor bureaux van gebouwen."

    assert len(index.search(query, top_k=6)) > 2
    assert len(index.search(query, top_k=2)) == 2
    assert index.search(query, top_k=0) == []


def test_equal_scores_are_ordered_by_doc_id():
    index = LexicalIndex([("c", "solar panels"), ("a", "solar panels"), ("b", "solar panels"), ("d", "wind")])

    hits = index.search("solar", top_k=2)

    assert [doc_id for doc_id, _ in hits] == ["a", "b"]
    assert hits[0][1] == hits[1][1] > 0


def test_search_is_deterministic():
    query = "renovatie warmtepomp software"

    first = LexicalIndex(DOCUMENTS).search(query, top_k=6)
    second = LexicalIndex(DOCUMENTS).search(query, top_k=6)

    assert first == second
    assert [score for _, score in first] == sorted((score for _, score in first), reverse=True)


def test_index_without_any_words_finds_nothing():
    assert LexicalIndex([]).search("renovation", top_k=3) == []
    assert LexicalIndex([("a", "de het")]).search("renovation", top_k=3) == []


def test_duplicate_document_ids_are_refused():
    with pytest.raises(ValueError, match="unique"):
        LexicalIndex([("a", "solar"), ("a", "wind")])


def test_language_is_detected_per_document(index):
    assert [index.language_of(doc_id) for doc_id, _ in DOCUMENTS] == ["de", "en", "fr", "nl", "en", "nl"]
