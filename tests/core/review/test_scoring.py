"""Unit: review totals, per-proposal aggregation (mean, spread, outliers, thresholds), ranking with its
tie-breaks, the reviewer-severity correction, and the coded problems of reviews that break the rubric,
on cases computed by hand."""

from __future__ import annotations

import math

import pytest

from helix.core.review.problems import ReviewProblem
from helix.core.review.scoring import (
    Criterion,
    ProposalScore,
    Review,
    Rubric,
    Scoring,
    review_total,
    rubric_problems,
    score_proposals,
    severity_offsets,
)

pytestmark = pytest.mark.unit

RUBRIC = Rubric(
    (
        Criterion("excellence", 0.5, 0, 5, threshold=3.0),
        Criterion("impact", 0.3, 0, 5),
        Criterion("implementation", 0.2, 0, 5),
    ),
    threshold=3.0,
)


def review(reviewer: str, proposal: str, excellence: float, impact: float, implementation: float) -> Review:
    return Review(
        reviewer, proposal, {"excellence": excellence, "impact": impact, "implementation": implementation}
    )


def view(p: ProposalScore) -> tuple:
    """A proposal's result with its numbers rounded, to compare whole with ==."""

    def r(x: float) -> float:
        return round(x, 9)

    return (
        p.rank,
        p.proposal,
        r(p.score),
        r(p.mean),
        r(p.std),
        r(p.range),
        {k: r(v) for k, v in p.criteria.items()},
        [(t.reviewer, r(t.total), t.outlier) for t in p.reviews],
        [f.code for f in p.flags],
        p.passes,
    )


def test_a_reviews_total_is_the_weighted_mean_of_its_criteria():
    assert review_total(RUBRIC, {"excellence": 4, "impact": 3, "implementation": 5}) == pytest.approx(3.9)


def test_criteria_on_different_scales_are_mapped_onto_the_rubrics():
    rubric = Rubric((Criterion("a", 1, 0, 10), Criterion("b", 1, 1, 5)), minimum=0, maximum=100)
    # a: 5/10 = 0.5, b: (4 - 1)/4 = 0.75; mean 0.625 of 0..100
    assert review_total(rubric, {"a": 5, "b": 4}) == pytest.approx(62.5)


def test_proposals_are_aggregated_flagged_and_ranked():
    reviews = [
        review("R1", "P1", 4, 3, 5),  # 3.9
        review("R2", "P1", 5, 4, 4),  # 4.5
        review("R3", "P1", 1, 1, 2),  # 1.2: 2.7 from the median 3.9, an outlier
        review("R1", "P2", 3, 3, 3),  # 3.0
        review("R2", "P2", 2, 4, 4),  # 3.0; excellence mean 2.5 < 3
        review("R2", "P3", 5, 5, 5),  # 5.0
        review("R3", "P3", 4, 5, 5),  # 4.5
        review("R1", "P4", 4, 4, 4),
        review("R2", "P4", 4, 4, 4),
        review("R3", "P5", 4, 2, 2),  # 3.0, ties P2 on score; excellence 4 > 2.5 ranks it first
    ]
    scoring = score_proposals(RUBRIC, reviews)
    assert (scoring.unranked, scoring.problems, scoring.offsets) == ((), (), {})
    assert scoring.order == ("P3", "P4", "P1", "P5", "P2")
    std_p1 = math.sqrt((0.7**2 + 1.3**2 + 2.0**2) / 3)
    assert [view(p) for p in scoring.ranking] == [
        (1, "P3", 4.75, 4.75, 0.25, 0.5, {"excellence": 4.5, "impact": 5.0, "implementation": 5.0},
         [("R2", 5.0, False), ("R3", 4.5, False)], [], True),
        (2, "P4", 4.0, 4.0, 0.0, 0.0, {"excellence": 4.0, "impact": 4.0, "implementation": 4.0},
         [("R1", 4.0, False), ("R2", 4.0, False)], [], True),
        (3, "P1", 3.2, 3.2, round(std_p1, 9), 3.3,
         {"excellence": round(10 / 3, 9), "impact": round(8 / 3, 9), "implementation": round(11 / 3, 9)},
         [("R1", 3.9, False), ("R2", 4.5, False), ("R3", 1.2, True)], ["reviews_disagree"], True),
        (4, "P5", 3.0, 3.0, 0.0, 0.0, {"excellence": 4.0, "impact": 2.0, "implementation": 2.0},
         [("R3", 3.0, False)], [], True),
        (5, "P2", 3.0, 3.0, 0.0, 0.0, {"excellence": 2.5, "impact": 3.5, "implementation": 3.5},
         [("R1", 3.0, False), ("R2", 3.0, False)], ["below_criterion_threshold"], False),
    ]  # fmt: skip
    p1 = scoring.ranking[2]
    assert p1.outliers == ("R3",)
    assert p1.flags[0] == ReviewProblem(
        "reviews_disagree",
        "P1",
        {"proposal": "P1", "range": p1.range, "limit": 1.5},
        "the reviews of P1 differ by 3.3 points (more than 1.5)",
    )
    assert scoring.ranking[4].flags[0].params == {
        "proposal": "P2",
        "criterion": "excellence",
        "score": 2.5,
        "threshold": 3.0,
    }


