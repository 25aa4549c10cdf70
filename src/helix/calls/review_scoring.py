"""The ranking of a call's applications from their submitted reviews, by the core's rules
(helix.core.review.scoring): each review's weighted total on the rubric's scale, per application the
mean, the spread (standard deviation and range), the outlier reviews, the criterion means, the
thresholds, and optionally the reviewer-severity correction; an application with fewer submitted
reviews than the call asks (``reviews_per_application``) is not ranked yet (``too_few_reviews``).

The applications ranked are those reviewed: in review, and those already selected, rejected or funded
(so the ranking the decision was taken on can still be read). A fixed number of queries whatever the
number of applications and reviews.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied

from helix.calls.models import Application, ApplicationStatus, Call, Review, Reviewer
from helix.calls.review_services import rubric_of
from helix.core.review.problems import ReviewProblem
from helix.core.review.rubric_spec import RubricSpec
from helix.core.review.scoring import ProposalScore, Scoring, score_proposals
from helix.core.review.scoring import Review as CoreReview
from helix.registry.permissions import can

REVIEWED = (
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.SELECTED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.FUNDED,
)


@dataclass(frozen=True)
class Row:
    """One application in the ranking: its score (None while it is not ranked) and why not."""

    application: Application
    score: ProposalScore | None
    problems: tuple[ReviewProblem, ...] = ()
    submitted: int = 0  # reviews submitted


@dataclass(frozen=True)
class CallScoring:
    call: Call
    rubric: RubricSpec
    scoring: Scoring
    severity: bool
    rows: tuple[Row, ...]  # ranked first (rank 1 first), then the unranked by title
    reviewers: dict[str, Reviewer] = field(default_factory=dict)  # by id, for the staff's page

    def row(self, application_id: int) -> Row | None:
        return next((r for r in self.rows if r.application.pk == application_id), None)

    @property
    def ranked(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.score is not None)

    @property
    def unranked(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.score is None)


def score_call(
    call: Call, *, severity: bool = False, statuses: tuple[str, ...] = REVIEWED, user: Any = None
) -> CallScoring:
    """The call's ranking (see the module's doc). With ``user``, asks that they may see the call's
    applications and reviews (``view_applications``)."""
    if user is not None and not can(user, "view_applications", call):
        raise PermissionDenied
    rubric = rubric_of(call)
    applications = list(
        call.applications.filter(status__in=statuses)
        .prefetch_related("applicants__organisation")
        .order_by("title", "pk")
    )
    reviews = list(
        Review.objects.filter(
            assignment__application__in=applications, submitted_at__isnull=False
        ).select_related("assignment")
    )
    core_reviews = [
        CoreReview(str(r.assignment.reviewer_id), str(r.assignment.application_id), r.scores) for r in reviews
    ]
    scoring = score_proposals(
        rubric.rubric,
        core_reviews,
        proposals=[str(a.pk) for a in applications],
        min_reviews=call.reviews_per_application,
        severity=severity,
    )
    by_id = {str(a.pk): a for a in applications}
    submitted: dict[str, int] = {}
    for r in core_reviews:
        submitted[r.proposal] = submitted.get(r.proposal, 0) + 1
    ranked = [Row(by_id[s.proposal], s, (), submitted.get(s.proposal, 0)) for s in scoring.ranking]
    problems: dict[str, list[ReviewProblem]] = {}
    for p in scoring.problems:
        problems.setdefault(p.subject, []).append(p)
    unranked = [
        Row(by_id[p], None, tuple(problems.get(p, ())), submitted.get(p, 0)) for p in scoring.unranked
    ]
    unranked.sort(key=lambda row: (row.application.title, row.application.pk))
    reviewers = {str(r.pk): r for r in call.reviewers.select_related("person")}
    return CallScoring(call, rubric, scoring, severity, (*ranked, *unranked), reviewers)


__all__ = ["REVIEWED", "CallScoring", "Row", "score_call"]
