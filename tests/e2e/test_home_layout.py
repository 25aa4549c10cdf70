"""E2E: the home page of the public, a member and cluster staff fits a 390 px phone and a 1366 px screen
(no horizontal scrolling), with every block filled: long names, events, requests, lapsing listings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from helix.events.models import Event, EventMeetingRequest, Registration, TimeSlot
from helix.registry import services
from tests.factories import (
    ClusterFactory,
    DomainFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_listing,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"
LONG = "Interuniversitair Micro-Elektronica Centrum Vlaanderen Energietransitieonderzoeksgroep"

OVERFLOW = """() => {
  const root = document.documentElement;
  return root.scrollWidth - root.clientWidth;
}"""


def ecosystem() -> None:
    operator = OrganisationFactory(name="Cluster Office", kind="cluster_organisation", size_class="")
    cluster = ClusterFactory(slug="energy", operator=operator, name="Flemish Energy and Climate Cluster")
    for name in ("Multi-energy districts", "Smart buildings and renovation", "Flexible grids and storage"):
        DomainFactory(cluster=cluster, name=name, slug=name.lower().replace(" ", "-")[:50])
    ours = OrganisationFactory(name=LONG, slug="long")
    theirs = OrganisationFactory(name="Warmtenet Waasland", slug="warmtenet")
    for org in (ours, theirs):
        MembershipFactory(organisation=org, cluster=cluster, level="member")
    member = UserFactory(username="mia")
    me = PersonFactory(organisation=ours, user=member, first_name="Mia")
    them = PersonFactory(organisation=theirs, first_name="Jan")
    staff = UserFactory(username="sara")
    services.assign_cluster_staff(staff, cluster)
    for user in (member, staff):
        user.set_password(PASSWORD)
        user.save()
    event = Event.objects.create(
        cluster=cluster,
        title=f"Brokerage event on {LONG}",
        venue="EnergyVille, Thor Park 8310, Genk",
        status="open",
    )
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=7)
    TimeSlot.objects.create(event=event, start=start, end=start + dt.timedelta(minutes=25))
    mine = Registration.objects.create(event=event, person=me, organisation=ours)
    other = Registration.objects.create(event=event, person=them, organisation=theirs)
    EventMeetingRequest.objects.create(event=event, requester=other, requested=mine)
    make_listing(ours, title=f"{LONG} offers heat storage", expires_on=timezone.localdate())
    make_listing(theirs, side="need", title="Restwarmte gezocht voor een warmtenet in de haven")


def login(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/?next=/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url("**/")


@pytest.mark.parametrize("role", ["anonymous", "mia", "sara"])
def test_the_home_page_fits_a_phone_and_a_laptop(page, role):  # type: ignore[no-untyped-def]
    ecosystem()
    if role != "anonymous":
        login(page, role)
    for width, height in ((390, 844), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/")
        expected = {"anonymous": "#home-hero", "mia": "#member-tasks", "sara": "#staff-tasks"}[role]
        assert page.locator(expected).is_visible()
        assert page.evaluate(OVERFLOW) <= 0, f"{role} at {width} px scrolls sideways"
