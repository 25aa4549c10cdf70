"""Insights services: a cluster's ecosystem read from the database as the core's plain data, its
indicators for a period (and optionally one domain), the records behind a figure, and the figures staff
enter. Every function that acts for someone asks the permission table (helix.insights.permissions).

Which records belong to a cluster: its memberships, events, projects and roadmaps are its own; the
contacts logged under it (or under no cluster, with one of its members); market requests, listings and
synergies of its members (those are not filed under a cluster). With a domain, only the memberships in
that domain count, the projects of that domain, and the other records of those members.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Min, Q
from django.urls import reverse

from helix.core import insights as core
from helix.core.insights import Ecosystem, Period, Ref, Value
from helix.insights.models import ClusterInsights, StaffValue
from helix.registry.models import (
    Cluster,
    Domain,
    Interaction,
    Membership,
    MembershipChange,
    Organisation,
    Site,
)
from helix.registry.models.organisations import HELIX_OF_KIND
from helix.registry.permissions import can


class InsightsError(Exception):
    """A coded refusal or input error; the edge translates ``code`` (helix.insights.explain)."""

    def __init__(self, code: str, field: str = "", **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


def as_subject(cluster: Cluster) -> ClusterInsights:
    """The cluster as the object of the insights permission table."""
    subject = ClusterInsights(pk=cluster.pk)
    subject.__dict__.update({k: v for k, v in cluster.__dict__.items() if k != "_state"})
    return subject


def allowed(user: Any, action: str, cluster: Cluster) -> bool:
    return can(user, action, as_subject(cluster))


def require(user: Any, action: str, cluster: Cluster) -> None:
    if not allowed(user, action, cluster):
        raise InsightsError("not_allowed", action=action)


# ---- the ecosystem ----------------------------------------------------------------------------------


def _day(moment: dt.datetime | dt.date | None) -> dt.date | None:
    if moment is None:
        return None
    return moment.date() if isinstance(moment, dt.datetime) else moment


def _steps(
    steps: list[core.Step] | None, fallback_on: dt.date | None, fallback_state: str
) -> tuple[core.Step, ...]:
    """A history read from a change log; a record with none is in its present state since
    ``fallback_on``."""
    if steps:
        return tuple(steps)
    return (core.Step(fallback_on, fallback_state),) if fallback_on is not None else ()


def _history(
    changes: Iterable[tuple[dt.date, str]], fallback_on: dt.date | None, fallback_state: str
) -> tuple[core.Step, ...]:
    """Dated steps from a change log; a record with none is in its present state since ``fallback_on``."""
    return _steps([core.Step(on, state) for on, state in changes], fallback_on, fallback_state)


def _countries(org_ids: set[int]) -> dict[int, str]:
    """Each organisation's country: its headquarters', or its first site's."""
    found: dict[int, str] = {}
    for chunk in _chunks(org_ids):
        rows = (
            Site.objects.filter(organisation_id__in=chunk)
            .order_by("organisation_id", "-is_headquarters", "pk")
            .values_list("organisation_id", "country")
        )
        for org_id, country in rows:
            found.setdefault(org_id, (country or "").upper())
    return found


CHUNK = 5000  # ids per query: SQLite takes at most 32,766 parameters in one statement


