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

:func:`greedy_assign` is the baseline: every allowed pair by descending fit, taken while the proposal
still needs a review and the reviewer has room. It may leave proposals short; it then says so
(``complete`` False, ``missing``), and the comparison with the optimiser is made only when it is complete.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import highspy
import numpy as np
import numpy.typing as npt
from ortools.graph.python import max_flow  # type: ignore[import-untyped]  # has .pyi, no py.typed
from ortools.sat.python import cp_model

from .highs import new_highs
from .problems import ReviewProblem, problem

FIT_RESOLUTION = 1e-4  # fits are compared to four decimals: the optimum is exact at this resolution
_FIT_SCALE = 10_000
# HiGHS starts from each proposal's best-fitting reviewers and adds the others as their duals ask
# (column generation); None: every allowed pair from the start. Same optimum, a fraction of the memory.
FIRST_COLUMNS = 20

Pair = tuple[str, str]  # (reviewer, proposal)
Solver = Literal["highs", "cpsat"]


# -- conflicts of interest ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Participation:
    """An organisation's part in a project, over the years it took part (``end_year`` None: running)."""

    project: str
    organisation: str
    start_year: int
    end_year: int | None = None


@dataclass(frozen=True)
class Conflict:
    """One reason why a reviewer may not review a proposal, coded as a problem is."""

    reviewer: str
    proposal: str
    code: str  # conflict_same_organisation, conflict_shared_project, conflict_declared
    params: dict[str, object] = field(default_factory=dict)
    text: str = ""


def find_conflicts(
    reviewer_organisations: Mapping[str, Collection[str]],
    proposal_organisations: Mapping[str, Collection[str]],
    participations: Iterable[Participation] = (),
    declared: Iterable[Pair] = (),
    *,
    year: int,
    window_years: int = 3,
) -> dict[Pair, tuple[Conflict, ...]]:
    """The conflicts of interest, by ``(reviewer, proposal)``, each with its reasons, from plain facts.

    - ``conflict_same_organisation``: the reviewer works for the applicant or a co-applicant.
    - ``conflict_shared_project``: an organisation of the reviewer and one of the proposal took part in
      the same project, both in the last ``window_years`` years: each participation's last year (the
      reference ``year`` while it runs) is ``year - window_years`` or later, and it started by ``year``.
    - ``conflict_declared``: the pair was declared (by the reviewer, the applicant or staff).

    ``reviewer_organisations``: each reviewer's organisation ids (a reviewer may have several
    affiliations); ``proposal_organisations``: each proposal's applicant and co-applicant ids.
    """
    found: dict[Pair, list[Conflict]] = defaultdict(list)
    proposals_of_org: dict[str, list[str]] = defaultdict(list)
    for proposal, orgs in proposal_organisations.items():
        for org in dict.fromkeys(orgs):
            proposals_of_org[org].append(proposal)

    for reviewer, orgs in reviewer_organisations.items():
        for org in dict.fromkeys(orgs):
            for proposal in proposals_of_org.get(org, ()):
                found[reviewer, proposal].append(
                    Conflict(
                        reviewer,
                        proposal,
                        "conflict_same_organisation",
                        {"organisation": org},
                        f"the reviewer works for {org}, an applicant of {proposal}",
                    )
                )

    # organisation -> {partner organisation: (project, last year)} over the recent projects
    recent: dict[str, list[tuple[str, int]]] = defaultdict(list)  # project -> [(organisation, last)]
    for part in participations:
        last = year if part.end_year is None else min(part.end_year, year)
        if part.start_year <= year and last >= year - window_years:
            recent[part.project].append((part.organisation, last))
    partners: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
    for project in sorted(recent):
        members = recent[project]
        for a, last_a in members:
            for b, last_b in members:
                if a == b:
                    continue
                last = min(last_a, last_b)
                # keep the most recent shared project (then the first by id), one reason per pair
                kept = partners[a].get(b)
                if kept is None or last > kept[1]:
                    partners[a][b] = (project, last)
    for reviewer, orgs in reviewer_organisations.items():
        mine = set(orgs)
        for org in dict.fromkeys(orgs):
            for partner, (project, last) in sorted(partners.get(org, {}).items()):
                if partner in mine:
                    continue  # the reviewer's own organisations: same organisation, said above
                for proposal in proposals_of_org.get(partner, ()):
                    found[reviewer, proposal].append(
                        Conflict(
                            reviewer,
                            proposal,
                            "conflict_shared_project",
                            {
                                "project": project,
                                "reviewer_organisation": org,
                                "applicant_organisation": partner,
                                "year": last,
                            },
                            f"{org} (the reviewer's) and {partner} (an applicant of {proposal}) "
                            f"shared project {project} until {last}",
                        )
                    )

    for reviewer, proposal in declared:
        found[reviewer, proposal].append(
            Conflict(
                reviewer,
                proposal,
                "conflict_declared",
                {},
                f"a conflict of {reviewer} with {proposal} was declared",
            )
        )
    return {pair: tuple(reasons) for pair, reasons in found.items()}


