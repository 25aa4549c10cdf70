"""Integration: reasons in the reader's language, English for an unknown code, and a flow's page telling its
owner why there is no proposal (helix.symbiosis.explain)."""

from __future__ import annotations

import pytest
from django.test import Client

from helix.symbiosis import matching
from helix.symbiosis.models import Synergy
from tests.helpers.clients import page_client
from tests.symbiosis.helpers import flow, world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_reasons_are_shown_in_the_readers_language() -> None:
    w = world()
    matching.run_matching()
    s = Synergy.objects.get(have=w.slag, want=w.slag_want)
    c = Client()
    c.force_login(w.steel_user)
    dutch = c.get(f"/symbiosis/synergies/{s.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "afvalcode: dezelfde afvalcode 10 02 02" in dutch
    assert "km over de weg: transport EUR" in dutch
    assert "afvalstatus: toets de criteria" in dutch
    german = c.get(f"/symbiosis/synergies/{s.pk}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Menge: 3.000 t/Jahr austauschbar, 75% des Angebots und 100% des Bedarfs" in german


def test_an_unknown_reason_code_falls_back_to_english() -> None:
    from helix.symbiosis.explain import translated

    assert translated([["no.such.code", {}]], ["plain English"]) == ["plain English"]
    assert translated([["road", {"wrong": 1}]], ["12 km by road"]) == ["12 km by road"]
    assert translated([], ["mismatched"]) == ["mismatched"]


def test_the_flow_page_tells_its_owner_why_there_is_no_proposal() -> None:
    w = world()
    near_only = flow(
        w.cement,
        direction="want",
        kind="material",
        title="Slag, local only",
        ewc_code="100202",
        quantity=100,
        unit="t",
        max_distance_km=10,
        confidentiality="public",
    )
    lonely = flow(
        w.cement,
        direction="want",
        kind="co2",
        title="CO2 for curing",
        quantity=100,
        unit="t",
        confidentiality="public",
    )
    owner = page_client(w.cement_user)

    far = owner.get(f"/symbiosis/flows/{near_only.pk}/").content.decode()
    nobody = owner.get(f"/symbiosis/flows/{lonely.pk}/").content.decode()
    outsider = page_client(w.outsider_user).get(f"/symbiosis/flows/{near_only.pk}/").content.decode()

    assert 'id="why-no-proposal"' in far
    assert "1 counterpart is too far" in far
    assert "beyond the 10 km limit" in far
    assert 'data-code="no_counterpart"' in nobody
    assert 'id="why-no-proposal"' not in outsider  # the reasons are for its owner and its staff
