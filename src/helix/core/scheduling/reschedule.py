"""Re-scheduling after a cancellation or a late request: keep published meetings where they are as far
as possible — minimise the meetings moved (a published meeting that can no longer be held counts as
moved), then the mode's own objective (breaks in :attr:`Mode.ALL`; meetings held, then breaks, in
:attr:`Mode.MAX`). CP-SAT, warm-started with the published schedule."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from ortools.sat.python import cp_model

from .cpsat import build_model
from .problem import Mode, Problem, Result, Status, participant_breaks

Progress = Callable[[str, float], None]


class _Stop(cp_model.CpSolverSolutionCallback):
    def __init__(self, should_stop: Callable[[], bool] | None) -> None:
        super().__init__()
        self.should_stop = should_stop

    def on_solution_callback(self) -> None:
        if self.should_stop and self.should_stop():
            self.stop_search()


def reschedule(
    problem: Problem,
    previous: Mapping[int, int],
    mode: Mode = Mode.MAX,
    fairness: int | None = None,
    *,
    time_limit: float = 30.0,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Result:
    """``previous``: meeting index (in ``problem``) -> its published slot. Meetings absent from it are
    new. Returns ``moved`` = published meetings whose slot changed or that are no longer held."""
    started = time.perf_counter()
    built = build_model(problem, mode, fairness)
    model = built.model
    kept: list[cp_model.IntVar] = []
    for m, t in previous.items():
        if (m, t) in built.x:
            kept.append(built.x[m, t])
    n_previous = len(previous)
    moved = n_previous - sum(kept)
    for (m, t), var in built.x.items():
        model.add_hint(var, 1 if previous.get(m) == t else 0)
    stages: list[tuple[str, cp_model.LinearExprT, bool]] = [("moved meetings", moved, False)]
    if mode is Mode.MAX:
        stages.append(("meetings held", built.weight, True))
    stages.append(("breaks", built.total_breaks, False))

    assignment: dict[int, int] | None = None
    proven = True
    values: dict[str, int] = {}
    for k, (label, expr, maximise) in enumerate(stages):
        remaining = time_limit - (time.perf_counter() - started)
        if remaining <= 0.05 and assignment is not None:
            proven = False
            break
        if maximise:
            model.maximize(expr)
        else:
            model.minimize(expr)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, remaining)
        solver.parameters.num_workers = 2
        solver.parameters.random_seed = 1
        status = solver.solve(model, _Stop(should_stop))
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if assignment is None:
                state = Status.INFEASIBLE if status == cp_model.INFEASIBLE else Status.UNKNOWN
                return Result(state, seconds=time.perf_counter() - started, solver="cp-sat reschedule")
            proven = False
            break
        assignment = {m: t for (m, t), var in built.x.items() if solver.boolean_value(var)}
        value = round(solver.objective_value)
        values[label] = value
        if status != cp_model.OPTIMAL:
            proven = False
        if progress:
            progress(f"{label}: {value}", time.perf_counter() - started)
        # fix this stage's value before the next one; hint the next with this solution
        if k < len(stages) - 1:
            model.add(expr >= value if maximise else expr <= value)
            model.clear_hints()  # type: ignore[no-untyped-call]
            for (m, t), var in built.x.items():
                model.add_hint(var, 1 if assignment.get(m) == t else 0)
    assert assignment is not None
    total = sum(participant_breaks(problem, assignment))
    n_moved = sum(1 for m, t in previous.items() if assignment.get(m) != t)
    result = Result(
        Status.OPTIMAL if proven else Status.FEASIBLE,
        assignment,
        total,
        total if proven else None,
        seconds=time.perf_counter() - started,
        solver="cp-sat reschedule",
        moved=n_moved,
    )
    result.weight_held = sum(problem.meetings[m].priority for m in assignment)
    result.log = [f"{label}: {value}" for label, value in values.items()]
    return result
