"""The coded refusals and problems of calls in the reader's language: one place every surface (pages,
API, CLI) asks, so each door says the same.

The codes come from helix.core.calls (a call's definition: ``spec.*`` and ``deadline.*``; a form's
answers: ``form.*``; eligibility: ``eligibility.<rule kind>.<verdict>``, said in
helix.calls.explain_eligibility), helix.core.review (``review.*``) and this app (``call.*``,
``application.*``: helix.calls.services and helix.calls.validation; the review's and the decision's:
helix.calls.review_explain). A code not said here falls back to the core's English text. ``TRANSLATED``
lists the codes said here; tests/calls/test_explain.py checks that every code those modules can give is
among them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from helix.calls import explain_eligibility, review_explain
from helix.funds import explain as funds_explain
from helix.projects import explain as projects_explain

Sayer = Callable[[Mapping[str, Any]], str]


# -- formats ----------------------------------------------------------------------------------------------


def eur(value: object) -> str:
    """An amount in euros with the reader's grouping and decimal mark (the text as given if no number),
    as funds says every amount."""
    return funds_explain.amount_text(value)


def number(value: object) -> str:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not amount.is_finite():
        return str(value)
    places = max(0, -int(amount.normalize().as_tuple().exponent))
    return number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)


def _day_or_number(value: object) -> str:
    """A limit of a field: a date (ISO text) in the reader's format, else a number."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            pass
    return number(value)


def _moment(value: object) -> str:
    """A local date and time (ISO text without offset) in the reader's format."""
    try:
        return date_format(dt.datetime.fromisoformat(str(value)), "DATETIME_FORMAT")
    except ValueError:
        return str(value)


def listed(values: Iterable[object]) -> str:
    return ", ".join(str(v) for v in values)


def _count(p: Mapping[str, Any], key: str) -> int:
    try:
        return int(p.get(key) or 0)
    except (TypeError, ValueError):
        return 0


def call_state(state: object) -> str:
    from helix.calls.models import CallStatus

    try:
        return str(CallStatus(str(state)).label)
    except ValueError:
        return str(state)


def application_state(state: object) -> str:
    from helix.calls.models import ApplicationStatus

    try:
        return str(ApplicationStatus(str(state)).label)
    except ValueError:
        return str(state)


# -- a form's answers (helix.core.calls.form_answers) ------------------------------------------------------

EXPECTED = {
    "text": lambda: _("a text"),
    "number": lambda: _("a number"),
    "money": lambda: _("an amount in euros, such as 12500.50"),
    "date": lambda: _("a date"),
    "choice": lambda: _("one of the options"),
    "list of choices": lambda: _("options from the list"),
    "yes or no": lambda: _("yes or no"),
    "file": lambda: _("a file"),
    "list of organisations": lambda: _("a list of organisations"),
}


def _wrong_type(p: Mapping[str, Any]) -> str:
    expected = EXPECTED.get(str(p.get("expected")))
    return _("This must be %(expected)s.") % {"expected": expected() if expected else p.get("expected", "")}


def _out_of_range(p: Mapping[str, Any]) -> str:
    low, high = p.get("minimum"), p.get("maximum")
    shown = {
        "minimum": _day_or_number(low),
        "maximum": _day_or_number(high),
        "value": _day_or_number(p.get("value")),
    }
    if low is not None and high is not None:
        return _("%(value)s is not between %(minimum)s and %(maximum)s.") % shown
    if low is not None:
        return _("%(value)s is less than %(minimum)s, the least allowed.") % shown
    return _("%(value)s is more than %(maximum)s, the most allowed.") % shown


