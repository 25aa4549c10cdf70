"""The world the query-count tests grow: one cluster with its staff, a member organisation with a user,
a need of theirs and an event, and ``grow_*`` builders that add rows ``start``..``stop`` of one kind.

Each row carries the label ``row_label(kind, n)`` so a test can see that the list shows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from helix.audit.context import acting_as
from helix.registry.models import Cluster, Organisation, Person
from helix.registry.services import refresh_search_text
from tests.factories import (
    ClusterFactory,
    ConsentRecordFactory,
    DomainFactory,
    EventFactory,
    EventMeetingRequestFactory,
    EventSignupFactory,
    ImpactFactorSettingFactory,
    InvitationFactory,
    KeywordFactory,
    MeetingRequestFactory,
    MembershipFactory,
    NotificationFactory,
    OrganisationFactory,
    PersonFactory,
    RegistrationFactory,
    ResourceFlowFactory,
    RoomFactory,
    ScheduledMeetingFactory,
    ScheduleFactory,
    SectorFactory,
    SignupRequestFactory,
    SiteFactory,
    SynergyFactory,
    SynergyReportFactory,
    TimeSlotFactory,
    UserFactory,
    make_listing,
    member_user,
    staff_user,
)

SMALL, LARGE = 3, 12


def row_label(kind: str, n: int) -> str:
    return f"Row {n} {kind}"


@dataclass
class World:
    cluster: Cluster
    staff: Any
    member: Any  # a user, person of ``organisation``
    organisation: Organisation
    person: Person
    need: Any  # a published need of ``organisation``
    event: Any  # an open event of the cluster, organised by its staff, ``member`` registered
    extra: dict[str, Any] = field(default_factory=dict)


def build_world() -> World:
    cluster = ClusterFactory(slug="qc", name="Query Cluster")
    staff = staff_user(cluster, "qc-staff")
    organisation = OrganisationFactory(name="Member Company", slug="member-company")
    SiteFactory(organisation=organisation, name="Head office")
    MembershipFactory(organisation=organisation, cluster=cluster, level="member")
    member = member_user(organisation, "qc-member")
    need = make_listing(organisation, "need", "Heat pumps for our offices", "Heat pumps for offices.")
    event = EventFactory(cluster=cluster, title="Query day", created_by=staff)
    RoomFactory(event=event, tables=2)
    for _ in range(LARGE + 2):
        TimeSlotFactory(event=event)
    RegistrationFactory(event=event, person=member.person, organisation=organisation)
    return World(cluster, staff, member, organisation, member.person, need, event)


def _member_organisation(w: World, n: int, kind: str = "Org") -> Organisation:
    org = OrganisationFactory(name=row_label(kind, n))
    SiteFactory(organisation=org, name="Plant", city="Genk")
    MembershipFactory(organisation=org, cluster=w.cluster, level="member")
    return org


def grow_organisations(w: World, start: int, stop: int) -> None:
    """Members of the cluster with two sites, a sector, a keyword, a domain and a public person."""
    if "domain" not in w.extra:
        w.extra["domain"] = DomainFactory(cluster=w.cluster, name="Energy", slug="energy")
    domain = w.extra["domain"]
    for n in range(start, stop):
        org = OrganisationFactory(name=row_label("Org", n))
        SiteFactory(organisation=org, name="Head office")
        SiteFactory(organisation=org, name="Plant", is_headquarters=False)
        org.sectors.add(SectorFactory())
        org.keywords.add(KeywordFactory())
        MembershipFactory(organisation=org, cluster=w.cluster, level="member").domains.add(domain)
        PersonFactory(organisation=org, consent_public=True)
        refresh_search_text(org)


def grow_clusters(w: World, start: int, stop: int) -> None:
    for n in range(start, stop):
        cluster = ClusterFactory(name=row_label("Cluster", n))
        MembershipFactory(organisation=w.organisation, cluster=cluster, level="member")


def grow_sites(w: World, start: int, stop: int) -> None:
    for n in range(start, stop):
        SiteFactory(organisation=w.organisation, name=row_label("Site", n), is_headquarters=False)


def grow_people(w: World, start: int, stop: int) -> None:
    for n in range(start, stop):
        PersonFactory(organisation=w.organisation, last_name=row_label("Person", n), consent_public=True)


def grow_sectors(w: World, start: int, stop: int) -> None:
    for n in range(start, stop):
        SectorFactory(label=row_label("Sector", n))


def grow_offers(w: World, start: int, stop: int) -> None:
    """Offers of other members that answer the member's need (so they are matched too)."""
    for n in range(start, stop):
        org = _member_organisation(w, n, "Supplier")
        make_listing(
            org,
            "offer",
            row_label("offer", n),
            "Heat pumps installed in offices and schools.",
            keywords=["heat pumps", f"keyword {n}"],
        )


