"""Integration: a flow is validated field by field (helix.symbiosis.validation): codes stored normalised,
hazardous codes marking the flow, numbers that are not one or out of their physical range refused, and
heat stated as a power (MW) with its hours counted as an energy a year, contradicting figures refused under
the right field."""

from __future__ import annotations

import math

import pytest
from django.core.exceptions import ValidationError

from helix.symbiosis import (
    validation,
    visibility,
)
from helix.symbiosis.models import ResourceFlow
from tests.symbiosis.helpers import flow, world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_flow_errors_name_their_fields() -> None:
    w = world()
    bad = ResourceFlow(
        organisation=w.steel,
        site=w.steel.sites.first(),
        direction="have",
        kind="material",
        title="x",
        ewc_code="99 99 99",
        quantity=10,
        unit="MWh",
    )
    with pytest.raises(ValidationError) as info:
        bad.full_clean()
    errors = info.value.message_dict
    assert "is not an entry of the European List of Waste" in errors["ewc_code"][0]
    assert "measured in mass, volume, not in MWh" in errors["unit"][0]
    heat = ResourceFlow(
        organisation=w.chem,
        site=w.chem.sites.first(),
        direction="have",
        kind="heat",
        title="h",
        supply_temperature_c=50,
        return_temperature_c=70,
        hours_per_year=9000,
    )
    with pytest.raises(ValidationError) as info:
        heat.full_clean()
    errors = info.value.message_dict
    # no power and no energy: the heat is not stated (under the quantity, where power or energy goes)
    assert set(errors) >= {"quantity", "hours_per_year", "return_temperature_c"}
    assert "as a power (MW or kW" in errors["quantity"][0]
    other_site = ResourceFlow(
        organisation=w.steel,
        site=w.cement.sites.first(),
        direction="want",
        kind="water",
        title="w",
        quantity=5,
        unit="m3",
    )
    with pytest.raises(ValidationError, match="another organisation"):
        other_site.full_clean()


def test_codes_are_stored_normalised_and_hazardous_codes_mark_the_flow() -> None:
    w = world()
    assert w.slag.ewc_code == "100202"
    assert w.secret.ewc_code == "070104"
    assert w.secret.hazardous


def heat_fields(**overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "direction": "have",
        "kind": "heat",
        "title": "Furnace cooling heat",
        "supply_temperature_c": 90,
        "confidentiality": "members",
    }
    fields.update(overrides)
    return fields


def test_waste_heat_described_in_megawatts_is_accepted_and_counted_in_mwh_a_year() -> None:
    w = world()
    megawatts = flow(w.steel, **heat_fields(quantity=5, unit="MW", hours_per_year=6000))
    shown = visibility.flow_public_dict(w.steel_user, megawatts)
    assert (shown["per_year"], shown["base_unit"]) == (30_000.0, "MWh")
    kilowatts = flow(w.cement, **heat_fields(quantity=800, unit="kW", hours_per_year=5000))
    assert visibility.flow_public_dict(w.cement_user, kilowatts)["per_year"] == pytest.approx(4_000.0)
    energy = flow(w.grower, **heat_fields(quantity=2.5, unit="GWh", period="month"))
    assert visibility.flow_public_dict(w.staff, energy)["per_year"] == pytest.approx(30_000.0)


def test_heat_figures_that_contradict_each_other_are_refused_under_the_right_field() -> None:
    w = world()
    too_much = ResourceFlow(
        organisation=w.steel,
        site=w.steel.sites.first(),
        **heat_fields(quantity=50_000, unit="MWh", power_mw=5, hours_per_year=6000),
    )
    with pytest.raises(ValidationError) as info:
        too_much.full_clean()
    assert info.value.message_dict == {
        "quantity": [
            "50,000 MWh a year is more than 5 MW deliver in 6,000 hours (30,000 MWh): check the quantity, "
            "the power or the hours."
        ]
    }
    without_hours = ResourceFlow(
        organisation=w.steel, site=w.steel.sites.first(), **heat_fields(quantity=5, unit="MW")
    )
    with pytest.raises(ValidationError) as info:
        without_hours.full_clean()
    assert list(info.value.message_dict) == ["hours_per_year"]


FLOW_CASES = [
    ({"quantity": math.nan}, {"quantity": ["Give a number from -1e+15 to 1e+15."]}),
    ({"quantity": 1e308}, {"quantity": ["Give a number from -1e+15 to 1e+15."]}),
    (
        {"disposal_cost_eur_per_unit": -math.inf},
        {"disposal_cost_eur_per_unit": ["Give a number from -1e+15 to 1e+15."]},
    ),
    ({"max_distance_km": -5.0}, {"max_distance_km": ["Give a number from 0 to 1e+15."]}),
    (
        {"quality": {"moisture_pct": math.nan}},
        {"quality": ['Give numbers by name, e.g. {"moisture_pct": 12}.']},
    ),
    ({"quality": {"moisture_pct": 1e300}}, {"quality": ['Give numbers by name, e.g. {"moisture_pct": 12}.']}),
]


def test_a_flow_with_a_number_that_is_not_one_or_out_of_range_is_refused():
    w = world()
    for fields, errors in FLOW_CASES:
        flow = ResourceFlow.objects.get(pk=w.slag.pk)
        for name, value in fields.items():
            setattr(flow, name, value)

        with pytest.raises(ValidationError) as refused:
            validation.validate_flow(flow)

        assert refused.value.message_dict == errors


def test_a_heat_flow_below_absolute_zero_is_refused():
    w = world()
    flow = ResourceFlow.objects.get(pk=w.heat.pk)
    flow.supply_temperature_c, flow.return_temperature_c = -300.0, -400.0

    with pytest.raises(ValidationError) as refused:
        validation.validate_flow(flow)

    assert refused.value.message_dict == {
        "supply_temperature_c": ["Give a number from -273.15 to 1e+15."],
        "return_temperature_c": ["Give a number from -273.15 to 1e+15."],
    }
