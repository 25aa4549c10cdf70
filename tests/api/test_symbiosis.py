"""Integration: the symbiosis API (helix.api.symbiosis): flows, waste codes, synergies, impact factors and
runs; numbers that are not finite or out of their physical range refused (422 naming the field, nothing
written); a flow and an allocation written atomically.

Python's json reads the NaN and Infinity tokens (the test client sends them for float("nan") and
float("inf")), and pydantic reads strings such as "NaN" or "-inf" as floats: both ways are tried.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from django.test import Client

from helix.jobs.models import Job
from helix.symbiosis import impact, matching
from helix.symbiosis.models import (
    AllocationRun,
    ImpactFactorSetting,
    ResourceFlow,
    Synergy,
    SynergyReport,
)
from tests.factories import UserFactory
from tests.helpers.clients import api_client
from tests.symbiosis.helpers import world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


NOT_FINITE = [float("nan"), float("inf"), float("-inf"), "NaN", "Infinity", "-inf"]


def send(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    # json.dumps writes NaN and Infinity tokens for non-finite floats, as a careless client would.
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def error_fields(response: Any) -> list[list[Any]]:
    assert response.status_code == 422, response.content
    return [e["loc"] for e in response.json()["detail"]]


def heat_want(site_id: int, **fields: Any) -> dict[str, Any]:
    return {
        "site_id": site_id,
        "direction": "want",
        "kind": "heat",
        "title": "Greenhouse heating",
        "supply_temperature_c": 70,
        "return_temperature_c": 40,
        "power_mw": 2,
        "hours_per_year": 5000,
        **fields,
    }


def material_have(site_id: int, **fields: Any) -> dict[str, Any]:
    return {
        "site_id": site_id,
        "direction": "have",
        "kind": "material",
        "title": "Slag",
        "ewc_code": "10 02 02",
        "quantity": 10,
        "unit": "t",
        **fields,
    }


@pytest.mark.parametrize("value", NOT_FINITE, ids=repr)
def test_a_flow_quantity_that_is_not_finite_is_refused(value):
    w = world()
    before = ResourceFlow.objects.count()
    response = send(
        api_client(w.steel_user),
        "post",
        "/api/symbiosis/flows",
        material_have(w.steel.sites.get().pk, quantity=value),
    )
    assert error_fields(response) == [["body", "payload", "quantity"]]
    assert ResourceFlow.objects.count() == before


FLOW_NUMBERS = [
    "supply_temperature_c",
    "return_temperature_c",
    "power_mw",
    "hours_per_year",
    "max_distance_km",
    "disposal_cost_eur_per_unit",
    "price_eur_per_unit",
    "treatment_cost_eur_per_unit",
]


@pytest.mark.parametrize("values", [NOT_FINITE[:3], NOT_FINITE[3:]], ids=["tokens", "strings"])
def test_every_number_of_a_flow_must_be_finite(values):
    w = world()
    before = ResourceFlow.objects.count()
    not_finite = {field: values[i % 3] for i, field in enumerate(FLOW_NUMBERS)}
    body = {**heat_want(w.grower.sites.get().pk, **not_finite), "organisation_id": w.grower.pk}
    response = send(api_client(w.staff), "post", "/api/symbiosis/flows", body)
    assert error_fields(response) == [["body", "payload", field] for field in FLOW_NUMBERS]
    assert ResourceFlow.objects.count() == before


def test_a_quality_number_must_be_finite():
    w = world()
    body = heat_want(w.steel.sites.get().pk, quality={"chloride_mg_kg": float("nan")})
    response = send(api_client(w.steel_user), "post", "/api/symbiosis/flows", body)
    assert error_fields(response) == [["body", "payload", "quality", "chloride_mg_kg"]]


def test_flow_numbers_out_of_their_physical_range_are_refused():
    w = world()
    out_of_range = {
        "supply_temperature_c": -300,  # below absolute zero
        "return_temperature_c": 1e6,
        "power_mw": -1,
        "hours_per_year": 9000,  # a year has 8,760 hours
        "quality": {"moisture_pct": 150},
        "max_distance_km": 0,
        "price_eur_per_unit": -5,
    }
    response = send(
        api_client(w.steel_user),
        "post",
        "/api/symbiosis/flows",
        heat_want(w.steel.sites.get().pk, **out_of_range),
    )
    assert error_fields(response) == [["body", "payload", field] for field in out_of_range]
    assert (
        response.json()["detail"][4]["msg"] == "Value error, moisture_pct is a percentage: between 0 and 100"
    )


def test_a_flow_quantity_beyond_any_site_is_refused():
    w = world()
    body = material_have(w.steel.sites.get().pk, quantity=1e300)
    assert error_fields(send(api_client(w.steel_user), "post", "/api/symbiosis/flows", body)) == [
        ["body", "payload", "quantity"]
    ]


def test_finite_numbers_in_range_are_taken():
    w = world()
    body = heat_want(w.steel.sites.get().pk, quality={"moisture_pct": 100}, max_distance_km=25)
    response = send(api_client(w.steel_user), "post", "/api/symbiosis/flows", body)
    assert response.status_code == 201, response.content
    flow = ResourceFlow.objects.get(pk=response.json()["id"])
    assert (flow.supply_temperature_c, flow.quality, flow.max_distance_km) == (70, {"moisture_pct": 100}, 25)


def test_a_flow_is_written_with_its_matching_job_or_not_at_all(monkeypatch):
    w = world()
    before = ResourceFlow.objects.count()

    def broken(flow: ResourceFlow) -> None:
        raise RuntimeError("the job queue is down")

    monkeypatch.setattr(matching, "flow_changed", broken)
    with pytest.raises(RuntimeError, match="the job queue is down"):
        send(api_client(w.steel_user), "post", "/api/symbiosis/flows", material_have(w.steel.sites.get().pk))
    assert ResourceFlow.objects.count() == before


@pytest.fixture
def realised():
    """The slag synergy of the world, realised; reported on by the cement plant's member user."""
    w = world()
    matching.run_matching()
    synergy = Synergy.objects.get(have=w.slag, want=w.slag_want)
    Synergy.objects.filter(pk=synergy.pk).update(state="realised")
    return w, synergy


