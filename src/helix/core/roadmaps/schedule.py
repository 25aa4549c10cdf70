"""The critical path of a roadmap: early and late dates, slack, and the chains that set its end.

:func:`plan` runs the critical path method over a :class:`~helix.core.roadmaps.model.Roadmap` and returns
a :class:`Plan`: for every item its early start and finish, its late start and finish, its total and
free slack (all whole days from ``Roadmap.start``), whether it is critical, the roadmap's end, and the
critical paths as lists of item keys in order.

The constraints, for an item ``s`` with predecessors ``p``:

- ``es[s] >= 0``, and ``es[s] >= planned_start`` when the roadmap states one (a "start no earlier than");
- finish-to-start: ``es[s] >= ef[p] + lag``; start-to-start: ``es[s] >= es[p] + lag`` (a negative lag is
  a lead);
- ``ef = es + duration_days`` (a milestone has duration 0, so ``ef == es``).

The early schedule is the least start vector that keeps all of them: one forward pass in a topological
order (Kahn's algorithm) computes it exactly, since every constraint is a lower bound by a predecessor.
The roadmap's end is the largest early finish; the late schedule is the greatest one that keeps every
dependency and finishes every item by that end (one backward pass). Total slack is ``ls - es``, free slack
the days an item can slip without moving any successor's early start (or the end). Items with total slack
0 are critical; a critical path follows the dependencies that are *tight* (the successor's early start is
exactly what that dependency demands) between critical items, from one whose start nothing pushes to one
that finishes at the end.

Progress (``progress=True``, the default) turns the plan into a forecast:

- an item with an ``actual_finish`` is fixed: it finished then, and started at ``actual_start`` (or
  ``duration_days`` before the finish when no start was recorded);
- an item with an ``actual_start`` but no finish is fixed at its start; it finishes ``duration_days``
  later, or, when ``today`` is given, after its remaining work from today: ``ceil(duration * (100 -
  percent_complete) / 100)`` days (an item at 100 % with no finish recorded finishes today, or at its
  planned length if that is earlier);
- an item that has not started cannot start before ``today`` when ``today`` is given.

Facts beat the plan: a fixed item keeps its dates even where a dependency says otherwise; then, and only
then, slack can be negative (the late dates the network demands are earlier than what happened), and an
item with negative slack counts as critical. With ``progress=False`` the actual dates are ignored: the
baseline plan.

Dates: day ``n`` is ``Roadmap.start + n days``; a finish day is the day the item is done by (an item of
one day starting on the 1st finishes on the 2nd), so a milestone's start and finish are the same date.

A dependency cycle has no schedule: :func:`plan` raises :class:`CyclicRoadmap` with the keys on one cycle,
in order. Everything is linear in the items and dependencies: 10,000 items with 21,000 dependencies plan
in 0.1 to 0.3 s on a busy 2-core machine (``bench/roadmap_scale``), most of it reading the dataclasses.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from .model import DependencyKind, Problem, Roadmap, days_between

# At most this many critical paths are listed: a roadmap with many parallel critical chains has a number
# of paths that grows as their product, and a reader needs the first few, not all of them.
CRITICAL_PATHS_LIMIT = 50


# -- errors ------------------------------------------------------------------------------------------------


class RoadmapError(ValueError):
    """A roadmap that cannot be scheduled: a coded error; :meth:`problem` gives its :class:`Problem`."""

    code = "roadmap.error"

    def __init__(self, text: str, params: dict[str, object], item: str | None = None) -> None:
        super().__init__(text)
        self.text = text
        self.params = params
        self.item = item

    def problem(self) -> Problem:
        return Problem(self.code, dict(self.params), self.text, self.item, "error")


class CyclicRoadmap(RoadmapError):
    """The dependencies go round in a circle: ``cycle`` lists its keys in order (each depends on the one
    before it, the first on the last), starting from the one first in the roadmap."""

    code = "roadmap.cycle"

    def __init__(self, cycle: Sequence[str]) -> None:
        self.cycle = tuple(cycle)
        super().__init__(
            "The dependencies go round in a circle: " + " → ".join((*self.cycle, self.cycle[0])) + ".",
            {"keys": list(self.cycle)},
            self.cycle[0],
        )


class UnknownItem(RoadmapError):
    """A dependency names an item the roadmap does not have."""

    code = "roadmap.dependency_unknown_item"

    def __init__(self, predecessor: str, successor: str, missing: str) -> None:
        super().__init__(
            f"The dependency {predecessor} → {successor} names {missing}, not an item of the roadmap.",
            {"predecessor": predecessor, "successor": successor, "missing": missing},
            successor if missing != successor else None,
        )


class DuplicateItem(RoadmapError):
    """Two items share a key."""

    code = "roadmap.duplicate_item"

    def __init__(self, key: str) -> None:
        super().__init__(f"Two or more items have the key {key}.", {"key": key}, key)


# -- the network -------------------------------------------------------------------------------------------

# An edge as the passes read it: (other item's index, lag in days, finish-to-start?)
Edge = tuple[int, int, bool]


@dataclass(frozen=True)
class Network:
    """A roadmap's items and dependencies as index arrays, in a topological order.

    ``preds[i]`` and ``succs[i]`` list item ``i``'s dependencies as (other index, lag, finish-to-start)
    edges, each pair and kind once (the largest lag of duplicates: the one that binds). Built once and
    scheduled many times (what-if reruns the passes with other durations and bounds)."""

    keys: tuple[str, ...]
    index: Mapping[str, int]
    preds: tuple[tuple[Edge, ...], ...]
    succs: tuple[tuple[Edge, ...], ...]
    order: tuple[int, ...]  # a topological order: every item after all its predecessors

    @classmethod
    def of(cls, roadmap: Roadmap, *, strict: bool = True) -> Network:
        """The roadmap's network; raises :class:`RoadmapError` on duplicate keys, unknown items or a cycle.

        With ``strict=False`` (validation, which reports those problems itself) the first item of a
        duplicated key wins, dependencies on unknown items and self-dependencies are left out; a cycle
        still raises :class:`CyclicRoadmap`."""
        index: dict[str, int] = {}
        for it in roadmap.items:
            if it.key in index:
                if strict:
                    raise DuplicateItem(it.key)
                continue
            index[it.key] = len(index)
        keys = tuple(index)
        n = len(keys)
        lags: dict[tuple[int, int, bool], int] = {}
        finish_to_start = DependencyKind.FINISH_TO_START  # looked up once: enum attributes are slow
        for dep in roadmap.dependencies:
            p, s = index.get(dep.predecessor), index.get(dep.successor)
            if p is None or s is None:
                if strict:
                    missing = dep.predecessor if p is None else dep.successor
                    raise UnknownItem(dep.predecessor, dep.successor, missing)
                continue
            if p == s:
                if strict:
                    raise CyclicRoadmap((dep.predecessor,))
                continue
            edge = (p, s, dep.kind == finish_to_start)
            known = lags.get(edge)
            if known is None or dep.lag_days > known:
                lags[edge] = dep.lag_days
        preds: list[list[Edge]] = [[] for _ in range(n)]
        succs: list[list[Edge]] = [[] for _ in range(n)]
        for (p, s, fs), lag in lags.items():
            preds[s].append((p, lag, fs))
            succs[p].append((s, lag, fs))
        order = _topological_order(n, preds, succs)
        if len(order) < n:
            raise CyclicRoadmap([keys[i] for i in _a_cycle(order, n, preds)])
        return cls(keys, index, tuple(map(tuple, preds)), tuple(map(tuple, succs)), tuple(order))


def _topological_order(n: int, preds: Sequence[Sequence[Edge]], succs: Sequence[Sequence[Edge]]) -> list[int]:
    """Kahn's algorithm, taking ready items in roadmap order (a FIFO queue): stable and linear."""
    indegree = [len(p) for p in preds]
    order = [i for i in range(n) if indegree[i] == 0]
    head = 0
    while head < len(order):
        i = order[head]
        head += 1
        for s, _, _ in succs[i]:
            indegree[s] -= 1
            if indegree[s] == 0:
                order.append(s)
    return order


