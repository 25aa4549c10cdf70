"""Unit: per-query calibration and weighted fusion of the text ranker's channels."""

import numpy as np
import pytest

from helix.core.matching.fusion import (
    CHANNELS,
    FUSED,
    FUSED_WITHOUT_E5,
    FusionWeights,
    fuse_channels,
    reciprocal_rank_fusion,
    standardise,
)

pytestmark = pytest.mark.unit


def test_standardise_gives_per_row_z_scores_and_zero_for_flat_rows():
    z = standardise(np.array([[1.0, 2.0, 3.0], [5.0, 5.0, 5.0]]))
    assert z.dtype == np.float32
    assert z[0] == pytest.approx([-1.2247449, 0.0, 1.2247449])
    assert z[1].tolist() == [0.0, 0.0, 0.0]


def test_standardise_wants_a_matrix():
    with pytest.raises(ValueError, match="matrix"):
        standardise(np.zeros(3))


def test_fusion_is_the_weighted_sum_of_z_scores_whatever_the_raw_scale():
    use = np.array([[0.30, 0.50, 0.40]])
    e5 = np.array([[0.81, 0.80, 0.83]])  # a narrow band: z-scores put it on USE's footing
    fused = fuse_channels({"use": use, "e5": e5}, FusionWeights(use=1.0, e5=0.5))
    assert fused == pytest.approx(standardise(use) + 0.5 * standardise(e5))
    assert fused == pytest.approx(
        fuse_channels({"use": use * 10 + 3, "e5": e5}, FusionWeights(use=1.0, e5=0.5))
    )


def test_channels_with_weight_zero_are_not_needed():
    use = np.array([[0.1, 0.9]])
    assert fuse_channels({"use": use}, FusionWeights(use=1.0)) == pytest.approx(standardise(use))


def test_missing_channel_and_no_weight_are_errors():
    with pytest.raises(KeyError, match="char"):
        fuse_channels({"use": np.zeros((1, 2))}, FusionWeights(use=1.0, char=0.1))
    with pytest.raises(ValueError, match="no channel"):
        fuse_channels({"use": np.zeros((1, 2))}, FusionWeights())


def test_weights_are_not_negative_and_name_known_channels():
    with pytest.raises(ValueError, match="char"):
        FusionWeights(char=-0.1)
    with pytest.raises(KeyError):
        FusionWeights().of("cosine")
    assert FusionWeights(use=1.0, glossary=0.2).active() == ("use", "glossary")


def test_chosen_weights_use_every_kind_of_channel():
    assert FUSED.active() == ("use", "e5", "char", "glossary")
    assert FUSED_WITHOUT_E5.e5 == 0.0
    assert set(FUSED.active()) <= set(CHANNELS)


def test_reciprocal_rank_fusion_sums_weight_over_k_plus_rank():
    scores = {"use": np.array([[0.9, 0.1, 0.5]]), "char": np.array([[0.0, 1.0, 0.5]])}
    fused = reciprocal_rank_fusion(scores, FusionWeights(use=1.0, char=0.5), k=1)
    assert fused[0] == pytest.approx([1 / 2 + 0.5 / 4, 1 / 4 + 0.5 / 2, 1 / 3 + 0.5 / 3])
