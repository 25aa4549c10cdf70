"""Sample weights in the weight learner: a sample of weight 2 counts as two, in fitting and in scoring."""

from __future__ import annotations

import random

import pytest

from helix.core.matching.weights import FEATURES, Sample, Weights, learn_weights, ranking_accuracy

pytestmark = pytest.mark.unit


def _samples(n: int, seed: int = 3) -> list[Sample]:
    """Verdicts driven by the domain: pairs of one domain went well."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        features = {f: rng.random() for f in FEATURES}
        good = features["domain"] + 0.2 * rng.random() > 0.6
        out.append(Sample(features, "outcome_positive" if good else "outcome_negative"))
    return out


def test_a_sample_of_weight_two_counts_as_the_same_sample_twice() -> None:
    samples = _samples(120)
    doubled = [Sample(s.features, s.verdict, 2.0) if i % 3 == 0 else s for i, s in enumerate(samples)]
    repeated = samples + [s for i, s in enumerate(samples) if i % 3 == 0]

    weighted = learn_weights(doubled)
    copied = learn_weights(repeated)

    assert weighted.values == pytest.approx(copied.values, abs=1e-5)
    assert weighted.trained_on == 120
    assert ranking_accuracy(doubled, weighted) == pytest.approx(ranking_accuracy(repeated, weighted))


def test_heavier_samples_pull_the_weights_further() -> None:
    samples = _samples(200)
    light = learn_weights(samples)
    heavy = learn_weights([Sample(s.features, s.verdict, 3.0) for s in samples])
    # the same evidence, three times the weight: the pull towards the prior is relatively weaker
    assert heavy.get("domain") > light.get("domain") > Weights().get("domain")


def test_ranking_accuracy_counts_each_pair_by_its_two_weights() -> None:
    weights = Weights({"text": 1.0})
    good = Sample({"text": 0.5}, "outcome_positive", 3.0)
    above = Sample({"text": 0.9}, "not_relevant", 1.0)  # ordered wrong: weight 3 x 1
    below = Sample({"text": 0.1}, "outcome_negative", 3.0)  # ordered right: weight 3 x 3
    assert ranking_accuracy([good, above, below], weights) == 0.75
    unweighted = [Sample(s.features, s.verdict) for s in (good, above, below)]
    assert ranking_accuracy(unweighted, weights) == 0.5


@pytest.mark.parametrize("weight", [0.0, -1.0, float("nan"), float("inf")])
def test_a_sample_weight_must_be_positive_and_finite(weight: float) -> None:
    with pytest.raises(ValueError, match="weight must be positive"):
        Sample({"text": 0.5}, "relevant", weight)
