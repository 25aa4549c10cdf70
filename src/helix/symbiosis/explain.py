"""A proposal's reasons and flags in the reader's language.

helix.core.symbiosis.matching gives each reason in English and again as a code with its arguments;
pages say the same through these translated messages. A code missing here, or a translation that lost
a placeholder, falls back to the English text.
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

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
}
_SHARES = {"share", "have_share", "want_share"}
_WHOLE = {"quantity", "cost", "electricity", "mwh", "km"}


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
