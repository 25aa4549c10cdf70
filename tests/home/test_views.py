"""Integration: the home page per role, on the two-cluster permission world (tests/permissions/world.py).

Each role sees its own block and nothing of another's: the public overview for everyone (only what
``anyone`` may see for a visitor), a person's tasks for a user with a person record, the staff block for
cluster staff (their clusters only; every cluster for the superuser). The page costs a fixed number of
queries, whatever the number of clusters, events and listings.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helix.events.models import Event, EventMeetingRequest, Registration, TimeSlot
from helix.market.models import Listing
from helix.registry.models import Interaction
from helix.symbiosis.models import Synergy, SynergyEvent
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, make_listing
from tests.helpers.queries import count_queries
from tests.permissions.world import World, build_world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HOME = reverse("home:home")


@pytest.fixture
def world(settings) -> World:  # type: ignore[no-untyped-def]
    settings.HELIX_PAGE_CACHE_SECONDS = 0
    w = build_world()
    add_tasks(w)
    return w


def _slot(event: Event, days: int) -> None:
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=days)
    TimeSlot.objects.create(event=event, start=start, end=start + dt.timedelta(minutes=25))


def add_tasks(w: World) -> None:
    """Tasks of every kind, dated from today: the world's own events lie at a fixed date."""
    today = timezone.localdate()
    # An upcoming open event of alpha with requests and no schedule: a1 asked by b1 (to answer).
    upcoming = Event.objects.create(
        cluster=w.clusters["alpha"], title="Alpha spring brokerage", venue="Leuven", status="open"
    )
    _slot(upcoming, 10)
    a1, b1 = w.people["member_a1"], w.people["member_b1"]
    reg_a1 = Registration.objects.create(event=upcoming, person=a1, organisation=a1.organisation)
    reg_b1 = Registration.objects.create(event=upcoming, person=b1, organisation=b1.organisation)
    EventMeetingRequest.objects.create(event=upcoming, requester=reg_b1, requested=reg_a1)
    # A past event a1 was registered in: not upcoming any more.
    past = Event.objects.create(cluster=w.clusters["alpha"], title="Alpha autumn brokerage", status="closed")
    _slot(past, -30)
    Registration.objects.create(event=past, person=a1, organisation=a1.organisation)
    # A draft event of beta: never public.
    draft = Event.objects.create(cluster=w.clusters["beta"], title="Beta secret brokerage", status="draft")
    _slot(draft, 5)
    # Listings about to lapse: a1's public offer, b1's staff-only offer.
    make_listing(w.orgs["a1"], title="Lapsing offer of a1", expires_on=today + dt.timedelta(days=5))
    make_listing(
        w.orgs["b1"], title="Lapsing offer of b1", visibility="staff", expires_on=today + dt.timedelta(days=3)
    )
    # A follow-up due on a2 in alpha.
    Interaction.objects.create(
        organisation=w.orgs["a2"],
        cluster=w.clusters["alpha"],
        kind="call",
        summary="Call back about the letter",
        follow_up_on=today,
    )
    # The world's synergy a1 -> b1, proposed 40 days ago and untouched since.
    Synergy.objects.filter(pk=w.things["synergy:a1-b1"].obj.pk).update(
        proposed_at=timezone.now() - dt.timedelta(days=40)
    )


def page(world: World, role: str) -> str:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, element_id: str) -> str:
    """The HTML of the section with ``element_id`` ("" when the page has none)."""
    found = re.search(rf'<section[^>]*id="{element_id}".*?</section>', html, re.S)
    return found.group(0) if found else ""


# -- the public ---------------------------------------------------------------------------------------------


def test_the_public_sees_clusters_public_events_and_public_listings_only(world):
    html = page(world, "anonymous")
    clusters = section(html, "home-clusters")
    # Alpha: a1 (member) and a3 (interested) are published; a2 and ab are not, and are not counted.
    assert re.search(r"Alpha Cluster</a></h3>\s*<p class=\"muted\">2 members</p>", clusters)
    assert re.search(r"Beta Cluster</a></h3>\s*<p class=\"muted\">1 member</p>", clusters)
    events = section(html, "home-events")
    assert "Alpha spring brokerage" in events
    assert "Leuven" in events
    assert "Alpha autumn brokerage" not in events  # over
    assert "secret" not in events
    assert "draft brokerage" not in events
    listings = section(html, "home-listings")
    assert "public published offer of a1" in listings
    assert "public published offer of a2" in listings
    for hidden in ("members published", "staff published", "public draft", "Lapsing offer of b1"):
        assert hidden not in listings
    # The owner of a public listing whose profile is unpublished is named, not linked.
    assert 'href="/organisations/org-a2/"' not in listings
    assert 'href="/organisations/org-a1/"' in listings
    assert 'id="cta-directory"' in html
    assert 'id="cta-login"' in html
    assert 'id="member-tasks"' not in html
    assert 'id="staff-tasks"' not in html


