"""Who reviews which proposal: an optimisation over expertise fit, with conflicts of interest and loads.

The data are plain ids and numbers: the proposals and reviewers (ids), a fit matrix (one row per
proposal, one column per reviewer, e.g. :func:`expertise_fit`), the conflict pairs ``(reviewer,
proposal)`` (e.g. :func:`find_conflicts`, which also says why), ``k`` reviews per proposal and a load cap
per reviewer (given, or the balanced ``ceil(n k / m) + slack``). :func:`assign_reviewers` returns an
assignment in which

- every proposal has exactly ``k`` reviews, by ``k`` different reviewers, none of them in conflict;
- no reviewer has more reviews than their cap;
- the total fit is the largest possible (fit read at :data:`FIT_RESOLUTION`), and *secondarily*, among
  the assignments of that total fit, the loads are the most even: the sum of squared loads (so the
  loads' variance, their total being fixed) is the least. The order is strict (lexicographic): no
  balance is ever bought with fit.

The model: ``x[p, r]`` in {0, 1} for each allowed pair; ``sum_r x[p, r] = k`` per proposal; the load of
a reviewer is split into unit steps ``z[r, t]`` (t = 0 .. cap - 1) whose cost ``t`` rises, so a load L
costs ``L (L - 1) / 2`` and the cap is the number of steps. Maximised: ``M * fit - penalty`` with ``M``
larger than any penalty, which makes the order lexicographic. The constraint matrix is a network matrix
(each ``x`` enters one proposal row and one reviewer row, each ``z`` one reviewer row), so it is totally
unimodular: the linear programme's optimal vertex is already a 0/1 assignment. HiGHS's dual simplex
solves it by column generation (each proposal's best-fitting pairs first, the others priced with the
duals); the proven bound is recomputed from the row duals over *every* allowed pair by weak duality
(valid for any duals, so it holds whatever the solver's tolerances) and reported as an upper bound on
the total fit. CP-SAT solves the same model as an integer programme (``solver="cpsat"``). Measured in
bench/review_assignment (2 cores): at 2,000 x 400 x 3, HiGHS proves the optimum in about 1 s (4 s with
every pair in the LP from the start, 3 times the memory); CP-SAT, with 2 workers and the same start,
had not improved on its start after 60 s (gap 91%, 4 GB); at 500 x 100 it proves the optimum in 5 s
against HiGHS's 0.1 s. So HiGHS is the default.

The balance is secondary by design: the caps bound the loads, and with the balanced cap
(``slack`` 0) every load is within one of the mean. With slack, fit decides first, so a reviewer whose
expertise nobody needs may get few reviews; a floor on loads is not a rule of this module.

Before solving, feasibility is checked, and an infeasible call returns coded problems naming the
proposals, never a partial assignment: a proposal with fewer than ``k`` reviewers free of conflict
(``too_few_reviewers``), a total capacity below ``n k`` (``capacity_too_small``), or a group of
proposals whose free reviewers cannot give them ``k`` reviews each though each alone could
(``group_short_of_reviewers``: the source side of a minimum cut of the max-flow network). When the
call is feasible, that maximum flow is a first complete assignment, from which both solvers start.

Reviews already written are kept: ``fixed`` pairs count towards their proposal's ``k`` and their
reviewer's load, cap and balance (a reviewer's next review costs from its fixed load on), and the total
fit; the model then chooses only the reviews still missing (``k`` less the fixed ones per proposal).
A fixed pair in conflict (``fixed_in_conflict``) or more fixed pairs than ``k`` for a proposal
(``too_many_fixed``) is a problem like the others.

:func:`greedy_assign` is the baseline: every allowed pair by descending fit, taken while the proposal
still needs a review and the reviewer has room. It may leave proposals short; it then says so
(``complete`` False, ``missing``), and the comparison with the optimiser is made only when it is complete.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import highspy
import numpy as np
import numpy.typing as npt
from ortools.sat.python import cp_model

from helix.core.highs import new_highs

from .conflicts import Conflict, Pair, Participation, expertise_fit, find_conflicts
from .greedy import (
    _FIT_SCALE,
    FIT_RESOLUTION,
    ReviewAssignment,
    _feasibility,
    _greedy,
    _Instance,
    _instance,
    _with_seconds,
    balanced_cap,
    greedy_assign,
)
from .problems import ReviewProblem, problem

__all__ = [
    "FIRST_COLUMNS",
    "FIT_RESOLUTION",
    "AssignmentOutcome",
    "Conflict",
    "Pair",
    "Participation",
    "ReviewAssignment",
    "Solver",
    "assign_reviewers",
    "balanced_cap",
    "expertise_fit",
    "find_conflicts",
    "greedy_assign",
]

# HiGHS starts from each proposal's best-fitting reviewers and adds the others as their duals ask
# (column generation); None: every allowed pair from the start. Same optimum, a fraction of the memory.
FIRST_COLUMNS = 20

Solver = Literal["highs", "cpsat"]


@dataclass(frozen=True)
class AssignmentOutcome:
    """The optimiser's assignment (None when the call is infeasible), the greedy baseline's, the caps
    used, and the problems that made it infeasible or the solver fail."""

    assignment: ReviewAssignment | None
    greedy: ReviewAssignment | None
    caps: dict[str, int]  # per reviewer, as used: at least 0, at most the number of proposals
    problems: tuple[ReviewProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.assignment is not None and not self.problems

    @property
    def fit_vs_greedy(self) -> float | None:
        """Total fit of the optimiser / of greedy, when greedy found a complete assignment."""
        if self.assignment is None or self.greedy is None or not self.greedy.complete:
            return None
        if self.greedy.total_fit == 0:
            return None if self.assignment.total_fit == 0 else math.inf
        return self.assignment.total_fit / self.greedy.total_fit


def _fit_bound(inst: _Instance, combined_bound: float) -> float:
    """An upper bound on the total fit from an upper bound on M * fit - penalty of the chosen pairs
    (penalty in [0, cap]), the fixed pairs' fit added."""
    cap = inst.penalty_cap
    weight = cap + 1
    return (math.floor((combined_bound + cap) / weight + 1e-6) + inst.fixed_fit) / _FIT_SCALE


