"""Integration: who may do what with an event, asked on both surfaces: each rule is one test, run for every
role and every event status, that asks the page and the API the same question and expects the same
answer from both, the one the declarations in helix.events.permissions give.

Regressions (issue 11, item 5): a draft event and its participant list were served by id to anyone
logged in (page) and to anonymous callers (API); registration accepted draft and closed events (and the
API had no registration at all); participants acted (requests, agendas) in a draft they may not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from helix.api.models import ApiToken
from helix.events.models import EventMeetingRequest, Registration, Schedule, ScheduleStatus
from tests.events.helpers import small_event
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    member_user,
    staff_user,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ROLES = [
    "anonymous",
    "signed_in",  # an account linked to no person
    "outsider",  # a person of an organisation in no cluster
    "audience",  # a person of a member of the event's cluster, not registered
    "participant",  # the registered person (HeatCo)
    "colleague",  # another person of HeatCo, not registered
    "other_staff",  # staff of another cluster
    "organiser",  # staff of the event's cluster
    "superuser",
]
STATUSES = ["draft", "open", "closed"]
ORGANISERS = {"organiser", "superuser"}
PARTICIPANT_SIDE = {"participant", "colleague"}
CASES = [pytest.param(role, status, id=f"{role}-{status}") for status in STATUSES for role in ROLES]


@dataclass
class World:
    event: Any
    participant: Registration  # HeatCo's registration
    partner: Registration  # City of Genk's registration
    users: dict[str, Any]

    def page(self, role: str) -> Client:
        client = Client()
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client

    def api(self, role: str) -> Client:
        if self.users[role] is None:
            return Client()
        _token, secret = ApiToken.objects.issue(self.users[role], name="tests")
        return Client(headers={"Authorization": f"Bearer {secret}"})


def world(status: str) -> World:
    setup = small_event(["HeatCo", "City of Genk"], status=status)
    cluster = setup.event.cluster
    participant, partner = setup.registrations
    audience_org = OrganisationFactory(name="Audience BV")
    for organisation in (participant.organisation, partner.organisation, audience_org):
        MembershipFactory(organisation=organisation, cluster=cluster, level="member")
    users = {
        "anonymous": None,
        "signed_in": UserFactory(username="signed-in"),
        "outsider": member_user(OrganisationFactory(name="Outsider NV"), "outsider"),
        "audience": member_user(audience_org, "audience"),
        "participant": setup.users[0],
        "colleague": member_user(participant.organisation, "colleague"),
        "other_staff": staff_user(ClusterFactory(name="Food Valley"), "other-staff"),
        "organiser": setup.organiser,
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    return World(setup.event, participant, partner, users)


@pytest.mark.parametrize(("role", "status"), CASES)
def test_page_and_api_agree_on_who_sees_the_event(role: str, status: str) -> None:
    w = world(status)
    sees = status != "draft" or role in ORGANISERS
    page = w.page(role).get(f"/events/{w.event.pk}/")
    api = w.api(role).get(f"/api/events/events/{w.event.pk}")
    page_list = w.page(role).get("/events/").content.decode()
    api_list = [e["id"] for e in w.api(role).get("/api/events/events").json()]

    expected = 200 if sees else 404
    assert (page.status_code, api.status_code) == (expected, expected)
    assert (f"/events/{w.event.pk}/" in page_list, w.event.pk in api_list) == (sees, sees)


@pytest.mark.parametrize(("role", "status"), CASES)
def test_page_and_api_agree_on_who_sees_the_participant_list(role: str, status: str) -> None:
    """The API's participant list is for signed-in callers; the page shows who comes to anyone once the
    event is published (the organisations with a published profile), naming the people only to the
    organisers and the event's own participants (the people here gave no public consent)."""
    w = world(status)
    sees = role in ORGANISERS or (status != "draft" and role != "anonymous")
    page = w.page(role).get(f"/events/{w.event.pk}/")
    api = w.api(role).get(f"/api/events/events/{w.event.pk}/registrations")

    html = page.content.decode()
    listed = 'id="participant-list"' in html or 'id="registration-table"' in html
    page_lists = page.status_code == 200 and listed
    assert (page_lists, api.status_code == 200) == (role in ORGANISERS or status != "draft", sees)
    if page_lists:
        assert "City of Genk" in html
    names = role in ORGANISERS or (status != "draft" and role in PARTICIPANT_SIDE)
    assert (str(w.partner.person) in html) == names
    if sees:
        assert sorted(r["organisation"] for r in api.json()) == ["City of Genk", "HeatCo"]
    else:  # anonymous callers are asked to sign in; signed in, the draft is hidden from them
        assert api.status_code == (401 if role == "anonymous" else 404)


