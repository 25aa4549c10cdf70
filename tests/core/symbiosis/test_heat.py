"""Heat (helix.core.symbiosis.heat): a source serves a demand directly, through a heat pump, or not at all,
and says which."""

from __future__ import annotations

import pytest

from helix.core.symbiosis.heat import HeatFit, HeatSide, carnot_cop, heat_fit

pytestmark = pytest.mark.unit


# -- heat ------------------------------------------------------------------------------------------
def test_a_hot_source_serves_a_cooler_demand_directly() -> None:
    v = heat_fit(HeatSide(90, 60, 2.0, 8000), HeatSide(70, 40, 1.0, 6000))
    assert v.fit is HeatFit.DIRECT
    assert v.delivered_mwh == 6000  # the demand's 1 MW x 6000 h, less than the source's 16,000 MWh
    assert v.electricity_mwh == 0
    assert "direct" in v.reasons[0]


def test_a_60_degree_source_cannot_serve_a_90_degree_demand_without_a_heat_pump() -> None:
    v = heat_fit(HeatSide(60, 40, 1.0, 8000), HeatSide(90, 60, 1.0, 8000))
    assert v.fit is HeatFit.HEAT_PUMP
    assert "heat pump needed" in v.reasons[0]
    assert "60 °C cannot serve 90 °C directly" in v.reasons[0]
    # COP = 0.5 x Carnot between 55 °C and 95 °C
    expected_cop = 0.5 * (95 + 273.15) / 40
    assert v.cop == pytest.approx(expected_cop)
    assert v.electricity_mwh == pytest.approx(v.delivered_mwh / expected_cop)
    # the pump adds its electricity: the source's 8,000 MWh deliver more than 8,000 MWh
    assert v.delivered_mwh == pytest.approx(8000)  # capped by the demand
    assert v.usable


def test_the_approach_temperature_counts() -> None:
    # 72 °C is above a 70 °C demand but not by the 5 K a heat exchanger needs
    assert heat_fit(HeatSide(72, 50, 1, 1000), HeatSide(70, 40, 1, 1000)).fit is HeatFit.HEAT_PUMP
    assert heat_fit(HeatSide(75, 50, 1, 1000), HeatSide(70, 40, 1, 1000)).fit is HeatFit.DIRECT


def test_a_source_too_cold_for_any_heat_pump_is_refused() -> None:
    v = heat_fit(HeatSide(25, 15, 5, 8000), HeatSide(120, 80, 1, 8000))
    assert v.fit is HeatFit.TOO_COLD
    assert not v.usable
    assert v.delivered_mwh == 0
    assert "too cold" in v.reasons[0]


def test_heat_pump_delivery_is_limited_by_the_source() -> None:
    v = heat_fit(HeatSide(50, 30, 1.0, 1000), HeatSide(80, 50, 10.0, 8000))
    assert v.fit is HeatFit.HEAT_PUMP
    assert v.cop is not None
    assert v.delivered_mwh == pytest.approx(1000 * v.cop / (v.cop - 1))
    assert "covers" in v.reasons[1]


def test_carnot_cop() -> None:
    assert carnot_cop(40, 80) == pytest.approx(353.15 / 40)
    assert carnot_cop(80, 40) == float("inf")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((60, 70, 1, 100), "return temperature 70"),
        ((60, 40, -1, 100), "power must not be negative"),
        ((60, 40, 1, 9000), "8,760"),
        ((2000, 40, 1, 100), "out of range"),
    ],
)
def test_bad_heat_sides_are_refused(args: tuple[float, float, float, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        HeatSide(*args)
