"""The review's coded refusals and problems in the reader's language; helix.calls.explain says them with
the others (``say``, ``problem_text``, ``refusal_text``), so every surface asks one place.

Two families:

- the core's (helix.core.review): the assignment's infeasibilities, the conflicts' reasons, the scores'
  and rubrics' problems, the scoring's flags and the selection's reasons. The core gives them without a
  prefix (``too_few_reviewers``); they are said here as ``review.<code>`` (a rubric read from a call's
  definition already comes so). A page shows each beside what it is about (its ``subject``: an
  application, a reviewer), so the texts do not repeat the ids the params carry;
- this app's review and decision services: ``reviewer.*``, ``scores.*``, ``assignment.*``,
  ``decision.*``, ``award.*``, ``letter.*``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from helix.funds.explain import amount_text as _eur


def _num(value: object) -> str:
    """A score or a spread with at most two decimals (none when whole), in the reader's format."""
    try:
        number = round(float(str(value)), 2)
    except ValueError:
        return str(value)
    return number_format(int(number) if number.is_integer() else number, use_l10n=True)


def _int(p: Mapping[str, Any], key: str) -> int:
    try:
        return int(p.get(key, 0))
    except (TypeError, ValueError):
        return 0


def _names(p: Mapping[str, Any], key: str = "applications") -> str:
    return ", ".join(str(n) for n in p.get(key, []))


def _criterion(p: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "criterion": p.get("criterion", ""),
        "minimum": _num(p.get("minimum")),
        "maximum": _num(p.get("maximum")),
    }


