"""Scores of reviews against a rubric, aggregated per proposal, corrected for severity, ranked.

A :class:`Rubric` has weighted criteria, each scored on its own scale (``minimum`` .. ``maximum``) with an
optional threshold, and an optional threshold on the total. A review's **total** is the weighted mean of
its criterion scores, each first mapped linearly onto the rubric's scale (when every criterion uses the
rubric's scale, as usual, this is the plain weighted mean).

Per proposal, :func:`score_proposals` gives

- the **mean** of its reviews' totals, the mean of each criterion, the **spread**: the standard
  deviation of the totals (population, ddof 0: defined for one review too; with a fixed handful of
  reviews the choice is a constant factor) and their **range** (max - min);
- **outliers**: with three reviews or more, a review whose total lies more than ``outlier_distance``
  scale points from the median of the proposal's totals (default: 30% of the scale, 1.5 points on
  0-5). Absolute points rather than a robust z-score: with three reviews the median absolute deviation
  is 0 as soon as two reviewers agree, and the z-score then flags any difference at all. The median of
  all the reviews rather than of the others: with three, the others' median is their mean, which one
  far-off review drags, so a sound review would be flagged beside it. With two reviews nobody can say
  which one is off, so no review is an outlier; the proposal is flagged ``reviews_disagree`` when its
  range exceeds the same distance, whatever the number of reviews;
- with ``severity=True``, a **severity correction**: the model total = consensus(proposal) +
  offset(reviewer) + noise, fitted by least squares with a ridge penalty ``shrinkage * offset**2`` on
  each offset, solved exactly (normal equations on the offsets, the consensus eliminated). An offset is
  estimated from the reviewer's reviews against the others' on the same proposals, all jointly, so a
  harsh reviewer's low scores no longer drag the consensus the offset is measured from; the penalty
  pulls the offset of a reviewer with few shared reviews towards 0 (a reviewer two points harsher
  than each single co-reviewer gets -0.33 after one such review, -0.89 after four, -1.6 after twenty,
  with ``shrinkage`` 2). The corrected total is ``total - offset`` (not clipped to the scale: it is a
  consensus for ranking);
- the proposal's **score** (the corrected mean with the correction, else the mean), the threshold
  flags (``below_criterion_threshold`` on the criterion means, ``below_threshold`` on the score) and
  ``passes`` when there is none.

Ranking: by score (descending), then by the criterion means in order of decreasing weight (as calls
break ties on excellence, then impact), then by the smaller spread, then by proposal id: never a tie.
Scores are compared at 1e-9, so float noise breaks no tie.

Reviews that break the rubric give coded problems (``score_missing``, ``score_out_of_range``,
``score_not_a_number``, ``score_unknown_criterion``, ``review_duplicate``) and are left out; a proposal
with such a review, or fewer valid reviews than ``min_reviews`` (``too_few_reviews``), is not ranked
until it is fixed: it is listed in ``unranked``, never ranked on part of its reviews.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from .problems import ReviewProblem, problem

_TIE = 9  # decimals at which scores are compared


@dataclass(frozen=True)
class Criterion:
    id: str
    weight: float
    minimum: float = 0.0
    maximum: float = 5.0
    threshold: float | None = None  # the least mean score on this criterion a proposal must have


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[Criterion, ...]
    threshold: float | None = None  # the least score (on the rubric's scale) a proposal must have
    minimum: float | None = None  # the totals' scale; None: the criteria's, when they share one
    maximum: float | None = None

    @property
    def scale(self) -> tuple[float, float]:
        if self.minimum is not None and self.maximum is not None:
            return self.minimum, self.maximum
        scales = {(c.minimum, c.maximum) for c in self.criteria}
        if len(scales) != 1:
            raise ValueError("the criteria have different scales: give the rubric's minimum and maximum")
        return scales.pop()


def rubric_problems(rubric: Rubric) -> list[ReviewProblem]:
    """What is wrong with a rubric as staff declared it (empty: it can be used)."""
    found = []
    if not rubric.criteria:
        found.append(problem("rubric_no_criteria", "", "the rubric has no criteria"))
    seen: set[str] = set()
    for c in rubric.criteria:
        if c.id in seen:
            found.append(
                problem("rubric_duplicate_criterion", c.id, f"criterion {c.id} appears twice", criterion=c.id)
            )
        seen.add(c.id)
        if not (math.isfinite(c.weight) and c.weight > 0):
            found.append(
                problem(
                    "rubric_weight_not_positive",
                    c.id,
                    f"criterion {c.id} has weight {c.weight}",
                    criterion=c.id,
                    weight=c.weight,
                )
            )
        if not (math.isfinite(c.minimum) and math.isfinite(c.maximum) and c.minimum < c.maximum):
            found.append(
                problem(
                    "rubric_scale_empty",
                    c.id,
                    f"criterion {c.id} has scale {c.minimum}..{c.maximum}",
                    criterion=c.id,
                    minimum=c.minimum,
                    maximum=c.maximum,
                )
            )
        elif c.threshold is not None and not c.minimum <= c.threshold <= c.maximum:
            found.append(
                problem(
                    "rubric_threshold_outside_scale",
                    c.id,
                    f"criterion {c.id}'s threshold {c.threshold} is outside {c.minimum}..{c.maximum}",
                    criterion=c.id,
                    threshold=c.threshold,
                )
            )
    if found:
        return found
    if (rubric.minimum is None) != (rubric.maximum is None):
        return [problem("rubric_scale_empty", "", "give both ends of the rubric's scale, or neither")]
    try:
        low, high = rubric.scale
    except ValueError:
        return [
            problem("rubric_scale_needed", "", "the criteria have different scales: give the rubric's own")
        ]
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        return [
            problem(
                "rubric_scale_empty", "", f"the rubric's scale is {low}..{high}", minimum=low, maximum=high
            )
        ]
    if rubric.threshold is not None and not low <= rubric.threshold <= high:
        return [
            problem(
                "rubric_threshold_outside_scale",
                "",
                f"the threshold {rubric.threshold} is outside {low}..{high}",
                threshold=rubric.threshold,
            )
        ]
    return []


@dataclass(frozen=True)
class Review:
    reviewer: str
    proposal: str
    scores: Mapping[str, float | None]  # criterion id -> score (None or absent: not given)


@dataclass(frozen=True)
class ReviewTotal:
    reviewer: str
    total: float  # weighted, on the rubric's scale
    corrected: float  # total - the reviewer's offset (= total without the correction)
    outlier: bool = False


@dataclass(frozen=True)
class ProposalScore:
    proposal: str
    rank: int
    score: float  # what ranks it: the corrected mean with the correction, else the mean
    mean: float  # of the reviews' totals
    std: float  # population standard deviation of the totals
    range: float  # max - min of the totals
    criteria: dict[str, float]  # criterion id -> mean score
    reviews: tuple[ReviewTotal, ...]  # by reviewer id
    flags: tuple[ReviewProblem, ...] = ()  # reviews_disagree, below_criterion_threshold, below_threshold
    passes: bool = True  # no threshold flag

    @property
    def outliers(self) -> tuple[str, ...]:
        return tuple(r.reviewer for r in self.reviews if r.outlier)


@dataclass(frozen=True)
class Scoring:
    ranking: tuple[ProposalScore, ...]  # rank 1 first
    unranked: tuple[str, ...] = ()  # proposals with an invalid review or too few valid ones
    problems: tuple[ReviewProblem, ...] = ()
    offsets: dict[str, float] = field(default_factory=dict)  # reviewer -> severity offset (+ lenient)

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(p.proposal for p in self.ranking)


def _review_problems(rubric: Rubric, review: Review) -> list[ReviewProblem]:
    found = []
    who = {"proposal": review.proposal, "reviewer": review.reviewer}
    known = {c.id for c in rubric.criteria}
    for c in rubric.criteria:
        value = review.scores.get(c.id)
        if value is None:
            found.append(
                problem(
                    "score_missing",
                    review.proposal,
                    f"{review.reviewer} gave no score for {c.id} on {review.proposal}",
                    **who,
                    criterion=c.id,
                )
            )
        elif not math.isfinite(value):
            found.append(
                problem(
                    "score_not_a_number",
                    review.proposal,
                    f"{review.reviewer}'s score for {c.id} on {review.proposal} is not a number",
                    **who,
                    criterion=c.id,
                )
            )
        elif not c.minimum <= value <= c.maximum:
            found.append(
                problem(
                    "score_out_of_range",
                    review.proposal,
                    f"{review.reviewer}'s score {value} for {c.id} on {review.proposal} is outside "
                    f"{c.minimum}..{c.maximum}",
                    **who,
                    criterion=c.id,
                    score=value,
                    minimum=c.minimum,
                    maximum=c.maximum,
                )
            )
    for name in sorted(set(review.scores) - known):
        found.append(
            problem(
                "score_unknown_criterion",
                review.proposal,
                f"{review.reviewer} scored {name} on {review.proposal}, which the rubric does not have",
                **who,
                criterion=name,
            )
        )
    return found


def review_total(rubric: Rubric, scores: Mapping[str, float | None]) -> float:
    """The weighted total of valid scores, on the rubric's scale."""
    low, high = rubric.scale
    weight = sum(c.weight for c in rubric.criteria)
    share = 0.0
    for c in rubric.criteria:
        value = scores[c.id]
        assert value is not None
        share += c.weight * (value - c.minimum) / (c.maximum - c.minimum)
    return low + (high - low) * share / weight