@pytest.mark.parametrize(("role", "status"), CASES)
def test_page_and_api_register_only_while_registration_is_open(role: str, status: str) -> None:
    w = world(status)
    registers = status == "open" and role in {"outsider", "audience", "colleague"}
    registrations = Registration.objects.filter(event=w.event)
    before = registrations.count()

    w.page(role).post(f"/events/{w.event.pk}/register/")
    by_page = registrations.count() == before + 1
    registrations.filter(pk__gt=w.partner.pk).delete()
    api = w.api(role).post(
        f"/api/events/events/{w.event.pk}/registrations", {}, content_type="application/json"
    )
    by_api = registrations.count() == before + 1

    assert (by_page, by_api, api.status_code == 201) == (registers, registers, registers)
    if status == "closed" and role == "audience":
        assert (api.status_code, api.json()) == (403, {"detail": "registration for this event is not open"})
    if status == "draft" and role not in ORGANISERS and role != "anonymous":
        assert api.status_code == 404


@pytest.mark.parametrize(("role", "status"), CASES)
def test_page_and_api_agree_on_who_requests_a_meeting_for_a_participant(role: str, status: str) -> None:
    w = world(status)
    allowed = role in ORGANISERS or (status != "draft" and role in PARTICIPANT_SIDE)
    body = {"requester": w.participant.pk, "requested": w.partner.pk}

    w.page(role).post(f"/events/{w.event.pk}/request/", body)
    by_page = EventMeetingRequest.objects.filter(event=w.event).exists()
    EventMeetingRequest.objects.all().delete()
    api = w.api(role).post(f"/api/events/events/{w.event.pk}/requests", body, content_type="application/json")
    by_api = EventMeetingRequest.objects.filter(event=w.event).exists()

    assert (by_page, by_api, api.status_code == 201) == (allowed, allowed, allowed)


@pytest.mark.parametrize(("role", "status"), CASES)
def test_page_and_api_agree_on_who_reads_a_participants_agenda(role: str, status: str) -> None:
    w = world(status)
    allowed = role in ORGANISERS or (status != "draft" and role in PARTICIPANT_SIDE)
    reg = w.participant.pk
    page = w.page(role)
    answers = {
        "page": page.get(f"/events/registrations/{reg}/agenda/").status_code,
        "ics": page.get(f"/events/registrations/{reg}/agenda.ics").status_code,
        "pdf": page.get(f"/events/registrations/{reg}/agenda.pdf").status_code,
        "api": w.api(role).get(f"/api/events/registrations/{reg}/agenda.ics").status_code,
    }

    assert {k: v == 200 for k, v in answers.items()} == dict.fromkeys(answers, allowed)


@pytest.mark.parametrize(("role", "status"), CASES)
def test_page_and_api_agree_on_who_moves_the_event_and_sees_its_runs(role: str, status: str) -> None:
    w = world(status)
    allowed = role in ORGANISERS
    target = {"draft": "open", "open": "closed", "closed": "open"}[status]
    run = Schedule.objects.create(event=w.event, status=ScheduleStatus.RUNNING)

    page_row = w.page(role).get(f"/events/schedules/{run.pk}/").status_code
    api_row = w.api(role).get(f"/api/events/schedules/{run.pk}").status_code
    w.page(role).post(f"/events/{w.event.pk}/status/", {"status": target})
    w.event.refresh_from_db()
    by_page = w.event.status == target
    type(w.event).objects.filter(pk=w.event.pk).update(status=status)
    api = w.api(role).post(
        f"/api/events/events/{w.event.pk}/status", {"status": target}, content_type="application/json"
    )
    w.event.refresh_from_db()

    assert (page_row == 200, api_row == 200) == (allowed, allowed)
    assert (by_page, w.event.status == target, api.status_code == 200) == (allowed, allowed, allowed)