# -- expertise fit ----------------------------------------------------------------------------------


def _term(word: str) -> str:
    return " ".join(word.casefold().split())


def expertise_fit(
    proposals: Sequence[str],
    reviewers: Sequence[str],
    topics: Mapping[str, Collection[str]],
    expertise: Mapping[str, Collection[str]],
) -> npt.NDArray[np.float64]:
    """The fit matrix (proposals x reviewers): the share of a proposal's topics the reviewer masters.

    ``topics``: each proposal's sectors and keywords; ``expertise``: each reviewer's. Terms are compared
    case- and space-insensitively; the caller may prefix them by kind ("nace:62.10", "kw:heat pumps") and
    expand a NACE code to its ancestors on both sides to give partial credit. A proposal without topics
    fits everyone 0. Coverage rather than Jaccard: a broad reviewer is not penalised for knowing more.
    """
    vocabulary: dict[str, int] = {}
    rows = [{vocabulary.setdefault(_term(t), len(vocabulary)) for t in topics.get(p, ())} for p in proposals]
    cols = [
        {vocabulary.setdefault(_term(t), len(vocabulary)) for t in expertise.get(r, ())} for r in reviewers
    ]
    size = len(vocabulary)
    a = np.zeros((len(proposals), size))
    for i, terms in enumerate(rows):
        a[i, list(terms)] = 1.0
    b = np.zeros((len(reviewers), size))
    for j, terms in enumerate(cols):
        b[j, list(terms)] = 1.0
    counts = a.sum(axis=1, keepdims=True)
    fit: npt.NDArray[np.float64] = np.zeros((len(proposals), len(reviewers)))
    np.divide(a @ b.T, counts, out=fit, where=counts > 0)
    return fit


# -- the assignment ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewAssignment:
    method: str  # "highs", "cpsat", "greedy"
    reviews: dict[str, tuple[str, ...]]  # proposal -> its reviewers, in the reviewers' order
    total_fit: float  # at FIT_RESOLUTION
    loads: dict[str, int]  # every reviewer, 0 included
    complete: bool = True  # every proposal has k reviews
    missing: dict[str, int] = field(default_factory=dict)  # proposal -> reviews still missing
    bound: float | None = None  # proven upper bound on the total fit of any complete assignment
    optimal: bool = False  # the total fit is proven the largest (and the loads the most even)
    status: str = ""
    seconds: float = 0.0

    @property
    def gap(self) -> float | None:
        """(bound - total fit) / bound: 0 when proven optimal."""
        if self.bound is None:
            return None
        return max(0.0, self.bound - self.total_fit) / max(abs(self.bound), FIT_RESOLUTION)

    @property
    def max_load(self) -> int:
        return max(self.loads.values(), default=0)

    @property
    def min_load(self) -> int:
        return min(self.loads.values(), default=0)

    @property
    def squared_loads(self) -> int:
        return sum(load * load for load in self.loads.values())


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