CORE: dict[str, Callable[[Mapping[str, Any]], str]] = {
    # the assignment (helix.core.review.assignment and greedy)
    "review.too_few_reviewers": lambda p: (
        ngettext(
            "Only %(available)d reviewer is free of conflict and has room; %(needed)d are needed "
            "(%(in_conflict)d in conflict).",
            "Only %(available)d reviewers are free of conflict and have room; %(needed)d are needed "
            "(%(in_conflict)d in conflict).",
            _int(p, "available"),
        )
        % {
            "available": _int(p, "available"),
            "needed": _int(p, "needed"),
            "in_conflict": _int(p, "in_conflict"),
        }
    ),
    "review.capacity_too_small": lambda p: (
        _(
            "The applications need %(needed)d more reviews; the reviewers' loads allow %(capacity)d. Add "
            "reviewers or raise their loads."
        )
        % {"needed": _int(p, "needed"), "capacity": _int(p, "capacity")}
    ),
    "review.group_short_of_reviewers": lambda p: (
        ngettext(
            "This application and %(others)d other share too few free reviewers: %(shortfall)d "
            "reviews cannot be given.",
            "This application and %(others)d others share too few free reviewers: %(shortfall)d "
            "reviews cannot be given.",
            max(0, len(p.get("group", [])) - 1),
        )
        % {"others": max(0, len(p.get("group", [])) - 1), "shortfall": _int(p, "shortfall")}
    ),
    "review.solver_failed": lambda p: (
        _("The solver found no assignment (%(status)s).") % {"status": p.get("status", "")}
    ),
    "review.fixed_in_conflict": lambda p: _(
        "A reviewer who already submitted a review of this application is now in conflict with it."
    ),
    "review.too_many_fixed": lambda p: (
        _("This application already has %(kept)d submitted reviews; the call asks for %(needed)d.")
        % {"kept": _int(p, "kept"), "needed": _int(p, "needed")}
    ),
    # conflicts of interest (helix.core.review.conflicts)
    "review.conflict_same_organisation": lambda p: _("works for an applicant"),
    "review.conflict_shared_project": lambda p: (
        _("shared a project with an applicant until %(year)s") % {"year": p.get("year", "")}
    ),
    "review.conflict_declared": lambda p: _("declared a conflict"),
    # rubrics (helix.core.review.scoring, read from a call's definition)
    "review.rubric_no_criteria": lambda p: _("The rubric has no criteria."),
    "review.rubric_duplicate_criterion": lambda p: (
        _("The criterion “%(criterion)s” appears twice.") % _criterion(p)
    ),
    "review.rubric_weight_not_positive": lambda p: (
        _("The criterion “%(criterion)s” needs a positive weight.") % _criterion(p)
    ),
    "review.rubric_scale_empty": lambda p: _("A scale needs a minimum below its maximum."),
    "review.rubric_scale_needed": lambda p: _(
        "The criteria have different scales: give the rubric's own minimum and maximum."
    ),
    "review.rubric_threshold_outside_scale": lambda p: _("A threshold lies outside its scale."),
    # scores (helix.core.review.scoring)
    "review.score_missing": lambda p: _("“%(criterion)s”: give a score.") % _criterion(p),
    "review.score_not_a_number": lambda p: _("“%(criterion)s”: the score must be a number.") % _criterion(p),
    "review.score_out_of_range": lambda p: (
        _("“%(criterion)s”: the score must lie between %(minimum)s and %(maximum)s.") % _criterion(p)
    ),
    "review.score_unknown_criterion": lambda p: (
        _("“%(criterion)s” is not a criterion of the rubric.") % _criterion(p)
    ),
    "review.review_duplicate": lambda p: _("A reviewer reviewed this application twice."),
    "review.too_few_reviews": lambda p: (
        ngettext(
            "%(reviews)d review submitted; %(needed)d are needed before it is ranked.",
            "%(reviews)d reviews submitted; %(needed)d are needed before it is ranked.",
            _int(p, "reviews"),
        )
        % {"reviews": _int(p, "reviews"), "needed": _int(p, "needed")}
    ),
    "review.reviews_disagree": lambda p: (
        _("The reviews differ by %(range)s points (more than %(limit)s).")
        % {"range": _num(p.get("range")), "limit": _num(p.get("limit"))}
    ),
    "review.below_criterion_threshold": lambda p: (
        _("Scores %(score)s on “%(criterion)s”, below its threshold %(threshold)s.")
        % {
            "score": _num(p.get("score")),
            "criterion": p.get("criterion", ""),
            "threshold": _num(p.get("threshold")),
        }
    ),
    "review.below_threshold": lambda p: (
        _("Scores %(score)s, below the threshold %(threshold)s.")
        % {"score": _num(p.get("score")), "threshold": _num(p.get("threshold"))}
    ),
    # the selection (helix.core.review.selection)
    "review.below_rubric_threshold": lambda p: _("Failed a threshold of the rubric."),
    "review.over_budget": lambda p: (
        _("Asks EUR %(amount)s, more than the whole budget (EUR %(budget)s).")
        % {"amount": _eur(p.get("amount")), "budget": _eur(p.get("budget"))}
    ),
    "review.cap_reached": lambda p: (
        _("A beneficiary would receive more than its cap (EUR %(cap)s).") % {"cap": _eur(p.get("cap"))}
    ),
    "review.budget_exhausted": lambda p: (
        _("Asks EUR %(amount)s; EUR %(remaining)s is left.")
        % {"amount": _eur(p.get("amount")), "remaining": _eur(p.get("remaining"))}
    ),
    "review.no_gain": lambda p: _("It fits, but adding it would not raise the total score."),
}

