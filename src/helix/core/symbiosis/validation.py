"""The rules a resource flow's fields must keep before it is saved, as coded problems.

:func:`flow_problems` reads a flow's fields as plain data (:class:`FlowFields`) and returns a
:class:`FlowCheck`: the problems under each field's name, each a code with its arguments and an English
text (as the match reasons are), plus the fields the rules derive (the normalised waste code, hazardous
where the List of Waste says so). The app translates the codes at its edge; the rules are here once.

A flow read from a need or an offer of the market (``from_market``) is provisional: its figures may be
missing, and a waste code is for its owner to add.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from .ewc import UnknownWasteCode, normalise_code, waste_list
from .flows import KIND_DIMENSIONS, FlowKind
from .heat import HeatAmountError, heat_amount
from .quality import out_of_range
from .units import Quantity, UnitError, unit

# The number fields of a flow and the least each may be; None: the negative of the largest magnitude
# (NaN, Infinity and magnitudes beyond it are refused for all: one flow's 1e308 would make every total
# infinite).
FLOW_NUMBERS: dict[str, float | None] = {
    "quantity": None,
    "supply_temperature_c": -273.15,
    "return_temperature_c": -273.15,
    "power_mw": None,
    "hours_per_year": None,
    "max_distance_km": 0.0,
    "disposal_cost_eur_per_unit": None,
    "price_eur_per_unit": None,
    "treatment_cost_eur_per_unit": None,
}


@dataclass(frozen=True)
class FlowProblem:
    name: str  # the field's
    code: str
    params: dict[str, object] = field(default_factory=dict)
    text: str = ""  # English, for readers without a translation of ``code``


@dataclass
class FlowFields:
    """A flow's fields as its form or the API gives them (numbers unchecked: any value may come)."""

    direction: str
    kind: str
    ewc_code: str = ""
    hazardous: bool = False
    from_market: bool = False
    site_elsewhere: bool = False  # the site belongs to another organisation
    site_unlocated: bool = False  # the site has no coordinates
    quantity: float | None = None
    unit: str = ""
    period: str = ""
    supply_temperature_c: float | None = None
    return_temperature_c: float | None = None
    power_mw: float | None = None
    hours_per_year: float | None = None
    max_distance_km: float | None = None
    disposal_cost_eur_per_unit: float | None = None
    price_eur_per_unit: float | None = None
    treatment_cost_eur_per_unit: float | None = None
    available_from: date | None = None
    available_until: date | None = None
    quality: object = field(default_factory=dict)  # numbers by name; anything may come


class _Problems(dict[str, list[FlowProblem]]):
    """Problems by field name, in the order they were found."""

    def add(self, name: str, code: str, text: str, /, **params: object) -> None:
        self.setdefault(name, []).append(FlowProblem(name, code, params, text))


@dataclass
class FlowCheck:
    problems: dict[str, list[FlowProblem]]
    ewc_code: str  # normalised where the code is an entry of the List of Waste
    hazardous: bool


