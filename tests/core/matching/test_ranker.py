"""Unit: the hybrid text ranker's properties (with the deterministic hashing encoder: no model load)."""

import numpy as np
import pytest

from helix.core.matching.embedding import HashingEncoder
from helix.core.matching.ranker import DuplicateIdError, HybridTextRanker, RankedText, fuse

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


def test_lexical_weight_adds_nothing_without_enough_same_language_documents():
    dense_only = ranker(weight=0.0).scores(["warmtenet restwarmte"])
    hybrid = ranker(weight=0.3).scores(["warmtenet restwarmte"])
    assert np.allclose(hybrid, dense_only)  # too few Dutch documents here to calibrate on


def test_lexical_weight_adds_bm25_between_texts_of_one_language():
    corpus = [
        ("heat", "District heating network with residual heat from the port"),
        ("pump", "Heat pumps for schools and offices"),
        ("light", "Street lighting with dimmable LED lanterns"),
        ("roof", "Solar panels on school roofs"),
        ("bike", "Shared electric bikes for commuters"),
        ("water", "Rainwater reuse in business parks"),
    ]
    dense_only = HybridTextRanker(HashingEncoder(dim=64), lexical_weight=0.0).fit(corpus)
    hybrid = HybridTextRanker(HashingEncoder(dim=64), lexical_weight=0.3).fit(corpus)
    query = ["residual heat network for the port district"]
    boost = hybrid.scores(query) - dense_only.scores(query)
    assert boost[0, 0] == pytest.approx(0.3, abs=1e-5)  # the best same-language BM25 hit gets the full weight
    assert np.all(boost >= -1e-6)


def test_fuse_observes_same_language_and_imputes_the_rest():
    dense = np.array([0.9, 0.7, 0.5, 0.3, 0.1, 0.8, 0.2], dtype=np.float32)
    same = np.array([True, True, True, True, True, False, False])
    bm25 = np.array([9.0, 7.0, 5.0, 3.0, 1.0, 50.0, 0.0], dtype=np.float32)  # lexical = dense / 0.9 at home
    lexical = fuse(dense, bm25, same)
    assert lexical[0] == pytest.approx(1.0)
    assert lexical[1] == pytest.approx(7 / 9)
    # Other-language rows get what a same-language row of equal dense similarity gets; their own BM25
    # (cognates, numbers) is not taken as evidence.
    assert lexical[5] == pytest.approx(0.8 / 0.9, abs=1e-5)
    assert lexical[6] == pytest.approx(0.2 / 0.9, abs=1e-5)


def test_fuse_adds_nothing_it_cannot_calibrate():
    dense = np.linspace(0.9, 0.1, 8).astype(np.float32)
    bm25 = np.arange(8, dtype=np.float32)
    few = np.array([True, True, True, True, False, False, False, False])
    assert not fuse(dense, bm25, few).any()  # 4 same-language rows < MIN_SAME_LANGUAGE
    assert not fuse(dense, np.zeros(8, dtype=np.float32), np.ones(8, dtype=bool)).any()
    none_at_home = np.where(few, 0.0, bm25).astype(np.float32)
    assert not fuse(dense, none_at_home, np.ones(8, dtype=bool) & few).any()


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
