"""Integration: the event pages — a participant requests a meeting, the other accepts, the organiser runs
and publishes the schedule, the participant reads the agenda page and downloads the .ics."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from helix.events.models import (
    Event,
    EventMeetingRequest,
    Registration,
    RequestStatus,
    Room,
    Schedule,
    TimeSlot,
)
from tests.factories import ClusterFactory, OrganisationFactory, member_user, staff_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_request_accept_schedule_publish_and_agenda(client, django_capture_on_commit_callbacks):
    cluster = ClusterFactory(name="Smart Energy Cities")
    organiser = staff_user(cluster, "organiser")
    event = Event.objects.create(cluster=cluster, title="Brokerage day", venue="Expo", status="open")
    start = datetime(2026, 12, 3, 14, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    for k in range(3):
        TimeSlot.objects.create(
            event=event, start=start + timedelta(minutes=20 * k), end=start + timedelta(minutes=20 * k + 15)
        )
    Room.objects.create(event=event, name="Hall", tables=3)
    city, company = OrganisationFactory(name="City of Genk"), OrganisationFactory(name="HeatCo")
    u_city, u_company = member_user(city, "city"), member_user(company, "company")
    r_city = Registration.objects.create(event=event, person=u_city.person, organisation=city)
    r_company = Registration.objects.create(event=event, person=u_company.person, organisation=company)

    client.force_login(u_company)
    page = client.get(f"/events/{event.pk}/")
    assert page.status_code == 200
    assert f'name="request-{r_city.pk}"' in page.content.decode()
    client.post(f"/events/{event.pk}/request/", {"requester": r_company.pk, "requested": r_city.pk})
    req = EventMeetingRequest.objects.get()
    assert req.status == RequestStatus.REQUESTED
    # the company cannot answer its own request
    client.post(f"/events/requests/{req.pk}/answer/", {"answer": "accept"})
    req.refresh_from_db()
    assert req.status == RequestStatus.REQUESTED

    client.force_login(u_city)
    client.post(f"/events/requests/{req.pk}/answer/", {"answer": "accept"})
    req.refresh_from_db()
    assert req.status == RequestStatus.ACCEPTED
    assert client.get(f"/events/{event.pk}/grid/").status_code == 403  # organiser only

    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/events/{event.pk}/schedule/", {"mode": "all", "fairness": "", "time_limit": "5"})
    schedule = Schedule.objects.get()
    assert schedule.status == "succeeded", schedule.message
    client.post(f"/events/schedules/{schedule.pk}/publish/")
    schedule.refresh_from_db()
    assert schedule.published
    grid = client.get(f"/events/{event.pk}/grid/").content.decode()
    assert "HeatCo · City of Genk" in grid

    client.force_login(u_company)
    agenda = client.get(f"/events/registrations/{r_company.pk}/agenda/").content.decode()
    slot = schedule.meetings.get().slot
    assert "City of Genk" in agenda
    assert f"{slot.start.astimezone(ZoneInfo('Europe/Brussels')):%H:%M}" in agenda
    ics = client.get(f"/events/registrations/{r_company.pk}/agenda.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(ics.content)
    (vevent,) = cal.walk("VEVENT")
    assert vevent.decoded("dtstart") == slot.start
    assert "City of Genk" in str(vevent["summary"])
    # someone else's agenda is not visible
    assert client.get(f"/events/registrations/{r_city.pk}/agenda/").status_code == 403


def test_a_running_schedule_row_polls_and_shows_the_jobs_progress(client):
    from helix.events.models import Schedule
    from helix.jobs.models import Job
    from tests.events.helpers import small_event

    setup = small_event(["A", "B"])
    job = Job.objects.create(
        kind="events.schedule",
        title="Schedule",
        status="running",
        message="proved: at least 2 breaks",
        done=3,
        total=30,
    )
    schedule = Schedule.objects.create(event=setup.event, status="running", job=job)
    client.force_login(setup.organiser)
    row = client.get(f"/events/schedules/{schedule.pk}/").content.decode()
    assert f'hx-get="/events/schedules/{schedule.pk}/"' in row
    assert 'hx-trigger="every 2s"' in row
    assert "proved: at least 2 breaks" in row
    Schedule.objects.filter(pk=schedule.pk).update(status="succeeded")
    done = client.get(f"/events/schedules/{schedule.pk}/").content.decode()
    assert "hx-get" not in done
    assert 'name="publish"' in done
    client.force_login(setup.users[0])
    assert client.get(f"/events/schedules/{schedule.pk}/").status_code == 403


def test_bad_numbers_and_refusals_come_back_as_messages(client):
    from tests.events.helpers import small_event

    setup = small_event(["A", "B"])
    a, b = setup.registrations
    client.force_login(setup.users[0])
    page = client.post(
        f"/events/{setup.event.pk}/request/",
        {"requester": a.pk, "requested": b.pk, "priority": "high"},
        follow=True,
    )
    assert page.status_code == 200
    assert "A number was expected." in page.content.decode()
    page = client.post(f"/events/{setup.event.pk}/schedule/", {"mode": "all"}, follow=True)
    assert "Only the organiser schedules." in page.content.decode()


def test_a_schedule_row_names_its_mode_in_words(client):
    from tests.events.helpers import small_event

    setup = small_event(["A", "B"])
    schedule = Schedule.objects.create(event=setup.event, status="succeeded", mode="max")
    client.force_login(setup.organiser)
    row = client.get(f"/events/schedules/{schedule.pk}/").content.decode()
    assert "<td>Most meetings held, then fewest breaks</td>" in row
    assert "<td>max</td>" not in row
