"""Unit: conflicts of interest from plain facts, the expertise fit, and the reviewer assignment on hand
cases: the optimiser beats greedy where greedy is myopic, balance decides between equal fits, and every
kind of infeasibility is a coded problem naming its proposals, with no assignment."""

from __future__ import annotations

import numpy as np
import pytest

from helix.core.review.assignment import (
    Conflict,
    Participation,
    ReviewAssignment,
    assign_reviewers,
    balanced_cap,
    expertise_fit,
    find_conflicts,
    greedy_assign,
)
from helix.core.review.problems import ReviewProblem

pytestmark = pytest.mark.unit


def test_conflicts_come_from_organisations_recent_shared_projects_and_declarations():
    conflicts = find_conflicts(
        reviewer_organisations={"R1": ["A"], "R2": ["B", "C"], "R3": ["D"]},
        proposal_organisations={"P1": ["A", "X"], "P2": ["C"], "P3": ["E"], "P4": ["F"]},
        participations=[
            Participation("proj1", "B", 2020, 2023),
            Participation("proj1", "E", 2021, None),  # still running
            Participation("proj2", "D", 2015, 2019),  # ended before 2022: too old
            Participation("proj2", "F", 2015, 2019),
            Participation("proj3", "D", 2026, None),  # not started by 2025
            Participation("proj3", "F", 2024, None),
            Participation("proj4", "A", 2024, 2024),
            Participation("proj4", "X", 2024, 2024),
        ],
        declared=[("R3", "P4")],
        year=2025,
    )
    assert {pair: [(c.code, c.params) for c in reasons] for pair, reasons in conflicts.items()} == {
        ("R1", "P1"): [
            ("conflict_same_organisation", {"organisation": "A"}),
            (
                "conflict_shared_project",
                {
                    "project": "proj4",
                    "reviewer_organisation": "A",
                    "applicant_organisation": "X",
                    "year": 2024,
                },
            ),
        ],
        ("R2", "P2"): [("conflict_same_organisation", {"organisation": "C"})],
        ("R2", "P3"): [
            (
                "conflict_shared_project",
                {
                    "project": "proj1",
                    "reviewer_organisation": "B",
                    "applicant_organisation": "E",
                    "year": 2023,
                },
            )
        ],
        ("R3", "P4"): [("conflict_declared", {})],
    }
    assert conflicts["R2", "P3"][0] == Conflict(
        "R2",
        "P3",
        "conflict_shared_project",
        {"project": "proj1", "reviewer_organisation": "B", "applicant_organisation": "E", "year": 2023},
        "B (the reviewer's) and E (an applicant of P3) shared project proj1 until 2023",
    )


def test_a_shared_project_counts_for_the_window_given():
    facts = {
        "reviewer_organisations": {"R": ["A"]},
        "proposal_organisations": {"P": ["B"]},
        "participations": [Participation("old", "A", 2018, 2021), Participation("old", "B", 2019, 2022)],
        "year": 2025,
    }
    assert find_conflicts(**facts) == {}  # the shared years end in 2021, before 2022
    assert list(find_conflicts(**facts, window_years=4)) == [("R", "P")]


def test_fit_is_the_share_of_a_proposals_topics_the_reviewer_masters():
    fit = expertise_fit(
        ["P1", "P2", "P3"],
        ["R1", "R2"],
        topics={"P1": ["Heat pumps", "nace:35"], "P2": [], "P3": ["kw:a", "kw:b", "kw:c"]},
        expertise={"R1": ["heat  pumps"], "R2": ["kw:a", "kw:c", "nace:35"]},
    )
    assert fit.tolist() == [[0.5, 0.5], [0.0, 0.0], [0.0, 2 / 3]]


def test_the_balanced_cap_is_the_ceiling_of_the_mean_load_plus_slack():
    assert [
        balanced_cap(10, 4, 3),
        balanced_cap(12, 4, 3),
        balanced_cap(12, 4, 3, slack=2),
        balanced_cap(5, 0, 3),
    ] == [
        8,
        9,
        11,
        0,
    ]


