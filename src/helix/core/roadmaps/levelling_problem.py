"""The resource-levelling problem of a cluster roadmap, as plain data: the RCPSP.

A roadmap's participants have a limited capacity per period (person-months per month, lab slots per
week); which activities can run side by side is then the resource-constrained project scheduling
problem (RCPSP): activities with a duration and a demand per renewable resource per period, resources
with a capacity per period, minimum time lags between activities (finish-to-start or start-to-start,
with a lag >= 0), and an earliest start (release) per activity. The aim is the shortest project.

This module holds the problem (:class:`LevellingProblem`), the coded error for bad input
(:class:`InvalidLevellingProblem`) and the precedence-only analysis every solver and checker shares:
the arcs ``start[j] >= start[i] + delay``, a topological order, the earliest starts (critical path) and
the simple lower bounds on the makespan. It is generic: the roadmap is mapped onto it at the edge.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

FS = "FS"
SS = "SS"
KINDS = (FS, SS)

# Statuses an invalid problem reports: "invalid" is input the model cannot express (wrong lengths, a
# negative duration, an unknown activity); "infeasible" is a well-formed problem no schedule can meet
# (a demand above its resource's capacity, a cycle of precedences with a positive total delay).
INVALID = "invalid"
INFEASIBLE = "infeasible"


class InvalidLevellingProblem(ValueError):
    """Bad levelling input, with a stable ``code``, a ``status`` (``invalid`` or ``infeasible``), the
    activity it is about (0-based index, when there is one) and, for files, the ``line``."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: str = INVALID,
        activity: int | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.code = code
        self.status = status
        self.activity = activity
        self.line = line


@dataclass(frozen=True)
class Activity:
    """A piece of work: ``duration`` periods, using ``demands[r]`` units of resource ``r`` in each."""

    duration: int
    demands: tuple[int, ...]


@dataclass(frozen=True)
class Precedence:
    """A minimum time lag between two activities (0-based indices).

    ``FS`` (finish-to-start): ``start[after] >= start[before] + duration[before] + lag``;
    ``SS`` (start-to-start): ``start[after] >= start[before] + lag``. Lags are >= 0 (no leads): a lead
    would be a negative delay, which the schedule-generation heuristics here do not support.
    """

    before: int
    after: int
    kind: str = FS
    lag: int = 0


@dataclass(frozen=True)
class LevellingProblem:
    """Activities ``0..n-1``, a capacity per renewable resource, precedences and optional releases
    (earliest start per activity, default 0). Building one checks its shape and raises
    :class:`InvalidLevellingProblem` (status ``invalid``); whether any schedule exists is
    :func:`infeasibility`'s question."""

    activities: tuple[Activity, ...]
    capacities: tuple[int, ...]
    precedences: tuple[Precedence, ...] = ()
    release: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        n, k = len(self.activities), len(self.capacities)
        for r, cap in enumerate(self.capacities):
            if cap < 0:
                raise InvalidLevellingProblem("negative_capacity", f"resource {r} has capacity {cap} < 0")
        for i, act in enumerate(self.activities):
            if act.duration < 0:
                raise InvalidLevellingProblem(
                    "negative_duration", f"activity {i} has duration {act.duration} < 0", activity=i
                )
            if len(act.demands) != k:
                raise InvalidLevellingProblem(
                    "demand_length",
                    f"activity {i} states {len(act.demands)} demands for {k} resources",
                    activity=i,
                )
            for r, q in enumerate(act.demands):
                if q < 0:
                    raise InvalidLevellingProblem(
                        "negative_demand", f"activity {i} demands {q} < 0 of resource {r}", activity=i
                    )
        for p in self.precedences:
            for end in (p.before, p.after):
                if not 0 <= end < n:
                    raise InvalidLevellingProblem(
                        "unknown_activity",
                        f"precedence {p.before} -> {p.after} names activity {end}, not in 0..{n - 1}",
                    )
            if p.kind not in KINDS:
                raise InvalidLevellingProblem(
                    "precedence_kind",
                    f"precedence {p.before} -> {p.after} has kind {p.kind!r}, not FS or SS",
                    activity=p.after,
                )
            if p.lag < 0:
                raise InvalidLevellingProblem(
                    "negative_lag",
                    f"precedence {p.before} -> {p.after} has lag {p.lag} < 0",
                    activity=p.after,
                )
        if self.release is not None:
            if len(self.release) != n:
                raise InvalidLevellingProblem(
                    "release_length", f"{len(self.release)} release dates for {n} activities"
                )
            for i, r0 in enumerate(self.release):
                if r0 < 0:
                    raise InvalidLevellingProblem(
                        "negative_release", f"activity {i} has release {r0} < 0", activity=i
                    )

    @property
    def n(self) -> int:
        return len(self.activities)

    def release_of(self, i: int) -> int:
        return 0 if self.release is None else self.release[i]


def makespan_of(problem: LevellingProblem, starts: list[int] | tuple[int, ...]) -> int:
    """The project's length under ``starts``: the latest finish (0 for an empty project)."""
    return max((s + a.duration for s, a in zip(starts, problem.activities, strict=True)), default=0)


