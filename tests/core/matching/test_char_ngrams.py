"""Unit: the character n-gram channel (TF-IDF cosine over 3-5-grams of folded text)."""

import numpy as np
import pytest

from helix.core.matching.char_ngrams import CharNgramIndex, char_ngrams, normalise

pytestmark = pytest.mark.unit

CORPUS = [
    "Wastes from cooling-water treatment other than those mentioned in 10 03 27",
    "Wastes from cooling-water treatment other than those mentioned in 10 04 09",
    "Photovoltaic panels and inverters",
    "Zonnepanelen op daken van scholen",
]


def test_normalise_folds_accents_case_and_punctuation():
    assert normalise("Rénovation  énergétique — PV/BIM!") == " renovation energetique pv bim "


def test_ngrams_run_across_word_boundaries():
    grams = char_ngrams("ab cd", sizes=(3,))
    assert grams == {" ab": 1, "ab ": 1, "b c": 1, " cd": 1, "cd ": 1}


def test_identical_text_scores_one_and_disjoint_text_zero():
    index = CharNgramIndex(CORPUS)
    scores = index.scores(CORPUS[2])
    assert scores.dtype == np.float32
    assert scores[2] == pytest.approx(1.0, abs=1e-6)
    assert index.scores("qqqq xxxx") == pytest.approx(np.zeros(4))


def test_codes_tell_near_duplicates_apart():
    index = CharNgramIndex(CORPUS)
    scores = index.scores(
        "Abfälle aus der Kühlwasserbehandlung mit Ausnahme derjenigen, die unter 10 04 09 fallen"
    )
    assert scores[1] > scores[0] > scores[2]


def test_cognates_score_across_languages():
    index = CharNgramIndex(CORPUS)
    scores = index.scores("Photovoltaïque et onduleurs")
    assert int(np.argmax(scores)) == 2


def test_expansion_adds_its_weighted_cosine():
    index = CharNgramIndex(CORPUS)
    plain = index.scores("zonne-energie")
    expanded = index.scores("zonne-energie", expansion="photovoltaic", expansion_weight=0.5)
    assert expanded == pytest.approx(plain + 0.5 * index.similarity("photovoltaic").astype(np.float32))
    assert index.scores("zonne-energie", expansion="photovoltaic", expansion_weight=0.0) == pytest.approx(
        plain
    )


def test_empty_corpus_and_empty_query():
    assert CharNgramIndex([]).scores("anything").shape == (0,)
    assert CharNgramIndex(CORPUS).scores("").shape == (4,)
