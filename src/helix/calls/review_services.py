"""The review of a call's applications: its reviewers (a person with expertise and a load), the
conflicts a reviewer declares, and the reviews (scores against the call's rubric, comments for the
applicants, a note for the staff). Who assigns whom is helix.calls.review_assignment; the ranking is
helix.calls.review_scoring.

Each service asks the permission tables (helix.calls.permissions) and writes in one transaction. The
scores are checked by the core's own rules (helix.core.review.scoring): a draft may leave criteria
unscored but never holds a score outside its criterion's scale; a review is submitted only with every
criterion scored, and is then final.

A reviewer who declares a conflict with an application stops reviewing it at once: the declaration is
kept, the assignment and its review go (a review written in conflict must not count, even a submitted
one), and the application then has one reviewer fewer than the call asks, which the staff's assignments
page shows; the next assignment run never gives it to that reviewer again.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from helix.calls import convert
from helix.calls.models import Call, DeclaredConflict, Review, ReviewAssignment, Reviewer
from helix.calls.services import CallRefused
from helix.core.review.rubric_spec import RubricSpec
from helix.core.review.scoring import Review as CoreReview
from helix.core.review.scoring import score_proposals
from helix.params import typed_decimal
from helix.registry.models import Person
from helix.registry.permissions import can

MAX_EXPERTISE = 500  # the column's length
MAX_TEXT = 20_000  # a review's comments or note: some pages of text


def rubric_of(call: Call) -> RubricSpec:
    """The call's rubric (a call is saved only with one: helix.calls.validation)."""
    rubric = convert.definition(call).rubric
    if rubric is None:  # pragma: no cover - Call.save refuses a call without a rubric
        raise CallRefused("call.no_rubric", {})
    return rubric


def expertise_terms(text: str) -> list[str]:
    """The keywords of an expertise text: separated by commas (or semicolons, or new lines), trimmed,
    each once (the first spelling kept, compared case-insensitively)."""
    seen: dict[str, str] = {}
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        term = " ".join(part.split())
        if term and term.casefold() not in seen:
            seen[term.casefold()] = term
    return list(seen.values())


def _expertise(text: str) -> str:
    joined = ", ".join(expertise_terms(text))
    if len(joined) > MAX_EXPERTISE:
        raise CallRefused("reviewer.expertise_too_long", {"limit": MAX_EXPERTISE})
    return joined


def _load(value: Any) -> int | None:
    """A load cap from a form or the API: empty for none, else a whole number from 0 to 1,000."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise CallRefused("reviewer.bad_load", {"value": str(value)[:20]}) from None
    if not 0 <= number <= 1000:
        raise CallRefused("reviewer.bad_load", {"value": number})
    return number


# -- reviewers --------------------------------------------------------------------------------------------


@transaction.atomic
def add_reviewer(
    user: Any, call: Call, person: Person, *, expertise: str = "", max_reviews: Any = None
) -> Reviewer:
    """Name ``person`` a reviewer of ``call`` with their ``expertise`` (keywords) and, if given, the
    most reviews they take (``max_reviews``; none: the assignment balances the loads)."""
    if not can(user, "edit", call):
        raise PermissionDenied
    if call.reviewers.filter(person=person).exists():
        raise CallRefused("reviewer.twice", {"person": str(person)})
    return Reviewer.objects.create(
        call=call, person=person, expertise=_expertise(expertise), max_reviews=_load(max_reviews)
    )


@transaction.atomic
def update_reviewer(user: Any, reviewer: Reviewer, *, expertise: str, max_reviews: Any) -> Reviewer:
    if not can(user, "edit", reviewer):
        raise PermissionDenied
    reviewer.expertise = _expertise(expertise)
    reviewer.max_reviews = _load(max_reviews)
    reviewer.save(update_fields=["expertise", "max_reviews"])
    return reviewer


@transaction.atomic
def remove_reviewer(user: Any, reviewer: Reviewer) -> None:
    """Remove a reviewer with their assignments and draft reviews; refused once they submitted a review
    (it counts in the ranking)."""
    reviewer = Reviewer.objects.select_for_update().select_related("person").get(pk=reviewer.pk)
    if not can(user, "edit", reviewer):
        raise PermissionDenied
    submitted = Review.objects.filter(assignment__reviewer=reviewer, submitted_at__isnull=False).count()
    if submitted:
        raise CallRefused("reviewer.has_submitted", {"person": str(reviewer.person), "count": submitted})
    reviewer.delete()


# -- conflicts ----------------------------------------------------------------------------------------------


@transaction.atomic
def declare_conflict(user: Any, assignment: ReviewAssignment, note: str = "") -> DeclaredConflict:
    """The reviewer declares a conflict of interest with the application of ``assignment``: the
    declaration is kept, the assignment and its review go (see the module's doc)."""
    assignment = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("application", "reviewer")
        .get(pk=assignment.pk)
    )
    if not can(user, "declare_conflict", assignment):
        raise PermissionDenied
    conflict, _created = DeclaredConflict.objects.get_or_create(
        reviewer=assignment.reviewer,
        application=assignment.application,
        defaults={"note": " ".join(note.split())[:300]},
    )
    assignment.delete()
    return conflict