def test_the_optimiser_gives_up_a_best_pair_that_greedy_takes_first():
    fit = [[0.9, 0.8], [0.8, 0.1]]  # greedy: P1-A (0.9), then only B is left for P2 (0.1)
    outcome = assign_reviewers(["P1", "P2"], ["A", "B"], fit, k=1, cap=1)
    assert outcome.problems == ()
    optimum = outcome.assignment
    assert optimum is not None
    assert (
        optimum.reviews,
        optimum.total_fit,
        optimum.loads,
        optimum.bound,
        optimum.optimal,
        optimum.gap,
    ) == (
        {"P1": ("B",), "P2": ("A",)},
        1.6,
        {"A": 1, "B": 1},
        1.6,
        True,
        0.0,
    )
    greedy = outcome.greedy
    assert greedy is not None
    assert (greedy.reviews, greedy.total_fit, greedy.complete) == ({"P1": ("A",), "P2": ("B",)}, 1.0, True)
    assert outcome.fit_vs_greedy == pytest.approx(1.6)


@pytest.mark.parametrize("solver", ["highs", "cpsat"])
def test_between_equal_fits_the_more_even_loads_win(solver):
    # P1 fits A and B equally, P2 may only have A: the same fit either way; loads 1/1 beat 2/0.
    fit = [[0.5, 0.5], [0.5, 0.5]]
    outcome = assign_reviewers(
        ["P1", "P2"], ["A", "B"], fit, k=1, conflicts={("B", "P2")}, cap=2, solver=solver
    )
    assert outcome.assignment is not None
    assert (outcome.assignment.reviews, outcome.assignment.loads, outcome.assignment.total_fit) == (
        {"P1": ("B",), "P2": ("A",)},
        {"A": 1, "B": 1},
        1.0,
    )
    assert outcome.greedy is not None
    assert outcome.greedy.loads == {"A": 2, "B": 0}  # greedy knows no balance


def test_a_proposal_with_fewer_than_k_free_reviewers_is_named_and_nothing_is_assigned():
    outcome = assign_reviewers(["P1", "P2"], ["A", "B"], np.ones((2, 2)), k=2, conflicts={("A", "P1")})
    assert outcome.assignment is None
    assert outcome.problems == (
        ReviewProblem(
            "too_few_reviewers",
            "P1",
            {"proposal": "P1", "available": 1, "needed": 2, "in_conflict": 1},
            "P1 has 1 reviewers free of conflict and with room; it needs 2 (1 in conflict)",
        ),
    )
    assert outcome.greedy is not None
    assert (outcome.greedy.complete, outcome.greedy.missing) == (False, {"P1": 1})
    assert outcome.fit_vs_greedy is None


def test_too_little_capacity_in_total_is_a_problem_of_the_call():
    outcome = assign_reviewers(["P1", "P2", "P3"], ["A", "B"], np.ones((3, 2)), k=1, cap=1)
    assert (outcome.assignment, [(p.code, p.subject, p.params) for p in outcome.problems]) == (
        None,
        [("capacity_too_small", "", {"needed": 3, "capacity": 2, "reviewers": 2})],
    )


def test_a_group_competing_for_too_few_reviewers_is_named_though_each_alone_could_be_served():
    conflicts = {("C", "P1"), ("C", "P2"), ("C", "P3")}  # C may review none of them; A and B one each
    outcome = assign_reviewers(
        ["P1", "P2", "P3"], ["A", "B", "C"], np.ones((3, 3)), k=1, conflicts=conflicts, cap=1
    )
    assert outcome.assignment is None
    group = {"group": ["P1", "P2", "P3"], "reviewers": ["A", "B"], "shortfall": 1}
    assert [(p.code, p.subject, p.params) for p in outcome.problems] == [
        ("group_short_of_reviewers", proposal, {"proposal": proposal, **group})
        for proposal in ("P1", "P2", "P3")
    ]


