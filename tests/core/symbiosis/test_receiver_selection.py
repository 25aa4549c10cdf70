"""Choosing the receiver ranking by nested leave-one-case-out (helix.core.symbiosis.receiver_selection)."""

from __future__ import annotations

import numpy as np
import pytest

from helix.core.matching.embedding import default_encoder
from helix.core.symbiosis.exchanges import read_exchange_file, read_exchanges
from helix.core.symbiosis.receiver_counts import CountReceiverModel, CountSettings
from helix.core.symbiosis.receiver_selection import (
    BASELINE,
    PRODUCT_SETTINGS,
    CachedEncoder,
    Candidate,
    HeldOutRanks,
    bootstrap_interval,
    choose,
    count_ranking,
    held_out_ranks,
    learn_receiver_ranking,
    metrics,
    nested_leave_one_case_out,
    per_query,
    predeclared_candidates,
)
from helix.core.symbiosis.receivers import chapter_count_baseline
from tests.helpers.exchanges import corpus
from tests.helpers.shared_data import maestri_exchanges

pytestmark = pytest.mark.unit


def nothing(train, test):
    return [[] for _ in test]


def fixed_ranks(a_hits: list[list[int]], b_hits: list[list[int]]) -> tuple[HeldOutRanks, list[Candidate]]:
    """Four cases of two queries; candidate "A" (simpler) and "B" ranking each query 1 (hit) or 0 (not)."""
    case_of = np.repeat(np.arange(4), 2)
    ranks = HeldOutRanks([f"c{i}" for i in range(4)], case_of)
    for name, hits in (("A", a_hits), ("B", b_hits)):
        ranks.ranks[name] = np.repeat(np.array(hits).reshape(-1, 1), 4, axis=1)
    return ranks, [Candidate("A", 1, nothing), Candidate("B", 2, nothing)]


def test_the_simpler_candidate_is_chosen_within_one_standard_error_of_the_best() -> None:
    # B is better in two cases, worse in one: 7 of 8 against 6 of 8, a difference of one standard error
    # (0.239) or less
    ranks, candidates = fixed_ranks([1, 1, 1, 1, 1, 0, 1, 0], [1, 0, 1, 1, 1, 1, 1, 1])
    selection = choose(ranks, candidates)
    assert (selection.chosen, selection.best) == ("A", "B")
    assert selection.hit_rate == {"A": 0.75, "B": 0.875}
    assert selection.standard_error["A"] == pytest.approx(np.sqrt(4 / 3 * 2.75) / 8)


def test_a_candidate_better_in_every_case_that_differs_is_chosen() -> None:
    ranks, candidates = fixed_ranks([1, 1, 1, 1, 1, 0, 1, 0], [1, 1, 1, 1, 1, 1, 1, 1])
    assert choose(ranks, candidates).chosen == "B"


def test_the_inner_choice_scores_neither_the_outer_case_nor_fits_that_saw_it() -> None:
    ranks, candidates = fixed_ranks([1, 1, 1, 1, 1, 0, 1, 0], [1, 1, 1, 1, 1, 1, 1, 1])
    assert choose(ranks, candidates, without=3).chosen == "A"  # without case 3, B's lead is one query
    ranks.ranks["B"][:, 0] = 0  # every fit without case 0 ranks B's truths nowhere
    assert choose(ranks, candidates, without=0).hit_rate == {"A": 4 / 6, "B": 0.0}


def test_every_fit_leaves_out_the_cases_it_ranks() -> None:
    exchanges = read_exchanges(corpus())  # seven cases, 28 exchanges
    fits: list[tuple[set[str], set[str]]] = []

    def spy(train, test):
        fits.append(({e.case for e in train}, {e.case for e in test}))
        return [sorted({e.receiver for e in train}) for _ in test]

    ranks = held_out_ranks(exchanges, [Candidate("spy", 1, spy)])
    assert len(fits) == 7 + 7 * 6 // 2  # each case alone, each pair once
    assert all(not (train & test) and len(train | test) == 7 for train, test in fits)
    road = [i for i, e in enumerate(exchanges) if e.receiver == "4211"]  # only case 7 has it
    assert ranks.ranks["spy"][road].tolist() == [[0] * 7]  # learned without case 7, whatever else
    assert (ranks.ranks["spy"] > 0).sum() == 28 * 7 - 7  # every other receiver is in a third case


