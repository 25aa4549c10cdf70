"""Every operation of the REST API and what it is about, for the API permission matrix
(tests/permissions/test_api_matrix.py). An operation missing here fails that test.

- ``On``: about one object of the world (the path names it); allowed answers its ``ok`` codes,
  refused answers 404 (or 401/403);
- ``Listed``: a list; it must hold exactly the world's objects of that kind the caller may take
  ``action`` on, by the table;
- ``Gate``: open to ``roles`` without an object;
- ``Exempt``: with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from helix.core.access import ANY_STAFF, ANYONE, SIGNED_IN, Role

READ = frozenset({200})
WRITE = frozenset({200, 201, 409, 422})  # done, or refused for what was sent (never for who sent it)


@dataclass(frozen=True)
class On:
    things: str
    action: str
    path: Callable[[Any], Mapping[str, Any]]
    ok: frozenset[int] = READ
    body: Callable[[Any], Mapping[str, Any]] = lambda obj: {}
    refused: frozenset[int] = frozenset({401, 403, 404})
    query: Callable[[Any], Mapping[str, Any]] = lambda obj: {}  # a GET's query parameters


@dataclass(frozen=True)
class Listed:
    things: str
    action: str
    key: Callable[[dict[str, Any]], Any]  # an item of the answer -> the object's primary key or slug
    of: Callable[[Any], Any] = lambda obj: obj.pk  # the world object -> the same
    query: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Gate:
    roles: frozenset[Role]
    ok: frozenset[int] = READ
    path: Mapping[str, Any] = field(default_factory=dict)
    body: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Exempt:
    reason: str


def slug(obj: Any) -> dict[str, Any]:
    return {"slug": obj.slug}


def other_side(listing: Any) -> dict[str, Any]:
    """A feedback body naming a listing of the other side (any: the path's listing is what is checked)."""
    from helix.market.models import Listing

    other = Listing.objects.exclude(side=listing.side).order_by("pk").first()
    field = "offer" if listing.side == "need" else "need"
    return {field: other.pk if other else 0, "verdict": "relevant"}


def instrument_key(instrument: Any) -> dict[str, Any]:
    return {"key": instrument.key}


def booking(instrument: Any) -> dict[str, Any]:
    """A booking on any instrument for a1 (published: every caller who may book sees it)."""
    return {"beneficiary": "org-a1", "amount_eur": "100.00", "on": "2026-04-01"}


API_ROUTES: dict[tuple[str, str], On | Listed | Gate | Exempt] = {
    # registry
    ("GET", "/api/registry/organisations"): Listed(
        "org", "view", key=lambda item: item["slug"], of=lambda obj: obj.slug, query={"page_size": 100}
    ),
    ("POST", "/api/registry/organisations"): Gate(
        ANY_STAFF, ok=WRITE, body={"name": "Matrix NV", "kind": "company", "size_class": "sme"}
    ),
    ("GET", "/api/registry/organisations/{slug}"): On("org", "view", slug),
    ("PATCH", "/api/registry/organisations/{slug}"): On("org", "edit", slug, ok=WRITE),
    ("GET", "/api/registry/organisations/{slug}/sites"): On("org", "view", slug),
    ("POST", "/api/registry/organisations/{slug}/sites"): On(
        "org", "edit", slug, ok=WRITE, body=lambda org: {"name": "Depot", "city": "Gent", "country": "BE"}
    ),
    ("PATCH", "/api/registry/organisations/{slug}/sites/{site_id}"): Exempt(
        "a site of an organisation: tests/api/test_registry_sites_and_people"
    ),
    ("GET", "/api/registry/organisations/{slug}/people"): On("org", "view", slug),
    ("POST", "/api/registry/organisations/{slug}/people"): On(
        "org", "edit", slug, ok=WRITE, body=lambda org: {"first_name": "Ann", "last_name": "Matrix"}
    ),
    ("PATCH", "/api/registry/organisations/{slug}/people/{person_id}"): Exempt(
        "a person of an organisation: tests/api/test_registry_sites_and_people"
    ),
    ("GET", "/api/registry/clusters"): Gate(ANYONE),
    ("GET", "/api/registry/clusters/{slug}"): On("cluster", "view", slug),
    ("GET", "/api/registry/memberships"): Listed(
        "membership", "view", key=lambda item: item["id"], query={"page_size": 100}
    ),
    ("POST", "/api/registry/memberships"): Exempt(
        "who may join which cluster at which level: tests/api/test_registry_clusters_and_memberships"
    ),
    ("GET", "/api/registry/memberships/{membership_id}"): On(
        "membership", "view", lambda m: {"membership_id": m.pk}
    ),
    ("POST", "/api/registry/memberships/{membership_id}/level"): On(
        "membership",
        "edit",
        lambda m: {"membership_id": m.pk},
        ok=WRITE,  # staff may ask; 409 when the workflow has no such move from the current level
        body=lambda m: {"level": "member"},
        refused=frozenset({401, 403, 404, 409}),  # 409: the membership workflow has no such move for them
    ),
    ("GET", "/api/registry/sectors"): Gate(ANYONE),
    # market
    ("GET", "/api/market/listings"): Listed(
        "listing", "view", key=lambda item: item["id"], query={"page_size": 100}
    ),
    ("POST", "/api/market/listings"): Gate(SIGNED_IN, ok=WRITE),
    ("GET", "/api/market/listings/{listing_id}"): On("listing", "view", lambda x: {"listing_id": x.pk}),
    ("PATCH", "/api/market/listings/{listing_id}"): On(
        "listing", "edit", lambda x: {"listing_id": x.pk}, ok=WRITE
    ),
    ("POST", "/api/market/listings/{listing_id}/status"): On(
        "listing",
        "transition",
        lambda x: {"listing_id": x.pk},
        ok=WRITE,
        body=lambda x: {"action": "withdraw"},
    ),
    ("GET", "/api/market/listings/{listing_id}/matches"): On(
        "listing", "view", lambda x: {"listing_id": x.pk}
    ),
    ("GET", "/api/market/organisations/{slug}/matches"): On("org", "view", slug),
    ("GET", "/api/market/who-meets-whom"): Gate(ANY_STAFF),
    ("POST", "/api/market/listings/{listing_id}/feedback"): On(
        "listing", "feedback", lambda x: {"listing_id": x.pk}, ok=WRITE, body=other_side
    ),
    ("GET", "/api/market/meeting-requests"): Gate(SIGNED_IN),
    ("POST", "/api/market/meeting-requests"): Gate(SIGNED_IN, ok=WRITE | {403, 404}),  # the pair decides
    ("POST", "/api/market/meeting-requests/{meeting_id}/answer"): Exempt(
        "a request's answer depends on its side: tests/api/test_market"
    ),
    # projects
    ("GET", "/api/projects/projects"): Listed(
        "project", "view", key=lambda item: item["id"], query={"page_size": 100}
    ),
    ("GET", "/api/projects/projects/{project_id}"): On("project", "view", lambda p: {"project_id": p.pk}),
    ("POST", "/api/projects/projects/{project_id}/status"): On(
        "project", "transition", lambda p: {"project_id": p.pk}, ok=WRITE, body=lambda p: {"status": "closed"}
    ),
    # calls: a refusal of the call's or the application's rules (not open, not editable in its state, a
    # move the lifecycle does not give the caller's role) is 409 for those the table allows
    ("GET", "/api/calls/calls"): Listed(
        "call", "view", key=lambda item: item["key"], of=lambda obj: obj.key, query={"page_size": 100}
    ),
    ("GET", "/api/calls/calls/{call_key}"): On("call", "view", lambda c: {"call_key": c.key}),
    ("POST", "/api/calls/calls/{call_key}/move"): On(
        "call", "transition", lambda c: {"call_key": c.key}, ok=WRITE, body=lambda c: {"status": "archived"}
    ),
    ("GET", "/api/calls/applications"): Listed(
        "application", "view", key=lambda item: item["id"], query={"page_size": 100}
    ),
    ("POST", "/api/calls/applications"): On(
        "call",
        "apply",
        lambda c: {},
        ok=WRITE,  # 201 led by the caller's organisation; 422 for a caller of no organisation
        body=lambda c: {"call": c.key, "title": "Matrix application"},
        refused=frozenset({401, 403, 404, 409}),  # 409: a call one sees that is not open to one
    ),
    ("GET", "/api/calls/applications/{application_id}"): On(
        "application", "view", lambda a: {"application_id": a.pk}
    ),
    ("GET", "/api/calls/applications/{application_id}/eligibility"): On(
        "application", "view", lambda a: {"application_id": a.pk}
    ),
    ("PATCH", "/api/calls/applications/{application_id}/answers"): On(
        "application",
        "edit",
        lambda a: {"application_id": a.pk},
        ok=WRITE,
        body=lambda a: {"revision": 1, "answers": {}},
    ),
    ("POST", "/api/calls/applications/{application_id}/co-applicants"): On(
        "application",
        "edit",
        lambda a: {"application_id": a.pk},
        ok=WRITE,  # the lead again: 409, it applies already
        body=lambda a: {"organisation": a.applicants.get(lead=True).organisation_id},
    ),
    ("DELETE", "/api/calls/applications/{application_id}/co-applicants/{organisation_id}"): On(
        "application",
        "edit",
        lambda a: {"application_id": a.pk, "organisation_id": a.applicants.get(lead=True).organisation_id},
        ok=WRITE,  # the lead: 409, it stays
    ),
    ("POST", "/api/calls/applications/{application_id}/attachments/{field}"): On(
        "application",
        "edit",
        lambda a: {"application_id": a.pk, "field": "budget_sheet"},
        ok=WRITE,  # the matrix sends no file: 422 (the upload itself: tests/api/test_calls)
    ),
    ("POST", "/api/calls/applications/{application_id}/submit"): On(
        "application", "transition", lambda a: {"application_id": a.pk}, ok=WRITE
    ),
    ("POST", "/api/calls/applications/{application_id}/withdraw"): On(
        "application", "transition", lambda a: {"application_id": a.pk}, ok=WRITE
    ),
    ("POST", "/api/calls/applications/{application_id}/move"): On(
        "application",
        "transition",
        lambda a: {"application_id": a.pk},
        ok=WRITE,
        body=lambda a: {"status": "rejected"},
    ),
    ("POST", "/api/calls/applications/{application_id}/judge"): On(
        "application", "transition", lambda a: {"application_id": a.pk}, ok=WRITE
    ),
    # roadmaps: anyone they reach; their lifecycle for the cluster's staff
    ("GET", "/api/roadmaps/"): Listed(
        "roadmap", "view", key=lambda item: item["key"], of=lambda obj: obj.key, query={"page_size": 100}
    ),
    ("GET", "/api/roadmaps/{key}"): On("roadmap", "view", lambda r: {"key": r.key}),
    ("GET", "/api/roadmaps/{key}/what-if"): On(
        "roadmap", "view", lambda r: {"key": r.key}, query=lambda r: {"item": "m1", "days": 30}
    ),
    ("POST", "/api/roadmaps/{key}/transitions"): On(
        "roadmap",
        "transition",
        lambda r: {"key": r.key},
        ok=WRITE,  # 409 where the lifecycle has no move to adopted from the roadmap's state
        body=lambda r: {"target": "adopted", "note": "matrix"},
    ),
    ("POST", "/api/roadmaps/{key}/items"): On(
        "roadmap",
        "edit",
        lambda r: {"key": r.key},
        ok=WRITE,  # 409: m1 is there already, or the roadmap's state allows no change
        body=lambda r: {"key": "m1", "title": "Matrix milestone"},
    ),
    ("PUT", "/api/roadmaps/{key}/items/{item}"): On(
        "roadmap",
        "edit",
        lambda r: {"key": r.key, "item": "m1"},
        ok=WRITE,  # 409: a stale revision, or the roadmap's state allows no change
        body=lambda r: {"revision": 0, "title": "Matrix milestone"},
    ),
    ("POST", "/api/roadmaps/{key}/items/{item}/accept"): Exempt(
        "the item's owner only: tests/api/test_roadmaps asks owner, other participant, staff and outsider"
    ),
    ("POST", "/api/roadmaps/{key}/items/{item}/progress"): Exempt(
        "the item's owner or staff: tests/api/test_roadmaps asks owner, other participant, staff and outsider"
    ),
    # funds
    ("GET", "/api/funds/instruments"): Listed(
        "instrument", "view", key=lambda item: item["key"], of=lambda obj: obj.key, query={"page_size": 100}
    ),
    ("GET", "/api/funds/instruments/{key}"): On("instrument", "view", instrument_key),
    ("GET", "/api/funds/instruments/{key}/entries"): On("instrument", "view", instrument_key),
    ("POST", "/api/funds/instruments/{key}/commit"): On(
        "instrument", "book", instrument_key, ok=WRITE, body=booking
    ),
    ("POST", "/api/funds/instruments/{key}/disburse"): On(
        "instrument", "book", instrument_key, ok=WRITE, body=booking
    ),
    ("POST", "/api/funds/instruments/{key}/repay"): On(
        "instrument", "book", instrument_key, ok=WRITE, body=booking
    ),
    ("POST", "/api/funds/instruments/{key}/leverage"): On(
        "instrument", "book", instrument_key, ok=WRITE, body=booking
    ),
    ("POST", "/api/funds/instruments/{key}/check"): On(
        "instrument", "book", instrument_key, ok=WRITE, body=booking
    ),
    # events
    ("GET", "/api/events/events"): Listed(
        "event", "list", key=lambda item: item["id"], query={"page_size": 100}
    ),
    ("GET", "/api/events/events/{event_id}"): On("event", "view", lambda e: {"event_id": e.pk}),
    ("POST", "/api/events/events/{event_id}/status"): On(
        "event", "change_status", lambda e: {"event_id": e.pk}, ok=WRITE, body=lambda e: {"status": "closed"}
    ),
    ("GET", "/api/events/events/{event_id}/registrations"): On(
        "event", "view_participants", lambda e: {"event_id": e.pk}
    ),
    ("POST", "/api/events/events/{event_id}/registrations"): Exempt(
        "registering oneself or others: tests/events/test_permissions asks page and API alike"
    ),
    ("POST", "/api/events/events/{event_id}/requests"): Exempt(
        "requesting as a participant: tests/events/test_permissions"
    ),
    ("POST", "/api/events/requests/{request_id}/answer"): On(
        "eventrequest", "answer", lambda r: {"request_id": r.pk}, ok=WRITE, body=lambda r: {"accept": True}
    ),
    ("POST", "/api/events/requests/{request_id}/cancel"): On(
        "eventrequest", "cancel", lambda r: {"request_id": r.pk}, ok=WRITE
    ),
    ("POST", "/api/events/events/{event_id}/schedules"): On(
        "event", "schedule", lambda e: {"event_id": e.pk}, ok=WRITE | {202}
    ),
    ("GET", "/api/events/schedules/{schedule_id}"): On("schedule", "view", lambda x: {"schedule_id": x.pk}),
    ("POST", "/api/events/schedules/{schedule_id}/publish"): On(
        "schedule", "publish", lambda x: {"schedule_id": x.pk}, ok=WRITE
    ),
    ("POST", "/api/events/schedules/{schedule_id}/cancel"): On(
        "schedule", "cancel", lambda x: {"schedule_id": x.pk}, ok=WRITE
    ),
    ("GET", "/api/events/registrations/{registration_id}/agenda.ics"): On(
        "registration", "download_agenda", lambda x: {"registration_id": x.pk}
    ),
    # privacy
    ("GET", "/api/privacy/people/{person_id}/export"): On(
        "person", "export_data", lambda p: {"person_id": p.pk}
    ),
    ("GET", "/api/privacy/people/{person_id}/consents"): On(
        "person", "view_personal_data", lambda p: {"person_id": p.pk}
    ),
    ("POST", "/api/privacy/people/{person_id}/erase"): Exempt(
        "erasing changes the world for the next callers: tests/privacy covers self, staff and others"
    ),
    # notifications: each caller's own inbox
    ("GET", "/api/me/notifications"): Gate(SIGNED_IN),
    ("POST", "/api/me/notifications/read-all"): Gate(SIGNED_IN, ok=WRITE),
    ("POST", "/api/me/notifications/{notification_id}/read"): Exempt(
        "a notification is its recipient's: tests/notifications/test_views asks page and API alike"
    ),
    # symbiosis
    ("GET", "/api/symbiosis/flows"): Listed(
        "flow", "view", key=lambda item: item["id"], query={"page_size": 100}
    ),
    ("POST", "/api/symbiosis/flows"): Gate(SIGNED_IN, ok=WRITE | {403}),  # for an organisation they may edit
    ("GET", "/api/symbiosis/flows/{flow_id}"): On("flow", "view", lambda f: {"flow_id": f.pk}),
    ("GET", "/api/symbiosis/waste-codes"): Gate(ANYONE),
    ("GET", "/api/symbiosis/waste-codes/suggest"): Exempt(
        "a search over the public list of waste, no object"
    ),
    ("GET", "/api/symbiosis/synergies"): Listed(
        "synergy", "view", key=lambda item: item["id"], query={"page_size": 100}
    ),
    ("GET", "/api/symbiosis/synergies/{synergy_id}"): On("synergy", "view", lambda x: {"synergy_id": x.pk}),
    ("POST", "/api/symbiosis/synergies/{synergy_id}/accept"): On(
        "synergy", "accept", lambda x: {"synergy_id": x.pk}, ok=WRITE
    ),
    ("POST", "/api/symbiosis/synergies/{synergy_id}/move"): On(
        "synergy",
        "transition",
        lambda x: {"synergy_id": x.pk},
        ok=WRITE | {403},
        body=lambda x: {"target": "dropped", "note": "matrix"},
    ),
    ("POST", "/api/symbiosis/synergies/{synergy_id}/reports"): On(
        "synergy",
        "report",
        lambda x: {"synergy_id": x.pk},
        ok=WRITE,
        body=lambda x: {"period_end": "2026-06-30", "quantity": 10, "unit": "t"},
    ),
    ("GET", "/api/symbiosis/totals"): Gate(SIGNED_IN),
    ("GET", "/api/symbiosis/impact-factors"): Gate(ANYONE),
    ("PUT", "/api/symbiosis/impact-factors/{key}"): Exempt("superuser only: tests/symbiosis/test_api_cli"),
    ("POST", "/api/symbiosis/match"): Gate(ANY_STAFF, ok=WRITE | {202}),
    ("POST", "/api/symbiosis/allocations"): Gate(ANY_STAFF, ok=WRITE | {202}),
    ("GET", "/api/symbiosis/allocations/{run_id}"): Exempt(
        "an allocation run: tests/symbiosis/test_permissions"
    ),
}
