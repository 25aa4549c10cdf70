"""Integration: the day and after — the organiser checks participants in (one click, or many at once) and
records whether each meeting was held; participants see the online link of their online meetings (event
page, agenda page, agenda PDF) and rate their meetings once held; the organisers read the figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from helix.events import meeting_requests
from helix.events.models import (
    MeetingRating,
    Registration,
    RequestStatus,
    Schedule,
    ScheduledMeeting,
    TimeSlot,
)
from tests.events.helpers import pdf_text, rename_users, small_event

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def day(db):  # type: ignore[no-untyped-def]
    """Three participants; HeatCo meets City of Genk (online, Genk's room) in the first slot and Robots at
    table 2 in the second: a published schedule."""
    setup = small_event(["HeatCo", "City of Genk", "Robots"])
    heatco, genk, robots = setup.registrations
    Registration.objects.filter(pk=genk.pk).update(online=True, online_link="https://meet.example/genk")
    genk.refresh_from_db()
    online = meeting_requests.request_meeting(setup.users[0], heatco, genk)
    at_table = meeting_requests.request_meeting(setup.users[2], robots, heatco)
    for req in (online, at_table):
        req.status = RequestStatus.ACCEPTED
        req.save()
    schedule = Schedule.objects.create(
        event=setup.event, status="succeeded", published=True, published_at=timezone.now()
    )
    first, second, _third = setup.event.slots.order_by("start")
    ScheduledMeeting.objects.create(schedule=schedule, request=online, slot=first, table=None)
    ScheduledMeeting.objects.create(schedule=schedule, request=at_table, slot=second, table=2)
    setup.online, setup.at_table = online, at_table  # type: ignore[attr-defined]
    move_days(setup.event, 7)  # the event is next week
    return setup


def move_days(event, days: int) -> None:  # type: ignore[no-untyped-def]
    """Move the event's slots to ``days`` from now (negative: its meetings took place), keeping their
    hours."""
    first = event.slots.order_by("start").first().start
    shift = dt.timedelta(days=(timezone.now() - first).days + days)
    for slot in event.slots.order_by("-start" if days > 0 else "start"):
        TimeSlot.objects.filter(pk=slot.pk).update(start=slot.start + shift, end=slot.end + shift)


def in_the_past(event) -> None:  # type: ignore[no-untyped-def]
    move_days(event, -7)


# -- check-in ------------------------------------------------------------------------------------------------


def test_the_organiser_checks_a_participant_in_and_out_in_the_row(client, day):
    heatco = day.registrations[0]
    client.force_login(day.organiser)

    row = client.post(
        f"/events/registrations/{heatco.pk}/check-in/", {"present": "yes"}, **HTMX
    ).content.decode()

    heatco.refresh_from_db()
    assert heatco.checked_in_at is not None
    assert row.startswith(f'<tr id="registration-{heatco.pk}" class="registration-row">')
    local = timezone.localtime(heatco.checked_in_at, day.event.slots.first().start.tzinfo)
    assert "In at" in row
    assert f'name="undo-check-in-{heatco.pk}"' in row
    assert local.tzinfo is not None
    client.post(f"/events/registrations/{heatco.pk}/check-in/", {"present": "no"}, **HTMX)
    heatco.refresh_from_db()
    assert heatco.checked_in_at is None


def test_the_check_in_time_is_shown_in_the_event_s_time_zone(client, day):
    heatco = day.registrations[0]
    Registration.objects.filter(pk=heatco.pk).update(
        checked_in_at=dt.datetime(2026, 12, 3, 8, 5, tzinfo=dt.UTC)
    )
    client.force_login(day.organiser)
    html = client.get(f"/events/{day.event.pk}/").content.decode()
    assert "In at 09:05" in html  # 08:05 UTC is 09:05 in Brussels


def test_the_organiser_checks_many_in_at_once(client, day):
    client.force_login(day.organiser)
    ids = [r.pk for r in day.registrations[:2]]

    client.post(f"/events/{day.event.pk}/participants/bulk/", {"action": "check_in", "ids": ids})

    checked = set(Registration.objects.filter(checked_in_at__isnull=False).values_list("pk", flat=True))
    assert checked == set(ids)
    client.post(f"/events/{day.event.pk}/participants/bulk/", {"action": "undo_check_in", "ids": ids[:1]})
    assert set(Registration.objects.filter(checked_in_at__isnull=False).values_list("pk", flat=True)) == {
        ids[1]
    }


def test_checking_many_in_is_logged_and_reads_as_many_queries_for_few_and_many(client):
    """One logged update for the participants chosen, whatever their number: each gets its audit entry."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (2, 6):
        setup = small_event([f"Org {size}-{k}" for k in range(size)], title=f"Day {size}")
        ids = [r.pk for r in setup.registrations]
        client.force_login(setup.organiser)
        with CaptureQueriesContext(connection) as queries:
            client.post(f"/events/{setup.event.pk}/participants/bulk/", {"action": "check_in", "ids": ids})
        counts.append(len(queries))
        assert Registration.objects.filter(pk__in=ids, checked_in_at__isnull=False).count() == size
        logged = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Registration),
            object_pk__in=[str(i) for i in ids],
            action=LogEntry.Action.UPDATE,
        )
        assert sorted(e.object_pk for e in logged if "checked_in_at" in e.changes_dict) == sorted(
            str(i) for i in ids
        )
        rename_users(setup, size)
    assert counts[0] == counts[1]