def grow_meeting_requests(w: World, start: int, stop: int) -> None:
    """Meeting requests of the member's need to the offers of other members."""
    for n in range(start, stop):
        org = _member_organisation(w, n, "Supplier")
        offer = make_listing(org, "offer", row_label("offer", n), "Heat pumps installed.")
        MeetingRequestFactory(
            need=w.need,
            offer=offer,
            from_organisation=w.organisation,
            to_organisation=org,
            requested_by=w.member,
        )


def grow_events(w: World, start: int, stop: int) -> None:
    for n in range(start, stop):
        event = EventFactory(cluster=w.cluster, title=row_label("event", n))
        TimeSlotFactory(event=event)


def grow_registrations(w: World, start: int, stop: int) -> None:
    """Participants of the event, each asked for a meeting by the member, and as many sign-ups."""
    mine = w.event.registrations.get(person=w.person)
    for n in range(start, stop):
        org = _member_organisation(w, n)
        registration = RegistrationFactory(
            event=w.event, person=PersonFactory(organisation=org), organisation=org
        )
        EventMeetingRequestFactory(event=w.event, requester=mine, requested=registration)
        EventSignupFactory(event=w.event, organisation_name=row_label("Signup", n))


def grow_projects(w: World, start: int, stop: int) -> None:
    """Public projects of the cluster, each with two consortium members."""
    from helix.projects.models import Project, ProjectMember

    for n in range(start, stop):
        project = Project.objects.create(
            cluster=w.cluster, kind="flagship", title=row_label("project", n), visibility="public",
            status="consortium_forming",
        )  # fmt: skip
        ProjectMember.objects.create(project=project, organisation=w.organisation, role="coordinator")
        ProjectMember.objects.create(project=project, organisation=_member_organisation(w, n), role="partner")


def _open_call(w: World, key: str) -> Any:
    """An open public call of the cluster (the Factory of the Future seed call), made once."""
    from helix.calls.models import Call
    from tests.factories.calls import seed_definition

    if key not in w.extra:
        w.extra[key] = Call.objects.create(
            cluster=w.cluster, key=key, title=key, definition=seed_definition(key=key), status="open"
        )
    return w.extra[key]


def grow_calls(w: World, start: int, stop: int) -> None:
    """Open public calls of the cluster (each with its definition: stages, deadlines)."""
    for n in range(start, stop):
        _open_call(w, f"call-{n}")


def grow_applications(w: World, start: int, stop: int) -> None:
    """Applications of the member's organisation to one call, each with a co-applicant and a receipt."""
    from helix.calls.models import Applicant, Application, Submission

    call = _open_call(w, "applications-call")
    for n in range(start, stop):
        application = Application.objects.create(
            call=call, stage="proposal", title=row_label("application", n), status="submitted"
        )
        Applicant.objects.create(application=application, organisation=w.organisation, lead=True)
        Applicant.objects.create(application=application, organisation=_member_organisation(w, n))
        Submission.objects.create(
            application=application, stage="proposal", receipt=f"QC-{n:05d}", answers={}, digest="0" * 64
        )


def grow_roadmaps(w: World, start: int, stop: int) -> None:
    """Roadmaps of the cluster for its members, in consultation, each with the member company and another
    member taking part and a milestone owned by the company."""
    from helix.roadmaps.models import Item, Participant, Roadmap

    for n in range(start, stop):
        roadmap = Roadmap.objects.create(
            cluster=w.cluster, key=f"roadmap-{n}", title=row_label("roadmap", n), visibility="members",
            status="consultation", starts_on=dt.date(2027, 1, 1),
        )  # fmt: skip
        owner = Participant.objects.create(roadmap=roadmap, organisation=w.organisation, role="lead")
        Participant.objects.create(roadmap=roadmap, organisation=_member_organisation(w, n), role="partner")
        Item.objects.create(roadmap=roadmap, key="m1", title="Milestone", owner=owner)


def grow_instruments(w: World, start: int, stop: int) -> None:
    """Instruments of the cluster, each with a cap spec, and as many programme-wide ones."""
    from helix.funds.models import Instrument

    for n in range(start, stop):
        key = f"subsidy-{n}"
        Instrument.objects.create(
            cluster=w.cluster,
            key=key,
            name=row_label("instrument", n),
            kind="subsidy",
            budget_eur=1000 * (n + 1),
            caps=[{"id": "per-project", "kind": "per_project", "limit_eur": 500, "instruments": [key]}],
        )
        Instrument.objects.create(key=f"vouchers-{n}", name=row_label("programme", n), kind="voucher")


