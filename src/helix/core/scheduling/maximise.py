"""Mode MAX: more requests than time. Maximise the priority-weighted number of meetings held, then
minimise breaks.

Small events go to the CP-SAT model (cpsat.py), which proves optimality. Large ones (a brokerage day
with a thousand participants and ten thousand requests) are solved in two steps that scale:

1. *Select*: which meetings to hold, ignoring which slot — a weighted b-matching (each participant holds
   at most as many meetings as it has free slots and accepts; at most tables x slots in all), solved
   exactly by CP-SAT. Its LP relaxation is also the upper bound the result is measured against: no
   schedule can hold more.
2. *Place*: give the selected meetings slots (an edge colouring with forbidden colours and a capacity per
   colour): most constrained first, and a meeting that finds no common free slot is placed by moving one
   meeting of one participant to another slot (a Kempe-chain step of length two). Meetings still
   unplaced are dropped and the free capacity is offered to the rest, by priority.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from .cpsat import solve_cpsat
from .greedy import greedy_schedule
from .problem import Mode, Problem, Result, Status, participant_breaks

Progress = Callable[[str, float], None]

#: above this many (meeting, slot) pairs the exact CP-SAT model is replaced by select-and-place.
EXACT_LIMIT = 30_000


def capacities(problem: Problem) -> list[int]:
    """The most meetings each participant can hold: its requests, its free slots, its own limit."""
    meetings_of = problem.meetings_of()
    out = []
    for p in range(problem.n_participants):
        free = sum(1 for t in range(problem.n_slots) if t not in problem.forbidden[p])
        limit = problem.max_meetings[p]
        out.append(min(len(meetings_of[p]), free, limit if limit is not None else free))
    return out


def upper_bound(problem: Problem) -> int:
    """An upper bound on the priority-weighted meetings any schedule holds (LP of the b-matching)."""
    meetings_of = problem.meetings_of()
    caps = capacities(problem)
    lp = pywraplp.Solver.CreateSolver("GLOP")
    y = [
        lp.NumVar(0.0, 1.0 if problem.allowed_slots(m) else 0.0, f"y{m}")
        for m in range(len(problem.meetings))
    ]
    for p, ms in enumerate(meetings_of):
        if ms:
            lp.Add(sum(y[m] for m in ms) <= caps[p])
    table_meetings = [y[m] for m, meeting in enumerate(problem.meetings) if meeting.needs_table]
    if table_meetings:
        lp.Add(sum(table_meetings) <= sum(problem.tables))
    lp.Maximize(sum(meeting.priority * y[m] for m, meeting in enumerate(problem.meetings)))
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return sum(m.priority for m in problem.meetings)
    return int(lp.Objective().Value() + 1e-6)


def _select(problem: Problem, time_limit: float, hint: Mapping[int, int]) -> list[int]:
    meetings_of = problem.meetings_of()
    caps = capacities(problem)
    model = cp_model.CpModel()
    z = [model.new_bool_var(f"z{m}") for m in range(len(problem.meetings))]
    for m in range(len(problem.meetings)):
        if not problem.allowed_slots(m):
            model.add(z[m] == 0)
        model.add_hint(z[m], 1 if m in hint else 0)
    for p, ms in enumerate(meetings_of):
        if len(ms) > caps[p]:
            model.add(sum(z[m] for m in ms) <= caps[p])
    at_tables = [z[m] for m, meeting in enumerate(problem.meetings) if meeting.needs_table]
    model.add(sum(at_tables) <= sum(problem.tables))
    model.maximize(sum(meeting.priority * z[m] for m, meeting in enumerate(problem.meetings)))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(1.0, time_limit)
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return sorted(hint)
    return [m for m in range(len(problem.meetings)) if solver.boolean_value(z[m])]


class _Board:
    """Who meets when, with free tables per slot, for placing and moving meetings."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.at: list[dict[int, int]] = [{} for _ in range(problem.n_participants)]  # p -> slot -> meeting
        self.free = list(problem.tables)
        self.slot: dict[int, int] = {}
        self.held = [0] * problem.n_participants
        self.limit = [lim if lim is not None else problem.n_slots for lim in problem.max_meetings]
        self.allowed = [set(problem.allowed_slots(m)) for m in range(len(problem.meetings))]

    def fits(self, m: int, t: int, ignore: int = -1) -> bool:
        meeting = self.problem.meetings[m]
        if t not in self.allowed[m]:
            return False
        if meeting.needs_table and self.free[t] <= 0:
            return False
        for p in (meeting.a, meeting.b):
            other = self.at[p].get(t)
            if other is not None and other != ignore:
                return False
        return True

    def put(self, m: int, t: int) -> None:
        meeting = self.problem.meetings[m]
        self.slot[m] = t
        if meeting.needs_table:
            self.free[t] -= 1
        for p in (meeting.a, meeting.b):
            self.at[p][t] = m
            self.held[p] += 1

    def take(self, m: int) -> int:
        meeting = self.problem.meetings[m]
        t = self.slot.pop(m)
        if meeting.needs_table:
            self.free[t] += 1
        for p in (meeting.a, meeting.b):
            del self.at[p][t]
            self.held[p] -= 1
        return t

    def best_slot(self, m: int) -> int | None:
        meeting = self.problem.meetings[m]
        best: tuple[int, int] | None = None
        for t in self.allowed[m]:
            if not self.fits(m, t):
                continue
            # prefer slots next to the participants' other meetings (fewer breaks later)
            near = sum(1 for p in (meeting.a, meeting.b) for u in (t - 1, t + 1) if u in self.at[p])
            cand = (-near, t)
            if best is None or cand < best:
                best = cand
        return None if best is None else best[1]

    def place_with_move(self, m: int) -> bool:
        """Place m by moving one meeting of one of its participants to another slot."""
        meeting = self.problem.meetings[m]
        for t in sorted(self.allowed[m]):
            if meeting.needs_table and self.free[t] <= 0:
                continue
            blockers = [self.at[p].get(t) for p in (meeting.a, meeting.b)]
            blocking = [b for b in blockers if b is not None]
            if len(blocking) != 1:
                continue
            other = blocking[0]
            for t2 in self.allowed[other]:
                if t2 != t and self.fits(other, t2):
                    self.take(other)
                    self.put(other, t2)
                    if self.fits(m, t):
                        self.put(m, t)
                        return True
                    self.take(other)  # cannot happen often: undo
                    self.put(other, t)
        return False


