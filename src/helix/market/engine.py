"""The process's match engine, kept in step with the database.

Each process (web server thread pool, worker, CLI) holds one helix.core.matching.engine.MatchEngine
with the active listings. Every save bumps IndexState.seq and stamps the listing with it
(Listing.index_seq); ``get_engine()`` compares the counter with the one it loaded and applies only the
listings stamped since, and drops those no longer active. Vectors come from ListingVector (written once
per text by the ``index_listing`` background task); a listing whose vector is not stored yet is
embedded in memory, so a fresh listing is matched at once, before the worker has run.
:func:`reindex` re-embeds every listing (the re-index job, ``helix match reindex``, the demo loader);
the tasks of helix.market.tasks only call it and report.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import cache, partial
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db.models import F

from helix.core.matching import fit
from helix.core.matching.embedding import HashingEncoder, TextEncoder, default_encoder
from helix.core.matching.engine import MatchEngine
from helix.core.matching.fit import Side
from helix.core.matching.vector_index import IndexLoadError, VectorIndex, build_index, load_index
from helix.core.matching.weights import Weights
from helix.market.convert import core_listing, core_weights, with_match_relations
from helix.market.models import IndexState, Listing, ListingVector, RankerWeights

log = logging.getLogger(__name__)
_lock = threading.Lock()
_engine: MatchEngine | None = None
_engine_seq = -1
_engine_key = ""
_weights_id: int | None = None


@cache
def _hashing_encoder() -> HashingEncoder:
    return HashingEncoder(256)


def current_encoder() -> TextEncoder:
    """The encoder named by HELIX_TEXT_ENCODER: ``use`` (default) or ``hashing`` (tests, no model)."""
    if settings.HELIX_TEXT_ENCODER == "hashing":
        return _hashing_encoder()
    return default_encoder()


def encoder_label(encoder: TextEncoder) -> str:
    return f"{encoder.name}:{encoder.version}:{encoder.dim}"


def text_hash(encoder: TextEncoder, text: str) -> str:
    return hashlib.sha256(f"{encoder_label(encoder)}\n{text}".encode()).hexdigest()


def vector_to_bytes(vector: npt.NDArray[np.float32]) -> bytes:
    return np.ascontiguousarray(vector, dtype="<f4").tobytes()


def vector_from_bytes(raw: bytes | memoryview, dim: int) -> npt.NDArray[np.float32]:
    vector = np.frombuffer(bytes(raw), dtype="<f4")
    if vector.shape != (dim,):
        raise ValueError(f"stored vector has {vector.size} numbers, expected {dim}")
    return vector.astype(np.float32)


def _stored_vector(listing: Listing, encoder: TextEncoder) -> npt.NDArray[np.float32] | None:
    row: ListingVector | None = getattr(listing, "vector", None)  # none stored: RelatedObjectDoesNotExist
    if (
        row is None
        or row.encoder != encoder_label(encoder)
        or row.text_hash != text_hash(encoder, listing.text)
    ):
        return None
    return vector_from_bytes(row.vector, row.dim)


def vectors_for(listings: Sequence[Listing], encoder: TextEncoder) -> npt.NDArray[np.float32]:
    """Stored vectors where current; the rest embedded now, in one batch."""
    out = np.zeros((len(listings), encoder.dim), dtype=np.float32)
    missing = []
    for row, listing in enumerate(listings):
        stored = _stored_vector(listing, encoder)
        if stored is None:
            missing.append(row)
        else:
            out[row] = stored
    if missing:
        out[missing] = encoder.encode([listings[row].text for row in missing], role="passage")
    return out


def current_seq() -> int:
    return IndexState.objects.filter(pk=1).values_list("seq", flat=True).first() or 0


def bump_index_seq() -> int:
    """Advance the index counter (creating its one row) and return the new value."""
    state, _created = IndexState.objects.get_or_create(pk=1)
    IndexState.objects.filter(pk=1).update(seq=F("seq") + 1)
    state.refresh_from_db()
    return state.seq


def current_weights() -> Weights:
    """The ranker's weights: the latest learned, or the core's defaults."""
    return core_weights(RankerWeights.objects.order_by("-created_at", "-pk").first())


def _latest_weights() -> tuple[int | None, Weights]:
    row_id = RankerWeights.objects.order_by("-created_at", "-pk").values_list("pk", flat=True).first()
    return row_id, current_weights()


def get_engine() -> MatchEngine:
    """The engine with every active listing as of now (loading or catching up when needed)."""
    global _engine, _engine_seq, _engine_key, _weights_id
    encoder = current_encoder()
    key = encoder_label(encoder)
    seq = current_seq()
    with _lock:
        if _engine is None or _engine_key != key:
            engine = MatchEngine(
                encoder, index_factory=partial(build_index, ann_threshold=settings.HELIX_ANN_THRESHOLD)
            )
            listings = list(with_match_relations(Listing.objects.active()).order_by("pk"))
            engine.load(
                [core_listing(x) for x in listings],
                vectors_for(listings, encoder),
                prebuilt=_saved_indexes(encoder),
            )
            if any(engine.index_kind(side) != "exact" for side in ("need", "offer")):
                _save_indexes(engine)
            _engine, _engine_seq, _engine_key = engine, seq, key
            _weights_id = None
        elif seq != _engine_seq:
            _apply_changes(_engine, since=_engine_seq)
            _engine_seq = seq
        else:
            return _engine
        weights_id, weights = _latest_weights()
        if weights_id != _weights_id:
            _engine.weights = weights
            _weights_id = weights_id
        return _engine


def _apply_changes(engine: MatchEngine, *, since: int) -> None:
    active = set(Listing.objects.active().values_list("pk", flat=True))
    present = engine.keys()
    for key in present - active:
        engine.remove(key)
    changed = set(Listing.objects.filter(index_seq__gt=since).values_list("pk", flat=True)) & active
    changed |= active - present
    if not changed:
        return
    listings = list(with_match_relations(Listing.objects.filter(pk__in=changed)).order_by("pk"))
    vectors = vectors_for(listings, engine.encoder)
    for row, listing in enumerate(listings):
        engine.upsert(core_listing(listing), vectors[row])


def index_directory(encoder: TextEncoder) -> Path:
    """Where this encoder's saved vector indexes live (one folder per side)."""
    label = hashlib.sha256(encoder_label(encoder).encode()).hexdigest()[:12]
    return Path(settings.VAR_DIR) / "match-index" / label


