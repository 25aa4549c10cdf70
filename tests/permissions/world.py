"""The permission test world: two clusters, their organisations, people, staff and objects of every reach.

It records, as it builds them, the relations the rules are about (who belongs to which organisation,
which clusters an organisation is a member of and at which level, who is staff where), so that the
tests can work out the expected answer from the declared rules alone, without asking the engine.

    cluster alpha                          cluster beta
    ─ a1  published, member                ─ b1  published, member
    ─ a2  unpublished, letter of intent    ─ b2  unpublished, member
    ─ ab  unpublished, member of alpha and of beta
    ─ a3  published, only "interested" in alpha (not in the audience)
    loose: unpublished, in no cluster (being onboarded)

Users: anonymous, "plain" (an account of no organisation), member_a1 / member_a2 / member_b1 /
member_b2 / member_ab / member_a3 (people with a login), staff_a, staff_b, root (superuser).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from helix.core.access import Policy, Role
from helix.registry import models as registry
from helix.registry import services
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_listing,
)

ROLES = (
    "anonymous",
    "plain",
    "member_a1",
    "member_a2",
    "member_a3",
    "member_ab",
    "member_b1",
    "member_b2",
    "staff_a",
    "staff_b",
    "root",
)

AUDIENCE_LEVELS = {"loi_signed", "member", "strategic_partner"}


@dataclass
class Thing:
    """An object of the world with the relations the rules read."""

    obj: Any
    owners: frozenset[str] = frozenset()  # organisation keys
    clusters: frozenset[str] = frozenset()  # cluster keys for staff
    audience: frozenset[str] = frozenset()  # cluster keys whose members are its audience
    person: str | None = None  # the person it is about (the "self" role)
    facts: frozenset[str] = frozenset()


@dataclass
class World:
    clusters: dict[str, registry.Cluster] = field(default_factory=dict)
    orgs: dict[str, registry.Organisation] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    people: dict[str, registry.Person] = field(default_factory=dict)
    levels: dict[tuple[str, str], str] = field(default_factory=dict)  # (org, cluster) -> level
    operates: dict[str, set[str]] = field(default_factory=dict)  # org -> clusters it runs
    user_org: dict[str, str] = field(default_factory=dict)
    user_person: dict[str, str] = field(default_factory=dict)
    staff_of: dict[str, set[str]] = field(default_factory=dict)
    things: dict[str, Thing] = field(default_factory=dict)

    # -- relations ---------------------------------------------------------------------------------

    def member_clusters(self, org: str | None, audience_only: bool = True) -> set[str]:
        """Clusters ``org`` is in: as a member at audience level, or (``audience_only`` False: for its
        staff) as a member at any level or as the operator that runs it."""
        found = {
            c
            for (o, c), level in self.levels.items()
            if o == org and (level in AUDIENCE_LEVELS or not audience_only)
        }
        return found if audience_only else found | self.operates.get(org or "", set())

    def org_thing(self, key: str, **extra: Any) -> Thing:
        """Relations of an object owned by organisation ``key``: staff of any of its clusters, the
        audience of the clusters it is a member of."""
        return Thing(
            obj=extra.pop("obj"),
            owners=frozenset({key}),
            clusters=frozenset(self.member_clusters(key, audience_only=False)),
            audience=frozenset(self.member_clusters(key)),
            **extra,
        )

    def roles(self, user: str, thing: Thing) -> set[Role]:
        held = {Role.ANYONE}
        if user == "anonymous":
            return held
        held.add(Role.USER)
        staff = self.staff_of.get(user, set())
        if staff:
            held.add(Role.ANY_STAFF)
        if staff & thing.clusters:
            held.add(Role.STAFF)
        org = self.user_org.get(user)
        if org in thing.owners:
            held.add(Role.OWNER)
        if self.member_clusters(org) & thing.audience:
            held.add(Role.AUDIENCE)
        if thing.person is not None and self.user_person.get(user) == thing.person:
            held.add(Role.SELF)
        return held

    def expected(self, policy: Policy, action: str, user: str, key: str) -> bool:
        """The declared answer: the table, read with the relations this world was built with."""
        thing = self.things[key]
        return policy.allows(action, self.roles(user, thing), thing.facts, superuser=user == "root")


def build_world() -> World:
    w = World()
    operator = OrganisationFactory(
        name="Cluster Office",
        slug="office",
        kind=registry.OrganisationKind.CLUSTER_ORGANISATION,
        size_class="",
    )
    w.clusters["alpha"] = ClusterFactory(slug="alpha", operator=operator, name="Alpha Cluster")
    w.clusters["beta"] = ClusterFactory(slug="beta", operator=operator, name="Beta Cluster")
    w.orgs["office"] = operator
    w.operates["office"] = {"alpha", "beta"}
    specs = {
        "a1": (True, {"alpha": "member"}),
        "a2": (False, {"alpha": "loi_signed"}),
        "a3": (True, {"alpha": "interested"}),
        "ab": (False, {"alpha": "member", "beta": "member"}),
        "b1": (True, {"beta": "member"}),
        "b2": (False, {"beta": "member"}),
        "loose": (False, {}),
    }
    for key, (published, levels) in specs.items():
        w.orgs[key] = OrganisationFactory(
            name=f"Org {key.upper()}", slug=f"org-{key}", is_published=published
        )
        for cluster, level in levels.items():
            MembershipFactory(organisation=w.orgs[key], cluster=w.clusters[cluster], level=level)
            w.levels[(key, cluster)] = level
    w.users["root"] = UserFactory(username="root", is_staff=True, is_superuser=True)
    w.users["plain"] = UserFactory(username="plain")
    for org in ("a1", "a2", "a3", "ab", "b1", "b2"):
        name = f"member_{org}"
        user = UserFactory(username=name)
        w.people[name] = PersonFactory(
            organisation=w.orgs[org],
            user=user,
            first_name="Mia",
            last_name=name.title(),
            email=f"{name}@example.org",
            phone="+32 9 000 00 00",
            consent_public=org in ("a1", "b1"),
        )
        w.users[name], w.user_org[name], w.user_person[name] = user, org, name
    for name, cluster in (("staff_a", "alpha"), ("staff_b", "beta")):
        user = UserFactory(username=name)
        services.assign_cluster_staff(user, w.clusters[cluster])  # the admin group too
        w.users[name], w.staff_of[name] = user, {cluster}

    # registry objects of every reach
    for key in ("office", *specs):
        facts = {"published"} if w.orgs[key].is_published else set()
        if not w.member_clusters(key, audience_only=False):
            facts.add("unaffiliated")
        w.things[f"org:{key}"] = w.org_thing(key, obj=w.orgs[key], facts=frozenset(facts))
    for name, person in w.people.items():
        public = person.consent_public and person.organisation.is_published
        w.things[f"person:{name}"] = w.org_thing(
            w.user_org[name], obj=person, person=name, facts=frozenset({"public"} if public else set())
        )
    for (org, cluster), _level in w.levels.items():
        membership = registry.Membership.objects.get(organisation=w.orgs[org], cluster=w.clusters[cluster])
        published = {"published"} if w.orgs[org].is_published else set()
        w.things[f"membership:{org}@{cluster}"] = Thing(
            membership,
            owners=frozenset({org}),
            clusters=frozenset({cluster}),
            audience=frozenset({cluster}),
            facts=frozenset(published),
        )
    for org, cluster in (("a2", "alpha"), ("ab", "alpha"), ("ab", "beta")):
        letter = registry.LetterOfIntent.objects.create(
            organisation=w.orgs[org], cluster=w.clusters[cluster], signed_on=dt.date(2024, 3, 1)
        )
        w.things[f"letter:{org}@{cluster}"] = Thing(
            letter, owners=frozenset({org}), clusters=frozenset({cluster}), audience=frozenset({cluster})
        )
        note = registry.Interaction.objects.create(
            organisation=w.orgs[org],
            cluster=w.clusters[cluster],
            kind="meeting",
            summary=f"Confidential note on {org} for {cluster}",
        )
        w.things[f"interaction:{org}@{cluster}"] = Thing(
            note, owners=frozenset({org}), clusters=frozenset({cluster}), audience=frozenset({cluster})
        )
    group = registry.AdvisoryGroup.objects.create(cluster=w.clusters["alpha"], name="Alpha advisory board")
    for name in ("member_a1", "member_b2"):
        seat = registry.AdvisorySeat.objects.create(group=group, person=w.people[name])
        public = w.people[name].consent_public and w.people[name].organisation.is_published
        w.things[f"seat:{name}"] = Thing(
            seat,
            owners=frozenset({w.user_org[name]}),
            clusters=frozenset({"alpha"}),
            audience=frozenset({"alpha"}),
            person=name,
            facts=frozenset({"public"} if public else set()),
        )
    from helix.insights.models import ClusterInsights

    for key, cluster in w.clusters.items():
        w.things[f"cluster:{key}"] = Thing(cluster, clusters=frozenset({key}), audience=frozenset({key}))
        # the cluster as the subject of its indicators (helix.insights.permissions)
        w.things[f"insights:{key}"] = Thing(
            ClusterInsights.objects.get(pk=cluster.pk), clusters=frozenset({key}), audience=frozenset({key})
        )
    add_listings(w)
    add_events(w)
    add_flows(w)
    add_admin_rows(w)
    from tests.people.world_things import add_people  # invitations and sign-up requests

    add_people(w)
    from tests.projects.world_things import add_projects

    add_projects(w)
    from tests.funds.world_things import add_funds

    add_funds(w)
    from tests.calls.world_things import add_calls

    add_calls(w)
    from tests.roadmaps.world_things import add_roadmaps

    add_roadmaps(w)
    from tests.insights.world_things import add_programmes, add_stories

    add_stories(w)
    add_programmes(w)
    return w


def add_listings(w: World) -> None:
    """Needs and offers of every reach: public, members of our clusters, staff only, and a draft."""
    cases = [
        ("a1", "public", "published"),
        ("a1", "members", "published"),
        ("a1", "staff", "published"),
        ("a1", "public", "draft"),
        ("a2", "public", "published"),
        ("a3", "members", "published"),
        ("b1", "members", "published"),
        ("b1", "staff", "published"),
    ]
    for org, visibility, status in cases:
        side = "need" if visibility == "members" else "offer"
        listing = make_listing(
            w.orgs[org],
            side=side,
            visibility=visibility,
            status=status,
            title=f"{visibility} {status} {side} of {org}",
        )
        facts = {visibility} | ({"active"} if status == "published" else set())
        w.things[f"listing:{org}-{visibility}-{status}"] = w.org_thing(
            org, obj=listing, facts=frozenset(facts)
        )


def add_events(w: World) -> None:
    """Per cluster a draft and an open event with slots and a room; member_a1 and member_b1 registered in
    alpha's two events (b1 from the other cluster), a meeting request between them, a schedule run, a
    visitor's sign-up waiting for the organisers."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from helix.events.models import Event, EventMeetingRequest, Registration, Room, Schedule, TimeSlot

    start = datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    for cluster in ("alpha", "beta"):
        for status in ("draft", "open"):
            event = Event.objects.create(
                cluster=w.clusters[cluster], title=f"{cluster} {status} brokerage", status=status
            )
            for k in range(2):
                TimeSlot.objects.create(
                    event=event,
                    start=start + timedelta(minutes=30 * k),
                    end=start + timedelta(minutes=30 * k + 25),
                )
            Room.objects.create(event=event, name="Hall", tables=2)
            facts = {"published", "open"} if status == "open" else set()
            w.things[f"event:{cluster}-{status}"] = Thing(
                event, clusters=frozenset({cluster}), audience=frozenset({cluster}), facts=frozenset(facts)
            )
            if cluster != "alpha":
                continue
            registrations = {}
            for name in ("member_a1", "member_b1"):
                person = w.people[name]
                registrations[name] = Registration.objects.create(
                    event=event, person=person, organisation=person.organisation
                )
                w.things[f"registration:{name}@{status}"] = Thing(
                    registrations[name],
                    owners=frozenset({w.user_org[name]}),
                    clusters=frozenset({cluster}),
                    audience=frozenset({cluster}),
                    person=name,
                    facts=frozenset(
                        ({"event_published"} if status == "open" else set())
                        | ({"public"} if person.organisation.is_published else set())
                    ),
                )
            request = EventMeetingRequest.objects.create(
                event=event, requester=registrations["member_a1"], requested=registrations["member_b1"]
            )
            w.things[f"eventrequest:a1-b1@{status}"] = Thing(
                request,
                owners=frozenset({"a1", "b1"}),
                clusters=frozenset({cluster}),
                audience=frozenset({cluster}),
                facts=frozenset({"event_published"} if status == "open" else set()),
            )
            run = Schedule.objects.create(event=event)
            if status == "open":  # a published schedule: agendas, grid, table cards and exports exist
                from django.utils import timezone

                from helix.events.models import ScheduledMeeting

                request.status = "accepted"
                request.save(update_fields=["status"])
                run.status, run.published, run.published_at = "succeeded", True, timezone.now()
                run.save(update_fields=["status", "published", "published_at"])
                ScheduledMeeting.objects.create(
                    schedule=run, request=request, slot=event.slots.order_by("start").first(), table=1
                )
            w.things[f"schedule:{status}"] = Thing(
                run, clusters=frozenset({cluster}), audience=frozenset({cluster})
            )
            from helix.events.models import EventSignup

            signup = EventSignup.objects.create(
                event=event,
                first_name="Sam",
                last_name="Visitor",
                email="sam@example.org",
                organisation_name="Loose",
            )
            w.things[f"signup:{status}"] = Thing(
                signup, clusters=frozenset({cluster}), audience=frozenset({cluster})
            )


