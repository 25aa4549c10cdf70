"""A small cluster with one record of every kind the indicators read, dated in 2026 (and a few in
2025), for the insights' service, page and command tests. Expected figures for 2026 are written out in
EXPECTED_2026; what each one counts is said beside it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from helix.events.models import EventStatus
from helix.market.models import MeetingRequest
from helix.projects.models import Project, ProjectStatus
from helix.registry.models import MembershipChange, Site
from helix.symbiosis.models import Synergy, SynergyEvent, SynergyState
from tests.factories import (
    ClusterFactory,
    DomainFactory,
    EventFactory,
    FundingSourceFactory,
    InteractionFactory,
    ItemFactory,
    ListingFactory,
    MeetingRequestFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProjectChangeFactory,
    ProjectFactory,
    ProjectMemberFactory,
    RegistrationFactory,
    RoadmapChangeFactory,
    RoadmapFactory,
    ScheduledMeetingFactory,
    ScheduleFactory,
    SiteFactory,
    StaffValueFactory,
    SynergyFactory,
    SynergyReportFactory,
    TimeSlotFactory,
)
from tests.factories.registry import member_user, staff_user

D = dt.date
UTC = dt.UTC


@dataclass
class InsightsWorld:
    cluster: Any
    other: Any  # a second cluster with its own staff
    domain: Any
    staff: Any
    other_staff: Any
    member: Any
    orgs: dict[str, Any]


def _membership(org: Any, cluster: Any, *steps: tuple[dt.date, str], domains: tuple[Any, ...] = ()) -> Any:
    m = MembershipFactory(organisation=org, cluster=cluster, level=steps[-1][1], since=steps[-1][0])
    previous = ""
    for on, level in steps:
        MembershipChange.objects.create(membership=m, from_level=previous, to_level=level, changed_on=on)
        previous = level
    m.domains.set(domains)
    return m


def _site(org: Any, country: str) -> None:
    """The organisation's headquarters in ``country`` (its head office, made or moved there)."""
    Site.objects.filter(organisation=org).update(is_headquarters=False)
    if not Site.objects.filter(organisation=org, name="Head office").update(
        country=country, is_headquarters=True
    ):
        SiteFactory(organisation=org, country=country, is_headquarters=True)


