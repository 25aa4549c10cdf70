"""A proposal's reasons and flags in the reader's language.

helix.core.symbiosis.matching (its scoring module) gives each reason in English and again as a code
with its arguments; pages say the same through these translated messages. A code missing here, or a
translation that lost a placeholder, falls back to the English text.
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy, ngettext_lazy, pgettext_lazy

MESSAGES = {
    "code.same": gettext_lazy("waste code: the same waste code %(code)s"),
    "code.subchapter": gettext_lazy("waste code: the same EWC sub-chapter %(code)s"),
    "code.chapter": gettext_lazy("waste code: the same EWC chapter %(code)s"),
    "code.differ": gettext_lazy("waste codes differ in chapter"),
    "learned": gettext_lazy(
        "documented exchanges: the receiving industry (%(nace)s) scores %(share)s of the most likely "
        "receiver of this waste"
    ),
    "text": gettext_lazy("descriptions are %(share)s alike"),
    "heat.direct": gettext_lazy(
        "direct: the source at %(source)s °C is at least %(approach)s K above the demand at %(demand)s °C"
    ),
    "heat.pump": gettext_lazy(
        "heat pump needed: the source at %(source)s °C cannot serve %(demand)s °C directly; a heat pump "
        "lifting it has an estimated COP of %(cop)s (%(carnot)s x Carnot) and uses %(electricity)s MWh of "
        "electricity a year"
    ),
    "heat.covers": gettext_lazy("covers %(share)s of the %(mwh)s MWh a year needed"),
    "heat.no_demand": gettext_lazy("the demand states no energy"),
    "nothing_known": gettext_lazy("same kind of resource; no codes or descriptions to compare"),
    "quantity": gettext_lazy(
        "quantity: %(quantity)s %(unit)s/year exchangeable, %(have_share)s of the offer and %(want_share)s "
        "of the need"
    ),
    "road.transport": gettext_lazy(
        "%(km)s km by road: transport EUR %(cost)s a year (%(rate)s EUR per t.km)"
    ),
    "heat.network": gettext_lazy("%(km)s km of heat network"),
    "water.pipe": gettext_lazy("%(km)s km of pipe"),
    "road": gettext_lazy("%(km)s km by road"),
    "flag.heat_pump": gettext_lazy("needs a heat pump"),
    "flag.hazardous": gettext_lazy(
        "hazardous waste: transfer needs a permitted receiver and notification (EU Waste Framework Directive "
        "2008/98/EC, art. 17-19; regional waste regulations)"
    ),
    "flag.waste_status": gettext_lazy(
        "waste status: check end-of-waste or by-product criteria (Directive 2008/98/EC, art. 5-6)"
    ),
    "heat.unstated_have": gettext_lazy(
        "the offer states no temperature or power yet: whether the heat is hot enough is not checked"
    ),
    "heat.unstated_want": gettext_lazy(
        "the need states no temperature or power yet: whether the heat is hot enough is not checked"
    ),
    "flag.from_market": gettext_lazy(
        "read from a need or an offer under Needs & offers: confirm the figures with its owner"
    ),
}

# The quality attributes of helix.core.symbiosis.quality, in the reader's language.
QUALITY_LABELS = {
    "moisture_pct": gettext_lazy("Moisture"),
    "purity_pct": gettext_lazy("Purity"),
    "contamination_pct": gettext_lazy("Contamination (impurities)"),
    "temperature_c": gettext_lazy("Temperature"),
    "form": gettext_lazy("Physical form"),
}
LIMIT_LABELS = {
    "max": pgettext_lazy("quality limit", "at most"),
    "min": pgettext_lazy("quality limit", "at least"),
}


def quality_label(name: str) -> str:
    """An attribute's name as pages show it ("moisture_pct" -> "Moisture"); an unknown one as stored."""
    label = QUALITY_LABELS.get(name)
    return str(label) if label is not None else name


def quality_rows(quality: dict[str, Any]) -> list[tuple[str, str]]:
    """A flow's quality attributes as (label, value with its limit and unit), e.g. ("Moisture", "at
    most 15 %"), in the catalogue's order, then the others as stored."""
    from helix.core.symbiosis.quality import QUALITY_ATTRIBUTES, attribute_of

    order = {a.name: i for i, a in enumerate(QUALITY_ATTRIBUTES)}
    rows = []
    for key, value in (quality or {}).items():
        attribute, name, limit = attribute_of(key)
        shown = _format("value", value)
        if attribute is not None:
            shown = f"{shown} {attribute.unit}"
        if limit:
            shown = f"{LIMIT_LABELS[limit]} {shown}"
        rows.append((order.get(name, len(order)), quality_label(name), shown))
    return [(label, shown) for _order, label, shown in sorted(rows, key=lambda r: (r[0], r[1]))]


