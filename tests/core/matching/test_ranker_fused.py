"""Unit: the fused text ranker of `helix match rank` (hashing encoders stand in for the models)."""

import numpy as np
import pytest

from helix.core.matching.embedding import HashingEncoder
from helix.core.matching.fusion import FUSED, FUSED_WITHOUT_E5, FusionWeights, fuse_channels
from helix.core.matching.glossary import parse_glossary
from helix.core.matching.ranker import DuplicateIdError, FusedTextRanker, RankedText, fused_text_ranker

pytestmark = pytest.mark.unit

CORPUS = [
    ("heat", "Heat pump installation for social housing"),
    ("light", "LED street lighting with remote dimming"),
    ("water", "Wastes from cooling-water treatment other than those mentioned in 10 03 27"),
    ("water2", "Wastes from cooling-water treatment other than those mentioned in 10 04 09"),
]
GLOSSARY = parse_glossary(
    "concept,domain,en,fr,de,nl\nheat_pump,energy,heat pump,pompe à chaleur,Wärmepumpe,warmtepomp\n"
)


def ranker(weights: FusionWeights = FUSED) -> FusedTextRanker:
    encoders = {"use": HashingEncoder(dim=256), "e5": HashingEncoder(dim=64)}
    return FusedTextRanker(encoders, weights, glossary=GLOSSARY).fit(CORPUS)


def test_channel_scores_hold_every_active_channel_and_nothing_else():
    channels = ranker().channel_scores(["warmtepomp", "street lighting"])
    assert sorted(channels) == ["char", "e5", "glossary", "use"]
    assert {name: scores.shape for name, scores in channels.items()} == dict.fromkeys(channels, (2, 4))


def test_scores_are_the_fusion_of_the_channels():
    fused = ranker()
    queries = ["warmtepomp voor sociale woningen", "10 04 09"]
    assert fused.scores(queries) == pytest.approx(fuse_channels(fused.channel_scores(queries), FUSED))


def test_the_glossary_carries_a_term_across_languages():
    # The hashing encoders match spelling only: the Dutch word reaches the English text through the glossary.
    only_glossary = ranker(FusionWeights(glossary=1.0))
    assert only_glossary.rank([("q", "Wij zoeken een warmtepomp")], top=1) == [
        RankedText("q", 1, "heat", pytest.approx(only_glossary.scores(["Wij zoeken een warmtepomp"])[0, 0]))
    ]


def test_a_code_decides_between_near_duplicates():
    ranked = ranker().rank([("q", "Abfälle aus der Kühlwasserbehandlung, die unter 10 04 09 fallen")], top=2)
    assert [r.corpus_id for r in ranked] == ["water2", "water"]


def test_rank_orders_by_score_and_returns_at_most_the_corpus():
    ranked = ranker().rank([("q", "LED street lighting")], top=10)
    assert [r.rank for r in ranked] == [1, 2, 3, 4]
    assert ranked[0].corpus_id == "light"
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)


def test_bm25_channel_is_computed_when_weighted():
    channels = ranker(FusionWeights(use=1.0, bm25=0.5)).channel_scores(["street lighting"])
    assert sorted(channels) == ["bm25", "use"]
    assert channels["bm25"].shape == (1, 4)


def test_duplicate_corpus_ids_and_missing_encoders_are_errors():
    with pytest.raises(DuplicateIdError):
        FusedTextRanker({"use": HashingEncoder()}, FUSED_WITHOUT_E5).fit([("a", "x"), ("a", "y")])
    with pytest.raises(ValueError, match="e5"):
        FusedTextRanker({"use": HashingEncoder()}, FUSED)
    with pytest.raises(ValueError, match="no channel"):
        FusedTextRanker({"use": HashingEncoder()}, FusionWeights())


def test_empty_corpus_ranks_nothing():
    assert (
        FusedTextRanker({"use": HashingEncoder()}, FUSED_WITHOUT_E5).fit([]).rank([("q", "x")], top=3) == []
    )


def test_product_ranker_uses_the_chosen_weights_with_or_without_e5():
    use, e5 = HashingEncoder(dim=32), HashingEncoder(dim=16)
    with_e5 = fused_text_ranker(use, e5)
    assert (with_e5.weights, sorted(with_e5.encoders)) == (FUSED, ["e5", "use"])
    without = fused_text_ranker(use, with_e5=False)
    assert (without.weights, sorted(without.encoders)) == (FUSED_WITHOUT_E5, ["use"])
    overridden = fused_text_ranker(use, with_e5=False, overrides={"bm25": 0.3})
    assert overridden.weights.bm25 == 0.3


def test_chunked_ranking_equals_one_pass():
    small = FusedTextRanker({"use": HashingEncoder()}, FUSED_WITHOUT_E5, max_chunk_cells=4).fit(CORPUS)
    large = FusedTextRanker({"use": HashingEncoder()}, FUSED_WITHOUT_E5).fit(CORPUS)
    queries = [("a", "heat pump"), ("b", "street LED"), ("c", "10 03 27")]
    assert small.rank(queries, top=2) == large.rank(queries, top=2)
    assert np.isfinite(large.scores([q for _, q in queries])).all()
