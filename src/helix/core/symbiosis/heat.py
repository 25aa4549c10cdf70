"""Does a residual-heat source serve a heat demand? Temperatures first, then power and hours.

Rules (each stated in the verdict's reasons):

* Heat flows downhill through a heat exchanger only: the source's supply temperature must exceed the
  demand's supply temperature by the exchanger's approach (``min_approach_k``, 5 K by default). Then
  the match is *direct*.
* A colder source can still serve the demand through a heat pump, if the lift is one a heat pump
  delivers (``max_lift_k``, 60 K by default). The verdict says so and estimates the pump's coefficient
  of performance as a fraction (``carnot_efficiency``, 0.5) of the Carnot COP between the source's
  supply temperature and the demand's supply temperature, and the electricity it needs.
* A larger lift is refused ("too cold").
* The energy that can be delivered per year is the smaller of the two sides' power x hours (a heat
  pump adds its electricity to the heat delivered: Q_delivered = Q_source x COP / (COP - 1)).

How much heat a flow holds (:func:`heat_amount`): an energy officer states it either as a *power*
(MW or kW: the capacity of the source or the peak of the demand) with the *operating hours* a year,
or as an *energy* per period (MWh, GJ ... per year, month ...), or both. What counts for matching is
the energy per year, in MWh:

* power and hours: power x hours (5 MW for 6,000 h is 30,000 MWh a year);
* energy per period: converted to MWh per year (2.5 GWh a month is 30,000 MWh a year); with a power
  as well, the power is the capacity and energy / power the full-load hours, which cannot exceed the
  operating hours (nor 8,760): 20,000 MWh a year from 5 MW is 4,000 full-load hours;
* energy alone: spread over the year (the average power, 8,760 hours).

A power given as the quantity (5 MW) is the same thing as the thermal power field; giving both with
different values is refused, as is a power without hours or energy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .units import Dimension, Quantity, energy_per_year, unit

KELVIN = 273.15


class HeatFit(StrEnum):
    DIRECT = "direct"
    HEAT_PUMP = "heat_pump"
    TOO_COLD = "too_cold"


@dataclass(frozen=True)
class HeatSide:
    supply_c: float  # °C: temperature at which the heat is offered / needed
    return_c: float | None  # °C: temperature at which the medium comes back
    power_mw: float
    hours_per_year: float

    def __post_init__(self) -> None:
        if not -50 <= self.supply_c <= 1500:
            raise ValueError(f"supply temperature {self.supply_c} °C is out of range")
        if self.return_c is not None and self.return_c > self.supply_c:
            raise ValueError(
                f"return temperature {self.return_c} °C is above the supply temperature {self.supply_c} °C"
            )
        if self.power_mw < 0:
            raise ValueError(f"power must not be negative ({self.power_mw} MW)")
        if not 0 <= self.hours_per_year <= 8760:
            raise ValueError(f"hours per year must lie between 0 and 8,760, not {self.hours_per_year}")

    @property
    def energy_mwh(self) -> float:
        return energy_per_year(self.power_mw, self.hours_per_year)


HOURS_PER_YEAR = 8760.0
_SAME = 1.01  # two figures of the same thing may differ by rounding (1 %)


class HeatAmountError(ValueError):
    """The figures of a heat flow do not give its energy per year. ``field`` names the figure to fix
    ("quantity", "power_mw", "hours_per_year"); ``code`` and ``args`` say why, for other languages."""

    def __init__(self, field: str, code: str, message: str, **args: float) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.args_ = args


@dataclass(frozen=True)
class HeatAmount:
    """A heat flow's amount, resolved: the power used for matching, the full-load hours a year and
    their product, the energy per year (MWh)."""

    power_mw: float
    hours_per_year: float
    stated_as: str  # "power": power x hours; "energy": an energy per period; "both"

    @property
    def energy_mwh(self) -> float:
        return self.power_mw * self.hours_per_year


def heat_amount(
    quantity: Quantity | None, power_mw: float | None, hours_per_year: float | None
) -> HeatAmount:
    """The energy per year of a heat flow from what its owner stated (see the module's rules);
    :class:`HeatAmountError` naming the figure where they do not give one or contradict each other."""
    if hours_per_year is not None and not 0 <= hours_per_year <= HOURS_PER_YEAR:
        raise HeatAmountError(
            "hours_per_year",
            "hours_range",
            f"hours per year must lie between 0 and 8,760, not {hours_per_year:g}",
        )
    if power_mw is not None and power_mw < 0:
        raise HeatAmountError("power_mw", "power_negative", f"power must not be negative ({power_mw:g} MW)")
    energy: float | None = None
    if quantity is not None:
        if quantity.dimension is Dimension.POWER:
            as_mw = quantity.value * _unit_to_base(quantity)
            if power_mw is not None and not _same(as_mw, power_mw):
                raise HeatAmountError(
                    "power_mw",
                    "power_twice",
                    f"the quantity says {as_mw:g} MW and the thermal power {power_mw:g} MW",
                    quantity=as_mw,
                    power=power_mw,
                )
            power_mw = as_mw
        elif quantity.dimension is Dimension.ENERGY:
            energy = quantity.per_year()
        else:
            raise HeatAmountError(
                "unit",
                "heat_unit",
                f"heat is measured as energy (MWh, GJ ...) or power (MW, kW), not {quantity.unit}",
            )
    if energy is None:
        if power_mw is None:
            raise HeatAmountError(
                "quantity",
                "heat_missing",
                "give the heat as power (MW, kW) with hours, or as energy per period",
            )
        if hours_per_year is None:
            raise HeatAmountError(
                "hours_per_year", "hours_missing", "a power needs its operating hours a year (or the energy)"
            )
        return HeatAmount(power_mw, hours_per_year, "power")
    if power_mw is None:
        hours = hours_per_year if hours_per_year else HOURS_PER_YEAR
        return HeatAmount(energy / hours if hours else 0.0, hours if energy else 0.0, "energy")
    capacity_hours = hours_per_year if hours_per_year is not None else HOURS_PER_YEAR
    if energy > power_mw * capacity_hours * _SAME:
        raise HeatAmountError(
            "quantity",
            "energy_above_capacity",
            f"{energy:,.0f} MWh a year is more than {power_mw:g} MW deliver in {capacity_hours:,.0f} hours "
            f"({power_mw * capacity_hours:,.0f} MWh)",
            energy=energy,
            power=power_mw,
            hours=capacity_hours,
            most=power_mw * capacity_hours,
        )
    if power_mw == 0:
        return HeatAmount(0.0, 0.0, "both")
    return HeatAmount(power_mw, min(energy / power_mw, capacity_hours), "both")


def _unit_to_base(quantity: Quantity) -> float:
    return unit(quantity.unit).to_base


def _same(a: float, b: float) -> bool:
    return max(a, b) <= min(a, b) * _SAME or abs(a - b) < 1e-9


@dataclass(frozen=True)
class HeatVerdict:
    fit: HeatFit
    cop: float | None  # heat pump only
    delivered_mwh: float  # per year, at the demand
    electricity_mwh: float  # per year, for the heat pump
    reasons: tuple[str, ...] = field(default_factory=tuple)
    # The same reasons as (code, arguments), for readers in other languages.
    codes: tuple[tuple[str, dict[str, float]], ...] = field(default_factory=tuple)

    @property
    def usable(self) -> bool:
        return self.fit is not HeatFit.TOO_COLD


def carnot_cop(source_c: float, sink_c: float) -> float:
    """The ideal heating COP lifting heat from ``source_c`` to ``sink_c`` (both °C)."""
    lift = sink_c - source_c
    if lift <= 0:
        return float("inf")
    return (sink_c + KELVIN) / lift


def heat_fit(
    source: HeatSide,
    demand: HeatSide,
    *,
    min_approach_k: float = 5.0,
    max_lift_k: float = 60.0,
    carnot_efficiency: float = 0.5,
) -> HeatVerdict:
    """How ``source`` can serve ``demand``: directly, with a heat pump, or not at all."""
    reasons: list[str] = []
    source_mwh = source.energy_mwh
    demand_mwh = demand.energy_mwh
    if source.supply_c >= demand.supply_c + min_approach_k:
        delivered = min(source_mwh, demand_mwh)
        reasons.append(
            f"direct: the source at {source.supply_c:g} °C is at least {min_approach_k:g} K above the "
            f"demand at {demand.supply_c:g} °C"
        )
        reasons.append(_share(delivered, demand_mwh))
        codes = (
            (
                "heat.direct",
                {"source": source.supply_c, "demand": demand.supply_c, "approach": min_approach_k},
            ),
            _share_code(delivered, demand_mwh),
        )
        return HeatVerdict(HeatFit.DIRECT, None, delivered, 0.0, tuple(reasons), codes)
    lift = demand.supply_c + min_approach_k - source.supply_c
    if lift > max_lift_k:
        reasons.append(
            f"too cold: lifting {source.supply_c:g} °C to {demand.supply_c:g} °C needs {lift:g} K, "
            f"more than the {max_lift_k:g} K a heat pump is assumed to deliver"
        )
        too_cold = {
            "source": source.supply_c,
            "demand": demand.supply_c,
            "lift": lift,
            "max_lift": max_lift_k,
        }
        return HeatVerdict(HeatFit.TOO_COLD, None, 0.0, 0.0, tuple(reasons), (("heat.too_cold", too_cold),))
    # Heat pump: evaporate at the source's temperature minus the approach, condense above the demand.
    cop = carnot_efficiency * carnot_cop(source.supply_c - min_approach_k, demand.supply_c + min_approach_k)
    cop = max(cop, 1.0 + 1e-6)
    from_source = source_mwh * cop / (cop - 1.0)  # heat delivered if the whole source is used
    delivered = min(from_source, demand_mwh)
    electricity = delivered / cop
    reasons = [
        f"heat pump needed: the source at {source.supply_c:g} °C cannot serve {demand.supply_c:g} °C "
        f"directly; a heat pump lifting it has an estimated COP of {cop:.1f} "
        f"({carnot_efficiency:g} x Carnot) and uses {electricity:,.0f} MWh of electricity a year"
    ]
    reasons.append(_share(delivered, demand_mwh))
    pump = {
        "source": source.supply_c,
        "demand": demand.supply_c,
        "cop": round(cop, 1),
        "carnot": carnot_efficiency,
        "electricity": electricity,
    }
    codes = (("heat.pump", pump), _share_code(delivered, demand_mwh))
    return HeatVerdict(HeatFit.HEAT_PUMP, cop, delivered, electricity, tuple(reasons), codes)


def _share_code(delivered: float, demand_mwh: float) -> tuple[str, dict[str, float]]:
    if demand_mwh <= 0:
        return ("heat.no_demand", {})
    return ("heat.covers", {"share": min(delivered / demand_mwh, 1.0), "mwh": demand_mwh})


def _share(delivered: float, demand_mwh: float) -> str:
    if demand_mwh <= 0:
        return "the demand states no energy"
    return f"covers {min(delivered / demand_mwh, 1.0):.0%} of the {demand_mwh:,.0f} MWh a year needed"
