"""Unit: the rules of a flow's fields (helix.core.symbiosis.validation) return coded problems by field."""

from __future__ import annotations

import math

import pytest

from helix.core.symbiosis.validation import FlowFields, flow_problems

pytestmark = pytest.mark.unit


LARGEST = 1e15


def codes(fields: FlowFields) -> dict[str, list[str]]:
    check = flow_problems(fields, largest=LARGEST)
    return {name: [p.code for p in problems] for name, problems in check.problems.items()}


def test_an_offered_material_with_its_quantity_and_code_is_valid_and_its_code_normalised():
    fields = FlowFields("have", "material", ewc_code="10 02 02", quantity=3000, unit="t", period="year")
    check = flow_problems(fields, largest=LARGEST)
    assert (check.problems, check.ewc_code, check.hazardous) == ({}, "100202", False)


def test_an_offered_material_needs_its_waste_code_unless_read_from_the_market():
    fields = FlowFields("have", "material", quantity=3000, unit="t", period="year")
    assert codes(fields) == {"ewc_code": ["ewc.missing"]}
    fields.from_market = True
    assert codes(fields) == {}


def test_a_quantity_in_the_wrong_dimension_is_refused_with_the_kind_and_unit():
    check = flow_problems(FlowFields("want", "water", quantity=5, unit="t", period="year"), largest=LARGEST)
    (problem,) = check.problems["unit"]
    assert (problem.code, problem.params) == (
        "unit.dimension",
        {"kind": "water", "allowed": "volume", "unit": "t"},
    )


def test_heat_needs_its_supply_temperature_and_coherent_figures():
    fields = FlowFields("have", "heat", power_mw=5, hours_per_year=9000, return_temperature_c=90)
    fields.supply_temperature_c = 80
    assert codes(fields) == {
        "hours_per_year": ["heat.hours_range"],
        "return_temperature_c": ["heat.return_above_supply"],
    }
    assert codes(FlowFields("have", "heat", power_mw=5, hours_per_year=8000)) == {
        "supply_temperature_c": ["heat.supply_missing"]
    }


def test_a_number_that_is_not_one_replaces_the_fields_other_problems():
    fields = FlowFields("want", "water", quantity=-math.inf, unit="m3", period="year", max_distance_km=-1)
    assert codes(fields) == {"quantity": ["number.range"], "max_distance_km": ["number.range"]}


def test_quality_must_be_numbers_by_name_within_the_catalogues_range():
    base = {"direction": "want", "kind": "water", "quantity": 5.0, "unit": "m3", "period": "year"}
    assert codes(FlowFields(**base, quality={"moisture_pct": "wet"})) == {"quality": ["quality.not_numbers"]}
    assert codes(FlowFields(**base, quality={"moisture_pct": 120})) == {"quality": ["quality.range"]}
