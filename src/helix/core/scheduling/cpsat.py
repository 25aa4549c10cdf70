"""The CP-SAT model (OR-Tools) of the B2B scheduling problem.

Variables: ``x[m, t]`` (meeting m in slot t, only for slots m may take), ``u[p, t]`` (participant p
meets in slot t, = the sum of its meetings' x), ``s[p, t]`` (a run of meetings of p starts at t:
s >= u[t] - u[t-1]). A participant with meetings has ``sum_t s[p, t] - 1`` breaks, so the total is linear
in s, which the LP relaxation and the core-based search of CP-SAT both see directly.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .problem import Mode, Problem, Result, Status, participant_breaks

Progress = Callable[[str, float], None]


@dataclass
class _Model:
    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar]
    held: dict[int, cp_model.IntVar]
    breaks: list[cp_model.LinearExprT]
    total_breaks: cp_model.LinearExprT
    weight: cp_model.LinearExprT


def build_model(
    problem: Problem, mode: Mode, fairness: int | None, keep: Mapping[int, int] | None = None
) -> _Model:
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    held: dict[int, cp_model.IntVar] = {}
    by_slot: dict[int, list[cp_model.IntVar]] = {t: [] for t in range(problem.n_slots)}
    by_part_slot: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for m, meeting in enumerate(problem.meetings):
        allowed = problem.allowed_slots(m)
        row = []
        for t in allowed:
            var = model.new_bool_var(f"x{m}_{t}")
            x[m, t] = var
            row.append(var)
            if meeting.needs_table:
                by_slot[t].append(var)
            by_part_slot.setdefault((meeting.a, t), []).append(var)
            by_part_slot.setdefault((meeting.b, t), []).append(var)
        if mode is Mode.ALL:
            model.add_exactly_one(row)  # empty row: the model is infeasible, as it should be
        else:
            h = model.new_bool_var(f"held{m}")
            held[m] = h
            model.add(sum(row) == h)
    for t, vars_ in by_slot.items():
        if len(vars_) > problem.tables[t]:
            model.add(sum(vars_) <= problem.tables[t])
    # precedences: slot(before) < slot(m)
    for m, meeting in enumerate(problem.meetings):
        for before in meeting.after:
            slot_m = sum(t * x[m, t] for t in problem.allowed_slots(m))
            slot_b = sum(t * x[before, t] for t in problem.allowed_slots(before))
            if mode is Mode.ALL:
                model.add(slot_b + 1 <= slot_m)
            else:
                model.add(held[before] >= held[m])
                model.add(slot_b + 1 <= slot_m).only_enforce_if(held[m])

    meetings_of = problem.meetings_of()
    for p, limit in enumerate(problem.max_meetings):
        if limit is not None and len(meetings_of[p]) > limit:
            if mode is Mode.ALL:
                model.add_bool_or([])  # more meetings than the participant accepts: infeasible
            else:
                model.add(sum(held[m] for m in meetings_of[p]) <= limit)
    breaks: list[cp_model.LinearExprT] = []
    busy: list[tuple[int, cp_model.LinearExprT, cp_model.IntVar | None]] = []
    for p in range(problem.n_participants):
        if not meetings_of[p]:
            breaks.append(0)
            continue
        u: list[cp_model.IntVar | int] = []
        for t in range(problem.n_slots):
            vars_ = by_part_slot.get((p, t), [])
            if not vars_:
                u.append(0)
            elif len(vars_) == 1:
                u.append(vars_[0])
            else:
                var = model.new_bool_var(f"u{p}_{t}")
                model.add(sum(vars_) == var)
                u.append(var)
        starts = []
        for t in range(problem.n_slots):
            prev = u[t - 1] if t else 0
            if isinstance(u[t], int) and u[t] == 0:
                continue
            s = model.new_bool_var(f"s{p}_{t}")
            model.add(s >= u[t] - prev)
            if not isinstance(prev, int):
                # s is a start exactly: it implies u[t] and not u[t-1] (tightens the search, not the optimum)
                model.add_implication(s, u[t])
                model.add_implication(s, prev.Not())
            else:
                model.add_implication(s, u[t])
            starts.append(s)
        b: cp_model.LinearExprT
        if mode is Mode.ALL:
            b = sum(starts) - 1
            active = None
        else:
            active = model.new_bool_var(f"active{p}")
            model.add_max_equality(active, [held[m] for m in meetings_of[p]])
            b = sum(starts) - active
        breaks.append(b)
        busy.append((p, b, active))
    if fairness is not None and busy:
        hi = model.new_int_var(0, problem.n_slots, "breaks_max")
        lo = model.new_int_var(0, problem.n_slots, "breaks_min")
        for _p, b, active in busy:
            if active is None:
                model.add(b <= hi)
                model.add(b >= lo)
            else:
                model.add(b <= hi).only_enforce_if(active)
                model.add(b >= lo).only_enforce_if(active)
        model.add(hi - lo <= fairness)
    total = sum(breaks)
    weight = sum(problem.meetings[m].priority * h for m, h in held.items()) if held else 0
    if keep:
        pass
    return _Model(model, x, held, breaks, total, weight)


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, label: str, progress: Progress | None, should_stop: Callable[[], bool] | None) -> None:
        super().__init__()
        self.label = label
        self.progress = progress
        self.should_stop = should_stop
        self.started = time.perf_counter()

    def on_solution_callback(self) -> None:
        if self.progress:
            self.progress(
                f"{self.label}: objective {self.objective_value:g}, bound {self.best_objective_bound:g}",
                time.perf_counter() - self.started,
            )
        if self.should_stop and self.should_stop():
            self.stop_search()


def _solver(time_limit: float, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 1
    return solver


def solve_cpsat(
    problem: Problem,
    mode: Mode = Mode.ALL,
    fairness: int | None = None,
    *,
    time_limit: float = 30.0,
    workers: int = 2,
    hint: Mapping[int, int] | None = None,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Result:
    started = time.perf_counter()
    built = build_model(problem, mode, fairness)
    model = built.model
    if hint:
        for (m, t), var in built.x.items():
            model.add_hint(var, 1 if hint.get(m) == t else 0)
    if mode is Mode.ALL:
        model.minimize(built.total_breaks)
        solver = _solver(time_limit, workers)
        status = solver.solve(model, _Reporter("breaks", progress, should_stop))
        return _result(problem, solver, status, built, started)
    # Mode.MAX: lexicographic — meetings held first, then breaks with the weight kept.
    model.maximize(built.weight)
    solver = _solver(time_limit, workers)
    status = solver.solve(model, _Reporter("meetings", progress, should_stop))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _result(problem, solver, status, built, started)
    first = _assignment(solver, built)
    weight = round(solver.objective_value)
    weight_bound = round(solver.best_objective_bound)
    weight_proven = status == cp_model.OPTIMAL
    model.clear_hints()  # type: ignore[no-untyped-call]
    for (m, t), var in built.x.items():
        model.add_hint(var, 1 if first.get(m) == t else 0)
    model.add(built.weight >= weight)
    model.minimize(built.total_breaks)
    remaining = time_limit - (time.perf_counter() - started)
    solver2 = _solver(max(remaining, 1.0), workers)
    status2 = solver2.solve(model, _Reporter("breaks", progress, should_stop))
    if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        result = _result(problem, solver2, status2, built, started)
    else:
        result = Result(Status.FEASIBLE, first, sum(participant_breaks(problem, first)), None)
    result.weight_held = weight
    result.weight_bound = weight_bound
    if not weight_proven and result.status is Status.OPTIMAL:
        result.status = Status.FEASIBLE
    result.seconds = time.perf_counter() - started
    result.solver = "cp-sat"
    return result


def _assignment(solver: cp_model.CpSolver, built: _Model) -> dict[int, int]:
    return {m: t for (m, t), var in built.x.items() if solver.boolean_value(var)}


def _result(
    problem: Problem,
    solver: cp_model.CpSolver,
    status: cp_model.CpSolverStatus,
    built: _Model,
    started: float,
) -> Result:
    seconds = time.perf_counter() - started
    if status == cp_model.INFEASIBLE:
        return Result(Status.INFEASIBLE, seconds=seconds, solver="cp-sat")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Result(
            Status.UNKNOWN, seconds=seconds, solver="cp-sat", bound=max(0, round(solver.best_objective_bound))
        )
    assignment = _assignment(solver, built)
    total = sum(participant_breaks(problem, assignment))
    return Result(
        Status.OPTIMAL if status == cp_model.OPTIMAL else Status.FEASIBLE,
        assignment,
        total,
        total if status == cp_model.OPTIMAL else max(0, round(solver.best_objective_bound)),
        seconds=seconds,
        solver="cp-sat",
    )
