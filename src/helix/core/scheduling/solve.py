"""The scheduler's front door: one call, whatever the mode, returning the best schedule with its bound.

:attr:`Mode.ALL` goes to the SAT model (:mod:`.sat`): measured on the twenty-four published
instance/fairness pairs it proves every one optimal or infeasible in seconds, where a plain CP-SAT model
proves none of the non-trivial ones in 30 s (docs/decisions/0004-b2b-scheduling.md). :attr:`Mode.MAX`
goes to :func:`.maximise.solve_max`. Both are warm-started from, and never worse than, the greedy baseline.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from .check import check_schedule
from .greedy import greedy_schedule
from .maximise import solve_max
from .problem import Mode, Problem, Result
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
