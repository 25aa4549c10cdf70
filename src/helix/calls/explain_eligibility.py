"""A call's eligibility rules in the reader's language: each rule as the requirement it states
(:func:`requirement`, for the call's page) and each outcome of judging it (``eligibility.<kind>.<verdict>``,
:data:`MESSAGES`), the requirement followed by the reason: who does not meet it, what is not known, or
the figures of the caps (said by helix.funds.explain).

The outcomes' parameters name applicants by their organisation's id; the caller passes ``names`` (id ->
name) among the parameters, and an id without a name is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from helix.core.calls.eligibility_facts import RuleKind
from helix.funds import explain as funds_explain
from helix.funds.explain import amount_text as _eur

Sayer = Callable[[Mapping[str, Any]], str]

PER_APPLICANT = (
    RuleKind.APPLICANT_KIND,
    RuleKind.SME_STATUS,
    RuleKind.MEMBERSHIP_LEVEL,
    RuleKind.APPLICANT_COUNTRY,
)
CAPS = (
    RuleKind.PER_BENEFICIARY_CAP,
    RuleKind.CO_FINANCING_CAP,
    RuleKind.DE_MINIMIS_HEADROOM,
    RuleKind.BUDGET_HEADROOM,
)




def _percent(value: object) -> str:
    try:
        share = Decimal(str(value)) * 100
    except InvalidOperation:
        return str(value)
    if not share.is_finite():
        return str(value)
    return number_format(share.normalize(), use_l10n=True)


def _kind(value: object) -> str:
    from helix.registry.models import OrganisationKind

    return str(dict(OrganisationKind.choices).get(str(value), str(value)))


SIZES = {
    "micro": lambda: _("micro enterprise"),
    "small": lambda: _("small enterprise"),
    "medium": lambda: _("medium-sized enterprise"),
    "large": lambda: _("large enterprise"),
    "unknown": lambda: _("size not known"),
}


def _size(value: object) -> str:
    label = SIZES.get(str(value))
    return label() if label else str(value)


def _level(value: object) -> str:
    from helix.registry.models import engagement_label

    return engagement_label(str(value)) if value else _("not a member")


def _listed(values: Iterable[object]) -> str:
    return ", ".join(str(v) for v in values)


def _names(p: Mapping[str, Any]) -> Mapping[str, str]:
    names = p.get("names")
    return names if isinstance(names, Mapping) else {}


def _name(p: Mapping[str, Any], organisation: object) -> str:
    return str(_names(p).get(str(organisation), organisation))


# -- the requirement each rule states ---------------------------------------------------------------------

VALUE_LABELS: dict[str, Callable[[object], str]] = {
    RuleKind.APPLICANT_KIND: _kind,
    RuleKind.SME_STATUS: _size,
    RuleKind.MEMBERSHIP_LEVEL: _level,
    RuleKind.APPLICANT_COUNTRY: lambda v: str(v) or _("no country known"),
}


def _asked(kind: str, p: Mapping[str, Any]) -> str:
    """What a per-applicant rule asks of an applicant, as the end of a sentence."""
    if kind == RuleKind.APPLICANT_KIND:
        return _("of one of these kinds: %(kinds)s") % {"kinds": _listed(map(_kind, p.get("kinds") or ()))}
    if kind == RuleKind.SME_STATUS:
        return _("of one of these sizes: %(sizes)s") % {"sizes": _listed(map(_size, p.get("classes") or ()))}
    if kind == RuleKind.MEMBERSHIP_LEVEL:
        cluster = p.get("cluster") or _("the call's cluster")
        return _("at least “%(level)s” in %(cluster)s") % {
            "level": _level(p.get("at_least")),
            "cluster": cluster,
        }
    return _("established in one of these countries: %(countries)s") % {
        "countries": _listed(p.get("countries") or ())
    }


def _per_applicant_requirement(kind: str, p: Mapping[str, Any]) -> str:
    asked = {"asked": _asked(kind, p)}
    who = p.get("who", "every")
    if who == "lead":
        return _("The lead applicant must be %(asked)s.") % asked
    if who == "any":
        return _("At least one applicant must be %(asked)s.") % asked
    return _("Every applicant must be %(asked)s.") % asked


def _size_requirement(p: Mapping[str, Any]) -> str:
    low, high = p.get("min"), p.get("max")
    if low is not None and high is not None:
        return _("From %(min)s to %(max)s organisations apply together.") % {"min": low, "max": high}
    if low is not None:
        return ngettext(
            "At least %(min)d organisation applies.",
            "At least %(min)d organisations apply together.",
            int(low),
        ) % {"min": int(low)}
    return ngettext(
        "At most %(max)d organisation applies.",
        "At most %(max)d organisations apply together.",
        int(high or 0),
    ) % {"max": int(high or 0)}


def _co_financing_requirement(p: Mapping[str, Any]) -> str:
    limit = {"limit": _eur(p.get("limit_eur"))}
    if p.get("max_rate") is None:
        return _("The call pays at most EUR %(limit)s per project.") % limit
    return _("The call pays at most EUR %(limit)s per project, and at most %(rate)s%% of its total cost.") % {
        **limit,
        "rate": _percent(p.get("max_rate")),
    }


def requirement(kind: str, p: Mapping[str, Any]) -> str:
    """The rule of ``kind`` with the parameters ``p`` as the requirement it states."""
    if kind in PER_APPLICANT:
        return _per_applicant_requirement(kind, p)
    if kind == RuleKind.CLUSTER_HAS_ROADMAP:
        return _("The call's cluster must have adopted a cluster roadmap.")
    if kind == RuleKind.CONSORTIUM_SIZE:
        return _size_requirement(p)
    if kind == RuleKind.PER_BENEFICIARY_CAP:
        return _("Each beneficiary receives at most EUR %(limit)s a year from %(instruments)s.") % {
            "limit": _eur(p.get("limit_eur")),
            "instruments": _listed(p.get("instruments") or ()) or _("this call's instrument"),
        }
    if kind == RuleKind.CO_FINANCING_CAP:
        return _co_financing_requirement(p)
    if kind == RuleKind.DE_MINIMIS_HEADROOM:
        years = int(p.get("years") or 3)
        return ngettext(
            "De minimis aid: at most EUR %(limit)s per single undertaking over %(years)d year, from every "
            "instrument together.",
            "De minimis aid: at most EUR %(limit)s per single undertaking over %(years)d years, from every "
            "instrument together.",
            years,
        ) % {"limit": _eur(p.get("limit_eur")), "years": years}
    if kind == RuleKind.BUDGET_HEADROOM:
        return _("What is asked fits in the budget of EUR %(limit)s.") % {"limit": _eur(p.get("limit_eur"))}
    return str(kind)


# -- the outcomes ------------------------------------------------------------------------------------------


def _whose(kind: str, p: Mapping[str, Any], ids: Iterable[object]) -> str:
    """The applicants ``ids`` by name, each with its value for the rule (its kind, size, level, country)."""
    values = p.get("values") if isinstance(p.get("values"), Mapping) else {}
    label = VALUE_LABELS.get(kind, str)
    return _listed(
        _("%(name)s (%(value)s)") % {"name": _name(p, i), "value": label(values.get(str(i), ""))} for i in ids
    )


UNKNOWN_WHY = {
    RuleKind.SME_STATUS: lambda: _("the directory records no size for it"),
    RuleKind.APPLICANT_COUNTRY: lambda: _("the directory records no country for it"),
}

MISSING = {
    "cluster": lambda p: _("The call names no cluster."),
    "ledger": lambda p: _("The call is linked to no funding instrument yet, so no ledger can be read."),
    "instrument": lambda p: _("The call's instrument has no ledger yet: link the call to its instrument."),
    "project": lambda p: _("The application names no project."),
    "total_cost_eur": lambda p: _("The project's total cost is not given."),
}


def _per_applicant_reason(kind: str, verdict: str, p: Mapping[str, Any]) -> str:
    if verdict == "passed":
        return _("Met.")
    if verdict == "no_applicant":
        return _("There is no applicant to judge.")
    if verdict == "failed":
        return _("Not met by: %(whose)s.") % {"whose": _whose(kind, p, p.get("failing") or ())}
    if p.get("missing") in MISSING:
        return MISSING[p["missing"]](p)
    why = UNKNOWN_WHY.get(kind)
    names = _listed(_name(p, i) for i in p.get("unknown") or ())
    if why:
        return _("Not known for %(names)s: %(why)s.") % {"names": names, "why": why()}
    return _("Not known for %(names)s.") % {"names": names}


def _roadmap_reason(verdict: str, p: Mapping[str, Any]) -> str:
    cluster = p.get("cluster") or _("the call's cluster")
    if verdict == "passed":
        return _("Met: %(cluster)s has adopted its roadmap.") % {"cluster": cluster}
    if verdict == "failed":
        return _("%(cluster)s has not adopted a roadmap yet.") % {"cluster": cluster}
    return _("Not known whether %(cluster)s has a roadmap.") % {"cluster": cluster}


def _size_reason(verdict: str, p: Mapping[str, Any]) -> str:
    size = int(p.get("size") or 0)
    if verdict == "duplicate":
        return _("An organisation applies twice.")
    counted = ngettext("%(size)d organisation applies.", "%(size)d organisations apply.", size) % {
        "size": size
    }
    if verdict == "passed":
        return _("Met: %(counted)s") % {"counted": counted}
    return _("Not met: %(counted)s") % {"counted": counted}


def _check_text(check: Mapping[str, Any], p: Mapping[str, Any]) -> str:
    """One cap's outcome for one applicant (or the project), said by helix.funds.explain."""
    params = dict(check)
    if str(params.get("project", "")).startswith("application-"):
        params["project"] = _("this application")
    text = funds_explain.say(str(check.get("code", "")), params)
    who = params.get("beneficiary") or params.get("undertaking")
    return _("%(name)s: %(text)s") % {"name": _name(p, who), "text": text} if who else text