def test_ties_on_score_and_criteria_are_broken_by_the_smaller_spread_then_the_id():
    rubric = Rubric((Criterion("q", 1, 0, 5),))
    reviews = [
        Review("A", "Pz", {"q": 3}),
        Review("B", "Pz", {"q": 3}),
        Review("A", "Py", {"q": 2}),
        Review("B", "Py", {"q": 4}),
        Review("A", "Px", {"q": 3}),
        Review("B", "Px", {"q": 3}),
    ]
    assert score_proposals(rubric, reviews).order == ("Px", "Pz", "Py")


def test_below_the_overall_threshold_a_proposal_is_ranked_but_does_not_pass():
    scoring = score_proposals(RUBRIC, [review("R1", "P1", 2, 2, 2)])
    (p1,) = scoring.ranking
    assert (p1.rank, p1.passes, [(f.code, f.params) for f in p1.flags]) == (
        1,
        False,
        [
            (
                "below_criterion_threshold",
                {"proposal": "P1", "criterion": "excellence", "score": 2.0, "threshold": 3.0},
            ),
            ("below_threshold", {"proposal": "P1", "score": 2.0, "threshold": 3.0}),
        ],
    )


def test_two_far_apart_reviews_disagree_but_neither_is_called_the_outlier():
    scoring = score_proposals(RUBRIC, [review("R1", "P1", 5, 5, 5), review("R2", "P1", 1, 1, 1)])
    (p1,) = scoring.ranking
    assert (p1.outliers, [f.code for f in p1.flags]) == ((), ["reviews_disagree"])


def test_the_outlier_distance_is_in_scale_points_and_may_be_given():
    reviews = [review("R1", "P1", 4, 4, 4), review("R2", "P1", 4, 4, 4), review("R3", "P1", 3, 3, 3)]
    assert score_proposals(RUBRIC, reviews).ranking[0].outliers == ()  # 1 point: within 1.5
    assert score_proposals(RUBRIC, reviews, outlier_distance=0.5).ranking[0].outliers == ("R3",)


def test_reviews_that_break_the_rubric_are_coded_and_their_proposals_left_unranked():
    reviews = [
        Review("R1", "P1", {"excellence": 4, "impact": 3}),  # implementation missing
        Review("R1", "P2", {"excellence": 6, "impact": 3, "implementation": None}),
        Review("R1", "P3", {"excellence": math.nan, "impact": 3, "implementation": 3, "budget": 4}),
        review("R1", "P4", 4, 4, 4),
        review("R1", "P4", 3, 3, 3),  # the same reviewer twice
        review("R2", "P5", 4, 4, 4),
    ]
    scoring = score_proposals(RUBRIC, reviews, proposals=["P5", "P6"])
    assert scoring.order == ("P5",)
    assert scoring.unranked == ("P1", "P2", "P3", "P4", "P6")
    assert [(p.code, p.subject, p.params) for p in scoring.problems] == [
        ("score_missing", "P1", {"proposal": "P1", "reviewer": "R1", "criterion": "implementation"}),
        (
            "score_out_of_range",
            "P2",
            {
                "proposal": "P2",
                "reviewer": "R1",
                "criterion": "excellence",
                "score": 6,
                "minimum": 0,
                "maximum": 5,
            },
        ),
        ("score_missing", "P2", {"proposal": "P2", "reviewer": "R1", "criterion": "implementation"}),
        ("score_not_a_number", "P3", {"proposal": "P3", "reviewer": "R1", "criterion": "excellence"}),
        ("score_unknown_criterion", "P3", {"proposal": "P3", "reviewer": "R1", "criterion": "budget"}),
        ("review_duplicate", "P4", {"proposal": "P4", "reviewer": "R1"}),
        ("too_few_reviews", "P6", {"proposal": "P6", "reviews": 0, "needed": 1}),
    ]
    assert scoring.problems[1].text == "R1's score 6 for excellence on P2 is outside 0..5"