def _saved_indexes(encoder: TextEncoder) -> dict[Side, VectorIndex]:
    """The approximate indexes saved by an earlier run, so a restart need not rebuild the graphs."""
    found: dict[Side, VectorIndex] = {}
    for side in ("need", "offer"):
        directory = index_directory(encoder) / side
        if not directory.exists():
            continue
        try:
            index = load_index(directory, dim=encoder.dim)
        except (IndexLoadError, OSError) as error:
            log.warning("ignoring the saved match index: %s", error)
            continue
        if index.kind != "exact":
            found[side] = index  # type: ignore[index]
    return found


def _save_indexes(engine: MatchEngine) -> None:
    try:
        engine.save_indexes(index_directory(engine.encoder))
    except OSError as error:  # a read-only var/ must not stop matching
        log.warning("could not save the match index: %s", error)


def save_engine_indexes() -> None:
    """Save the current engine's approximate indexes (the re-index task ends with this)."""
    engine = get_engine()
    if any(engine.index_kind(side) != "exact" for side in ("need", "offer")):
        _save_indexes(engine)


def reset_engine() -> None:
    """Forget the process's engine (tests; after a restore of the database)."""
    global _engine, _engine_seq, _engine_key, _weights_id
    with _lock:
        _engine, _engine_seq, _engine_key, _weights_id = None, -1, "", None


def pair_features(need: Listing, offer: Listing) -> dict[str, float]:
    """The features of a (need, offer) pair as the ranker scores them now."""
    engine = get_engine()
    if need.pk in engine and offer.pk in engine:
        return engine.pair(need.pk, offer.pk).features
    n, o = core_listing(need), core_listing(offer)
    vectors = engine.encoder.encode([n.text, o.text], role="passage")
    return {"text": float(vectors[0] @ vectors[1]), **{f.name: f.value for f in fit.structured_factors(n, o)}}


def store_vectors(listings: Iterable[Listing], encoder: TextEncoder | None = None) -> int:
    """Embed and store the vectors of ``listings`` whose text changed; returns how many were embedded."""
    encoder = encoder or current_encoder()
    label = encoder_label(encoder)
    todo = [x for x in listings if _stored_vector(x, encoder) is None]
    if not todo:
        return 0
    vectors = encoder.encode([x.text for x in todo], role="passage")
    for listing, vector in zip(todo, vectors, strict=True):
        ListingVector.objects.update_or_create(
            listing=listing,
            defaults={
                "encoder": label,
                "dim": encoder.dim,
                "text_hash": text_hash(encoder, listing.text),
                "vector": vector_to_bytes(vector),
            },
        )
    return len(todo)


def store_listing_vector(listing_id: int) -> int | None:
    """Embed one saved listing and store its vector; how many were embedded (0: its text did not change),
    or None when there is no such listing."""
    listing = with_match_relations(Listing.objects.filter(pk=listing_id)).first()
    if listing is None:
        return None
    return store_vectors([listing])


Progress = Callable[[int, int, str], Any]


def reindex(progress: Progress | None = None, batch: int = 256) -> dict[str, Any]:
    """Store current vectors for every listing, in batches, reporting progress; then have every process
    reload its engine and save the approximate indexes."""
    encoder = current_encoder()
    ids = list(Listing.objects.order_by("pk").values_list("pk", flat=True))
    embedded = 0
    for start in range(0, len(ids), batch):
        if progress:
            progress(start, len(ids), f"embedding listings {start + 1}-{min(len(ids), start + batch)}")
        chunk = with_match_relations(Listing.objects.filter(pk__in=ids[start : start + batch])).order_by("pk")
        embedded += store_vectors(list(chunk), encoder)
    bump_index_seq()
    if progress:
        progress(len(ids), len(ids), "updating the match index")
    save_engine_indexes()
    if progress:
        progress(len(ids), len(ids), "done")
    return {"listings": len(ids), "embedded": embedded, "encoder": encoder_label(encoder)}
