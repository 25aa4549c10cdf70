"""Integration: needs and offers of the market read as flows (helix.symbiosis.market_reading): a city's heat
need is matched to a company's waste heat; a listing no longer published closes its flow, and offers that
sell the means are not flows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from helix.market.models import Listing
from helix.registry.models import Region
from helix.symbiosis import market_reading, matching
from helix.symbiosis.models import ResourceFlow, Synergy
from tests.factories import make_listing, staff_user
from tests.helpers.clients import page_client
from tests.symbiosis.helpers import organisation, world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_a_city_heat_need_posted_in_the_market_is_matched_to_a_company_waste_heat() -> None:
    w = world()
    city = organisation("Stad Gent", "84.11", "Gent", 51.06, 3.73, Region.OOST_VLAANDEREN, w.cluster)
    need = make_listing(
        city,
        side="need",
        category="partner",
        title="Restwarmte gezocht voor ons warmtenet",
        description="De stad zoekt restwarmte op 70 °C voor een warmtenet in de Kanaalzone.",
        visibility="members",
    )

    matching.run_matching()

    derived = ResourceFlow.objects.get(listing=need)
    assert (derived.organisation, derived.direction, derived.kind, derived.supply_temperature_c) == (
        city,
        "want",
        "heat",
        70.0,
    )
    assert (derived.confidentiality, derived.status) == ("members", "active")
    synergy = Synergy.objects.get(have=w.heat, want=derived)
    assert "flag.from_market" in [code for code, _args in synergy.flag_codes]
    # the city sees the proposal on its flow; the page says where the flow comes from
    page = (
        page_client(staff_user(w.cluster, "officer2")).get(f"/symbiosis/flows/{derived.pk}/").content.decode()
    )
    assert 'id="from-listing"' in page
    assert need.title in page


def test_a_listing_no_longer_published_closes_its_flow_and_offers_selling_the_means_are_not_flows() -> None:
    w = world()
    city = organisation("Stad Gent", "84.11", "Gent", 51.06, 3.73, Region.OOST_VLAANDEREN, w.cluster)
    need = make_listing(
        city, side="need", category="partner", title="Restwarmte gezocht", description="Voor ons warmtenet."
    )
    seller = make_listing(
        w.steel,
        side="offer",
        category="solution",
        title="Warmtepompen op restwarmte",
        description="Wij verkopen warmtepompen.",
    )
    market_reading.read_market()
    assert ResourceFlow.objects.filter(listing=need, status="active").count() == 1
    assert not ResourceFlow.objects.filter(listing=seller).exists()

    Listing.objects.filter(pk=need.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    market_reading.read_market()

    assert ResourceFlow.objects.get(listing=need).status == "closed"
