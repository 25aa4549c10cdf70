"""E2E: a participant without an account receives a meeting request by e-mail, opens its Accept link
without logging in and confirms; the requester sees the answer in their notifications; after the organiser
publishes the schedule, the participant receives the agenda e-mail whose text and .ics show the slot at
its local time (09:00 in Brussels, not 08:00)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from icalendar import Calendar

from helix.events import meeting_requests, schedules, services
from helix.events.models import EventMeetingRequest, Registration, Schedule
from tests.factories import ClusterFactory, OrganisationFactory, PersonFactory, member_user, staff_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"
BRUSSELS = ZoneInfo("Europe/Brussels")
LINK = re.compile(r"http://127\.0\.0\.1:8000(/events/answer/[^/\s]+/)")


def log_in(page, username):  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()


def test_accept_by_link_then_the_agenda_in_local_time(page):  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(name="Smart Energy Cities")
    organiser = staff_user(cluster, "organiser")
    company = member_user(OrganisationFactory(name="HeatCo"), "company")
    lea = PersonFactory(
        organisation=OrganisationFactory(name="City of Genk", working_languages="en"),
        first_name="Lea",
        last_name="Maes",
        email="lea.maes@genk.example.org",
    )  # no account
    event = services.create_event(
        organiser,
        cluster=cluster,
        title="Renovation brokerage day",
        venue="C-Mine, Genk",
        day=dt.date(2099, 12, 3),  # winter: Brussels is UTC+1, so 09:00 there is 08:00 UTC
        first_slot=dt.time(9, 0),
        slot_minutes=25,
        gap_minutes=5,
        morning_slots=1,
        lunch_minutes=60,
        afternoon_slots=0,
        tables=2,
    )
    asking = services.register(organiser, event, person=company.person)
    asked = services.register(organiser, event, person=lea)
    meeting_requests.request_meeting(company, asking, asked, message="Can our heat pumps serve your schools?")

    (request_mail,) = mail.outbox
    assert request_mail.to == ["lea.maes@genk.example.org"]
    assert "Can our heat pumps serve your schools?" in request_mail.body
    accept, _decline = LINK.findall(request_mail.body)

    # Lea opens the link: no log-in, a page with the request and a button; nothing answered yet
    page.goto(accept)
    assert "Meeting request from HeatCo" in page.locator("h1").inner_text()
    assert "3 December 2099, 09:00–09:25" in page.locator("#event-when").inner_text()
    assert "Log in" in page.locator(".site-nav").inner_text()  # not logged in
    assert EventMeetingRequest.objects.get().status == "requested"
    page.get_by_role("button", name="Accept the meeting").click()
    page.wait_for_selector(".message--success")
    assert "You accepted the meeting. HeatCo is told." in page.locator(".messages").inner_text()
    assert page.locator("#request-status").inner_text() == "Accepted"
    assert EventMeetingRequest.objects.get().status == "accepted"

    # the requester sees the answer in their notifications
    log_in(page, "company")
    page.wait_for_selector("#unread-badge")
    page.click("#nav-notifications")
    assert "City of Genk accepted your meeting request" in page.locator("#notification-list").inner_text()

    # the organiser runs and publishes the schedule; the agenda comes by e-mail, from a background task
    mail.outbox.clear()
    schedule = schedules.start_schedule(organiser, event, mode="all", time_limit=5)
    schedule = Schedule.objects.get(pk=schedule.pk)
    assert schedule.status == "succeeded", schedule.message
    schedules.publish_schedule(organiser, schedule)

    agenda_mail = next(m for m in mail.outbox if m.to == ["lea.maes@genk.example.org"])
    assert agenda_mail.subject == "Your agenda for Renovation brokerage day"
    assert "09:00–09:25  HeatCo" in agenda_mail.body
    assert "08:00" not in agenda_mail.body
    ((name, content, content_type),) = agenda_mail.attachments
    registration = Registration.objects.get(person=lea)
    assert (name, content_type) == (f"agenda-{event.pk}-{registration.pk}.ics", "text/calendar")
    (vevent,) = Calendar.from_ical(content).walk("VEVENT")
    assert vevent["dtstart"].params["TZID"] == "Europe/Brussels"
    assert vevent.decoded("dtstart").astimezone(BRUSSELS).strftime("%H:%M") == "09:00"
    assert vevent.decoded("dtstart") == dt.datetime(2099, 12, 3, 8, 0, tzinfo=dt.UTC)
    assert "HeatCo" in str(vevent["summary"])