def build() -> InsightsWorld:
    cluster = ClusterFactory(slug="energy")
    _site(cluster.operator, "BE")
    other = ClusterFactory(slug="wood")
    domain = DomainFactory(cluster=cluster, slug="heat")
    orgs = {
        "alpha": OrganisationFactory(name="Alpha", size_class="sme"),
        "beta": OrganisationFactory(name="Beta", size_class="large"),
        "uni": OrganisationFactory(name="Uni", kind="knowledge_institution", size_class=""),
        "lux": OrganisationFactory(name="Lux", size_class="sme"),
        "gone": OrganisationFactory(name="Gone", size_class="sme"),
    }
    for key, country in (("alpha", "BE"), ("beta", "BE"), ("uni", "BE"), ("lux", "LU"), ("gone", "NL")):
        _site(orgs[key], country)
    # committed on the eve of 2026: alpha, beta, gone (three); at its end: alpha, beta, uni, lux (four)
    _membership(
        orgs["alpha"], cluster, (D(2024, 1, 1), "loi_signed"), (D(2026, 3, 1), "member"), domains=(domain,)
    )
    _membership(orgs["beta"], cluster, (D(2025, 2, 1), "member"))
    _membership(
        orgs["uni"], cluster, (D(2025, 5, 1), "interested"), (D(2026, 4, 1), "loi_signed"), domains=(domain,)
    )
    _membership(orgs["lux"], cluster, (D(2026, 6, 1), "loi_signed"))
    _membership(orgs["gone"], cluster, (D(2023, 1, 1), "member"), (D(2026, 9, 1), "left"))
    # a member of the other cluster only: none of its records count here
    outsider = OrganisationFactory(name="Outsider")
    _membership(outsider, other, (D(2024, 1, 1), "member"))

    InteractionFactory(organisation=orgs["alpha"], cluster=cluster, happened_on=D(2026, 2, 2))
    InteractionFactory(organisation=orgs["beta"], cluster=cluster, happened_on=D(2025, 12, 1))  # 2025
    InteractionFactory(organisation=outsider, cluster=other, happened_on=D(2026, 2, 2))  # the other cluster

    event = EventFactory(cluster=cluster, status=EventStatus.CLOSED, title="Heat day")
    slot = TimeSlotFactory(event=event, start=dt.datetime(2026, 5, 12, 9, 0, tzinfo=UTC))
    TimeSlotFactory(event=event, start=dt.datetime(2026, 5, 12, 9, 20, tzinfo=UTC))
    reg_alpha = RegistrationFactory(
        event=event, person__organisation=orgs["alpha"], organisation=orgs["alpha"]
    )
    reg_lux = RegistrationFactory(event=event, person__organisation=orgs["lux"], organisation=orgs["lux"])
    schedule = ScheduleFactory(event=event, published=True)
    ScheduledMeetingFactory(
        schedule=schedule,
        slot=slot,
        request__requester=reg_alpha,
        request__requested=reg_lux,
        request__event=event,
    )
    EventFactory(cluster=other)  # no slot, other cluster

    ListingFactory(organisation=orgs["beta"], published_on=D(2026, 3, 3))
    accepted = MeetingRequestFactory(
        need__organisation=orgs["uni"], offer__organisation=orgs["beta"], status="accepted"
    )
    declined = MeetingRequestFactory(
        need__organisation=orgs["beta"], offer__organisation=outsider, status="declined"
    )
    MeetingRequest.objects.filter(pk=accepted.pk).update(created_at=dt.datetime(2026, 4, 1, tzinfo=UTC))
    MeetingRequest.objects.filter(pk=declined.pk).update(created_at=dt.datetime(2026, 4, 2, tzinfo=UTC))

    project = ProjectFactory(cluster=cluster, status=ProjectStatus.RUNNING, title="Heat grid")
    project.domains.set([domain])
    project.listings.set([accepted.need])
    ProjectChangeFactory(project=project, from_status="", to_status="idea", changed_on=D(2025, 10, 1))
    ProjectChangeFactory(project=project, from_status="idea", to_status="approved", changed_on=D(2026, 2, 1))
    ProjectChangeFactory(
        project=project, from_status="approved", to_status="running", changed_on=D(2026, 3, 1)
    )
    alpha_in = ProjectMemberFactory(project=project, organisation=orgs["alpha"])
    ProjectMemberFactory(project=project, organisation=orgs["uni"])
    FundingSourceFactory(project=project, member=alpha_in, kind="subsidy", amount=Decimal(60000))
    FundingSourceFactory(project=project, member=alpha_in, kind="own", amount=Decimal(40000))
    old = ProjectFactory(cluster=cluster, status=ProjectStatus.APPROVED, title="Old study")
    ProjectChangeFactory(project=old, from_status="submitted", to_status="approved", changed_on=D(2025, 6, 1))
    Project.objects.filter(pk=old.pk).update(created_at=dt.datetime(2025, 1, 1, tzinfo=UTC))

    synergy = SynergyFactory(
        have__organisation=orgs["beta"],
        have__site=Site.objects.get(organisation=orgs["beta"], is_headquarters=True),
        want__organisation=orgs["gone"],
        want__site=Site.objects.get(organisation=orgs["gone"], is_headquarters=True),
        state=SynergyState.REALISED,
    )
    for to_state, on in (
        ("agreed", dt.datetime(2026, 1, 20, tzinfo=UTC)),
        ("realised", dt.datetime(2026, 7, 1, tzinfo=UTC)),
    ):
        e = SynergyEvent.objects.create(synergy=synergy, from_state="", to_state=to_state)
        SynergyEvent.objects.filter(pk=e.pk).update(at=on)
    Synergy.objects.filter(pk=synergy.pk).update(proposed_at=dt.datetime(2025, 11, 1, tzinfo=UTC))
    SynergyReportFactory(
        synergy=synergy, period_end=D(2026, 12, 31), quantity=80.0, unit="t", co2e_avoided_t=12.5
    )

    roadmap = RoadmapFactory(cluster=cluster, status="adopted")
    RoadmapChangeFactory(roadmap=roadmap, to_status="draft", changed_on=D(2025, 9, 1))
    RoadmapChangeFactory(roadmap=roadmap, to_status="adopted", changed_on=D(2026, 1, 15))
    owner = ParticipantFactory(roadmap=roadmap, organisation=orgs["alpha"])
    ParticipantFactory(roadmap=roadmap, organisation=orgs["uni"])
    ItemFactory(roadmap=roadmap, owner=owner)
    ItemFactory(roadmap=roadmap, owner=None)

    StaffValueFactory(cluster=cluster, code="staff_fte", value=Decimal("2.00"), source="Staff plan 2026")

    staff = staff_user(cluster, "energy_staff")
    other_staff = staff_user(other, "wood_staff")
    member = member_user(orgs["alpha"], "alpha_member")
    return InsightsWorld(cluster, other, domain, staff, other_staff, member, orgs)


EXPECTED_2026 = {
    "committed_members": Decimal(4),  # alpha, beta, uni, lux
    "helices_represented": Decimal(2),  # industry (alpha, beta, lux), research (uni)
    "sme_share": Decimal("66.67"),  # alpha and lux of the companies alpha, beta, lux
    "international_share": Decimal("25.00"),  # lux of four
    "member_growth": Decimal("33.33"),  # three on the eve (alpha, beta, gone) to four
    "new_commitments": Decimal(2),  # uni, lux
    "departures": Decimal(1),  # gone
    "upgrades": Decimal(2),  # alpha to member, uni to letter of intent
    "retention": Decimal("66.67"),  # alpha and beta of alpha, beta, gone
    "staff_fte": Decimal("2.00"),
    "staff_per_hundred_members": Decimal("50.00"),
    "contacts_logged": Decimal(1),
    "members_contacted": Decimal("25.00"),
    "events_held": Decimal(1),
    "event_participation": Decimal("50.00"),  # alpha and lux registered
    "meetings_held": Decimal(1),
    "match_contacts": Decimal(2),
    "matches_to_meetings": Decimal("50.00"),
    "services_used": Decimal("100.00"),  # alpha, lux (event); beta (listing); uni (request, project)
    "projects_started": Decimal(1),  # Heat grid; the old study was approved in 2025
    "projects_from_matches": Decimal(1),  # it links the need the request came from
    "funding_raised": Decimal(100000),
    "private_share": Decimal("40.00"),
    "agreements": Decimal(1),
    "synergies_realised": Decimal(1),
    "tonnes_exchanged": Decimal("80.000"),
    "co2e_avoided": Decimal("12.500"),
    "roadmap_adopted": Decimal(1),
    "roadmap_coverage": Decimal("50.00"),  # alpha and uni take part
    "roadmap_milestones_owned": Decimal("50.00"),  # one of two items has an owner
}
