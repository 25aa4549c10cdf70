"""Set-ups shared by the privacy tests: two clusters with an organisation each, member users, staff of
each cluster, and an event whose published schedule holds meetings of one member."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from helix.events.models import EventMeetingRequest, RequestStatus, Schedule, ScheduledMeeting, ScheduleStatus
from helix.registry.models import Cluster, Interaction, Organisation, Person
from tests.events.helpers import SmallEvent, small_event
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, member_user, staff_user


@dataclass
class World:
    tech: Cluster
    food: Cluster
    acme: Organisation  # member of tech
    bakery: Organisation  # member of food
    an: Person  # member user of acme, the person whose data we look at
    an_user: Any
    colleague_user: Any  # another member user of acme
    bob: Person  # member user of bakery
    bob_user: Any
    tech_staff: Any
    food_staff: Any


@pytest.fixture
def world() -> World:
    tech = ClusterFactory(slug="tech", name="Tech Cluster")
    food = ClusterFactory(slug="food", name="Food Cluster")
    acme = OrganisationFactory(name="Acme", slug="acme")
    bakery = OrganisationFactory(name="Bakery", slug="bakery")
    MembershipFactory(organisation=acme, cluster=tech, level="member")
    MembershipFactory(organisation=bakery, cluster=food, level="member")
    an_user = member_user(acme, "an-user")
    an = an_user.person
    an.first_name, an.last_name, an.email, an.phone = (
        "An",
        "Peeters",
        "an.peeters@acme.example",
        "+32 470 11 22 33",
    )
    an.job_title, an.consent_contact, an.consent_public = "Energy manager", True, True
    an.save()
    bob_user = member_user(bakery, "bob-user")
    bob = bob_user.person
    bob.first_name, bob.last_name, bob.email = "Bob", "Janssens", "bob.janssens@bakery.example"
    bob.save()
    return World(
        tech=tech,
        food=food,
        acme=acme,
        bakery=bakery,
        an=an,
        an_user=an_user,
        colleague_user=member_user(acme, "colleague"),
        bob=bob,
        bob_user=bob_user,
        tech_staff=staff_user(tech, "tech-staff"),
        food_staff=staff_user(food, "food-staff"),
    )


def log_interaction(
    organisation: Organisation, people: list[Person], summary: str, **fields: Any
) -> Interaction:
    interaction = Interaction.objects.create(
        organisation=organisation, kind="call", summary=summary, **fields
    )
    interaction.people.set(people)
    return interaction


@dataclass
class PublishedEvent:
    setup: SmallEvent
    schedule: Schedule
    people: list[Person]  # participants 0, 1, 2


def published_event() -> PublishedEvent:
    """Three participants (u0, u1, u2 at HeatCo, Genk, Robots), every pair accepted, and a published
    schedule: u0–u1 at 9:00, u1–u2 at 9:30, u0–u2 at 10:00, all at table 1. Their organisations are
    members of the event's cluster, whose staff organise it."""
    setup = small_event(["HeatCo", "City of Genk", "Robots"], slots=3, tables=1)
    for registration in setup.registrations:
        MembershipFactory(organisation=registration.organisation, cluster=setup.event.cluster, level="member")
    r = setup.registrations
    slots = list(setup.event.slots.order_by("start"))
    schedule = Schedule.objects.create(
        event=setup.event, status=ScheduleStatus.SUCCEEDED, held=3, requested=3, published=True, sequence=0
    )
    for (a, b), slot in zip([(0, 1), (1, 2), (0, 2)], slots, strict=True):
        request = EventMeetingRequest.objects.create(
            event=setup.event, requester=r[a], requested=r[b], status=RequestStatus.ACCEPTED
        )
        ScheduledMeeting.objects.create(schedule=schedule, request=request, slot=slot, table=1)
    return PublishedEvent(setup, schedule, [reg.person for reg in r])
