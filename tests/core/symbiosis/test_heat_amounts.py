"""Residual heat stated as a power (MW, kW) with operating hours, or as an energy per period, or both:
every way gives the same energy a year, and figures that contradict each other are refused by name
(issue 12: a company describing its waste heat in MW was refused)."""

from __future__ import annotations

import pytest

from helix.core.symbiosis import (
    Direction,
    Flow,
    FlowKind,
    HeatAmountError,
    HeatSide,
    MatchOptions,
    Quantity,
    heat_amount,
    match,
)

pytestmark = pytest.mark.unit

GHENT = (51.054, 3.717)
EVERGEM = (51.11, 3.70)


@pytest.mark.parametrize(
    ("quantity", "power_mw", "hours", "expected_mwh", "expected_power"),
    [
        (None, 5.0, 6000.0, 30_000.0, 5.0),  # the thermal power field with its hours
        (Quantity(5, "MW"), None, 6000.0, 30_000.0, 5.0),  # the same power given as the quantity
        (Quantity(500, "kW"), None, 8000.0, 4_000.0, 0.5),  # kW converted to MW
        (Quantity(5, "MW"), 5.0, 6000.0, 30_000.0, 5.0),  # both, the same: accepted
        (Quantity(2.5, "GWh", "month"), None, None, 30_000.0, 30_000.0 / 8760),  # energy spread over the year
        (Quantity(108, "TJ", "year"), None, 6000.0, 30_000.0, 5.0),  # energy over its operating hours
        (Quantity(20_000, "MWh", "year"), 5.0, 6000.0, 20_000.0, 5.0),  # capacity + energy: 4,000 full-load h
    ],
)
def test_every_way_of_stating_heat_gives_its_energy_a_year(
    quantity: Quantity | None,
    power_mw: float | None,
    hours: float | None,
    expected_mwh: float,
    expected_power: float,
) -> None:
    amount = heat_amount(quantity, power_mw, hours)
    assert amount.energy_mwh == pytest.approx(expected_mwh)
    assert amount.power_mw == pytest.approx(expected_power)
    assert 0 <= amount.hours_per_year <= 8760


def test_capacity_and_energy_give_the_full_load_hours() -> None:
    amount = heat_amount(Quantity(20_000, "MWh", "year"), 5.0, 6000.0)
    assert (amount.power_mw, amount.hours_per_year, amount.stated_as) == (5.0, 4000.0, "both")


@pytest.mark.parametrize(
    ("quantity", "power_mw", "hours", "field", "code"),
    [
        (Quantity(50_000, "MWh", "year"), 5.0, 6000.0, "quantity", "energy_above_capacity"),
        (Quantity(50_000, "MWh", "year"), 5.0, None, "quantity", "energy_above_capacity"),  # > 8,760 h
        (Quantity(5, "MW"), 3.0, 6000.0, "power_mw", "power_twice"),
        (Quantity(5, "MW"), None, None, "hours_per_year", "hours_missing"),
        (None, 5.0, None, "hours_per_year", "hours_missing"),
        (None, None, 6000.0, "quantity", "heat_missing"),
        (None, 5.0, 9000.0, "hours_per_year", "hours_range"),
        (Quantity(10, "t"), None, None, "unit", "heat_unit"),
    ],
)
def test_figures_that_do_not_give_an_energy_are_refused_by_name(
    quantity: Quantity | None, power_mw: float | None, hours: float | None, field: str, code: str
) -> None:
    with pytest.raises(HeatAmountError) as info:
        heat_amount(quantity, power_mw, hours)
    assert (info.value.field, info.value.code) == (field, code)


def test_a_heat_flow_may_be_measured_in_megawatts() -> None:
    amount = heat_amount(Quantity(3, "MW"), None, 8000)
    flow = Flow(
        "h",
        Direction.HAVE,
        FlowKind.HEAT,
        "o",
        *GHENT,
        quantity=Quantity(3, "MW"),
        heat=HeatSide(95, 60, amount.power_mw, amount.hours_per_year),
    )
    assert flow.per_year == pytest.approx(24_000.0)


def test_a_source_in_mw_and_a_demand_in_gwh_are_compared_in_mwh_a_year() -> None:
    source = heat_amount(Quantity(3, "MW"), None, 8000)  # 24,000 MWh
    demand = heat_amount(Quantity(10, "GWh", "year"), None, 5000)  # 10,000 MWh, 2 MW for 5,000 h
    flows = [
        Flow("src", Direction.HAVE, FlowKind.HEAT, "a", *GHENT, heat=HeatSide(95, 60, source.power_mw, 8000)),
        Flow(
            "dem",
            Direction.WANT,
            FlowKind.HEAT,
            "b",
            *EVERGEM,
            quantity=Quantity(10, "GWh", "year"),
            heat=HeatSide(70, 40, demand.power_mw, demand.hours_per_year),
        ),
    ]
    [proposal] = match(flows, options=MatchOptions()).proposals
    assert (proposal.unit, proposal.quantity) == ("MWh", pytest.approx(10_000.0))
    assert proposal.want_share == pytest.approx(1.0)
