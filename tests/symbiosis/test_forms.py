"""Integration: the flow and report forms (helix.symbiosis.forms): megawatts taken and shown as energy,
quality attributes as fields (NaN refused), and a report form whose empty impact fields store the
estimate, so that "leave empty to estimate" holds while an explicit 0 stays 0."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from helix.symbiosis.models import ResourceFlow, Synergy, SynergyReport
from tests.helpers.clients import page_client
from tests.symbiosis.helpers import flow, realised, world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_form_takes_megawatts_and_the_page_shows_the_energy(django_capture_on_commit_callbacks) -> None:
    w = world()
    client = page_client(w.steel_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/symbiosis/flows/new/",
            {
                "direction": "have",
                "kind": "heat",
                "title": "Slag pit heat",
                "site": w.steel.sites.first().pk,
                "quantity": "5",
                "unit": "MW",
                "period": "year",
                "hours_per_year": "6000",
                "supply_temperature_c": "90",
                "confidentiality": "members",
                "status": "active",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = ResourceFlow.objects.get(title="Slag pit heat")
    page = client.get(f"/symbiosis/flows/{created.pk}/").content.decode()
    assert re.search(r'id="per-year">30[.,\u202f ]?000 MWh', page)
    assert "5 MW" in page
    assert "5 MW per year" not in page  # a power is a rate: no period


def test_quality_attributes_are_form_fields_stored_as_before_and_others_are_kept() -> None:
    w = world()
    pellets = flow(
        w.cement,
        direction="want",
        kind="material",
        title="Sawdust for pellets",
        ewc_code="030105",
        quantity=100,
        unit="t",
        quality={"moisture_pct_max": 15, "ash_pct_max": 2},
    )
    client = page_client(w.cement_user)
    form = client.get(f"/symbiosis/flows/{pellets.pk}/edit/").context["form"]
    assert form.initial["quality_moisture_pct"] == 15
    fields = {
        "direction": "want",
        "kind": "material",
        "title": "Sawdust for pellets",
        "site": w.cement.sites.first().pk,
        "ewc_code": "030105",
        "quantity": "100",
        "unit": "t",
        "period": "year",
        "confidentiality": "members",
        "status": "active",
        "quality_moisture_pct": "12",
        "quality_purity_pct": "95",
        "physical_form": "granular",
    }
    assert client.post(f"/symbiosis/flows/{pellets.pk}/edit/", fields).status_code == 302
    pellets.refresh_from_db()
    assert pellets.quality == {"ash_pct_max": 2, "moisture_pct_max": 12.0, "purity_pct_min": 95.0}
    assert pellets.physical_form == "granular"

    refused = client.post(f"/symbiosis/flows/{pellets.pk}/edit/", {**fields, "quality_purity_pct": "150"})
    assert refused.status_code == 200
    assert list(refused.context["form"].errors) == ["quality_purity_pct"]
    assert "Purity (%)" in refused.content.decode()  # the summary names the field


def test_the_flow_form_refuses_nan_as_a_quality_attribute():
    w = world()

    response = page_client(w.steel_user).post(
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


IMPACT_FIELDS = ("co2e_avoided_t", "money_saved_eur")


def _reporting_client() -> tuple[Client, Synergy]:
    w = world()
    s = realised(w)
    c = Client()
    c.force_login(w.cement_user)
    return c, s


def _post(c: Client, s: Synergy, **impact: str) -> SynergyReport:
    data = {"period_end": "2026-03-31", "quantity": "700", "unit": "t", "note": "", **impact}
    response = c.post(reverse("symbiosis:synergy_report", args=[s.pk]), data)
    assert response.status_code == 302
    return SynergyReport.objects.get(synergy=s)


def test_the_report_form_does_not_prefill_zero_impact() -> None:
    c, s = _reporting_client()
    page = c.get(reverse("symbiosis:synergy", args=[s.pk])).content.decode()
    for name in IMPACT_FIELDS:
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
        assert tag is not None, name
        assert "value=" not in tag.group(0), tag.group(0)


def test_empty_impact_fields_store_the_estimate() -> None:
    c, s = _reporting_client()
    assert s.impact["co2e_avoided_t"] > 0
    assert s.impact["money_saved_eur"] > 0
    r = _post(c, s, co2e_avoided_t="", money_saved_eur="")
    share = 700 / s.quantity
    assert r.co2e_avoided_t == pytest.approx(s.impact["co2e_avoided_t"] * share)
    assert r.money_saved_eur == pytest.approx(s.impact["money_saved_eur"] * share)
    assert r.co2e_avoided_t > 0
    assert r.money_saved_eur > 0


def test_an_explicit_zero_stays_zero() -> None:
    c, s = _reporting_client()
    r = _post(c, s, co2e_avoided_t="0", money_saved_eur="0")
    assert (r.co2e_avoided_t, r.money_saved_eur) == (0, 0)
