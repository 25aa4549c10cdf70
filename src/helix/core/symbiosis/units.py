"""Quantities of resource flows: units, periods and the conversions between them.

A flow's quantity is a number, a unit and a period ("1,200 t per year", "35 MWh per month"). Matching
and allocation compare quantities per year in the base unit of their *dimension* (mass in tonnes,
volume in cubic metres, energy in megawatt-hours, ...). Two quantities of different dimensions are
never compared: tonnes are not megawatt-hours, and :class:`UnitMismatch` says so.

Mass and volume are different dimensions too. A density (t/m3) given explicitly converts one into the
other (:func:`to_mass`); nothing guesses one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Dimension(StrEnum):
    MASS = "mass"
    VOLUME = "volume"
    ENERGY = "energy"
    POWER = "power"
    COUNT = "count"  # pallets, trucks, people, test days: whole things
    AREA = "area"


class UnitError(ValueError):
    """A unit or period that Helix does not know, or a quantity that cannot be one."""


class UnitMismatch(UnitError):
    """Two quantities of different dimensions were compared or converted."""


@dataclass(frozen=True)
class Unit:
    symbol: str
    dimension: Dimension
    to_base: float  # multiply by this to get the dimension's base unit
    label: str


_UNITS: tuple[Unit, ...] = (
    Unit("t", Dimension.MASS, 1.0, "tonnes"),
    Unit("kg", Dimension.MASS, 0.001, "kilograms"),
    Unit("kt", Dimension.MASS, 1000.0, "kilotonnes"),
    Unit("m3", Dimension.VOLUME, 1.0, "cubic metres"),
    Unit("l", Dimension.VOLUME, 0.001, "litres"),
    Unit("Nm3", Dimension.VOLUME, 1.0, "normal cubic metres (gas)"),
    Unit("MWh", Dimension.ENERGY, 1.0, "megawatt-hours"),
    Unit("kWh", Dimension.ENERGY, 0.001, "kilowatt-hours"),
    Unit("GWh", Dimension.ENERGY, 1000.0, "gigawatt-hours"),
    Unit("GJ", Dimension.ENERGY, 1.0 / 3.6, "gigajoules"),
    Unit("TJ", Dimension.ENERGY, 1000.0 / 3.6, "terajoules"),
    Unit("kW", Dimension.POWER, 0.001, "kilowatts"),
    Unit("MW", Dimension.POWER, 1.0, "megawatts"),
    Unit("pcs", Dimension.COUNT, 1.0, "pieces"),
    Unit("FTE", Dimension.COUNT, 1.0, "full-time equivalents"),
    Unit("trucks", Dimension.COUNT, 1.0, "truckloads"),
    Unit("pallets", Dimension.COUNT, 1.0, "pallet places"),
    Unit("days", Dimension.COUNT, 1.0, "days of use"),
    Unit("m2", Dimension.AREA, 1.0, "square metres"),
)
UNITS: dict[str, Unit] = {u.symbol: u for u in _UNITS}
_ALIASES = {
    "ton": "t",
    "tons": "t",
    "tonne": "t",
    "tonnes": "t",
    "tonnen": "t",
    "m³": "m3",
    "nm3": "Nm3",
    "mwh": "MWh",
    "kwh": "kWh",
    "gwh": "GWh",
    "gj": "GJ",
    "tj": "TJ",
    "kw": "kW",
    "mw": "MW",
    "liter": "l",
    "litre": "l",
    "litres": "l",
    "liters": "l",
    "m²": "m2",
    "fte": "FTE",
}
BASE_UNIT: dict[Dimension, str] = {
    Dimension.MASS: "t",
    Dimension.VOLUME: "m3",
    Dimension.ENERGY: "MWh",
    Dimension.POWER: "MW",
    Dimension.COUNT: "pcs",
    Dimension.AREA: "m2",
}

# How many of each period make a year. "once" is a one-off lot: it counts as its quantity in the year.
PERIODS: dict[str, float] = {
    "year": 1.0,
    "quarter": 4.0,
    "month": 12.0,
    "week": 52.0,
    "day": 365.0,
    "hour": 8760.0,
    "once": 1.0,
}


def unit(symbol: str) -> Unit:
    """The unit called ``symbol`` (case and a few spellings forgiven), or :class:`UnitError`."""
    key = symbol.strip()
    found = UNITS.get(key) or UNITS.get(_ALIASES.get(key.lower(), ""))
    if found is None:
        raise UnitError(f"unknown unit {symbol!r}; use one of {', '.join(UNITS)}")
    return found


def period_factor(period: str) -> float:
    try:
        return PERIODS[period.strip().lower()]
    except KeyError:
        raise UnitError(f"unknown period {period!r}; use one of {', '.join(PERIODS)}") from None


@dataclass(frozen=True)
class Quantity:
    """``value`` ``unit`` per ``period``, e.g. ``Quantity(1200, "t", "year")``."""

    value: float
    unit: str
    period: str = "year"

    def __post_init__(self) -> None:
        if not isinstance(self.value, int | float) or self.value != self.value:
            raise UnitError(f"quantity must be a number, not {self.value!r}")
        if self.value < 0:
            raise UnitError(f"quantity must not be negative ({self.value})")
        unit(self.unit)
        period_factor(self.period)

    @property
    def dimension(self) -> Dimension:
        return unit(self.unit).dimension

    def per_year(self) -> float:
        """The quantity per year, in the base unit of its dimension."""
        return self.value * unit(self.unit).to_base * period_factor(self.period)

    def to(self, symbol: str, period: str = "year") -> float:
        """The value in ``symbol`` per ``period``; :class:`UnitMismatch` across dimensions."""
        target = unit(symbol)
        if target.dimension is not self.dimension:
            raise UnitMismatch(
                f"cannot convert {self.unit} ({self.dimension.value}) to {target.symbol} "
                f"({target.dimension.value})"
            )
        return self.per_year() / target.to_base / period_factor(period)

    def __str__(self) -> str:
        return f"{self.value:g} {self.unit}/{self.period}"


def same_dimension(a: Quantity, b: Quantity) -> Dimension:
    """The dimension both quantities share, or :class:`UnitMismatch` naming both."""
    if a.dimension is not b.dimension:
        raise UnitMismatch(
            f"cannot compare {a.unit} ({a.dimension.value}) with {b.unit} ({b.dimension.value})"
        )
    return a.dimension


def to_mass(q: Quantity, density_t_per_m3: float) -> Quantity:
    """A volume as tonnes per year, with an explicit density (t/m3)."""
    if q.dimension is not Dimension.VOLUME:
        raise UnitMismatch(f"only a volume converts to mass with a density, not {q.unit}")
    if not density_t_per_m3 > 0:
        raise UnitError(f"density must be positive, not {density_t_per_m3}")
    return Quantity(q.per_year() * density_t_per_m3, "t", "year")


def energy_per_year(power_mw: float, hours_per_year: float) -> float:
    """MWh per year delivered by ``power_mw`` running ``hours_per_year`` hours (at most 8,760)."""
    if power_mw < 0:
        raise UnitError(f"power must not be negative ({power_mw} MW)")
    if not 0 <= hours_per_year <= 8760:
        raise UnitError(f"hours per year must lie between 0 and 8,760, not {hours_per_year}")
    return power_mw * hours_per_year