def severity_offsets(totals: Mapping[str, Mapping[str, float]], shrinkage: float = 2.0) -> dict[str, float]:
    """Each reviewer's offset (positive: lenient) from ``totals`` (proposal -> reviewer -> total): the
    ridge least-squares fit of total = consensus(proposal) + offset(reviewer), solved exactly.

    With the consensus eliminated (it is the mean of the corrected totals), the offsets b solve
    ``(sum_p S_p' C_p S_p + shrinkage I) b = sum_p S_p' C_p x_p``, where ``S_p`` picks the proposal's
    reviewers and ``C_p`` centres its reviews. A proposal with one review says nothing of severity.
    """
    if shrinkage <= 0:
        raise ValueError("the shrinkage must be positive (it makes the offsets unique)")
    reviewers = sorted({r for by_reviewer in totals.values() for r in by_reviewer})
    index = {r: i for i, r in enumerate(reviewers)}
    size = len(reviewers)
    matrix = np.eye(size) * shrinkage
    rhs = np.zeros(size)
    for by_reviewer in totals.values():
        if len(by_reviewer) < 2:
            continue
        ids = np.array([index[r] for r in by_reviewer])
        x = np.array(list(by_reviewer.values()))
        count = len(ids)
        matrix[np.ix_(ids, ids)] += np.eye(count) - 1.0 / count
        rhs[ids] += x - x.mean()
    offsets = np.linalg.solve(matrix, rhs) if size else np.zeros(0)
    return {r: float(offsets[i]) for r, i in index.items()}


