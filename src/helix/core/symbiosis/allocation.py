"""Network-wide allocation: how much of each have goes to which want, at the least total cost.

The proposals of a region form a bipartite network. Each proposal ``e`` from have ``h`` to want ``w``
carries a unit cost ``c_e`` per unit delivered (transport + treatment - the disposal cost and purchase
price it avoids; negative when the exchange saves money) and uses ``a_e`` units of the have per unit
delivered (1 for materials and water; less than 1 for heat through a heat pump, which adds its
electricity). The allocation solves

    minimise    sum_e c_e x_e  (+ sum_e F y_e with a fixed cost F per exchange link)
    subject to  sum_{e from h} a_e x_e <= q_h      for every have (a flow may be split)
                sum_{e to w}   x_e     <= q_w      for every want
                0 <= x_e <= u_e y_e,  y_e in {0, 1}  (only with F > 0)

Anything not exchanged keeps its present route (disposal, purchase) at zero extra cost, so an
exchange is used only where it saves money. Without a fixed cost this is a linear programme whose
optimum is proven by the solver (HiGHS through OR-Tools); with one, a mixed-integer programme (SCIP)
whose proven bound and gap come with the result. :func:`greedy_nearest` is the baseline to compare
with: each have in turn sends what it can to its nearest want with capacity left, if that saves money.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp

from .impact import Impact
from .matching import Proposal


@dataclass(frozen=True)
class Assignment:
    have: str
    want: str
    quantity: float  # delivered per year, in the proposal's unit
    cost_eur: float  # quantity x unit cost (negative: saved)
    impact: Impact


@dataclass
class Allocation:
    method: str
    assignments: list[Assignment] = field(default_factory=list)
    cost_eur: float = 0.0  # objective: negative = the network saves this much a year
    bound_eur: float | None = None  # proven lower bound on the cost (= cost when optimal)
    optimal: bool = False
    status: str = ""
    seconds: float = 0.0

    @property
    def impact(self) -> Impact:
        total = Impact()
        for a in self.assignments:
            total = total + a.impact
        return total

    @property
    def gap(self) -> float | None:
        if self.bound_eur is None:
            return None
        return abs(self.cost_eur - self.bound_eur) / max(1.0, abs(self.bound_eur))


class AllocationError(RuntimeError):
    """The solver failed; the previous allocation stays in force."""


def _capacities(
    proposals: Sequence[Proposal], have_q: dict[str, float], want_q: dict[str, float]
) -> tuple[dict[str, float], dict[str, float]]:
    haves = {p.have: have_q.get(p.have, p.quantity * p.source_per_unit) for p in proposals}
    wants = {p.want: want_q.get(p.want, p.quantity) for p in proposals}
    return haves, wants


def _assignment(p: Proposal, x: float, fixed: float = 0.0) -> Assignment:
    share = x / p.quantity if p.quantity > 0 else 0.0
    return Assignment(p.have, p.want, x, x * p.unit_cost_eur + fixed, p.impact.scaled(share))


def allocate(
    proposals: Sequence[Proposal],
    have_quantity: dict[str, float],
    want_quantity: dict[str, float],
    *,
    fixed_cost_per_link: float = 0.0,
    time_limit_s: float = 60.0,
    solver_name: str | None = None,
) -> Allocation:
    """The least-cost allocation over ``proposals`` (quantities per year in each proposal's unit)."""
    import time

    started = time.perf_counter()
    haves, wants = _capacities(proposals, have_quantity, want_quantity)
    useful = [p for p in proposals if p.unit_cost_eur < 0 and p.quantity > 0]
    if fixed_cost_per_link > 0:
        useful = [p for p in useful if -p.unit_cost_eur * p.quantity > fixed_cost_per_link]
    if not useful:
        return Allocation("optimal", [], 0.0, 0.0, True, "nothing to exchange", time.perf_counter() - started)
    integer = fixed_cost_per_link > 0
    # HiGHS solves the linear programme; SCIP the mixed-integer one (OR-Tools' HiGHS wrapper returns
    # no solution when a MIP hits its time limit).
    solver_name = solver_name or ("SCIP" if integer else "HIGHS_LP")
    solver = pywraplp.Solver.CreateSolver(solver_name)
    if solver is None:
        raise AllocationError(f"the solver {solver_name} is not available")
    solver.SuppressOutput()
    solver.SetTimeLimit(int(time_limit_s * 1000))
    x = [solver.NumVar(0.0, p.quantity, f"x{i}") for i, p in enumerate(useful)]
    y = [solver.BoolVar(f"y{i}") for i in range(len(useful))] if integer else []
    by_have: dict[str, list[int]] = {}
    by_want: dict[str, list[int]] = {}
    for i, p in enumerate(useful):
        by_have.setdefault(p.have, []).append(i)
        by_want.setdefault(p.want, []).append(i)
        if integer:
            solver.Add(x[i] <= p.quantity * y[i])
    for h, idx in by_have.items():
        solver.Add(sum(useful[i].source_per_unit * x[i] for i in idx) <= haves[h])
    for w, idx in by_want.items():
        solver.Add(sum(x[i] for i in idx) <= wants[w])
    objective = solver.Objective()
    for i, p in enumerate(useful):
        objective.SetCoefficient(x[i], p.unit_cost_eur)
        if integer:
            objective.SetCoefficient(y[i], fixed_cost_per_link)
    objective.SetMinimization()
    status = solver.Solve()
    names = {
        pywraplp.Solver.OPTIMAL: "optimal",
        pywraplp.Solver.FEASIBLE: "feasible (time limit)",
        pywraplp.Solver.INFEASIBLE: "infeasible",
        pywraplp.Solver.UNBOUNDED: "unbounded",
        pywraplp.Solver.ABNORMAL: "abnormal",
        pywraplp.Solver.NOT_SOLVED: "not solved",
    }
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        raise AllocationError(f"the allocation solver ended {names.get(status, status)}")
    assignments = []
    for i, p in enumerate(useful):
        value = x[i].solution_value()
        if value > 1e-7 * max(1.0, p.quantity):
            assignments.append(_assignment(p, value, fixed_cost_per_link if integer else 0.0))
    cost = sum(a.cost_eur for a in assignments)
    optimal = status == pywraplp.Solver.OPTIMAL
    bound = objective.BestBound() if integer else (cost if optimal else None)
    return Allocation(
        "optimal" if optimal else "solver (time limit)",
        assignments,
        cost,
        bound if optimal or integer else None,
        optimal,
        names[status],
        time.perf_counter() - started,
    )


def greedy_nearest(
    proposals: Sequence[Proposal],
    have_quantity: dict[str, float],
    want_quantity: dict[str, float],
    *,
    fixed_cost_per_link: float = 0.0,
) -> Allocation:
    """Baseline: haves in turn (largest first) fill their nearest wants that save money."""
    import time

    started = time.perf_counter()
    haves, wants = _capacities(proposals, have_quantity, want_quantity)
    left_h = dict(haves)
    left_w = dict(wants)
    by_have: dict[str, list[Proposal]] = {}
    for p in proposals:
        by_have.setdefault(p.have, []).append(p)
    assignments = []
    for h in sorted(by_have, key=lambda h: (-haves[h], h)):
        for p in sorted(by_have[h], key=lambda p: (p.road_km, p.want)):
            if p.unit_cost_eur >= 0 or left_h[h] <= 0:
                continue
            x = min(p.quantity, left_w[p.want], left_h[h] / p.source_per_unit)
            if x <= 0 or x * -p.unit_cost_eur <= fixed_cost_per_link:
                continue
            left_h[h] -= x * p.source_per_unit
            left_w[p.want] -= x
            assignments.append(_assignment(p, x, fixed_cost_per_link))
    cost = sum(a.cost_eur for a in assignments)
    return Allocation(
        "greedy nearest", assignments, cost, None, False, "heuristic", time.perf_counter() - started
    )


def check_allocation(
    allocation: Allocation,
    proposals: Sequence[Proposal],
    have_quantity: dict[str, float],
    want_quantity: dict[str, float],
    tolerance: float = 1e-6,
) -> list[str]:
    """Capacity violations of ``allocation`` (empty when it respects every have and want)."""
    haves, wants = _capacities(proposals, have_quantity, want_quantity)
    per_unit = {(p.have, p.want): p for p in proposals}
    used_h: dict[str, float] = {}
    used_w: dict[str, float] = {}
    problems = []
    for a in allocation.assignments:
        p = per_unit.get((a.have, a.want))
        if p is None:
            problems.append(f"{a.have} -> {a.want} is not a proposal")
            continue
        if a.quantity < -tolerance or a.quantity > p.quantity * (1 + tolerance) + tolerance:
            problems.append(f"{a.have} -> {a.want}: {a.quantity} outside 0..{p.quantity}")
        used_h[a.have] = used_h.get(a.have, 0.0) + a.quantity * p.source_per_unit
        used_w[a.want] = used_w.get(a.want, 0.0) + a.quantity
    for h, used in used_h.items():
        if used > haves[h] * (1 + tolerance) + tolerance:
            problems.append(f"have {h}: {used:g} allocated, {haves[h]:g} offered")
    for w, used in used_w.items():
        if used > wants[w] * (1 + tolerance) + tolerance:
            problems.append(f"want {w}: {used:g} allocated, {wants[w]:g} wanted")
    return problems