def test_the_public_page_is_kept_for_the_next_visitor(world, settings):
    settings.HELIX_PAGE_CACHE_SECONDS = 60
    assert Client().get(HOME)["X-Helix-Page-Cache"] == "miss"
    assert Client().get(HOME)["X-Helix-Page-Cache"] == "hit"


def test_a_signed_in_user_without_a_person_sees_the_overview_but_no_tasks(world):
    html = page(world, "plain")
    assert "Welcome, plain" in html
    assert 'id="member-tasks"' not in html
    assert 'id="staff-tasks"' not in html
    assert "Alpha spring brokerage" in section(html, "home-events")


# -- a member -----------------------------------------------------------------------------------------------


def test_a_member_sees_the_requests_to_answer_its_events_and_its_lapsing_listings(world):
    tasks = section(page(world, "member_a1"), "member-tasks")
    assert "For Org A1" in tasks
    assert "1 meeting request to answer" in tasks
    assert "Org B1" in tasks
    registration = Registration.objects.get(
        event__title="Alpha spring brokerage", person__user__username="member_a1"
    )
    assert f'href="/events/registrations/{registration.pk}/agenda/"' in tasks
    assert "Alpha autumn brokerage" not in tasks  # over
    assert "alpha draft brokerage" not in tasks  # a draft: not the participants' yet
    assert "Lapsing offer of a1" in tasks
    assert "Lapsing offer of b1" not in tasks
    assert "request to meet about" not in tasks  # a1 asked b1; b1 answers
    assert 'id="staff-tasks"' not in page(world, "member_a1")


def test_the_asking_side_has_nothing_to_answer_and_sees_the_market_request_it_received(world):
    tasks = section(page(world, "member_b1"), "member-tasks")
    assert "meeting request to answer" not in tasks  # b1 asked a1 at the event
    assert "1 request to meet about a need or offer" in tasks  # a1's market request to b1
    assert "Lapsing offer of a1" not in tasks
    assert "Lapsing offer of b1" in tasks


def test_a_member_with_nothing_waiting_is_told_so(world):
    from helix.roadmaps.models import Roadmap

    # the world's roadmaps give b2 a milestone to accept (tests/roadmaps test that part of the page)
    Roadmap.objects.filter(participants__organisation=world.orgs["b2"]).delete()
    tasks = section(page(world, "member_b2"), "member-tasks")
    assert 'id="member-nothing"' in tasks
    assert "<h3>" not in tasks


def test_new_matches_count_recent_unjudged_counterparts_and_link_to_the_matches(world):
    from helix.home.services import new_match_count
    from helix.market import feedback as market_feedback
    from helix.market import suggestions as market

    b1, user, today = world.orgs["b1"], world.users["member_b1"], timezone.localdate()
    make_listing(
        b1,
        side="need",
        title="Battery storage for a business park",
        description="We look for stationary battery storage with smart charging for our business park.",
    )
    offer = make_listing(
        world.orgs["a1"],
        title="Stationary battery storage",
        description="Stationary battery storage systems with smart charging for business parks.",
    )
    pairs = [s for item in market.organisation_suggestions(b1, user) for s in item["suggestions"]]
    assert offer.pk in {s.listing.pk for s in pairs}
    count = new_match_count(user, b1, today)
    assert count == len(pairs)
    tasks = section(page(world, "member_b1"), "member-tasks")
    assert f'<a href="/organisations/{b1.slug}/matches/">{count} new match' in tasks
    # A counterpart published long ago is no longer new; a judged pair is no longer new.
    Listing.objects.filter(pk=offer.pk).update(published_on=today - dt.timedelta(days=30))
    assert new_match_count(user, b1, today) == count - 1
    for s in pairs:
        market_feedback.record_feedback(user, s.need, s.offer, "relevant")
    assert new_match_count(user, b1, today) == 0
    assert 'id="task-new-matches"' not in page(world, "member_b1")


# -- staff --------------------------------------------------------------------------------------------------


def test_staff_see_their_clusters_tasks_only(world):
    html = page(world, "staff_a")
    staff = section(html, "staff-tasks")
    assert "Your clusters" in staff
    assert "1 event to schedule" in staff
    assert "Alpha spring brokerage" in staff
    assert 'href="/symbiosis/synergies/?state=proposed"' in staff
    assert "Lapsing offer of a1" in staff
    assert "Lapsing offer of b1" not in staff
    pipelines = re.search(r'<ul class="pipeline-summary".*?</ul>', staff, re.S).group(0)
    assert 'href="/clusters/alpha/pipeline/"' in pipelines
    assert "/clusters/beta/" not in pipelines
    # Alpha: a3 is interested (a letter of intent awaited), a2's follow-up is due today.
    assert "1 follow-up due" in pipelines
    assert "1 letter of intent awaited" in pipelines
    assert 'id="member-tasks"' not in html


