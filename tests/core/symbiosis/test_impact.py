"""The documented impact factors, the impact of an exchange, and the share of a proposal's impact a report
takes (helix.core.symbiosis.impact)."""

from __future__ import annotations

import pytest

from helix.core.symbiosis.impact import (
    DEFAULT_FACTORS,
    Factors,
    heat_impact,
    material_impact,
    reported_impact,
    water_impact,
)

pytestmark = pytest.mark.unit


def test_every_factor_has_a_unit_a_label_and_a_source() -> None:
    assert len({f.key for f in DEFAULT_FACTORS}) == len(DEFAULT_FACTORS)
    for f in DEFAULT_FACTORS:
        assert f.unit, f.key
        assert f.label, f.key
        assert len(f.source) > 20, f.key
        assert f.value >= 0


def test_material_impact_arithmetic() -> None:
    f = Factors()
    i = material_impact(200, 50, f, purchase_price_eur_per_t=10, treatment_cost_eur_per_t=5)
    assert i.tonnes_diverted == 200
    assert i.transport_cost_eur == pytest.approx(200 * 50 * 0.12)
    assert i.transport_co2e_t == pytest.approx(200 * 50 * 0.107 / 1000)
    assert i.co2e_avoided_t == pytest.approx(200 * 0.4 - 200 * 50 * 0.107 / 1000)
    assert i.money_saved_eur == pytest.approx(200 * (120 + 10 - 5) - 1200)
    own = material_impact(200, 50, f, disposal_cost_eur_per_t=60)
    assert own.money_saved_eur == pytest.approx(200 * 60 - 1200)


def test_heat_and_water_impact_arithmetic() -> None:
    f = Factors({"grid_kgco2e_per_mwh": 100})
    h = heat_impact(1000, 250, 2, f)
    assert h.co2e_avoided_t == pytest.approx((1000 * 203 - 250 * 100) / 1000)
    assert h.money_saved_eur == pytest.approx(1000 * 50 - 250 * 150 - 1000 * 2 * 1.5)
    w = water_impact(10000, 3, f, price_eur_per_m3=1.5)
    assert w.money_saved_eur == pytest.approx(15000 - 10000 * 3 * 0.05)
    total = h + w
    assert total.money_saved_eur == pytest.approx(h.money_saved_eur + w.money_saved_eur)
    assert h.scaled(0.5).energy_mwh == 500


def test_a_report_takes_the_estimate_in_the_share_of_the_proposed_quantity_unless_stated():
    estimate = {"co2e_avoided_t": 100.0, "money_saved_eur": 2000.0}
    assert reported_impact(50, 200, estimate) == (25.0, 500.0)
    assert reported_impact(50, 200, estimate, co2e_avoided_t=7.0) == (7.0, 500.0)
    assert reported_impact(50, None, estimate) == (0.0, 0.0)