def test_caps_may_be_given_per_reviewer_the_others_get_the_balanced_cap():
    outcome = assign_reviewers(
        ["P1", "P2", "P3", "P4"], ["A", "B"], [[1.0, 0.0]] * 4, k=1, cap={"A": 1}, slack=1
    )  # balanced: ceil(4 / 2) + 1 = 3 for B
    assert outcome.caps == {"A": 1, "B": 3}
    assert outcome.problems == ()
    assert outcome.assignment is not None
    assert (outcome.assignment.loads, outcome.assignment.total_fit) == ({"A": 1, "B": 3}, 1.0)


def test_greedy_alone_takes_pairs_by_descending_fit_and_says_what_it_left_short():
    result = greedy_assign(
        ["P1", "P2"], ["A", "B"], [[0.9, 0.2], [0.8, 0.0]], k=1, conflicts={("B", "P2")}, cap=1
    )
    assert result == ReviewAssignment(
        method="greedy",
        reviews={"P1": ("A",), "P2": ()},
        total_fit=0.9,
        loads={"A": 1, "B": 0},
        complete=False,
        missing={"P2": 1},
        status="greedy",
        seconds=result.seconds,
    )


def test_a_fit_matrix_of_the_wrong_shape_or_with_nan_is_refused():
    with pytest.raises(ValueError, match="not \\(proposals, reviewers\\)"):
        assign_reviewers(["P1"], ["A", "B"], [[1.0]], k=1)
    with pytest.raises(ValueError, match="finite"):
        assign_reviewers(["P1"], ["A"], [[float("nan")]], k=1)


@pytest.mark.parametrize("solver", ["highs", "cpsat"])
def test_fixed_reviews_count_towards_k_the_cap_and_the_total_fit(solver):
    # A already reviewed P1 (fit 0.1): it is kept; P1 needs one more, and A has room for one review.
    fit = [[0.1, 0.9, 0.5], [0.8, 0.2, 0.6]]
    outcome = assign_reviewers(
        ["P1", "P2"], ["A", "B", "C"], fit, k=2, cap=2, fixed={("A", "P1")}, solver=solver
    )
    assert outcome.problems == ()
    result = outcome.assignment
    assert result is not None
    assert (result.reviews, result.loads, result.total_fit, result.optimal) == (
        {"P1": ("A", "B"), "P2": ("A", "C")},
        {"A": 2, "B": 1, "C": 1},
        2.4,
        True,
    )
    assert outcome.greedy is not None
    assert outcome.greedy.reviews["P1"][0] == "A"


def test_every_review_fixed_leaves_nothing_to_choose():
    outcome = assign_reviewers(["P1"], ["A", "B"], [[0.3, 0.4]], k=1, fixed={("A", "P1")})
    assert outcome.assignment is not None
    assert (outcome.assignment.reviews, outcome.assignment.total_fit, outcome.assignment.gap) == (
        {"P1": ("A",)},
        0.3,
        0.0,
    )


def test_a_fixed_review_in_conflict_or_more_than_k_is_a_problem():
    outcome = assign_reviewers(
        ["P1", "P2"],
        ["A", "B", "C"],
        np.ones((2, 3)),
        k=1,
        conflicts={("A", "P1")},
        fixed={("A", "P1"), ("B", "P2"), ("C", "P2")},
    )
    assert outcome.assignment is None
    assert [(p.code, p.subject, p.params) for p in outcome.problems] == [
        ("fixed_in_conflict", "P1", {"proposal": "P1", "reviewer": "A"}),
        ("too_many_fixed", "P2", {"proposal": "P2", "kept": 2, "needed": 1}),
    ]
    with pytest.raises(ValueError, match="unknown id"):
        assign_reviewers(["P1"], ["A"], [[1.0]], k=1, fixed={("Z", "P1")})
