"""The approximate vector index: a faiss HNSW graph (``IndexHNSWFlat``, inner product) with tombstones.

Chosen by measurement (docs/decisions/0002-vector-index.md); removals and replaced vectors are
tombstones filtered out at search time, and the graph is rebuilt aside once they pass
:attr:`AnnIndex.rebuild_ratio` of it.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

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
    ALIVE_FILE,
    GRAPH_FILE,
    KEYS_FILE,
    MANIFEST,
    atomic_directory,
    library_version,
    load_array,
    save_array,
    write_manifest,
)


def _faiss() -> Any:
    import faiss

    return faiss


class AnnIndex:
    """Approximate top-k by inner product: a faiss ``IndexHNSWFlat`` graph over float32 vectors.

    faiss numbers vectors 0, 1, 2… in insertion order; this class maps those ids to keys. The graph
    cannot drop a node, so removing a key, or replacing its vector, leaves a tombstone: the node still
    guides the graph walk but is never returned (a faiss ``IDSelectorBitmap`` of the live ids). When
    tombstones reach ``rebuild_ratio`` of the nodes, the graph is rebuilt from the live vectors; searches
    keep using the old graph while the new one is built, then switch over.

    ``m`` (links per node), ``ef_construction`` and ``ef_search`` (candidate list sizes while building and
    searching; a search uses at least ``k``) trade speed, memory and recall. The defaults reached
    recall@10 ≥ 0.95 on a million 512-dim vectors in the scale benchmark (bench/matching_scale).
    """

    kind = "hnsw"

    def __init__(
        self,
        dim: int,
        *,
        m: int = 16,
        ef_construction: int = 40,
        ef_search: int = 256,
        rebuild_ratio: float = 0.25,
        add_chunk: int = 20_000,
    ) -> None:
        self.dim = check_dim(dim)
        for name, value in (("m", m), ("ef_construction", ef_construction), ("ef_search", ef_search)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 2:
                raise ValueError(f"{name} must be an integer of at least 2, not {value!r}")
        if not 0 < rebuild_ratio <= 1:
            raise ValueError(f"rebuild_ratio must be in (0, 1], not {rebuild_ratio!r}")
        self.m, self.ef_construction, self.ef_search = m, ef_construction, ef_search
        self.rebuild_ratio = rebuild_ratio
        if add_chunk < 1:
            raise ValueError(f"add_chunk must be at least 1, not {add_chunk!r}")
        self.add_chunk = add_chunk
        self._lock = ReadWriteLock()
        self._writer = threading.Lock()  # one add/remove at a time, held through a rebuild
        self._index: Any = self._new_graph()
        self._key_of: Keys = np.empty(0, dtype=np.int64)  # faiss id -> key
        self._alive = np.empty(0, dtype=np.bool_)  # faiss id -> still live
        self._id_of: dict[int, int] = {}  # key -> faiss id
        self._bitmap: npt.NDArray[np.uint8] | None = None  # packed _alive, when there are tombstones
        self.rebuilds = 0

    def _new_graph(self) -> Any:
        faiss = _faiss()
        graph = faiss.IndexHNSWFlat(self.dim, self.m, faiss.METRIC_INNER_PRODUCT)
        graph.hnsw.efConstruction = self.ef_construction
        graph.hnsw.efSearch = self.ef_search
        return graph

    def __len__(self) -> int:
        return len(self._id_of)

    def __repr__(self) -> str:
        return f"AnnIndex(dim={self.dim}, count={len(self)}, nodes={self.nodes}, m={self.m})"

    @property
    def nodes(self) -> int:
        """Nodes in the graph, tombstones included."""
        return int(self._index.ntotal)

    @property
    def nbytes(self) -> int:
        """Bytes held by the vectors, the graph links and the key maps (the dict of keys not counted)."""
        hnsw = self._index.hnsw
        graph = hnsw.neighbors.size() * 4 + hnsw.offsets.size() * 8 + hnsw.levels.size() * 4
        return int(self.nodes * self.dim * 4 + graph + self._key_of.nbytes + self._alive.nbytes)

    # -- writes: serialised by self._writer; the read-write lock is held only while state changes --

    def add(self, keys: Keys, vectors: Vectors) -> None:
        """Upsert. Large batches go in chunks of ``add_chunk`` vectors, so searches run in between."""
        keys, vectors = check_add(keys, vectors, self.dim)
        with self._writer:
            for start in range(0, len(keys), self.add_chunk):
                chunk = keys[start : start + self.add_chunk]
                with self._lock.writing():
                    self._bury([self._id_of[key] for key in chunk.tolist() if key in self._id_of])
                    first = self.nodes
                    self._index.add(vectors[start : start + self.add_chunk])
                    self._grow(first + len(chunk))
                    self._key_of[first : first + len(chunk)] = chunk
                    self._alive[first : first + len(chunk)] = True
                    self._id_of.update(zip(chunk.tolist(), range(first, first + len(chunk)), strict=True))
                    self._refresh_bitmap()
            self._rebuild_if_needed()

    def _grow(self, nodes: int) -> None:
        """Room for ``nodes`` ids in the id -> key and id -> live arrays; capacity doubles (amortised)."""
        capacity = len(self._key_of)
        if nodes <= capacity:
            return
        capacity = max(nodes, 2 * capacity, 64)
        key_of = np.full(capacity, -1, dtype=np.int64)
        key_of[: len(self._key_of)] = self._key_of
        alive = np.zeros(capacity, dtype=np.bool_)
        alive[: len(self._alive)] = self._alive
        self._key_of, self._alive = key_of, alive

    def remove(self, keys: Keys) -> None:
        keys = check_keys(keys, unique=False)
        with self._writer:
            with self._lock.writing():
                self._bury([self._id_of.pop(key) for key in set(keys.tolist()) if key in self._id_of])
                self._refresh_bitmap()
            self._rebuild_if_needed()

    def _bury(self, ids: list[int]) -> None:
        if ids:
            self._alive[np.asarray(ids, dtype=np.int64)] = False

    def _refresh_bitmap(self) -> None:
        tombstones = self.nodes - len(self._id_of)
        self._bitmap = np.packbits(self._alive[: self.nodes], bitorder="little") if tombstones else None

    def _rebuild_if_needed(self) -> None:
        """Called holding self._writer only: builds a new graph while searches use the current one."""
        tombstones = self.nodes - len(self._id_of)
        if not tombstones or tombstones < self.rebuild_ratio * self.nodes:
            return
        live = np.nonzero(self._alive[: self.nodes])[0]
        keys = self._key_of[live]
        vectors = self._stored_vectors()[live]  # a copy of the live rows only
        graph = self._new_graph()
        if len(keys):
            graph.add(vectors)
        del vectors
        with self._lock.writing():
            self._index = graph
            self._key_of = keys
            self._alive = np.ones(len(keys), dtype=np.bool_)
            self._id_of = dict(zip(keys.tolist(), range(len(keys)), strict=True))
            self._bitmap = None
            self.rebuilds += 1

    def _stored_vectors(self) -> Vectors:
        """The graph's own float32 storage as a read-only view (no copy), one row per faiss id."""
        faiss = _faiss()
        if not self.nodes:
            return np.empty((0, self.dim), dtype=np.float32)
        storage = faiss.downcast_index(self._index.storage)
        view: Vectors = faiss.rev_swig_ptr(storage.get_xb(), self.nodes * self.dim).reshape(
            self.nodes, self.dim
        )
        view.flags.writeable = False
        return view

    # -- reads --

    def search(self, queries: Vectors, k: int) -> tuple[Keys, Scores]:
        k = check_k(k)
        queries = check_vectors(queries, self.dim, "queries")
        faiss = _faiss()
        with self._lock.reading():
            if not len(self._id_of) or not len(queries):
                return empty_result(len(queries), k)
            ef = max(self.ef_search, k)
            bitmap = self._bitmap
            if bitmap is None:
                params = faiss.SearchParametersHNSW(efSearch=ef)
            else:
                selector = faiss.IDSelectorBitmap(self.nodes, faiss.swig_ptr(bitmap))
                params = faiss.SearchParametersHNSW(efSearch=ef, sel=selector)
            scores, ids = self._index.search(queries, k, params=params)
            found = ids >= 0
            keys = np.where(found, self._key_of[np.where(found, ids, 0)], -1).astype(np.int64)
        scores = np.where(found, scores, -np.inf).astype(np.float32)
        order = np.lexsort(
            (np.where(found, keys, np.iinfo(np.int64).max), -scores), axis=1
        )  # ties: smaller key
        return np.take_along_axis(keys, order, axis=1), np.take_along_axis(scores, order, axis=1)

    def vectors(self) -> tuple[Keys, Vectors]:
        """A copy of the live (keys, vectors), in graph order."""
        with self._lock.reading():
            live = np.nonzero(self._alive[: self.nodes])[0]
            return self._key_of[live], self._stored_vectors()[live]  # fancy indexing copies

    # -- persistence --

    def _params(self) -> dict[str, Any]:
        return {
            "m": self.m,
            "ef_construction": self.ef_construction,
            "ef_search": self.ef_search,
            "rebuild_ratio": self.rebuild_ratio,
            "metric": "inner_product",
            "index": "IndexHNSWFlat",
        }

    def save(self, directory: Path) -> None:
        faiss = _faiss()
        with self._lock.reading(), atomic_directory(Path(directory)) as temporary:
            faiss.write_index(self._index, str(temporary / GRAPH_FILE))
            save_array(temporary / KEYS_FILE, self._key_of[: self.nodes])
            save_array(temporary / ALIVE_FILE, self._alive[: self.nodes])
            write_manifest(
                temporary,
                {
                    "kind": self.kind,
                    "dim": self.dim,
                    "count": len(self._id_of),
                    "nodes": self.nodes,
                    "library": "faiss-cpu",
                    "library_version": library_version("faiss-cpu"),
                    "params": self._params(),
                },
            )

    @classmethod
    def _load(cls, directory: Path, manifest: dict[str, Any]) -> AnnIndex:
        faiss = _faiss()
        params = manifest["params"]
        try:
            index = cls(
                manifest["dim"],
                m=params["m"],
                ef_construction=params["ef_construction"],
                ef_search=params["ef_search"],
                rebuild_ratio=params["rebuild_ratio"],
            )
        except (KeyError, TypeError, ValueError) as error:
            raise IndexLoadError(f"{directory / MANIFEST}: corrupt params ({error!r})") from error
        path = directory / GRAPH_FILE
        if not path.is_file():
            raise IndexLoadError(f"{path}: missing")
        try:
            graph = faiss.read_index(str(path))
        except RuntimeError as error:
            raise IndexLoadError(f"{path}: corrupt ({str(error).splitlines()[-1]})") from error
        if not isinstance(graph, faiss.IndexHNSWFlat) or graph.metric_type != faiss.METRIC_INNER_PRODUCT:
            raise IndexLoadError(f"{path}: not an inner-product IndexHNSWFlat ({type(graph).__name__})")
        if graph.d != manifest["dim"]:
            raise IndexLoadError(f"{path}: dim {graph.d} does not match the manifest's {manifest['dim']}")
        keys = load_array(directory / KEYS_FILE, np.int64, 1)
        alive = load_array(directory / ALIVE_FILE, np.bool_, 1)
        live = keys[alive] if len(alive) == len(keys) else keys
        if not len(keys) == len(alive) == graph.ntotal or len(live) != manifest["count"]:
            raise IndexLoadError(
                f"{directory}: corrupt ({graph.ntotal} nodes, {len(keys)} keys, {len(alive)} flags, "
                f"{len(live)} live for a count of {manifest['count']})"
            )
        if len(np.unique(live)) != len(live) or (len(keys) and int(keys.min()) < 0):
            raise IndexLoadError(f"{directory / KEYS_FILE}: corrupt (duplicate or negative live keys)")
        graph.hnsw.efSearch = index.ef_search
        index._index = graph
        index._key_of = keys
        index._alive = alive
        index._id_of = dict(zip(live.tolist(), np.nonzero(alive)[0].tolist(), strict=True))
        index._refresh_bitmap()
        return index
