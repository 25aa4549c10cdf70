"""A cluster's ecosystem as plain data: what the indicators are computed from.

The app (``helix.insights.services``) reads these from the database for one cluster (and, optionally,
one of its domains); the indicators (:mod:`.indicators`) never see a model. Every record keeps its
database id, so each figure can name the records it was computed from. Dates are ``datetime.date``;
histories are tuples of dated steps in the order they happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# The engagement ladder (helix.core.registry.ladder), read as rungs: committed means a letter of intent
# signed or more.
INTERESTED = "interested"
LOI_SIGNED = "loi_signed"
MEMBER = "member"
STRATEGIC_PARTNER = "strategic_partner"
LEFT = "left"
RUNG = {INTERESTED: 0, LOI_SIGNED: 1, MEMBER: 2, STRATEGIC_PARTNER: 3}
COMMITTED = frozenset({LOI_SIGNED, MEMBER, STRATEGIC_PARTNER})
FUNNEL = (INTERESTED, LOI_SIGNED, MEMBER, STRATEGIC_PARTNER)

# The triple helix (helix.registry.models.organisations.Helix)
INDUSTRY = "industry"
RESEARCH = "research"
PUBLIC = "public"
INTERMEDIARY = "intermediary"
HELICES = (INDUSTRY, RESEARCH, PUBLIC)


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    def holds(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


@dataclass(frozen=True)
class Organisation:
    id: int
    name: str
    kind: str  # company, knowledge_institution, government, federation, cluster_organisation
    helix: str  # industry, research, public, intermediary
    sme: bool = False  # a company of SME size
    country: str = ""  # ISO code of its headquarters, "" when unknown


@dataclass(frozen=True)
class Step:
    """A dated state: a membership's level, a project's status."""

    on: date
    state: str


def state_on(steps: Sequence[Step], day: date) -> str | None:
    """The state in force at the end of ``day`` (None before the first step)."""
    current = None
    for step in steps:
        if step.on > day:
            break
        current = step.state
    return current


@dataclass(frozen=True)
class Membership:
    """An organisation on the cluster's engagement ladder, with its dated history (first step: when it
    came on the ladder). ``domains`` are the cluster domains it works in."""

    id: int
    organisation_id: int
    history: tuple[Step, ...]
    domains: frozenset[int] = frozenset()

    def level_on(self, day: date) -> str | None:
        return state_on(self.history, day)

    def committed_on(self, day: date) -> bool:
        return self.level_on(day) in COMMITTED


@dataclass(frozen=True)
class Contact:
    """A contact the cluster's management logged with an organisation (registry Interaction)."""

    id: int
    organisation_id: int
    on: date


@dataclass(frozen=True)
class Event:
    """An event of the cluster: its first day (None while it has no slot), the organisations registered."""

    id: int
    on: date | None
    organisations: tuple[int, ...] = ()


@dataclass(frozen=True)
class Meeting:
    """A B2B meeting of a published event schedule, with its outcome (held, no_show, pending)."""

    id: int
    event_id: int
    on: date
    organisations: tuple[int, int]
    outcome: str = "pending"
    follow_up: bool = False  # a participant rated it and plans a follow-up


@dataclass(frozen=True)
class MatchContact:
    """A meeting request made from a need-offer match on the market, and what became of it."""

    id: int
    on: date
    from_organisation: int
    to_organisation: int
    status: str  # requested, accepted, declined, withdrawn
    answered_on: date | None = None


@dataclass(frozen=True)
class FundingLine:
    kind: str  # subsidy, own, private, loan, equity
    amount: Decimal


@dataclass(frozen=True)
class Project:
    """A project of the cluster with its dated status history, consortium and funding; ``from_match``
    says it links to the needs, offers, meetings, events or synergies it came from."""

    id: int
    kind: str
    history: tuple[Step, ...]
    organisations: tuple[int, ...] = ()
    funding: tuple[FundingLine, ...] = ()
    from_match: bool = False
    domains: frozenset[int] = frozenset()

    def status_on(self, day: date) -> str | None:
        return state_on(self.history, day)

    def reached(self, status: str, period: Period) -> bool:
        """Whether it entered ``status`` within ``period``."""
        return any(step.state == status and period.holds(step.on) for step in self.history)


@dataclass(frozen=True)
class SynergyReport:
    period_end: date
    quantity: float
    unit: str
    co2e_t: float


@dataclass(frozen=True)
class Synergy:
    """An industrial-symbiosis exchange between two organisations, its dated states and reports."""

    id: int
    organisations: tuple[int, int]
    history: tuple[Step, ...]
    reports: tuple[SynergyReport, ...] = ()

    def state_on(self, day: date) -> str | None:
        return state_on(self.history, day)


@dataclass(frozen=True)
class Roadmap:
    """A roadmap of the cluster: its dated statuses, the organisations taking part and its milestones
    (``items``: how many, how many with an owner)."""

    id: int
    history: tuple[Step, ...]
    participants: tuple[int, ...] = ()
    items: int = 0
    owned_items: int = 0

    def status_on(self, day: date) -> str | None:
        return state_on(self.history, day)


@dataclass(frozen=True)
class Listing:
    """A need or offer an organisation published on the market."""

    id: int
    organisation_id: int
    side: str  # need, offer
    published_on: date | None


@dataclass(frozen=True)
class StaffValue:
    """A figure staff entered for an indicator Helix cannot compute (FTE of the management team ...),
    with where it comes from. ``period`` is the period it is valid for."""

    id: int
    code: str
    value: Decimal
    period: Period
    source: str
    entered_on: date


@dataclass(frozen=True)
class Ecosystem:
    """Everything the indicators read for one cluster. ``home_country`` is the country of the cluster
    organisation (members elsewhere count as international)."""

    cluster: str
    home_country: str
    organisations: dict[int, Organisation] = field(default_factory=dict)
    memberships: tuple[Membership, ...] = ()
    contacts: tuple[Contact, ...] = ()
    events: tuple[Event, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    match_contacts: tuple[MatchContact, ...] = ()
    projects: tuple[Project, ...] = ()
    synergies: tuple[Synergy, ...] = ()
    roadmaps: tuple[Roadmap, ...] = ()
    listings: tuple[Listing, ...] = ()
    staff_values: tuple[StaffValue, ...] = ()

    def committed(self, day: date) -> list[Membership]:
        """The memberships at a letter of intent or more at the end of ``day``."""
        return [m for m in self.memberships if m.committed_on(day)]

    def organisation(self, organisation_id: int) -> Organisation | None:
        return self.organisations.get(organisation_id)

    def staff_value(self, code: str, period: Period) -> StaffValue | None:
        """The latest figure staff entered for ``code`` whose period covers the end of ``period``."""
        found = [v for v in self.staff_values if v.code == code and v.period.holds(period.end)]
        return max(found, key=lambda v: (v.entered_on, v.id)) if found else None
