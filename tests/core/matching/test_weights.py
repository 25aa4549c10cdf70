"""Learning ranker weights from verdicts."""

from __future__ import annotations

import random

import pytest

from helix.core.matching.weights import (
    DEFAULT_WEIGHTS,
    FEATURES,
    MIN_PER_CLASS,
    Sample,
    Weights,
    learn_weights,
    ranking_accuracy,
)

pytestmark = pytest.mark.unit


def _samples(n: int, seed: int = 1) -> list[Sample]:
    """Verdicts driven by distance, not by domain: people here care about being near."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        features = {f: rng.random() for f in FEATURES}
        features["text"] = 0.5 + 0.1 * rng.random()
        good = features["distance"] + 0.1 * rng.random() > 0.55
        out.append(Sample(features, "meeting_held" if good else "not_relevant"))
    return out


def test_too_few_verdicts_keep_the_prior() -> None:
    samples = _samples(2 * MIN_PER_CLASS)[: MIN_PER_CLASS - 1]
    learned = learn_weights(samples)
    assert dict(learned.values) == dict(DEFAULT_WEIGHTS)
    assert learned.note.startswith("kept")


def test_learning_raises_the_factor_people_reward_and_improves_ordering() -> None:
    samples = _samples(400)
    prior = Weights()
    learned = learn_weights(samples, prior)
    assert learned.trained_on == 400
    assert learned.get("distance") > prior.get("distance")
    assert all(value >= 0 for value in learned.values.values())
    before = ranking_accuracy(samples, prior)
    after = ranking_accuracy(samples, learned)
    assert before is not None
    assert after is not None
    assert after > before
    assert after > 0.9


def test_learning_is_deterministic_and_ignores_unlabelled_verdicts() -> None:
    samples = _samples(200)
    extra = [Sample({"text": 1.0}, "unknown-verdict")]
    assert learn_weights(samples).values == learn_weights(samples + extra).values


def test_unknown_feature_in_weights_is_refused() -> None:
    with pytest.raises(ValueError, match="colour"):
        Weights({"colour": 1.0})
