"""Resource levelling of a cluster roadmap: the shortest schedule within every participant's capacity.

:func:`level` solves a :class:`LevellingProblem` (the RCPSP, see :mod:`.levelling_problem`) in two steps:

1. a starting schedule, for a small share of the time: the genetic algorithm of :mod:`.ga` (activity
   lists decoded by the serial SGS, forward-backward justification, compiled with numba), or, while the
   compiled GA is still loading in this process (see :func:`warm_ga`) or on very large problems, the
   same idea in Python (:func:`.sgs.improve`);
2. two searches side by side until the time limit, sharing the best schedule:

   - OR-Tools CP-SAT on the whole problem: one interval per activity, a cumulative constraint per
     resource, the precedences as linear inequalities, redundant no-overlap constraints for groups of
     activities that can never run together (their joint demand exceeds a capacity), start domains cut
     by the critical path, a horizon equal to the starting schedule's makespan (it only looks for
     better) and that schedule as a hint. It minimises the makespan and proves lower bounds; on 30-60
     activities it is what proves optimality;
   - with two or more workers, on one of them: the GA until ``GA_SHARE`` of the time limit, then a
     large-neighbourhood search (:mod:`.lns`: small CP-SAT models that re-schedule a time window of the
     best schedule). On 120 activities the two find nearly every improvement: the GA many good
     schedules fast, the LNS the last steps from the best of them.

Every schedule either search offers goes through the independent checker first. The result is never
worse than the heuristic's (status ``feasible``, or ``optimal`` when it meets a lower bound). ``bound``
is a proven lower bound: the critical path or resource energy, or CP-SAT's bound if better. A search
stops as soon as the best schedule meets the bound.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from .levelling_check import LevellingViolation, check_levelled
from .levelling_problem import (
    FS,
    INFEASIBLE,
    SS,
    Activity,
    InvalidLevellingProblem,
    LevellingProblem,
    Network,
    Precedence,
    energy_bound,
    infeasibility,
    lower_bound,
    makespan_of,
    network,
)
from .lns import Incumbent, lns
from .sgs import improve, latest_finish, serial_lft

if TYPE_CHECKING:
    from .ga import Ga

OPTIMAL = "optimal"
FEASIBLE = "feasible"
UNKNOWN = "unknown"
STATUSES = (OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN)

# The heuristic gets this share of the time limit (at most HEURISTIC_MAX_SECONDS); the searches the rest.
HEURISTIC_SHARE = 0.1
HEURISTIC_MAX_SECONDS = 3.0
# Time kept back for stopping the searches and building the result: MARGIN_SECONDS, or MARGIN_SHARE of
# the limit when that is more (on a loaded machine the threads take longer to wind down).
MARGIN_SECONDS = 0.1
MARGIN_SHARE = 0.01
# Add the redundant no-overlap constraints of _disjunctive_cliques to the CP-SAT model.
CLIQUES = True
# One of the workers runs the genetic algorithm of .ga, then the window LNS of .lns, beside CP-SAT
# (when there are two or more); the GA until this share of the time limit, the LNS after it.
LNS_THREAD = True
GA_SHARE = 0.5
# Generations per slice of the GA between looks at the clock (one on large problems).
GA_SLICE = 4
# The GA's lists are decoded in O(n^2): above this many activities CP-SAT and the LNS work alone.
GA_MAX_ACTIVITIES = 1500


_ga_ready = threading.Event()
_ga_lock = threading.Lock()
_ga_thread: threading.Thread | None = None


def _load_ga() -> None:
    from . import ga

    ga.compile_all()
    _ga_ready.set()


def warm_ga(wait: bool = False) -> bool:
    """Make the compiled genetic algorithm (:mod:`.ga`, numba) ready in this process: the first call
    starts loading it in a background thread (numba's import, then the compiled functions from numba's
    disk cache, or compiling them when there is none: seconds, once per installation); ``wait`` waits
    for it. Returns whether it is ready. :func:`level` calls it and uses the GA only once it is ready,
    so a cold start never eats into the time limit."""
    global _ga_thread
    with _ga_lock:
        if _ga_thread is None:
            _ga_thread = threading.Thread(target=_load_ga, name="levelling-ga-load", daemon=True)
            _ga_thread.start()
        thread = _ga_thread
    if wait:
        thread.join()
    return _ga_ready.is_set()


def _new_ga(
    problem: LevellingProblem, net: Network, lists: list[list[int]], lb: int, seed: int, longest: int
) -> Ga:
    """A GA seeded with the LFT list and ``lists``; schedules longer than twice ``longest`` (a known
    schedule's makespan) are not kept, which bounds its memory."""
    from .ga import Ga, GaProblem

    lft = latest_finish(problem, net)
    return Ga(
        GaProblem.of(problem, net, horizon=2 * longest + 1),
        [sorted(range(problem.n), key=lambda i: (lft[i], i)), *lists],
        seed=seed,
        target=lb,
        priority=[float(x) for x in lft],
    )


def _order(starts: list[int]) -> list[int]:
    """A schedule as a priority list: by start, ties by index."""
    return sorted(range(len(starts)), key=lambda i: (starts[i], i))


@dataclass(frozen=True)
class LevellingProgress:
    """A progress report: the best makespan so far (``None`` before any schedule), the proven lower
    bound, seconds since :func:`level` was called, and where it comes from (``heuristic``, ``solution``
    from CP-SAT, ``ga``, ``lns``, ``bound``)."""

    makespan: int | None
    bound: int
    seconds: float
    source: str


Progress = Callable[[LevellingProgress], None]


@dataclass(frozen=True)
class LevellingResult:
    """What :func:`level` found. ``starts`` is empty when ``status`` is ``infeasible`` (then ``reason``
    says why) or ``unknown``; ``heuristic_makespan`` is the starting schedule's makespan and
    ``lft_makespan`` that of plain serial LFT, for comparison."""

    status: str
    makespan: int | None
    bound: int
    starts: list[int]
    seconds: float
    heuristic_makespan: int | None = None
    lft_makespan: int | None = None
    reason: str = ""
    solutions: int = 0
    history: list[LevellingProgress] = field(default_factory=list)

    @property
    def gap(self) -> float | None:
        """(makespan - bound) / makespan, or None without a schedule."""
        if self.makespan is None:
            return None
        return (self.makespan - self.bound) / self.makespan if self.makespan else 0.0


class _Callback(cp_model.CpSolverSolutionCallback):
    """Offers each CP-SAT solution that passes the checker to the shared incumbent."""

    def __init__(
        self,
        problem: LevellingProblem,
        starts: list[cp_model.IntVar],
        incumbent: Incumbent,
        valid: Callable[[list[int]], bool],
    ) -> None:
        super().__init__()
        self._problem = problem
        self._starts = starts
        self._incumbent = incumbent
        self._valid = valid
        self.count = 0

    def on_solution_callback(self) -> None:
        self.count += 1
        starts = [int(self.Value(s)) for s in self._starts]
        if makespan_of(self._problem, starts) < self._incumbent.makespan and self._valid(starts):
            self._incumbent.offer(starts, "solution")


def _incompatible(problem: LevellingProblem, i: int, j: int) -> bool:
    a, b = problem.activities[i], problem.activities[j]
    return any(qa + qb > cap for qa, qb, cap in zip(a.demands, b.demands, problem.capacities, strict=True))


def _disjunctive_cliques(problem: LevellingProblem) -> list[list[int]]:
    """Groups of activities no two of which can ever run at the same time (on some resource their
    joint demand exceeds the capacity), found greedily: each activity, most conflicting first, starts a
    clique and takes every activity that conflicts with all its members. Only cliques of three or more
    that cover a new pair are kept: a no-overlap constraint on them is redundant with the cumulative
    ones but propagates the disjunctions more strongly (edge finding, precedences between them)."""
    n = problem.n
    busy = [i for i in range(n) if problem.activities[i].duration > 0]
    if len(busy) < 2:
        return []
    adj = {i: {j for j in busy if j != i and _incompatible(problem, i, j)} for i in busy}
    weight = {
        i: sum(q / c for q, c in zip(problem.activities[i].demands, problem.capacities, strict=True) if c)
        for i in busy
    }
    seeds = sorted(busy, key=lambda i: (-len(adj[i]), -weight[i], i))
    cliques: list[list[int]] = []
    seen: set[frozenset[int]] = set()
    covered: set[tuple[int, int]] = set()
    for seed in seeds:
        clique = [seed]
        for j in sorted(adj[seed], key=lambda j: (-len(adj[j]), j)):
            if all(j in adj[c] for c in clique):
                clique.append(j)
        key = frozenset(clique)
        if len(clique) < 3 or key in seen:
            continue
        new_pairs = {(a, b) for a in clique for b in clique if a < b} - covered
        if not new_pairs:
            continue
        seen.add(key)
        covered |= new_pairs
        cliques.append(sorted(clique))
    return cliques


def _build(
    problem: LevellingProblem, net: Network, horizon: int, lb: int, hint: list[int]
) -> tuple[cp_model.CpModel, list[cp_model.IntVar], cp_model.IntVar]:
    model = cp_model.CpModel()
    n = problem.n
    starts: list[cp_model.IntVar] = []
    intervals: dict[int, cp_model.IntervalVar] = {}
    for i, act in enumerate(problem.activities):
        lo, hi = net.earliest[i], horizon - net.tail[i]
        s = model.new_int_var(lo, max(lo, hi), f"s{i}")
        starts.append(s)
        if act.duration > 0:
            intervals[i] = model.new_fixed_size_interval_var(s, act.duration, f"a{i}")
    for i in range(n):
        for j, delay in net.succs[i]:
            model.add(starts[j] >= starts[i] + delay)
    makespan = model.new_int_var(lb, horizon, "makespan")
    for i, act in enumerate(problem.activities):
        if not net.succs[i] or act.duration > 0:
            model.add(makespan >= starts[i] + act.duration)
    for r, cap in enumerate(problem.capacities):
        users = [i for i in intervals if problem.activities[i].demands[r] > 0]
        if sum(problem.activities[i].demands[r] for i in users) <= cap:
            continue  # the resource can never be short
        demands = [problem.activities[i].demands[r] for i in users]
        model.add_cumulative([intervals[i] for i in users], demands, cap)
    if CLIQUES:
        for clique in _disjunctive_cliques(problem):
            model.add_no_overlap([intervals[i] for i in clique])
    model.minimize(makespan)
    for var, value in zip(starts, hint, strict=True):
        model.add_hint(var, value)
    model.add_hint(makespan, makespan_of(problem, hint))
    return model, starts, makespan


def level(
    problem: LevellingProblem,
    time_limit: float,
    workers: int = 2,
    progress: Progress | None = None,
    *,
    seed: int = 0,
    heuristic_seconds: float | None = None,
    solver_parameters: Mapping[str, object] | None = None,
) -> LevellingResult:
    """The shortest schedule of ``problem`` found or proven within ``time_limit`` seconds (counted from
    the call, model building included), with ``workers`` threads (CP-SAT's plus, from two on, the LNS).

    ``progress`` hears the heuristic's makespan, each improving solution and each better bound.
    ``heuristic_seconds`` overrides the heuristic's share; ``solver_parameters`` sets CP-SAT parameters
    by name (for experiments). An infeasible problem gives status ``infeasible`` and the ``reason``;
    malformed input raises :class:`InvalidLevellingProblem` when the problem is built."""
    started = time.perf_counter()
    history: list[LevellingProgress] = []

    def elapsed() -> float:
        return time.perf_counter() - started

    def report(makespan: int | None, bound: int, source: str) -> None:
        event = LevellingProgress(makespan, bound, round(elapsed(), 3), source)
        history.append(event)
        if progress is not None:
            progress(event)

    problem_error = infeasibility(problem)
    if problem_error is not None:
        if problem_error.status != INFEASIBLE:
            raise problem_error
        return LevellingResult(INFEASIBLE, None, 0, [], elapsed(), reason=str(problem_error), history=history)
    net = network(problem)
    lb = lower_bound(problem, net)
    lft = serial_lft(problem)
    lft_ms = makespan_of(problem, lft)
    budget = (
        heuristic_seconds
        if heuristic_seconds is not None
        else min(HEURISTIC_SHARE * time_limit, HEURISTIC_MAX_SECONDS)
    )
    use_ga = 0 < problem.n <= GA_MAX_ACTIVITIES
    generations = GA_SLICE if problem.n <= 300 else 1
    ga: Ga | None = None
    if use_ga and warm_ga():
        ga = _new_ga(problem, net, [], lb, seed, lft_ms)
        while ga.makespan > lb and elapsed() < budget:
            ga.run(generations)
        best = ga.starts()
    else:  # the compiled GA is still loading: the same idea in Python
        best = improve(problem, budget, seed=seed, target=lb)
    if makespan_of(problem, best) > lft_ms or check_levelled(problem, best):
        best = lft
    best_ms = makespan_of(problem, best)
    report(best_ms, lb, "heuristic")

    def done(status: str, starts: list[int], bound: int, solutions: int = 0) -> LevellingResult:
        return LevellingResult(
            status,
            makespan_of(problem, starts),
            bound,
            starts,
            elapsed(),
            heuristic_makespan=best_ms,
            lft_makespan=lft_ms,
            solutions=solutions,
            history=history,
        )

    if best_ms <= lb:
        return done(OPTIMAL, best, best_ms)
    deadline = started + time_limit - max(MARGIN_SECONDS, MARGIN_SHARE * time_limit)
    bound_box = [lb]

    def improved(starts: list[int], source: str) -> None:
        report(makespan_of(problem, starts), bound_box[0], source)

    incumbent = Incumbent(problem, best, improved)

    def valid(starts: list[int]) -> bool:
        return not check_levelled(problem, starts)

    model, start_vars, _makespan = _build(problem, net, best_ms, lb, best)
    solver = cp_model.CpSolver()
    params = solver.parameters
    lns_threads = 1 if workers >= 2 and LNS_THREAD else 0
    params.num_workers = max(1, workers - lns_threads)
    params.random_seed = seed
    params.max_time_in_seconds = max(0.01, deadline - time.perf_counter())
    for key, value in (solver_parameters or {}).items():
        if isinstance(value, list | tuple):
            getattr(params, key).extend(value)  # a repeated field, e.g. subsolvers
        else:
            setattr(params, key, value)

    def on_bound(value: float) -> None:
        bound = math.ceil(value - 1e-6)
        if bound > bound_box[0]:
            bound_box[0] = bound
            report(None, bound, "bound")
        if incumbent.makespan <= bound_box[0]:
            solver.stop_search()

    solver.best_bound_callback = on_bound
    callback = _Callback(problem, start_vars, incumbent, valid)
    stop = threading.Event()

    def heuristic_worker() -> None:
        """The GA until GA_SHARE of the limit (the starting one, or a new one once the compiled GA is
        loaded), then the window LNS, until the deadline, ``stop`` or a schedule that meets the bound."""
        search = ga
        ga_until = min(started + GA_SHARE * time_limit, deadline) if use_ga else started
        while search is None and not stop.is_set() and time.perf_counter() < ga_until:
            if _ga_ready.wait(0.05):
                search = _new_ga(problem, net, [_order(incumbent.get()[0])], bound_box[0], seed, lft_ms)
        while search is not None and not stop.is_set() and time.perf_counter() < ga_until:
            if search.makespan <= bound_box[0] or incumbent.makespan <= bound_box[0]:
                break
            search.run(generations)
            if search.makespan < incumbent.makespan:
                candidate = search.starts()
                if valid(candidate):
                    incumbent.offer(candidate, "ga")
        if incumbent.makespan > bound_box[0] and not stop.is_set():
            lns(
                problem,
                net,
                incumbent,
                deadline,
                lower=lambda: bound_box[0],
                stop=stop,
                seed=seed,
                valid=valid,
            )
        if incumbent.makespan <= bound_box[0]:
            solver.stop_search()

    thread = None
    if lns_threads:
        thread = threading.Thread(target=heuristic_worker, name="levelling-heuristics", daemon=True)
        thread.start()

    status = solver.solve(model, callback)
    stop.set()
    if thread is not None:
        thread.join()
    if status == cp_model.OPTIMAL:
        bound_box[0] = max(bound_box[0], round(solver.objective_value))
    elif status == cp_model.FEASIBLE:
        bound_box[0] = max(bound_box[0], math.ceil(solver.best_objective_bound - 1e-6))
    starts, ms = incumbent.get()
    bound = min(bound_box[0], ms)
    return done(OPTIMAL if bound >= ms else FEASIBLE, starts, bound, callback.count)


__all__ = [
    "FEASIBLE",
    "FS",
    "INFEASIBLE",
    "OPTIMAL",
    "SS",
    "STATUSES",
    "UNKNOWN",
    "Activity",
    "InvalidLevellingProblem",
    "LevellingProblem",
    "LevellingProgress",
    "LevellingResult",
    "LevellingViolation",
    "Precedence",
    "check_levelled",
    "energy_bound",
    "level",
    "lower_bound",
    "makespan_of",
    "serial_lft",
]
