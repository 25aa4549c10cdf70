"""Integration: the impact factors (helix.symbiosis.impact) are edited by the superuser only, are used by
the estimates, and must be finite numbers, on the page and in the service."""

from __future__ import annotations

import math

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from helix.symbiosis import impact, matching
from helix.symbiosis.models import ImpactFactorSetting, Synergy
from tests.factories import UserFactory
from tests.helpers.clients import messages_of, page_client
from tests.symbiosis.helpers import world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_impact_factors_are_edited_by_the_superuser_and_used() -> None:
    """One table of factors feeds every cluster's estimates: a member or one cluster's staff may not
    change it (staff could, before issue 11), the superuser may."""
    w = world()
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    matching.run_matching()
    before = Synergy.objects.get(have=w.slag, want=w.slag_want).impact["transport_cost_eur"]
    for user in (w.steel_user, w.staff):
        with pytest.raises(PermissionDenied):
            impact.set_factor(user, "transport_cost_eur_per_tkm", 0.24)
    impact.set_factor(admin, "transport_cost_eur_per_tkm", 0.24, "haulier quote 2026")
    matching.run_matching()
    after = Synergy.objects.get(have=w.slag, want=w.slag_want).impact["transport_cost_eur"]
    assert after == pytest.approx(2 * before)
    row = next(r for r in impact.factor_table() if r["key"] == "transport_cost_eur_per_tkm")
    assert (row["value"], row["default"], row["source"], row["edited"]) == (
        0.24,
        0.12,
        "haulier quote 2026",
        True,
    )
    with pytest.raises(ValidationError):
        impact.set_factor(admin, "nonsense", 1)
    c = Client()
    c.force_login(w.staff)
    page = c.get("/symbiosis/impact-factors/").content.decode()
    assert "haulier quote 2026" in page
    assert 'name="value"' not in page  # no form for staff
    for user in (w.steel_user, w.staff):
        c.force_login(user)
        assert c.post("/symbiosis/impact-factors/", {"key": "road_circuity", "value": "2"}).status_code == 403
    c.force_login(admin)
    assert 'name="value"' in c.get("/symbiosis/impact-factors/").content.decode()


def test_an_impact_factor_that_is_not_a_finite_number_is_refused_on_the_page():
    world()
    client = page_client(UserFactory(username="admin", is_superuser=True))  # factors: the superuser's

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
