"""Unit: the hybrid text ranker's properties (with the deterministic hashing encoder: no model load)."""

import numpy as np
import pytest

from helix.core.matching.embedding import HashingEncoder
from helix.core.matching.ranker import DuplicateIdError, HybridTextRanker, RankedText

pytestmark = pytest.mark.unit

CORPUS = [
    ("heat", "Restwarmte van de haven leveren aan een warmtenet met warmtepompen"),
    ("light", "LED street lighting with remote dimming for municipalities"),
    ("charge", "Bornes de recharge pour vehicules electriques dans les parkings"),
    ("coat", "Korrosionsschutz Beschichtungen fur Stahlbau"),
]


def ranker(weight: float = 0.3) -> HybridTextRanker:
    return HybridTextRanker(HashingEncoder(dim=256), lexical_weight=weight).fit(CORPUS)


def test_each_query_gets_top_rows_ranked_one_to_n():
    ranked = ranker().rank([("q1", "warmtenet restwarmte"), ("q2", "street lighting")], top=3)
    assert [(r.query_id, r.rank) for r in ranked] == [
        ("q1", 1),
        ("q1", 2),
        ("q1", 3),
        ("q2", 1),
        ("q2", 2),
        ("q2", 3),
    ]
    assert ranked[0].corpus_id == "heat"
    assert ranked[3].corpus_id == "light"


def test_scores_descend_and_top_larger_than_corpus_returns_all():
    ranked = ranker().rank([("q", "warmtepompen warmtenet")], top=10)
    assert len(ranked) == len(CORPUS)
    scores = [r.score for r in ranked]
    assert scores == sorted(scores, reverse=True)


def test_ranking_is_deterministic():
    queries = [("q", "recharge vehicules electriques")]
    assert ranker().rank(queries, top=4) == ranker().rank(queries, top=4)


def test_lexical_weight_adds_bm25_to_dense_scores():
    dense_only = ranker(weight=0.0).scores(["warmtenet restwarmte"])
    hybrid = ranker(weight=0.3).scores(["warmtenet restwarmte"])
    boost = hybrid - dense_only
    assert boost[0, 0] == pytest.approx(0.3, abs=1e-5)  # the best BM25 hit gets the full weight
    assert np.all(boost >= -1e-6)


def test_duplicate_corpus_ids_are_refused():
    with pytest.raises(DuplicateIdError, match="'a' occurs more than once"):
        HybridTextRanker(HashingEncoder(dim=64)).fit([("a", "x"), ("a", "y")])


def test_empty_corpus_ranks_nothing():
    assert HybridTextRanker(HashingEncoder(dim=64)).fit([]).rank([("q", "anything")], top=5) == []


def test_ranked_text_carries_ids_and_score():
    first = ranker().rank([("q", "LED lighting municipalities")], top=1)[0]
    assert isinstance(first, RankedText)
    assert (first.query_id, first.rank, first.corpus_id) == ("q", 1, "light")


def test_small_score_chunks_give_the_same_ranking():
    queries = [("q1", "warmtenet"), ("q2", "street lighting"), ("q3", "recharge electriques")]
    whole = ranker().rank(queries, top=4)
    chunked = HybridTextRanker(HashingEncoder(dim=256), lexical_weight=0.3, max_chunk_cells=4).fit(CORPUS)
    assert chunked.rank(queries, top=4) == whole