def add_flows(w: World) -> None:
    """Haves and wants of every confidentiality (one anonymous), and a proposed synergy between a public
    have of a1 (alpha) and a public want of b1 (beta)."""
    from helix.symbiosis.models import ResourceFlow, Synergy
    from tests.factories import SiteFactory

    for org in ("a1", "b1"):
        SiteFactory(organisation=w.orgs[org], name=f"{org} plant")
    cases = [
        ("a1", "have", "public", False),
        ("a1", "have", "members", True),
        ("a1", "have", "staff", False),
        ("b1", "want", "public", False),
        ("b1", "want", "members", False),
    ]
    flows = {}
    for org, direction, confidentiality, anonymous in cases:
        flow = ResourceFlow(
            organisation=w.orgs[org],
            site=w.orgs[org].sites.first(),
            direction=direction,
            kind="material",
            title=f"{confidentiality} slag {direction} of {org}",
            ewc_code="100202",
            quantity=100,
            unit="t",
            period="year",
            confidentiality=confidentiality,
            anonymous=anonymous,
        )
        flow.full_clean()
        flow.save()
        flows[(org, confidentiality)] = flow
        facts = {"active", confidentiality} | (set() if anonymous else {"named"})
        w.things[f"flow:{org}-{confidentiality}"] = w.org_thing(org, obj=flow, facts=frozenset(facts))
    synergy = Synergy.objects.create(have=flows[("a1", "public")], want=flows[("b1", "public")], quantity=100)
    w.things["synergy:a1-b1"] = Thing(
        synergy,
        owners=frozenset({"a1", "b1"}),
        clusters=frozenset(w.member_clusters("a1", False) | w.member_clusters("b1", False)),
        audience=frozenset(w.member_clusters("a1") | w.member_clusters("b1")),
    )