def _chunks(ids: Iterable[int]) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[i : i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def ecosystem(cluster: Cluster, domain: Domain | None = None) -> Ecosystem:
    """Everything the indicators read for ``cluster`` (and ``domain``, one of its domains)."""
    from helix.events.models import Event, Registration
    from helix.market.models import Listing
    from helix.roadmaps.models import Roadmap

    memberships_qs, memberships = _memberships(cluster, domain)
    members = {m.organisation_id for m in memberships}
    member_ids = memberships_qs.values("organisation_id")  # as a subquery: no IN list of thousands

    contacts = tuple(
        core.Contact(pk, org_id, on)
        for pk, org_id, on in _contacts(cluster, member_ids).values_list(
            "pk", "organisation_id", "happened_on"
        )
        if domain is None or org_id in members
    )

    registrations: dict[int, set[int]] = defaultdict(set)
    for event_id, org_id in Registration.objects.filter(event__cluster=cluster).values_list(
        "event_id", "organisation_id"
    ):
        registrations[event_id].add(org_id)
    events = []
    for e in Event.objects.filter(cluster=cluster).annotate(first=Min("slots__start")).only("pk"):
        orgs = registrations.get(e.pk, set())
        if domain is not None:
            orgs = orgs & members
            if not orgs:
                continue
        events.append(core.Event(e.pk, _day(e.first), tuple(sorted(orgs))))

    meetings = _meetings(cluster, domain, members)
    requests = _match_contacts(member_ids)
    listings = tuple(
        core.Listing(li.pk, li.organisation_id, li.side, li.published_on)
        for li in Listing.objects.filter(organisation_id__in=member_ids, published_on__isnull=False).only(
            "pk", "organisation_id", "side", "published_on"
        )
    )

    _, projects = _projects(cluster, domain)
    synergies = _synergies(member_ids)

    roadmaps = []
    for r in Roadmap.objects.filter(cluster=cluster).prefetch_related("changes", "participants", "items"):
        changes = sorted(r.changes.all(), key=lambda c: (c.changed_on, c.pk))
        items = list(r.items.all())
        roadmaps.append(
            core.Roadmap(
                r.pk,
                _history(((c.changed_on, c.to_status) for c in changes), _day(r.created_at), r.status),
                tuple(sorted({pt.organisation_id for pt in r.participants.all()})),
                items=len(items),
                owned_items=sum(1 for i in items if i.owner_id is not None),
            )
        )

    involved = set(members)
    for c in contacts:
        involved.add(c.organisation_id)
    for p in projects:
        involved.update(p.organisations)
    countries = _countries(involved | {cluster.operator_id})
    organisations = {}
    for chunk in _chunks(involved):
        for pk, name, kind, size in Organisation.objects.filter(pk__in=chunk).values_list(
            "pk", "name", "kind", "size_class"
        ):
            organisations[pk] = core.Organisation(
                pk, name, kind, HELIX_OF.get(kind, ""), sme=size == "sme", country=countries.get(pk, "")
            )
    staff_values = tuple(
        core.StaffValue(v.pk, v.code, v.value, Period(v.period_start, v.period_end), v.source, v.entered_on)
        for v in StaffValue.objects.filter(cluster=cluster)
    )
    return Ecosystem(
        cluster=cluster.slug,
        home_country=countries.get(cluster.operator_id, ""),
        organisations=organisations,
        memberships=tuple(memberships),
        contacts=contacts,
        events=tuple(events),
        meetings=tuple(meetings),
        match_contacts=requests,
        projects=tuple(projects),
        synergies=tuple(synergies),
        roadmaps=tuple(roadmaps),
        listings=listings,
        staff_values=staff_values,
    )


def _memberships(cluster: Cluster, domain: Domain | None) -> tuple[Any, list[core.Membership]]:
    """The cluster's memberships (in ``domain``) with their history, and their queryset."""
    # read as plain rows (values_list): a cluster has thousands of memberships and their history, and
    # building a model object for each costs more than reading it
    memberships_qs = Membership.objects.filter(cluster=cluster)
    if domain is not None:
        memberships_qs = memberships_qs.filter(domains=domain)
    # the changes in the order they happened (the same day: in the order recorded), sorted by the
    # database: reading each one's recording time to sort them here cost more than the rest of the row
    history: dict[int, list[core.Step]] = defaultdict(list)
    for membership_id, on, level in (
        MembershipChange.objects.filter(membership__in=memberships_qs)
        .order_by("membership_id", "changed_on", "recorded_at", "pk")
        .values_list("membership_id", "changed_on", "to_level")
    ):
        history[membership_id].append(core.Step(on, level))
    domains_of: dict[int, set[int]] = defaultdict(set)
    for membership_id, domain_id in Membership.domains.through.objects.filter(
        membership__in=memberships_qs
    ).values_list("membership_id", "domain_id"):
        domains_of[membership_id].add(domain_id)
    memberships = [
        core.Membership(pk, org_id, _steps(history.get(pk), since, level), frozenset(domains_of.get(pk, ())))
        for pk, org_id, level, since in memberships_qs.values_list("pk", "organisation_id", "level", "since")
    ]
    return memberships_qs, memberships


def _contacts(cluster: Cluster, member_ids: Any) -> Any:
    """The contacts logged under the cluster, or under no cluster with one of its members."""
    return Interaction.objects.filter(
        Q(cluster=cluster) | Q(cluster__isnull=True, organisation_id__in=member_ids)
    )


def _meetings(cluster: Cluster, domain: Domain | None, members: set[int]) -> list[core.Meeting]:
    """The B2B meetings of the cluster's published schedules (with a member of ``domain``)."""
    from helix.events.models import MeetingRating, Schedule, ScheduledMeeting

    published = Schedule.objects.filter(event__cluster=cluster, published=True)
    followed = set(
        MeetingRating.objects.filter(request__event__cluster=cluster, follow_up=True).values_list(
            "request_id", flat=True
        )
    )
    meetings = []
    rows = ScheduledMeeting.objects.filter(schedule__in=published).values_list(
        "pk",
        "schedule__event_id",
        "slot__start",
        "request_id",
        "request__requester__organisation_id",
        "request__requested__organisation_id",
        "request__outcome",
    )
    for pk, event_id, start, request_id, a, b, outcome in rows:
        if domain is not None and not {a, b} & members:
            continue
        meetings.append(
            core.Meeting(pk, event_id, _day(start) or dt.date.min, (a, b), outcome, request_id in followed)
        )
    return meetings


def _match_contacts(member_ids: Any) -> tuple[core.MatchContact, ...]:
    """The market's meeting requests from or to the members."""
    from helix.market.models import MeetingRequest

    return tuple(
        core.MatchContact(pk, _day(created) or dt.date.min, a, b, status, _day(responded))
        for pk, created, a, b, status, responded in MeetingRequest.objects.filter(
            Q(from_organisation_id__in=member_ids) | Q(to_organisation_id__in=member_ids)
        ).values_list(
            "pk", "created_at", "from_organisation_id", "to_organisation_id", "status", "responded_at"
        )
    )


def _projects(cluster: Cluster, domain: Domain | None) -> tuple[Any, list[core.Project]]:
    """The cluster's projects (of ``domain``) with their history, consortium and funding, and their
    queryset."""
    from helix.projects.models import FundingSource, Project, ProjectChange, ProjectMember

    projects_qs = Project.objects.filter(cluster=cluster)
    if domain is not None:
        projects_qs = projects_qs.filter(domains=domain)
    linked: set[int] = set()
    for relation in ("listings", "meeting_requests", "events", "synergies"):
        through = getattr(Project, relation).through
        linked.update(through.objects.filter(project__cluster=cluster).values_list("project_id", flat=True))
    project_steps: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for project_id, on, status in (
        ProjectChange.objects.filter(project__in=projects_qs)
        .order_by("project_id", "changed_on", "recorded_at", "pk")
        .values_list("project_id", "changed_on", "to_status")
    ):
        project_steps[project_id].append((on, status))
    consortium: dict[int, set[int]] = defaultdict(set)
    for project_id, org_id in ProjectMember.objects.filter(project__in=projects_qs).values_list(
        "project_id", "organisation_id"
    ):
        consortium[project_id].add(org_id)
    money: dict[int, list[core.FundingLine]] = defaultdict(list)
    for project_id, kind, amount in FundingSource.objects.filter(project__in=projects_qs).values_list(
        "project_id", "kind", "amount"
    ):
        money[project_id].append(core.FundingLine(kind, Decimal(amount)))
    project_domains: dict[int, set[int]] = defaultdict(set)
    for project_id, domain_id in Project.domains.through.objects.filter(project__in=projects_qs).values_list(
        "project_id", "domain_id"
    ):
        project_domains[project_id].add(domain_id)
    projects = [
        core.Project(
            pk,
            kind,
            _history(project_steps.get(pk, ()), _day(created), status),
            tuple(sorted(consortium.get(pk, ()))),
            tuple(money.get(pk, ())),
            pk in linked,
            frozenset(project_domains.get(pk, ())),
        )
        for pk, kind, created, status in projects_qs.values_list("pk", "kind", "created_at", "status")
    ]
    return projects_qs, projects


def _synergies(member_ids: Any) -> list[core.Synergy]:
    """The exchanges of industrial symbiosis a member has or wants, with their states and reports."""
    from helix.symbiosis.models import Synergy, SynergyEvent, SynergyReport

    synergy_qs = Synergy.objects.filter(
        Q(have__organisation_id__in=member_ids) | Q(want__organisation_id__in=member_ids)
    )
    states: dict[int, list[tuple[dt.datetime, int, str]]] = defaultdict(list)
    for synergy_id, at, pk, to_state in SynergyEvent.objects.filter(synergy__in=synergy_qs).values_list(
        "synergy_id", "at", "pk", "to_state"
    ):
        states[synergy_id].append((at, pk, to_state))
    reports: dict[int, list[core.SynergyReport]] = defaultdict(list)
    for synergy_id, end, quantity, unit, co2e in SynergyReport.objects.filter(
        synergy__in=synergy_qs
    ).values_list("synergy_id", "period_end", "quantity", "unit", "co2e_avoided_t"):
        reports[synergy_id].append(core.SynergyReport(end, quantity, unit, co2e))
    synergies = []
    for pk, have_org, want_org, proposed, state in synergy_qs.values_list(
        "pk", "have__organisation_id", "want__organisation_id", "proposed_at", "state"
    ):
        log = sorted(states.get(pk, []), key=lambda e: (e[0], e[1]))
        synergies.append(
            core.Synergy(
                pk,
                (have_org, want_org),
                _history(((_day(at) or dt.date.min, to) for at, _, to in log), _day(proposed), state),
                tuple(reports.get(pk, ())),
            )
        )
    return synergies


# the helix of each kind of organisation, as the core names it
HELIX_OF = {kind.value: str(helix) for kind, helix in HELIX_OF_KIND.items()}


def dashboard_ecosystem(cluster: Cluster, period: Period, domain: Domain | None = None) -> Ecosystem:
    """The part of :func:`ecosystem` the dashboard reads (helix.core.insights.dashboards): the memberships,
    the contacts of ``period`` only (the activity per domain counts no other), the meetings, match
    requests, projects and synergies, and the organisations with their name and helix (no country).
    Not the events, listings, roadmaps and staff figures only the indicators read: the dashboard's first
    view (nothing kept yet) must stay under a second on a cluster of thousands of members."""
    from helix.projects.models import ProjectMember

    memberships_qs, memberships = _memberships(cluster, domain)
    members = {m.organisation_id for m in memberships}
    member_ids = memberships_qs.values("organisation_id")
    contacts_qs = _contacts(cluster, member_ids)
    contacts = tuple(
        core.Contact(pk, org_id, on)
        for pk, org_id, on in contacts_qs.filter(
            happened_on__gte=period.start, happened_on__lte=period.end
        ).values_list("pk", "organisation_id", "happened_on")
        if domain is None or org_id in members
    )
    projects_qs, projects = _projects(cluster, domain)
    # the organisations ecosystem() reads: the members, those of every contact and the consortia (as
    # subqueries: the contacts of other periods are not read)
    consortia = ProjectMember.objects.filter(project__in=projects_qs).values("organisation_id")
    involved = Q(pk__in=member_ids) | Q(pk__in=consortia)
    if domain is None:  # with a domain, only the members' contacts count
        involved |= Q(pk__in=contacts_qs.values("organisation_id"))
    organisations = {
        pk: core.Organisation(pk, name, kind, HELIX_OF.get(kind, ""), sme=size == "sme")
        for pk, name, kind, size in Organisation.objects.filter(involved)
        .order_by()
        .values_list("pk", "name", "kind", "size_class")
    }
    return Ecosystem(
        cluster=cluster.slug,
        home_country="",
        organisations=organisations,
        memberships=tuple(memberships),
        contacts=contacts,
        meetings=tuple(_meetings(cluster, domain, members)),
        match_contacts=_match_contacts(member_ids),
        projects=tuple(projects),
        synergies=tuple(_synergies(member_ids)),
    )


def indicator_values(
    user: Any,
    cluster: Cluster,
    period: Period,
    domain: Domain | None = None,
    codes: Iterable[str] | None = None,
) -> list[Value]:
    """The cluster's indicators for ``period`` (and ``domain``), for a user who may see them."""
    require(user, "view", cluster)
    if domain is not None and domain.cluster_id != cluster.pk:
        raise InsightsError("domain_of_another_cluster", field="domain")
    return core.compute(ecosystem(cluster, domain), period, codes)


def year_period(year: int | str) -> Period:
    """A calendar year as a period (the report's and the open indicators' unit); the year named when bad."""
    try:
        number = int(year)
    except (TypeError, ValueError):
        raise InsightsError("bad_year", field="year", value=year) from None
    if not 1900 <= number <= 2200:
        raise InsightsError("bad_year", field="year", value=year)
    return Period(dt.date(number, 1, 1), dt.date(number, 12, 31))


def parse_period(
    start: str | dt.date | None, end: str | dt.date | None, *, today: dt.date | None = None
) -> Period:
    """A period from two ISO dates; by default the calendar year so far. Errors name the field."""
    today = today or dt.date.today()

    def read(value: str | dt.date | None, field: str, default: dt.date) -> dt.date:
        if value in (None, ""):
            return default
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise InsightsError("bad_date", field=field, value=value) from None

    first = read(start, "from", dt.date(today.year, 1, 1))
    last = read(end, "to", max(today, first))
    if last < first:
        raise InsightsError("period_reversed", field="to")
    return Period(first, last)


# ---- the records behind a figure --------------------------------------------------------------------


@dataclass(frozen=True)
class RecordLink:
    """A record behind a figure as a reader sees it: what it is and where it lives (``url`` empty when
    the record has no page of its own or the reader may not see it)."""

    kind: str
    id: int
    text: str
    url: str


def record_links(user: Any, refs: Iterable[Ref]) -> list[RecordLink]:
    """The records a figure names, each as the user may see it (a record the user may not see is
    left out: staff of the cluster see all of a cluster's own records)."""
    from helix.events.models import Event, ScheduledMeeting
    from helix.market.models import MeetingRequest
    from helix.projects.models import Project
    from helix.roadmaps.models import Roadmap
    from helix.symbiosis.models import Synergy

    by_kind: dict[str, list[int]] = defaultdict(list)
    for ref in refs:
        by_kind[ref.kind].append(ref.id)
    out: list[RecordLink] = []

    def add(kind: str, objects: Iterable[Any], text: Any, url: Any) -> None:
        for obj in objects:
            if can(user, "view", obj):
                out.append(RecordLink(kind, obj.pk, text(obj), url(obj)))

    if ids := by_kind.get("membership"):
        add(
            "membership",
            Membership.objects.filter(pk__in=ids).select_related("organisation"),
            lambda m: m.organisation.name,
            lambda m: m.organisation.get_absolute_url(),
        )
    if ids := by_kind.get("contact"):
        add(
            "contact",
            Interaction.objects.filter(pk__in=ids).select_related("organisation"),
            lambda i: f"{i.happened_on.isoformat()} {i.organisation.name}: {i.get_kind_display()}",
            lambda i: i.organisation.get_absolute_url(),
        )
    if ids := by_kind.get("event"):
        add(
            "event",
            Event.objects.filter(pk__in=ids),
            lambda e: e.title,
            lambda e: reverse("events:detail", args=[e.pk]),
        )
    if ids := by_kind.get("meeting"):
        add(
            "meeting",
            ScheduledMeeting.objects.filter(pk__in=ids).select_related(
                "schedule__event", "request__requester__organisation", "request__requested__organisation"
            ),
            lambda m: (
                f"{m.schedule.event.title}: {m.request.requester.organisation.name} – "
                f"{m.request.requested.organisation.name}"
            ),
            lambda m: reverse("events:detail", args=[m.schedule.event_id]),
        )
    if ids := by_kind.get("match_contact"):
        add(
            "match_contact",
            MeetingRequest.objects.filter(pk__in=ids).select_related("from_organisation", "to_organisation"),
            lambda r: f"{r.from_organisation.name} → {r.to_organisation.name} ({r.get_status_display()})",
            lambda r: "",
        )
    if ids := by_kind.get("project"):
        add(
            "project",
            Project.objects.filter(pk__in=ids),
            lambda p: p.title,
            lambda p: reverse("projects:detail", args=[p.pk]),
        )
    if ids := by_kind.get("synergy"):
        add(
            "synergy",
            Synergy.objects.filter(pk__in=ids).select_related("have__organisation", "want__organisation"),
            lambda s: f"{s.have.organisation.name} → {s.want.organisation.name}: {s.have.title}",
            lambda s: reverse("symbiosis:synergy", args=[s.pk]),
        )
    if ids := by_kind.get("roadmap"):
        add("roadmap", Roadmap.objects.filter(pk__in=ids), lambda r: r.title, lambda r: r.get_absolute_url())
    if ids := by_kind.get("staff_value"):
        add(
            "staff_value",
            StaffValue.objects.filter(pk__in=ids),
            lambda v: f"{v.value} ({v.period_start.isoformat()} – {v.period_end.isoformat()}): {v.source}",
            lambda v: v.evidence_url,
        )
    return out


# ---- figures entered by staff -----------------------------------------------------------------------


def enter_value(
    user: Any,
    cluster: Cluster,
    code: str,
    value: str | Decimal,
    period: Period,
    source: str,
    evidence_url: str = "",
) -> StaffValue:
    """Record a figure for a staff-entered indicator. Errors name the field; nothing is written then."""
    require(user, "enter_values", cluster)
    if code not in core.STAFF_ENTERED:
        raise InsightsError("not_a_staff_indicator", field="code", indicator=code)
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise InsightsError("bad_number", field="value", value=value) from None
    if not number.is_finite() or number < 0:
        raise InsightsError("bad_number", field="value", value=value)
    unit = core.indicator(code).unit
    if unit is core.Unit.PERCENT and number > 100:
        raise InsightsError("percent_over_100", field="value", value=value)
    if unit is core.Unit.YES_NO and number not in (0, 1):
        raise InsightsError("yes_no", field="value", value=value)
    if not source.strip():
        raise InsightsError("source_required", field="source")
    with transaction.atomic():
        return StaffValue.objects.create(
            cluster=cluster,
            code=code,
            value=number.quantize(Decimal("0.01")),
            period_start=period.start,
            period_end=period.end,
            source=source.strip()[:300],
            evidence_url=evidence_url.strip(),
            entered_by=user if getattr(user, "is_authenticated", False) else None,
        )


# ---- stories ----------------------------------------------------------------------------------------

TEXT_FIELDS = ("title", "summary", "body", "language", "kind")


def _cluster_organisations(cluster: Cluster) -> Any:
    return Organisation.objects.filter(memberships__cluster=cluster).distinct()


def save_story(
    user: Any,
    cluster: Cluster,
    data: dict[str, Any],
    *,
    story: Any = None,
) -> Any:
    """Create (``story`` None) or change a story from cleaned form data: the text fields, ``domains``,
    ``project``, ``synergy`` and ``featured`` (organisations). Featuring an organisation asks its approval;
    changing the text asks every featured organisation again (they approved the words, not the title).
    One transaction: a refusal writes nothing."""
    from helix.insights.models import FeaturedOrganisation, Story

    if story is None:
        if not can(user, "create", Story(cluster=cluster)):
            raise InsightsError("not_allowed", action="create")
    elif not can(user, "edit", story):
        raise InsightsError("not_allowed", action="edit")
    domains = list(data.get("domains") or [])
    if any(d.cluster_id != cluster.pk for d in domains):
        raise InsightsError("domain_of_another_cluster", field="domains")
    project = data.get("project")
    if project is not None and project.cluster_id != cluster.pk:
        raise InsightsError("project_of_another_cluster", field="project")
    featured = list(data.get("featured") or [])
    members = set(_cluster_organisations(cluster).values_list("pk", flat=True))
    if any(o.pk not in members for o in featured):
        raise InsightsError("not_a_member", field="featured")
    with transaction.atomic():
        if story is None:
            story = Story(
                cluster=cluster, created_by=user if getattr(user, "is_authenticated", False) else None
            )
            changed_text = True
        else:
            story = Story.objects.select_for_update().get(pk=story.pk)
            changed_text = any(getattr(story, f) != data.get(f, getattr(story, f)) for f in TEXT_FIELDS)
        for name in TEXT_FIELDS:
            if name in data:
                setattr(story, name, data[name])
        story.project = project
        story.synergy = data.get("synergy")
        story.full_clean()
        story.save()
        story.domains.set(domains)
        keep = {o.pk for o in featured}
        story.featured.exclude(organisation_id__in=keep).delete()
        have = set(story.featured.values_list("organisation_id", flat=True))
        FeaturedOrganisation.objects.bulk_create(
            [FeaturedOrganisation(story=story, organisation_id=pk) for pk in sorted(keep - have)]
        )
        if changed_text:
            story.featured.update(approved_on=None, approved_by=None)
    return story


def move_story(user: Any, story: Any, target: str) -> Any:
    """Publish, withdraw or rework a story (helix.core.insights.stories.STORY_WORKFLOW)."""
    from django.utils import timezone

    from helix.core.insights.stories import PUBLISHED, STAFF, STORY_WORKFLOW
    from helix.core.workflow import TransitionNotAllowed
    from helix.insights.models import Story

    if not can(user, "publish", story):
        raise InsightsError("not_allowed", action="publish")
    with transaction.atomic():
        story = Story.objects.select_for_update().get(pk=story.pk)
        try:
            STORY_WORKFLOW.check(story.status, target, {STAFF})
        except TransitionNotAllowed:
            raise InsightsError("bad_move", field="target", source=story.status, target=target) from None
        story.status = target
        if target == PUBLISHED and story.published_on is None:
            story.published_on = timezone.localdate()
        story.save(update_fields=["status", "published_on", "updated_at"])
    return story


def approve_story(user: Any, story: Any) -> int:
    """Approve, for the user's own organisation, that the story shows it; the number of approvals
    recorded (0 when it was approved already)."""
    from django.utils import timezone

    from helix.registry.permissions import own_organisation_id

    own = own_organisation_id(user)
    if own is None or not can(user, "approve", story):
        raise InsightsError("not_allowed", action="approve")
    return story.featured.filter(organisation_id=own, approved_on__isnull=True).update(
        approved_on=timezone.localdate(), approved_by=user
    )


def showing(story: Any) -> Any:
    """Whether the story is on the public showcase and, if not, why."""
    from helix.core.insights.stories import showable

    return showable(
        story.status, [(f.organisation_id, f.approved_on is not None) for f in story.featured.all()]
    )