def ledger_instrument(w: World) -> Any:
    """The cluster's subsidy whose ledger grows (made on first use)."""
    from helix.funds.models import Instrument

    if "instrument" not in w.extra:
        w.extra["instrument"] = Instrument.objects.create(
            cluster=w.cluster, key="qc-subsidy", name="Query subsidy", kind="subsidy", budget_eur=10**6
        )
    return w.extra["instrument"]


def grow_ledger(w: World, start: int, stop: int) -> None:
    """Entries on the cluster's subsidy (:func:`ledger_instrument`): a commitment, a payment and leverage
    for a new beneficiary each row."""
    from helix.funds.models import LedgerEntry

    instrument = ledger_instrument(w)
    for n in range(start, stop):
        org = _member_organisation(w, n)
        for kind in ("committed", "disbursed", "leveraged"):
            LedgerEntry.objects.create(
                instrument=instrument,
                beneficiary=org,
                kind=kind,
                amount_eur=100 + n,
                on=dt.date(2026, 1, 1) + dt.timedelta(days=n),
                project_ref=f"P-{n}",
            )


def parts_project(w: World) -> Any:
    """A project the member's organisation coordinates, whose parts grow (made on first use)."""
    from helix.projects.models import Project, ProjectMember

    if "project" not in w.extra:
        project = Project.objects.create(
            cluster=w.cluster, kind="flagship", title="Parts project", visibility="members",
            status="consortium_forming", months=36, starts_on=dt.date(2026, 1, 1),
        )  # fmt: skip
        ProjectMember.objects.create(project=project, organisation=w.organisation, role="coordinator")
        w.extra["project"] = project
    return w.extra["project"]


def grow_project_parts(w: World, start: int, stop: int) -> None:
    """The parts of :func:`parts_project`: a partner with two budget lines, a funding source, a
    milestone, a deliverable and a report each row."""
    from helix.projects.models import BudgetLine, FundingSource, Milestone, ProjectMember, ProjectReport

    project = parts_project(w)
    for n in range(start, stop):
        member = ProjectMember.objects.create(
            project=project, organisation=_member_organisation(w, n), role="partner"
        )
        for year, category in ((2026, "personnel"), (2027, "equipment")):
            BudgetLine.objects.create(member=member, year=year, category=category, amount=1000 + n)
        FundingSource.objects.create(
            project=project, member=member, kind="subsidy", instrument="Flux", amount=500 + n
        )
        Milestone.objects.create(project=project, title=row_label("milestone", n), due_month=1 + n % 36)
        Milestone.objects.create(
            project=project, kind="deliverable", title=row_label("deliverable", n), due_month=2, lead=member
        )
        ProjectReport.objects.create(
            project=project,
            title=row_label("report", n),
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 6, 30),
        )


def grow_flows(w: World, start: int, stop: int) -> None:
    for n in range(start, stop):
        org = _member_organisation(w, n)
        ResourceFlowFactory(organisation=org, site=org.sites.get(), title=row_label("flow", n))


def grow_synergies(w: World, start: int, stop: int) -> None:
    """Realised synergies between flows of members, each with a report."""
    for n in range(start, stop):
        have_org, want_org = _member_organisation(w, n, "Giver"), _member_organisation(w, n, "Taker")
        have = ResourceFlowFactory(
            organisation=have_org, site=have_org.sites.get(), title=row_label("flow", n)
        )
        want = ResourceFlowFactory(
            organisation=want_org, site=want_org.sites.get(), direction="want", title=row_label("want", n)
        )
        synergy = SynergyFactory(have=have, want=want, state="realised")
        SynergyReportFactory(synergy=synergy)


def grow_invitations(w: World, start: int, stop: int) -> None:
    for n in range(start, stop):
        InvitationFactory(
            organisation=None, organisation_name=row_label("Newco", n), cluster=w.cluster, invited_by=w.staff
        )
        InvitationFactory(organisation=w.organisation, last_name=row_label("Invited", n), invited_by=w.staff)


def grow_signups(w: World, start: int, stop: int) -> None:
    for n in range(start, stop):
        SignupRequestFactory(organisation_name=row_label("Newco", n), cluster=w.cluster)
        SignupRequestFactory(organisation=w.organisation, last_name=row_label("Joiner", n))


def grow_notifications(w: World, start: int, stop: int) -> None:
    for _n in range(start, stop):
        NotificationFactory(recipient=w.member)


def grow_audit_entries(w: World, start: int, stop: int) -> None:
    """Organisations joining the cluster and renamed, each change by a user of its own."""
    for n in range(start, stop):
        with acting_as(UserFactory(), "web"):
            org = OrganisationFactory(name=f"Audited {n}")
            MembershipFactory(organisation=org, cluster=w.cluster)
            org.name = row_label("Org", n)
            org.save()