def _outliers(totals: Sequence[float], distance: float) -> list[bool]:
    if len(totals) < 3:
        return [False] * len(totals)
    middle = statistics.median(totals)
    return [round(abs(value - middle), _TIE) > distance for value in totals]


def score_proposals(
    rubric: Rubric,
    reviews: Iterable[Review],
    *,
    proposals: Sequence[str] = (),
    min_reviews: int = 1,
    outlier_distance: float | None = None,
    severity: bool = False,
    shrinkage: float = 2.0,
) -> Scoring:
    """Aggregate ``reviews`` per proposal and rank (see the module's doc).

    ``proposals``: proposals to account for even without a review (they come back unranked with
    ``too_few_reviews``). ``outlier_distance``: in the rubric's scale points (default 30% of the scale).
    """
    wrong = rubric_problems(rubric)
    if wrong:
        raise ValueError(f"the rubric cannot be used: {[p.code for p in wrong]}")
    low, high = rubric.scale
    distance = 0.3 * (high - low) if outlier_distance is None else outlier_distance
    problems: list[ReviewProblem] = []
    valid: dict[str, dict[str, Review]] = defaultdict(dict)
    broken: set[str] = set()
    for proposal in proposals:
        valid.setdefault(proposal, {})
    for review in reviews:
        valid.setdefault(review.proposal, {})
        if review.reviewer in valid[review.proposal]:
            problems.append(
                problem(
                    "review_duplicate",
                    review.proposal,
                    f"{review.reviewer} reviewed {review.proposal} more than once",
                    proposal=review.proposal,
                    reviewer=review.reviewer,
                )
            )
            broken.add(review.proposal)
            continue
        found = _review_problems(rubric, review)
        if found:
            problems.extend(found)
            broken.add(review.proposal)
            continue
        valid[review.proposal][review.reviewer] = review

    unranked = []
    totals: dict[str, dict[str, float]] = {}
    for proposal in sorted(valid):
        count = len(valid[proposal])
        if proposal in broken:
            unranked.append(proposal)
        elif count < min_reviews:
            unranked.append(proposal)
            problems.append(
                problem(
                    "too_few_reviews",
                    proposal,
                    f"{proposal} has {count} valid reviews; it needs {min_reviews}",
                    proposal=proposal,
                    reviews=count,
                    needed=min_reviews,
                )
            )
        else:
            totals[proposal] = {
                reviewer: review_total(rubric, valid[proposal][reviewer].scores)
                for reviewer in sorted(valid[proposal])
            }
    offsets = severity_offsets(totals, shrinkage) if severity else {}

    scored = []
    by_weight = sorted(rubric.criteria, key=lambda c: -c.weight)  # stable: rubric order among equals
    for proposal, by_reviewer in totals.items():
        values = list(by_reviewer.values())
        corrected = [t - offsets.get(r, 0.0) for r, t in by_reviewer.items()]
        outliers = _outliers(values, distance)
        criteria = {
            c.id: statistics.fmean(float(valid[proposal][r].scores[c.id] or 0.0) for r in by_reviewer)
            for c in rubric.criteria
        }
        mean = statistics.fmean(values)
        score = statistics.fmean(corrected)
        spread = max(values) - min(values)
        flags = []
        if round(spread, _TIE) > distance:
            flags.append(
                problem(
                    "reviews_disagree",
                    proposal,
                    f"the reviews of {proposal} differ by {spread:g} points (more than {distance:g})",
                    proposal=proposal,
                    range=spread,
                    limit=distance,
                )
            )
        thresholds = []
        for c in rubric.criteria:
            if c.threshold is not None and round(criteria[c.id], _TIE) < c.threshold:
                thresholds.append(
                    problem(
                        "below_criterion_threshold",
                        proposal,
                        f"{proposal} scores {criteria[c.id]:g} on {c.id}, "
                        f"below the threshold {c.threshold:g}",
                        proposal=proposal,
                        criterion=c.id,
                        score=criteria[c.id],
                        threshold=c.threshold,
                    )
                )
        if rubric.threshold is not None and round(score, _TIE) < rubric.threshold:
            thresholds.append(
                problem(
                    "below_threshold",
                    proposal,
                    f"{proposal} scores {score:g}, below the threshold {rubric.threshold:g}",
                    proposal=proposal,
                    score=score,
                    threshold=rubric.threshold,
                )
            )
        reviews_out = tuple(
            ReviewTotal(r, t, c, o)
            for (r, t), c, o in zip(by_reviewer.items(), corrected, outliers, strict=True)
        )
        key = (
            -round(score, _TIE),
            *(-round(criteria[c.id], _TIE) for c in by_weight),
            round(statistics.pstdev(values), _TIE),
            proposal,
        )
        result = ProposalScore(
            proposal=proposal,
            rank=0,
            score=score,
            mean=mean,
            std=statistics.pstdev(values),
            range=spread,
            criteria=criteria,
            reviews=reviews_out,
            flags=tuple(flags + thresholds),
            passes=not thresholds,
        )
        scored.append((key, result))
    scored.sort(key=lambda item: item[0])
    ranking = tuple(replace(result, rank=rank) for rank, (_, result) in enumerate(scored, start=1))
    return Scoring(ranking, tuple(unranked), tuple(problems), offsets)