def _top_per_proposal(
    proposal: npt.NDArray[np.int64], key: npt.NDArray[np.float64], tie: npt.NDArray[np.int64], count: int
) -> npt.NDArray[np.int64]:
    """Positions of the ``count`` entries of smallest ``key`` (ties: smallest ``tie``) of each proposal."""
    order = np.lexsort((tie, key, proposal))
    sorted_p = proposal[order]
    first = np.searchsorted(sorted_p, sorted_p, side="left")
    return order[np.arange(len(order)) - first < count]


def _solve_highs(
    inst: _Instance, start: npt.NDArray[np.bool_], time_limit_s: float, first_columns: int | None
) -> ReviewAssignment:
    """The LP by HiGHS's dual simplex, by column generation: it starts from each proposal's
    ``first_columns`` best-fitting reviewers and the pairs of ``start`` (a complete assignment, so the
    first LP is feasible), prices every other pair with the row duals and adds, per proposal, the
    ``first_columns`` most improving ones, until none improves (None: every allowed pair at once).
    Costs are integers and the matrix totally unimodular, so the duals are integers: a reduced cost
    below -0.5 is an improving column, exactly."""
    started = time.perf_counter()
    n, m = len(inst.proposals), len(inst.reviewers)
    pairs_p, pairs_r = inst.pairs_p, inst.pairs_r
    weight = inst.penalty_cap + 1
    fits = inst.fit[pairs_p, pairs_r].astype(np.float64)
    cost_x = -weight * fits  # minimise -M * fit + penalty
    # one z column per unit of each reviewer's room; the first costs its fixed load
    steps_r = np.repeat(np.arange(m), inst.room)
    steps_t = np.concatenate(
        [np.arange(b, c) for b, c in zip(inst.base.tolist(), inst.caps.tolist(), strict=True)]
        or [np.zeros(0)]
    ).astype(np.float64)
    rhs = np.concatenate([inst.need.astype(np.float64), np.zeros(m)])
    empty_i, empty_f = np.zeros(0, np.int32), np.zeros(0)

    solver = new_highs(time_limit_s)
    solver.setOptionValue("solver", "simplex")
    solver.addRows(n + m, rhs, rhs, 0, empty_i, empty_i, empty_f)
    n_steps = len(steps_r)  # z: -1 in its reviewer's row
    solver.addCols(
        n_steps,
        steps_t,
        np.zeros(n_steps),
        np.ones(n_steps),
        n_steps,
        np.arange(n_steps, dtype=np.int32),
        (n + steps_r).astype(np.int32),
        -np.ones(n_steps),
    )
    in_model = np.zeros(len(pairs_p), dtype=bool)
    columns: list[npt.NDArray[np.int64]] = []  # the x columns' pair positions, in model order

    def add(positions: npt.NDArray[np.int64]) -> None:
        count = len(positions)
        index = np.empty(2 * count, dtype=np.int32)
        index[0::2] = pairs_p[positions]
        index[1::2] = n + pairs_r[positions]
        starts = (2 * np.arange(count)).astype(np.int32)
        solver.addCols(
            count,
            cost_x[positions],
            np.zeros(count),
            np.ones(count),
            2 * count,
            starts,
            index,
            np.ones(2 * count),
        )
        in_model[positions] = True
        columns.append(positions)

    if first_columns is None:
        add(np.arange(len(pairs_p)))
    else:
        first = np.zeros(len(pairs_p), dtype=bool)
        first[_top_per_proposal(pairs_p, -fits, pairs_r, first_columns)] = True
        add(np.nonzero(first | start)[0])
    rounds = 0
    while True:
        rounds += 1
        solver.setOptionValue("time_limit", max(0.01, time_limit_s - (time.perf_counter() - started)))
        solver.run()
        status = solver.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise _SolverFailed(solver.modelStatusToString(status))
        y = np.asarray(solver.getSolution().row_dual)
        reduced = cost_x - y[pairs_p] - y[n + pairs_r]
        improving = np.nonzero(~in_model & (reduced < -0.5))[0]
        if len(improving) == 0:
            break
        per_round = first_columns if first_columns is not None else len(improving)
        add(
            improving[
                _top_per_proposal(pairs_p[improving], reduced[improving], pairs_r[improving], per_round)
            ]
        )

    solution = solver.getSolution()
    x = np.zeros(len(pairs_p))
    x[np.concatenate(columns)] = np.asarray(solution.col_value)[n_steps:]
    if np.abs(x - np.rint(x)).max(initial=0.0) > 1e-6:  # a network LP's vertex is 0/1; never seen
        raise _SolverFailed("fractional LP solution")
    chosen = np.rint(x) > 0.5
    # Weak duality for min c.x, A x = b, 0 <= x <= 1 over every allowed pair: for any y,
    # b.y + sum_j min(0, c_j - A_j.y) is at most the optimum.
    y = np.asarray(solution.row_dual)
    lower = float(rhs @ y)
    lower += float(np.minimum(cost_x - y[pairs_p] - y[n + pairs_r], 0).sum())
    lower += float(np.minimum(steps_t + y[n + steps_r], 0).sum())
    bound = _fit_bound(inst, -lower)
    result = inst.assignment(
        chosen,
        "highs",
        status=f"optimal ({rounds} pricing rounds, {int(in_model.sum())} of {len(pairs_p)} pairs in the LP)",
    )
    # the bound is floored at FIT_RESOLUTION; a float rounding below the fit found cannot be a true bound
    optimal = bound <= result.total_fit + FIT_RESOLUTION / 2
    return ReviewAssignment(**{**result.__dict__, "bound": max(bound, result.total_fit), "optimal": optimal})