def test_the_pair_fits_are_the_inner_folds_of_each_outer_case() -> None:
    exchanges = read_exchanges(corpus())
    candidates = [
        Candidate(BASELINE, 0, chapter_count_baseline),
        Candidate("counts", 1, count_ranking(CountSettings(prior_weight=0.3))),
    ]
    full = held_out_ranks(exchanges, candidates)
    for o, case in enumerate(full.cases):
        others = [e for e in exchanges if e.case != case]
        alone = held_out_ranks(others, candidates)  # learned and scored without ever seeing case o
        rows = full.case_of != o
        for c in candidates:
            assert alone.loco(c.name).tolist() == full.ranks[c.name][rows, o].tolist()


def test_each_case_is_ranked_by_the_candidate_chosen_without_it() -> None:
    exchanges = read_exchanges(corpus())
    candidates = predeclared_candidates(None, logit=False)
    result = nested_leave_one_case_out(exchanges, candidates)
    ranks = held_out_ranks(exchanges, candidates)
    for o, case in enumerate(result.cases):
        chosen = choose(ranks, candidates, without=o).chosen
        assert result.chosen[case] == chosen
        rows = result.case_of == o
        assert result.nested[rows].tolist() == result.loco[chosen][rows].tolist()
    assert result.product == choose(ranks, candidates)


def test_metrics_of_ranks() -> None:
    ranks = np.array([1, 3, 0, 12])
    assert metrics(ranks) == {
        "hr@1": 0.25,
        "hr@5": 0.5,
        "hr@10": 0.5,
        "mrr": pytest.approx((1 + 1 / 3 + 1 / 12) / 4),
    }
    assert per_query(ranks, "hr@5").tolist() == [1.0, 1.0, 0.0, 0.0]
    assert per_query(ranks, "mrr").tolist() == pytest.approx([1.0, 1 / 3, 0.0, 1 / 12])


def test_the_bootstrap_resamples_cases() -> None:
    case_of = np.repeat(np.arange(10), [1, 2, 3, 4, 5, 1, 2, 3, 4, 5])
    assert bootstrap_interval(np.full(30, 0.4), case_of) == pytest.approx((0.4, 0.4))
    values = (np.arange(30) % 3 == 0).astype(float)
    low, high = bootstrap_interval(values, case_of, samples=500, seed=1)
    assert 0.0 <= low < values.mean() < high <= 1.0
    assert bootstrap_interval(values, case_of, samples=500, seed=1) == (low, high)
    # one case holding every hit: the interval reaches from no hit to many
    assert bootstrap_interval((case_of == 9).astype(float), case_of, samples=500)[0] == 0.0


def test_the_candidates_are_declared_simplest_first() -> None:
    names = [c.name for c in predeclared_candidates(CachedEncoder(default_encoder()))]
    assert names[:2] == [BASELINE, "EWC backoff"]
    assert names[-2:] == ["conditional logit, no text", "conditional logit + text"]
    assert len(names) == 15
    assert len(predeclared_candidates(None, logit=False)) == 7


def test_the_product_learns_the_chosen_settings() -> None:
    model = learn_receiver_ranking(read_exchanges(corpus()), encoder=None)
    assert isinstance(model, CountReceiverModel)
    assert model.settings == PRODUCT_SETTINGS
    assert model.rank(read_exchanges(corpus())[0].waste, top=1)[0].key == "2351"


@pytest.mark.skipif(
    maestri_exchanges() is None, reason="the shared MAESTRI file (../shared/data/symbiosis) is absent"
)
def test_on_the_shared_maestri_file_the_procedure_chooses_the_products_model() -> None:
    exchanges = read_exchange_file(str(maestri_exchanges()))
    candidates = predeclared_candidates(CachedEncoder(default_encoder()))
    selection = choose(held_out_ranks(exchanges, candidates, pairs=False), candidates)
    chosen = next(c for c in candidates if c.name == selection.chosen)
    assert chosen.settings == PRODUCT_SETTINGS