def _a_cycle(ordered: Sequence[int], n: int, preds: Sequence[Sequence[Edge]]) -> list[int]:
    """One cycle among the items Kahn's algorithm could not order, as indexes in dependency order.

    Every such item has a predecessor that is also unordered, so walking from the first of them to an
    unordered predecessor again and again must come back to an item already seen: the walk from there is
    a cycle (backwards). It is turned forwards and rotated to start at its item first in the roadmap."""
    done = set(ordered)
    start = next(i for i in range(n) if i not in done)
    seen: dict[int, int] = {}
    walk: list[int] = []
    i = start
    while i not in seen:
        seen[i] = len(walk)
        walk.append(i)
        i = next(p for p, _, _ in preds[i] if p not in done)
    cycle = walk[seen[i] :][::-1]
    first = cycle.index(min(cycle))
    return cycle[first:] + cycle[:first]


# -- the passes --------------------------------------------------------------------------------------------


@dataclass
class Constraints:
    """What the passes schedule: per item index its least start, its duration and its fixed dates.

    ``fixed_start[i]``/``fixed_finish[i]`` are set together for an item whose dates are facts (progress);
    such an item ignores its bound and its dependencies."""

    lower: list[int]
    duration: list[int]
    fixed_start: list[int | None]
    fixed_finish: list[int | None]

    @classmethod
    def of(
        cls, roadmap: Roadmap, network: Network, *, today: date | None = None, progress: bool = True
    ) -> Constraints:
        """The constraints :func:`plan` reads from the roadmap (see the module docstring for progress)."""
        n = len(network.keys)
        lower = [0] * n
        duration = [0] * n
        fixed_start: list[int | None] = [None] * n
        fixed_finish: list[int | None] = [None] * n
        now = days_between(roadmap.start, today) if today is not None and progress else None
        seen: set[str] = set()
        for it in roadmap.items:
            if it.key in seen:  # a duplicated key (lenient network): the first one counts
                continue
            seen.add(it.key)
            i = network.index[it.key]
            d = max(0, it.duration_days)
            duration[i] = d
            low = 0
            if it.planned_start is not None:
                low = max(low, days_between(roadmap.start, it.planned_start))
            if not progress:
                lower[i] = low
                continue
            if it.actual_finish is not None:
                finish = days_between(roadmap.start, it.actual_finish)
                start = days_between(roadmap.start, it.actual_start) if it.actual_start else finish - d
                fixed_start[i], fixed_finish[i] = start, max(start, finish)
            elif it.actual_start is not None:
                start = days_between(roadmap.start, it.actual_start)
                finish = start + d
                if now is not None:
                    pct = min(100.0, max(0.0, it.percent_complete))
                    remaining = math.ceil(d * (100.0 - pct) / 100.0 - 1e-9)
                    finish = (
                        max(start, min(now, start + d)) if remaining <= 0 else max(start, now) + remaining
                    )
                fixed_start[i], fixed_finish[i] = start, finish
            elif now is not None:
                low = max(low, now)
            lower[i] = low
        return cls(lower, duration, fixed_start, fixed_finish)


