"""A cluster roadmap as plain data: who achieves what and when, from concept to market.

The New Industrial Policy seed asks a cluster roadmap to "detail the pathway to be followed in phases by
all participants in the triple helix cluster": which participant must achieve what and when, across every
stage from concept to end product, recycling and marketing. Here that is a :class:`Roadmap`:

- ``participants``: the organisations taking part (the registry's ids at the Django edge, any string or
  number elsewhere), each with a role in the roadmap, whether it has committed (a letter of intent), and
  optionally its capacity in person-months per month for the levelled plan;
- ``tracks``: parallel lines of work (Flux50's innovator zones, Smart Energy Cities' work domains);
- ``items``: milestones (a point in time, duration 0) and deliverables or activities (a duration in days),
  each with a track, a :class:`Phase` and the TRL range it covers, an owner and contributors, the effort
  per participant (person-months), a budget and the funding secured, the projects that implement it, and
  its progress (actual dates, percent complete);
- ``dependencies``: finish-to-start or start-to-start links with a lag in days (negative = lead).

Time is counted in days from ``Roadmap.start``; an item's ``planned_start`` is the date the roadmap states
for it (a "start no earlier than" in the plan), ``duration_days`` its length. Analysis (critical path,
what-if, validation, levelling) lives beside this module and speaks in coded :class:`Problem` rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

# A participant as the core sees it: the registry's primary key at the Django edge, or another system's id.
ParticipantId = int | str


class Phase(StrEnum):
    """The stages of the pathway from concept to market (and back, through recycling)."""

    CONCEPT = "concept"
    RESEARCH = "research"
    DEVELOPMENT = "development"
    DEMONSTRATION = "demonstration"
    MARKET = "market"
    RECYCLING = "recycling"


PHASES: tuple[Phase, ...] = tuple(Phase)

# The technology readiness levels each phase usually spans (EU definition, TRL 1-9). A roadmap item may
# state its own range; these are the defaults and what the TRL ladder draws.
PHASE_TRL: dict[Phase, tuple[int, int]] = {
    Phase.CONCEPT: (1, 2),
    Phase.RESEARCH: (2, 4),
    Phase.DEVELOPMENT: (4, 6),
    Phase.DEMONSTRATION: (6, 8),
    Phase.MARKET: (8, 9),
    Phase.RECYCLING: (9, 9),
}

# The "valley of death" between research and market: where public research money stops and private
# investment has not yet started. An item whose TRL range meets it needs an owner and funding.
VALLEY_OF_DEATH: tuple[int, int] = (4, 7)
TRL_MIN, TRL_MAX = 1, 9


class ItemKind(StrEnum):
    MILESTONE = "milestone"  # a point in time: duration 0
    DELIVERABLE = "deliverable"  # a result with a due date, produced over a duration
    ACTIVITY = "activity"  # work over a duration


class DependencyKind(StrEnum):
    FINISH_TO_START = "FS"  # the successor starts after the predecessor finishes (+ lag)
    START_TO_START = "SS"  # the successor starts after the predecessor starts (+ lag)


@dataclass(frozen=True)
class Participant:
    id: ParticipantId
    name: str = ""
    role: str = ""  # e.g. "lead", "partner", "knowledge partner", "city"; empty = none given
    committed: bool = False  # has signed a letter of intent or otherwise committed to the roadmap
    helix: str = ""  # "company", "knowledge", "government", "other" (the triple helix), empty if unknown
    capacity_pm_per_month: float | None = None  # person-months it can give per month; None = unlimited


@dataclass(frozen=True)
class Track:
    key: str
    title: str = ""


@dataclass(frozen=True)
class Effort:
    participant: ParticipantId
    person_months: float


@dataclass(frozen=True)
class ProjectLink:
    """A project that implements (feeds) an item: it should end by the item's planned finish."""

    key: str
    title: str = ""
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Item:
    key: str
    title: str = ""
    kind: ItemKind = ItemKind.MILESTONE
    track: str | None = None
    phase: Phase | None = None
    trl_from: int | None = None
    trl_to: int | None = None
    owner: ParticipantId | None = None
    contributors: tuple[ParticipantId, ...] = ()
    duration_days: int = 0
    planned_start: date | None = None  # the date the roadmap states; None = as early as dependencies allow
    efforts: tuple[Effort, ...] = ()
    budget: float = 0.0
    funding_secured: float = 0.0
    projects: tuple[ProjectLink, ...] = ()
    calls: tuple[str, ...] = ()  # keys of calls that fund it
    kpis: tuple[str, ...] = ()  # keys of KPIs it moves
    actual_start: date | None = None
    actual_finish: date | None = None
    percent_complete: float = 0.0  # 0..100

    @property
    def trl_range(self) -> tuple[int, int] | None:
        """The TRL range the item states, else its phase's default, else None."""
        if self.trl_from is not None or self.trl_to is not None:
            low = self.trl_from if self.trl_from is not None else self.trl_to
            high = self.trl_to if self.trl_to is not None else self.trl_from
            assert low is not None
            assert high is not None
            return (low, high)
        if self.phase is not None:
            return PHASE_TRL[self.phase]
        return None

    @property
    def participants(self) -> tuple[ParticipantId, ...]:
        """Owner, contributors and everyone with effort on it, each once, in that order."""
        seen: dict[ParticipantId, None] = {}
        if self.owner is not None:
            seen[self.owner] = None
        for p in self.contributors:
            seen.setdefault(p, None)
        for e in self.efforts:
            seen.setdefault(e.participant, None)
        return tuple(seen)


@dataclass(frozen=True)
class Dependency:
    predecessor: str
    successor: str
    kind: DependencyKind = DependencyKind.FINISH_TO_START
    lag_days: int = 0


@dataclass(frozen=True)
class Roadmap:
    start: date
    items: tuple[Item, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    participants: tuple[Participant, ...] = ()
    tracks: tuple[Track, ...] = ()
    title: str = ""

    def item(self, key: str) -> Item:
        for it in self.items:
            if it.key == key:
                return it
        raise KeyError(key)

    def participant(self, pid: ParticipantId) -> Participant | None:
        for p in self.participants:
            if p.id == pid:
                return p
        return None


@dataclass(frozen=True)
class Problem:
    """Something wrong with a roadmap: a stable code the edge translates, its params and an English text.

    ``item`` names the item it is about (``None`` for the roadmap as a whole); ``severity`` is ``error``
    (the roadmap cannot be adopted) or ``warning`` (it can, but someone should look)."""

    code: str
    params: dict[str, object] = field(default_factory=dict)
    text: str = ""
    item: str | None = None
    severity: str = "error"


def days_between(start: date, day: date) -> int:
    """Whole days from ``start`` to ``day`` (negative when ``day`` is earlier)."""
    return (day - start).days


def keys(items: Iterable[Item]) -> list[str]:
    return [it.key for it in items]
