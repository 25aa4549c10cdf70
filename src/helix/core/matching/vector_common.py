"""What the vector indexes share: the array types, the load error, argument checks and the read-write lock.

See :mod:`helix.core.matching.vector_index` for the indexes themselves and how they are chosen.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import numpy.typing as npt

Keys = npt.NDArray[np.int64]
Vectors = npt.NDArray[np.float32]
Scores = npt.NDArray[np.float32]


class IndexLoadError(ValueError):
    """A saved index cannot be read: a file is missing or corrupt, or its dim is not the expected one."""


# --- validation --------------------------------------------------------------------------------------


def check_dim(dim: int) -> int:
    if isinstance(dim, bool) or not isinstance(dim, int | np.integer) or dim < 1:
        raise ValueError(f"dim must be a positive integer, not {dim!r}")
    return int(dim)


def check_keys(keys: object, *, unique: bool) -> Keys:
    array = np.asarray(keys)
    if array.ndim != 1:
        raise ValueError(f"keys must be a 1-D array, not shape {array.shape}")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"keys must be integers, not {array.dtype}")
    checked = array.astype(np.int64, copy=False)
    if checked.size and int(checked.min()) < 0:
        raise ValueError("keys must be non-negative (-1 pads search results)")
    if unique and checked.size > 1:
        ordered = np.sort(checked)
        repeated = ordered[1:][ordered[1:] == ordered[:-1]]
        if repeated.size:
            raise ValueError(f"duplicate keys in one add: {np.unique(repeated)[:5].tolist()}")
    return checked


def check_vectors(vectors: object, dim: int, what: str = "vectors") -> Vectors:
    array = np.asarray(vectors)
    if array.ndim != 2 or array.shape[1] != dim:
        raise ValueError(f"{what} must have shape (n, {dim}), not {array.shape}")
    if array.size and not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
        raise ValueError(f"{what} must be numbers, not {array.dtype}")
    checked = np.ascontiguousarray(array, dtype=np.float32)
    if checked.size and not np.isfinite(checked).all():
        raise ValueError(f"{what} contain NaN or infinite values")
    return checked


def check_k(k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"k must be a positive integer, not {k!r}")
    return int(k)


def check_add(keys: object, vectors: object, dim: int) -> tuple[Keys, Vectors]:
    checked_keys = check_keys(keys, unique=True)
    checked_vectors = check_vectors(vectors, dim)
    if len(checked_keys) != len(checked_vectors):
        raise ValueError(f"{len(checked_keys)} keys for {len(checked_vectors)} vectors")
    return checked_keys, checked_vectors


def empty_result(queries: int, k: int) -> tuple[Keys, Scores]:
    return np.full((queries, k), -1, dtype=np.int64), np.full((queries, k), -np.inf, dtype=np.float32)


# --- locking -------------------------------------------------------------------------------------------


class ReadWriteLock:
    """Many readers at once, or one writer; a waiting writer keeps new readers out (no writer starvation)."""

    def __init__(self) -> None:
        self._condition = threading.Condition(threading.Lock())
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._condition:
            while self._writing or self._writers_waiting:
                self._condition.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                if not self._readers:
                    self._condition.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._condition:
            self._writers_waiting += 1
            try:
                while self._writing or self._readers:
                    self._condition.wait()
            finally:
                self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()
