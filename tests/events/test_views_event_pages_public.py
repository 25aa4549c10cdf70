"""Integration: the public event page — date, place, time zone, programme in the event's time, the
description, who comes (only organisations with a published profile; people named only with their
consent) and what they offer and seek (only what the visitor may see); registering in one click with an
account of an organisation, a sign-up form otherwise; the success message shown once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helix.events import meeting_requests, services
from helix.events.models import Registration
from tests.factories import (
    ClusterFactory,
    OrganisationFactory,
    PersonFactory,
    make_listing,
    member_user,
    staff_user,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def event(db):  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(name="Smart Energy Cities")
    organiser = staff_user(cluster, "organiser")
    event = services.create_event(
        organiser,
        cluster=cluster,
        title="Renovation brokerage day",
        day=dt.date(2026, 12, 3),
        first_slot=dt.time(9, 0),
        slot_minutes=20,
        gap_minutes=5,
        morning_slots=3,
        lunch_minutes=60,
        afternoon_slots=2,
        tables=4,
        venue="C-Mine, Genk",
        description="Meet the cities that renovate.\nBring your heat pumps.",
    )
    consenting = OrganisationFactory(name="HeatCo")
    PersonFactory(organisation=consenting, first_name="Ann", last_name="Public", consent_public=True)
    quiet = OrganisationFactory(name="City of Genk")
    PersonFactory(organisation=quiet, first_name="Bert", last_name="Private", consent_public=False)
    hidden = OrganisationFactory(name="Stealth BV", is_published=False)
    PersonFactory(organisation=hidden, first_name="Cleo", last_name="Hidden", consent_public=True)
    for organisation in (consenting, quiet, hidden):
        for person in organisation.people.all():
            Registration.objects.create(event=event, person=person, organisation=organisation)
    make_listing(consenting, side="offer", title="Heat pumps for schools", visibility="public")
    make_listing(consenting, side="need", title="Members-only need of HeatCo", visibility="members")
    make_listing(quiet, side="need", title="Draft need of Genk", status="draft")
    make_listing(quiet, side="need", title="Renovated school buildings", visibility="public")
    return event


def test_a_visitor_reads_when_where_the_programme_and_the_description(client, event):
    html = client.get(f"/events/{event.pk}/").content.decode()

    assert "3 December 2026, 09:00–11:55" in html
    assert "C-Mine, Genk" in html
    assert '<dd id="event-zone">Europe/Brussels, CET, UTC+01:00</dd>' in html
    assert "<p>Meet the cities that renovate.<br>Bring your heat pumps.</p>" in html
    # the programme: the morning 09:00–10:10 (3 slots of 20 minutes every 25), the afternoon after an
    # hour's lunch, in Brussels time (the database holds UTC)
    assert "<strong>09:00–10:10</strong> · Morning" in html
    assert "3 meeting slots of 20 minutes" in html
    assert "<strong>11:10–11:55</strong> · Afternoon" in html
    assert "2 meeting slots of 20 minutes" in html


def test_a_visitor_sees_published_organisations_and_only_consenting_people(client, event):
    html = client.get(f"/events/{event.pk}/").content.decode()

    assert 'id="participant-list"' in html
    assert "HeatCo" in html
    assert "City of Genk" in html
    assert "Stealth BV" not in html
    assert "Cleo Hidden" not in html
    assert "Ann Public" in html
    assert "Bert Private" not in html


def test_a_visitor_sees_only_the_needs_and_offers_the_market_shows_them(client, event):
    html = client.get(f"/events/{event.pk}/").content.decode()

    assert "Heat pumps for schools" in html
    assert "Renovated school buildings" in html
    assert "Members-only need of HeatCo" not in html
    assert "Draft need of Genk" not in html


def test_a_visitor_gets_the_sign_up_form_not_the_one_click_button(client, event):
    html = client.get(f"/events/{event.pk}/").content.decode()

    assert 'id="signup-form"' in html
    assert 'name="register"' not in html
    for field in ("first_name", "last_name", "email", "organisation_name"):
        assert f'name="{field}"' in html


def test_a_closed_or_draft_event(client, event):
    event.status = "closed"
    event.save()
    html = client.get(f"/events/{event.pk}/").content.decode()
    assert 'id="registration-closed"' in html
    assert 'id="signup-form"' not in html

    event.status = "draft"
    event.save()
    assert client.get(f"/events/{event.pk}/").status_code == 404


def test_a_member_registers_in_one_click_and_sees_the_message_once(client, event):
    user = member_user(OrganisationFactory(name="Enervalis"), "lotte")
    client.force_login(user)
    html = client.get(f"/events/{event.pk}/").content.decode()
    assert 'name="register"' in html
    assert 'id="signup-form"' not in html

    response = client.post(f"/events/{event.pk}/register/", follow=True)

    html = response.content.decode()
    assert Registration.objects.filter(event=event, person=user.person).exists()
    assert html.count("You are registered.") == 1  # the message, once (base.html shows the messages)
    assert html.count("message--success") == 1
    assert 'id="registered-note"' in html
    assert 'name="register"' not in html


def test_a_participant_sees_every_participant_by_name(client, event):
    """The event's own participants meet each other: they see the people whatever their consent."""
    person = event.registrations.get(person__last_name="Private").person
    user = member_user(person.organisation, "bert-user")
    Registration.objects.filter(person=person).update(person=user.person)
    client.force_login(user)

    html = client.get(f"/events/{event.pk}/").content.decode()

    assert "Ann Public" in html
    assert "Cleo Hidden" in html
    assert "Stealth BV" in html  # a signed-in user sees every registered organisation


@pytest.mark.parametrize("role", ["anonymous", "participant", "organiser"])
def test_the_event_page_reads_the_same_number_of_queries_for_a_few_and_many_participants(client, role):
    from tests.events.helpers import rename_users, small_event

    counts = []
    for size in (3, 9):
        setup = small_event([f"Org {size}-{k}" for k in range(size)], title=f"Day {size}")
        for reg in setup.registrations:
            make_listing(reg.organisation, side="offer", title=f"Offer of {reg.organisation.name}")
        first, second = setup.registrations[:2]
        meeting_requests.request_meeting(setup.users[0], first, second)
        if role == "participant":
            client.force_login(setup.users[0])
        elif role == "organiser":
            client.force_login(setup.organiser)
        else:
            client.logout()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/events/{setup.event.pk}/").status_code == 200
        counts.append(len(queries))
        rename_users(setup, size)
    assert counts[0] == counts[1]