def test_severity_offsets_solve_the_ridge_fit_computed_by_hand():
    # R1 is one point above R2 on both proposals: (sum_p C_p + 2 I) b = sum_p C_p x_p gives
    # [[3, -1], [-1, 3]] b = [1, -1], so b = (0.25, -0.25).
    offsets = severity_offsets({"P1": {"R1": 4.0, "R2": 3.0}, "P2": {"R1": 3.0, "R2": 2.0}})
    assert offsets == pytest.approx({"R1": 0.25, "R2": -0.25})
    # a proposal with one review says nothing about severity
    assert severity_offsets({"P1": {"R1": 4.0}}) == {"R1": 0.0}


def test_severity_correction_moves_a_harsh_reviewers_proposals_up():
    rubric = Rubric((Criterion("q", 1, 0, 5),))
    # H scores 1.5 below each co-reviewer; A, B and C agree with each other.
    scores = {
        "P1": {"A": 4.0, "H": 2.5},
        "P3": {"B": 3.0, "H": 1.5},
        "P5": {"C": 4.5, "H": 3.0},
        "P7": {"A": 3.5, "H": 2.0},
        "P8": {"B": 4.0, "H": 2.5},
        "P9": {"C": 3.0, "H": 1.5},
        "P2": {"B": 3.5, "C": 3.5},
        "P4": {"A": 4.0, "C": 4.0},
        "P6": {"A": 2.0, "B": 2.0},
        "P10": {"A": 3.0, "B": 3.0},
    }
    reviews = [Review(r, p, {"q": s}) for p, by in scores.items() for r, s in by.items()]
    plain = score_proposals(rubric, reviews)
    corrected = score_proposals(rubric, reviews, severity=True)
    # By hand: the normal equations reduce, by symmetry (b_A = b_B = b_C = o, b_H = h), to
    # 5h - 3o = -4.5 (H: six reviews beside one co-reviewer, 0.75 below each mean) and
    # 3o - h = 1.5 (A, B, C alike): o = 0.25, h = -0.75. Shrinkage keeps 1.0 of the 1.5 points.
    assert corrected.offsets == pytest.approx({"A": 0.25, "B": 0.25, "C": 0.25, "H": -0.75})
    # H's proposals gain 0.5 each (a mean of -0.25 and +0.75), the others lose 0.25
    assert plain.order == ("P4", "P5", "P2", "P1", "P8", "P10", "P7", "P3", "P9", "P6")
    assert corrected.order == ("P5", "P4", "P1", "P8", "P2", "P7", "P10", "P3", "P9", "P6")
    assert [(p.proposal, round(p.score, 9)) for p in corrected.ranking[:3]] == [
        ("P5", 4.0),
        ("P4", 3.75),
        ("P1", 3.5),
    ]
    assert [(p.mean, [round(t.corrected, 9) for t in p.reviews]) for p in corrected.ranking[2:3]] == [
        (3.25, [3.75, 3.25])
    ]


def test_a_rubric_that_cannot_be_used_says_why():
    rubric = Rubric(
        (
            Criterion("a", 0.0, 0, 5),
            Criterion("a", 1.0, 5, 5),
            Criterion("b", 1.0, 0, 5, threshold=6),
        )
    )
    assert [(p.code, p.subject) for p in rubric_problems(rubric)] == [
        ("rubric_weight_not_positive", "a"),
        ("rubric_duplicate_criterion", "a"),
        ("rubric_scale_empty", "a"),
        ("rubric_threshold_outside_scale", "b"),
    ]
    mixed = Rubric((Criterion("a", 1, 0, 5), Criterion("b", 1, 0, 10)))
    assert [p.code for p in rubric_problems(mixed)] == ["rubric_scale_needed"]
    assert rubric_problems(RUBRIC) == []
    with pytest.raises(ValueError, match="rubric_scale_needed"):
        score_proposals(mixed, [])


def test_an_empty_call_scores_nothing():
    assert score_proposals(RUBRIC, []) == Scoring(())
