"""The scheduler's front door: one call, whatever the mode, returning the best schedule with its bound.

:attr:`Mode.ALL` goes to the SAT model (:mod:`.sat`): measured on the twenty-four published
instance/fairness pairs it proves every one optimal or infeasible in seconds, where a plain CP-SAT model
proves none of the non-trivial ones in 30 s (docs/decisions/0004-b2b-scheduling.md). :attr:`Mode.MAX`
goes to :func:`.maximise.solve_max`. Both are warm-started from, and never worse than, the greedy baseline.

An event's run (:func:`solve_event`) also decides its objective and whether it re-schedules: speed-dating
always maximises the meetings held, and a run with a published schedule keeps its meetings where they
are as far as possible (:func:`.reschedule.reschedule`) instead of solving afresh.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from .check import check_schedule
from .greedy import greedy_schedule
from .maximise import solve_max
from .problem import Mode, Problem, Result, Status
from .reschedule import reschedule
from .sat import Progress, solve_sat


def solve_schedule(
    problem: Problem,
    mode: Mode = Mode.ALL,
    fairness: int | None = None,
    *,
    time_limit: float = 30.0,
    hint: Mapping[int, int] | None = None,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    workers: int = 2,
) -> Result:
    """Schedule ``problem``.

    :attr:`Mode.ALL`: every meeting held, total breaks minimised, breaks per participant within
    ``fairness`` of each other (None = no bound). :attr:`Mode.MAX`: priority-weighted meetings held
    maximised, then breaks. Returns the best schedule found within ``time_limit`` seconds with its proven
    bound; ``should_stop`` (polled) ends the search early with the best found so far. ``hint``: a
    schedule to start from (meeting -> slot), used when it is valid.
    """
    started = time.perf_counter()
    if mode is Mode.MAX:
        result = solve_max(
            problem,
            fairness,
            time_limit=time_limit,
            hint=hint,
            progress=progress,
            should_stop=should_stop,
            workers=workers,
        )
        result.seconds = time.perf_counter() - started
        return result
    upper: dict[int, int] | None = None
    for candidate in (hint, greedy_schedule(problem, mode).assignment):
        if (
            candidate
            and len(candidate) == len(problem.meetings)
            and check_schedule(problem, candidate, mode=mode, fairness=fairness).ok
        ):
            upper = dict(candidate)
            break
    if progress:
        progress("greedy schedule valid" if upper else "greedy could not place every meeting", 0.0)
    remaining = max(0.1, time_limit - (time.perf_counter() - started))
    result = solve_sat(
        problem, fairness, time_limit=remaining, upper=upper, progress=progress, should_stop=should_stop
    )
    result.seconds = time.perf_counter() - started
    result.weight_held = sum(problem.meetings[m].priority for m in result.assignment)
    return result


def event_mode(mode: Mode, *, speed_dating: bool) -> Mode:
    """The objective of an event's run: :attr:`Mode.MAX` for speed-dating (visitors rotate past host
    tables as far as the rounds allow), the mode asked otherwise."""
    return Mode.MAX if speed_dating else mode


def solve_event(
    problem: Problem,
    mode: Mode,
    fairness: int | None = None,
    *,
    previous: Mapping[int, int] | None = None,
    time_limit: float = 30.0,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Result:
    """One run of an event's schedule. ``previous``: the published schedule (meeting -> slot); when it
    holds a meeting, the run re-schedules (published meetings moved as little as possible), otherwise it
    solves afresh. ``mode`` is the run's objective (see :func:`event_mode`)."""
    if previous:
        return reschedule(
            problem,
            previous,
            mode,
            fairness,
            time_limit=time_limit,
            progress=progress,
            should_stop=should_stop,
        )
    return solve_schedule(
        problem, mode, fairness, time_limit=time_limit, progress=progress, should_stop=should_stop
    )


def schedule_found(problem: Problem, mode: Mode, result: Result) -> bool:
    """Whether a run found a schedule to keep: the solver found one, and in :attr:`Mode.ALL` it holds
    every meeting."""
    if result.status in (Status.INFEASIBLE, Status.UNKNOWN):
        return False
    return not (mode is Mode.ALL and len(result.assignment) < len(problem.meetings))
