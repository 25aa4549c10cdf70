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
optimum is proven by the solver (HiGHS); with one, a mixed-integer programme (HiGHS again) whose
proven bound and gap come with the result. :func:`greedy_nearest` is the baseline to compare
with: each have in turn sends what it can to its nearest want with capacity left, if that saves money.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np

from helix.core.highs import new_highs

from .impact import Impact
from .proposals import Proposal


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
    mip_gap: float = 1e-4,
) -> Allocation:
    """The least-cost allocation over ``proposals`` (quantities per year in each proposal's unit).

    Solved by HiGHS (highspy): a linear programme, or a mixed-integer one with a fixed cost per
    link. At a MIP time limit the best allocation found comes back with the proven bound and gap.
    """
    started = time.perf_counter()
    haves, wants = _capacities(proposals, have_quantity, want_quantity)
    useful = [p for p in proposals if p.unit_cost_eur < 0 and p.quantity > 0]
    if fixed_cost_per_link > 0:
        useful = [p for p in useful if -p.unit_cost_eur * p.quantity > fixed_cost_per_link]
    if not useful:
        return Allocation("optimal", [], 0.0, 0.0, True, "nothing to exchange", time.perf_counter() - started)
    integer = fixed_cost_per_link > 0
    n = len(useful)
    have_index = {h: i for i, h in enumerate(dict.fromkeys(p.have for p in useful))}
    want_index = {w: i for i, w in enumerate(dict.fromkeys(p.want for p in useful))}
    n_cols = 2 * n if integer else n
    cost = np.array([p.unit_cost_eur for p in useful] + ([fixed_cost_per_link] * n if integer else []))
    upper = np.array([p.quantity for p in useful] + ([1.0] * n if integer else []))
    # rows: haves (sum a_e x_e <= q_h), wants (sum x_e <= q_w), links (x_e - u_e y_e <= 0)
    rows: list[list[tuple[int, float]]] = [[] for _ in range(len(have_index) + len(want_index))]
    for i, p in enumerate(useful):
        rows[have_index[p.have]].append((i, p.source_per_unit))
        rows[len(have_index) + want_index[p.want]].append((i, 1.0))
    upper_rows = [haves[h] for h in have_index] + [wants[w] for w in want_index]
    if integer:
        for i, p in enumerate(useful):
            rows.append([(i, 1.0), (n + i, -p.quantity)])
            upper_rows.append(0.0)
    starts = np.cumsum([0] + [len(r) for r in rows[:-1]]).astype(np.int32)
    index = np.array([c for r in rows for c, _ in r], dtype=np.int32)
    value = np.array([v for r in rows for _, v in r], dtype=np.float64)

    solver = new_highs(time_limit_s, seed=None)
    if integer:
        solver.setOptionValue("mip_rel_gap", float(mip_gap))
    solver.addCols(
        n_cols,
        cost,
        np.zeros(n_cols),
        upper,
        0,
        np.array([], dtype=np.int32),
        np.array([], dtype=np.int32),
        np.array([], dtype=np.float64),
    )
    solver.addRows(
        len(rows),
        np.full(len(rows), -highspy.kHighsInf),
        np.array(upper_rows),
        len(index),
        starts,
        index,
        value,
    )
    if integer:
        cols = np.arange(n, 2 * n, dtype=np.int32)
        solver.changeColsIntegrality(n, cols, np.full(n, 1, dtype=np.uint8))  # kInteger
    solver.run()
    status = solver.getModelStatus()
    info = solver.getInfo()
    status_text = solver.modelStatusToString(status)
    optimal = status == highspy.HighsModelStatus.kOptimal
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if not has_solution:
        raise AllocationError(f"the allocation solver found no allocation ({status_text})")
    x = np.array(solver.getSolution().col_value[:n])
    assignments = [
        _assignment(p, float(x[i]), fixed_cost_per_link if integer else 0.0)
        for i, p in enumerate(useful)
        if x[i] > 1e-7 * max(1.0, p.quantity)
    ]
    total = sum(a.cost_eur for a in assignments)
    if integer:
        bound: float | None = float(info.mip_dual_bound)
    else:
        bound = total if optimal else None
    return Allocation(
        "optimal" if optimal else "best found (time limit)",
        assignments,
        total,
        bound,
        optimal,
        status_text,
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