@dataclass(frozen=True)
class ItemTimes:
    """One item's place in the plan, in days from the roadmap's start."""

    key: str
    early_start: int
    early_finish: int
    late_start: int
    late_finish: int
    total_slack: int  # days it can slip without moving the roadmap's end
    free_slack: int  # days it can slip without moving any successor (or the end)
    critical: bool  # total slack 0 (or below, where actual dates overrun the plan)
    fixed: bool = False  # its dates are facts (it has started or finished)

    @property
    def duration(self) -> int:
        return self.early_finish - self.early_start


@dataclass(frozen=True)
class ItemDates:
    """One item's plan as calendar dates (a finish date is the day it is done by)."""

    key: str
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date


@dataclass(frozen=True)
class Plan:
    """The critical path method's result for a roadmap; ``times`` is in roadmap order."""

    start: date
    times: Mapping[str, ItemTimes]
    order: tuple[str, ...]  # a topological order of the keys
    end: int  # the roadmap's end: the largest early finish (0 for a roadmap without items)
    critical_paths: tuple[tuple[str, ...], ...] = field(default=())

    def __getitem__(self, key: str) -> ItemTimes:
        return self.times[key]

    def __iter__(self) -> Iterator[ItemTimes]:
        return iter(self.times.values())

    def day(self, days: int) -> date:
        """The calendar date ``days`` days after the roadmap's start."""
        return self.start + timedelta(days=days)

    @property
    def end_date(self) -> date:
        return self.day(self.end)

    @property
    def critical(self) -> tuple[str, ...]:
        """The critical items' keys, in topological order."""
        return tuple(k for k in self.order if self.times[k].critical)

    def dates(self, key: str) -> ItemDates:
        t = self.times[key]
        return ItemDates(
            key,
            self.day(t.early_start),
            self.day(t.early_finish),
            self.day(t.late_start),
            self.day(t.late_finish),
        )

    def calendar(self) -> dict[str, ItemDates]:
        """Every item's dates, in roadmap order."""
        return {key: self.dates(key) for key in self.times}


@dataclass(frozen=True)
class Passes:
    """The raw arrays of both passes (index = the network's): what :func:`plan` and what-if read."""

    es: list[int]
    ef: list[int]
    ls: list[int]
    lf: list[int]
    end: int


