"""Nearest-neighbour search over needs/offers vectors, exact below a size threshold and approximate above.

Vectors are the encoder's L2-normalised float32 rows (``helix.core.matching.embedding``), so the inner
product is the cosine, and every index here ranks by inner product. Keys are the caller's non-negative
int64 identifiers (offer or need primary keys); ``-1`` pads a result row that has fewer than ``k`` hits.

- :class:`ExactIndex`: a numpy float32 matrix searched by chunked matrix products, memory-bounded and exact,
  ties broken by the smaller key. Fastest below :data:`ANN_THRESHOLD` vectors, and the reference for recall.
- :class:`AnnIndex`: a faiss HNSW graph (``IndexHNSWFlat``, inner product). Chosen by measurement over
  faiss IVF-Flat / IVF-SQ8 / IVF-PQ and usearch HNSW f32/f16/i8: see docs/decisions/0002-vector-index.md
  and ``python -m bench --only matching_scale``. Removals and replaced vectors are tombstones filtered
  out at search time; the graph is rebuilt once tombstones pass :attr:`AnnIndex.rebuild_ratio` of it.
- :func:`build_index` picks one by size; :func:`load_index` reads what :meth:`VectorIndex.save` wrote.
  The two live in :mod:`~helix.core.matching.vector_exact` and :mod:`~helix.core.matching.vector_hnsw`,
  what they share in :mod:`~helix.core.matching.vector_common`, saving and loading in
  :mod:`~helix.core.matching.vector_files`; this module is the public face and re-exports them.

Thread-safety: :meth:`~VectorIndex.search` may run in several threads at once; :meth:`~VectorIndex.add`
and :meth:`~VectorIndex.remove` (one background worker) wait until running searches end and hold off new
ones while they change the index (an AnnIndex adds large batches in chunks and rebuilds its graph aside,
so searches are never held up for long). Batches of queries use every core (OpenBLAS, faiss OpenMP); two
threads each sending single queries to an AnnIndex were measured no faster than one, so batch queries
where possible.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from helix.core.matching.vector_common import IndexLoadError, Keys, Scores, Vectors, check_add, check_dim
from helix.core.matching.vector_exact import ExactIndex
from helix.core.matching.vector_files import FORMAT_VERSION, MANIFEST, read_manifest
from helix.core.matching.vector_hnsw import AnnIndex

__all__ = [
    "ANN_THRESHOLD",
    "FORMAT_VERSION",
    "MANIFEST",
    "AnnIndex",
    "ExactIndex",
    "IndexLoadError",
    "Keys",
    "Scores",
    "VectorIndex",
    "Vectors",
    "build_index",
    "load_index",
]

# The number of stored vectors from which build_index returns an AnnIndex: the measured crossover of
# single-query latency. `python -m bench --only matching_scale` grows an ExactIndex and an AnnIndex
# (defaults) through 3k/10k/30k/100k/300k synthetic 512-dim embeddings and times 300 single queries on
# each (2-core AMD EPYC): p50 exact 0.19/0.50/2.6/8.4/25.2 ms, HNSW 0.31/0.50/0.69/0.88/0.77 ms. Exact
# wins below ~10k, HNSW above; interpolated on log(size) the p50 curves crossed at 10.0k and 10.8k (two
# full runs), 5.3k and 10.3k (quick runs: around 10k the two differ by < 0.2 ms). HNSW recall@10 was
# >= 0.998 at these sizes.
# See docs/decisions/0002-vector-index.md.
ANN_THRESHOLD = 10_000


class VectorIndex(Protocol):
    """Top-k by inner product over (key, vector) pairs; see the module docstring."""

    dim: int
    kind: str  # "exact", or the ANN kind ("hnsw")

    def __len__(self) -> int: ...

    def add(self, keys: Keys, vectors: Vectors) -> None:
        """Insert, or replace the vector of a key already stored (upsert)."""
        ...

    def remove(self, keys: Keys) -> None:
        """Remove these keys; unknown keys are ignored."""
        ...

    def search(self, queries: Vectors, k: int) -> tuple[Keys, Scores]:
        """(Q, k) keys and scores, best first, padded with key -1 and score -inf past the hits found."""
        ...

    def save(self, directory: Path) -> None:
        """Write the index and a JSON manifest into ``directory``, atomically (temp dir, then rename)."""
        ...

    def vectors(self) -> tuple[Keys, Vectors]:
        """A copy of the stored keys and their vectors (to reconcile a loaded index with the database)."""
        ...


# --- choosing, loading ---------------------------------------------------------------------------------


def build_index(
    keys: Keys, vectors: Vectors, *, dim: int, ann_threshold: int = ANN_THRESHOLD
) -> ExactIndex | AnnIndex:
    """An index holding ``vectors`` under ``keys``: exact below ``ann_threshold`` vectors, HNSW from it on.

    The kind is chosen once, here; an index that later grows past the threshold stays what it is (the
    caller rebuilds through this function when it wants to switch).
    """
    dim = check_dim(dim)
    checked_keys, checked_vectors = check_add(keys, vectors, dim)
    if ann_threshold < 0:
        raise ValueError(f"ann_threshold must not be negative, not {ann_threshold}")
    index: ExactIndex | AnnIndex = AnnIndex(dim) if len(checked_keys) >= ann_threshold else ExactIndex(dim)
    index.add(checked_keys, checked_vectors)
    return index


def load_index(directory: Path, *, dim: int | None = None) -> ExactIndex | AnnIndex:
    """Read an index written by ``save``; ``dim``, when given, must match the saved one.

    Raises :class:`IndexLoadError` (a ValueError) naming the file that is missing or corrupt.
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    if dim is not None and manifest["dim"] != dim:
        raise IndexLoadError(f"{directory / MANIFEST}: dim {manifest['dim']}, expected {dim}")
    if manifest["kind"] == ExactIndex.kind:
        return ExactIndex._load(directory, manifest)
    if manifest["kind"] == AnnIndex.kind:
        return AnnIndex._load(directory, manifest)
    raise IndexLoadError(f"{directory / MANIFEST}: unknown kind {manifest['kind']!r}")