def test_staff_of_the_other_cluster_see_none_of_alphas_work(world):
    staff = section(page(world, "staff_b"), "staff-tasks")
    assert "Alpha spring brokerage" not in staff
    assert "Lapsing offer of a1" not in staff
    assert "Lapsing offer of b1" in staff
    assert "follow-up due" not in staff
    assert "letter of intent awaited" not in staff
    assert 'href="/clusters/beta/pipeline/"' in staff
    assert "/clusters/alpha/" not in staff
    # The synergy joins a1 (alpha) and b1 (beta): staff of either side follow it up.
    assert 'href="/symbiosis/synergies/?state=proposed"' in staff


def test_a_synergy_that_moved_lately_needs_no_follow_up(world):
    synergy = world.things["synergy:a1-b1"].obj
    SynergyEvent.objects.create(synergy=synergy, from_state="proposed", to_state="proposed", note="called")
    assert "Synergies to follow up" not in section(page(world, "staff_a"), "staff-tasks")


def test_the_superuser_sees_the_staff_view_for_every_cluster(world):
    staff = section(page(world, "root"), "staff-tasks")
    assert "All clusters" in staff
    assert 'href="/clusters/alpha/pipeline/"' in staff
    assert 'href="/clusters/beta/pipeline/"' in staff
    assert "Lapsing offer of a1" in staff
    assert "Lapsing offer of b1" in staff
    assert "2 needs and offers to renew" in staff


def _sign_ups_shown(world: World, role: str) -> int:
    found = re.search(r"(\d+) sign-up requests? to review", section(page(world, role), "staff-tasks"))
    return int(found.group(1)) if found else 0


def test_staff_see_the_sign_up_requests_of_their_clusters_waiting_for_a_decision(world):
    from helix.people.models import SignupRequest

    before = {role: _sign_ups_shown(world, role) for role in ("staff_a", "staff_b")}
    for status in ("pending", "unconfirmed", "approved"):  # only confirmed, undecided ones wait
        SignupRequest.objects.create(
            first_name="Eva",
            last_name=status,
            email=f"{status}@example.org",
            cluster=world.clusters["alpha"],
            status=status,
        )
    assert _sign_ups_shown(world, "staff_a") == before["staff_a"] + 1
    assert _sign_ups_shown(world, "staff_b") == before["staff_b"]
    assert '<a href="/people/sign-ups/">' in section(page(world, "staff_a"), "staff-tasks")
    assert 'id="task-sign-ups"' not in page(world, "member_a1")


# -- the cost ------------------------------------------------------------------------------------------


def _queries(world: World, role: str) -> int:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    client.get(HOME)  # the match engine loads once per process; the session is read once
    return count_queries(client, HOME)


def _grow(world: World, n: int, start: int = 0) -> None:
    """More clusters, members, events, listings and tasks of every kind."""
    for k in range(start, start + n):
        cluster = ClusterFactory(slug=f"extra-{k}", operator=world.orgs["office"], name=f"Extra {k}")
        org = OrganisationFactory(name=f"Extra org {k}", slug=f"extra-org-{k}")
        MembershipFactory(organisation=org, cluster=cluster, level="member")
        MembershipFactory(organisation=org, cluster=world.clusters["alpha"], level="interested")
        event = Event.objects.create(cluster=world.clusters["alpha"], title=f"Extra event {k}", status="open")
        _slot(event, 3 + k)
        a1 = world.people["member_a1"]
        mine = Registration.objects.create(event=event, person=a1, organisation=a1.organisation)
        other = Registration.objects.create(
            event=event, person=world.people["member_b1"], organisation=world.orgs["b1"]
        )
        EventMeetingRequest.objects.create(event=event, requester=other, requested=mine)
        make_listing(world.orgs["a1"], title=f"Extra lapsing {k}", expires_on=timezone.localdate())
        make_listing(org, title=f"Extra offer {k}")


@pytest.mark.parametrize("role", ["anonymous", "member_a1", "staff_a", "root"])
def test_the_page_costs_the_same_few_queries_however_much_there_is(world, role):
    _grow(world, 5)  # more tasks than the page lists: it counts the rest
    small = _queries(world, role)
    _grow(world, 10, start=5)
    large = _queries(world, role)
    assert large == small
    assert small <= 42  # 32, and the roadmap milestones' block: its roadmaps and their items in ten


def test_staff_see_how_many_listings_lapse_beyond_the_five_listed(world):
    for k in range(7):
        make_listing(world.orgs["a1"], title=f"More lapsing {k}", expires_on=timezone.localdate())
    staff = section(page(world, "staff_a"), "staff-tasks")
    lapsing = re.search(r'<li class="task" id="task-staff-expiring">.*?</li>\s*</ul>', staff, re.S).group(0)
    assert "8 needs and offers to renew" in lapsing
    assert lapsing.count("<li><a href=") == 5
