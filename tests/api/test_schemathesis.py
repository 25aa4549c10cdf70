"""Integration: schemathesis over the whole OpenAPI surface (every operation of /api/openapi.json), each
generated request sent by three callers: anonymous, a member user's token and a cluster staff token. They
act on a fixture world of two clusters with organisations, listings, a meeting request, an open and a
draft event with registrations and a request, resource flows, synergies, a schedule run, an allocation
run, and an open and a draft call with two applications; about half the generated ids and slugs are
swapped for ones of that world, so that requests reach real objects and not only 404s.

Every answer, to valid and invalid input alike, must be no server error (5xx), have a status code that
the schema declares for the operation, and a body of the declared schema and content type.

Bounded and reproducible: hypothesis derandomised (the same requests on every run), no example database,
valid and invalid inputs in one budget of MAX_EXAMPLES per operation (15: 887 requests per caller over
61 operations, about a minute of CPU on SQLite), no coverage or stateful phase (with the coverage phase
a run sent 3,722 requests per caller, took four times as long and found nothing more). Raise the budget
locally to search further, e.g. HELIX_SCHEMATHESIS_EXAMPLES=100 (about 15 minutes).
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from helix.api.models import ApiToken
from helix.calls import services as calls
from helix.events import meeting_requests, schedules
from helix.events.models import Event, Registration, Room, TimeSlot
from helix.market import meeting_requests as market
from helix.symbiosis import allocation, impact, matching
from helix.symbiosis.models import Synergy
from helix.wsgi import application
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, make_listing, member_user
from tests.factories.calls import seed_definition
from tests.symbiosis.helpers import world as symbiosis_world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

MAX_EXAMPLES = int(os.environ.get("HELIX_SCHEMATHESIS_EXAMPLES", "15"))

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"mode": "all", "deterministic": True, "database": "none"},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=CONFIG)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Known objects of the fixture world, by path or body parameter; filled by the ``world`` fixture.
KNOWN: dict[str, list[Any]] = {}


def known_or_original(name: str, value: Any) -> Any:
    """A known object for about half the generated values (deterministically), else the value itself."""
    pool = KNOWN.get(name)
    if not pool:
        return value
    if isinstance(value, bool) or not isinstance(value, int | str):
        return value
    index = value if isinstance(value, int) else zlib.crc32(value.encode())
    choice = index % (2 * len(pool))
    return pool[choice] if choice < len(pool) else value


@schema.hook
def map_path_parameters(context: Any, path_parameters: dict[str, Any]) -> dict[str, Any]:
    if not path_parameters:
        return path_parameters
    path = context.operation.path
    out = dict(path_parameters)
    for name, value in path_parameters.items():
        key = "cluster_slug" if name == "slug" and path.startswith("/api/registry/clusters") else name
        out[name] = known_or_original(key, value)
    return out


@schema.hook
def map_body(context: Any, body: Any) -> Any:
    if not isinstance(body, dict):
        return body
    return {name: known_or_original(f"body.{name}", value) for name, value in body.items()}


@dataclass
class Callers:
    member: str
    staff: str


@pytest.fixture
def _connection_kept_open():  # type: ignore[no-untyped-def]
    """Schemathesis calls the WSGI application itself, not through Django's test client, so Django would
    close the database connection at the end of each request (it is inside the test's transaction) as
    the test client makes it not do: on PostgreSQL the next request would find it closed."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(_connection_kept_open) -> Callers:  # type: ignore[no-untyped-def]
    """Circular Flanders (the symbiosis world: four member companies, an outsider, five flows; here also
    listings, an open event, a schedule run, an open call with the steelworks' application (the cement
    works co-applying) and the cement works' own, a draft call) and a food cluster (a bakery, an
    unpublished member, a draft event). The member caller is the steelworks' user; the staff caller is
    staff of Circular Flanders only."""
    w = symbiosis_world()
    food = ClusterFactory(slug="food", name="Food Cluster")
    bakery = OrganisationFactory(name="Bakery", slug="bakery")
    hidden = OrganisationFactory(name="Hidden Works", slug="hidden-works", is_published=False)
    MembershipFactory(organisation=bakery, cluster=food)
    MembershipFactory(organisation=hidden, cluster=food, level="interested")
    member_user(bakery, "baker")

    offer = make_listing(w.steel, "offer", title="Slag for road building")
    need = make_listing(w.cement, "need", title="Slag as clinker replacement")
    draft = make_listing(w.steel, "need", title="Draft need", status="draft")
    bakery_offer = make_listing(bakery, "offer", title="Bread waste", visibility="members")

    matching.run_matching()

    event = Event.objects.create(cluster=w.cluster, title="Brokerage day", status="open")
    start = datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    for k in range(2):
        TimeSlot.objects.create(
            event=event, start=start + timedelta(minutes=30 * k), end=start + timedelta(minutes=30 * k + 25)
        )
    Room.objects.create(event=event, name="Hall", tables=2)
    draft_event = Event.objects.create(cluster=food, title="Food draft", status="draft")
    registrations = [
        Registration.objects.create(event=event, person=user.person, organisation=org)
        for user, org in ((w.steel_user, w.steel), (w.cement_user, w.cement))
    ]

    event_request = meeting_requests.request_meeting(w.cement_user, registrations[1], registrations[0])
    meeting = market.request_meeting(w.cement_user, need, offer, message="Shall we meet?")
    schedule = schedules.start_schedule(w.staff, event)
    run = allocation.start_allocation(w.staff)

    call = calls.create_call(w.staff, w.cluster, seed_definition(key="precluster"))
    calls.move_call(w.staff, call, "open")
    calls.create_call(w.staff, w.cluster, seed_definition("luxembourg_bpf_2024.json", key="lux-draft"))
    draft = calls.start_application(w.steel_user, call, w.steel, "Slag cement precluster")
    calls.add_co_applicant(w.steel_user, draft, w.cement)
    other = calls.start_application(w.cement_user, call, w.cement, "Cement's own")

    organisations = [w.steel, w.cement, w.chem, w.outsider, bakery, hidden]
    KNOWN.clear()
    KNOWN.update(
        {
            "slug": [o.slug for o in organisations],
            "cluster_slug": [w.cluster.slug, food.slug],
            "listing_id": [offer.pk, need.pk, draft.pk, bakery_offer.pk],
            "event_id": [event.pk, draft_event.pk],
            "registration_id": [r.pk for r in registrations],
            "schedule_id": [schedule.pk],
            "request_id": [event_request.pk],
            "meeting_id": [meeting.pk],
            "flow_id": [w.slag.pk, w.heat.pk, w.secret.pk],
            "synergy_id": list(Synergy.objects.values_list("pk", flat=True)),
            "run_id": [run.pk],
            "membership_id": list(w.steel.memberships.values_list("pk", flat=True))
            + list(hidden.memberships.values_list("pk", flat=True)),
            "site_id": list(w.steel.sites.values_list("pk", flat=True)),
            "person_id": list(w.steel.people.values_list("pk", flat=True)),
            "key": [f["key"] for f in impact.factor_table()[:3]],
            "call_key": ["precluster", "lux-draft"],
            "application_id": [draft.pk, other.pk],
            "organisation_id": [w.steel.pk, w.cement.pk, w.chem.pk],
            "field": ["budget_sheet", "synergies"],
            "body.call": ["precluster", "lux-draft"],
            "body.lead": [w.steel.pk],
            "body.revision": [draft.revision],
            "body.site_id": list(w.steel.sites.values_list("pk", flat=True)),
            "body.organisation_id": [w.steel.pk],
            "body.organisation": [w.steel.slug, bakery.slug],
            "body.cluster": [w.cluster.slug, food.slug],
            "body.need": [need.pk],
            "body.offer": [offer.pk],
            "body.requester": [registrations[0].pk],
            "body.requested": [registrations[1].pk],
        }
    )
    return Callers(
        member=ApiToken.objects.issue(w.steel_user, name="schemathesis")[1],
        staff=ApiToken.objects.issue(w.staff, name="schemathesis")[1],
    )


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the world is built once per operation, on purpose
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_answers_every_caller_within_its_schema(case, world: Callers) -> None:
    for token in (None, world.member, world.staff):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        case.call_and_validate(headers=headers, checks=CHECKS)
