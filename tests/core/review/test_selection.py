"""Unit: the funding decision by rank (skip or stop at the first that does not fit) on a hand case,
the optimal selection on hand cases and against brute force over every subset (hypothesis), and the
coded reason given to every proposal not selected."""

from __future__ import annotations

import itertools
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helix.core.review.scoring import Criterion, Review, Rubric, score_proposals
from helix.core.review.selection import (
    Candidate,
    Rules,
    Selection,
    candidates,
    select_by_rank,
    select_optimal,
)

pytestmark = pytest.mark.unit

SETTINGS = settings(
    max_examples=int(os.environ.get("HELIX_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

RANKED = [
    Candidate("A", 40_000, 4.5),
    Candidate("B", 50_000, 4.2),
    Candidate("C", 30_000, 4.0),  # 10,000 left: does not fit
    Candidate("G", 200_000, 3.9),  # more than the whole budget
    Candidate("D", 10_000, 3.8),  # fits what C left
    Candidate("F", 5_000, 3.5, passes=False),  # failed a rubric threshold
    Candidate("E", 5_000, 2.0),  # under the least score
]
RULES = Rules(budget=100_000, min_score=3.0)


def codes(selection: Selection) -> dict[str, tuple[str, dict[str, object]]]:
    return {p: (r.code, r.params) for p, r in selection.reasons.items()}


def test_by_rank_skipping_takes_a_smaller_one_further_down():
    selection = select_by_rank(RANKED, RULES, on_overflow="skip")
    assert (
        selection.method,
        selection.selected,
        selection.spent,
        selection.remaining,
        selection.total_score,
    ) == (
        "rank-skip",
        ("A", "B", "D"),
        100_000,
        0,
        4.5 + 4.2 + 3.8,
    )
    assert codes(selection) == {
        "C": ("budget_exhausted", {"amount": 30_000, "remaining": 10_000}),
        "G": ("over_budget", {"amount": 200_000, "budget": 100_000}),
        "F": ("below_rubric_threshold", {}),
        "E": ("below_threshold", {"score": 2.0, "threshold": 3.0}),
    }
    assert selection.reasons["C"].text == "C asks 30,000.00; 10,000.00 is left"


def test_by_rank_stopping_ends_at_the_first_that_does_not_fit():
    selection = select_by_rank(RANKED, RULES, on_overflow="stop")
    assert (selection.method, selection.selected, selection.spent, selection.remaining) == (
        "rank-stop",
        ("A", "B"),
        90_000,
        10_000,
    )
    assert codes(selection) == {
        "C": ("budget_exhausted", {"amount": 30_000, "remaining": 10_000}),
        "G": ("budget_exhausted", {"amount": 200_000, "remaining": 10_000, "stopped_at": "C"}),
        "D": ("budget_exhausted", {"amount": 10_000, "remaining": 10_000, "stopped_at": "C"}),
        "F": ("below_rubric_threshold", {}),
        "E": ("below_threshold", {"score": 2.0, "threshold": 3.0}),
    }


def test_a_beneficiary_cap_counts_what_it_already_received():
    ranked = [
        Candidate("P1", 8_000, 4.0, shares={"X": 8_000}),
        Candidate("P2", 5_000, 3.9, shares={"X": 5_000}),  # X: 5,000 + 8,000 + 5,000 > 15,000
        Candidate("P3", 5_000, 3.8, shares={"Y": 5_000}),
    ]
    rules = Rules(budget=50_000, beneficiary_cap=15_000, already={"X": 5_000})
    for selection in (select_by_rank(ranked, rules), select_optimal(ranked, rules)):
        assert (selection.selected, codes(selection)) == (
            ("P1", "P3"),
            {"P2": ("cap_reached", {"beneficiary": "X", "cap": 15_000, "received": 13_000, "share": 5_000})},
        )


def test_the_optimal_selection_beats_the_rank_order_when_the_first_crowds_out_two():
    ranked = [Candidate("A", 60, 5.0), Candidate("B", 50, 4.0), Candidate("C", 50, 4.0)]
    rules = Rules(budget=100)
    by_rank = select_by_rank(ranked, rules)
    best = select_optimal(ranked, rules)
    assert (by_rank.selected, by_rank.total_score) == (("A",), 5.0)
    assert (best.method, best.selected, best.total_score, best.optimal, best.bound) == (
        "optimal-score",
        ("B", "C"),
        8.0,
        True,
        pytest.approx(8.0),
    )
    assert codes(best) == {"A": ("budget_exhausted", {"amount": 60, "remaining": 0})}


def test_the_most_proposals_can_be_funded_instead_of_the_most_score():
    ranked = [Candidate("A", 60, 5.0), Candidate("B", 50, 2.0), Candidate("C", 50, 2.0)]
    rules = Rules(budget=100)
    assert select_optimal(ranked, rules).selected == ("A",)
    assert select_optimal(ranked, rules, objective="count").selected == ("B", "C")


def test_a_candidate_that_fits_but_adds_nothing_is_told_so():
    selection = select_optimal([Candidate("A", 10, 4.0), Candidate("Z", 10, 0.0)], Rules(budget=100))
    assert (selection.selected, codes(selection)) == (("A",), {"Z": ("no_gain", {"score": 0.0})})


def test_amounts_are_counted_in_cents_rounded_against_the_applicant():
    # 33.334 counts as 33.34: three of them (100.02) do not fit 100.01
    ranked = [Candidate(p, 33.334, 1.0) for p in "ABC"]
    assert select_optimal(ranked, Rules(budget=100.01)).selected == ("A", "B")
    assert select_optimal(ranked, Rules(budget=100.02)).selected == ("A", "B", "C")


def test_candidates_come_from_the_scoring_in_rank_order():
    rubric = Rubric((Criterion("q", 1, 0, 5, threshold=2.0),))
    scoring = score_proposals(
        rubric, [Review("R", "P1", {"q": 3}), Review("R", "P2", {"q": 4}), Review("R", "P3", {"q": 1})]
    )
    assert candidates(scoring, {"P1": 10.0, "P2": 20.0, "P3": 5.0}, {"P2": {"X": 20.0}}) == [
        Candidate("P2", 20.0, 4.0, True, {"X": 20.0}),
        Candidate("P1", 10.0, 3.0, True, {}),
        Candidate("P3", 5.0, 1.0, False, {}),
    ]


@st.composite
def decisions(draw: st.DrawFn) -> tuple[list[Candidate], Rules]:
    n = draw(st.integers(0, 8))
    ranked = []
    for i in range(n):
        amount = draw(st.integers(1, 60))
        beneficiary = draw(st.sampled_from(["X", "Y", "Z"]))
        ranked.append(
            Candidate(
                f"P{i}",
                float(amount),
                draw(st.integers(0, 10)) / 2,
                passes=draw(st.integers(0, 9)) > 0,
                shares={beneficiary: float(amount)},
            )
        )
    rules = Rules(
        budget=float(draw(st.integers(0, 200))),
        min_score=draw(st.one_of(st.none(), st.sampled_from([1.0, 2.5]))),
        beneficiary_cap=draw(st.one_of(st.none(), st.integers(5, 90).map(float))),
        already={"X": float(draw(st.integers(0, 30)))},  # X may already be past the cap
    )
    return ranked, rules


def feasible(chosen: list[Candidate], rules: Rules) -> bool:
    if sum(c.amount for c in chosen) > rules.budget:
        return False
    if any((rules.min_score is not None and c.score < rules.min_score) or not c.passes for c in chosen):
        return False
    if rules.beneficiary_cap is not None:
        for b in ("X", "Y", "Z"):
            had = rules.already.get(b, 0.0) + sum(c.shares.get(b, 0.0) for c in chosen)
            if had > rules.beneficiary_cap and any(b in c.shares for c in chosen):
                return False
    return True


@settings(SETTINGS, max_examples=SETTINGS.max_examples * 3)  # 3 ms each
@given(decisions(), st.sampled_from(["score", "count"]))
def test_the_optimal_selection_equals_brute_force_and_every_other_proposal_has_a_reason(decision, objective):
    ranked, rules = decision
    best = max(
        (
            (len(subset), sum(c.score for c in subset))
            if objective == "count"
            else (sum(c.score for c in subset),)
            for size in range(len(ranked) + 1)
            for subset in itertools.combinations(ranked, size)
            if feasible(list(subset), rules)
        ),
    )
    selection = select_optimal(ranked, rules, objective=objective)
    chosen = [c for c in ranked if c.proposal in selection.selected]
    assert feasible(chosen, rules)
    value = (
        (len(chosen), sum(c.score for c in chosen))
        if objective == "count"
        else (sum(c.score for c in chosen),)
    )
    assert value == pytest.approx(best)
    assert selection.optimal
    assert selection.total_score == pytest.approx(sum(c.score for c in chosen))
    assert set(selection.reasons) == {c.proposal for c in ranked} - set(selection.selected)
    by_rank = select_by_rank(ranked, rules)
    assert feasible([c for c in ranked if c.proposal in by_rank.selected], rules)
    if objective == "score":
        assert by_rank.total_score <= selection.total_score + 1e-9
    assert set(by_rank.reasons) == {c.proposal for c in ranked} - set(by_rank.selected)