def in_range(value: object, low: float, high: float) -> bool:
    """``value`` is a finite number from ``low`` to ``high``."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return math.isfinite(number) and low <= number <= high


def flow_problems(flow: FlowFields, *, largest: float) -> FlowCheck:
    """What is wrong with ``flow``, field by field, in the order a reader fixes it; numbers beyond
    ``largest`` in magnitude are refused."""
    problems = _Problems()
    add = problems.add
    ewc_code, hazardous = flow.ewc_code, flow.hazardous
    if flow.site_elsewhere:
        add("site", "site.elsewhere", "the site belongs to another organisation")
    elif flow.site_unlocated:
        add("site", "site.unlocated", "the site has no coordinates")
    if flow.ewc_code:
        try:
            code = normalise_code(flow.ewc_code)
            entry = waste_list().get(code)
            if entry.level != 3:
                raise UnknownWasteCode(code)
            ewc_code = code
            if entry.hazardous and flow.direction == "have":
                hazardous = True
        except UnknownWasteCode:
            text = f"{flow.ewc_code} is not an entry of the European List of Waste"
            add("ewc_code", "ewc.unknown", text, code=flow.ewc_code)
    from_market = flow.from_market  # a code is then for its owner to add
    offered_material = flow.kind == FlowKind.MATERIAL.value and flow.direction == "have"
    if offered_material and not ewc_code and not from_market:
        add("ewc_code", "ewc.missing", "an offered waste or by-product needs its List of Waste code")
    if flow.quantity is not None:
        if not flow.unit:
            add("unit", "unit.missing", "the unit of the quantity is missing")
        else:
            try:
                dimension = unit(flow.unit).dimension
                allowed = KIND_DIMENSIONS[FlowKind(flow.kind)]
                if dimension not in allowed:
                    names = ", ".join(d.value for d in allowed)
                    text = f"a {flow.kind} flow is measured in {names}, not in {flow.unit}"
                    add("unit", "unit.dimension", text, kind=flow.kind, allowed=names, unit=flow.unit)
            except (UnitError, ValueError) as exc:
                add("unit", "unit.invalid", str(exc), message=str(exc))
    provisional = from_market  # figures may be missing
    if flow.kind == FlowKind.HEAT.value:
        _heat_problems(flow, provisional, problems)
    elif flow.kind and flow.quantity is None and not provisional:
        add("quantity", "quantity.missing", "the quantity is missing")
    if flow.quantity is not None and flow.quantity < 0:
        add("quantity", "quantity.negative", "a quantity cannot be negative")
    if flow.available_from and flow.available_until and flow.available_until < flow.available_from:
        add("available_until", "window.reversed", "ends before it starts")
    _quality_problems(flow.quality, largest, problems)
    for name, least in FLOW_NUMBERS.items():
        value = getattr(flow, name)
        low = -largest if least is None else least
        if value is not None and not in_range(value, low, largest):
            problems.pop(name, None)  # a number that is not one makes the field's other checks moot
            add(name, "number.range", f"give a number from {low:g} to {largest:g}", low=low, high=largest)
    return FlowCheck(dict(problems), ewc_code, hazardous)


def _heat_problems(flow: FlowFields, provisional: bool, problems: _Problems) -> None:
    add = problems.add
    if flow.supply_temperature_c is None and not provisional:
        add("supply_temperature_c", "heat.supply_missing", "needed for residual heat")
    hours = flow.hours_per_year
    if hours is not None and not 0 <= hours <= 8760:
        add("hours_per_year", "heat.hours_range", "between 0 and 8,760 hours")
    supply, back = flow.supply_temperature_c, flow.return_temperature_c
    if supply is not None and back is not None and back > supply:
        add("return_temperature_c", "heat.return_above_supply", "the return is above the supply temperature")
    if flow.power_mw is not None and flow.power_mw < 0:
        add("power_mw", "heat.power_negative", "power cannot be negative")
    elif "unit" not in problems:
        stated = flow.quantity is not None or flow.power_mw is not None
        hours = None if "hours_per_year" in problems else flow.hours_per_year  # said already
        if stated or not provisional:
            try:
                heat_amount(heat_quantity(flow), flow.power_mw, hours)
            except HeatAmountError as exc:
                if exc.field not in problems:
                    add(exc.field, f"heat_amount.{exc.code}", str(exc), **exc.args_)
            except (UnitError, ValueError):
                pass  # a quantity that is not one: its own check says so


def heat_quantity(flow: FlowFields) -> Quantity | None:
    """The quantity of a heat flow as :func:`heat_amount` reads it (None where none is stated)."""
    if flow.quantity is None or not flow.unit:
        return None
    return Quantity(flow.quantity, flow.unit, flow.period or "year")


def _quality_problems(quality: object, largest: float, problems: _Problems) -> None:
    add = problems.add
    if not isinstance(quality, dict) or not all(
        isinstance(k, str)
        and isinstance(v, int | float)
        and not isinstance(v, bool)
        and in_range(v, -largest, largest)
        for k, v in quality.items()
    ):
        add("quality", "quality.not_numbers", 'give numbers by name, e.g. {"moisture_pct": 12}')
        return
    for key, value in sorted(quality.items()):
        attribute = out_of_range(key, value)
        if attribute is not None:
            low, high = f"{attribute.low:g}", f"{attribute.high:g}"
            text = f"{attribute.name}: give a number from {low} to {high} {attribute.unit}"
            add(
                "quality",
                "quality.range",
                text,
                attribute=attribute.name,
                low=attribute.low,
                high=attribute.high,
                unit=attribute.unit,
            )


__all__ = [
    "FLOW_NUMBERS",
    "FlowCheck",
    "FlowFields",
    "FlowProblem",
    "flow_problems",
    "heat_quantity",
    "in_range",
]