def _solve_cpsat(
    inst: _Instance, start: npt.NDArray[np.bool_], time_limit_s: float, workers: int
) -> ReviewAssignment:
    n, m = len(inst.proposals), len(inst.reviewers)
    weight = inst.penalty_cap + 1
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(len(inst.pairs_p))]
    by_p: list[list[cp_model.IntVar]] = [[] for _ in range(n)]
    by_r: list[list[cp_model.IntVar]] = [[] for _ in range(m)]
    for var, i, j in zip(x, inst.pairs_p.tolist(), inst.pairs_r.tolist(), strict=True):
        by_p[i].append(var)
        by_r[j].append(var)
    for vars_, need in zip(by_p, inst.need.tolist(), strict=True):
        model.add(sum(vars_) == need)
    terms: list[cp_model.IntVar] = list(x)
    coefficients = [weight * f for f in inst.fit[inst.pairs_p, inst.pairs_r].tolist()]
    for j, vars_ in enumerate(by_r):
        base = int(inst.base[j])
        steps = [model.new_bool_var(f"z{j}_{t}") for t in range(int(inst.room[j]))]
        for a, b in itertools.pairwise(steps):
            model.add_implication(b, a)  # steps fill in order
        model.add(sum(vars_) == sum(steps))
        terms.extend(steps)
        coefficients.extend(-(base + t) for t in range(len(steps)))
    model.maximize(cp_model.LinearExpr.weighted_sum(terms, coefficients))  # M * fit - penalty
    for var, taken in zip(x, start.tolist(), strict=True):
        model.add_hint(var, taken)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit_s)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise _SolverFailed(solver.status_name(status))
    chosen = np.array([solver.boolean_value(v) for v in x], dtype=bool)
    result = inst.assignment(chosen, "cpsat", status=solver.status_name(status))
    optimal = status == cp_model.OPTIMAL
    bound = result.total_fit if optimal else _fit_bound(inst, solver.best_objective_bound)
    return ReviewAssignment(**{**result.__dict__, "bound": bound, "optimal": optimal})


