"""The matchmaking engine: which offers answer a need, which needs an offer answers, who should meet whom.

The engine holds the published needs and offers (plain :class:`~helix.core.matching.fit.Listing` data)
with one embedding each, in two sides. Asked for the counterparts of a listing, it

1. gathers candidates from the other side: the nearest vectors (exact or approximate index, see
   helix.core.matching.vector_index) and the best BM25 hits, keeping only those the viewer may see and
   that the asking organisation does not own;
2. scores each candidate: ``text = cosine + lexical_weight * lexical`` with the language-fair lexical
   part of helix.core.matching.ranker.fuse (the HybridTextRanker's formula), and the structured
   factors of helix.core.matching.fit, combined with :class:`~helix.core.matching.weights.Weights`;
3. explains the best: the words both texts share (by stem, across languages), shared domains and
   keywords, and the factors that counted most.

Matching is reciprocal: a need's offers and an offer's needs are scored by the same pair function. The
dense and structured parts of a pair are the same whichever side asks; the lexical part is normalised
per asking listing, so the two directions differ by at most ``lexical_weight`` times the text weight.
Everything is deterministic for equal inputs: ties are broken by listing key.
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from helix.core.matching.embedding import TextEncoder
from helix.core.matching.fit import FACTORS, Factor, Listing, Side, Viewer, can_see, structured_factors
from helix.core.matching.language import detect_language
from helix.core.matching.lexical import LexicalIndex
from helix.core.matching.ranker import DEFAULT_LEXICAL_WEIGHT, fuse
from helix.core.matching.vector_index import VectorIndex, build_index
from helix.core.matching.weights import Weights

# Every structured factor's value lies in [0, 1] (tests/core/matching check it over random pairs): what
# bounds how far the factors can lift a candidate above its text score.
FACTOR_MAX = 1.0
SCORE_MARGIN = 1e-5  # scores are rounded to 6 decimals

FACTOR_LABELS = {
    "text": "similar text",
    "domain": "domain",
    "sector": "sector",
    "trl": "readiness (TRL)",
    "distance": "distance",
    "kind": "kind of organisation",
    "category": "what is asked and offered",
    "keywords": "keywords",
    "budget": "budget",
}


@dataclass(frozen=True)
class Match:
    query: int  # key of the listing that asked
    candidate: int  # key of the suggested listing
    need: int
    offer: int
    score: float
    dense: float  # cosine of the two embeddings
    lexical: float  # language-fair lexical part, 0..1 (helix.core.matching.ranker.fuse)
    text: float
    factors: tuple[Factor, ...]
    terms: tuple[str, ...]  # words of the candidate whose stems the query shares

    @property
    def features(self) -> dict[str, float]:
        return {"text": self.text, **{f.name: f.value for f in self.factors}}

    def contributions(self, weights: Weights) -> list[tuple[str, float, str]]:
        """(feature, weighted contribution, detail), largest first: what made this score."""
        rows = [("text", weights.get("text") * self.text, self.text_detail)]
        rows += [(f.name, weights.get(f.name) * f.value, f.detail) for f in self.factors]
        return sorted(rows, key=lambda row: -row[1])

    @property
    def text_detail(self) -> str:
        words = ", ".join(self.terms[:8])
        meaning = f"meaning similarity {self.dense:.2f}"
        return f"{meaning}; shared words: {words}" if words else meaning


@dataclass(frozen=True)
class OrganisationMatch:
    organisation: int
    score: float
    matches: tuple[Match, ...]  # the best listing pairs behind it, best first


class UnknownListing(KeyError):
    """No listing with that key is indexed."""


class _Side:
    """The listings of one side with their vectors, a vector index and a lazily rebuilt BM25 index."""

    def __init__(self, dim: int, index_factory: Callable[..., VectorIndex]) -> None:
        self.dim = dim
        self.listings: dict[int, Listing] = {}
        self.vectors: dict[int, npt.NDArray[np.float32]] = {}
        self.index_factory = index_factory
        self.index: VectorIndex = index_factory(
            np.zeros(0, dtype=np.int64), np.zeros((0, dim), dtype=np.float32), dim=dim
        )
        self._lexical: LexicalIndex | None = None

    def load(
        self,
        listings: Sequence[Listing],
        vectors: npt.NDArray[np.float32],
        prebuilt: VectorIndex | None = None,
    ) -> None:
        keys = np.array([listing.key for listing in listings], dtype=np.int64)
        self.listings = {listing.key: listing for listing in listings}
        self.vectors = {listing.key: vectors[row] for row, listing in enumerate(listings)}
        self._lexical = None
        if prebuilt is None or prebuilt.dim != self.dim:
            self.index = self.index_factory(
                keys, np.ascontiguousarray(vectors, dtype=np.float32), dim=self.dim
            )
            return
        # A saved index: drop what is gone, add what is new or whose vector changed.
        saved_keys, saved_vectors = prebuilt.vectors()
        position = {int(key): row for row, key in enumerate(saved_keys)}
        gone = np.array([key for key in position if key not in self.listings], dtype=np.int64)
        if gone.size:
            prebuilt.remove(gone)
        changed = [
            row
            for row, listing in enumerate(listings)
            if listing.key not in position
            or not np.array_equal(saved_vectors[position[listing.key]], vectors[row])
        ]
        if changed:
            prebuilt.add(keys[changed], np.ascontiguousarray(vectors[changed], dtype=np.float32))
        self.index = prebuilt

    def upsert(self, listing: Listing, vector: npt.NDArray[np.float32]) -> None:
        self.listings[listing.key] = listing
        self.vectors[listing.key] = vector
        self.index.add(np.array([listing.key], dtype=np.int64), vector[None, :])
        self._lexical = None

    def remove(self, key: int) -> None:
        if self.listings.pop(key, None) is not None:
            self.vectors.pop(key, None)
            self.index.remove(np.array([key], dtype=np.int64))
            self._lexical = None

    @property
    def lexical(self) -> LexicalIndex:
        lexical = self._lexical
        if lexical is None:
            lexical = LexicalIndex((str(key), listing.text) for key, listing in sorted(self.listings.items()))
            self._lexical = lexical
        return lexical


class MatchEngine:
    def __init__(
        self,
        encoder: TextEncoder,
        *,
        weights: Weights | None = None,
        lexical_weight: float = DEFAULT_LEXICAL_WEIGHT,
        dense_candidates: int = 200,
        lexical_candidates: int = 100,
        index_factory: Callable[..., VectorIndex] = build_index,
    ) -> None:
        self.encoder = encoder
        self.weights = weights or Weights()
        self.lexical_weight = lexical_weight
        self.dense_candidates = dense_candidates
        self.lexical_candidates = lexical_candidates
        self._sides: dict[Side, _Side] = {
            "need": _Side(encoder.dim, index_factory),
            "offer": _Side(encoder.dim, index_factory),
        }
        self._lock = threading.RLock()

    # -- contents ---------------------------------------------------------------------------------

    def load(
        self,
        listings: Sequence[Listing],
        vectors: npt.NDArray[np.float32] | None = None,
        prebuilt: Mapping[Side, VectorIndex] | None = None,
    ) -> None:
        """Replace the contents; ``vectors`` row i belongs to ``listings[i]`` (encoded when None).

        ``prebuilt``: vector indexes saved earlier (:meth:`save_indexes`) to start from instead of
        building; they are brought in line with ``listings`` (stale keys removed, new or changed added).
        """
        if vectors is None:
            vectors = self.encode(listings)
        if vectors.shape != (len(listings), self.encoder.dim):
            raise ValueError(
                f"vectors have shape {vectors.shape}, expected {(len(listings), self.encoder.dim)}"
            )
        with self._lock:
            for side_name, side in self._sides.items():
                rows = [i for i, listing in enumerate(listings) if listing.side == side_name]
                side.load([listings[i] for i in rows], vectors[rows], (prebuilt or {}).get(side_name))

    def encode(self, listings: Sequence[Listing]) -> npt.NDArray[np.float32]:
        return self.encoder.encode([listing.text for listing in listings], role="passage")

    def upsert(self, listing: Listing, vector: npt.NDArray[np.float32] | None = None) -> None:
        """Add or replace one listing (a listing that changed side is moved)."""
        if vector is None:
            vector = self.encode([listing])[0]
        with self._lock:
            for side_name, side in self._sides.items():
                if side_name != listing.side:
                    side.remove(listing.key)
            self._sides[listing.side].upsert(listing, vector)

    def remove(self, key: int) -> None:
        with self._lock:
            for side in self._sides.values():
                side.remove(key)

    def __len__(self) -> int:
        return sum(len(side.listings) for side in self._sides.values())

    def keys(self) -> set[int]:
        with self._lock:
            return {key for side in self._sides.values() for key in side.listings}

    def __contains__(self, key: object) -> bool:
        return any(key in side.listings for side in self._sides.values())

    def get(self, key: int) -> Listing:
        for side in self._sides.values():
            if key in side.listings:
                return side.listings[key]
        raise UnknownListing(key)

    def index_kind(self, side: Side) -> str:
        return self._sides[side].index.kind

    def save_indexes(self, directory: Path) -> None:
        """Write each side's vector index under ``directory/need`` and ``directory/offer`` (atomically)."""
        with self._lock:
            for side_name, side in self._sides.items():
                side.index.save(directory / side_name)

    # -- matching ---------------------------------------------------------------------------------

    def _query_vector(self, query: Listing) -> npt.NDArray[np.float32]:
        side = self._sides[query.side]
        stored = side.vectors.get(query.key)
        if stored is not None and side.listings.get(query.key) == query:
            return stored
        vector: npt.NDArray[np.float32] = self.encoder.encode([query.text], role="query")[0]
        return vector

    def matches(
        self,
        query: Listing,
        viewer: Viewer,
        *,
        limit: int = 10,
        vector: npt.NDArray[np.float32] | None = None,
    ) -> list[Match]:
        """The ``limit`` best listings of the other side for ``query``, as ``viewer`` may see them.

        ``query`` need not be indexed (a draft, or a listing just edited): its vector is computed when
        not given. Listings owned by the query's owner are never suggested.
        """
        if limit <= 0:
            return []
        with self._lock:
            scored = self._scored(query, viewer, limit, vector, best=limit)
            side = self._sides["offer" if query.side == "need" else "need"]
            return [self._with_terms(match, query, side) for match in scored[:limit]]

    def _scored(
        self,
        query: Listing,
        viewer: Viewer,
        wanted: int,
        vector: npt.NDArray[np.float32] | None = None,
        also: int | None = None,
        best: int | None = None,
    ) -> list[Match]:
        """Every candidate of ``query`` scored, best first: the densest ``max(wanted, dense_candidates)``
        and the best BM25 hits the viewer may see (and ``also``, a key scored whatever its rank).

        ``best``: only the ``best`` first are needed. Candidates are then scored in falling text score
        and the scoring stops when no candidate left can reach them: the structured factors add at most
        the sum of their weights (each factor's value is at most 1), so a candidate whose text score
        plus that sum stays below the ``best``-th score found cannot enter. The first ``best`` are the
        same as with every candidate scored (tests/core/matching check it); the rest is not returned."""
        side = self._sides["offer" if query.side == "need" else "need"]
        if not side.listings:
            return []
        qv = self._query_vector(query) if vector is None else vector

        def allowed(listing: Listing) -> bool:
            return listing.owner != query.owner and can_see(listing, viewer)

        candidates = self._dense_candidates(side, qv, allowed, max(wanted, self.dense_candidates))
        language = detect_language(query.text)
        lexical_hits = side.lexical.search(query.text, self.lexical_candidates, language=language)
        bm25_of = {int(doc_id): score for doc_id, score in lexical_hits}
        for key in [*bm25_of, *([also] if also is not None else [])]:
            if key not in candidates and key in side.listings and allowed(side.listings[key]):
                candidates.add(key)
        keys = sorted(candidates)
        if not keys:
            return []
        matrix = np.stack([side.vectors[key] for key in keys])
        dense = (matrix @ qv).astype(np.float32)
        bm25 = np.array([bm25_of.get(key, 0.0) for key in keys], dtype=np.float32)
        same = np.array([side.lexical.language_of(str(key)) == language for key in keys], dtype=bool)
        lexical = fuse(dense, bm25, same)
        if best is None or best >= len(keys) or self.weights.get("text") < 0:
            scored = [
                self._pair(query, side.listings[key], float(dense[i]), float(lexical[i]))
                for i, key in enumerate(keys)
            ]
        else:
            scored = self._best_scored(query, side, keys, dense, lexical, best)
        scored.sort(key=lambda m: (-m.score, m.candidate))
        return scored

    def _best_scored(
        self,
        query: Listing,
        side: _Side,
        keys: list[int],
        dense: npt.NDArray[np.float32],
        lexical: npt.NDArray[np.float32],
        best: int,
    ) -> list[Match]:
        """At least the ``best`` best of ``keys`` scored (see ``_scored``), others left out when they
        cannot reach them."""
        text_weight = max(0.0, self.weights.get("text"))
        reach = sum(max(0.0, self.weights.get(name)) for name in FACTORS) * FACTOR_MAX
        text = dense.astype(np.float64) + self.lexical_weight * lexical.astype(np.float64)
        order = np.lexsort((np.asarray(keys), -text))  # falling text score, then key
        scored: list[Match] = []
        kept: list[float] = []  # the scores found, as a min-heap of the best ``best``
        for i in order:
            if len(kept) >= best and text_weight * float(text[i]) + reach + SCORE_MARGIN < kept[0]:
                break  # text falls from here on: nobody left can reach the best ``best``
            match = self._pair(query, side.listings[keys[i]], float(dense[i]), float(lexical[i]))
            scored.append(match)
            if len(kept) < best:
                heapq.heappush(kept, match.score)
            elif match.score > kept[0]:
                heapq.heapreplace(kept, match.score)
        return scored

    def _dense_candidates(
        self,
        side: _Side,
        qv: npt.NDArray[np.float32],
        allowed: Callable[[Listing], bool],
        wanted: int,
    ) -> set[int]:
        k = min(wanted, len(side.listings))
        while True:
            keys, _ = side.index.search(qv[None, :].astype(np.float32), k)
            found = [int(key) for key in keys[0] if key >= 0]
            chosen = {key for key in found if key in side.listings and allowed(side.listings[key])}
            if len(chosen) >= min(wanted, len(side.listings)) or k >= len(side.listings) or len(found) < k:
                return chosen
            k = min(len(side.listings), k * 4)

    def _pair(self, query: Listing, candidate: Listing, dense: float, lexical: float) -> Match:
        need, offer = (query, candidate) if query.side == "need" else (candidate, query)
        text = dense + self.lexical_weight * lexical
        factors = structured_factors(need, offer)
        features = {"text": text, **{f.name: f.value for f in factors}}
        return Match(
            query=query.key,
            candidate=candidate.key,
            need=need.key,
            offer=offer.key,
            score=round(self.weights.score(features), 6),
            dense=round(dense, 6),
            lexical=round(lexical, 6),
            text=round(text, 6),
            factors=factors,
            terms=(),
        )

    def _with_terms(self, match: Match, query: Listing, side: _Side) -> Match:
        terms = tuple(side.lexical.shared_terms(query.text, str(match.candidate)))
        return Match(**{**match.__dict__, "terms": terms})

    def pair(self, need_key: int, offer_key: int) -> Match:
        """Score and explain one stored (need, offer) pair, as the need sees it."""
        with self._lock:
            need = self._sides["need"].listings.get(need_key)
            if need is None:
                raise UnknownListing(need_key)
            if offer_key not in self._sides["offer"].listings:
                raise UnknownListing(offer_key)
            # Scored among the need's own candidates (as on its page), with this offer added to them.
            for match in self._scored(need, Viewer(is_superuser=True), 1, also=offer_key):
                if match.offer == offer_key:
                    return self._with_terms(match, need, self._sides["offer"])
            raise UnknownListing(offer_key)  # the offer belongs to the need's own organisation

    def organisation_matches(
        self, queries: Iterable[Listing], viewer: Viewer, *, limit: int = 10, per_listing: int = 20
    ) -> list[OrganisationMatch]:
        """Organisations whose listings best complement ``queries`` (an organisation's own needs and
        offers, or a profile standing in for them), best first; the queries' owners are left out."""
        queries = list(queries)
        owners = {query.owner for query in queries}
        grouped: dict[int, list[Match]] = {}
        for query in queries:
            for match in self.matches(query, viewer, limit=per_listing):
                owner = self.get(match.candidate).owner
                if owner not in owners:
                    grouped.setdefault(owner, []).append(match)
        ranked = [
            OrganisationMatch(owner, found[0].score, tuple(found[:3]))
            for owner, found in (
                (o, sorted(ms, key=lambda m: (-m.score, m.candidate))) for o, ms in grouped.items()
            )
        ]
        ranked.sort(key=lambda om: (-om.score, om.organisation))
        return ranked[:limit]

    def pairs(
        self, need_keys: Iterable[int], viewer: Viewer, *, per_need: int = 5, min_score: float | None = None
    ) -> list[Match]:
        """Who should meet whom: the best offers for each of ``need_keys``, best pairs first."""
        found: list[Match] = []
        for key in need_keys:
            need = self._sides["need"].listings.get(key)
            if need is None:
                continue
            found.extend(
                m
                for m in self.matches(need, viewer, limit=per_need)
                if min_score is None or m.score >= min_score
            )
        found.sort(key=lambda m: (-m.score, m.need, m.offer))
        return found
