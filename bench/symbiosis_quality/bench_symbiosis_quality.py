"""Receiver ranking quality on the shared MAESTRI exchanges, leave-one-case-out.

For every documented exchange: given the waste (EWC code, description, HS/CPA codes) and its provider
industry, rank the receiving industries (NACE) using only the *other* cases (the whole case is held
out, so a park never teaches itself). HR@k is the share of exchanges whose true receiver is in the
top k; MRR the mean reciprocal rank. Beside it, in the same run, the baseline the issue names: count
the receivers of wastes in the same EWC chapter (about 0.46 HR@10), and plain popularity.

Ratios are to the chapter-count baseline. The ceiling: a receiver that appears in no other case
cannot be ranked by anything learned from the other cases; its share is printed too.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from helix.core.matching.embedding import HashingEncoder, TextEncoder, UniversalSentenceEncoder
from helix.core.symbiosis.exchanges import Exchange, read_exchange_file
from helix.core.symbiosis.receivers import chapter_count_baseline, evaluate_leave_one_case_out, model_ranking
from tests.helpers.shared_data import maestri_exchanges


class Memo:
    """Encode each distinct text once across the folds (the folds share their texts)."""

    def __init__(self, encoder: TextEncoder) -> None:
        self.encoder = encoder
        self.name, self.version, self.dim = encoder.name, encoder.version, encoder.dim
        self.cache: dict[str, npt.NDArray[np.float32]] = {}

    def encode(self, texts: Sequence[str], role: str = "passage") -> npt.NDArray[np.float32]:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            for text, vector in zip(missing, self.encoder.encode(missing), strict=True):
                self.cache[text] = vector
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.cache[t] for t in texts])


def popularity(train: Sequence[Exchange], test: Sequence[Exchange]) -> list[list[str]]:
    order = [r for r, _ in Counter(e.receiver for e in train).most_common()]
    return [order for _ in test]


def run(quick: bool = False) -> dict[str, Any]:
    path = maestri_exchanges()
    if path is None:
        print("skipped: ../shared/data/symbiosis/maestri_exchanges_public.csv not found")
        return {"skipped": "shared MAESTRI file not found"}
    exchanges = read_exchange_file(str(path))
    cases = {e.case for e in exchanges}
    reachable = sum(
        1 for e in exchanges if any(o.receiver == e.receiver and o.case != e.case for o in exchanges)
    ) / len(exchanges)
    print(
        f"{len(exchanges)} exchanges in {len(cases)} cases; receivers seen in another case: {reachable:.1%}"
    )
    methods: list[tuple[str, Any]] = [
        ("EWC-chapter count (baseline)", chapter_count_baseline),
        ("popularity", popularity),
        ("learned, no text encoder", model_ranking(None)),
        ("learned + hashing encoder", model_ranking(Memo(HashingEncoder()))),
    ]
    if not quick:
        methods.append(("learned + USE multilingual", model_ranking(Memo(UniversalSentenceEncoder()))))
    results: dict[str, Any] = {"exchanges": len(exchanges), "cases": len(cases), "reachable": reachable}
    heads = " ".join(f"{h:>6s}" for h in ("HR@1", "HR@5", "HR@10", "MRR"))
    print(f"{'method':32s} {heads} {'x HR@10':>8s} {'x MRR':>6s} {'s':>5s}")
    base: dict[str, float] = {}
    for name, rank in methods:
        started = time.perf_counter()
        r = evaluate_leave_one_case_out(exchanges, rank)
        seconds = time.perf_counter() - started
        base = base or r
        print(
            f"{name:32s} {r['hr@1']:6.3f} {r['hr@5']:6.3f} {r['hr@10']:6.3f} {r['mrr']:6.3f} "
            f"{r['hr@10'] / base['hr@10']:8.2f} {r['mrr'] / base['mrr']:6.2f} {seconds:5.1f}"
        )
        results[name] = {**r, "seconds": round(seconds, 1)}
    return results
