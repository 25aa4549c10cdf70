"""Units and periods (helix.core.symbiosis.units): conversions, and the refusals that keep tonnes from being
compared with MWh."""

from __future__ import annotations

import pytest

from helix.core.symbiosis.units import (
    Dimension,
    Quantity,
    UnitError,
    UnitMismatch,
    energy_per_year,
    same_dimension,
    to_mass,
    unit,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("quantity", "target", "period", "expected"),
    [
        (Quantity(100, "t", "month"), "t", "year", 1200.0),
        (Quantity(2500, "kg", "day"), "t", "year", 912.5),
        (Quantity(3.6, "GJ", "year"), "MWh", "year", 1.0),
        (Quantity(1, "GWh", "year"), "kWh", "month", 1_000_000 / 12),
        (Quantity(52, "t", "week"), "kt", "year", 2.704),
        (Quantity(500, "l", "hour"), "m3", "year", 4380.0),
    ],
)
def test_conversions(quantity: Quantity, target: str, period: str, expected: float) -> None:
    assert quantity.to(target, period) == pytest.approx(expected)


def test_per_year_is_in_the_base_unit_of_the_dimension() -> None:
    assert Quantity(2, "kt", "quarter").per_year() == pytest.approx(8000.0)
    assert Quantity(500, "kWh", "day").per_year() == pytest.approx(182.5)
    assert Quantity(2, "kt").dimension is Dimension.MASS


def test_tonnes_are_never_compared_with_megawatt_hours() -> None:
    with pytest.raises(UnitMismatch, match=r"t \(mass\) to MWh \(energy\)"):
        Quantity(10, "t").to("MWh")
    with pytest.raises(UnitMismatch, match=r"cannot compare t \(mass\) with MWh \(energy\)"):
        same_dimension(Quantity(10, "t"), Quantity(10, "MWh"))
    with pytest.raises(UnitMismatch):
        Quantity(10, "m3").to("t")  # volume is not mass without a density


def test_volume_to_mass_needs_an_explicit_density() -> None:
    assert to_mass(Quantity(100, "m3", "month"), 1.2).per_year() == pytest.approx(1440.0)
    with pytest.raises(UnitError, match="density must be positive"):
        to_mass(Quantity(1, "m3"), 0)
    with pytest.raises(UnitMismatch):
        to_mass(Quantity(1, "t"), 1.0)


@pytest.mark.parametrize(
    ("value", "symbol", "period", "message"),
    [
        (-1, "t", "year", "must not be negative"),
        (1, "furlongs", "year", "unknown unit 'furlongs'"),
        (1, "t", "fortnight", "unknown period 'fortnight'"),
        (float("nan"), "t", "year", "must be a number"),
    ],
)
def test_bad_quantities_are_refused_with_the_field(
    value: float, symbol: str, period: str, message: str
) -> None:
    with pytest.raises(UnitError, match=message):
        Quantity(value, symbol, period)


def test_unit_spellings_are_forgiven() -> None:
    assert unit("tonnes").symbol == "t"
    assert unit("mwh").symbol == "MWh"
    assert unit("m³").symbol == "m3"


def test_energy_from_power_and_hours() -> None:
    assert energy_per_year(2.5, 6000) == 15000
    with pytest.raises(UnitError, match="8,760"):
        energy_per_year(1, 9000)
