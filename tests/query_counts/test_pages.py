"""Integration: every list page asks as many queries for 3 rows as for 12 (no N+1 query).

Each route grows one kind of row (tests/query_counts/world.py) and is read by the user who sees those
rows; the larger page must show the last row added. A page whose count still grows is marked xfail
(strict) with what grows, until its view is fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.helpers.queries import counted_at_sizes
from tests.query_counts import world as qc
from tests.query_counts.world import LARGE, SMALL, World, row_label

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@dataclass(frozen=True)
class Page:
    url: Callable[[World], str]
    who: str  # "member" or "staff"
    grow: Callable[[World, int, int], None]
    shows: str | None  # the row label kind the page shows, None when rows are not named on it


def n_plus_one(what: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"N+1: {what}")


PAGES: dict[str, Any] = {
    "directory": Page(lambda w: "/directory/", "member", qc.grow_organisations, "Org"),
    "clusters": Page(lambda w: "/clusters/", "member", qc.grow_clusters, "Cluster"),
    "cluster members": Page(lambda w: f"/clusters/{w.cluster.slug}/", "staff", qc.grow_organisations, "Org"),
    "pipeline": Page(lambda w: f"/clusters/{w.cluster.slug}/pipeline/", "staff", qc.grow_pipeline, "Org"),
    "needs & offers": Page(lambda w: "/needs-offers/", "member", qc.grow_offers, "offer"),
    "organisation matches": Page(
        lambda w: f"/organisations/{w.organisation.slug}/matches/", "member", qc.grow_offers, "offer"
    ),
    "meetings": Page(lambda w: "/meetings/", "member", qc.grow_meeting_requests, "Supplier"),
    "who meets whom": Page(
        lambda w: "/staff/who-meets-whom/", "staff", qc.grow_offers, None
    ),  # the best pairs
    "events": Page(lambda w: "/events/", "member", qc.grow_events, "event"),
    "projects": Page(lambda w: "/projects/", "member", qc.grow_projects, "project"),
    "calls": Page(lambda w: "/calls/", "member", qc.grow_listed_calls, "call"),
    "a call's applications (staff)": Page(
        lambda w: f"/calls/{qc.call_of(w).pk}/manage/",
        "staff",
        qc.grow_call_applications,
        "application",
    ),
    "project parts (consortium)": Page(
        lambda w: f"/projects/{qc.parts_project(w).pk}/", "member", qc.grow_project_parts, "report"
    ),
    "project parts (staff)": Page(
        lambda w: f"/projects/{qc.parts_project(w).pk}/", "staff", qc.grow_project_parts, "milestone"
    ),
    "project budget grid": Page(
        lambda w: f"/projects/{qc.parts_project(w).pk}/budget/", "member", qc.grow_project_parts, "Org"
    ),
    "instruments": Page(lambda w: "/funds/", "member", qc.grow_instruments, "instrument"),
    "instrument ledger": Page(
        lambda w: f"/funds/{qc.ledger_instrument(w).key}/", "staff", qc.grow_ledger, "Org"
    ),
    "event participants (organiser)": Page(
        lambda w: f"/events/{w.event.pk}/", "staff", qc.grow_registrations, "Org"
    ),
    "event participants (participant)": Page(
        lambda w: f"/events/{w.event.pk}/", "member", qc.grow_registrations, "Org"
    ),
    "event statistics": Page(
        lambda w: f"/events/{w.event.pk}/statistics/", "staff", qc.grow_registrations, None
    ),
    "event grid": Page(lambda w: f"/events/{w.event.pk}/grid/", "staff", qc.grow_scheduled_meetings, "Org"),
    "my agenda": Page(
        lambda w: f"/events/registrations/{w.event.registrations.get(person=w.person).pk}/agenda/",
        "member",
        qc.grow_scheduled_meetings,
        "Org",
    ),
    "flows": Page(lambda w: "/symbiosis/", "member", qc.grow_flows, "flow"),
    "flow map": Page(lambda w: "/symbiosis/map/", "member", qc.grow_flows, None),
    "synergies": Page(lambda w: "/symbiosis/synergies/", "staff", qc.grow_synergies, "flow"),
    "impact factors": Page(lambda w: "/symbiosis/impact-factors/", "staff", qc.grow_impact_factors, None),
    "symbiosis dashboard": Page(lambda w: "/symbiosis/dashboard/", "staff", qc.grow_synergies, None),
    "invitations": Page(lambda w: "/people/invitations/", "staff", qc.grow_invitations, "Newco"),
    "sign-ups": Page(lambda w: "/people/sign-ups/", "staff", qc.grow_signups, "Newco"),
    "notifications inbox": Page(lambda w: "/notifications/", "member", qc.grow_notifications, None),
    # the changes only (one a row), so that both sizes fit on the first page
    "audit trail": Page(lambda w: "/audit/?action=1", "staff", qc.grow_audit_entries, "Org"),
    "a person's consents": Page(lambda w: f"/privacy/people/{w.person.pk}/", "staff", qc.grow_consents, None),
    "programme cycle (member)": Page(
        lambda w: f"/programmes/cycles/{qc.programme_cycle(w).pk}/", "member", qc.grow_phase_links, "output"
    ),
    "programme cycle (staff)": Page(
        lambda w: f"/programmes/cycles/{qc.programme_cycle(w).pk}/", "staff", qc.grow_phase_links, "need"
    ),
    "my consents": Page(lambda w: f"/privacy/people/{w.person.pk}/", "member", qc.grow_consents, None),
}

KNOWN_N_PLUS_ONE: dict[str, str] = {}


def cases() -> list[Any]:
    return [
        pytest.param(name, marks=n_plus_one(KNOWN_N_PLUS_ONE[name])) if name in KNOWN_N_PLUS_ONE else name
        for name in PAGES
    ]


@pytest.fixture
def world(settings) -> World:  # type: ignore[no-untyped-def]
    settings.HELIX_PAGE_SIZE = 50
    return qc.build_world()


@pytest.mark.parametrize("name", cases())
def test_the_list_page_asks_as_many_queries_for_3_rows_as_for_12(client, world, name):
    page = PAGES[name]
    client.force_login(world.staff if page.who == "staff" else world.member)
    (small, _), (large, response) = counted_at_sizes(
        client, page.url(world), lambda start, stop: page.grow(world, start, stop), (SMALL, LARGE)
    )
    if page.shows:
        assert row_label(page.shows, LARGE - 1) in response.content.decode()
    assert large == small