# Why a flow has no proposal (helix.core.symbiosis.unmatched.explain_unmatched), by code: the text for
# one counterpart and for several, and what to do. %(count)s counts the counterparts concerned.
UNMATCHED = {
    "no_counterpart": (
        gettext_lazy(
            "No organisation you may be paired with describes the opposite flow of this kind yet: "
            "nobody offers or wants it in reach of the matching."
        ),
        gettext_lazy(
            "Staff may know a company that could: ask them, or post it under Needs & offers as well."
        ),
    ),
    "would_match": (
        ngettext_lazy(
            "%(count)s counterpart fits (the nearest at %(km)s km).",
            "%(count)s counterparts fit (the nearest at %(km)s km).",
            "count",
        ),
        gettext_lazy(
            "The proposals appear once the matching has run again (it runs after every change); if "
            "they still do not, the offers went to needs they serve better."
        ),
    ),
    "too_far": (
        ngettext_lazy(
            "%(count)s counterpart is too far: the nearest at %(km)s km by road, beyond the %(limit)s km "
            "limit.",
            "%(count)s counterparts are too far: the nearest at %(km)s km by road, beyond the %(limit)s km "
            "limit.",
            "count",
        ),
        gettext_lazy("Raise the maximum road distance if the resource can travel further."),
    ),
    "unit_mismatch": (
        ngettext_lazy(
            "%(count)s counterpart is measured otherwise (%(units)s, yours in %(unit)s).",
            "%(count)s counterparts are measured otherwise (%(units)s, yours in %(unit)s).",
            "count",
        ),
        gettext_lazy("Give the quantity in a unit of the same kind (mass with mass, volume with volume)."),
    ),
    "hazardous": (
        ngettext_lazy(
            "%(count)s counterpart does not accept hazardous waste at its site.",
            "%(count)s counterparts do not accept hazardous waste at their sites.",
            "count",
        ),
        gettext_lazy("Only a site permitted for hazardous waste may receive it."),
    ),
    "not_same_time": (
        ngettext_lazy(
            "%(count)s counterpart is not available at the same time.",
            "%(count)s counterparts are not available at the same time.",
            "count",
        ),
        gettext_lazy("Check the dates from which and until which the flow is available."),
    ),
    "quality": (
        ngettext_lazy(
            "%(count)s counterpart does not meet a quality limit (%(names)s).",
            "%(count)s counterparts do not meet a quality limit (%(names)s).",
            "count",
        ),
        gettext_lazy("State the quality attributes, or relax the limits if you can."),
    ),
    "too_cold": (
        ngettext_lazy(
            "%(count)s counterpart is too cold, even with a heat pump.",
            "%(count)s counterparts are too cold, even with a heat pump.",
            "count",
        ),
        gettext_lazy("A heat pump lifts heat by at most 60 K here; check the supply temperatures."),
    ),
    "low_compatibility": (
        ngettext_lazy(
            "%(count)s counterpart looks too different (waste codes, industries or descriptions).",
            "%(count)s counterparts look too different (waste codes, industries or descriptions).",
            "count",
        ),
        gettext_lazy("A precise European List of Waste code and a description help the matching."),
    ),
    "same_organisation": (
        ngettext_lazy(
            "%(count)s counterpart is your own organisation's.",
            "%(count)s counterparts are your own organisation's.",
            "count",
        ),
        gettext_lazy("Exchanges are proposed between different organisations."),
    ),
    "closed": (
        gettext_lazy("The flow is closed: closed flows are not matched."),
        gettext_lazy("Set its status to active to have it matched again."),
    ),
}


def unmatched_texts(reasons: list[Any]) -> list[dict[str, str]]:
    """Reasons why a flow has no proposal (``code``, ``count``, ``args``) as {"text", "advice", "code"}
    in the reader's language; an unknown code is left out."""
    out = []
    for reason in reasons:
        message = UNMATCHED.get(reason.code)
        if message is None:
            continue
        text, advice = message
        args: dict[str, Any] = {k: _format(k, v) for k, v in reason.args.items()}
        args["count"] = reason.count  # a number: it chooses the plural
        names = args.get("names")
        if names:
            args["names"] = ", ".join(quality_label(n.strip()) for n in str(names).split(","))
        try:
            shown = str(text % args)
        except (KeyError, ValueError, TypeError):
            continue  # a translation that lost a placeholder: better no line than a wrong one
        out.append({"code": reason.code, "text": shown, "advice": str(advice)})
    return out
_SHARES = {"share", "have_share", "want_share"}
_WHOLE = {"quantity", "cost", "electricity", "mwh", "km", "limit"}


def _format(name: str, value: Any) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    if name in _SHARES:
        return f"{round(100 * value)}%"
    if name in _WHOLE:
        return number_format(round(value), 0, force_grouping=True)
    return number_format(value, 1 if value != int(value) else 0)


def translated(codes: list[Any], english: list[str]) -> list[str]:
    """The reasons (or flags) in the active language; English where a code is unknown."""
    if len(codes) != len(english):
        return list(english)
    out = []
    for (code, args), fallback in zip(codes, english, strict=True):
        message = MESSAGES.get(code)
        if message is None:
            out.append(fallback)
            continue
        try:
            out.append(str(message) % {k: _format(k, v) for k, v in (args or {}).items()})
        except (KeyError, ValueError, TypeError):
            out.append(fallback)
    return out
