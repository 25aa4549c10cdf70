"""Integration: every list of the API asks as many queries for 3 rows as for 12 (no N+1 query).

Each route grows one kind of row (tests/query_counts/world.py) and is called with an API token of the
user who sees those rows; the larger answer must list more rows. A route whose count still grows is
marked xfail (strict) with what grows, until its handler is fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from helix.api.models import ApiToken
from tests.helpers.queries import counted_at_sizes
from tests.query_counts import world as qc
from tests.query_counts.world import LARGE, SMALL, World

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@dataclass(frozen=True)
class Route:
    url: Callable[[World], str]
    who: str  # "member" or "staff"
    grow: Callable[[World, int, int], None]
    more_rows: bool = True  # False: the list keeps its length (totals, one row per factor, best pairs)


ROUTES: dict[str, Route] = {
    "organisations": Route(lambda w: "/api/registry/organisations", "member", qc.grow_organisations),
    "organisation sites": Route(
        lambda w: f"/api/registry/organisations/{w.organisation.slug}/sites", "staff", qc.grow_sites
    ),
    "organisation people": Route(
        lambda w: f"/api/registry/organisations/{w.organisation.slug}/people", "staff", qc.grow_people
    ),
    "clusters": Route(lambda w: "/api/registry/clusters", "member", qc.grow_clusters),
    "memberships": Route(lambda w: "/api/registry/memberships", "staff", qc.grow_organisations),
    "sectors": Route(lambda w: "/api/registry/sectors?q=Row", "member", qc.grow_sectors),
    "listings": Route(lambda w: "/api/market/listings", "member", qc.grow_offers),
    "listing matches": Route(lambda w: f"/api/market/listings/{w.need.pk}/matches", "member", qc.grow_offers),
    "organisation matches": Route(
        lambda w: f"/api/market/organisations/{w.organisation.slug}/matches", "member", qc.grow_offers
    ),
    "who meets whom": Route(  # the best pairs of the one need, not every offer
        lambda w: "/api/market/who-meets-whom", "staff", qc.grow_offers, more_rows=False
    ),
    "meeting requests": Route(lambda w: "/api/market/meeting-requests", "member", qc.grow_meeting_requests),
    "events": Route(lambda w: "/api/events/events", "member", qc.grow_events),
    "projects": Route(lambda w: "/api/projects/projects", "member", qc.grow_projects),
    "calls": Route(lambda w: "/api/calls/calls", "member", qc.grow_calls),
    "applications": Route(lambda w: "/api/calls/applications", "member", qc.grow_applications),
    "roadmaps": Route(lambda w: "/api/roadmaps/", "member", qc.grow_roadmaps),
    "roadmaps for staff": Route(lambda w: "/api/roadmaps/", "staff", qc.grow_roadmaps),
    "instruments": Route(lambda w: "/api/funds/instruments", "member", qc.grow_instruments),
    "instrument entries": Route(
        lambda w: f"/api/funds/instruments/{qc.ledger_instrument(w).key}/entries", "staff", qc.grow_ledger
    ),
    "event registrations": Route(
        lambda w: f"/api/events/events/{w.event.pk}/registrations", "staff", qc.grow_registrations
    ),
    "flows": Route(lambda w: "/api/symbiosis/flows", "member", qc.grow_flows),
    "synergies": Route(lambda w: "/api/symbiosis/synergies", "staff", qc.grow_synergies),
    "synergy totals": Route(lambda w: "/api/symbiosis/totals", "staff", qc.grow_synergies, more_rows=False),
    "impact factors": Route(
        lambda w: "/api/symbiosis/impact-factors", "staff", qc.grow_impact_factors, more_rows=False
    ),
    "consents": Route(lambda w: f"/api/privacy/people/{w.person.pk}/consents", "staff", qc.grow_consents),
    "notifications": Route(lambda w: "/api/me/notifications", "member", qc.grow_notifications),
}

KNOWN_N_PLUS_ONE: dict[str, str] = {}


def cases() -> list[Any]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=f"N+1: {KNOWN_N_PLUS_ONE[name]}"))
        if name in KNOWN_N_PLUS_ONE
        else name
        for name in ROUTES
    ]


def rows(response: Any) -> int:
    data = response.json()
    return len(data["items"] if isinstance(data, dict) else data)


@pytest.fixture
def world(settings) -> World:  # type: ignore[no-untyped-def]
    settings.HELIX_PAGE_SIZE = 50
    return qc.build_world()


@pytest.mark.parametrize("name", cases())
def test_the_api_list_asks_as_many_queries_for_3_rows_as_for_12(world, name):
    route = ROUTES[name]
    _token, secret = ApiToken.objects.issue(world.staff if route.who == "staff" else world.member)
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    (small, few), (large, many) = counted_at_sizes(
        client, route.url(world), lambda start, stop: route.grow(world, start, stop), (SMALL, LARGE)
    )
    assert rows(many) > rows(few) if route.more_rows else rows(many) == rows(few)
    assert large == small
