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
    caps: npt.NDArray[np.int64]  # per reviewer: the most reviews in all, the fixed ones included
    fit: npt.NDArray[np.int64]  # (n, m), at FIT_RESOLUTION
    allowed: npt.NDArray[np.bool_]  # (n, m): free to choose: no conflict, not fixed, the reviewer has room
    conflicted: npt.NDArray[np.int64]  # per proposal: the reviewers in conflict with it
    pairs_p: npt.NDArray[np.int64]  # allowed pairs, by proposal then reviewer
    pairs_r: npt.NDArray[np.int64]
    fixed: npt.NDArray[np.bool_]  # (n, m): the pairs kept whatever the solver chooses
    need: npt.NDArray[np.int64]  # per proposal: k less its fixed reviews (never below 0)
    base: npt.NDArray[np.int64]  # per reviewer: its fixed reviews
    fixed_problems: tuple[ReviewProblem, ...] = ()  # fixed pairs in conflict, or more than k

    @property
    def room(self) -> npt.NDArray[np.int64]:
        """Per reviewer: the reviews it may still be given beside its fixed ones."""
        return self.caps - self.base

    @property
    def fixed_fit(self) -> int:
        return int(self.fit[self.fixed].sum())

    @property
    def penalty_cap(self) -> int:
        """An upper bound on the load penalty of the chosen reviews, sum over the reviewers of
        base + (base + 1) + ... + (load - 1): no load is above its cap, and each of the reviews to choose
        adds at most (largest cap - 1), or (largest cap - 1) / 2 on average when nothing is fixed."""
        by_caps = sum(
            int(c) * (int(c) - 1) // 2 - int(b) * (int(b) - 1) // 2
            for c, b in zip(self.caps.tolist(), self.base.tolist(), strict=True)
        )
        halved = 1 if self.base.any() else 2
        by_reviews = int(self.need.sum()) * (int(self.caps.max(initial=1)) - 1) // halved
        return min(by_caps, by_reviews)

    def assignment(self, chosen: npt.NDArray[np.bool_], method: str, status: str) -> ReviewAssignment:
        """The assignment of the chosen pairs (a mask over the allowed pairs) with the fixed ones."""
        p = self.pairs_p[chosen]
        r = self.pairs_r[chosen]
        taken = self.fixed.copy()
        taken[p, r] = True
        per_proposal = [
            tuple(self.reviewers[j] for j in np.nonzero(row)[0].tolist()) for row in taken
        ]
        loads = taken.sum(axis=0)
        counts = taken.sum(axis=1)
        missing = {self.proposals[i]: int(self.k - c) for i, c in enumerate(counts.tolist()) if c < self.k}
        total = int(self.fit[taken].sum())
        return ReviewAssignment(
            method=method,
            reviews={self.proposals[i]: rs for i, rs in enumerate(per_proposal)},
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
    fixed: Collection[Pair] = (),
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
    kept = np.zeros_like(allowed)
    for reviewer, proposal in fixed:
        if proposal not in p_index or reviewer not in r_index:
            raise ValueError(f"the fixed pair ({reviewer!r}, {proposal!r}) names an unknown id")
        kept[p_index[proposal], r_index[reviewer]] = True
    wrong = [
        problem(
            "fixed_in_conflict",
            proposals[i],
            f"{reviewers[j]} is kept as a reviewer of {proposals[i]}, but is in conflict with it",
            proposal=proposals[i],
            reviewer=reviewers[j],
        )
        for i, j in zip(*np.nonzero(kept & ~allowed), strict=True)
    ]
    counts = kept.sum(axis=1)
    wrong += [
        problem(
            "too_many_fixed",
            proposals[i],
            f"{proposals[i]} keeps {int(counts[i])} reviewers; it needs {k}",
            proposal=proposals[i],
            kept=int(counts[i]),
            needed=k,
        )
        for i in np.nonzero(counts > k)[0].tolist()
    ]
    base = kept.sum(axis=0).astype(np.int64)
    caps = np.maximum(caps, base)  # a reviewer keeps its fixed reviews, whatever its cap
    allowed &= ~kept
    allowed &= (caps - base > 0)[None, :]
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
        kept,
        np.clip(k - counts, 0, None).astype(np.int64),
        base,
        tuple(wrong),
    )


def _feasibility(inst: _Instance) -> tuple[list[ReviewProblem], npt.NDArray[np.bool_] | None]:
    """Why no complete assignment exists, each problem naming its proposals; or no problem and one
    complete assignment (a mask over the allowed pairs: a maximum flow of the network source ->
    proposal (k) -> reviewer (1 per allowed pair) -> sink (the cap))."""
    n, m, k = len(inst.proposals), len(inst.reviewers), inst.k
    found = list(inst.fixed_problems)
    available = inst.allowed.sum(axis=1)
    for i in np.nonzero(available < inst.need)[0].tolist():
        proposal = inst.proposals[i]
        need = int(inst.need[i])
        found.append(
            problem(
                "too_few_reviewers",
                proposal,
                f"{proposal} has {int(available[i])} reviewers free of conflict and with room; it needs "
                f"{need} ({int(inst.conflicted[i])} in conflict)",
                proposal=proposal,
                available=int(available[i]),
                needed=need,
                in_conflict=int(inst.conflicted[i]),
            )
        )
    capacity = int(inst.room.sum())
    needed = int(inst.need.sum())
    if capacity < needed:
        found.append(
            problem(
                "capacity_too_small",
                "",
                f"{n} proposals x {k} reviews need {needed} reviews more; the reviewers' caps allow "
                f"{capacity}",
                needed=needed,
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
    capacities = np.concatenate([inst.need, np.ones(len(inst.pairs_p)), inst.room]).astype(np.int64)
    flow.add_arcs_with_capacity(tails, heads, capacities)
    flow.solve(source, sink)
    shortfall = needed - flow.optimal_flow()
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
    fixed: Collection[Pair] = (),
) -> ReviewAssignment:
    """The baseline: the ``fixed`` pairs, then allowed pairs by descending fit (ties: proposal, then
    reviewer order), each taken while its proposal needs a review and its reviewer has room. May be
    incomplete (``missing``)."""
    return _greedy(_instance(proposals, reviewers, fit, k, conflicts, cap, slack, fixed))


def _greedy(inst: _Instance) -> ReviewAssignment:
    started = time.perf_counter()
    fits = inst.fit[inst.pairs_p, inst.pairs_r]
    order = np.lexsort((inst.pairs_r, inst.pairs_p, -fits))
    need = inst.need.tolist()
    room = inst.room.tolist()
    chosen = np.zeros(len(fits), dtype=bool)
    remaining = sum(need)
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