FORM_MESSAGES: dict[str, Sayer] = {
    "form.required": lambda p: _("This is required."),
    "form.unknown_field": lambda p: _("This is not a field of the form."),
    "form.wrong_type": _wrong_type,
    "form.one_line": lambda p: _("Write this on one line."),
    "form.too_long": lambda p: (
        ngettext(
            "%(chars)d characters; at most %(max)d character is allowed.",
            "%(chars)d characters; at most %(max)d characters are allowed.",
            _count(p, "max_chars"),
        )
        % {"chars": _count(p, "chars"), "max": _count(p, "max_chars")}
    ),
    "form.too_many_words": lambda p: (
        ngettext(
            "%(words)d words; at most %(max)d word is allowed.",
            "%(words)d words; at most %(max)d words are allowed.",
            _count(p, "max_words"),
        )
        % {"words": _count(p, "words"), "max": _count(p, "max_words")}
    ),
    "form.cents": lambda p: _("An amount in euros has at most two decimals."),
    "form.not_whole": lambda p: _("This must be a whole number."),
    "form.out_of_range": _out_of_range,
    "form.unknown_choice": lambda p: (
        _("Not an option here: %(values)s.") % {"values": listed(p.get("values") or ())}
    ),
    "form.duplicate": lambda p: _("The same value is given twice."),
    "form.too_few_choices": lambda p: (
        ngettext(
            "Choose at least %(minimum)d option.",
            "Choose at least %(minimum)d options.",
            _count(p, "minimum"),
        )
        % {"minimum": _count(p, "minimum")}
    ),
    "form.too_many_choices": lambda p: (
        ngettext(
            "Choose at most %(maximum)d option.", "Choose at most %(maximum)d options.", _count(p, "maximum")
        )
        % {"maximum": _count(p, "maximum")}
    ),
    "form.too_few_items": lambda p: (
        ngettext(
            "At least %(minimum)d organisation must apply; there is %(count)d.",
            "At least %(minimum)d organisations must apply; there are %(count)d.",
            _count(p, "minimum"),
        )
        % {"minimum": _count(p, "minimum"), "count": _count(p, "count")}
    ),
    "form.too_many_items": lambda p: (
        ngettext(
            "At most %(maximum)d organisation may apply; there are %(count)d.",
            "At most %(maximum)d organisations may apply; there are %(count)d.",
            _count(p, "maximum"),
        )
        % {"maximum": _count(p, "maximum"), "count": _count(p, "count")}
    ),
    "form.file_type": lambda p: (
        _("A file of the type .%(type)s is not accepted here; send %(allowed)s.")
        % {"type": p.get("type", ""), "allowed": listed(f".{t}" for t in p.get("allowed") or ())}
    ),
    "form.file_too_large": lambda p: (
        _("The file has %(size)s; at most %(max)s is accepted.")
        % {"size": filesizeformat(_count(p, "size")), "max": filesizeformat(_count(p, "max_bytes"))}
    ),
}


# -- deadlines (helix.core.calls.lifecycle) and definitions -----------------------------------------------


def _at_path(p: Mapping[str, Any], text: str) -> str:
    return _("%(path)s: %(text)s") % {"path": p["path"], "text": text} if p.get("path") else text


DEADLINE_MESSAGES: dict[str, Sayer] = {
    "deadline.not_local": lambda p: _at_path(p, _("A deadline is a local time, written without an offset.")),
    "deadline.unknown_zone": lambda p: _at_path(
        p,
        _("There is no time zone “%(zone)s”.") % {"zone": p["zone"]}
        if p.get("zone")
        else _("There is no such time zone; give an IANA name such as Europe/Brussels."),
    ),
    "deadline.nonexistent_time": lambda p: _at_path(
        p,
        _("%(local)s does not exist in %(zone)s: the clocks skip it when summer time starts.")
        % {"local": p["local"], "zone": p["zone"]}
        if p.get("local") and p.get("zone")
        else _("This time does not exist in its time zone: the clocks skip it when summer time starts."),
    ),
    "spec.duplicate_field": lambda p: (
        _("%(path)s: fields with the same name: %(names)s.")
        % {"path": p.get("path", ""), "names": listed(p.get("value") or ())}
    ),
}


# -- the app: calls and applications (helix.calls.services, helix.calls.validation) ------------------------

