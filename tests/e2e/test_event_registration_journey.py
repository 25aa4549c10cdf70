"""E2E (phone-sized, 390 px): the organiser registers participants from the event page, one by one and from
a file, and changes a request in its row; the public event page registers a visitor (a sign-up the
organiser confirms) and a member in one click. No page is wider than the screen."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from helix.events.models import Event, EventMeetingRequest, EventSignup, Registration, Room, TimeSlot
from tests.e2e.test_events_journey import log_in
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    member_user,
    staff_user,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def brokerage_day() -> tuple[Event, object]:
    cluster = ClusterFactory(name="Smart Energy Cities")
    organiser = staff_user(cluster, "organiser")
    event = Event.objects.create(
        cluster=cluster,
        title="Renovation brokerage day",
        venue="C-Mine, Genk",
        description="Meet the cities that renovate.",
        status="open",
    )
    start = dt.datetime(2027, 3, 4, 9, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    for k in range(4):
        TimeSlot.objects.create(
            event=event,
            start=start + dt.timedelta(minutes=25 * k),
            end=start + dt.timedelta(minutes=25 * k + 20),
        )
    Room.objects.create(event=event, name="Hall", tables=4)
    return event, organiser


def test_staff_register_participants_from_the_event_page(page, tmp_path):  # type: ignore[no-untyped-def]
    event, _organiser = brokerage_day()
    enervalis = OrganisationFactory(name="Enervalis", slug="enervalis")
    MembershipFactory(organisation=enervalis, cluster=event.cluster)
    lotte = PersonFactory(
        organisation=enervalis, first_name="Lotte", last_name="Vermeulen", email="lotte@e.example"
    )
    genk = OrganisationFactory(name="City of Genk", slug="genk")
    MembershipFactory(organisation=genk, cluster=event.cluster)

    log_in(page, "organiser")
    page.goto(f"/events/{event.pk}/")
    assert page.evaluate(FITS)

    # one by one: the organisation first, its people come (htmx), then the person
    page.click("#add-participant-tool summary")
    page.select_option("#add-participant select[name=organisation]", label="Enervalis")
    page.wait_for_selector(
        f"#add-participant select[name=person] option[value='{lotte.pk}']", state="attached"
    )
    page.select_option("#add-participant select[name=person]", str(lotte.pk))
    page.click("button[name=add-participant]")
    page.wait_for_selector("#registration-table")
    assert "Lotte Vermeulen (Enervalis) is registered." in page.locator(".messages").inner_text()
    assert "Lotte Vermeulen" in page.locator("#registration-table").inner_text()

    # a new person of an organisation, typed
    page.click("#add-participant-tool summary")
    page.select_option("#add-participant select[name=organisation]", label="City of Genk")
    page.wait_for_timeout(300)  # the people of Genk (none) come in
    page.fill("#add-participant input[name=first_name]", "Jan")
    page.fill("#add-participant input[name=last_name]", "Peeters")
    page.fill("#add-participant input[name=email]", "jan@genk.example")
    page.click("button[name=add-participant]")
    page.wait_for_selector("#registration-table >> text=Jan Peeters")

    # a file with a bad row: nothing is registered, the error names the row and the column
    bad = tmp_path / "participants.csv"
    bad.write_text(
        "organisation,first_name,last_name,email\ngenk,Eva,Claes,eva@genk.example\ngenk,Tom,Wouters,nope\n"
    )
    page.click("#import-participants-tool summary")
    page.set_input_files("#import-participants input[type=file]", str(bad))
    page.click("button[name=import-participants]")
    page.wait_for_selector("#import-errors")
    assert "Row 3, column email" in page.locator("#import-errors").inner_text()
    assert page.evaluate(FITS)
    assert not Registration.objects.filter(person__email="eva@genk.example").exists()

    good = tmp_path / "participants-fixed.csv"
    good.write_text(
        "organisation,first_name,last_name,email\ngenk,Eva,Claes,eva@genk.example\ngenk,Tom,Wouters,tom@genk.example\n"
    )
    page.set_input_files("#import-participants input[type=file]", str(good))
    page.click("button[name=import-participants]")
    page.wait_for_selector("#registration-table >> text=Tom Wouters")
    assert "2 registered (2 new people)" in page.locator(".messages").inner_text()
    assert Registration.objects.filter(event=event).count() == 4

    # a request changed in its row, without leaving the page
    first, second = Registration.objects.filter(event=event).order_by("pk")[:2]
    req = EventMeetingRequest.objects.create(event=event, requester=first, requested=second)
    page.goto(f"/events/{event.pk}/")
    assert page.evaluate(FITS)
    url = page.url
    with page.expect_response(f"**/events/requests/{req.pk}/update/"):
        page.select_option(f"#request-{req.pk} select[name=priority]", "3")
    page.wait_for_selector(f"#request-{req.pk} >> text=Saved.")
    assert page.url == url
    req.refresh_from_db()
    assert req.priority == 3
    with page.expect_response(f"**/events/requests/{req.pk}/answer/"):
        page.click(f"button[name=accept-{req.pk}]")
    page.wait_for_selector(f"#request-{req.pk} .status--accepted")
    assert page.evaluate(FITS)


def test_the_public_event_page_registers_a_visitor_and_a_member(page):  # type: ignore[no-untyped-def]
    event, _organiser = brokerage_day()
    member_user(OrganisationFactory(name="HeatCo"), "heatco")

    page.goto(f"/events/{event.pk}/")
    assert "4 March 2027" in page.locator("#event-when").inner_text()
    assert "Europe/Brussels" in page.locator("#event-zone").inner_text()
    assert page.evaluate(FITS)
    page.fill("#signup-form input[name=first_name]", "Sara")
    page.fill("#signup-form input[name=last_name]", "Janssens")
    page.fill("#signup-form input[name=email]", "sara@renovate.example")
    page.fill("#signup-form input[name=organisation_name]", "Renovate Together")
    page.click("button[name=signup]")
    page.wait_for_selector(".message--success")
    assert "the organisers will confirm your registration" in page.locator(".messages").inner_text()
    signup = EventSignup.objects.get()

    log_in(page, "organiser")
    page.goto(f"/events/{event.pk}/")
    page.locator(f"#signup-{signup.pk} button[value=confirm]").click()
    page.wait_for_selector("#registration-table >> text=Sara Janssens")
    assert Registration.objects.filter(event=event, person__email="sara@renovate.example").exists()

    log_in(page, "heatco")
    page.goto(f"/events/{event.pk}/")
    page.click("button[name=register]")
    page.wait_for_selector("#registered-note")
    assert page.locator(".message--success").count() == 1
    assert "Renovate Together" in page.locator("#participant-list").inner_text()
    assert page.evaluate(FITS)
