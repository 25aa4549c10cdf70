"""Large-neighbourhood search for the levelling problem: small CP-SAT models around the best schedule.

Each step keeps the best schedule's activities outside a time window where they are, re-schedules the
activities that start inside the window freely, and lets every activity after the window move left by
one shared shift (which keeps their schedule valid among themselves). CP-SAT then minimises the makespan
of that small model (the window is compressed as much as the capacities allow) with a short limit. An
equal makespan is accepted too (a different schedule of the same length), which lets the search drift
across plateaus. The window size adapts: it grows when steps are solved to optimality quickly and
shrinks when they time out (randomised large neighbourhood search in the manner of Godard, Laborie and
Nuijten, ICAPS 2005). It only ever returns a schedule at least as good as the one it is given.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from .levelling_problem import LevellingProblem, Network, makespan_of
from .sgs import Justifier

# The longest a step may search (seconds); most steps on 120 activities use it all, small ones close.
STEP_SECONDS = 0.5
# Justify (forward-backward) every improving step's schedule, and every JUSTIFY_EVERY-th step's (0: never).
JUSTIFY_EVERY = 5


def _step(
    problem: LevellingProblem,
    net: Network,
    best: list[int],
    lo: int,
    hi: int,
    seconds: float,
    seed: int,
) -> tuple[list[int] | None, bool]:
    """Re-schedule the activities starting in ``[lo, hi)``; a new schedule (or None) and whether the
    step was solved to optimality."""
    n = problem.n
    dur = [a.duration for a in problem.activities]
    current = makespan_of(problem, best)
    window = [i for i in range(n) if lo <= best[i] < hi]
    after = [i for i in range(n) if best[i] >= hi]
    inside = set(window)
    model = cp_model.CpModel()
    shift = model.new_int_var(0, hi - lo, "shift")
    starts: list[cp_model.LinearExprT] = []
    window_vars: dict[int, cp_model.IntVar] = {}
    for i in range(n):
        if i in inside:
            var = model.new_int_var(net.earliest[i], max(net.earliest[i], current - net.tail[i]), f"s{i}")
            window_vars[i] = var
            starts.append(var)
        elif best[i] >= hi:
            starts.append(best[i] - shift)
        else:
            starts.append(best[i])
    for i in range(n):
        for j, delay in net.succs[i]:
            if i in inside or j in inside or (best[i] < hi) != (best[j] < hi):
                model.add(starts[j] >= starts[i] + delay)
    for i in after:
        model.add(starts[i] >= problem.release_of(i))
    # the window's activities may move before the window: count what runs there from their earliest on
    floor = min((net.earliest[i] for i in window), default=lo)
    intervals = {
        i: model.new_fixed_size_interval_var(starts[i], dur[i], f"a{i}")
        for i in range(n)
        if dur[i] and (i in inside or best[i] + dur[i] > floor)
    }
    for r, cap in enumerate(problem.capacities):
        boxes, demands = [], []
        for i, box in intervals.items():
            q = problem.activities[i].demands[r]
            if q:
                boxes.append(box)
                demands.append(q)
        if boxes:
            model.add_cumulative(boxes, demands, cap)
    makespan = model.new_int_var(0, current, "makespan")
    for i in range(n):
        model.add(makespan >= starts[i] + dur[i])
    # the makespan first; then the window's activities as early as possible (left justified)
    weight = n * (current + 1)
    model.minimize(weight * makespan + sum(window_vars.values()))
    for i, var in window_vars.items():
        model.add_hint(var, best[i])
    model.add_hint(shift, 0)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    s = solver.value(shift)
    out = [
        int(solver.value(window_vars[i])) if i in inside else (best[i] - s if best[i] >= hi else best[i])
        for i in range(n)
    ]
    return out, status == cp_model.OPTIMAL


class Incumbent:
    """The best schedule so far, shared by the threads of a search (CP-SAT's callback and the LNS)."""

    def __init__(
        self,
        problem: LevellingProblem,
        starts: list[int],
        on_improve: Callable[[list[int], str], None] | None = None,
    ) -> None:
        self._problem = problem
        self._lock = threading.Lock()
        self.starts = list(starts)
        self.makespan = makespan_of(problem, starts)
        self._on_improve = on_improve

    def get(self) -> tuple[list[int], int]:
        with self._lock:
            return self.starts, self.makespan

    def offer(self, starts: list[int], source: str) -> bool:
        """Keep ``starts`` if shorter (the caller has checked it); True when kept."""
        ms = makespan_of(self._problem, starts)
        with self._lock:
            if ms >= self.makespan:
                return False
            self.starts, self.makespan = list(starts), ms
        if self._on_improve is not None:
            self._on_improve(list(starts), source)
        return True


def lns(
    problem: LevellingProblem,
    net: Network,
    incumbent: Incumbent,
    deadline: float,
    *,
    lower: Callable[[], int] = lambda: 0,
    stop: threading.Event | None = None,
    seed: int = 0,
    valid: Callable[[list[int]], bool] | None = None,
) -> None:
    """Improve the ``incumbent`` until ``time.perf_counter()`` reaches ``deadline``, ``stop`` is set or
    the makespan meets ``lower()``. ``valid`` (optional) vets each candidate before it is offered."""
    rng = random.Random(seed)  # noqa: S311 (seeded search, not security)
    best, best_ms = incumbent.get()
    if problem.n == 0:
        return
    justifier = Justifier(problem, net)
    # the window's size as a share of the makespan, adapted to how hard the steps are
    share = 0.2
    step_seconds = STEP_SECONDS
    k = 0
    while not (stop is not None and stop.is_set()):
        shared, shared_ms = incumbent.get()
        if shared_ms < best_ms:
            best, best_ms = shared, shared_ms  # another thread found better
        if best_ms <= lower():
            break
        left = deadline - time.perf_counter()
        if left < 0.05:
            break
        k += 1
        width = max(1, int(share * best_ms))
        lo = rng.randrange(0, max(1, best_ms - width // 2))
        candidate, closed = _step(problem, net, best, lo, lo + width, min(step_seconds, left), seed + k)
        share = min(0.6, share * 1.1) if closed else max(0.05, share * 0.85)
        if candidate is None or (valid is not None and not valid(candidate)):
            continue
        ms = makespan_of(problem, candidate)
        if JUSTIFY_EVERY and (ms < best_ms or k % JUSTIFY_EVERY == 0):
            # forward-backward justification of the step's schedule: a few milliseconds, and it often
            # closes gaps the window left elsewhere
            justified = justifier.improve(candidate)
            if makespan_of(problem, justified) < ms and (valid is None or valid(justified)):
                candidate, ms = justified, makespan_of(problem, justified)
        if ms < best_ms:
            best, best_ms = candidate, ms
            incumbent.offer(best, "lns")
        elif ms == best_ms:
            best = candidate  # a plateau move
