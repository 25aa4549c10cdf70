"""How well a ranking finds hidden partners: hit rate at k, mean reciprocal rank, bootstrap intervals.

:func:`evaluate` asks a scorer each :class:`~.splits.Case` and notes where the hidden member lands
among all the organisations the scorer knows. Ties count by their expectation (a hidden member tied
with t others at the cut is a hit with the share of those orders that keep it inside), so a baseline
with many equal scores is neither helped nor hurt by an arbitrary order. A hidden member the scorer
never saw cannot be found by any method learned from the same rows: it counts as a miss, and the
figures restricted to the findable cases are given too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .participations import BoolArray, FloatArray
from .recommend import Scorer
from .splits import Case

Progress = Callable[[int, int, str], None]
KS = (10, 50)


@dataclass(frozen=True)
class Figure:
    value: float
    low: float
    high: float


@dataclass(frozen=True)
class Evaluation:
    """Per case: the expected hit at each k, the expected reciprocal rank, whether it was findable."""

    hits: dict[int, FloatArray]
    reciprocal_rank: FloatArray
    findable: BoolArray
    seconds_per_query: float

    def metrics(self) -> dict[str, FloatArray]:
        out = {f"hr@{k}": v for k, v in self.hits.items()}
        out["mrr"] = self.reciprocal_rank
        return out


def position(scores: FloatArray, target: int) -> tuple[int, int]:
    """How many scores are above the target's, and how many equal it (the target included)."""
    value = scores[target]
    return int(np.sum(scores > value)), int(np.sum(scores == value))


def expected_reciprocal_rank(higher: int, tied: int) -> float:
    """The mean of 1/rank over the ``tied`` ranks after the ``higher`` ones."""
    return float(np.mean(1.0 / np.arange(higher + 1, higher + tied + 1)))


def expected_hit(higher: int, tied: int, k: int) -> float:
    """The share of the tied places that fall inside the top ``k``."""
    return min(max(k - higher, 0), tied) / tied


def evaluate(
    scorer: Scorer, cases: Sequence[Case], ks: Sequence[int] = KS, progress: Progress | None = None
) -> Evaluation:
    hits = {k: np.zeros(len(cases)) for k in ks}
    rr = np.zeros(len(cases))
    findable = np.zeros(len(cases), dtype=bool)
    started = time.perf_counter()
    for i, case in enumerate(cases):
        target = scorer.graph.index.get(case.hidden)
        if target is not None:
            findable[i] = True
            higher, tied = position(scorer.scores(case.query), target)
            rr[i] = expected_reciprocal_rank(higher, tied)
            for k in ks:
                hits[k][i] = expected_hit(higher, tied, k)
        if progress is not None:
            progress(i + 1, len(cases), "evaluating")
    seconds = (time.perf_counter() - started) / max(int(findable.sum()), 1)
    return Evaluation(hits, rr, findable, seconds)


def bootstrap_ci(values: FloatArray, reps: int = 1000, seed: int = 0, level: float = 0.95) -> Figure:
    """The mean of ``values`` with a percentile bootstrap interval (cases resampled with replacement)."""
    values = np.asarray(values, dtype=np.float64)
    if len(values) == 0:
        return Figure(float("nan"), float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), size=(reps, len(values)))].mean(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    mean = float(values.mean())
    return Figure(mean, min(float(low), mean), max(float(high), mean))


def bootstrap_ratio(
    values: FloatArray, base: FloatArray, reps: int = 1000, seed: int = 0, level: float = 0.95
) -> Figure:
    """mean(values) / mean(base) over the same cases, with a paired percentile bootstrap interval."""
    values = np.asarray(values, dtype=np.float64)
    base = np.asarray(base, dtype=np.float64)
    if len(values) != len(base) or len(values) == 0 or base.sum() == 0:
        return Figure(float("nan"), float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(values), size=(reps, len(values)))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = values[draws].mean(axis=1) / base[draws].mean(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.nanpercentile(ratios, [tail, 100 - tail])
    ratio = float(values.mean() / base.mean())
    return Figure(ratio, min(float(low), ratio), max(float(high), ratio))


def summarise(
    evaluation: Evaluation, reps: int = 1000, seed: int = 0, findable_only: bool = False
) -> dict[str, Figure]:
    """Each metric's mean with its bootstrap interval; over the findable cases only, if asked."""
    keep = evaluation.findable if findable_only else np.ones(len(evaluation.findable), dtype=bool)
    return {name: bootstrap_ci(values[keep], reps, seed) for name, values in evaluation.metrics().items()}
