"""Unit: exact and approximate (faiss HNSW) vector indexes, their choice by size, saving and loading."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest

from helix.core.matching.vector_index import (
    ANN_THRESHOLD,
    AnnIndex,
    ExactIndex,
    IndexLoadError,
    VectorIndex,
    build_index,
    load_index,
)

pytestmark = pytest.mark.unit


def unit_rows(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    rows = rng.standard_normal((n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def clustered(rng: np.random.Generator, n: int, dim: int, clusters: int, rank: int = 8) -> np.ndarray:
    """Unit vectors around ``clusters`` centres, spread mostly in one low-rank subspace, as embeddings are."""
    centres = unit_rows(rng, clusters, dim)
    basis = rng.standard_normal((rank, dim)).astype(np.float32) / np.sqrt(dim)
    rows = centres[rng.integers(0, clusters, n)]
    rows += 0.5 * rng.standard_normal((n, rank)).astype(np.float32) @ basis
    rows += 0.02 * rng.standard_normal((n, dim)).astype(np.float32)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def brute_force(keys: np.ndarray, vectors: np.ndarray, queries: np.ndarray, k: int):
    """Top k by score, then smaller key; padded with -1 / -inf."""
    scores = queries @ vectors.T
    out_keys = np.full((len(queries), k), -1, dtype=np.int64)
    out_scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
    for row, line in enumerate(scores):
        order = np.lexsort((keys, -line))[:k]
        out_keys[row, : len(order)] = keys[order]
        out_scores[row, : len(order)] = line[order]
    return out_keys, out_scores


def recall_at(found: np.ndarray, truth: np.ndarray) -> float:
    k = truth.shape[1]
    return float(np.mean([len(set(a) & set(b)) / k for a, b in zip(found, truth, strict=True)]))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(7)


def small_ann(dim: int, **options) -> AnnIndex:
    return AnnIndex(dim, m=16, ef_construction=40, ef_search=64, **options)


# --- exact ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("block_bytes", [4096, 64 << 20])
def test_exact_index_equals_brute_force(rng, block_bytes):
    keys = rng.choice(10**9, size=1500, replace=False).astype(np.int64)
    vectors = unit_rows(rng, 1500, 24)
    queries = unit_rows(rng, 70, 24)
    index = ExactIndex(24, block_bytes=block_bytes)
    index.add(keys[:700], vectors[:700])
    index.add(keys[700:], vectors[700:])
    found_keys, found_scores = index.search(queries, 10)
    truth_keys, truth_scores = brute_force(keys, vectors, queries, 10)
    assert found_keys.dtype == np.int64
    assert found_scores.dtype == np.float32
    np.testing.assert_array_equal(found_keys, truth_keys)
    np.testing.assert_allclose(found_scores, truth_scores, rtol=1e-5, atol=1e-6)
    assert len(index) == 1500
    assert index.kind == "exact"
    assert index.dim == 24


def test_exact_ties_go_to_the_smaller_key_across_blocks(rng):
    vector = unit_rows(rng, 1, 8)
    others = unit_rows(rng, 300, 8) * 0.5  # every other score is lower than the twins'
    keys = np.concatenate([np.arange(1000, 1300), np.array([90, 7, 55, 3, 500])]).astype(np.int64)
    vectors = np.concatenate([others, np.repeat(vector, 5, axis=0)])
    index = ExactIndex(8, block_bytes=4096)  # 4096 bytes of scores: many blocks
    index.add(keys, vectors)
    found, scores = index.search(vector, 3)
    assert found.tolist() == [[3, 7, 55]]
    assert scores[0, 0] == scores[0, 2]


def test_upsert_replaces_the_vector_of_an_existing_key(rng):
    first, second = unit_rows(rng, 2, 16)
    for index in (ExactIndex(16), small_ann(16)):
        index.add(np.array([5, 6]), np.stack([first, -first]))
        index.add(np.array([5]), second[None, :])
        assert len(index) == 2
        keys, scores = index.search(second[None, :], 1)
        assert keys[0, 0] == 5
        assert scores[0, 0] == pytest.approx(1.0, abs=1e-5)
        keys, scores = index.search(first[None, :], 2)
        assert sorted(keys[0].tolist()) == [5, 6]
        assert float(scores[0][keys[0] == 5][0]) == pytest.approx(float(first @ second), abs=1e-5)


def test_remove_drops_keys_and_ignores_unknown_ones(rng):
    keys = np.arange(400, dtype=np.int64) * 3
    vectors = unit_rows(rng, 400, 16)
    queries = unit_rows(rng, 20, 16)
    index = ExactIndex(16, block_bytes=4096)
    index.add(keys, vectors)
    gone = keys[rng.permutation(400)[:150]]
    index.remove(np.concatenate([gone, np.array([1, 2, 10**12])]))
    index.remove(np.array([], dtype=np.int64))
    assert len(index) == 250
    kept = ~np.isin(keys, gone)
    found, scores = index.search(queries, 10)
    truth, truth_scores = brute_force(keys[kept], vectors[kept], queries, 10)
    np.testing.assert_array_equal(found, truth)
    np.testing.assert_allclose(scores, truth_scores, rtol=1e-5, atol=1e-6)
    stored_keys, _stored_vectors = index.vectors()
    assert sorted(stored_keys.tolist()) == sorted(keys[kept].tolist())


@pytest.mark.parametrize("make", [lambda: ExactIndex(8), lambda: small_ann(8)], ids=["exact", "hnsw"])
def test_padding_when_k_exceeds_the_count_and_an_empty_index(rng, make):
    index: VectorIndex = make()
    queries = unit_rows(rng, 3, 8)
    keys, scores = index.search(queries, 4)
    assert keys.shape == scores.shape == (3, 4)
    assert (keys == -1).all()
    assert np.isneginf(scores).all()
    assert index.search(np.empty((0, 8), dtype=np.float32), 4)[0].shape == (0, 4)
    index.add(np.array([11, 12]), unit_rows(rng, 2, 8))
    keys, scores = index.search(queries, 5)
    assert (np.sort(keys[:, :2], axis=1) == [11, 12]).all()
    assert (keys[:, 2:] == -1).all()
    assert np.isneginf(scores[:, 2:]).all()
    assert (scores[:, 0] >= scores[:, 1]).all()
    index.remove(np.array([11, 12]))
    assert len(index) == 0
    assert (index.search(queries, 2)[0] == -1).all()


def test_exact_storage_grows_by_doubling_not_on_every_add(rng):
    index = ExactIndex(4)
    reallocations, last = 0, None
    for key in range(2000):
        index.add(np.array([key]), unit_rows(rng, 1, 4))
        if index._matrix is not last:
            reallocations, last = reallocations + 1, index._matrix
    assert reallocations <= 8
    assert index.nbytes <= 2 * 2000 * (4 * 4 + 8)


# --- approximate ---------------------------------------------------------------------------------------


def test_hnsw_recall_on_a_clustered_set():
    drawn = clustered(np.random.default_rng(3), 20_300, 64, 200)
    vectors, queries = drawn[:20_000], drawn[20_000:]
    keys = np.arange(20_000, dtype=np.int64) + 10**6
    exact, ann = ExactIndex(64), AnnIndex(64)
    exact.add(keys, vectors)
    ann.add(keys, vectors)
    truth, _ = exact.search(queries, 10)
    found, scores = ann.search(queries, 10)
    assert recall_at(found, truth) >= 0.9
    assert (np.diff(scores, axis=1) <= 0).all()
    assert ann.kind == "hnsw"
    assert len(ann) == 20_000
    assert ann.nbytes > 20_000 * 64 * 4


def test_hnsw_tombstones_are_never_returned_and_trigger_a_rebuild(rng):
    keys = np.arange(2000, dtype=np.int64)
    vectors = unit_rows(rng, 2000, 16)
    index = small_ann(16, rebuild_ratio=0.3)
    index.add(keys, vectors)
    index.remove(keys[:500])  # 25 %: tombstones only
    assert index.rebuilds == 0
    assert index.nodes == 2000
    assert len(index) == 1500
    found, _ = index.search(vectors[:500], 10)
    assert not np.isin(found, keys[:500]).any()
    index.add(keys[600:800], vectors[600:800][::-1].copy())  # 200 upserts: 700 tombstones of 2200 nodes
    assert index.rebuilds == 1
    assert index.nodes == len(index) == 1500
    found, scores = index.search(vectors[799:800], 1)
    assert found[0, 0] == 600
    assert scores[0, 0] == pytest.approx(1.0, abs=1e-5)
    stored_keys, stored_vectors = index.vectors()
    np.testing.assert_array_equal(stored_vectors[stored_keys == 600][0], vectors[799])


# --- choosing ------------------------------------------------------------------------------------------


def test_build_index_is_exact_below_the_threshold_and_hnsw_from_it(rng):
    vectors = unit_rows(rng, 100, 8)
    keys = np.arange(100, dtype=np.int64)
    below = build_index(keys[:99], vectors[:99], dim=8, ann_threshold=100)
    at = build_index(keys, vectors, dim=8, ann_threshold=100)
    assert isinstance(below, ExactIndex)
    assert below.kind == "exact"
    assert len(below) == 99
    assert isinstance(at, AnnIndex)
    assert at.kind == "hnsw"
    assert len(at) == 100
    assert isinstance(build_index(keys[:0], vectors[:0], dim=8), ExactIndex)
    assert 10_000 <= ANN_THRESHOLD <= 1_000_000


# --- saving and loading --------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [lambda: ExactIndex(16), lambda: small_ann(16)], ids=["exact", "hnsw"])
def test_save_and_load_round_trip(tmp_path, rng, make):
    index = make()
    keys = rng.permutation(5000)[:600].astype(np.int64)
    vectors = unit_rows(rng, 600, 16)
    index.add(keys, vectors)
    index.remove(keys[:50])
    queries = unit_rows(rng, 25, 16)
    target = tmp_path / "offers"
    index.save(target)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == index.kind
    assert manifest["dim"] == 16
    assert manifest["count"] == 550
    assert manifest["library"] in {"numpy", "faiss-cpu"}
    assert manifest["library_version"]
    assert isinstance(manifest["params"], dict)
    loaded = load_index(target, dim=16)
    assert type(loaded) is type(index)
    assert len(loaded) == 550
    for got, expected in zip(loaded.search(queries, 10), index.search(queries, 10), strict=True):
        np.testing.assert_array_equal(got, expected)
    loaded.add(keys[:1], vectors[:1])  # a loaded index is a working index
    assert len(loaded) == 551
    index.add(keys[:50], vectors[:50])
    index.save(target)  # replaces the saved index
    assert len(load_index(target)) == 600
    assert [p.name for p in tmp_path.iterdir()] == ["offers"]  # no temporary directories left behind


def test_load_errors_name_the_file(tmp_path, rng):
    with pytest.raises(IndexLoadError, match=r"manifest\.json: missing"):
        load_index(tmp_path / "nowhere")
    exact = ExactIndex(8)
    exact.add(np.arange(10), unit_rows(rng, 10, 8))
    exact.save(tmp_path / "exact")
    with pytest.raises(IndexLoadError, match="dim 8, expected 512"):
        load_index(tmp_path / "exact", dim=512)
    (tmp_path / "exact" / "vectors.npy").write_bytes(b"not numpy")
    with pytest.raises(IndexLoadError, match=r"vectors\.npy: corrupt"):
        load_index(tmp_path / "exact")
    (tmp_path / "exact" / "vectors.npy").unlink()
    with pytest.raises(IndexLoadError, match=r"vectors\.npy: missing"):
        load_index(tmp_path / "exact")
    (tmp_path / "exact" / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexLoadError, match=r"manifest\.json: corrupt"):
        load_index(tmp_path / "exact")
    assert issubclass(IndexLoadError, ValueError)

    exact.save(tmp_path / "wrong-dim")
    manifest_path = tmp_path / "wrong-dim" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest_path.write_text(json.dumps({**manifest, "dim": 9}), encoding="utf-8")
    with pytest.raises(IndexLoadError, match=r"vectors\.npy: dim 8 does not match the manifest's 9"):
        load_index(tmp_path / "wrong-dim")

    ann = small_ann(8)
    ann.add(np.arange(10), unit_rows(rng, 10, 8))
    ann.save(tmp_path / "ann")
    (tmp_path / "ann" / "hnsw.faiss").write_bytes(b"garbage!" * 8)
    with pytest.raises(IndexLoadError, match=r"hnsw\.faiss: corrupt"):
        load_index(tmp_path / "ann")
    manifest_path = tmp_path / "ann" / "manifest.json"
    manifest_path.write_text(manifest_path.read_text(encoding="utf-8").replace('"hnsw"', '"lsh"'))
    with pytest.raises(IndexLoadError, match="unknown kind 'lsh'"):
        load_index(tmp_path / "ann")


# --- validation ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [lambda: ExactIndex(4), lambda: small_ann(4)], ids=["exact", "hnsw"])
def test_inputs_are_validated(make):
    index = make()
    good = np.eye(4, dtype=np.float32)[:2]
    bad_adds = [
        (np.array([1, 2]), np.ones((2, 5), dtype=np.float32), "shape"),
        (np.array([1, 2, 3]), good, "3 keys for 2 vectors"),
        (np.array([1, 2]), np.array([[np.nan, 0, 0, 0], [1, 0, 0, 0]], dtype=np.float32), "NaN"),
        (np.array([1, 2]), np.array([[np.inf, 0, 0, 0], [1, 0, 0, 0]], dtype=np.float32), "infinite"),
        (np.array([4, 4]), good, "duplicate keys"),
        (np.array([-1, 2]), good, "non-negative"),
        (np.array([1.5, 2.0]), good, "integers"),
        (np.array([[1, 2]]), good, "1-D"),
    ]
    for keys, vectors, message in bad_adds:
        with pytest.raises(ValueError, match=message):
            index.add(keys, vectors)
    assert len(index) == 0
    index.add(np.array([1, 2]), good)
    with pytest.raises(ValueError, match="shape"):
        index.search(np.ones(4, dtype=np.float32), 1)
    with pytest.raises(ValueError, match="shape"):
        index.search(np.ones((1, 3), dtype=np.float32), 1)
    with pytest.raises(ValueError, match="k must be"):
        index.search(good, 0)
    with pytest.raises(ValueError, match="NaN"):
        index.search(np.full((1, 4), np.nan, dtype=np.float32), 1)
    with pytest.raises(ValueError, match="dim must be"):
        build_index(np.array([1]), good[:1], dim=0)
    with pytest.raises(ValueError, match=r"shape \(n, 8\)"):
        build_index(np.array([1]), good[:1], dim=8)


# --- threads -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [lambda: ExactIndex(16), lambda: small_ann(16)], ids=["exact", "hnsw"])
def test_searches_run_while_a_worker_adds_and_removes(rng, make):
    index = make()
    vectors = unit_rows(rng, 3000, 16)
    index.add(np.arange(1000), vectors[:1000])
    errors: list[BaseException] = []
    stop = threading.Event()

    def searcher() -> None:
        try:
            while not stop.is_set():
                keys, scores = index.search(vectors[:5], 5)
                assert (keys >= 0).all()
                assert np.isfinite(scores).all()
        except BaseException as error:  # reported in the main thread
            errors.append(error)

    threads = [threading.Thread(target=searcher) for _ in range(3)]
    for thread in threads:
        thread.start()
    for start in range(1000, 3000, 250):
        index.add(np.arange(start, start + 250), vectors[start : start + 250])
        index.remove(np.arange(start - 1000, start - 900))
    stop.set()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(index) == 3000 - 800