def grow_consents(w: World, start: int, stop: int) -> None:
    for n in range(start, stop):
        ConsentRecordFactory(person=w.person, given=n % 2 == 0, note=row_label("consent", n))


def grow_pipeline(w: World, start: int, stop: int) -> None:
    for n in range(start, stop):
        org = _member_organisation(w, n)
        org.memberships.update(level="interested", since=timezone.localdate() - dt.timedelta(days=n))


def grow_impact_factors(w: World, start: int, stop: int) -> None:
    """Staff values for the documented impact factors, one more factor each row."""
    from helix.core.symbiosis.impact import DEFAULT_FACTORS

    for factor in DEFAULT_FACTORS[start:stop]:
        ImpactFactorSettingFactory(key=factor.key, value=factor.value * 2, updated_by=w.staff)


def grow_scheduled_meetings(w: World, start: int, stop: int) -> None:
    """Participants the member meets, each meeting at a slot of its own in the published schedule."""
    if "schedule" not in w.extra:
        w.extra["schedule"] = ScheduleFactory(event=w.event, published=True, published_at=timezone.now())
    slots = list(w.event.slots.order_by("start"))
    grow_registrations(w, start, stop)
    requests = w.event.requests.order_by("pk")
    for n in range(start, stop):
        ScheduledMeetingFactory(schedule=w.extra["schedule"], request=requests[n], slot=slots[n], table=1)


def grow_listed_calls(w: World, start: int, stop: int) -> None:
    """Open public calls of the cluster, each with a stage whose deadline is in a time zone."""
    from helix.calls.models import Call
    from tests.factories.calls import seed_definition

    for n in range(start, stop):
        definition = seed_definition("luxembourg_bpf_2024.json", key=f"qc-call-{n}")
        title = row_label("call", n)
        definition["title"] = {"en": title}
        key = str(definition["id"])
        Call.objects.create(cluster=w.cluster, key=key, title=title, definition=definition, status="open")


def call_of(w: World) -> Any:
    """The open call of the cluster the applications are grown for (made on first use)."""
    from helix.calls.models import Call
    from tests.factories.calls import seed_definition

    if "call" not in w.extra:
        definition = seed_definition(key="qc-call")
        w.extra["call"] = Call.objects.create(
            cluster=w.cluster, key="qc-call", title="Query call", definition=definition, status="open"
        )
    return w.extra["call"]


def grow_call_applications(w: World, start: int, stop: int) -> None:
    """Submitted applications to the cluster's open call, each of a lead and a co-applicant."""
    from helix.calls.models import Applicant, Application, Submission

    for n in range(start, stop):
        application = Application.objects.create(
            call=call_of(w), stage="proposal", title=row_label("application", n), status="submitted",
            requested_eur=1000 * n,
        )  # fmt: skip
        Applicant.objects.create(application=application, organisation=_member_organisation(w, n), lead=True)
        Applicant.objects.create(application=application, organisation=w.organisation)
        Submission.objects.create(
            application=application, stage="proposal", receipt=f"QC-{n:05d}", answers={}, digest="0" * 64
        )


def programme_cycle(w: World) -> Any:
    """A public programme of the cluster with one cycle in its trajectories phase, made once."""
    from helix.insights.models import Cycle, Programme

    if "cycle" not in w.extra:
        programme = Programme.objects.create(cluster=w.cluster, name="Query programme")
        w.extra["cycle"] = Cycle.objects.create(
            programme=programme,
            number=1,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2027, 12, 31),
            state="trajectories",
        )
    return w.extra["cycle"]


def grow_phase_links(w: World, start: int, stop: int) -> None:
    """Per row, linked to the cycle: a need of another member, a public project with two consortium
    members, and a public output of that project."""
    from helix.insights.models import Output, PhaseLink
    from helix.projects.models import Project, ProjectMember

    cycle = programme_cycle(w)
    for n in range(start, stop):
        org = _member_organisation(w, n, "City")
        need = make_listing(org, "need", row_label("need", n), "Green heat for a district.")
        PhaseLink.objects.create(cycle=cycle, phase="needs_inventory", need=need)
        project = Project.objects.create(
            cluster=w.cluster, kind="working_table", title=row_label("table", n), visibility="public",
            status="running",
        )  # fmt: skip
        ProjectMember.objects.create(project=project, organisation=org, role="coordinator")
        ProjectMember.objects.create(project=project, organisation=w.organisation, role="partner")
        PhaseLink.objects.create(cycle=cycle, phase="trajectories", project=project)
        Output.objects.create(
            cycle=cycle, project=project, phase="trajectories", kind="guide", title=row_label("output", n),
            summary="A guide.", language="en",
        )  # fmt: skip
