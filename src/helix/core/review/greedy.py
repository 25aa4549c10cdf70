"""A reviewer assignment's instance and result, its feasibility check (max flow) and the greedy baseline."""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from ortools.graph.python import max_flow  # type: ignore[import-untyped]  # has .pyi, no py.typed

from .conflicts import Pair
from .problems import ReviewProblem, problem

FIT_RESOLUTION = 1e-4  # fits are compared to four decimals: the optimum is exact at this resolution
_FIT_SCALE = 10_000


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