class _SolverFailed(RuntimeError):
    pass


def assign_reviewers(
    proposals: Sequence[str],
    reviewers: Sequence[str],
    fit: npt.ArrayLike,
    *,
    k: int,
    conflicts: Collection[Pair] = (),
    cap: int | Mapping[str, int] | None = None,
    slack: int = 0,
    solver: Solver = "highs",
    time_limit_s: float = 60.0,
    workers: int = 1,
    compare_greedy: bool = True,
    first_columns: int | None = FIRST_COLUMNS,
    fixed: Collection[Pair] = (),
) -> AssignmentOutcome:
    """The optimal assignment (see the module's doc), the greedy baseline beside it, or the problems.

    ``fit``: shape (len(proposals), len(reviewers)); ``conflicts``: ``(reviewer, proposal)`` pairs (a set,
    or the mapping :func:`find_conflicts` returns); ``cap``: one cap for all, a cap per reviewer id
    (the others get the balanced one), or None for ``balanced_cap(n, m, k, slack)``. ``workers``: CP-SAT's
    (HiGHS runs on one thread). ``fixed``: ``(reviewer, proposal)`` pairs kept whatever else is chosen
    (reviews already written): each counts towards its proposal's ``k``, its reviewer's cap and load,
    and the total fit; a cap below a reviewer's fixed reviews is raised to them. A fixed pair in
    conflict (``fixed_in_conflict``) or more than ``k`` fixed for a proposal (``too_many_fixed``) is a
    problem, as an infeasible call is.
    """
    inst = _instance(proposals, reviewers, fit, k, conflicts, cap, slack, fixed)
    caps = {r: int(c) for r, c in zip(inst.reviewers, inst.caps.tolist(), strict=True)}
    greedy = _greedy(inst) if compare_greedy else None
    started = time.perf_counter()  # the optimiser's time: feasibility check, model, solve
    problems, start = _feasibility(inst)
    if problems or start is None:
        return AssignmentOutcome(None, greedy, caps, tuple(problems))
    if not inst.need.any():  # every review is fixed (or no proposal): nothing to choose
        kept = inst.assignment(np.zeros(len(inst.pairs_p), dtype=bool), solver, status="nothing to choose")
        kept = ReviewAssignment(**{**kept.__dict__, "bound": kept.total_fit, "optimal": True})
        return AssignmentOutcome(_with_seconds(kept, time.perf_counter() - started), greedy, caps)
    try:
        if solver == "highs":
            result = _solve_highs(inst, start, time_limit_s, first_columns)
        else:
            result = _solve_cpsat(inst, start, time_limit_s, workers)
    except _SolverFailed as failure:
        failed = problem(
            "solver_failed",
            "",
            f"the {solver} solver found no assignment ({failure})",
            solver=solver,
            status=str(failure),
        )
        return AssignmentOutcome(None, greedy, caps, (failed,))
    return AssignmentOutcome(_with_seconds(result, time.perf_counter() - started), greedy, caps)
