"""Integration: participants see when and where an event takes place (events list, event page, agenda page
and agenda PDF), in English as read in Belgium (day first, 24 h) and in the event's time zone; the event
page shows its description, escaped, with its line breaks."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helix.events.models import Event, EventStatus, TimeSlot
from tests.events.helpers import BRUSSELS, pdf_text, small_event

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

# small_event: three slots of 25 minutes every half hour from 09:00 Brussels time on 3 December 2026.
WHEN = "3 December 2026, 09:00–10:25"


def test_events_list_shows_the_date_hours_and_place(client):
    setup = small_event(["HeatCo"], venue="C-Mine, Genk")
    client.force_login(setup.users[0])
    html = client.get("/events/").content.decode()
    assert f'<span class="event-when">{WHEN} · C-Mine, Genk</span>' in html


def test_events_list_asks_the_slots_once_for_all_events(client):
    setup = small_event(["HeatCo"])
    for k in range(2):
        other = Event.objects.create(cluster=setup.event.cluster, title=f"Day {k}", status=EventStatus.OPEN)
        TimeSlot.objects.create(
            event=other,
            start=datetime(2027, 1, 5 + k, 14, 0, tzinfo=BRUSSELS),
            end=datetime(2027, 1, 5 + k, 14, 30, tzinfo=BRUSSELS),
        )
    client.force_login(setup.users[0])
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/events/").content.decode()
    assert WHEN in html
    assert "5 January 2027, 14:00–14:30" in html
    assert "6 January 2027, 14:00–14:30" in html
    assert len([q for q in queries.captured_queries if "events_timeslot" in q["sql"]]) == 1


def test_event_page_shows_the_date_place_and_escaped_description(client):
    setup = small_event(
        ["HeatCo"],
        venue="C-Mine, Genk",
        description="Meet the heat network.\nBring your <b>offers</b> & needs.",
    )
    client.force_login(setup.users[0])
    html = client.get(f"/events/{setup.event.pk}/").content.decode()
    assert f'<p class="event-when" id="event-when">{WHEN} · C-Mine, Genk</p>' in html
    assert (
        '<div id="event-description"><p>Meet the heat network.<br>'
        "Bring your &lt;b&gt;offers&lt;/b&gt; &amp; needs.</p></div>"
    ) in html
    assert "<b>offers</b>" not in html


def test_event_page_without_slots_or_place_shows_no_date_line(client):
    setup = small_event(["HeatCo"], slots=0)
    client.force_login(setup.users[0])
    html = client.get(f"/events/{setup.event.pk}/").content.decode()
    assert 'id="event-when"' not in html
    assert 'id="event-description"' not in html


def test_hours_are_those_of_the_events_time_zone(client):
    setup = small_event(["HeatCo"], time_zone="Europe/London")  # 09:00 in Brussels is 08:00 in London
    client.force_login(setup.users[0])
    html = client.get(f"/events/{setup.event.pk}/").content.decode()
    assert '<p class="event-when" id="event-when">3 December 2026, 08:00–09:25</p>' in html


def test_an_event_over_two_days_shows_both_ends():
    setup = small_event(["HeatCo"], slots=1)
    TimeSlot.objects.create(
        event=setup.event,
        start=datetime(2026, 12, 4, 16, 0, tzinfo=BRUSSELS),
        end=datetime(2026, 12, 4, 16, 0, tzinfo=BRUSSELS) + timedelta(minutes=25),
    )
    event = Event.objects.get(pk=setup.event.pk)
    assert event.when == "3 December 2026, 09:00 to 4 December 2026, 16:25"


def test_agenda_page_and_pdf_show_the_date_and_place(client):
    setup = small_event(["HeatCo"], venue="C-Mine, Genk")
    registration = setup.registrations[0]
    client.force_login(setup.users[0])
    html = client.get(f"/events/registrations/{registration.pk}/agenda/").content.decode()
    assert f'<p class="event-when" id="event-when">{WHEN} · C-Mine, Genk</p>' in html
    response = client.get(f"/events/registrations/{registration.pk}/agenda.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "3 December 2026, 09:00" in text
    assert "C-Mine, Genk" in text
