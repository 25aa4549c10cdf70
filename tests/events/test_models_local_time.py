"""Integration: slot times read in the event's time zone wherever a participant picks them (availability,
fixed slot) and in the .ics agenda's VTIMEZONE (issue 12, found items 3 and 4)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar

from helix.events import meeting_requests
from helix.events.agenda import agenda_ics
from helix.events.models import Schedule, ScheduledMeeting, ScheduleStatus, TimeSlot
from tests.events.helpers import BRUSSELS, small_event

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

WINTER = date(2026, 12, 3)  # CET, UTC+1
SUMMER = date(2026, 6, 4)  # CEST, UTC+2


def event_with_a_nine_oclock_slot(day: date):  # type: ignore[no-untyped-def]
    setup = small_event(["HeatCo", "City of Genk"], slots=0)
    start = datetime.combine(day, datetime.min.time().replace(hour=9), tzinfo=BRUSSELS)
    slot = TimeSlot.objects.create(event=setup.event, start=start, end=start + timedelta(minutes=25))
    return setup, slot


@pytest.mark.parametrize("day", [WINTER, SUMMER], ids=["winter", "summer"])
def test_a_nine_oclock_brussels_slot_is_labelled_nine_oclock(day):
    _setup, slot = event_with_a_nine_oclock_slot(day)
    assert str(TimeSlot.objects.get(pk=slot.pk)) == "09:00–09:25"


@pytest.mark.parametrize("day", [WINTER, SUMMER], ids=["winter", "summer"])
def test_availability_and_fixed_slot_choices_show_brussels_time(client, day):
    setup, slot = event_with_a_nine_oclock_slot(day)
    regs, users = setup.registrations, setup.users
    req = meeting_requests.request_meeting(users[0], regs[0], regs[1])

    client.force_login(users[0])
    page = client.get(f"/events/{setup.event.pk}/").content.decode()
    assert f'value="{slot.pk}"> 09:00–09:25</label>' in page  # availability checkbox

    client.force_login(setup.organiser)
    page = client.get(f"/events/{setup.event.pk}/").content.decode()
    assert f'<option value="{slot.pk}">09:00–09:25</option>' in page  # fixed slot of the request
    assert f'id="update-{req.pk}"' in page


def test_a_slot_in_another_zone_is_labelled_in_that_zone():
    setup, slot = event_with_a_nine_oclock_slot(WINTER)
    setup.event.time_zone = "Europe/Helsinki"
    setup.event.save()
    assert str(TimeSlot.objects.get(pk=slot.pk)) == "10:00–10:25"


@pytest.mark.parametrize("day", [WINTER, SUMMER], ids=["winter", "summer"])
def test_agenda_ics_vtimezone_has_standard_and_daylight_rules(day):
    setup, slot = event_with_a_nine_oclock_slot(day)
    regs, users = setup.registrations, setup.users
    req = meeting_requests.request_meeting(users[0], regs[0], regs[1])
    meeting_requests.answer_request(users[1], req, accept=True)
    schedule = Schedule.objects.create(event=setup.event, status=ScheduleStatus.SUCCEEDED, published=True)
    ScheduledMeeting.objects.create(schedule=schedule, request=req, slot=slot, table=1)

    cal = Calendar.from_ical(agenda_ics(regs[0]))

    (vtimezone,) = cal.walk("VTIMEZONE")
    assert vtimezone["tzid"] == "Europe/Brussels"
    offsets = {(part.name, part["tzoffsetto"].to_ical()) for part in vtimezone.subcomponents}
    assert offsets == {("STANDARD", "+0100"), ("DAYLIGHT", "+0200")}
    (vevent,) = cal.walk("VEVENT")
    assert vevent["dtstart"].params["TZID"] == "Europe/Brussels"
    assert vevent.decoded("dtstart").astimezone(BRUSSELS).strftime("%H:%M") == "09:00"
    # the meeting's moment, read with the VTIMEZONE's own rules, is the slot's
    assert vevent.decoded("dtstart") == slot.start