@pytest.mark.parametrize(
    "values",
    [(float("inf"), float("nan"), float("-inf")), ("Infinity", "-inf", "NaN")],
    ids=["tokens", "strings"],
)
def test_a_report_with_numbers_that_are_not_finite_is_refused(realised, values):
    w, synergy = realised
    fields = dict(zip(["quantity", "co2e_avoided_t", "money_saved_eur"], values, strict=True))
    body = {"period_end": "2026-09-30", "unit": "t", **fields}
    response = send(api_client(w.cement_user), "post", f"/api/symbiosis/synergies/{synergy.pk}/reports", body)
    assert error_fields(response) == [["body", "payload", field] for field in fields]
    assert SynergyReport.objects.count() == 0


@pytest.mark.parametrize("value", [float("inf"), "nan", 1e12])
def test_an_impact_factor_must_be_finite_and_in_range(value):
    w = world()
    response = send(
        api_client(w.staff), "put", "/api/symbiosis/impact-factors/road_circuity", {"value": value}
    )
    assert error_fields(response) == [["body", "payload", "value"]]
    assert ImpactFactorSetting.objects.count() == 0
    factor = next(f for f in impact.factor_table() if f["key"] == "road_circuity")
    assert (factor["value"], math.isfinite(factor["value"])) == (1.3, True)


@pytest.mark.parametrize("url", ["/api/symbiosis/allocations", "/api/symbiosis/match"])
@pytest.mark.parametrize("value", [float("inf"), "nan"])
def test_a_run_with_a_link_cost_that_is_not_finite_is_refused(url, value):
    w = world()
    response = send(api_client(w.staff), "post", url, {"fixed_cost_per_link": value})
    assert error_fields(response) == [["body", "payload", "fixed_cost_per_link"]]
    assert AllocationRun.objects.count() == 0


def test_a_run_for_a_region_that_does_not_exist_is_refused():
    """The region was stored as given: on PostgreSQL one longer than the column was a 500."""
    w = world()
    response = send(api_client(w.staff), "post", "/api/symbiosis/allocations", {"region": "x" * 30})
    assert error_fields(response) == [["body", "payload", "region"]]
    assert AllocationRun.objects.count() == 0
    taken = send(api_client(w.staff), "post", "/api/symbiosis/allocations", {"region": "oost-vlaanderen"})
    assert (taken.status_code, AllocationRun.objects.get().region) == (202, "oost-vlaanderen")


def test_a_nul_character_in_a_flow_filter_is_a_422_naming_it():
    w = world()
    response = api_client(w.steel_user).get("/api/symbiosis/flows?kind=heat%00")
    assert error_fields(response) == [["query", "kind"]]


def test_an_allocation_is_queued_with_its_run_or_not_at_all(monkeypatch):
    w = world()

    def broken(**fields: Any) -> AllocationRun:
        raise RuntimeError("no room for the run")

    monkeypatch.setattr(AllocationRun.objects, "create", broken)
    with pytest.raises(RuntimeError, match="no room for the run"):
        send(api_client(w.staff), "post", "/api/symbiosis/allocations", {})
    assert Job.objects.count() == 0


