"""The cluster indicators, declared as data, and their formulas over an :class:`.Ecosystem`.

Each :class:`Indicator` has a code, a label and a definition (English; the app translates them), a unit,
a kind (``stock``: measured at the end of the period; ``flow``: what happened during it; ``staff``:
entered by staff, because Helix does not hold the data) and the label criteria it serves (the European
Cluster Collaboration Platform's listing rules, the ESCA/EUCLES bronze areas and gold indicators: see
../shared/reference/cluster-excellence.md). :func:`compute` gives a :class:`Value` for every indicator:
the figure and the records it was computed from, or why it is missing.

The formulas are plain Python over the ecosystem; every count names its records, so a page can show
exactly which memberships, projects or synergies make up a figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from .ecosystem import (
    COMMITTED,
    HELICES,
    LEFT,
    RUNG,
    Ecosystem,
    Membership,
    Period,
    Project,
    Step,
)

# Where a figure comes from: the kinds of record a Value may name.
MEMBERSHIP = "membership"
ORGANISATION = "organisation"
CONTACT = "contact"
EVENT = "event"
MEETING = "meeting"
MATCH_CONTACT = "match_contact"
PROJECT = "project"
SYNERGY = "synergy"
ROADMAP = "roadmap"
LISTING = "listing"
STAFF_VALUE = "staff_value"

# Why a value is missing
NEEDS_STAFF_VALUE = "needs_staff_value"  # staff must enter it (with its source)
NO_BASE = "no_base"  # a share or growth of nothing: no record to divide by

# Project statuses (helix.core.projects.lifecycle) and synergy states (helix.core.symbiosis.workflow)
STARTED = frozenset({"approved", "running"})
SUBSIDY = "subsidy"
AGREED = "agreed"
REALISED = "realised"
ADOPTED = frozenset({"adopted", "revised"})  # a roadmap being revised keeps its adopted version


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "%"
    EUR = "EUR"
    TONNES = "t"
    CO2E = "t CO2e"
    FTE = "FTE"
    RATIO = "ratio"
    YES_NO = "yes/no"


class Kind(StrEnum):
    STOCK = "stock"  # at the end of the period
    FLOW = "flow"  # during the period
    STAFF = "staff"  # entered by staff


class Label(StrEnum):
    ECCP = "eccp"  # listing on the European Cluster Collaboration Platform
    BRONZE = "bronze"  # ESCA/EUCLES bronze benchmarking
    GOLD = "gold"  # ESCA/EUCLES gold assessment


class Area(StrEnum):
    """The six areas of the bronze questionnaire (gold adds strategy, which weighs most)."""

    STRUCTURE = "structure"
    MANAGEMENT = "management"
    FINANCING = "financing"
    SERVICES = "services"
    INTERACTION = "interaction"
    ACHIEVEMENTS = "achievements"
    STRATEGY = "strategy"


@dataclass(frozen=True)
class Criterion:
    """What a label looks at. ``minimum``: met when the value is at least this; without one, the value
    is evidence an assessor judges (the self-assessment says it needs evidence)."""

    label: Label
    area: Area
    text: str
    minimum: Decimal | None = None


@dataclass(frozen=True)
class Ref:
    """A record a figure was computed from."""

    kind: str
    id: int


@dataclass(frozen=True)
class Value:
    """An indicator's figure for a period; ``value`` is None when ``missing`` says why."""

    code: str
    period: Period
    value: Decimal | None
    records: tuple[Ref, ...] = ()
    missing: str = ""
    detail: tuple[tuple[str, Decimal], ...] = ()  # a breakdown, e.g. members per helix
    source: str = ""  # for a staff value: where it comes from

    @property
    def known(self) -> bool:
        return self.value is not None


Formula = Callable[[Ecosystem, Period, str], Value]


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    definition: str
    unit: Unit
    kind: Kind
    area: Area
    criteria: tuple[Criterion, ...] = ()
    formula: Formula | None = None  # None for staff-entered indicators


# ---- helpers ----------------------------------------------------------------------------------------

