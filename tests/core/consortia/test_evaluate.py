"""Unit: hit rates and reciprocal ranks on hand-computed cases, ties by expectation, bootstrap intervals."""

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helix.core.consortia import Case, Query, bootstrap_ci, bootstrap_ratio, evaluate, summarise
from helix.core.consortia.evaluate import expected_hit, expected_reciprocal_rank, position

pytestmark = pytest.mark.unit


class FixedScores:
    """A scorer over 60 organisations "o00".."o59" with the scores given per query id."""

    def __init__(self, scores: dict[str, list[float]]) -> None:
        ids = [f"o{i:02d}" for i in range(60)]
        self.graph = SimpleNamespace(index={o: i for i, o in enumerate(ids)})
        self.table = scores

    def scores(self, query: Query) -> np.ndarray:
        return np.array(self.table[query.query_id], dtype=float)


def descending(first: int) -> list[float]:
    """Scores 60, 59, ... with organisation ``first`` moved to the top."""
    values = [60.0 - i for i in range(60)]
    values[first] = 100.0
    return values


def test_metrics_on_a_hand_computed_case():
    scorer = FixedScores(
        {
            "top": descending(7),  # o07 first
            "twelfth": [60.0 - i for i in range(60)],  # o11 at rank 12
            "tied": [1.0] * 4 + [0.0] * 56,  # o03 tied with three others for ranks 1-4
        }
    )
    cases = [
        Case(Query("top", (), ("o00",)), "o07"),
        Case(Query("twelfth", (), ("o00",)), "o11"),
        Case(Query("tied", (), ()), "o03"),
        Case(Query("tied", (), ()), "never-seen"),
    ]
    result = evaluate(scorer, cases)
    assert result.findable.tolist() == [True, True, True, False]
    assert result.hits[10].tolist() == [1.0, 0.0, 1.0, 0.0]
    assert result.hits[50].tolist() == [1.0, 1.0, 1.0, 0.0]
    assert result.reciprocal_rank.tolist() == pytest.approx(
        [1.0, 1 / 12, (1 + 1 / 2 + 1 / 3 + 1 / 4) / 4, 0.0]
    )
    everything = summarise(result, reps=200)
    assert everything["hr@10"].value == 0.5
    assert summarise(result, reps=200, findable_only=True)["hr@10"].value == pytest.approx(2 / 3)


def test_ties_count_by_their_expectation():
    assert position(np.array([3.0, 2.0, 2.0, 2.0, 1.0]), 2) == (1, 3)
    assert expected_hit(8, 4, 10) == 0.5  # ranks 9-12, two of four inside the top 10
    assert expected_hit(10, 5, 10) == 0.0
    assert expected_hit(0, 1, 1) == 1.0
    assert expected_reciprocal_rank(2, 3) == pytest.approx((1 / 3 + 1 / 4 + 1 / 5) / 3)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=80), st.integers(0, 100))
def test_the_bootstrap_interval_contains_the_mean(values, seed):
    figure = bootstrap_ci(np.array(values), reps=200, seed=seed)
    assert figure.low <= figure.value <= figure.high
    assert figure.value == pytest.approx(np.mean(values))
    assert figure.low >= 0.0
    assert figure.high <= 1.0


def test_the_interval_narrows_with_more_cases_and_the_ratio_is_paired():
    rng = np.random.default_rng(0)
    small = bootstrap_ci(rng.random(50), reps=500)
    large = bootstrap_ci(rng.random(5000), reps=500)
    assert large.high - large.low < (small.high - small.low) / 5
    base = rng.random(200)
    ratio = bootstrap_ratio(2 * base, base, reps=200)
    assert (ratio.value, ratio.low, ratio.high) == pytest.approx((2.0, 2.0, 2.0))
