"""What became of a suggested (need, offer) pair, graded as implicit feedback for the ranker.

A pair is acted on when someone judged it or asked for a meeting about it. What followed is read from
the records (helix.market.feedback.pair_outcomes) as *stages*, the steps of the outcome funnel (match ->
meeting -> follow-up -> agreement -> project -> impact) plus the ways a step can fail. One pair may reach
several stages (a request declined, a later one accepted and held): :data:`OUTCOME_GRADES` is ordered
from the strongest evidence down, and the first row whose stage the pair reached grades it. A grade is a
label (the pair was a good match, or not) and a sample weight for the learner
(helix.core.matching.weights): each step further down the funnel adds 0.5, from 1.0 for an accepted
request, so an accepted request counts like one explicit verdict and an agreement like two and a half.

| stage        | label    | weight | what the records show                                                  |
|--------------|----------|--------|------------------------------------------------------------------------|
| impact       | positive | 3.5    | a project from the pair closed, or a synergy between them realised     |
| project      | positive | 3.0    | a project from the pair approved or running                            |
| agreement    | positive | 2.5    | a synergy between them agreed, or a project from the pair prepared     |
| follow_up    | positive | 2.0    | a side of a meeting from the pair plans a follow-up                    |
| not_useful   | negative | 1.0    | a meeting from the pair took place; every side that rated it: useless  |
| held         | positive | 1.5    | a meeting from the pair took place                                     |
| accepted     | positive | 1.0    | a meeting request about the pair accepted                              |
| declined     | negative | 1.0    | a meeting request about the pair declined by the side asked            |
| expired      | negative | 0.5    | an event's request about the pair left unanswered until its deadline   |

Recorded but not graded (:data:`UNGRADED`): an open request, a withdrawn or cancelled one and a no-show
say more about diaries than about the fit; a synergy proposed, under study or dropped was not agreed
either way. A pair reaching only these stages gives no sample.

Explicit verdicts stay what they were: one sample of weight 1.0 each. :func:`merge_outcomes` sets a
pair's outcome beside them: the outcome replaces the pair's "contacted" verdicts (recorded automatically
with a meeting request, they are the first step of the same act, whose end the outcome knows), and an
explicit verdict wins over an outcome that contradicts it (a person said "not relevant" and yet a
meeting was held, or "relevant" and the other side declined): the outcome sample is then left out, so a
person can always correct what is inferred from the records.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from helix.core.matching.weights import (
    NEGATIVE_VERDICTS,
    OUTCOME_NEGATIVE,
    OUTCOME_POSITIVE,
    POSITIVE_VERDICTS,
    Sample,
)

# -- the stages ------------------------------------------------------------------------------------------

IMPACT = "impact"
PROJECT = "project"
AGREEMENT = "agreement"
FOLLOW_UP = "follow_up"
NOT_USEFUL = "not_useful"
HELD = "held"
ACCEPTED = "accepted"
DECLINED = "declined"
EXPIRED = "expired"
# recorded, not graded
REQUESTED = "requested"
WITHDRAWN = "withdrawn"
CANCELLED = "cancelled"
NO_SHOW = "no_show"
PROPOSED = "proposed"
DROPPED = "dropped"

UNGRADED = frozenset({REQUESTED, WITHDRAWN, CANCELLED, NO_SHOW, PROPOSED, DROPPED})


@dataclass(frozen=True)
class Grade:
    """How a stage reached by a pair counts: its label (``OUTCOME_POSITIVE`` or ``OUTCOME_NEGATIVE``,
    verdicts the learner knows) and its sample weight."""

    stage: str
    label: str
    weight: float
    means: str

    @property
    def positive(self) -> bool:
        return self.label == OUTCOME_POSITIVE


OUTCOME_GRADES: tuple[Grade, ...] = (
    Grade(IMPACT, OUTCOME_POSITIVE, 3.5, "a project from the pair closed, or their synergy realised"),
    Grade(PROJECT, OUTCOME_POSITIVE, 3.0, "a project from the pair approved or running"),
    Grade(AGREEMENT, OUTCOME_POSITIVE, 2.5, "their synergy agreed, or a project from the pair prepared"),
    Grade(FOLLOW_UP, OUTCOME_POSITIVE, 2.0, "a side of a meeting from the pair plans a follow-up"),
    Grade(NOT_USEFUL, OUTCOME_NEGATIVE, 1.0, "a meeting took place; every side that rated it: not useful"),
    Grade(HELD, OUTCOME_POSITIVE, 1.5, "a meeting from the pair took place"),
    Grade(ACCEPTED, OUTCOME_POSITIVE, 1.0, "a meeting request about the pair accepted"),
    Grade(DECLINED, OUTCOME_NEGATIVE, 1.0, "a meeting request about the pair declined"),
    Grade(EXPIRED, OUTCOME_NEGATIVE, 0.5, "an event's request about the pair unanswered at its deadline"),
)

STAGES = frozenset(g.stage for g in OUTCOME_GRADES) | UNGRADED

# The verdicts an outcome replaces: recorded by the system when a meeting is requested, not judged.
REPLACED_BY_OUTCOME = frozenset({"contacted"})


def grade_outcome(stages: Iterable[str]) -> Grade | None:
    """The grade of a pair that reached ``stages``: the first row of :data:`OUTCOME_GRADES` among them;
    None when it reached none that is graded. An unknown stage is a ValueError."""
    reached = frozenset(stages)
    unknown = reached - STAGES
    if unknown:
        raise ValueError(f"unknown outcome stage(s): {', '.join(sorted(unknown))}")
    return next((grade for grade in OUTCOME_GRADES if grade.stage in reached), None)


def outcome_sample(features: Mapping[str, float], grade: Grade) -> Sample:
    """A graded pair as the learner reads it: its features now, the grade's label and weight."""
    return Sample(features, grade.label, grade.weight)


K = TypeVar("K", bound=Hashable)


def _sign(sample: Sample) -> bool | None:
    if sample.verdict in POSITIVE_VERDICTS:
        return True
    if sample.verdict in NEGATIVE_VERDICTS:
        return False
    return None


def merge_outcomes(verdicts: Mapping[K, Sequence[Sample]], outcomes: Mapping[K, Sample]) -> list[Sample]:
    """The samples to learn from, by pair (any key): the explicit verdicts, and each pair's outcome
    sample in place of its "contacted" verdicts unless an explicit verdict on the pair contradicts it.

    Pairs come in the order of ``verdicts``, then the pairs only ``outcomes`` has, in their order.
    """
    samples: list[Sample] = []
    for key in [*verdicts, *(k for k in outcomes if k not in verdicts)]:
        given = verdicts.get(key, ())
        outcome = outcomes.get(key)
        if outcome is None:
            samples.extend(given)
            continue
        judged = [s for s in given if s.verdict not in REPLACED_BY_OUTCOME]
        samples.extend(judged)
        said = {_sign(s) for s in judged} - {None}
        if not said - {_sign(outcome)}:
            samples.append(outcome)
    return samples
