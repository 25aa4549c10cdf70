"""Integration: /api/events/ — list, participants, request, answer, run and publish a schedule, agenda."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import TestCase
from icalendar import Calendar

from helix.events.models import Event, Registration, Room, TimeSlot
from tests.factories import ClusterFactory, OrganisationFactory, member_user, staff_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_request_answer_schedule_publish_and_agenda_over_the_api(call_as):
    cluster = ClusterFactory(name="Smart Energy Cities")
    organiser = staff_user(cluster, "organiser")
    event = Event.objects.create(cluster=cluster, title="Brokerage day", status="open")
    start = datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    for k in range(2):
        TimeSlot.objects.create(
            event=event, start=start + timedelta(minutes=30 * k), end=start + timedelta(minutes=30 * k + 25)
        )
    Room.objects.create(event=event, name="Hall", tables=1)
    a, b = OrganisationFactory(name="HeatCo"), OrganisationFactory(name="City of Genk")
    ua, ub = member_user(a, "ua"), member_user(b, "ub")
    ra = Registration.objects.create(event=event, person=ua.person, organisation=a)
    rb = Registration.objects.create(event=event, person=ub.person, organisation=b)

    listed = call_as(None).get("/api/events/events").json()
    assert [e["title"] for e in listed] == ["Brokerage day"]
    assert len(listed[0]["slots"]) == 2
    assert call_as(None).get(f"/api/events/events/{event.pk}/registrations").status_code == 401

    client_a = call_as(ua)
    created = client_a.post(
        f"/api/events/events/{event.pk}/requests",
        {"requester": ra.pk, "requested": rb.pk, "priority": 2},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    req_id = created.json()["id"]
    assert (
        client_a.post(
            f"/api/events/events/{event.pk}/requests",
            {"requester": rb.pk, "requested": ra.pk},
            content_type="application/json",
        ).status_code
        == 403
    )
    again = client_a.post(
        f"/api/events/events/{event.pk}/requests",
        {"requester": ra.pk, "requested": rb.pk},
        content_type="application/json",
    )
    assert again.status_code == 422
    assert "already have an open" in again.content.decode()
    assert (
        client_a.post(
            f"/api/events/requests/{req_id}/answer", {"accept": True}, content_type="application/json"
        ).status_code
        == 403
    )
    answered = call_as(ub).post(
        f"/api/events/requests/{req_id}/answer", {"accept": True}, content_type="application/json"
    )
    assert answered.json()["status"] == "accepted"

    assert (
        client_a.post(
            f"/api/events/events/{event.pk}/schedules", {"mode": "all"}, content_type="application/json"
        ).status_code
        == 403
    )
    staff = call_as(organiser)
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = staff.post(
            f"/api/events/events/{event.pk}/schedules",
            {"mode": "all", "time_limit": 5},
            content_type="application/json",
        )
    assert run.status_code == 202
    status = staff.get(f"/api/events/schedules/{run.json()['id']}").json()
    assert status["status"] == "succeeded"
    assert status["held"] == status["requested"] == 1
    published = staff.post(f"/api/events/schedules/{status['id']}/publish")
    assert published.json()["published"] is True

    ics = client_a.get(f"/api/events/registrations/{ra.pk}/agenda.ics")
    assert ics.status_code == 200
    (vevent,) = Calendar.from_ical(ics.content).walk("VEVENT")
    assert "City of Genk" in str(vevent["summary"])
    assert client_a.get(f"/api/events/registrations/{rb.pk}/agenda.ics").status_code == 403