# -- reviews -----------------------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    """A score from a form or the API: empty for none, NaN for what is not a number (the core says so)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return math.nan
    try:
        number = Decimal(typed_decimal(str(value)))
    except InvalidOperation:
        return math.nan
    return float(number) if number.is_finite() else math.nan


def score_problems(rubric: RubricSpec, scores: Mapping[str, float | None], *, complete: bool) -> list[Any]:
    """What the core's rules say of ``scores`` against the rubric (``score_*`` problems); a draft
    (``complete`` False) may leave criteria unscored."""
    checked = score_proposals(rubric.rubric, [CoreReview("reviewer", "application", dict(scores))])
    return [p for p in checked.problems if complete or p.code != "score_missing"]


def _text(value: str, field: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise CallRefused("scores.too_long", {"field": field, "limit": MAX_TEXT})
    return text


def _reviewing(user: Any, assignment: ReviewAssignment) -> ReviewAssignment:
    assignment = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("application__call", "reviewer")
        .get(pk=assignment.pk)
    )
    if not can(user, "review", assignment):
        raise PermissionDenied
    return assignment


@transaction.atomic
def save_review(
    user: Any,
    assignment: ReviewAssignment,
    scores: Mapping[str, Any],
    *,
    comment: str = "",
    staff_note: str = "",
) -> Review:
    """Save the reviewer's draft: ``scores`` (criterion id -> score, empty for not yet), the comments for
    the applicants and the note for the staff. Refused with the core's problems when a score is not a
    number, outside its criterion's scale, or of a criterion the rubric has not; nothing is saved then."""
    assignment = _reviewing(user, assignment)
    review = Review.objects.filter(assignment=assignment).first()
    if review is not None and review.submitted_at is not None:
        raise CallRefused("scores.submitted", {})
    rubric = rubric_of(assignment.application.call)
    parsed = {str(k): _number(v) for k, v in scores.items()}
    problems = score_problems(rubric, parsed, complete=False)
    if problems:
        raise CallRefused("scores.invalid", {"count": len(problems)}, tuple(problems))
    review = review or Review(assignment=assignment)
    review.scores = {k: v for k, v in parsed.items() if v is not None}
    review.comment = _text(comment, "comment")
    review.staff_note = _text(staff_note, "staff_note")
    review.save()
    return review


@transaction.atomic
def submit_review(user: Any, assignment: ReviewAssignment) -> Review:
    """Submit the saved draft: every criterion scored within its scale. A submitted review is final."""
    assignment = _reviewing(user, assignment)
    review = Review.objects.select_for_update().filter(assignment=assignment).first()
    if review is None:
        raise CallRefused("scores.nothing_saved", {})
    if review.submitted_at is not None:
        raise CallRefused("scores.submitted", {})
    problems = score_problems(rubric_of(assignment.application.call), review.scores, complete=True)
    if problems:
        raise CallRefused("scores.incomplete", {"count": len(problems)}, tuple(problems))
    review.submitted_at = timezone.now()
    review.save(update_fields=["submitted_at", "updated_at"])
    return review
