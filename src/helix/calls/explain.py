"""The coded refusals and problems of calls in the reader's language: one place every surface (pages,
API, CLI) asks, so each door says the same.

The codes come from helix.core.calls (a call's definition: ``spec.*`` and ``deadline.*``; a form's
answers: ``form.*``; eligibility: ``<rule kind>.<verdict>``), helix.core.review (``review.*``) and this
app (``call.*``, ``application.*``: helix.calls.services and helix.calls.validation; the review's and
the decision's: helix.calls.review_explain). A code not said here falls back to the core's English text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from helix.calls import review_explain
from helix.funds import explain as funds_explain
from helix.projects import explain as projects_explain

MESSAGES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "call.key_differs": lambda p: _("The key “%(key)s” differs from the definition's id “%(id)s”.") % p,
    "call.no_rubric": lambda p: _("A call needs a rubric: the criteria its reviewers score."),
    "call.move_not_allowed": lambda p: _("This call cannot move from “%(from)s” to “%(to)s”.") % p,
    "call.unjudged_applications": lambda p: _(
        "Judge the eligibility of every submitted application before the review starts."
    ),
    "call.not_open": lambda p: _("The call is not open for applications."),
    "application.title_required": lambda p: _("Give the application a title."),
    "application.not_editable": lambda p: _("The application cannot be changed in its present state."),
    "application.lead_only": lambda p: _("Only the lead applicant's people may do this."),
    "application.applicant_twice": lambda p: _("%(organisation)s already applies.") % p,
    "application.lead_stays": lambda p: _("The lead applicant cannot be removed."),
    "application.stale": lambda p: _(
        "Someone saved this application while you were editing it: reload it to see their changes, then "
        "make yours again."
    ),
    "application.unknown_fields": lambda p: (
        _("Not fields of this form: %(fields)s.") % {"fields": ", ".join(map(str, p.get("fields", [])))}
    ),
    "application.too_large": lambda p: _("The answers are too long to be saved."),
    "application.bad_file": lambda p: _("The file cannot be accepted:"),
    "application.move_not_allowed": lambda p: (
        _("The application cannot move from “%(from)s” to “%(to)s”.") % p
    ),
    "application.late": lambda p: _("The deadline (%(deadline)s, %(zone)s) has passed.") % p,
    "application.incomplete": lambda p: _("The application is not complete:"),
    "application.use_submit": lambda p: _("Submit the application with its own button."),
    "application.use_decision": lambda p: _("This move is made by judging eligibility or by the decision."),
    "application.last_stage": lambda p: _("This is the call's last stage."),
    "application.reopen_late": lambda p: _("The deadline has passed: the application cannot be reopened."),
}

MESSAGES.update(review_explain.MESSAGES)  # the review's and the decision's (helix.calls.review_explain)

TRANSLATED = frozenset(MESSAGES)


def say(code: str, params: Mapping[str, Any], english: str = "") -> str:
    """``code`` in the active language. A code without a dot is a problem of helix.core.review, said
    as ``review.<code>``; those of funds and projects (an award's refusals) are said by their apps."""
    sayer = MESSAGES.get(code) or (MESSAGES.get(f"review.{code}") if "." not in code else None)
    if sayer is not None:
        return sayer(params)
    if code.startswith(("spec.", "cap.", "ledger.", "funds.")):
        return funds_explain.say(code, params, english)
    if code.startswith(("project.", "lifecycle.", "consortium.")):
        return projects_explain.say(code, params, english)
    return english or code


def problem_text(problem: Any) -> str:
    """A core problem (``code``, ``params``, ``text``) in the active language."""
    return say(problem.code, problem.params, problem.text)


def spec_text(problem: Any) -> str:
    return problem_text(problem)


def refusal_text(refused: Any) -> str:
    """A :class:`helix.calls.services.CallRefused` as one message: the refusal, then its reasons."""
    head = say(refused.code, refused.params)
    reasons = [problem_text(p) for p in refused.problems]
    return " ".join([head, *reasons]) if reasons else head