@dataclass(frozen=True)
class Network:
    """The precedence network as arcs ``start[j] >= start[i] + delay`` (the largest delay per pair),
    with a topological order, earliest starts and tails (longest path from an activity's start to the
    end of the project, its own duration included)."""

    preds: tuple[tuple[tuple[int, int], ...], ...]  # per activity: (predecessor, delay)
    succs: tuple[tuple[tuple[int, int], ...], ...]  # per activity: (successor, delay)
    order: tuple[int, ...]
    earliest: tuple[int, ...]
    tail: tuple[int, ...]

    @property
    def critical_path(self) -> int:
        """The makespan's precedence lower bound: the longest path, releases included."""
        return max((e + t for e, t in zip(self.earliest, self.tail, strict=True)), default=0)


def _arcs(problem: LevellingProblem) -> dict[tuple[int, int], int]:
    arcs: dict[tuple[int, int], int] = {}
    for p in problem.precedences:
        delay = p.lag + (problem.activities[p.before].duration if p.kind == FS else 0)
        key = (p.before, p.after)
        arcs[key] = max(arcs.get(key, delay), delay)
    return arcs


def _find_cycle(n: int, succs: list[list[tuple[int, int]]], blocked: set[int]) -> list[int]:
    """A cycle among the ``blocked`` activities (those Kahn's algorithm could not order), as a path
    that returns to its first activity."""
    start = min(blocked)
    seen: dict[int, int] = {}
    path = [start]
    node = start
    while node not in seen:
        seen[node] = len(path) - 1
        node = next(j for j, _ in succs[node] if j in blocked)
        path.append(node)
    return path[seen[node] :]


def network(problem: LevellingProblem) -> Network:
    """The precedence network; raises :class:`InvalidLevellingProblem` (code ``cycle``) on a cycle:
    status ``infeasible`` when the cycle's delays add up to more than 0 (no schedule exists), else
    ``invalid`` (a zero-delay cycle forces activities to start together, which is not supported)."""
    n = problem.n
    arcs = _arcs(problem)
    preds: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    succs: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for (i, j), delay in sorted(arcs.items()):
        preds[j].append((i, delay))
        succs[i].append((j, delay))
    indeg = [len(p) for p in preds]
    ready = [i for i in range(n) if indeg[i] == 0]
    order: list[int] = []
    while ready:
        i = ready.pop()
        order.append(i)
        for j, _ in succs[i]:
            indeg[j] -= 1
            if indeg[j] == 0:
                ready.append(j)
    if len(order) < n:
        cycle = _find_cycle(n, succs, set(range(n)) - set(order))
        total = sum(arcs[a, b] for a, b in itertools.pairwise(cycle))
        text = " -> ".join(str(i) for i in cycle)
        raise InvalidLevellingProblem(
            "cycle",
            f"precedence cycle {text} (total delay {total})",
            status=INFEASIBLE if total > 0 else INVALID,
            activity=cycle[0],
        )
    earliest = [problem.release_of(i) for i in range(n)]
    for i in order:
        for j, delay in succs[i]:
            earliest[j] = max(earliest[j], earliest[i] + delay)
    tail = [a.duration for a in problem.activities]
    for i in reversed(order):
        for j, delay in succs[i]:
            tail[i] = max(tail[i], delay + tail[j])
    return Network(
        preds=tuple(tuple(p) for p in preds),
        succs=tuple(tuple(s) for s in succs),
        order=tuple(order),
        earliest=tuple(earliest),
        tail=tuple(tail),
    )


def infeasibility(problem: LevellingProblem) -> InvalidLevellingProblem | None:
    """Why no schedule exists (an activity demanding more than a capacity, a positive-delay cycle), or
    an unsupported zero-delay cycle; ``None`` when the problem can be levelled."""
    for i, act in enumerate(problem.activities):
        if act.duration == 0:
            continue  # an instant uses no capacity
        for r, (q, cap) in enumerate(zip(act.demands, problem.capacities, strict=True)):
            if q > cap:
                return InvalidLevellingProblem(
                    "demand_above_capacity",
                    f"activity {i} demands {q} of resource {r}, whose capacity is {cap}: infeasible",
                    status=INFEASIBLE,
                    activity=i,
                )
    try:
        network(problem)
    except InvalidLevellingProblem as exc:
        return exc
    return None


def energy_bound(problem: LevellingProblem) -> int:
    """The makespan's resource lower bound: on each resource, the total work over the capacity."""
    best = 0
    for r, cap in enumerate(problem.capacities):
        work = sum(a.duration * a.demands[r] for a in problem.activities)
        if work and cap:
            best = max(best, -(-work // cap))
    return best


def lower_bound(problem: LevellingProblem, net: Network | None = None) -> int:
    """The best of the critical-path and the resource-energy lower bounds."""
    net = net or network(problem)
    return max(net.critical_path, energy_bound(problem))
