"""The funding decision: which ranked proposals the budget funds, and why each other one is not.

Candidates come in rank order (:func:`candidates` builds them from a :class:`Scoring`), each with the
amount it asks, its score, whether it met the rubric's thresholds, and the shares of that amount counted
against each beneficiary's cap. :class:`Rules`: the budget, a least score, a cap per beneficiary (with
what each already received, e.g. earlier in the year from other instruments).

- :func:`select_by_rank` takes the candidates in rank order; one that would overspend the budget is
  skipped (``on_overflow="skip"``: a smaller one further down may still fit) or ends the selection
  (``"stop"``: the common rule "fund down the list until the money runs out").
- :func:`select_optimal` maximises the total score (or the number funded, then the score) under the
  budget and the rules: a 0/1 knapsack with side constraints, solved exactly by HiGHS as a MIP (gap 0).
  Amounts are counted in whole ``unit`` (default one cent): each amount and share rounded up, the
  budget and caps rounded down, so the selection always keeps the rules in real euros.

Every candidate not selected gets one coded reason, the first that applies: ``below_threshold`` (under
the least score), ``below_rubric_threshold`` (failed a rubric threshold), ``over_budget`` (asks more than
the whole budget), ``cap_reached`` (a beneficiary's cap would be crossed, given what is selected and what
it already had), ``budget_exhausted`` (not enough left, given what is selected; in "stop" mode: the
selection stopped before it) and, only for the optimal selection, ``no_gain`` (it fits but adding it
would not raise the total, e.g. a score of 0).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import highspy
import numpy as np

from helix.core.highs import new_highs

from .problems import ReviewProblem, problem
from .scoring import Scoring


@dataclass(frozen=True)
class Candidate:
    proposal: str
    amount: float  # euros asked
    score: float
    passes: bool = True  # met the rubric's thresholds
    shares: Mapping[str, float] = field(default_factory=dict)  # beneficiary -> euros against its cap


@dataclass(frozen=True)
class Rules:
    budget: float
    min_score: float | None = None
    beneficiary_cap: float | None = None  # euros per beneficiary, what it already had included
    already: Mapping[str, float] = field(default_factory=dict)  # beneficiary -> euros already received


@dataclass(frozen=True)
class Selection:
    method: str  # "rank-skip", "rank-stop", "optimal-score", "optimal-count"
    selected: tuple[str, ...]  # in rank order
    reasons: dict[str, ReviewProblem]  # every candidate not selected -> why
    spent: float
    remaining: float
    total_score: float
    bound: float | None = None  # the optimal selection's proven bound on its objective
    optimal: bool = False
    seconds: float = 0.0


def candidates(
    scoring: Scoring,
    amounts: Mapping[str, float],
    shares: Mapping[str, Mapping[str, float]] | None = None,
) -> list[Candidate]:
    """The ranked proposals of ``scoring`` as candidates, in rank order (``amounts``: euros asked)."""
    return [
        Candidate(
            p.proposal, amounts[p.proposal], p.score, p.passes, dict((shares or {}).get(p.proposal, {}))
        )
        for p in scoring.ranking
    ]


def _threshold_reason(candidate: Candidate, rules: Rules) -> ReviewProblem | None:
    c = candidate
    if rules.min_score is not None and round(c.score, 9) < rules.min_score:
        return problem(
            "below_threshold",
            c.proposal,
            f"{c.proposal} scores {c.score:g}, below the least score {rules.min_score:g}",
            score=c.score,
            threshold=rules.min_score,
        )
    if not c.passes:
        return problem("below_rubric_threshold", c.proposal, f"{c.proposal} failed a threshold of the rubric")
    return None


def _reason(
    candidate: Candidate, rules: Rules, remaining: float, used: Mapping[str, float], *, eps: float = 1e-9
) -> ReviewProblem | None:
    """Why ``candidate`` cannot be added now (None: it can), given the money left and the caps used."""
    c = candidate
    reason = _threshold_reason(c, rules)
    if reason is not None:
        return reason
    if c.amount > rules.budget + eps:
        return problem(
            "over_budget",
            c.proposal,
            f"{c.proposal} asks {c.amount:,.2f}, more than the whole budget {rules.budget:,.2f}",
            amount=c.amount,
            budget=rules.budget,
        )
    if rules.beneficiary_cap is not None:
        for beneficiary, share in sorted(c.shares.items()):
            had = used.get(beneficiary, 0.0)
            if had + share > rules.beneficiary_cap + eps:
                return problem(
                    "cap_reached",
                    c.proposal,
                    f"{beneficiary} would receive {had + share:,.2f}, "
                    f"above the cap {rules.beneficiary_cap:,.2f}",
                    beneficiary=beneficiary,
                    cap=rules.beneficiary_cap,
                    received=had,
                    share=share,
                )
    if c.amount > remaining + eps:
        return problem(
            "budget_exhausted",
            c.proposal,
            f"{c.proposal} asks {c.amount:,.2f}; {remaining:,.2f} is left",
            amount=c.amount,
            remaining=remaining,
        )
    return None


def select_by_rank(
    ranked: Sequence[Candidate], rules: Rules, *, on_overflow: Literal["skip", "stop"] = "skip"
) -> Selection:
    """Fund down the ranked list (see the module's doc)."""
    started = time.perf_counter()
    remaining = rules.budget
    used: dict[str, float] = defaultdict(float, rules.already)
    selected: list[str] = []
    reasons: dict[str, ReviewProblem] = {}
    stopped: str | None = None
    for c in ranked:
        if stopped is not None:
            reasons[c.proposal] = _threshold_reason(c, rules) or problem(
                "budget_exhausted",
                c.proposal,
                f"the selection stopped at {stopped}, which the money left did not cover",
                amount=c.amount,
                remaining=remaining,
                stopped_at=stopped,
            )
            continue
        reason = _reason(c, rules, remaining, used)
        if reason is None:
            selected.append(c.proposal)
            remaining -= c.amount
            for beneficiary, share in c.shares.items():
                used[beneficiary] += share
            continue
        reasons[c.proposal] = reason
        if reason.code == "budget_exhausted" and on_overflow == "stop":
            stopped = c.proposal
    chosen = set(selected)
    return Selection(
        f"rank-{on_overflow}",
        tuple(selected),
        reasons,
        spent=rules.budget - remaining,
        remaining=remaining,
        total_score=math.fsum(c.score for c in ranked if c.proposal in chosen),
        seconds=time.perf_counter() - started,
    )


def _units_up(amount: float, unit: float) -> int:
    return math.ceil(amount / unit - 1e-9)


def _units_down(amount: float, unit: float) -> int:
    return math.floor(amount / unit + 1e-9)


def select_optimal(
    ranked: Sequence[Candidate],
    rules: Rules,
    *,
    objective: Literal["score", "count"] = "score",
    unit: float = 0.01,
    time_limit_s: float = 60.0,
) -> Selection:
    """The selection of the largest total score (or most proposals, then the largest score) under the
    budget and the rules, proven by HiGHS (see the module's doc); ``ranked`` in rank order."""
    started = time.perf_counter()
    if len({c.proposal for c in ranked}) != len(ranked):
        raise ValueError("each proposal may be a candidate once")
    eligible = [c for c in ranked if _threshold_reason(c, rules) is None]
    budget = max(0, _units_down(rules.budget, unit))
    # the objective: scores, or 1 each plus the scores scaled below 1 in total (count first, then score)
    if objective == "score":
        gains = [c.score for c in eligible]
    else:
        total = math.fsum(abs(c.score) for c in eligible) + 1.0
        gains = [1.0 + c.score / total for c in eligible]
    rows: list[tuple[list[int], list[float], float]] = []  # (columns, coefficients, upper)
    rows.append(
        (list(range(len(eligible))), [float(_units_up(c.amount, unit)) for c in eligible], float(budget))
    )
    if rules.beneficiary_cap is not None:
        cap = rules.beneficiary_cap
        by_beneficiary: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, c in enumerate(eligible):
            for beneficiary, share in c.shares.items():
                by_beneficiary[beneficiary].append((i, float(_units_up(share, unit))))
        for beneficiary in sorted(by_beneficiary):
            room = max(0, _units_down(cap - rules.already.get(beneficiary, 0.0), unit))  # may be past it
            cols = [i for i, _ in by_beneficiary[beneficiary]]
            rows.append((cols, [v for _, v in by_beneficiary[beneficiary]], float(room)))
    chosen = _knapsack(gains, rows, time_limit_s)
    take = {eligible[i].proposal for i in chosen.columns}
    selected = [c for c in ranked if c.proposal in take]
    spent = math.fsum(c.amount for c in selected)
    used: dict[str, float] = defaultdict(float, rules.already)
    for c in selected:
        for beneficiary, share in c.shares.items():
            used[beneficiary] += share
    remaining = rules.budget - spent
    reasons: dict[str, ReviewProblem] = {}
    for c in ranked:
        if c.proposal in take:
            continue
        reasons[c.proposal] = _reason(c, rules, remaining, used) or problem(
            "no_gain",
            c.proposal,
            f"{c.proposal} fits, but adding it would not raise the total (score {c.score:g})",
            score=c.score,
        )
    return Selection(
        f"optimal-{objective}",
        tuple(c.proposal for c in selected),
        reasons,
        spent=spent,
        remaining=remaining,
        total_score=math.fsum(c.score for c in selected),
        bound=chosen.bound,
        optimal=chosen.optimal,
        seconds=time.perf_counter() - started,
    )


@dataclass(frozen=True)
class _Chosen:
    columns: list[int]
    bound: float | None
    optimal: bool


def _knapsack(
    gains: Sequence[float], rows: Sequence[tuple[list[int], list[float], float]], time_limit_s: float
) -> _Chosen:
    """max gains.y, each row's coefficients.y <= its upper, y in {0, 1}: HiGHS MIP, no relative gap."""
    n = len(gains)
    if n == 0:
        return _Chosen([], 0.0, True)
    solver = new_highs(time_limit_s)
    solver.setOptionValue("mip_rel_gap", 0.0)
    solver.setOptionValue("mip_abs_gap", 1e-9)
    solver.addCols(
        n,
        -np.asarray(gains, dtype=np.float64),  # HiGHS minimises
        np.zeros(n),
        np.ones(n),
        0,
        np.zeros(0, np.int32),
        np.zeros(0, np.int32),
        np.zeros(0),
    )
    starts = np.cumsum([0] + [len(cols) for cols, _, _ in rows[:-1]]).astype(np.int32)
    index = np.array([i for cols, _, _ in rows for i in cols], dtype=np.int32)
    value = np.array([v for _, values, _ in rows for v in values], dtype=np.float64)
    solver.addRows(
        len(rows),
        np.full(len(rows), -highspy.kHighsInf),
        np.array([upper for _, _, upper in rows]),
        len(index),
        starts,
        index,
        value,
    )
    solver.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.ones(n, dtype=np.uint8))
    solver.run()
    status = solver.getModelStatus()
    info = solver.getInfo()
    if info.primal_solution_status != 2:  # kSolutionStatusFeasible; y = 0 always is, so never seen
        raise RuntimeError(f"the selection solver found nothing ({solver.modelStatusToString(status)})")
    y = np.asarray(solver.getSolution().col_value)
    return _Chosen(
        [i for i in range(n) if y[i] > 0.5],
        -float(info.mip_dual_bound),
        status == highspy.HighsModelStatus.kOptimal,
    )
