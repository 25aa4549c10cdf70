"""E2E: an organiser creates an event, participants register, request and accept a meeting, the
organiser runs and publishes the schedule, and a participant downloads an agenda that an iCalendar
parser reads back correctly."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from helix.events.models import Event, Schedule
from tests.factories import ClusterFactory, OrganisationFactory, member_user, staff_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"


def log_in(page, username):  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()


def test_organiser_to_participant_agenda(page, tmp_path):  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(name="Smart Energy Cities")
    staff_user(cluster, "organiser")
    member_user(OrganisationFactory(name="City of Genk"), "city")
    member_user(OrganisationFactory(name="HeatCo"), "company")

    log_in(page, "organiser")
    page.goto("/events/")
    page.click("#new-event")
    page.select_option("select[name=cluster]", label="Smart Energy Cities")
    page.fill("input[name=title]", "Renovation brokerage day")
    page.fill("input[name=venue]", "C-Mine, Genk")
    page.fill("input[name=day]", "2026-12-03")
    page.fill("input[name=first_slot]", "09:00")
    page.fill("input[name=morning_slots]", "3")
    page.fill("input[name=afternoon_slots]", "2")
    page.fill("input[name=tables]", "4")
    page.click("button[name=create]")
    page.wait_for_url("**/events/*/")
    event = Event.objects.get(title="Renovation brokerage day")
    assert event.slots.count() == 5

    for user in ("city", "company"):
        log_in(page, user)
        page.goto(f"/events/{event.pk}/")
        page.click("button[name=register]")
        page.wait_for_selector("#participant-list")
    # the company (logged in now) asks the city
    page.goto(f"/events/{event.pk}/")
    city_row = page.locator("#participant-list li", has_text="City of Genk")
    city_row.get_by_role("button", name="Request a meeting").click()
    page.wait_for_selector("#request-list .request-status")
    assert "Requested" in page.locator("#request-list").inner_text()

    log_in(page, "city")
    page.goto(f"/events/{event.pk}/")
    page.locator("#request-list button", has_text="Accept").click()
    page.wait_for_selector("#request-list")
    assert "Accepted" in page.locator("#request-list").inner_text()

    log_in(page, "organiser")
    page.goto(f"/events/{event.pk}/")
    page.select_option("select[name=mode]", "all")
    page.fill("input[name=time_limit]", "5")
    page.click("button[name=run]")
    page.locator("#schedule-list button[name=publish]").click()
    page.wait_for_selector("#schedule-list strong")
    schedule = Schedule.objects.get(event=event)
    assert schedule.published
    meeting = schedule.meetings.get()

    log_in(page, "company")
    page.goto(f"/events/{event.pk}/")
    with page.expect_download() as info:
        page.locator("a[id^=agenda-ics-]").click()
    path = tmp_path / "agenda.ics"
    info.value.save_as(path)
    cal = Calendar.from_ical(path.read_bytes())
    (vevent,) = cal.walk("VEVENT")
    assert vevent.decoded("dtstart") == meeting.slot.start
    assert vevent["dtstart"].params["TZID"] == "Europe/Brussels"
    assert vevent.decoded("dtstart").astimezone(ZoneInfo("Europe/Brussels")).hour in (9, 10)
    assert "City of Genk" in str(vevent["summary"])
    assert str(vevent["uid"]) == f"event-{event.pk}-request-{meeting.request_id}@helix"