@dataclass(frozen=True)
class _Instance:
    proposals: tuple[str, ...]
    reviewers: tuple[str, ...]
    k: int
    caps: npt.NDArray[np.int64]  # per reviewer
    fit: npt.NDArray[np.int64]  # (n, m), at FIT_RESOLUTION
    allowed: npt.NDArray[np.bool_]  # (n, m): no conflict and the reviewer has a cap > 0
    conflicted: npt.NDArray[np.int64]  # per proposal: the reviewers in conflict with it
    pairs_p: npt.NDArray[np.int64]  # allowed pairs, by proposal then reviewer
    pairs_r: npt.NDArray[np.int64]

    @property
    def penalty_cap(self) -> int:
        """An upper bound on the load penalty sum L (L - 1) / 2 of any assignment: each of the n k
        reviews adds at most (largest cap - 1) / 2 to it, and no load is above its cap."""
        by_caps = sum(int(c) * (int(c) - 1) // 2 for c in self.caps.tolist())
        by_reviews = len(self.proposals) * self.k * (int(self.caps.max(initial=1)) - 1) // 2
        return min(by_caps, by_reviews)

    def assignment(self, chosen: npt.NDArray[np.bool_], method: str, status: str) -> ReviewAssignment:
        """The assignment of the chosen pairs (a mask over the allowed pairs)."""
        p = self.pairs_p[chosen]
        r = self.pairs_r[chosen]
        per_proposal: list[list[str]] = [[] for _ in self.proposals]
        for i, j in zip(p.tolist(), r.tolist(), strict=True):
            per_proposal[i].append(self.reviewers[j])
        loads = np.bincount(r, minlength=len(self.reviewers))
        counts = np.bincount(p, minlength=len(self.proposals))
        missing = {self.proposals[i]: int(self.k - c) for i, c in enumerate(counts.tolist()) if c < self.k}
        total = int(self.fit[p, r].sum())
        return ReviewAssignment(
            method=method,
            reviews={self.proposals[i]: tuple(rs) for i, rs in enumerate(per_proposal)},
            total_fit=total / _FIT_SCALE,
            loads={self.reviewers[j]: int(load) for j, load in enumerate(loads.tolist())},
            complete=not missing,
            missing=missing,
            status=status,
        )


def balanced_cap(n_proposals: int, n_reviewers: int, k: int, slack: int = 0) -> int:
    """ceil(n k / m) + slack: the least cap under which an even spread is possible, plus slack."""
    if n_reviewers == 0:
        return 0
    return -(-n_proposals * k // n_reviewers) + slack


def _instance(
    proposals: Sequence[str],
    reviewers: Sequence[str],
    fit: npt.ArrayLike,
    k: int,
    conflicts: Collection[Pair],
    cap: int | Mapping[str, int] | None,
    slack: int,
) -> _Instance:
    if len(set(proposals)) != len(proposals) or len(set(reviewers)) != len(reviewers):
        raise ValueError("proposal and reviewer ids must be unique")
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    matrix = np.asarray(fit, dtype=np.float64)
    if matrix.shape != (len(proposals), len(reviewers)):
        raise ValueError(
            f"the fit matrix is {matrix.shape}, not (proposals, reviewers) = "
            f"{(len(proposals), len(reviewers))}"
        )
    if not np.isfinite(matrix).all():
        raise ValueError("the fit matrix holds a value that is not a finite number")
    default = balanced_cap(len(proposals), len(reviewers), k, slack)
    if cap is None or isinstance(cap, int):
        caps = np.full(len(reviewers), default if cap is None else cap, dtype=np.int64)
    else:
        caps = np.array([cap.get(r, default) for r in reviewers], dtype=np.int64)
    caps = np.clip(caps, 0, len(proposals))  # nobody reviews more than every proposal once
    p_index = {p: i for i, p in enumerate(proposals)}
    r_index = {r: j for j, r in enumerate(reviewers)}
    allowed = np.ones((len(proposals), len(reviewers)), dtype=bool)
    for reviewer, proposal in conflicts:
        i, j = p_index.get(proposal), r_index.get(reviewer)
        if i is not None and j is not None:
            allowed[i, j] = False
    conflicted = len(reviewers) - allowed.sum(axis=1)
    allowed &= (caps > 0)[None, :]
    pairs_p, pairs_r = np.nonzero(allowed)
    return _Instance(
        tuple(proposals),
        tuple(reviewers),
        k,
        caps,
        np.rint(matrix * _FIT_SCALE).astype(np.int64),
        allowed,
        conflicted.astype(np.int64),
        pairs_p.astype(np.int64),
        pairs_r.astype(np.int64),
    )


def _feasibility(inst: _Instance) -> tuple[list[ReviewProblem], npt.NDArray[np.bool_] | None]:
    """Why no complete assignment exists, each problem naming its proposals; or no problem and one
    complete assignment (a mask over the allowed pairs: a maximum flow of the network source ->
    proposal (k) -> reviewer (1 per allowed pair) -> sink (the cap))."""
    n, m, k = len(inst.proposals), len(inst.reviewers), inst.k
    found = []
    available = inst.allowed.sum(axis=1)
    for i in np.nonzero(available < k)[0].tolist():
        proposal = inst.proposals[i]
        found.append(
            problem(
                "too_few_reviewers",
                proposal,
                f"{proposal} has {int(available[i])} reviewers free of conflict and with room; it needs {k} "
                f"({int(inst.conflicted[i])} in conflict)",
                proposal=proposal,
                available=int(available[i]),
                needed=k,
                in_conflict=int(inst.conflicted[i]),
            )
        )
    capacity = int(inst.caps.sum())
    if capacity < n * k:
        found.append(
            problem(
                "capacity_too_small",
                "",
                f"{n} proposals x {k} reviews need {n * k} reviews; the reviewers' caps allow {capacity}",
                needed=n * k,
                capacity=capacity,
                reviewers=m,
            )
        )
    if found or n == 0:
        return found, (np.zeros(len(inst.pairs_p), dtype=bool) if not found else None)
    # Each proposal alone has k reviewers and the caps add up; a group may still compete for too few.
    source, sink = n + m, n + m + 1
    flow = max_flow.SimpleMaxFlow()
    tails = np.concatenate([np.full(n, source), inst.pairs_p, n + np.arange(m)]).astype(np.int32)
    heads = np.concatenate([np.arange(n), n + inst.pairs_r, np.full(m, sink)]).astype(np.int32)
    capacities = np.concatenate([np.full(n, k), np.ones(len(inst.pairs_p)), inst.caps]).astype(np.int64)
    flow.add_arcs_with_capacity(tails, heads, capacities)
    flow.solve(source, sink)
    shortfall = n * k - flow.optimal_flow()
    if shortfall == 0:
        arcs = np.arange(n, n + len(inst.pairs_p), dtype=np.int32)
        return [], np.asarray(flow.flows(arcs)) > 0
    if shortfall > 0:
        side = set(flow.get_source_side_min_cut())
        group = [inst.proposals[i] for i in range(n) if i in side]
        saturated = [inst.reviewers[j] for j in range(m) if n + j in side]
        for proposal in group:
            found.append(
                problem(
                    "group_short_of_reviewers",
                    proposal,
                    f"{proposal} and {len(group) - 1} other proposals share too few free reviewers: "
                    f"{shortfall} reviews cannot be given",
                    proposal=proposal,
                    group=group,
                    reviewers=saturated,
                    shortfall=shortfall,
                )
            )
    return found, None


def greedy_assign(
    proposals: Sequence[str],
    reviewers: Sequence[str],
    fit: npt.ArrayLike,
    *,
    k: int,
    conflicts: Collection[Pair] = (),
    cap: int | Mapping[str, int] | None = None,
    slack: int = 0,
) -> ReviewAssignment:
    """The baseline: allowed pairs by descending fit (ties: proposal, then reviewer order), each taken
    while its proposal needs a review and its reviewer has room. May be incomplete (``missing``)."""
    return _greedy(_instance(proposals, reviewers, fit, k, conflicts, cap, slack))


def _greedy(inst: _Instance) -> ReviewAssignment:
    started = time.perf_counter()
    fits = inst.fit[inst.pairs_p, inst.pairs_r]
    order = np.lexsort((inst.pairs_r, inst.pairs_p, -fits))
    need = [inst.k] * len(inst.proposals)
    room = inst.caps.tolist()
    chosen = np.zeros(len(fits), dtype=bool)
    remaining = inst.k * len(inst.proposals)
    ps, rs = inst.pairs_p.tolist(), inst.pairs_r.tolist()
    for e in order.tolist():
        i, j = ps[e], rs[e]
        if need[i] and room[j]:
            chosen[e] = True
            need[i] -= 1
            room[j] -= 1
            remaining -= 1
            if not remaining:
                break
    result = inst.assignment(chosen, "greedy", status="greedy")
    return _with_seconds(result, time.perf_counter() - started)


def _with_seconds(result: ReviewAssignment, seconds: float) -> ReviewAssignment:
    return ReviewAssignment(**{**result.__dict__, "seconds": seconds})


def _fit_bound(inst: _Instance, combined_bound: float) -> float:
    """An upper bound on the total fit from an upper bound on M * fit - penalty (penalty in [0, cap])."""
    cap = inst.penalty_cap
    weight = cap + 1
    return math.floor((combined_bound + cap) / weight + 1e-6) / _FIT_SCALE


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
    n, m, k = len(inst.proposals), len(inst.reviewers), inst.k
    pairs_p, pairs_r = inst.pairs_p, inst.pairs_r
    weight = inst.penalty_cap + 1
    fits = inst.fit[pairs_p, pairs_r].astype(np.float64)
    cost_x = -weight * fits  # minimise -M * fit + penalty
    steps_r = np.repeat(np.arange(m), inst.caps)  # one z column per unit of each reviewer's cap
    steps_t = np.concatenate([np.arange(c) for c in inst.caps.tolist()]).astype(np.float64)
    rhs = np.concatenate([np.full(n, float(k)), np.zeros(m)])
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
    for vars_ in by_p:
        model.add(sum(vars_) == inst.k)
    terms: list[cp_model.IntVar] = list(x)
    coefficients = [weight * f for f in inst.fit[inst.pairs_p, inst.pairs_r].tolist()]
    for j, vars_ in enumerate(by_r):
        steps = [model.new_bool_var(f"z{j}_{t}") for t in range(int(inst.caps[j]))]
        for a, b in itertools.pairwise(steps):
            model.add_implication(b, a)  # steps fill in order
        model.add(sum(vars_) == sum(steps))
        terms.extend(steps)
        coefficients.extend(-t for t in range(len(steps)))
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
) -> AssignmentOutcome:
    """The optimal assignment (see the module's doc), the greedy baseline beside it, or the problems.

    ``fit``: shape (len(proposals), len(reviewers)); ``conflicts``: ``(reviewer, proposal)`` pairs (a set,
    or the mapping :func:`find_conflicts` returns); ``cap``: one cap for all, a cap per reviewer id
    (the others get the balanced one), or None for ``balanced_cap(n, m, k, slack)``. ``workers``: CP-SAT's
    (HiGHS runs on one thread).
    """
    inst = _instance(proposals, reviewers, fit, k, conflicts, cap, slack)
    caps = {r: int(c) for r, c in zip(inst.reviewers, inst.caps.tolist(), strict=True)}
    greedy = _greedy(inst) if compare_greedy else None
    started = time.perf_counter()  # the optimiser's time: feasibility check, model, solve
    problems, start = _feasibility(inst)
    if problems or start is None:
        return AssignmentOutcome(None, greedy, caps, tuple(problems))
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