def test_post_a_flow_and_get_field_errors() -> None:
    w = world()
    c = api_client(w.cement_user)
    site = w.cement.sites.first()
    ok = c.post(
        "/api/symbiosis/flows",
        json.dumps(
            {
                "site_id": site.pk,
                "direction": "want",
                "kind": "water",
                "title": "Cooling water",
                "quantity": 20000,
                "unit": "m3",
                "period": "year",
            }
        ),
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["owner"] == "Cement Antwerpen"
    assert ok.json()["per_year"] == 20000
    bad = c.post(
        "/api/symbiosis/flows",
        json.dumps(
            {
                "site_id": site.pk,
                "direction": "have",
                "kind": "material",
                "title": "x",
                "ewc_code": "12",
                "quantity": 5,
                "unit": "MWh",
            }
        ),
        content_type="application/json",
    )
    assert bad.status_code == 422
    fields = {e["loc"][-1] for e in bad.json()["detail"]}
    assert {"ewc_code", "unit"} <= fields
    other = c.post(
        "/api/symbiosis/flows",
        json.dumps(
            {
                "organisation_id": w.steel.pk,
                "site_id": w.steel.sites.first().pk,
                "direction": "want",
                "kind": "water",
                "title": "y",
                "quantity": 1,
                "unit": "m3",
            }
        ),
        content_type="application/json",
    )
    assert other.status_code == 403
    assert Client().post("/api/symbiosis/flows", "{}", content_type="application/json").status_code == 401


def test_waste_code_tree_and_suggestions() -> None:
    c = Client()
    chapters = c.get("/api/symbiosis/waste-codes").json()
    assert len(chapters) == 20
    assert chapters[0]["code"] == "01"
    entries = c.get("/api/symbiosis/waste-codes?parent=10 02").json()
    assert {
        "code": "100202",
        "printed": "10 02 02",
        "level": 3,
        "title": "Unprocessed slag",
        "hazardous": False,
        "parent": "1002",
    } in entries
    assert c.get("/api/symbiosis/waste-codes?parent=zz").status_code == 422
    found = c.get("/api/symbiosis/waste-codes/suggest?q=vliegas van biomassa").json()
    assert any(s["code"].startswith("1001") and "fly ash" in s["title"].lower() for s in found)


def test_synergy_workflow_through_the_api() -> None:
    w = world()
    matching.run_matching()
    s = Synergy.objects.get(have=w.slag, want=w.slag_want)
    steel, cement = api_client(w.steel_user), api_client(w.cement_user)
    listed = steel.get("/api/symbiosis/synergies").json()
    assert [x["id"] for x in listed] == [s.pk]
    assert api_client(w.outsider_user).get(f"/api/symbiosis/synergies/{s.pk}").status_code == 404
    assert steel.post(f"/api/symbiosis/synergies/{s.pk}/accept").json()["have_accepted"]
    assert cement.post(f"/api/symbiosis/synergies/{s.pk}/accept").json()["state"] == "contacted"
    refused = cement.post(
        f"/api/symbiosis/synergies/{s.pk}/move",
        json.dumps({"target": "realised"}),
        content_type="application/json",
    )
    assert refused.status_code == 422
    for target in ("under_study", "agreed", "realised"):
        r = cement.post(
            f"/api/symbiosis/synergies/{s.pk}/move",
            json.dumps({"target": target}),
            content_type="application/json",
        )
        assert r.json()["state"] == target
    report = cement.post(
        f"/api/symbiosis/synergies/{s.pk}/reports",
        json.dumps({"period_end": "2026-09-30", "quantity": 1.5, "unit": "kt"}),
        content_type="application/json",
    )
    assert report.status_code == 201
    assert report.json()["quantity"] == pytest.approx(1500)
    wrong = cement.post(
        f"/api/symbiosis/synergies/{s.pk}/reports",
        json.dumps({"period_end": "2026-09-30", "quantity": 1, "unit": "MWh"}),
        content_type="application/json",
    )
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"][-1] == "unit"
    totals = cement.get("/api/symbiosis/totals?period=year").json()
    assert totals[0]["quantity"] == pytest.approx(1500)


def test_factors_and_runs_through_the_api(django_capture_on_commit_callbacks) -> None:
    w = world()
    factors = Client().get("/api/symbiosis/impact-factors").json()
    assert {f["key"] for f in factors} >= {"transport_cost_eur_per_tkm", "truck_kgco2e_per_tkm"}
    assert (
        api_client(w.steel_user)
        .put(
            "/api/symbiosis/impact-factors/road_circuity",
            json.dumps({"value": 1.2}),
            content_type="application/json",
        )
        .status_code
        == 403
    )
    staff = api_client(w.staff)
    factor = {"value": 1.2, "source": "own GIS"}
    put = "/api/symbiosis/impact-factors/road_circuity"
    # every cluster's estimates use the factors: one cluster's staff may not change them (before issue 11
    # they could), the superuser may
    assert staff.put(put, json.dumps(factor), content_type="application/json").status_code == 403
    admin = api_client(UserFactory(username="admin", is_superuser=True))
    set_ = admin.put(put, json.dumps(factor), content_type="application/json")
    assert set_.json()["value"] == 1.2
    assert set_.json()["source"] == "own GIS"
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post("/api/symbiosis/match", "{}", content_type="application/json").status_code == 202
    assert Synergy.objects.filter(have=w.slag, want=w.slag_want).exists()
    with django_capture_on_commit_callbacks(execute=True):
        started = staff.post(
            "/api/symbiosis/allocations",
            json.dumps({"region": "", "fixed_cost_per_link": 1000}),
            content_type="application/json",
        )
    assert started.status_code == 202
    run = staff.get(f"/api/symbiosis/allocations/{started.json()['run_id']}").json()
    assert run["status"] == "succeeded"
    assert run["result"]["optimal"]["optimal"]
    assert api_client(w.steel_user).get(f"/api/symbiosis/allocations/{run['id']}").status_code == 403
