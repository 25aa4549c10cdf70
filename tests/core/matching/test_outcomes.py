"""Grading what became of a suggested pair, and setting those grades beside explicit verdicts."""

from __future__ import annotations

import pytest

from helix.core.matching.outcomes import (
    OUTCOME_GRADES,
    UNGRADED,
    grade_outcome,
    merge_outcomes,
    outcome_sample,
)
from helix.core.matching.weights import Sample

pytestmark = pytest.mark.unit

POSITIVE, NEGATIVE = "outcome_positive", "outcome_negative"


def test_the_grade_table_reads_down_the_funnel_each_step_adding_half_a_verdict() -> None:
    assert [(g.stage, g.label, g.weight) for g in OUTCOME_GRADES] == [
        ("impact", POSITIVE, 3.5),
        ("project", POSITIVE, 3.0),
        ("agreement", POSITIVE, 2.5),
        ("follow_up", POSITIVE, 2.0),
        ("not_useful", NEGATIVE, 1.0),
        ("held", POSITIVE, 1.5),
        ("accepted", POSITIVE, 1.0),
        ("declined", NEGATIVE, 1.0),
        ("expired", NEGATIVE, 0.5),
    ]
    assert sorted(UNGRADED) == ["cancelled", "dropped", "no_show", "proposed", "requested", "withdrawn"]


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        ({"declined"}, ("declined", NEGATIVE, 1.0)),
        ({"expired"}, ("expired", NEGATIVE, 0.5)),
        ({"accepted"}, ("accepted", POSITIVE, 1.0)),
        # a first request declined, a later one accepted: they did meet
        ({"declined", "accepted"}, ("accepted", POSITIVE, 1.0)),
        ({"accepted", "held"}, ("held", POSITIVE, 1.5)),
        ({"accepted", "held", "not_useful"}, ("not_useful", NEGATIVE, 1.0)),
        ({"accepted", "held", "not_useful", "follow_up"}, ("follow_up", POSITIVE, 2.0)),
        ({"declined", "agreement"}, ("agreement", POSITIVE, 2.5)),
        ({"accepted", "held", "follow_up", "project"}, ("project", POSITIVE, 3.0)),
        ({"accepted", "project", "impact"}, ("impact", POSITIVE, 3.5)),
        ({"no_show", "accepted"}, ("accepted", POSITIVE, 1.0)),
    ],
)
def test_the_strongest_stage_reached_grades_the_pair(
    stages: set[str], expected: tuple[str, str, float]
) -> None:
    grade = grade_outcome(stages)
    assert grade is not None
    assert (grade.stage, grade.label, grade.weight) == expected


@pytest.mark.parametrize(
    "stages", [set(), {"requested"}, {"withdrawn", "cancelled"}, {"no_show"}, {"proposed", "dropped"}]
)
def test_a_pair_with_no_graded_stage_gives_no_grade(stages: set[str]) -> None:
    assert grade_outcome(stages) is None


def test_an_unknown_stage_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown outcome stage\\(s\\): married"):
        grade_outcome({"accepted", "married"})


def test_an_outcome_sample_carries_the_grade_label_and_weight() -> None:
    grade = grade_outcome({"accepted", "project"})
    assert grade is not None
    assert outcome_sample({"text": 0.7, "domain": 1.0}, grade) == Sample(
        {"text": 0.7, "domain": 1.0}, POSITIVE, 3.0
    )


def _s(verdict: str, weight: float = 1.0, text: float = 0.5) -> Sample:
    return Sample({"text": text}, verdict, weight)


def test_outcomes_replace_contacted_stand_beside_agreeing_verdicts_and_yield_to_contrary_ones() -> None:
    verdicts = {
        "declined": [_s("contacted")],  # the request's own verdict: the outcome takes its place
        "agreeing": [_s("relevant"), _s("contacted")],  # a verdict that agrees: both count
        "contrary": [_s("relevant"), _s("contacted")],  # the person said relevant, the other side no
        "stated": [_s("not_relevant")],  # a person's "not relevant" beats a meeting held
        "open": [_s("contacted")],  # no graded outcome yet: the verdict stays
    }
    outcomes = {
        "declined": _s(NEGATIVE, 1.0, text=0.1),
        "agreeing": _s(POSITIVE, 3.0, text=0.9),
        "contrary": _s(NEGATIVE, 1.0, text=0.2),
        "stated": _s(POSITIVE, 1.5, text=0.3),
        "only_outcome": _s(POSITIVE, 2.5, text=0.8),  # a pair with no verdict left (its user erased)
    }

    samples = merge_outcomes(verdicts, outcomes)

    assert samples == [
        _s(NEGATIVE, 1.0, text=0.1),
        _s("relevant"),
        _s(POSITIVE, 3.0, text=0.9),
        _s("relevant"),
        _s("not_relevant"),
        _s("contacted"),
        _s(POSITIVE, 2.5, text=0.8),
    ]


def test_without_outcomes_every_verdict_is_kept_as_it_was() -> None:
    verdicts = {1: [_s("contacted"), _s("relevant")], 2: [_s("not_relevant")]}
    assert merge_outcomes(verdicts, {}) == [_s("contacted"), _s("relevant"), _s("not_relevant")]