HUNDRED = Decimal(100)


def _d(x: float | int | Decimal) -> Decimal:
    return x if isinstance(x, Decimal) else Decimal(str(x))


def _share(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` of ``whole`` in percent, to two decimals; None when ``whole`` is zero."""
    if not whole:
        return None
    return (_d(part) * HUNDRED / _d(whole)).quantize(Decimal("0.01"))


def _value(
    code: str,
    period: Period,
    value: Decimal | int | None,
    refs: Iterable[Ref],
    *,
    missing: str = NO_BASE,
    detail: tuple[tuple[str, Decimal], ...] = (),
    source: str = "",
) -> Value:
    """A value naming each record once; ``missing`` says why when ``value`` is None."""
    records = tuple(sorted(set(refs), key=lambda r: (r.kind, r.id)))
    if value is None:
        return Value(code, period, None, records, missing=missing, detail=detail, source=source)
    return Value(code, period, _d(value), records, detail=detail, source=source)


def _members(refs: Sequence[Membership]) -> list[Ref]:
    return [Ref(MEMBERSHIP, m.id) for m in refs]


def _before(period: Period) -> date:
    return period.start - timedelta(days=1)


def _entered(history: Sequence[Step], states: frozenset[str], period: Period) -> bool:
    """Whether a dated history first entered one of ``states`` within ``period``."""
    for step in history:
        if step.state in states:
            return period.holds(step.on)
    return False


def _started(project: Project, period: Period) -> bool:
    """Approved (or running without a recorded approval) for the first time within ``period``."""
    return _entered(project.history, STARTED, period)


def _active_projects(eco: Ecosystem, period: Period) -> list[Project]:
    """Projects approved or running at some moment of the period."""
    out = []
    for p in eco.projects:
        if p.status_on(period.start) in STARTED or any(
            s.state in STARTED and period.holds(s.on) for s in p.history
        ):
            out.append(p)
    return out


# ---- structure --------------------------------------------------------------------------------------


def committed_members(eco: Ecosystem, period: Period, code: str) -> Value:
    members = eco.committed(period.end)
    return _value(code, period, len(members), _members(members))


def helices_represented(eco: Ecosystem, period: Period, code: str) -> Value:
    members = eco.committed(period.end)
    counts = dict.fromkeys(HELICES, 0)
    for m in members:
        org = eco.organisation(m.organisation_id)
        if org is not None and org.helix in counts:
            counts[org.helix] += 1
    present = sum(1 for n in counts.values() if n)
    return _value(
        code, period, present, _members(members), detail=tuple((h, _d(n)) for h, n in counts.items())
    )


def sme_share(eco: Ecosystem, period: Period, code: str) -> Value:
    companies = [
        m
        for m in eco.committed(period.end)
        if (o := eco.organisation(m.organisation_id)) and o.kind == "company"
    ]
    smes = [m for m in companies if (o := eco.organisation(m.organisation_id)) and o.sme]
    return _value(code, period, _share(len(smes), len(companies)), _members(smes))


def international_share(eco: Ecosystem, period: Period, code: str) -> Value:
    known = [m for m in eco.committed(period.end) if (o := eco.organisation(m.organisation_id)) and o.country]
    abroad = [
        m for m in known if (o := eco.organisation(m.organisation_id)) and o.country != eco.home_country
    ]
    return _value(code, period, _share(len(abroad), len(known)), _members(abroad))


# ---- engagement -------------------------------------------------------------------------------------


def member_growth(eco: Ecosystem, period: Period, code: str) -> Value:
    before = eco.committed(_before(period))
    after = eco.committed(period.end)
    if not before:
        return _value(code, period, None, _members(after))
    growth = ((_d(len(after)) - len(before)) * HUNDRED / len(before)).quantize(Decimal("0.01"))
    return _value(code, period, growth, _members(after))


def new_commitments(eco: Ecosystem, period: Period, code: str) -> Value:
    """Memberships that came to a letter of intent or more during the period (from below or from outside
    the ladder), counted once however often they moved."""
    joined = []
    for m in eco.memberships:
        before = m.level_on(_before(period))
        if before in COMMITTED:
            continue
        if any(step.state in COMMITTED and period.holds(step.on) for step in m.history):
            joined.append(m)
    return _value(code, period, len(joined), _members(joined))


def departures(eco: Ecosystem, period: Period, code: str) -> Value:
    left = [m for m in eco.memberships if any(s.state == LEFT and period.holds(s.on) for s in m.history)]
    return _value(code, period, len(left), _members(left))


def upgrades(eco: Ecosystem, period: Period, code: str) -> Value:
    """Steps up the ladder during the period (a membership moving up twice counts twice)."""
    refs: list[Ref] = []
    count = 0
    for m in eco.memberships:
        previous = ""
        for step in m.history:
            if period.holds(step.on) and RUNG.get(step.state, -1) > RUNG.get(previous, 99):
                count += 1
                refs.append(Ref(MEMBERSHIP, m.id))
            previous = step.state
    return _value(code, period, count, refs)


def retention(eco: Ecosystem, period: Period, code: str) -> Value:
    """Of the committed members on the eve of the period, the share still committed at its end."""
    before = eco.committed(_before(period))
    stayed = [m for m in before if m.committed_on(period.end)]
    return _value(code, period, _share(len(stayed), len(before)), _members(stayed))


# ---- management -------------------------------------------------------------------------------------


def staff_per_hundred_members(eco: Ecosystem, period: Period, code: str) -> Value:
    staff = eco.staff_value("staff_fte", period)
    members = eco.committed(period.end)
    if staff is None:
        return _value(code, period, None, _members(members), missing=NEEDS_STAFF_VALUE)
    if not members:
        return _value(code, period, None, [Ref(STAFF_VALUE, staff.id)])
    figure = (staff.value * HUNDRED / len(members)).quantize(Decimal("0.01"))
    return _value(code, period, figure, [Ref(STAFF_VALUE, staff.id), *_members(members)])


# ---- interaction ------------------------------------------------------------------------------------


def contacts_logged(eco: Ecosystem, period: Period, code: str) -> Value:
    found = [c for c in eco.contacts if period.holds(c.on)]
    return _value(code, period, len(found), [Ref(CONTACT, c.id) for c in found])


def members_contacted(eco: Ecosystem, period: Period, code: str) -> Value:
    reached = {c.organisation_id for c in eco.contacts if period.holds(c.on)}
    members = eco.committed(period.end)
    hit = [m for m in members if m.organisation_id in reached]
    return _value(code, period, _share(len(hit), len(members)), _members(hit))


def events_held(eco: Ecosystem, period: Period, code: str) -> Value:
    found = [e for e in eco.events if period.holds(e.on)]
    return _value(code, period, len(found), [Ref(EVENT, e.id) for e in found])


def event_participation(eco: Ecosystem, period: Period, code: str) -> Value:
    came = {o for e in eco.events if period.holds(e.on) for o in e.organisations}
    members = eco.committed(period.end)
    hit = [m for m in members if m.organisation_id in came]
    return _value(code, period, _share(len(hit), len(members)), _members(hit))


def meetings_held(eco: Ecosystem, period: Period, code: str) -> Value:
    """B2B meetings of published schedules on a day of the period, no-shows left out."""
    found = [m for m in eco.meetings if period.holds(m.on) and m.outcome != "no_show"]
    return _value(code, period, len(found), [Ref(MEETING, m.id) for m in found])


def match_contacts(eco: Ecosystem, period: Period, code: str) -> Value:
    found = [c for c in eco.match_contacts if period.holds(c.on)]
    return _value(code, period, len(found), [Ref(MATCH_CONTACT, c.id) for c in found])


def matches_to_meetings(eco: Ecosystem, period: Period, code: str) -> Value:
    """Of the meeting requests made from market matches during the period, the share accepted."""
    made = [c for c in eco.match_contacts if period.holds(c.on) and c.status != "withdrawn"]
    accepted = [c for c in made if c.status == "accepted"]
    return _value(
        code, period, _share(len(accepted), len(made)), [Ref(MATCH_CONTACT, c.id) for c in accepted]
    )


# ---- services ---------------------------------------------------------------------------------------


def services_used(eco: Ecosystem, period: Period, code: str) -> Value:
    """Committed members that used at least one service during the period: came to an event, had a B2B
    meeting, published a need or offer, made or received a match request, or took part in a project."""
    users: set[int] = set()
    for e in eco.events:
        if period.holds(e.on):
            users.update(e.organisations)
    for mt in eco.meetings:
        if period.holds(mt.on) and mt.outcome != "no_show":
            users.update(mt.organisations)
    for li in eco.listings:
        if period.holds(li.published_on):
            users.add(li.organisation_id)
    for c in eco.match_contacts:
        if period.holds(c.on):
            users.update((c.from_organisation, c.to_organisation))
    for p in _active_projects(eco, period):
        users.update(p.organisations)
    members = eco.committed(period.end)
    hit = [m for m in members if m.organisation_id in users]
    return _value(code, period, _share(len(hit), len(members)), _members(hit))


# ---- achievements and financing ---------------------------------------------------------------------


def projects_started(eco: Ecosystem, period: Period, code: str) -> Value:
    found = [p for p in eco.projects if _started(p, period)]
    return _value(code, period, len(found), [Ref(PROJECT, p.id) for p in found])


def projects_from_matches(eco: Ecosystem, period: Period, code: str) -> Value:
    found = [p for p in eco.projects if _started(p, period) and p.from_match]
    return _value(code, period, len(found), [Ref(PROJECT, p.id) for p in found])


def funding_raised(eco: Ecosystem, period: Period, code: str) -> Value:
    """Every funding line (subsidies, own and private money, loans, equity) of the projects started in
    the period."""
    found = [p for p in eco.projects if _started(p, period)]
    total = sum((line.amount for p in found for line in p.funding), Decimal(0))
    return _value(code, period, total, [Ref(PROJECT, p.id) for p in found if p.funding])


def private_share(eco: Ecosystem, period: Period, code: str) -> Value:
    """The share of the funding of the projects started in the period that is not a subsidy."""
    found = [p for p in eco.projects if _started(p, period)]
    total = sum((line.amount for p in found for line in p.funding), Decimal(0))
    private = sum((line.amount for p in found for line in p.funding if line.kind != SUBSIDY), Decimal(0))
    return _value(code, period, _share(private, total), [Ref(PROJECT, p.id) for p in found if p.funding])


def agreements(eco: Ecosystem, period: Period, code: str) -> Value:
    """Synergies agreed during the period (agreed, or realised without a recorded agreement)."""
    found = [s for s in eco.synergies if _entered(s.history, frozenset({AGREED, REALISED}), period)]
    return _value(code, period, len(found), [Ref(SYNERGY, s.id) for s in found])


def synergies_realised(eco: Ecosystem, period: Period, code: str) -> Value:
    found = [s for s in eco.synergies if _entered(s.history, frozenset({REALISED}), period)]
    return _value(code, period, len(found), [Ref(SYNERGY, s.id) for s in found])


TONNES_PER_UNIT = {"t": Decimal(1), "kg": Decimal("0.001")}


def tonnes_exchanged(eco: Ecosystem, period: Period, code: str) -> Value:
    """Tonnes reported exchanged by synergies in reports whose period ends within this one."""
    total = Decimal(0)
    refs = []
    for s in eco.synergies:
        for r in s.reports:
            if period.holds(r.period_end) and r.unit in TONNES_PER_UNIT:
                total += _d(r.quantity) * TONNES_PER_UNIT[r.unit]
                refs.append(Ref(SYNERGY, s.id))
    return _value(code, period, total.quantize(Decimal("0.001")), refs)


def co2e_avoided(eco: Ecosystem, period: Period, code: str) -> Value:
    total = Decimal(0)
    refs = []
    for s in eco.synergies:
        for r in s.reports:
            if period.holds(r.period_end):
                total += _d(r.co2e_t)
                refs.append(Ref(SYNERGY, s.id))
    return _value(code, period, total.quantize(Decimal("0.001")), refs)


# ---- strategy ---------------------------------------------------------------------------------------


def roadmap_adopted(eco: Ecosystem, period: Period, code: str) -> Value:
    found = [r for r in eco.roadmaps if r.status_on(period.end) in ADOPTED]
    return _value(code, period, 1 if found else 0, [Ref(ROADMAP, r.id) for r in found])


def roadmap_coverage(eco: Ecosystem, period: Period, code: str) -> Value:
    """Of the committed members, the share taking part in an adopted roadmap."""
    taking_part = {o for r in eco.roadmaps if r.status_on(period.end) in ADOPTED for o in r.participants}
    members = eco.committed(period.end)
    hit = [m for m in members if m.organisation_id in taking_part]
    return _value(code, period, _share(len(hit), len(members)), _members(hit))


def roadmap_milestones_owned(eco: Ecosystem, period: Period, code: str) -> Value:
    """Of the milestones of the adopted roadmaps, the share with an owner."""
    found = [r for r in eco.roadmaps if r.status_on(period.end) in ADOPTED]
    items = sum(r.items for r in found)
    owned = sum(r.owned_items for r in found)
    return _value(code, period, _share(owned, items), [Ref(ROADMAP, r.id) for r in found])


def _staff(indicator_code: str) -> Formula:
    def formula(eco: Ecosystem, period: Period, code: str) -> Value:
        found = eco.staff_value(indicator_code, period)
        if found is None:
            return _value(code, period, None, [], missing=NEEDS_STAFF_VALUE)
        return _value(code, period, found.value, [Ref(STAFF_VALUE, found.id)], source=found.source)

    return formula


def _c(label: Label, area: Area, text: str, minimum: int | str | None = None) -> Criterion:
    return Criterion(label, area, text, None if minimum is None else Decimal(minimum))


S, M, F, V, X, A, G = (
    Area.STRUCTURE,
    Area.MANAGEMENT,
    Area.FINANCING,
    Area.SERVICES,
    Area.INTERACTION,
    Area.ACHIEVEMENTS,
    Area.STRATEGY,
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "committed_members",
        "Committed members",
        "Organisations at a letter of intent or more on the engagement ladder at the end of the period.",
        Unit.COUNT,
        Kind.STOCK,
        S,
        (
            _c(Label.ECCP, S, "At least 15 committed members", 15),
            _c(Label.BRONZE, S, "Number of participants"),
            _c(Label.GOLD, S, "Engagement, structure and number of participants"),
        ),
        committed_members,
    ),
    Indicator(
        "helices_represented",
        "Helices represented",
        "How many of the three helices (industry, research, public bodies) the committed members cover.",
        Unit.COUNT,
        Kind.STOCK,
        S,
        (
            _c(Label.ECCP, S, "Members of at least two kinds (triple helix)", 2),
            _c(Label.BRONZE, S, "Kinds of participants"),
        ),
        helices_represented,
    ),
    Indicator(
        "sme_share",
        "SME share",
        "Of the committed members that are companies, the share of SMEs.",
        Unit.PERCENT,
        Kind.STOCK,
        S,
        (_c(Label.BRONZE, S, "Sizes of participants"),),
        sme_share,
    ),
    Indicator(
        "international_share",
        "International members",
        "Of the committed members whose country is known, the share headquartered outside the "
        "cluster's country.",
        Unit.PERCENT,
        Kind.STOCK,
        S,
        (_c(Label.BRONZE, S, "Geography of participants"), _c(Label.GOLD, S, "Geographic concentration")),
        international_share,
    ),
    Indicator(
        "member_growth",
        "Member growth",
        "Change in the number of committed members from the eve of the period to its end, in percent.",
        Unit.PERCENT,
        Kind.FLOW,
        S,
        (_c(Label.GOLD, S, "Engagement and its growth"),),
        member_growth,
    ),
    Indicator(
        "new_commitments",
        "New commitments",
        "Memberships that reached a letter of intent or more during the period.",
        Unit.COUNT,
        Kind.FLOW,
        S,
        (),
        new_commitments,
    ),
    Indicator(
        "departures",
        "Departures",
        "Memberships recorded as left during the period.",
        Unit.COUNT,
        Kind.FLOW,
        S,
        (),
        departures,
    ),
    Indicator(
        "upgrades",
        "Steps up the engagement ladder",
        "Moves of a membership to a higher rung during the period.",
        Unit.COUNT,
        Kind.FLOW,
        S,
        (),
        upgrades,
    ),
    Indicator(
        "retention",
        "Retention",
        "Of the committed members on the eve of the period, the share still committed at its end.",
        Unit.PERCENT,
        Kind.FLOW,
        S,
        (_c(Label.GOLD, S, "Stability of company participation"),),
        retention,
    ),
    Indicator(
        "staff_fte",
        "Management staff",
        "Full-time equivalents of the cluster management team (entered by staff).",
        Unit.FTE,
        Kind.STAFF,
        M,
        (
            _c(Label.ECCP, M, "At least 0.5 FTE of management staff", "0.5"),
            _c(Label.GOLD, M, "Management staff"),
        ),
        _staff("staff_fte"),
    ),
    Indicator(
        "staff_per_hundred_members",
        "Staff per 100 members",
        "Management staff (FTE) per hundred committed members.",
        Unit.RATIO,
        Kind.STOCK,
        M,
        (_c(Label.BRONZE, M, "Staff and their stability"),),
        staff_per_hundred_members,
    ),
    Indicator(
        "members_in_decisions",
        "Members in decision bodies",
        "Member representatives sitting in the cluster's board and steering bodies (entered by staff).",
        Unit.COUNT,
        Kind.STAFF,
        M,
        (
            _c(Label.BRONZE, M, "Decision bodies, the members' role"),
            _c(Label.GOLD, M, "The members' role in decisions"),
        ),
        _staff("members_in_decisions"),
    ),
    Indicator(
        "management_private_funding",
        "Private funding of the management",
        "Share of the cluster organisation's own budget paid by private money, fees and services "
        "(entered by staff).",
        Unit.PERCENT,
        Kind.STAFF,
        F,
        (
            _c(Label.BRONZE, F, "Share of private money"),
            _c(Label.GOLD, F, "Financing prospects and the share of private funding"),
        ),
        _staff("management_private_funding"),
    ),
    Indicator(
        "contacts_logged",
        "Contacts logged",
        "Contacts of the cluster management with organisations (meetings, calls, visits, e-mails) "
        "during the period.",
        Unit.COUNT,
        Kind.FLOW,
        Area.INTERACTION,
        (_c(Label.GOLD, Area.INTERACTION, "Direct contacts between management and members"),),
        contacts_logged,
    ),
    Indicator(
        "members_contacted",
        "Members contacted",
        "Of the committed members, the share the management had at least one logged contact with "
        "during the period.",
        Unit.PERCENT,
        Kind.FLOW,
        Area.INTERACTION,
        (_c(Label.BRONZE, Area.INTERACTION, "Direct contacts of the management with members"),),
        members_contacted,
    ),
    Indicator(
        "events_held",
        "Events held",
        "Events of the cluster whose first day falls within the period.",
        Unit.COUNT,
        Kind.FLOW,
        Area.INTERACTION,
        (_c(Label.BRONZE, Area.INTERACTION, "Cooperation among members, working groups"),),
        events_held,
    ),
    Indicator(
        "event_participation",
        "Members at events",
        "Of the committed members, the share registered at an event held during the period.",
        Unit.PERCENT,
        Kind.FLOW,
        Area.INTERACTION,
        (_c(Label.GOLD, Area.INTERACTION, "Degree of cooperation"),),
        event_participation,
    ),
    Indicator(
        "meetings_held",
        "B2B meetings",
        "Meetings of published event schedules held during the period (no-shows left out).",
        Unit.COUNT,
        Kind.FLOW,
        Area.INTERACTION,
        (_c(Label.BRONZE, Area.INTERACTION, "Cooperation among members"),),
        meetings_held,
    ),
    Indicator(
        "match_contacts",
        "Match contacts",
        "Meeting requests made from need-offer matches during the period.",
        Unit.COUNT,
        Kind.FLOW,
        V,
        (),
        match_contacts,
    ),
    Indicator(
        "matches_to_meetings",
        "Matches that became meetings",
        "Of the meeting requests made from matches during the period (withdrawn ones left out), "
        "the share accepted.",
        Unit.PERCENT,
        Kind.FLOW,
        V,
        (_c(Label.GOLD, V, "Services and their effectiveness"),),
        matches_to_meetings,
    ),
    Indicator(
        "services_used",
        "Members using services",
        "Of the committed members, the share that came to an event, had a B2B meeting, published a need "
        "or offer, made or received a match request, or took part in a running project during the period.",
        Unit.PERCENT,
        Kind.FLOW,
        V,
        (_c(Label.BRONZE, V, "Services offered and how much they are used"),),
        services_used,
    ),
    Indicator(
        "projects_started",
        "Projects started",
        "Projects approved (or started without a recorded approval) during the period.",
        Unit.COUNT,
        Kind.FLOW,
        A,
        (_c(Label.BRONZE, A, "Results"),),
        projects_started,
    ),
    Indicator(
        "projects_from_matches",
        "Projects from matches",
        "Of the projects started during the period, those that came from a need, offer, meeting, "
        "event or synergy.",
        Unit.COUNT,
        Kind.FLOW,
        A,
        (),
        projects_from_matches,
    ),
    Indicator(
        "funding_raised",
        "Funding raised",
        "All funding (subsidies, own and private money, loans, equity) of the projects started "
        "during the period.",
        Unit.EUR,
        Kind.FLOW,
        F,
        (_c(Label.BRONZE, F, "Sources of financing"),),
        funding_raised,
    ),
    Indicator(
        "private_share",
        "Private leverage",
        "Of the funding of the projects started during the period, the share that is not a subsidy.",
        Unit.PERCENT,
        Kind.FLOW,
        F,
        (_c(Label.GOLD, F, "Share of private funding"),),
        private_share,
    ),
    Indicator(
        "agreements",
        "Symbiosis agreements",
        "Industrial-symbiosis synergies agreed during the period.",
        Unit.COUNT,
        Kind.FLOW,
        A,
        (),
        agreements,
    ),
    Indicator(
        "synergies_realised",
        "Synergies realised",
        "Industrial-symbiosis synergies realised during the period.",
        Unit.COUNT,
        Kind.FLOW,
        A,
        (_c(Label.BRONZE, A, "Results"),),
        synergies_realised,
    ),
    Indicator(
        "tonnes_exchanged",
        "Tonnes exchanged",
        "Tonnes of material the synergies reported exchanged in reports for periods ending within this one.",
        Unit.TONNES,
        Kind.FLOW,
        A,
        (),
        tonnes_exchanged,
    ),
    Indicator(
        "co2e_avoided",
        "CO2e avoided",
        "Tonnes of CO2 equivalent the synergies reported avoided in reports for periods ending "
        "within this one.",
        Unit.CO2E,
        Kind.FLOW,
        A,
        (_c(Label.BRONZE, A, "Results"),),
        co2e_avoided,
    ),
    Indicator(
        "press_mentions",
        "Press and media mentions",
        "Articles and broadcasts about the cluster during the period (entered by staff).",
        Unit.COUNT,
        Kind.STAFF,
        A,
        (
            _c(Label.BRONZE, A, "Press, awards, recognition"),
            _c(Label.GOLD, A, "Communication, web presence and press"),
        ),
        _staff("press_mentions"),
    ),
    Indicator(
        "roadmap_adopted",
        "Adopted roadmap",
        "Whether the cluster has an adopted roadmap at the end of the period (1 yes, 0 no).",
        Unit.YES_NO,
        Kind.STOCK,
        G,
        (_c(Label.GOLD, G, "The strategy process, its documentation and implementation plan", 1),),
        roadmap_adopted,
    ),
    Indicator(
        "roadmap_coverage",
        "Members in the roadmap",
        "Of the committed members, the share taking part in an adopted roadmap at the end of the period.",
        Unit.PERCENT,
        Kind.STOCK,
        G,
        (_c(Label.GOLD, G, "Implementation plan shared by the members"),),
        roadmap_coverage,
    ),
    Indicator(
        "roadmap_milestones_owned",
        "Roadmap milestones with an owner",
        "Of the milestones of the adopted roadmaps, the share with an owner.",
        Unit.PERCENT,
        Kind.STOCK,
        G,
        (_c(Label.GOLD, G, "Goals and performance monitoring"),),
        roadmap_milestones_owned,
    ),
    Indicator(
        "strategy_reviewed",
        "Strategy reviewed",
        "Whether the strategy was reviewed with the members during the period (1 yes, 0 no; "
        "entered by staff).",
        Unit.YES_NO,
        Kind.STAFF,
        G,
        (_c(Label.GOLD, G, "Review of the strategy", 1),),
        _staff("strategy_reviewed"),
    ),
)

BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}

# The indicators a cluster publishes as open data: aggregates that name no organisation or person and
# need no figure from staff (a share of three members can still be read back to them, so shares of
# small groups are not here: the SME, international and private shares stay with the staff).
OPEN_INDICATORS: tuple[str, ...] = (
    "committed_members",
    "helices_represented",
    "member_growth",
    "new_commitments",
    "departures",
    "events_held",
    "meetings_held",
    "projects_started",
    "funding_raised",
    "synergies_realised",
    "tonnes_exchanged",
    "co2e_avoided",
    "roadmap_adopted",
)
STAFF_ENTERED: tuple[str, ...] = tuple(i.code for i in INDICATORS if i.kind is Kind.STAFF)


class UnknownIndicator(KeyError):
    """An indicator code that is not declared."""


def indicator(code: str) -> Indicator:
    try:
        return BY_CODE[code]
    except KeyError:
        raise UnknownIndicator(code) from None


def compute(eco: Ecosystem, period: Period, codes: Iterable[str] | None = None) -> list[Value]:
    """Every indicator's value (or the ones in ``codes``, in that order) for ``period``."""
    chosen = [indicator(c) for c in codes] if codes is not None else list(INDICATORS)
    out = []
    for ind in chosen:
        assert ind.formula is not None  # every declared indicator has one (staff ones read the entries)
        out.append(ind.formula(eco, period, ind.code))
    return out


# ---- the label self-assessment ----------------------------------------------------------------------


class Standing(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    MISSING = "missing"  # the value needs data Helix does not hold
    EVIDENCE = "evidence"  # no threshold: an assessor judges the figure, with evidence


@dataclass(frozen=True)
class Assessment:
    criterion: Criterion
    indicator: Indicator
    value: Value
    standing: Standing


@dataclass(frozen=True)
class SelfAssessment:
    label: Label
    rows: tuple[Assessment, ...] = field(default_factory=tuple)

    def count(self, standing: Standing) -> int:
        return sum(1 for r in self.rows if r.standing is standing)


def assess(values: Iterable[Value], label: Label) -> SelfAssessment:
    """Every criterion of ``label`` the indicators serve, with where the cluster stands on it."""
    by_code = {v.code: v for v in values}
    rows = []
    for ind in INDICATORS:
        value = by_code.get(ind.code)
        if value is None:
            continue
        for crit in ind.criteria:
            if crit.label is not label:
                continue
            if value.value is None:
                standing = Standing.MISSING
            elif crit.minimum is None:
                standing = Standing.EVIDENCE
            else:
                standing = Standing.MET if value.value >= crit.minimum else Standing.NOT_MET
            rows.append(Assessment(crit, ind, value, standing))
    return SelfAssessment(label, tuple(rows))
