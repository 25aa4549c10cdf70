"""A fast greedy schedule: the warm start of the exact solvers and the baseline they are compared with.

Meetings are placed one by one, most constrained first (fixed meetings, then fewest allowed slots, then
busiest participants); each takes the feasible slot that adds the fewest breaks to its two participants
(ties: the earliest slot next to their other meetings). In :attr:`Mode.ALL` a meeting that finds no slot
leaves the result ``UNKNOWN`` (the exact solver then starts cold); in :attr:`Mode.MAX` it is not held,
and higher priorities are placed first.
"""

from __future__ import annotations

import time
from bisect import insort

from .problem import Mode, Problem, Result, Status, participant_breaks


def _added_breaks(used: list[int], t: int) -> int:
    """Breaks a participant gains when slot t is added to its sorted used slots."""
    if not used:
        return 0
    before = [u for u in used if u < t]
    after = [u for u in used if u > t]
    if not before:
        return 1 if after[0] > t + 1 else 0
    if not after:
        return 1 if before[-1] < t - 1 else 0
    lo, hi = before[-1], after[0]
    had = 1 if hi > lo + 1 else 0
    now = (1 if t > lo + 1 else 0) + (1 if hi > t + 1 else 0)
    return now - had


def greedy_schedule(problem: Problem, mode: Mode = Mode.ALL) -> Result:
    started = time.perf_counter()
    meetings_of = problem.meetings_of()
    allowed = [problem.allowed_slots(m) for m in range(len(problem.meetings))]
    load = [len(ms) for ms in meetings_of]

    def key(m: int) -> tuple[int, int, int, int]:
        meeting = problem.meetings[m]
        return (
            0 if meeting.fixed is not None else 1,
            -meeting.priority if mode is Mode.MAX else 0,
            len(allowed[m]),
            -(load[meeting.a] + load[meeting.b]),
        )

    order = sorted(range(len(problem.meetings)), key=key)
    # precedences: place a meeting only after the meetings it follows (a stable topological pass)
    placed_order: list[int] = []
    done: set[int] = set()
    pending = list(order)
    while pending:
        rest = []
        for m in pending:
            if all(b in done for b in problem.meetings[m].after):
                placed_order.append(m)
                done.add(m)
            else:
                rest.append(m)
        if len(rest) == len(pending):  # cannot happen: Problem rejects cycles
            placed_order.extend(rest)
            break
        pending = rest

    used: list[list[int]] = [[] for _ in range(problem.n_participants)]
    busy: list[set[int]] = [set() for _ in range(problem.n_participants)]
    free_tables = list(problem.tables)
    assignment: dict[int, int] = {}
    held_by = [0] * problem.n_participants
    limit = [lim if lim is not None else len(problem.meetings) for lim in problem.max_meetings]
    missing = 0
    for m in placed_order:
        meeting = problem.meetings[m]
        earliest = max((assignment[b] + 1 for b in meeting.after if b in assignment), default=0)
        if any(b not in assignment for b in meeting.after):
            missing += 1
            continue
        if held_by[meeting.a] >= limit[meeting.a] or held_by[meeting.b] >= limit[meeting.b]:
            missing += 1
            continue
        best: tuple[int, int, int] | None = None
        for t in allowed[m]:
            if (
                t < earliest
                or (meeting.needs_table and free_tables[t] <= 0)
                or t in busy[meeting.a]
                or t in busy[meeting.b]
            ):
                continue
            cost = _added_breaks(used[meeting.a], t) + _added_breaks(used[meeting.b], t)
            # prefer slots adjacent to existing meetings, then early ones
            adjacency = -sum(1 for p in (meeting.a, meeting.b) for u in (t - 1, t + 1) if u in busy[p])
            cand = (cost, adjacency, t)
            if best is None or cand < best:
                best = cand
        if best is None:
            missing += 1
            continue
        t = best[2]
        assignment[m] = t
        if meeting.needs_table:
            free_tables[t] -= 1
        for p in (meeting.a, meeting.b):
            held_by[p] += 1
            busy[p].add(t)
            insort(used[p], t)
    total = sum(participant_breaks(problem, assignment))
    status = Status.UNKNOWN if mode is Mode.ALL and missing else Status.FEASIBLE
    result = Result(status, assignment, total, None, seconds=time.perf_counter() - started, solver="greedy")
    result.weight_held = sum(problem.meetings[m].priority for m in assignment)
    return result
