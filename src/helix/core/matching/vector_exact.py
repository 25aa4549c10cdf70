"""The exact vector index: a growable numpy float32 matrix searched by blocked matrix products.

Fastest below :data:`helix.core.matching.vector_index.ANN_THRESHOLD` vectors, and the reference for the
approximate index's recall.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from helix.core.matching.vector_common import (
    IndexLoadError,
    Keys,
    ReadWriteLock,
    Scores,
    Vectors,
    check_add,
    check_dim,
    check_k,
    check_keys,
    check_vectors,
    empty_result,
)
from helix.core.matching.vector_files import (
    KEYS_FILE,
    VECTORS_FILE,
    atomic_directory,
    load_array,
    save_array,
    write_manifest,
)


class ExactIndex:
    """Exact top-k by inner product: a growable float32 matrix scanned by blocked matrix products.

    Rows live in one matrix whose capacity doubles when full (amortised O(1) appends, no copy of the
    whole matrix on every add); a removed row is filled by the last row, so the live rows stay
    contiguous. A search multiplies blocks of at most ``block_bytes`` of scores at a time, keeps each
    query's best ``k`` seen so far, and looks in later blocks only at scores reaching the current
    ``k``-th best, so memory stays bounded whatever the number of vectors or queries.
    """

    kind = "exact"

    def __init__(self, dim: int, *, block_bytes: int = 64 << 20) -> None:
        self.dim = check_dim(dim)
        if block_bytes < 4096:
            raise ValueError(f"block_bytes must be at least 4096, not {block_bytes}")
        self.block_bytes = block_bytes
        self._matrix: Vectors = np.empty((0, self.dim), dtype=np.float32)
        self._keys: Keys = np.empty(0, dtype=np.int64)
        self._rows: dict[int, int] = {}
        self._count = 0
        self._lock = ReadWriteLock()

    def __len__(self) -> int:
        return self._count

    def __repr__(self) -> str:
        return f"ExactIndex(dim={self.dim}, count={self._count})"

    @property
    def nbytes(self) -> int:
        """Bytes held by the matrix and keys, spare capacity included."""
        return int(self._matrix.nbytes + self._keys.nbytes)

    def _reserve(self, count: int) -> None:
        capacity = len(self._matrix)
        if count <= capacity:
            return
        capacity = max(count, 2 * capacity, 64)
        matrix = np.empty((capacity, self.dim), dtype=np.float32)
        matrix[: self._count] = self._matrix[: self._count]
        keys = np.empty(capacity, dtype=np.int64)
        keys[: self._count] = self._keys[: self._count]
        self._matrix, self._keys = matrix, keys

    def add(self, keys: Keys, vectors: Vectors) -> None:
        keys, vectors = check_add(keys, vectors, self.dim)
        if not len(keys):
            return
        with self._lock.writing():
            rows = self._rows
            listed = keys.tolist()
            existing = None
            if rows:
                existing = np.fromiter((rows.get(key, -1) for key in listed), np.int64, len(keys))
            if existing is not None and (existing >= 0).any():  # replace these in place, append the rest
                old = existing >= 0
                self._matrix[existing[old]] = vectors[old]
                keys, vectors = keys[~old], vectors[~old]
                listed = keys.tolist()
            fresh = len(keys)
            if fresh:
                start = self._count
                self._reserve(start + fresh)
                self._matrix[start : start + fresh] = vectors
                self._keys[start : start + fresh] = keys
                rows.update(zip(listed, range(start, start + fresh), strict=True))
                self._count = start + fresh

    def remove(self, keys: Keys) -> None:
        keys = check_keys(keys, unique=False)
        with self._lock.writing():
            for key in keys.tolist():
                row = self._rows.pop(key, None)
                if row is None:
                    continue
                last = self._count - 1
                if row != last:
                    moved = int(self._keys[last])
                    self._matrix[row] = self._matrix[last]
                    self._keys[row] = moved
                    self._rows[moved] = row
                self._count = last

    def search(self, queries: Vectors, k: int) -> tuple[Keys, Scores]:
        k = check_k(k)
        queries = check_vectors(queries, self.dim, "queries")
        with self._lock.reading():
            count = self._count
            out_keys, out_scores = empty_result(len(queries), k)
            if not count or not len(queries):
                return out_keys, out_scores
            matrix, keys = self._matrix[:count], self._keys[:count]
            floats = max(self.block_bytes // 4, 1)
            queries_per_block = max(1, min(len(queries), 512, floats // 64))
            rows_per_block = max(1, min(count, floats // queries_per_block))
            buffer = np.empty((queries_per_block, rows_per_block), dtype=np.float32)  # reused: no page faults
            for start in range(0, len(queries), queries_per_block):
                stop = start + queries_per_block
                block_keys, block_scores = _exact_top_k(queries[start:stop], matrix, keys, k, buffer)
                out_keys[start:stop], out_scores[start:stop] = block_keys, block_scores
        return out_keys, out_scores

    def vectors(self) -> tuple[Keys, Vectors]:
        """A copy of the stored (keys, vectors), in storage order."""
        with self._lock.reading():
            return self._keys[: self._count].copy(), self._matrix[: self._count].copy()

    def save(self, directory: Path) -> None:
        with self._lock.reading(), atomic_directory(Path(directory)) as temporary:
            save_array(temporary / KEYS_FILE, self._keys[: self._count])
            save_array(temporary / VECTORS_FILE, self._matrix[: self._count])
            write_manifest(
                temporary,
                {
                    "kind": self.kind,
                    "dim": self.dim,
                    "count": self._count,
                    "library": "numpy",
                    "library_version": np.__version__,
                    "params": {"block_bytes": self.block_bytes},
                },
            )

    @classmethod
    def _load(cls, directory: Path, manifest: dict[str, Any]) -> ExactIndex:
        keys = load_array(directory / KEYS_FILE, np.int64, 1)
        vectors = load_array(directory / VECTORS_FILE, np.float32, 2)
        _check_loaded(directory, manifest, keys, vectors)
        block_bytes = manifest["params"].get("block_bytes", 64 << 20)
        index = cls(manifest["dim"], block_bytes=block_bytes if isinstance(block_bytes, int) else 64 << 20)
        try:
            index.add(keys, vectors)
        except ValueError as error:
            raise IndexLoadError(f"{directory}: corrupt ({error})") from error
        return index


def _check_loaded(directory: Path, manifest: dict[str, Any], keys: Keys, vectors: Vectors) -> None:
    path, dim, count = directory / VECTORS_FILE, manifest["dim"], manifest["count"]
    if vectors.shape[1:] != (dim,):
        raise IndexLoadError(f"{path}: dim {vectors.shape[1]} does not match the manifest's {dim}")
    if not len(keys) == len(vectors) == count:
        raise IndexLoadError(
            f"{directory}: corrupt ({len(keys)} keys, {len(vectors)} vectors, count {count})"
        )


def _exact_top_k(
    queries: Vectors, matrix: Vectors, keys: Keys, k: int, buffer: Scores
) -> tuple[Keys, Scores]:
    """Best ``k`` rows of ``matrix`` for each query: by score, then by smaller key; padded with -1/-inf.

    ``buffer`` (at least ``len(queries)`` rows) holds one block of scores at a time.
    """
    count_queries = len(queries)
    rows_per_block = buffer.shape[1]
    best_keys, best_scores = empty_result(count_queries, k)
    seen = 0
    for start in range(0, len(matrix), rows_per_block):
        block = matrix[start : start + rows_per_block]
        width = len(block)
        scores = buffer[:count_queries, :width]
        np.matmul(queries, block.T, out=scores)
        if seen >= k:
            floor = best_scores[:, k - 1]  # the k-th best so far: only scores reaching it can enter
        elif seen + width > k:  # nothing can enter that is below this block's own k-th best
            floor = np.partition(scores, width - k, axis=1)[:, width - k]
            floor = np.maximum(floor, best_scores[:, k - 1])
        else:
            floor = np.full(count_queries, -np.inf, dtype=np.float32)
        rows, columns = np.nonzero(scores >= floor[:, None])
        seen += width
        if not len(rows):
            continue
        held = best_keys >= 0
        all_rows = np.concatenate([np.nonzero(held)[0], rows])
        all_keys = np.concatenate([best_keys[held], keys[start + columns]])
        all_scores = np.concatenate([best_scores[held], scores[rows, columns]])
        order = np.lexsort((all_keys, -all_scores, all_rows))  # by query, best score, smaller key
        all_rows, all_keys, all_scores = all_rows[order], all_keys[order], all_scores[order]
        counts = np.bincount(all_rows, minlength=count_queries)
        rank = np.arange(len(all_rows)) - np.repeat(np.cumsum(counts) - counts, counts)
        kept = rank < k
        best_keys.fill(-1)
        best_scores.fill(-np.inf)
        best_keys[all_rows[kept], rank[kept]] = all_keys[kept]
        best_scores[all_rows[kept], rank[kept]] = all_scores[kept]
    return best_keys, best_scores
