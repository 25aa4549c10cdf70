"""A roadmap as a resource-levelling problem, and the levelled plan back as dates.

When participants can give only so many person-months a month, the roadmap's items cannot all run when
the critical path says: levelling moves them so that no participant is over its capacity in any period,
and keeps the end as early as possible. That is the RCPSP (:mod:`levelling`), built here from the roadmap:

- a **period** is ``period_days`` days (a month by default: roadmaps plan in months);
- every unfinished **item** is an activity; its duration in periods is ``ceil(days / period_days)``
  (a milestone takes 0); a finished item is left out (it holds nobody's capacity any more) and so are the
  links to it;
- every **participant with a capacity** is a resource of ``capacity × period_days / 30.44`` person-months
  per period, in hundredths (:data:`SCALE`); an item asks of each participant its effort spread evenly over
  its duration, rounded up. Where that is more than the participant can give in a period, the item is
  **stretched** (its duration lengthened until its effort fits): a participant cannot do more in a month
  than it has; the stretched items are reported;
- **dependencies** keep their kind; a lag in days becomes whole periods, rounded up (a lead, a negative
  lag, counts as 0: the levelled plan never overlaps what the roadmap orders); a start-to-start lag from
  an item that is running counts from its actual start;
- an item's **release** is its planned start, and never before ``today`` for an item that has not
  started (when ``today`` is given); an item that has started is levelled from ``today`` for what is left
  of it (its duration and effort times the share not yet complete), or from its actual start without
  ``today``.

Everything else about the roadmap is the critical path's business (:mod:`schedule`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from .levelling import LevellingResult
from .levelling_problem import Activity, LevellingProblem, Precedence
from .model import Dependency, DependencyKind, ParticipantId, Roadmap, days_between

SCALE = 100  # demands and capacities in hundredths of a person-month
DAYS_PER_MONTH = 30.44


@dataclass(frozen=True)
class RoadmapLevelling:
    """The levelling problem of a roadmap and how to read its answer."""

    problem: LevellingProblem
    keys: tuple[str, ...]  # the item of each activity
    resources: tuple[ParticipantId, ...]  # the participant of each resource
    period_days: int
    start: date
    stretched: tuple[str, ...]  # items lengthened so that their effort fits their participants' capacity

    def day(self, period: int) -> date:
        return self.start + timedelta(days=period * self.period_days)

    def starts(self, result: LevellingResult) -> dict[str, date]:
        """Each levelled item's start date (empty without a schedule)."""
        return {key: self.day(s) for key, s in zip(self.keys, result.starts, strict=False)}

    def finishes(self, result: LevellingResult) -> dict[str, date]:
        return {
            key: self.day(s + self.problem.activities[i].duration)
            for i, (key, s) in enumerate(zip(self.keys, result.starts, strict=False))
        }

    def end(self, periods: int | None) -> date | None:
        return self.day(periods) if periods is not None else None


def levelling_problem(
    roadmap: Roadmap, *, period_days: int = 30, today: date | None = None
) -> RoadmapLevelling:
    """The levelling problem of ``roadmap`` (see the module docstring)."""
    if period_days < 1:
        raise ValueError("period_days must be at least 1")
    resources = tuple(
        p.id
        for p in roadmap.participants
        if p.capacity_pm_per_month is not None and p.capacity_pm_per_month > 0
    )
    index = {pid: r for r, pid in enumerate(resources)}
    per_period = period_days / DAYS_PER_MONTH
    capacities = tuple(
        max(1, math.floor(p.capacity_pm_per_month * per_period * SCALE + 1e-9))  # type: ignore[operator]
        for p in roadmap.participants
        if p.id in index
    )
    open_items = [it for it in roadmap.items if it.actual_finish is None]
    keys = tuple(it.key for it in open_items)
    position = {key: i for i, key in enumerate(keys)}
    now = days_between(roadmap.start, today) if today is not None else None
    activities: list[Activity] = []
    release: list[int] = []
    stretched: list[str] = []
    for it in open_items:
        days, share = max(0, it.duration_days), 1.0
        running = it.actual_start is not None and now is not None
        if running:  # what is left of it, from today (as the forecast counts it)
            share = max(0.0, 100.0 - it.percent_complete) / 100.0
            days = math.ceil(days * share)
        periods = math.ceil(days / period_days)
        effort: dict[int, float] = {}
        for e in it.efforts:
            if e.participant in index and e.person_months > 0:
                effort[index[e.participant]] = (
                    effort.get(index[e.participant], 0.0) + e.person_months * SCALE * share
                )
        effort = {r: total for r, total in effort.items() if total > 0}
        if effort and periods == 0:
            periods = 1  # effort on a milestone is spent in the period before it
        needed = max((math.ceil(total / capacities[r]) for r, total in effort.items()), default=0)
        if needed > periods:
            periods = needed
            stretched.append(it.key)
        demands = [0] * len(resources)
        for r, total in effort.items():
            demands[r] = min(capacities[r], math.ceil(total / periods)) if periods else 0
        activities.append(Activity(periods, tuple(demands)))
        earliest = 0
        if it.planned_start is not None:
            earliest = max(earliest, days_between(roadmap.start, it.planned_start))
        if running:
            earliest = max(0, now or 0)
        elif it.actual_start is not None:
            earliest = max(0, days_between(roadmap.start, it.actual_start))
        elif now is not None:
            earliest = max(earliest, now)
        release.append(max(0, earliest) // period_days)
    # a running item is levelled from today: a start-to-start link from it counts from its actual start
    started_ago = {
        it.key: max(0, (now or 0) - days_between(roadmap.start, it.actual_start))
        for it in open_items
        if it.actual_start is not None and now is not None
    }
    precedences = tuple(
        Precedence(
            position[d.predecessor],
            position[d.successor],
            "SS" if d.kind is DependencyKind.START_TO_START else "FS",
            max(0, math.ceil((d.lag_days - _ago(d, started_ago)) / period_days)),
        )
        for d in roadmap.dependencies
        if d.predecessor in position and d.successor in position
    )
    return RoadmapLevelling(
        problem=LevellingProblem(tuple(activities), capacities, precedences, tuple(release)),
        keys=keys,
        resources=resources,
        period_days=period_days,
        start=roadmap.start,
        stretched=tuple(stretched),
    )


def _ago(link: Dependency, started_ago: dict[str, int]) -> int:
    """Days a start-to-start link's predecessor has been running already (0 for a finish-to-start link)."""
    if link.kind is not DependencyKind.START_TO_START:
        return 0
    return started_ago.get(link.predecessor, 0)


def over_capacity(
    levelling: RoadmapLevelling, starts: dict[str, int]
) -> list[tuple[ParticipantId, int, int]]:
    """(participant, period, demand) wherever the activities starting at ``starts`` (periods) ask more of a
    participant than its capacity: what an unlevelled plan overloads."""
    load: dict[tuple[int, int], int] = {}
    for i, key in enumerate(levelling.keys):
        activity = levelling.problem.activities[i]
        begin = starts.get(key)
        if begin is None:
            continue
        for r, demand in enumerate(activity.demands):
            if demand:
                for t in range(begin, begin + activity.duration):
                    load[(r, t)] = load.get((r, t), 0) + demand
    return sorted(
        (levelling.resources[r], t, amount)
        for (r, t), amount in load.items()
        if amount > levelling.problem.capacities[r]
    )
