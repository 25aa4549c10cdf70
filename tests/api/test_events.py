"""Integration: /api/events/ — list, participants, request, answer, run and publish a schedule, agenda."""

from __future__ import annotations

import pytest
from django.test import TestCase
from icalendar import Calendar

from tests.events.helpers import small_event

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_request_answer_schedule_publish_and_agenda_over_the_api(call_as):
    setup = small_event(["HeatCo", "City of Genk"], slots=2, tables=1, status="open")
    event, organiser = setup.event, setup.organiser
    ra, rb = setup.registrations
    ua, ub = setup.users

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