def add_admin_rows(w: World) -> None:
    """Rows the admin shows and the pages reach through others: a market meeting request and a verdict on
    the pair a1's members-only need / b1's staff-only offer, and a consent record of member_a1 and of
    member_b2."""
    from helix.market.models import Feedback, MeetingRequest
    from helix.privacy.models import ConsentRecord

    need = w.things["listing:a1-members-published"].obj
    offer = w.things["listing:b1-staff-published"].obj
    both = {
        "owners": frozenset({"a1", "b1"}),
        "clusters": frozenset(w.member_clusters("a1", False) | w.member_clusters("b1", False)),
        "audience": frozenset(w.member_clusters("a1") | w.member_clusters("b1")),
    }
    meeting = MeetingRequest.objects.create(
        need=need, offer=offer, from_organisation=w.orgs["a1"], to_organisation=w.orgs["b1"]
    )
    w.things["marketrequest:a1-b1"] = Thing(meeting, **both)
    verdict = Feedback.objects.create(
        user=w.users["member_a1"], need=need, offer=offer, verdict="relevant", score=0.5, features={}
    )
    w.things["feedback:a1-b1"] = Thing(verdict, **both)
    for name in ("member_a1", "member_b2"):
        record = ConsentRecord.objects.create(
            person=w.people[name], consent="contact", given=True, how="form"
        )
        w.things[f"consent:{name}"] = w.org_thing(w.user_org[name], obj=record, person=name)
