"""Issue 12, item 5: the report form of a realised synergy comes with empty impact fields, so that
"leave empty to estimate" holds: empty stores the estimate from the proposal, an explicit 0 stays 0."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from helix.symbiosis.models import Synergy, SynergyReport
from tests.symbiosis.helpers import world
from tests.symbiosis.test_flows_and_synergies import realised

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

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
