"""What participants are told: a meeting request (with answer links), its answer, the published or changed
agenda with the .ics attached in the event's time zone and the reader's language, deadline reminders, and
the other side of meetings cancelled by a withdrawal."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from icalendar import Calendar

from helix.events import meeting_requests, schedules
from helix.events.models import Registration, RequestStatus, Schedule, ScheduledMeeting, ScheduleStatus
from helix.events.notices import remind_request_deadlines
from helix.notifications.models import Notification, NotificationSettings
from helix.notifications.services import save_preferences
from tests.events.helpers import small_event
from tests.factories import PersonFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

BRUSSELS = ZoneInfo("Europe/Brussels")
LINK = re.compile(r"http://127\.0\.0\.1:8000(/events/answer/[^/\s]+/)")


@pytest.fixture
def three():  # type: ignore[no-untyped-def]
    return small_event(["HeatCo", "City of Genk", "Robots"], slots=3, tables=2, venue="C-Mine, Genk")


def test_the_person_asked_gets_an_email_with_accept_and_decline_links(
    three, django_capture_on_commit_callbacks
):
    heatco, genk, _robots = three.registrations
    with django_capture_on_commit_callbacks(execute=True):
        meeting_requests.request_meeting(three.users[0], heatco, genk, message="About your heat network")

    (sent,) = mail.outbox
    assert sent.to == [genk.person.email]
    assert sent.subject == "Meeting request from HeatCo"
    assert "About your heat network" in sent.body
    assert "3 December 2026, 09:00–10:25" in sent.body  # the event's date, Brussels time
    accept, decline = LINK.findall(sent.body)
    assert accept != decline
    note = Notification.objects.get(recipient=three.users[1])
    assert (note.message, note.url) == ("events.request_received", f"/events/{three.event.pk}/")


def test_a_participant_without_an_account_is_asked_by_email(three, django_capture_on_commit_callbacks):
    heatco = three.registrations[0]
    outsider = PersonFactory(first_name="Jo", email="jo@example.org")
    theirs = Registration.objects.create(
        event=three.event, person=outsider, organisation=outsider.organisation
    )
    with django_capture_on_commit_callbacks(execute=True):
        meeting_requests.request_meeting(three.users[0], heatco, theirs)
    (sent,) = mail.outbox
    assert sent.to == ["jo@example.org"]
    assert len(LINK.findall(sent.body)) == 2


def test_the_requester_hears_the_answer(three, django_capture_on_commit_callbacks):
    heatco, genk, _robots = three.registrations
    request = meeting_requests.request_meeting(three.users[0], heatco, genk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_requests.answer_request(three.users[1], request, accept=False)
    (sent,) = mail.outbox
    assert sent.to == [heatco.person.email]
    assert sent.subject == "City of Genk declined your meeting request"
    assert Notification.objects.filter(recipient=three.users[0], message="events.request_declined").exists()


def publish(three, pairs, schedule=None):  # type: ignore[no-untyped-def]
    """A succeeded run with meetings (requester, requested, slot index, table), published."""
    regs = three.registrations
    slots = list(three.event.slots.order_by("start"))
    schedule = Schedule.objects.create(event=three.event, status=ScheduleStatus.SUCCEEDED)
    for a, b, slot, table in pairs:
        request = three.event.requests.filter(requester=regs[a], requested=regs[b]).first()
        if request is None:
            request = three.event.requests.create(requester=regs[a], requested=regs[b], status="accepted")
        ScheduledMeeting.objects.create(schedule=schedule, request=request, slot=slots[slot], table=table)
    return schedules.publish_schedule(three.organiser, schedule)


def test_a_published_agenda_comes_with_its_ics_in_the_events_time_zone(
    three, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(three, [(0, 1, 0, 1), (0, 2, 1, 2)])

    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {r.person.email for r in three.registrations}
    heatco = by_address[three.registrations[0].person.email]
    assert heatco.subject == "Your agenda for Brokerage day"
    assert heatco.body.startswith("The schedule of Brokerage day is published: you have 2 meetings.")
    assert "09:00–09:25  City of Genk" in heatco.body  # 08:00 UTC, shown in Brussels time
    assert "09:30–09:55  Robots" in heatco.body
    ((name, content, ctype),) = heatco.attachments
    assert (name, ctype) == (f"agenda-{three.event.pk}-{three.registrations[0].pk}.ics", "text/calendar")
    calendar = Calendar.from_ical(content)
    starts = sorted(v.decoded("dtstart") for v in calendar.walk("VEVENT"))
    assert [s.astimezone(BRUSSELS).strftime("%H:%M") for s in starts] == ["09:00", "09:30"]
    assert calendar.walk("VEVENT")[0]["dtstart"].params["TZID"] == "Europe/Brussels"
    genk = by_address[three.registrations[1].person.email]
    assert len(genk.attachments) == 1


def test_the_agenda_mail_follows_the_readers_language(three, django_capture_on_commit_callbacks):
    save_preferences(three.users[0], language="nl", deliveries={})
    with django_capture_on_commit_callbacks(execute=True):
        publish(three, [(0, 1, 0, 1)])
    heatco = next(m for m in mail.outbox if m.to == [three.registrations[0].person.email])
    assert "3 december 2026" in heatco.body
    assert "09:00–09:25" in heatco.body


def test_a_participant_without_meetings_is_told_without_a_file(three, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(three, [(0, 1, 0, 1)])
    robots = next(m for m in mail.outbox if m.to == [three.registrations[2].person.email])
    assert robots.attachments == []
    assert "You have no meeting in this schedule." in robots.body


def test_publishing_again_tells_only_those_whose_agenda_changed(three, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(three, [(0, 1, 0, 1), (1, 2, 1, 1)])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(three, [(0, 1, 0, 1), (1, 2, 2, 1)])  # Genk and Robots move to 10:00
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.person.email for r in three.registrations[1:])
    assert {m.subject for m in mail.outbox} == {"Your agenda for Brokerage day changed"}


def test_a_reminder_two_days_before_the_request_deadline_once(three, django_capture_on_commit_callbacks):
    now = dt.datetime(2026, 11, 30, 12, 0, tzinfo=BRUSSELS)
    three.event.request_deadline = now + dt.timedelta(days=1, hours=20)
    three.event.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_request_deadlines(now - dt.timedelta(days=1), force=True) == 0  # not yet
        assert remind_request_deadlines(now, force=True) == 3
        assert remind_request_deadlines(now, force=True) == 0
    assert {m.subject for m in mail.outbox} == {"Meeting requests for Brokerage day close soon"}
    assert "2 December 2026, 08:00" in mail.outbox[0].body


def test_a_withdrawal_tells_the_other_side_with_the_new_agenda(three, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(three, [(0, 1, 0, 1), (1, 2, 1, 1)])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        (done,) = schedules.withdraw_from_published_schedules(None, three.registrations[0].person)
    assert done.notified == 1
    (sent,) = mail.outbox
    assert sent.to == [three.registrations[1].person.email]
    assert sent.subject == "Meeting cancelled: Brokerage day"
    assert "Your meeting with HeatCo at Brokerage day on 3 December 2026, 09:00 is cancelled" in sent.body
    (attachment,) = sent.attachments
    assert len(Calendar.from_ical(attachment[1]).walk("VEVENT")) == 1  # what remains: Genk–Robots


def test_off_for_agendas_sends_no_agenda(three, django_capture_on_commit_callbacks):
    from helix.notifications.models import Delivery, Kind

    save_preferences(three.users[0], language="en", deliveries={Kind.AGENDA: Delivery.OFF})
    with django_capture_on_commit_callbacks(execute=True):
        publish(three, [(0, 1, 0, 1)])
    assert three.registrations[0].person.email not in {m.to[0] for m in mail.outbox}
    assert Notification.objects.filter(recipient=three.users[0], message="events.agenda_published").exists()
    assert NotificationSettings.objects.filter(user=three.users[0]).exists()


def test_request_status_is_unchanged_by_telling(three):
    heatco, genk, _robots = three.registrations
    request = meeting_requests.request_meeting(three.users[0], heatco, genk)
    request.refresh_from_db()
    assert request.status == RequestStatus.REQUESTED


def test_a_sweep_after_everyone_was_reminded_costs_the_same_few_queries(three):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = dt.datetime(2026, 11, 30, 12, 0, tzinfo=BRUSSELS)
    three.event.request_deadline = now + dt.timedelta(days=1)
    three.event.save()
    assert remind_request_deadlines(now, force=True) == 3
    with CaptureQueriesContext(connection) as queries:
        assert remind_request_deadlines(now, force=True) == 0
    # the events, their reachable registrations, the reminders sent: not one query per participant
    assert len(queries) == 3, [q["sql"] for q in queries]
