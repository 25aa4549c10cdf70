"""Figures as the reader writes numbers, with their unit, in the active language."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from helix.core.insights import Unit
from helix.insights import labels

DECIMALS = {
    Unit.COUNT: 0,
    Unit.PERCENT: 1,
    Unit.EUR: 0,
    Unit.TONNES: 1,
    Unit.CO2E: 1,
    Unit.FTE: 2,
    Unit.RATIO: 2,
    Unit.YES_NO: 0,
}


def shown(value: Decimal | None, unit: Unit) -> str:
    """A figure as the reader writes numbers, with its unit ("1.234 EUR", "33,3 %", "yes")."""
    if value is None:
        return "–"
    if unit is Unit.YES_NO:
        return _("yes") if value else _("no")
    places = DECIMALS[unit]
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)  # number_format truncates
    number = formats.number_format(rounded, places, use_l10n=True, force_grouping=True)
    if unit is Unit.COUNT:
        return number
    return f"{number}\u00a0{labels.UNITS[unit]}"