def test_a_bulk_check_in_without_a_choice_says_so(client, day):
    client.force_login(day.organiser)
    bulk = f"/events/{day.event.pk}/participants/bulk/"
    response = client.post(bulk, {"action": "check_in"}, follow=True)
    other = client.post(bulk, {"action": "teleport", "ids": [day.registrations[0].pk]}, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Choose at least one participant."]
    assert [str(m) for m in other.context["messages"]] == ["Choose what to do with the participants chosen."]
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_participants_do_not_check_in(client, day):
    heatco = day.registrations[0]
    client.force_login(day.users[0])
    client.post(f"/events/registrations/{heatco.pk}/check-in/", {"present": "yes"})
    client.post(f"/events/{day.event.pk}/participants/bulk/", {"action": "check_in", "ids": [heatco.pk]})
    heatco.refresh_from_db()
    assert heatco.checked_in_at is None


# -- held or not ---------------------------------------------------------------------------------------------


def test_the_organiser_records_held_and_no_show_in_the_row(client, day):
    client.force_login(day.organiser)
    page = client.get(f"/events/{day.event.pk}/").content.decode()
    assert f'<tr id="meeting-{day.online.pk}" class="meeting-row">' in page

    row = client.post(
        f"/events/requests/{day.online.pk}/outcome/", {"outcome": "held"}, **HTMX
    ).content.decode()
    day.online.refresh_from_db()
    assert day.online.outcome == "held"
    assert row.startswith(f'<tr id="meeting-{day.online.pk}" class="meeting-row">')
    assert 'value="pending" aria-pressed="true">Held</button>' in row  # pressed again: takes it back

    client.post(f"/events/requests/{day.online.pk}/outcome/", {"outcome": "no_show"}, **HTMX)
    day.online.refresh_from_db()
    assert day.online.outcome == "no_show"


def test_only_a_scheduled_meeting_has_an_outcome(client, day):
    _heatco, genk, robots = day.registrations
    loose = meeting_requests.request_meeting(day.users[1], genk, robots)  # a request outside the schedule
    client.force_login(day.organiser)
    response = client.post(f"/events/requests/{loose.pk}/outcome/", {"outcome": "held"}, follow=True)
    assert "Only a meeting of the published schedule is held or missed." in response.content.decode()
    loose.refresh_from_db()
    assert loose.outcome == "pending"


# -- online links --------------------------------------------------------------------------------------------


def test_participants_see_the_online_link_of_their_online_meetings(client, day):
    heatco = day.registrations[0]
    client.force_login(day.users[0])

    event_page = client.get(f"/events/{day.event.pk}/").content.decode()
    agenda = client.get(f"/events/registrations/{heatco.pk}/agenda/").content.decode()
    pdf = pdf_text(client.get(f"/events/registrations/{heatco.pk}/agenda.pdf").content)

    link = '<a href="https://meet.example/genk" class="online-link"'
    assert event_page.count(link) == 1  # the accepted online meeting, not the one at a table
    assert agenda.count(link) == 1
    assert "Table 2" in agenda
    assert "https://meet.example/genk" in pdf
    assert "table 2" in pdf


def test_nobody_else_sees_the_link(client, day):
    client.force_login(day.users[2])  # Robots meets HeatCo at a table
    assert "meet.example" not in client.get(f"/events/{day.event.pk}/").content.decode()


# -- ratings and figures -------------------------------------------------------------------------------------


def test_a_meeting_is_rated_once_it_has_taken_place(client, day):
    heatco = day.registrations[0]
    client.force_login(day.users[0])
    url = f"/events/requests/{day.at_table.pk}/rate/"
    form = {"registration": heatco.pk, "useful": "yes", "follow_up": "no"}

    assert (
        'class="rating-form"' not in client.get(f"/events/registrations/{heatco.pk}/agenda/").content.decode()
    )
    early = client.post(url, form, follow=True)
    assert "A meeting is rated once it has taken place." in early.content.decode()

    in_the_past(day.event)
    agenda = client.get(f"/events/registrations/{heatco.pk}/agenda/").content.decode()
    assert 'class="rating-form"' in agenda
    client.post(url, {**form, "next": f"/events/registrations/{heatco.pk}/agenda/"})
    client.post(url, {**form, "follow_up": "yes"})  # rating again replaces the word

    rating = MeetingRating.objects.get()
    assert (rating.registration, rating.useful, rating.follow_up) == (heatco, True, True)


def test_only_a_side_rates_for_itself(client, day):
    in_the_past(day.event)
    heatco, genk, _robots = day.registrations
    client.force_login(day.users[2])  # Robots is a side of at_table, but not of the online meeting
    client.post(f"/events/requests/{day.at_table.pk}/rate/", {"registration": heatco.pk, "useful": "yes"})
    client.post(f"/events/requests/{day.online.pk}/rate/", {"registration": genk.pk, "useful": "yes"})
    assert not MeetingRating.objects.exists()


def test_the_organisers_read_the_figures_after_the_event(client, day):
    in_the_past(day.event)
    heatco, _genk, robots = day.registrations
    client.force_login(day.organiser)
    client.post(
        f"/events/{day.event.pk}/participants/bulk/", {"action": "check_in", "ids": [heatco.pk, robots.pk]}
    )
    client.post(f"/events/requests/{day.online.pk}/outcome/", {"outcome": "no_show"})
    client.post(f"/events/requests/{day.at_table.pk}/outcome/", {"outcome": "held"})
    for user, registration, useful, follow_up in (
        (day.users[0], heatco, "yes", "yes"),
        (day.users[2], robots, "no", "no"),
    ):
        client.force_login(user)
        client.post(
            f"/events/requests/{day.at_table.pk}/rate/",
            {"registration": registration.pk, "useful": useful, "follow_up": follow_up},
        )
    client.force_login(day.users[0])
    assert client.get(f"/events/{day.event.pk}/statistics/").status_code == 403

    client.force_login(day.organiser)
    response = client.get(f"/events/{day.event.pk}/statistics/")

    figures = response.context["figures"]
    assert (
        figures.registrations,
        figures.checked_in,
        figures.scheduled,
        figures.held,
        figures.no_shows,
        figures.ratings,
        figures.useful_meetings,
        figures.follow_up_meetings,
    ) == (3, 2, 2, 1, 1, 2, 1, 1)
    html = response.content.decode()
    assert '<p class="stat__value">2 <span class="stat__share">67 %</span></p>' in html  # checked in
    assert '<p class="stat__value">1 <span class="stat__share">50 %</span></p>' in html  # held
    assert 'id="statistics-link"' in client.get(f"/events/{day.event.pk}/").content.decode()
