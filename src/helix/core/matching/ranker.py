"""The text ranker shared by the product and `helix match rank`: dense + lexical, fused.

Dense: cosine similarity of multilingual sentence embeddings (helix.core.matching.embedding), which
carries meaning across Dutch, French, German and English. Lexical: BM25 over Snowball stems
(helix.core.matching.lexical), which rewards the exact technical words both texts use. The fused score
is ``dense + lexical_weight * bm25 / max_bm25(query)``; lexical scores count only for a query's top
``lexical_candidates`` documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from helix.core.matching.embedding import TextEncoder
from helix.core.matching.lexical import LexicalIndex


@dataclass(frozen=True)
class RankedText:
    query_id: str
    rank: int
    corpus_id: str
    score: float


class DuplicateIdError(ValueError):
    """Two rows of one input share an id."""


class HybridTextRanker:
    def __init__(
        self,
        encoder: TextEncoder,
        *,
        lexical_weight: float = 0.3,
        lexical_candidates: int = 100,
        max_chunk_cells: int = 2**25,
    ) -> None:
        self.encoder = encoder
        self.lexical_weight = lexical_weight
        self.lexical_candidates = lexical_candidates
        self.max_chunk_cells = max_chunk_cells  # queries x corpus scores held at once (128 MB of float32)
        self._ids: list[str] = []
        self._position: dict[str, int] = {}
        self._vectors: npt.NDArray[np.float32] = np.zeros((0, encoder.dim), dtype=np.float32)
        self._lexical: LexicalIndex | None = None

    def fit(self, corpus: Sequence[tuple[str, str]]) -> HybridTextRanker:
        """Index ``corpus`` rows of (id, text)."""
        ids = [doc_id for doc_id, _ in corpus]
        duplicates = [doc_id for doc_id, count in Counter(ids).items() if count > 1]
        if duplicates:
            raise DuplicateIdError(f"corpus id {duplicates[0]!r} occurs more than once")
        self._ids = ids
        self._position = {doc_id: i for i, doc_id in enumerate(ids)}
        self._vectors = self.encoder.encode([text for _, text in corpus], role="passage")
        self._lexical = LexicalIndex(list(corpus)) if self.lexical_weight and corpus else None
        return self

    def scores(self, query_texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Fused scores, shape (len(query_texts), len(corpus))."""
        queries = self.encoder.encode(list(query_texts), role="query")
        fused = (queries @ self._vectors.T).astype(np.float32)
        if self._lexical is not None:
            for row, text in enumerate(query_texts):
                hits = self._lexical.search(text, self.lexical_candidates)
                if not hits:
                    continue
                best = max(score for _, score in hits) or 1.0
                for doc_id, score in hits:
                    fused[row, self._position[doc_id]] += self.lexical_weight * score / best
        return fused

    def rank(self, queries: Sequence[tuple[str, str]], top: int) -> list[RankedText]:
        """The ``top`` corpus rows per query, best first; ties broken by corpus order."""
        out: list[RankedText] = []
        n = len(self._ids)
        if n == 0 or top <= 0:
            return out
        k = min(top, n)
        chunk = max(1, self.max_chunk_cells // n)
        for start in range(0, len(queries), chunk):
            part = queries[start : start + chunk]
            fused = self.scores([text for _, text in part])
            for row, (query_id, _) in enumerate(part):
                scores = fused[row]
                best = np.argpartition(-scores, k - 1)[:k] if k < n else np.arange(n)
                order = best[np.lexsort((best, -scores[best]))]  # by score, ties by corpus order
                out.extend(
                    RankedText(query_id, rank + 1, self._ids[i], round(float(fused[row, i]), 6))
                    for rank, i in enumerate(order)
                )
        return out