def _place(problem: Problem, selected: list[int], rest: list[int], deadline: float) -> dict[int, int]:
    board = _Board(problem)
    degree = [0] * problem.n_participants
    for m in selected:
        degree[problem.meetings[m].a] += 1
        degree[problem.meetings[m].b] += 1

    def key(m: int) -> tuple[int, int, int]:
        meeting = problem.meetings[m]
        return (len(board.allowed[m]), -(degree[meeting.a] + degree[meeting.b]), -meeting.priority)

    unplaced: list[int] = []
    for m in sorted(selected, key=key):
        t = board.best_slot(m)
        if t is not None:
            board.put(m, t)
        else:
            unplaced.append(m)
    still: list[int] = []
    for m in unplaced:
        if time.perf_counter() > deadline or not board.place_with_move(m):
            still.append(m)
    # free capacity goes to the meetings not selected (and those still unplaced), by priority
    for m in sorted(rest + still, key=lambda m: -problem.meetings[m].priority):
        meeting = problem.meetings[m]
        if board.held[meeting.a] >= board.limit[meeting.a] or board.held[meeting.b] >= board.limit[meeting.b]:
            continue
        t = board.best_slot(m)
        if t is not None:
            board.put(m, t)
        elif time.perf_counter() < deadline:
            board.place_with_move(m)
    return dict(board.slot)


def solve_max(
    problem: Problem,
    fairness: int | None = None,
    *,
    time_limit: float = 30.0,
    hint: Mapping[int, int] | None = None,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    workers: int = 2,
) -> Result:
    started = time.perf_counter()
    greedy = greedy_schedule(problem, Mode.MAX)
    size = sum(len(problem.allowed_slots(m)) for m in range(len(problem.meetings)))
    if size <= EXACT_LIMIT or any(m.after or m.fixed is not None for m in problem.meetings):
        result = solve_cpsat(
            problem,
            Mode.MAX,
            fairness,
            time_limit=time_limit,
            workers=workers,
            hint=hint or greedy.assignment,
            progress=progress,
            should_stop=should_stop,
        )
        if result.status in (Status.UNKNOWN,) and not result.assignment:
            result = greedy
        result.seconds = time.perf_counter() - started
        return result
    bound = upper_bound(problem)
    if progress:
        progress(f"greedy holds {greedy.weight_held} of at most {bound}", time.perf_counter() - started)
    selected = _select(problem, time_limit * 0.4, hint or greedy.assignment)
    chosen = set(selected)
    rest = [m for m in range(len(problem.meetings)) if m not in chosen]
    assignment = _place(problem, selected, rest, started + time_limit * 0.95)
    weight = sum(problem.meetings[m].priority for m in assignment)
    if weight < (greedy.weight_held or 0):
        assignment, weight = dict(greedy.assignment), greedy.weight_held or 0
    if progress:
        progress(f"placed: holds {weight} of at most {bound}", time.perf_counter() - started)
    total = sum(participant_breaks(problem, assignment))
    return Result(
        Status.OPTIMAL if weight >= bound else Status.FEASIBLE,
        assignment,
        total,
        None,
        weight_held=weight,
        weight_bound=bound,
        seconds=time.perf_counter() - started,
        solver="select-and-place",
    )
