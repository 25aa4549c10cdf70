"""How much each factor counts, and learning that from people's feedback on suggestions.

A suggestion's score is ``sum(weight[f] * value[f])`` over the features ``text`` (dense + lexical text
similarity) and the structured factors of helix.core.matching.fit. The default weights let text lead
and the factors reorder near-ties.

Feedback (relevant, contacted, meeting held, agreement: positive; not relevant: negative) and what
became of acted-on pairs (helix.core.matching.outcomes: graded positive or negative, with a sample
weight) are turned into new weights by L2-regularised logistic regression on the feature values recorded
with each sample, each sample counting by its weight (1.0 for a verdict), pulled towards the current
weights so a few samples nudge rather than overturn them. Weights stay non-negative: a factor may stop
counting, never count against its own fit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from helix.core.matching.fit import FACTORS

FEATURES: tuple[str, ...] = ("text", *FACTORS)

DEFAULT_WEIGHTS: Mapping[str, float] = {
    "text": 1.0,
    "domain": 0.12,
    "sector": 0.04,
    "trl": 0.08,
    "distance": 0.04,
    "kind": 0.08,
    "category": 0.08,
    "keywords": 0.1,
    "budget": 0.04,
}

# The labels of graded outcomes (helix.core.matching.outcomes), learned from like verdicts.
OUTCOME_POSITIVE = "outcome_positive"
OUTCOME_NEGATIVE = "outcome_negative"
POSITIVE_VERDICTS = frozenset({"relevant", "contacted", "meeting_held", "agreement", OUTCOME_POSITIVE})
NEGATIVE_VERDICTS = frozenset({"not_relevant", OUTCOME_NEGATIVE})
MIN_PER_CLASS = 10


@dataclass(frozen=True)
class Weights:
    values: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    trained_on: int = 0  # verdicts used; 0 for the defaults
    note: str = "default weights"

    def __post_init__(self) -> None:
        unknown = set(self.values) - set(FEATURES)
        if unknown:
            raise ValueError(f"unknown feature(s) in weights: {', '.join(sorted(unknown))}")

    def get(self, feature: str) -> float:
        return float(self.values.get(feature, 0.0))

    def vector(self) -> np.ndarray:
        return np.array([self.get(f) for f in FEATURES], dtype=np.float64)

    def score(self, features: Mapping[str, float]) -> float:
        return float(sum(self.get(name) * value for name, value in features.items()))


@dataclass(frozen=True)
class Sample:
    """A pair's feature values with its verdict (or outcome label) and how much it counts."""

    features: Mapping[str, float]
    verdict: str
    weight: float = 1.0

    def __post_init__(self) -> None:
        if not (self.weight > 0 and np.isfinite(self.weight)):
            raise ValueError(f"a sample's weight must be positive, got {self.weight}")


def learn_weights(
    samples: Sequence[Sample],
    prior: Weights | None = None,
    *,
    strength: float = 1.0,
    iterations: int = 500,
    learning_rate: float = 0.5,
) -> Weights:
    """Weights fitted to ``samples``, or ``prior`` unchanged (with a note why) when too few.

    Minimises the sample-weighted mean logistic loss of ``w . x + b`` plus a
    ``strength * |w - prior|^2 / n``-style pull towards the prior (``n`` the samples' total weight, so the
    pull weakens as evidence accumulates), by projected gradient descent keeping weights >= 0. Enough
    means ``MIN_PER_CLASS`` samples of each label, whatever their weights. With every weight 1.0 this is
    the unweighted fit. Deterministic: no randomness.
    """
    prior = prior or Weights()
    labelled = [
        (s, 1.0 if s.verdict in POSITIVE_VERDICTS else 0.0)
        for s in samples
        if s.verdict in POSITIVE_VERDICTS or s.verdict in NEGATIVE_VERDICTS
    ]
    positives = sum(1 for _, y in labelled if y)
    negatives = len(labelled) - positives
    if positives < MIN_PER_CLASS or negatives < MIN_PER_CLASS:
        return Weights(
            prior.values,
            prior.trained_on,
            f"kept: {positives} positive and {negatives} negative verdicts, {MIN_PER_CLASS} of each needed",
        )
    x = np.array([[s.features.get(f, 0.5) for f in FEATURES] for s, _ in labelled], dtype=np.float64)
    y = np.array([label for _, label in labelled], dtype=np.float64)
    sw = np.array([s.weight for s, _ in labelled], dtype=np.float64)
    total = float(sw.sum())
    mean = (sw[:, None] * x).sum(axis=0) / total
    w0 = prior.vector()
    # Work on centred features, so the intercept absorbs the base rate and w keeps the prior's scale.
    xc = x - mean
    w = w0.copy()
    positive_weight = float(sw[y == 1.0].sum())
    b = float(np.log((positive_weight + 0.5) / (total - positive_weight + 0.5)))
    pull = strength / total * 10.0
    for _ in range(iterations):
        z = xc @ w + b
        p = 1.0 / (1.0 + np.exp(-z))
        error = sw * (p - y)
        grad_w = xc.T @ error / total + pull * (w - w0)
        grad_b = float(error.sum() / total)
        w = np.maximum(0.0, w - learning_rate * grad_w)
        b -= learning_rate * grad_b
    values = {f: round(float(v), 6) for f, v in zip(FEATURES, w, strict=True)}
    return Weights(values, len(y), f"learned from {positives} positive and {negatives} negative verdicts")


def ranking_accuracy(samples: Sequence[Sample], weights: Weights) -> float | None:
    """Share of (positive, negative) sample pairs that ``weights`` orders correctly (ROC AUC), each
    pair counting by the product of its two samples' weights (plain AUC when every weight is 1.0)."""
    pos = [s for s in samples if s.verdict in POSITIVE_VERDICTS]
    neg = [s for s in samples if s.verdict in NEGATIVE_VERDICTS]
    if not pos or not neg:
        return None
    p = np.array([weights.score(s.features) for s in pos])[:, None]
    n = np.array([weights.score(s.features) for s in neg])[None, :]
    both = np.array([s.weight for s in pos])[:, None] * np.array([s.weight for s in neg])[None, :]
    right = (both * (p > n)).sum() + 0.5 * (both * (p == n)).sum()
    return float(right / both.sum())