APP_MESSAGES: dict[str, Sayer] = {
    "call.key_differs": lambda p: _("The key “%(key)s” differs from the definition's id “%(id)s”.") % p,
    "call.no_rubric": lambda p: _("A call needs a rubric: the criteria its reviewers score."),
    "call.move_not_allowed": lambda p: (
        _("This call cannot move from “%(from)s” to “%(to)s”.")
        % {"from": call_state(p.get("from")), "to": call_state(p.get("to"))}
    ),
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
        _("Not fields of this form: %(fields)s.") % {"fields": listed(p.get("fields") or ())}
    ),
    "application.too_large": lambda p: _("The answers are too long to be saved."),
    "application.amount_too_large": lambda p: (
        _("The amount in “%(field)s” is too large: at most EUR %(maximum)s.")
        % {"field": p.get("field", ""), "maximum": eur(p.get("maximum"))}
    ),
    "application.bad_file": lambda p: _("The file cannot be accepted:"),
    "application.move_not_allowed": lambda p: (
        _("The application cannot move from “%(from)s” to “%(to)s”.")
        % {"from": application_state(p.get("from")), "to": application_state(p.get("to"))}
    ),
    "application.late": lambda p: (
        _("The deadline (%(deadline)s, %(zone)s) has passed.")
        % {"deadline": _moment(p.get("deadline")), "zone": p.get("zone", "")}
    ),
    "application.incomplete": lambda p: _("The application is not complete:"),
    "application.use_submit": lambda p: _("Submit the application with its own button."),
    "application.use_decision": lambda p: _("This move is made by judging eligibility or by the decision."),
    "application.last_stage": lambda p: _("This is the call's last stage."),
    "application.reopen_late": lambda p: _("The deadline has passed: the application cannot be reopened."),
}

MESSAGES: dict[str, Sayer] = {
    **APP_MESSAGES,
    **FORM_MESSAGES,
    **DEADLINE_MESSAGES,
    **explain_eligibility.MESSAGES,
}
MESSAGES.update(review_explain.MESSAGES)  # the review's and the decision's (helix.calls.review_explain)

TRANSLATED = frozenset(MESSAGES)


class _Lenient(dict[str, Any]):
    """Parameters a text reads with ``%``: one the code did not give reads as blank, never an error."""

    def __missing__(self, key: str) -> str:
        return ""


def say(code: str, params: Mapping[str, Any], english: str = "") -> str:
    """``code`` in the active language. A code without a dot is a problem of helix.core.review, said
    as ``review.<code>``; those of funds and projects (an award's refusals) are said by their apps."""
    sayer = MESSAGES.get(code) or (MESSAGES.get(f"review.{code}") if "." not in code else None)
    if sayer is not None:
        return sayer(_Lenient(params))
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


def outcome_text(outcome: Any, names: Mapping[str, str] | None = None) -> str:
    """An eligibility rule's outcome (a core RuleOutcome, or the dict a judgement keeps) in the active
    language, the applicants named by ``names`` (organisation id -> name)."""
    if isinstance(outcome, Mapping):
        code, params, english = outcome.get("code", ""), outcome.get("params") or {}, outcome.get("text", "")
    else:
        code, params, english = outcome.code, outcome.params, outcome.text
    return say(str(code), {**params, "names": names or {}}, str(english))


def rule_text(spec: Any) -> str:
    """A call's eligibility rule (a core RuleSpec) as the requirement it states."""
    return explain_eligibility.requirement(str(spec.kind), spec.rule.params())


def refusal_text(refused: Any) -> str:
    """A :class:`helix.calls.services.CallRefused` as one message: the refusal, then its reasons."""
    head = say(refused.code, refused.params)
    reasons = [problem_text(p) for p in refused.problems]
    return " ".join([head, *reasons]) if reasons else head


# -- the lifecycles' moves, as the pages offer them -------------------------------------------------------

CALL_MOVES: dict[str, Callable[[], str]] = {
    "open": lambda: _("Open the call"),
    "closed": lambda: _("Close the call"),
    "reviewing": lambda: _("Start the review"),
    "decided": lambda: _("Record the decision"),
    "archived": lambda: _("Archive"),
}

APPLICATION_MOVES: dict[str, Callable[[], str]] = {
    "draft": lambda: _("Reopen as a draft"),
    "in_review": lambda: _("Send to review"),
    "withdrawn": lambda: _("Withdraw the application"),
    "selected": lambda: _("Select"),
    "rejected": lambda: _("Reject"),
}


def call_move_label(source: str, target: str) -> str:
    if source == "closed" and target == "open":
        return _("Reopen (deadline extended)")
    label = CALL_MOVES.get(target)
    return label() if label else call_state(target)


def application_move_label(source: str, target: str) -> str:
    if source == "selected" and target == "draft":
        return _("Invite to the next stage")
    label = APPLICATION_MOVES.get(target)
    return label() if label else application_state(target)


__all__ = [
    "TRANSLATED",
    "application_move_label",
    "application_state",
    "call_move_label",
    "call_state",
    "eur",
    "number",
    "outcome_text",
    "problem_text",
    "refusal_text",
    "rule_text",
    "say",
]