def _caps_reason(verdict: str, p: Mapping[str, Any]) -> str:
    if p.get("missing") in MISSING:
        return MISSING[p["missing"]](p)
    if verdict == "over_rate":
        return _("EUR %(requested)s is more than %(rate)s%% of the total cost of EUR %(total)s.") % {
            "requested": _eur(p.get("requested_eur")),
            "rate": _percent(p.get("max_rate")),
            "total": _eur(p.get("total_cost_eur")),
        }
    checks = [c for c in p.get("checks") or () if isinstance(c, Mapping)]
    if verdict == "failed":
        checks = [c for c in checks if not str(c.get("code", "")).endswith(".within")] or checks
    said = " ".join(_check_text(c, p) for c in checks)
    if verdict == "passed":
        return _("Met.") + (" " + said if said else " " + _("Nothing is asked."))
    if verdict == "unknown":
        return _("Not known.")
    return _("Not met.") + (" " + said if said else "")


def _outcome(kind: RuleKind, verdict: str) -> Sayer:
    def say(p: Mapping[str, Any]) -> str:
        if kind in PER_APPLICANT:
            reason = _per_applicant_reason(kind, verdict, p)
        elif kind == RuleKind.CLUSTER_HAS_ROADMAP:
            reason = _roadmap_reason(verdict, p)
        elif kind == RuleKind.CONSORTIUM_SIZE:
            reason = _size_reason(verdict, p)
        else:
            reason = _caps_reason(verdict, p)
        return _("%(requirement)s %(reason)s") % {"requirement": requirement(kind, p), "reason": reason}

    return say


# The verdicts each kind of rule gives (helix.core.calls.eligibility_rules and eligibility_caps).
VERDICTS: dict[RuleKind, tuple[str, ...]] = {
    **dict.fromkeys(PER_APPLICANT, ("passed", "failed", "unknown", "no_applicant")),
    RuleKind.CLUSTER_HAS_ROADMAP: ("passed", "failed", "unknown"),
    RuleKind.CONSORTIUM_SIZE: ("passed", "duplicate", "too_few", "too_many"),
    RuleKind.PER_BENEFICIARY_CAP: ("passed", "failed", "unknown"),
    RuleKind.CO_FINANCING_CAP: ("passed", "failed", "unknown", "over_rate"),
    RuleKind.DE_MINIMIS_HEADROOM: ("passed", "failed", "unknown"),
    RuleKind.BUDGET_HEADROOM: ("passed", "failed", "unknown"),
}

MESSAGES: dict[str, Sayer] = {
    f"eligibility.{kind}.{verdict}": _outcome(kind, verdict)
    for kind, verdicts in VERDICTS.items()
    for verdict in verdicts
}

__all__ = ["MESSAGES", "VERDICTS", "requirement"]
