"""The coded refusals and problems of funds in the reader's language: one function every surface (pages,
API, CLI, the calls that ask for caps) calls, so each door says the same.

The codes come from helix.core.funding (the ledger's rules: ``ledger.*``; each cap's outcome:
``cap.<kind>.within`` / ``.exceeded`` and two more), from helix.core.specs (a cap spec that cannot be
read: ``spec.*``) and from this app (``funds.*``: helix.funds.services and helix.funds.validation).
``TRANSLATED`` lists the codes said here; a test checks that every code those modules can give is among
them. Amounts are in euros, shown with the reader's grouping and decimal mark.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from helix.core.funding.caps import CapKind


def _eur(value: object) -> str:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not amount.is_finite():
        return str(value)
    return number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def _day(value: object) -> str:
    try:
        return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return str(value)


def _day_after(value: object) -> str:
    """The first day of a window given by the day before it (the core's ``window_after`` is exclusive)."""
    try:
        return _day((date.fromisoformat(str(value)) + timedelta(days=1)).isoformat())
    except ValueError:
        return str(value)


def _instrument_kind(kind: object) -> str:
    from helix.funds.models import InstrumentKind

    labels = dict(InstrumentKind.choices)
    return str(labels.get(str(kind), str(kind)))


def _money(p: Mapping[str, Any]) -> dict[str, Any]:
    """The figures of a cap's outcome, for the reader."""
    return {
        "limit": _eur(p.get("limit_eur")),
        "used": _eur(p.get("used_eur")),
        "amount": _eur(p.get("amount_eur")),
        "headroom": _eur(p.get("headroom_eur")),
    }


def _years(p: Mapping[str, Any]) -> int:
    try:
        return (
            date.fromisoformat(str(p["window_until"])).year - date.fromisoformat(str(p["window_after"])).year
        )
    except (KeyError, ValueError):
        return 3


EXPECTED = {
    "text": lambda: _("a text"),
    "boolean": lambda: _("true or false"),
    "integer": lambda: _("a whole number"),
    "number": lambda: _("a number"),
    "list of texts": lambda: _("a list of texts"),
    "list": lambda: _("a list"),
    "translations": lambda: _("a text, or texts by language"),
}


def _wrong_type(p: Mapping[str, Any]) -> str:
    expected = EXPECTED.get(str(p.get("expected")))
    what = expected() if expected else str(p.get("expected", ""))
    return _("%(path)s must be %(expected)s.") % {"path": p.get("path", ""), "expected": what}


def _bad_value(p: Mapping[str, Any]) -> str:
    if "minimum" in p:
        return _("%(path)s must be at least %(minimum)s.") % p
    if "allowed" in p:
        allowed = p["allowed"]
        return _("%(path)s must be one of: %(allowed)s.") % {
            "path": p["path"],
            "allowed": ", ".join(map(str, allowed)) if isinstance(allowed, list | tuple) else allowed,
        }
    return _("%(path)s names a value twice.") % p


def _within(kind: CapKind) -> Callable[[Mapping[str, Any]], str]:
    def say(p: Mapping[str, Any]) -> str:
        figures = _money(p)
        if kind is CapKind.PER_BENEFICIARY_PER_YEAR:
            return _(
                "At most EUR %(limit)s a year per beneficiary: EUR %(used)s is committed in %(year)s; "
                "EUR %(amount)s fits in the EUR %(headroom)s left."
            ) % {**figures, "year": p.get("year")}
        if kind is CapKind.PER_PROJECT:
            return _(
                "At most EUR %(limit)s per project: EUR %(used)s is committed to %(project)s; "
                "EUR %(amount)s fits in the EUR %(headroom)s left."
            ) % {**figures, "project": p.get("project")}
        if kind is CapKind.INSTRUMENT_BUDGET:
            return (
                _(
                    "A budget of EUR %(limit)s: EUR %(used)s is committed; EUR %(amount)s fits in the "
                    "EUR %(headroom)s left."
                )
                % figures
            )
        return ngettext(
            "De minimis aid, at most EUR %(limit)s per single undertaking over %(years)d year: EUR %(used)s "
            "from %(after)s to %(until)s; EUR %(amount)s fits in the EUR %(headroom)s left.",
            "De minimis aid, at most EUR %(limit)s per single undertaking over %(years)d years: EUR %(used)s "
            "from %(after)s to %(until)s; EUR %(amount)s fits in the EUR %(headroom)s left.",
            _years(p),
        ) % {
            **figures,
            "years": _years(p),
            "after": _day_after(p.get("window_after")),
            "until": _day(p.get("window_until")),
        }

    return say


def _exceeded(kind: CapKind) -> Callable[[Mapping[str, Any]], str]:
    def say(p: Mapping[str, Any]) -> str:
        figures = _money(p)
        if kind is CapKind.PER_BENEFICIARY_PER_YEAR:
            return _(
                "At most EUR %(limit)s a year per beneficiary: EUR %(used)s is committed in %(year)s "
                "already, so EUR %(amount)s is over the EUR %(headroom)s left."
            ) % {**figures, "year": p.get("year")}
        if kind is CapKind.PER_PROJECT:
            return _(
                "At most EUR %(limit)s per project: EUR %(used)s is committed to %(project)s already, "
                "so EUR %(amount)s is over the EUR %(headroom)s left."
            ) % {**figures, "project": p.get("project")}
        if kind is CapKind.INSTRUMENT_BUDGET:
            return (
                _(
                    "A budget of EUR %(limit)s: EUR %(used)s is committed already, so EUR %(amount)s is over "
                    "the EUR %(headroom)s left."
                )
                % figures
            )
        return ngettext(
            "De minimis aid is at most EUR %(limit)s per single undertaking over %(years)d year: it "
            "received EUR %(used)s from %(after)s to %(until)s, so EUR %(amount)s is over the "
            "EUR %(headroom)s left.",
            "De minimis aid is at most EUR %(limit)s per single undertaking over %(years)d years: it "
            "received EUR %(used)s from %(after)s to %(until)s, so EUR %(amount)s is over the "
            "EUR %(headroom)s left.",
            _years(p),
        ) % {
            **figures,
            "years": _years(p),
            "after": _day_after(p.get("window_after")),
            "until": _day(p.get("window_until")),
        }

    return say


Sayer = Callable[[Mapping[str, Any]], str]

MESSAGES: dict[str, Sayer] = {
    # the services
    "funds.entry_refused": lambda p: _("The entry cannot be booked:"),
    "funds.over_cap": lambda p: (
        _("The commitment of EUR %(amount)s is refused whole: it would go over a cap.")
        % {"amount": _eur(p.get("amount_eur"))}
    ),
    "funds.amount_not_cents": lambda p: _("Give the amount in euros and cents."),
    "funds.equivalent_negative": lambda p: _("A gross grant equivalent cannot be negative."),
    # an instrument's fields (helix.funds.validation)
    "funds.fixed_once_booked": lambda p: _(
        "This cannot change any more: the instrument's ledger has entries."
    ),
    "funds.cap_id_reserved": lambda p: (
        _(
            "%(path)s: “%(value)s” names a cap the instrument's own fields set (its budget, de minimis); "
            "choose another."
        )
        % p
    ),
    "funds.de_minimis_cap_not_de_minimis": lambda p: (
        _("%(path)s: a de minimis cap needs an instrument marked as de minimis aid.") % p
    ),
    "funds.cap_not_this_instrument": lambda p: (
        _("%(path)s must name this instrument (%(key)s) among those it counts.") % p
    ),
    "funds.cap_unknown_instruments": lambda p: (
        ngettext(
            "%(path)s: there is no instrument %(keys)s.",
            "%(path)s: there are no instruments %(keys)s.",
            len(p.get("value") or ()),
        )
        % {"path": p.get("path", ""), "keys": ", ".join(map(str, p.get("value") or ()))}
    ),
    # the ledger's rules (helix.core.funding.ledger)
    "ledger.unknown_instrument": lambda p: _("There is no instrument %(instrument)s.") % p,
    "ledger.amount_not_positive": lambda p: _("An amount must be more than zero."),
    "ledger.repaid_not_a_loan": lambda p: (
        _("Only a loan is repaid; this instrument is of the kind “%(kind)s”.")
        % {"kind": _instrument_kind(p.get("kind"))}
    ),
    "ledger.equivalent_not_a_commitment": lambda p: _("Only a commitment has a gross grant equivalent."),
    "ledger.disbursed_over_committed": lambda p: (
        _(
            "Paying out EUR %(amount)s would be more than the EUR %(committed)s committed "
            "(EUR %(disbursed)s paid out already)."
        )
        % {
            "amount": _eur(p.get("amount_eur")),
            "committed": _eur(p.get("committed_eur")),
            "disbursed": _eur(p.get("disbursed_eur")),
        }
    ),
    "ledger.released_over_undisbursed": lambda p: (
        _(
            "Releasing EUR %(amount)s would be more than what is committed and not yet paid out "
            "(EUR %(committed)s committed, EUR %(disbursed)s paid out)."
        )
        % {
            "amount": _eur(p.get("amount_eur")),
            "committed": _eur(p.get("committed_eur")),
            "disbursed": _eur(p.get("disbursed_eur")),
        }
    ),
    "ledger.repaid_over_disbursed": lambda p: (
        _(
            "Repaying EUR %(amount)s would be more than the EUR %(disbursed)s paid out "
            "(EUR %(repaid)s repaid already)."
        )
        % {
            "amount": _eur(p.get("amount_eur")),
            "disbursed": _eur(p.get("disbursed_eur")),
            "repaid": _eur(p.get("repaid_eur")),
        }
    ),
    # the caps (helix.core.funding.caps)
    **{f"cap.{kind}.within": _within(kind) for kind in CapKind},
    **{f"cap.{kind}.exceeded": _exceeded(kind) for kind in CapKind},
    "cap.de_minimis.equivalent_unknown": lambda p: (
        _(
            "Under de minimis, aid of the kind “%(kind)s” counts at its gross grant equivalent: give it "
            "with the commitment."
        )
        % {"kind": _instrument_kind(p.get("kind"))}
    ),
    "cap.per_project.no_project": lambda p: _(
        "This instrument caps what each project receives: name the project."
    ),
    # a cap spec that cannot be read (helix.core.specs)
    "spec.not_a_list": lambda p: _("%(path)s must be a list.") % p,
    "spec.not_an_object": lambda p: _("%(path)s must be an object with named fields.") % p,
    "spec.missing_field": lambda p: _("%(path)s is required.") % p,
    "spec.unknown_field": lambda p: _("%(path)s is not a field here.") % p,
    "spec.wrong_type": _wrong_type,
    "spec.bad_value": _bad_value,
    "spec.duplicate_id": lambda p: _("%(path)s: the id “%(value)s” is used twice.") % p,
    "spec.missing_translation": lambda p: _("%(path)s needs an English text.") % p,
}

TRANSLATED = frozenset(MESSAGES)

# The field of a booking (the page's form, the API's body) each problem is about; a problem not named here
# is about the booking as a whole (a cap exceeded, a repayment on a grant).
FIELDS: dict[str, str] = {
    "ledger.amount_not_positive": "amount_eur",
    "ledger.disbursed_over_committed": "amount_eur",
    "ledger.repaid_over_disbursed": "amount_eur",
    "ledger.equivalent_not_a_commitment": "gross_grant_equivalent_eur",
    "cap.de_minimis.equivalent_unknown": "gross_grant_equivalent_eur",
    "cap.per_project.no_project": "project_ref",
}


def say(code: str, params: Mapping[str, Any], english: str = "") -> str:
    """``code`` with ``params`` in the active language; a code not said here gives ``english`` (the core's
    text) or the code itself."""
    sayer = MESSAGES.get(code)
    if sayer is None:
        return english or code
    return sayer(params)


def problem_text(problem: Any) -> str:
    """A core problem or cap outcome (``code``, ``params``, ``text``) in the active language."""
    return say(problem.code, problem.params, problem.text)


def refusal_text(refused: Any) -> str:
    """A :class:`helix.funds.services.FundsRefused` as one message: the refusal, then its reasons."""
    head = say(refused.code, refused.params)
    reasons = [problem_text(p) for p in refused.problems]
    return " ".join([head, *reasons]) if reasons else head


def problem_field(problem: Any) -> str | None:
    """The booking's field ``problem`` is about (``amount_eur``, ``gross_grant_equivalent_eur``,
    ``project_ref``), or None when it is about the booking as a whole."""
    field = FIELDS.get(problem.code)
    if field is None and isinstance(problem.params, Mapping):
        named = problem.params.get("field")
        field = str(named) if named else None
    return field


def refusal_by_field(refused: Any) -> dict[str | None, list[str]]:
    """A :class:`helix.funds.services.FundsRefused` said field by field: each reason under the field it is
    about (None: the booking as a whole, with the refusal itself first), so a form marks each field and a
    refused commitment lists each cap it would go over."""
    said: dict[str | None, list[str]] = {None: [say(refused.code, refused.params)]}
    for problem in refused.problems:
        said.setdefault(problem_field(problem), []).append(problem_text(problem))
    return said


# -- an instrument's terms -------------------------------------------------------------------------------


def amount_text(value: object) -> str:
    """An amount in euros with the reader's grouping and decimal mark (without the currency)."""
    return _eur(value)


def day_text(value: object) -> str:
    """A date in the reader's format."""
    return _day(value.isoformat() if isinstance(value, date) else value)


def instrument_kind_label(kind: object) -> str:
    return _instrument_kind(kind)


def _counting(cap: Any, names: Mapping[str, str], this: str) -> str:
    if not cap.instruments or tuple(cap.instruments) == (this,):
        return ""
    listed = ", ".join(names.get(key, key) for key in cap.instruments)
    return " " + _("It counts the commitments of: %(instruments)s.") % {"instruments": listed}


def cap_terms(cap: Any, names: Mapping[str, str], this: str = "") -> str:
    """A cap (helix.core.funding.caps.Cap) of the instrument keyed ``this`` in words, in the active
    language; ``names`` gives the instruments' names by key."""
    limit = _eur(cap.limit_eur)
    if cap.kind is CapKind.PER_BENEFICIARY_PER_YEAR:
        text = _("At most EUR %(limit)s a year per beneficiary.") % {"limit": limit}
    elif cap.kind is CapKind.PER_PROJECT:
        text = _("At most EUR %(limit)s per project.") % {"limit": limit}
    elif cap.kind is CapKind.INSTRUMENT_BUDGET:
        text = _("A budget of EUR %(limit)s committed in all.") % {"limit": limit}
    elif cap.instruments:
        text = ngettext(
            "De minimis aid: at most EUR %(limit)s per single undertaking over any %(years)d year.",
            "De minimis aid: at most EUR %(limit)s per single undertaking over any %(years)d years.",
            cap.years,
        ) % {"limit": limit, "years": cap.years}
    else:
        text = ngettext(
            "De minimis aid: at most EUR %(limit)s per single undertaking over any %(years)d year, "
            "across every de minimis instrument.",
            "De minimis aid: at most EUR %(limit)s per single undertaking over any %(years)d years, "
            "across every de minimis instrument.",
            cap.years,
        ) % {"limit": limit, "years": cap.years}
    return text + _counting(cap, names, this)


__all__ = [
    "TRANSLATED",
    "amount_text",
    "cap_terms",
    "day_text",
    "instrument_kind_label",
    "problem_field",
    "problem_text",
    "refusal_by_field",
    "refusal_text",
    "say",
]