def run_passes(network: Network, constraints: Constraints) -> Passes:
    """The forward pass (early dates) and the backward pass (late dates) in the network's order."""
    n = len(network.keys)
    es = [0] * n
    ef = [0] * n
    lower, duration = constraints.lower, constraints.duration
    fixed_start, fixed_finish = constraints.fixed_start, constraints.fixed_finish
    preds, succs = network.preds, network.succs
    for i in network.order:
        fs = fixed_start[i]
        if fs is not None:
            es[i] = fs
            ff = fixed_finish[i]
            ef[i] = ff if ff is not None else fs + duration[i]
            continue
        start = lower[i]
        for p, lag, finish_to_start in preds[i]:
            bound = (ef[p] if finish_to_start else es[p]) + lag
            if bound > start:
                start = bound
        es[i] = start
        ef[i] = start + duration[i]
    end = max(ef, default=0)
    ls = [0] * n
    lf = [0] * n
    for i in reversed(network.order):
        length = ef[i] - es[i]
        finish = end
        for s, lag, finish_to_start in succs[i]:
            bound = ls[s] - lag if finish_to_start else ls[s] - lag + length
            if bound < finish:
                finish = bound
        lf[i] = finish
        ls[i] = finish - length
    return Passes(es, ef, ls, lf, end)


def free_slack(network: Network, passes: Passes, i: int) -> int:
    """Days item ``i`` can start late (keeping its length) before it moves a successor's early start or the
    roadmap's end (an item whose only successors are start-to-start may be the one that finishes last)."""
    es, ef = passes.es, passes.ef
    slack = passes.end - ef[i]
    for s, lag, finish_to_start in network.succs[i]:
        room = es[s] - lag - (ef[i] if finish_to_start else es[i])
        if room < slack:
            slack = room
    return slack


def _critical_paths(
    network: Network, passes: Passes, critical: Sequence[bool], limit: int
) -> list[list[int]]:
    """The chains of tight dependencies between critical items, from a start to the end (at most ``limit``).

    A dependency is tight when the successor's early start is exactly what it demands. A path starts at a
    critical item with no tight critical predecessor and stops at one with no tight critical successor
    (such an item finishes at the end, when no actual dates overrun the plan)."""
    es, ef = passes.es, passes.ef

    def tight(p: int, s: int, lag: int, finish_to_start: bool) -> bool:
        return critical[p] and critical[s] and es[s] == (ef[p] if finish_to_start else es[p]) + lag

    nexts: list[list[int]] = [[] for _ in network.keys]
    has_prev = [False] * len(network.keys)
    for p in network.order:
        if not critical[p]:
            continue
        for s, lag, finish_to_start in network.succs[p]:
            if tight(p, s, lag, finish_to_start):
                nexts[p].append(s)
                has_prev[s] = True
    for following in nexts:
        following.sort()
    paths: list[list[int]] = []
    for first in sorted(i for i in network.order if critical[i] and not has_prev[i]):
        stack: list[list[int]] = [[first]]
        while stack and len(paths) < limit:
            path = stack.pop()
            following = nexts[path[-1]]
            if not following:
                paths.append(path)
            stack.extend([*path, s] for s in reversed(following))
        if len(paths) >= limit:
            break
    return paths


def plan_from(
    roadmap_start: date,
    network: Network,
    constraints: Constraints,
    *,
    paths_limit: int = CRITICAL_PATHS_LIMIT,
) -> Plan:
    """Schedule ``network`` under ``constraints``: the :class:`Plan` :func:`plan` and what-if return."""
    passes = run_passes(network, constraints)
    es, ef, ls, lf = passes.es, passes.ef, passes.ls, passes.lf
    keys = network.keys
    critical = [ls[i] - es[i] <= 0 for i in range(len(keys))]
    times = {
        keys[i]: ItemTimes(
            keys[i],
            es[i],
            ef[i],
            ls[i],
            lf[i],
            ls[i] - es[i],
            free_slack(network, passes, i),
            critical[i],
            constraints.fixed_start[i] is not None,
        )
        for i in range(len(keys))
    }
    paths = _critical_paths(network, passes, critical, paths_limit)
    return Plan(
        roadmap_start,
        times,
        tuple(keys[i] for i in network.order),
        passes.end,
        tuple(tuple(keys[i] for i in path) for path in paths),
    )


def plan(roadmap: Roadmap, *, today: date | None = None, progress: bool = True) -> Plan:
    """The roadmap's critical path plan (a forecast from its progress unless ``progress=False``).

    Raises :class:`CyclicRoadmap`, :class:`UnknownItem` or :class:`DuplicateItem` (all
    :class:`RoadmapError`, each with its :meth:`~RoadmapError.problem`) for a roadmap that has no schedule."""
    network = Network.of(roadmap)
    return plan_from(roadmap.start, network, Constraints.of(roadmap, network, today=today, progress=progress))
