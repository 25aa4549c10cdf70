"""The rules of a flow's fields at the app's edge: :func:`validate_flow` asks the core
(:func:`helix.core.symbiosis.validation.flow_problems`) and says its coded problems in the reader's
language, under each field's name. ``ResourceFlow.clean`` calls it: this module imports no service.

It also says the number ranges the services check (impact factors, allocation costs, reports).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from helix.core.symbiosis.validation import FlowProblem, flow_problems
from helix.core.symbiosis.validation import in_range as core_in_range
from helix.params import LARGEST
from helix.symbiosis.convert import flow_fields
from helix.symbiosis.explain import quality_label
from helix.symbiosis.models import ResourceFlow


def validate_flow(flow: ResourceFlow) -> None:
    """Field errors of a flow, each under its field's name; sets derived fields (code, hazardous)."""
    check = flow_problems(flow_fields(flow), largest=LARGEST)
    flow.ewc_code = check.ewc_code
    flow.hazardous = check.hazardous
    if check.problems:
        raise ValidationError(
            {name: [problem_text(p, flow) for p in problems] for name, problems in check.problems.items()}
        )


def problem_text(problem: FlowProblem, flow: ResourceFlow) -> str:
    """A problem of a flow's fields in the reader's language (its English text where the code is new)."""
    code, params = problem.code, problem.params
    if code.startswith("heat_amount."):
        return heat_amount_text(code.removeprefix("heat_amount."), params, problem.text)
    if code == "number.range":
        return number_range_text(float(params["low"]))  # type: ignore[arg-type]
    if code == "unit.invalid":
        return str(params["message"])
    if code == "ewc.unknown":
        return _("%(code)s is not an entry of the European List of Waste.") % {"code": params["code"]}
    if code == "unit.dimension":
        return _("A %(kind)s flow is measured in %(allowed)s, not in %(unit)s.") % {
            "kind": flow.get_kind_display().lower(),
            "allowed": params["allowed"],
            "unit": params["unit"],
        }
    if code == "quality.range":
        return _("%(attribute)s: give a number from %(low)s to %(high)s %(unit)s.") % {
            "attribute": quality_label(str(params["attribute"])),
            "low": f"{params['low']:g}",
            "high": f"{params['high']:g}",
            "unit": params["unit"],
        }
    messages = {
        "site.elsewhere": _("The site belongs to another organisation."),
        "site.unlocated": _("The site has no coordinates; add its latitude and longitude first."),
        "ewc.missing": _("An offered waste or by-product needs its European List of Waste code."),
        "unit.missing": _("Give the unit of the quantity."),
        "heat.supply_missing": _("Needed for residual heat."),
        "heat.hours_range": _("Between 0 and 8,760 hours."),
        "heat.return_above_supply": _("The return temperature is above the supply temperature."),
        "heat.power_negative": _("Power cannot be negative."),
        "quantity.missing": _("Give the quantity (and its unit and period)."),
        "quantity.negative": _("A quantity cannot be negative."),
        "window.reversed": _("Ends before it starts."),
        "quality.not_numbers": _('Give numbers by name, e.g. {"moisture_pct": 12}.'),
    }
    return messages.get(code, problem.text)


def heat_amount_text(code: str, args: Mapping[str, Any], fallback: str) -> str:
    """Why the figures of a heat flow do not give its energy a year (a
    :class:`~helix.core.symbiosis.HeatAmountError`'s code and arguments), in the reader's language."""
    numbers = {k: f"{v:,.0f}" if abs(v) >= 100 else f"{v:g}" for k, v in args.items()}
    messages = {
        "hours_range": _("Between 0 and 8,760 hours."),
        "power_negative": _("Power cannot be negative."),
        "power_twice": _(
            "The quantity gives %(quantity)s MW and the thermal power %(power)s MW: give the power once, "
            "or the same in both."
        ),
        "heat_unit": _("Heat is measured as energy (MWh, GJ …) or as power (MW, kW)."),
        "heat_missing": _(
            "Give the heat as a power (MW or kW, with the hours per year) or as an energy per period "
            "(MWh, GJ …)."
        ),
        "hours_missing": _(
            "A power needs its operating hours per year (or give the energy per year as the quantity)."
        ),
        "energy_above_capacity": _(
            "%(energy)s MWh a year is more than %(power)s MW deliver in %(hours)s hours (%(most)s MWh): "
            "check the quantity, the power or the hours."
        ),
    }
    message = messages.get(code)
    return message % numbers if message is not None else fallback


def in_range(value: Any, low: float = -LARGEST, high: float = LARGEST) -> bool:
    """``value`` is a finite number from ``low`` to ``high`` (by default: any within helix.params.LARGEST)."""
    return core_in_range(value, low, high)


def number_range_text(low: float, high: float = LARGEST) -> str:
    return _("Give a number from %(low)s to %(high)s.") % {"low": f"{low:g}", "high": f"{high:g}"}
