"""Integration: event pages given ids and numbers that are not ("²", 30 digits, "nan") answer a 404 or
a message, never a 500; the grid export writes formula-like names inert."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from helix.events.models import EventMeetingRequest, Schedule, ScheduledMeeting, TimeSlot
from tests.events.helpers import small_event
from tests.helpers.clients import messages_of

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HUGE = "9" * 30
ATTACK = '=HYPERLINK("http://evil.example","Agenda")'


def test_a_meeting_request_naming_no_registration_is_a_404(client):
    setup = small_event(["A", "B"], status="open")
    a, b = setup.registrations
    client.force_login(setup.users[0])
    url = f"/events/{setup.event.pk}/request/"

    for requester, requested in (("²", b.pk), (a.pk, HUGE), ("", b.pk)):
        response = client.post(url, {"requester": requester, "requested": requested})
        assert (requester, requested, response.status_code) == (requester, requested, 404)
    assert (
        client.post(f"/events/{setup.event.pk}/request-from-match/", {"market_request": "²"}).status_code
        == 404
    )
    assert EventMeetingRequest.objects.count() == 0


def test_availability_with_bad_numbers_and_slot_ids_answers_a_message_or_ignores_them(client):
    setup = small_event(["A", "B"], status="open")
    registration = setup.registrations[0]
    slot = TimeSlot.objects.filter(event=setup.event).first()
    client.force_login(setup.users[0])
    url = f"/events/registrations/{registration.pk}/availability/"

    refused = client.post(url, {"max_meetings": "²"}, follow=True)
    saved = client.post(url, {"max_meetings": "2", "unavailable": ["x", HUGE, str(slot.pk)]}, follow=True)

    assert messages_of(refused) == ["A number from 0 to 32767 was expected."]
    assert messages_of(saved) == ["Availability saved."]
    registration.refresh_from_db()
    assert (registration.max_meetings, list(registration.unavailable.all())) == (2, [slot])


def test_moving_a_request_to_a_slot_that_is_no_id_ignores_it(client):
    setup = small_event(["A", "B"], status="open")
    a, b = setup.registrations
    request = EventMeetingRequest.objects.create(event=setup.event, requester=a, requested=b)
    client.force_login(setup.organiser)

    response = client.post(
        f"/events/requests/{request.pk}/update/",
        {"fixed_slot": "²", "after": HUGE, "priority": "3"},
        follow=True,
    )

    assert response.status_code == 200
    request.refresh_from_db()
    assert (request.fixed_slot, request.after, request.priority) == (None, None, 3)


def test_a_schedule_run_with_a_time_limit_that_is_not_a_number_says_so(client):
    setup = small_event(["A", "B"], status="open")
    client.force_login(setup.organiser)

    response = client.post(
        f"/events/{setup.event.pk}/schedule/", {"mode": "max", "time_limit": "nan"}, follow=True
    )

    assert messages_of(response) == ["A number from 1 to 600 was expected."]
    assert Schedule.objects.count() == 0


def test_the_grid_export_writes_formula_like_names_inert(client):
    setup = small_event(["A", "B"], status="open")
    a, b = setup.registrations
    a.organisation.name = ATTACK
    a.organisation.save()
    request = EventMeetingRequest.objects.create(
        event=setup.event, requester=a, requested=b, status="accepted"
    )
    schedule = Schedule.objects.create(event=setup.event, status="succeeded")
    ScheduledMeeting.objects.create(
        schedule=schedule, request=request, slot=TimeSlot.objects.filter(event=setup.event).first(), table=1
    )
    client.force_login(setup.organiser)

    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/events/{setup.event.pk}/grid.csv").content.decode()))
    )
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/events/{setup.event.pk}/grid.xlsx").content)
    ).active

    assert [(r["Asking organisation"], r["Table"]) for r in rows] == [("'" + ATTACK, "1")]
    assert (sheet["D2"].value, sheet["D2"].data_type, sheet["C2"].value) == ("'" + ATTACK, "s", 1)
