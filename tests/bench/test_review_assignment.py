"""Unit: the reviewer-assignment benchmark at its quick size (200 proposals x 40 reviewers): its figures,
the generator's determinism, and the rules on its registry-like data (no conflict broken, k reviews,
caps kept, the same assignment on a second run)."""

from __future__ import annotations

import pytest

from bench.review_assignment import bench_review_assignment as bench
from bench.review_assignment.generate import generate_call
from helix.core.review.assignment import assign_reviewers, expertise_fit, find_conflicts

pytestmark = pytest.mark.unit


def test_the_quick_benchmark_proves_every_assignment_optimal_and_compares_greedy():
    figures = bench.run(quick=True)
    assert (figures["sizes"], figures["seeds"], figures["target_met"]) == (
        {"proposals": 200, "reviewers": 40, "reviews_per_proposal": 3},
        [14, 15],
        True,
    )
    rows = figures["runs"]
    assert [(r["seed"], r["slack"]) for r in rows] == [(14, 0), (14, 1), (15, 0), (15, 1)]
    for row in rows:
        best, greedy = row["optimiser"], row["greedy"]
        assert (best["optimal"], best["gap"], best["complete"]) == (True, 0.0, True)
        assert best["bound"] == best["total_fit"]
        assert best["max_load"] <= row["cap"]
        if greedy["complete"]:
            assert row["fit_vs_greedy"] == best["total_fit"] / greedy["total_fit"] >= 1.0
        else:
            assert row["fit_vs_greedy"] is None
        assert set(row["conflict_reasons"]) == {
            "conflict_declared",
            "conflict_same_organisation",
            "conflict_shared_project",
        }
    # with the balanced cap and no slack, every reviewer has exactly n k / m = 15 reviews
    assert [(r["optimiser"]["min_load"], r["optimiser"]["max_load"]) for r in rows if r["slack"] == 0] == [
        (15, 15),
        (15, 15),
    ]
    solvers = figures["solvers"]
    assert solvers["cpsat"]["total_fit"] == solvers["highs_at_cpsat_size"]["total_fit"]
    assert solvers["highs_all_pairs"]["total_fit"] == rows[0]["optimiser"]["total_fit"]


def test_the_generator_is_seeded():
    assert generate_call(60, 12, seed=3) == generate_call(60, 12, seed=3)
    assert generate_call(60, 12, seed=3) != generate_call(60, 12, seed=4)


def test_the_assignment_keeps_every_rule_on_registry_like_data():
    call = generate_call(200, 40, seed=21)
    fit = expertise_fit(call.proposals, call.reviewers, call.topics, call.expertise)
    conflicts = find_conflicts(
        call.reviewer_organisations,
        call.proposal_organisations,
        call.participations,
        call.declared,
        year=call.year,
    )
    outcome = assign_reviewers(call.proposals, call.reviewers, fit, k=3, conflicts=conflicts)
    assert outcome.assignment is not None
    loads = dict.fromkeys(call.reviewers, 0)
    for proposal, reviewers in outcome.assignment.reviews.items():
        assert len(set(reviewers)) == 3
        assert [r for r in reviewers if (r, proposal) in conflicts] == []
        for reviewer in reviewers:
            loads[reviewer] += 1
    assert loads == outcome.assignment.loads
    assert max(loads.values()) <= 15  # ceil(200 x 3 / 40)
    again = assign_reviewers(call.proposals, call.reviewers, fit, k=3, conflicts=conflicts)
    assert again.assignment is not None
    assert again.assignment.reviews == outcome.assignment.reviews  # the same call, the same assignment