APP: dict[str, Callable[[Mapping[str, Any]], str]] = {
    # reviewers (helix.calls.review_services)
    "reviewer.twice": lambda p: _("%(person)s already reviews this call.") % p,
    "reviewer.expertise_too_long": lambda p: (
        _("The expertise is too long: at most %(limit)s characters.") % p
    ),
    "reviewer.bad_load": lambda p: _("The most reviews must be a whole number from 0 to 1,000."),
    "reviewer.has_submitted": lambda p: (
        ngettext(
            "%(person)s submitted %(count)d review: a reviewer whose reviews count cannot be removed.",
            "%(person)s submitted %(count)d reviews: a reviewer whose reviews count cannot be removed.",
            _int(p, "count"),
        )
        % {"person": p.get("person", ""), "count": _int(p, "count")}
    ),
    "reviewer.unknown_person": lambda p: _("Choose a person from the list."),
    "reviewer.choose_action": lambda p: _("Choose to save the reviewer or to remove them."),
    # reviews
    "scores.submitted": lambda p: _("This review is submitted: it can no longer be changed."),
    "scores.invalid": lambda p: _("The review was not saved:"),
    "scores.incomplete": lambda p: _("The review cannot be submitted yet:"),
    "scores.nothing_saved": lambda p: _("Save the review before submitting it."),
    "scores.too_long": lambda p: _("The text is too long: at most %(limit)s characters.") % p,
    "conflict.confirm": lambda p: _("Tick the box to confirm the conflict of interest."),
    # the assignment run (helix.calls.review_assignment)
    "assignment.nothing_in_review": lambda p: _("No application of this call is in review."),
    "assignment.no_reviewers": lambda p: _("The call has no reviewers yet."),
    "assignment.running": lambda p: _("An assignment of this call is already queued or running."),
    "assignment.changed": lambda p: _(
        "The applications, reviewers, submitted reviews or declared conflicts changed while the assignment "
        "was computed: run it again."
    ),
    # the decision (helix.calls.decision_services)
    "decision.no_budget": lambda p: _("The call has no budget: give one."),
    "decision.bad_budget": lambda p: _("The budget must be an amount in euros and cents, not negative."),
    "decision.bad_method": lambda p: _("Choose a method of selection."),
    "decision.amount_missing": lambda p: (
        _("These applications ask no amount: %(applications)s.") % {"applications": _names(p)}
    ),
    "decision.call_not_reviewing": lambda p: _("The decision is taken when the call is in review."),
    "decision.unranked": lambda p: (
        _("These applications are not ranked yet: %(applications)s.") % {"applications": _names(p)}
    ),
    "decision.nothing_to_decide": lambda p: _("No application is in review."),
    "decision.changed": lambda p: _(
        "The selection changed since it was previewed (a review or an amount changed): look at it again."
    ),
    # awards
    "award.not_selected": lambda p: _("Only a selected application is awarded."),
    "award.not_last_stage": lambda p: _(
        "A selected application at an earlier stage is invited, not awarded."
    ),
    "award.no_amount": lambda p: _("The application asks no amount."),
    "award.shares_differ": lambda p: (
        _("The applicants' shares add up to EUR %(shares)s, not to the EUR %(amount)s asked.")
        % {"shares": _eur(p.get("shares")), "amount": _eur(p.get("amount"))}
    ),
    "award.no_instrument": lambda p: _("The call has no funding instrument to commit the amount on."),
    "award.refused": lambda p: (
        _("EUR %(amount)s cannot be committed; nothing was booked:") % {"amount": _eur(p.get("amount"))}
    ),
    "award.no_project_type": lambda p: _(
        "The call's definition names no kind of project (project_type) for the awarded applications."
    ),
    "award.project_not_ready": lambda p: _(
        "The project does not meet the rules of its kind; nothing was booked:"
    ),
    "award.project_refused": lambda p: _("The project cannot be created; nothing was booked:"),
    "award.bad_months": lambda p: _("The duration must be a whole number of months."),
    "award.bad_start": lambda p: _("The start must be a date (YYYY-MM-DD)."),
    # letters
    "letter.none": lambda p: _("There is no decision letter before the decision."),
}

MESSAGES = {**CORE, **APP}


def review_problem_text(problem: Any) -> str:
    """A core review problem (or conflict), unprefixed, in the active language."""
    sayer = CORE.get(f"review.{problem.code}")
    return sayer(problem.params) if sayer is not None else (problem.text or problem.code)


__all__ = ["APP", "CORE", "MESSAGES", "review_problem_text"]
