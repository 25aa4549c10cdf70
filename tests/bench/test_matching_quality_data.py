"""Unit: the hand-written needs/offers set is well formed, and the matching-quality metrics are right."""

import csv
import re
from collections import Counter
from fractions import Fraction
from itertools import permutations

import numpy as np
import pytest

from bench.matching_quality import bench_matching_quality as bench
from helix.core.matching.embedding import HashingEncoder
from helix.core.matching.language import detect_language

pytestmark = pytest.mark.unit

LANGUAGES = {"nl", "fr", "de", "en"}
DOMAINS = {
    "collective_renovation",
    "green_heat",
    "emobility_hubs",
    "public_lighting",
    "multi_energy_districts",
    "flexible_grids_storage",
    "energy_data_ict",
    "industrial_energy_efficiency",
    "materials_manufacturing",
    "health_technology",
    "ict",
    "automotive_mobility",
    "wood_construction",
    "cleantech_circular",
    "creative_industries",
}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ0-9])")


def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (bench.DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def needs() -> list[dict[str, str]]:
    header, rows = read("needs.csv")
    assert header == ["id", "language", "domain", "text", "relevant_offer_id"]
    return rows


@pytest.fixture(scope="module")
def offers() -> list[dict[str, str]]:
    header, rows = read("offers.csv")
    assert header == ["id", "language", "domain", "text", "is_distractor"]
    return rows


# --- the dataset ------------------------------------------------------------------------------------------


def test_counts_and_balance(needs, offers):
    distractors = [o for o in offers if o["is_distractor"] == "1"]
    assert len(needs) >= 320
    assert len(distractors) >= 150
    assert {o["is_distractor"] for o in offers} == {"0", "1"}
    per_domain = Counter(n["domain"] for n in needs)
    assert set(per_domain) == DOMAINS
    assert min(per_domain.values()) >= 20
    assert max(per_domain.values()) - min(per_domain.values()) <= 5  # roughly balanced
    assert {o["domain"] for o in offers} == DOMAINS
    for rows in (needs, offers):
        per_language = Counter(r["language"] for r in rows)
        assert set(per_language) == LANGUAGES
        assert min(per_language.values()) >= len(rows) // 6


def test_ids_are_unique_and_well_formed(needs, offers):
    ids = [r["id"] for r in needs + offers]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Z]+-N\d\d", n["id"]) for n in needs)
    assert all(re.fullmatch(r"[A-Z]+-O\d\d", o["id"]) for o in offers)


def test_every_need_has_exactly_one_relevant_offer(needs, offers):
    by_id = {o["id"]: o for o in offers}
    targets = Counter(n["relevant_offer_id"] for n in needs)
    for need in needs:
        offer = by_id.get(need["relevant_offer_id"])
        assert offer is not None, need["id"]
        assert offer["is_distractor"] == "0", need["id"]
        assert offer["domain"] == need["domain"], need["id"]
    for offer in offers:
        expected = 0 if offer["is_distractor"] == "1" else 1
        assert targets[offer["id"]] == expected, offer["id"]


def test_cross_lingual_share_covers_every_language_pair(needs, offers):
    by_id = {o["id"]: o for o in offers}
    pairs = Counter((n["language"], by_id[n["relevant_offer_id"]]["language"]) for n in needs)
    assert set(pairs) == {(a, b) for a in LANGUAGES for b in LANGUAGES}
    assert min(pairs.values()) >= 5
    cross = sum(count for (a, b), count in pairs.items() if a != b)
    assert cross / len(needs) >= 0.40


def test_texts_are_clean_marketplace_posts(needs, offers):
    texts = [r["text"] for r in needs + offers]
    assert len(texts) == len(set(texts)), "duplicate text"
    for text in texts:
        assert text == text.strip()
        assert "  " not in text
        assert "\ufffd" not in text
        assert 40 <= len(text) <= 450, text
        assert 1 <= len(SENTENCE_END.split(text)) <= 4, text
        assert text[-1] in ".?!", text


def test_language_labels_agree_with_the_detector(needs, offers):
    rows = needs + offers
    disagreements = [r["id"] for r in rows if detect_language(r["text"]) != r["language"]]
    assert len(disagreements) <= 0.05 * len(rows), disagreements


def test_loaders_match_the_files(needs, offers):
    loaded_needs, loaded_offers = bench.load_needs(), bench.load_offers()
    assert [n.id for n in loaded_needs] == [n["id"] for n in needs]
    assert sum(o.is_distractor for o in loaded_offers) == sum(o["is_distractor"] == "1" for o in offers)


# --- the metrics ------------------------------------------------------------------------------------------


def test_mrr_and_recall_on_a_known_case():
    scores = np.array(
        [
            [0.9, 0.1, 0.2, 0.3],  # relevant 0 at rank 1
            [0.9, 0.8, 0.1, 0.0],  # relevant 1 at rank 2
            [0.9, 0.8, 0.7, 0.6],  # relevant 3 at rank 4
            [0.5, 0.5, 0.1, 0.0],  # relevant 1 tied with 0 for the top: rank 1 or 2
        ]
    )
    positions = bench.positions_of(scores, [0, 1, 3, 1])
    assert positions == [(0, 1), (1, 1), (3, 1), (0, 2)]
    figures = bench.summarise(positions)
    assert figures["n"] == 4
    assert figures["mrr"] == pytest.approx((1 + 1 / 2 + 1 / 4 + (1 + 1 / 2) / 2) / 4)
    assert figures["recall@1"] == pytest.approx((1 + 0 + 0 + 0.5) / 4)
    assert figures["recall@10"] == pytest.approx(1.0)


def test_ties_count_by_their_expectation():
    assert bench.expected_reciprocal_rank(0, 1) == 1.0
    assert bench.expected_reciprocal_rank(2, 3) == pytest.approx((1 / 3 + 1 / 4 + 1 / 5) / 3)
    assert bench.expected_hit(8, 4, 10) == pytest.approx(0.5)  # ranks 9..12, two of four inside the top 10
    assert bench.expected_hit(10, 5, 10) == 0.0
    assert bench.expected_hit(0, 1, 1) == 1.0


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_random_baseline_equals_the_mean_over_all_orders(n):
    # The relevant item's rank is uniform over 1..n: average 1/rank over every permutation.
    ranks = [order.index(0) + 1 for order in permutations(range(n))]
    exact = sum(Fraction(1, r) for r in ranks) / len(ranks)
    baseline = bench.random_baseline(n)
    assert baseline["mrr"] == pytest.approx(float(exact))
    assert baseline["recall@1"] == pytest.approx(1 / n)
    assert baseline["recall@10"] == pytest.approx(min(10, n) / n)


def test_methods_find_an_exact_copy_first():
    corpus = [
        ("a", "Restwarmte van de haven leveren aan een warmtenet"),
        ("b", "LED street lighting with remote dimming for municipalities"),
        ("c", "Bornes de recharge pour véhicules électriques dans les parkings"),
    ]
    queries = [text for _, text in corpus]
    encoder = bench.CachingEncoder(HashingEncoder(dim=128))
    scores, seconds = bench.score_all(encoder, corpus, queries, weight=0.3)
    assert set(scores) == set(bench.METHODS) == set(seconds)
    for method in bench.METHODS:
        assert scores[method].shape == (3, 3)
        assert bench.summarise(bench.positions_of(scores[method], [0, 1, 2]))["mrr"] == 1.0, method
    assert encoder.texts_encoded == 6  # three passages and three queries, each encoded once
