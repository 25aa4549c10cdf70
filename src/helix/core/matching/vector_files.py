"""Saving and loading a vector index: the directory layout, its JSON manifest and the atomic write.

A saved index is a directory holding :data:`MANIFEST` (kind, dim, count, parameters, library version)
and numpy ``.npy`` arrays (keys, and the vectors or the faiss graph with its live flags). Each index
class writes and reads its own files with these helpers; :func:`helix.core.matching.vector_index.load_index`
reads the manifest and hands over to the right class.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as distribution_version
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from helix.core.matching.vector_common import IndexLoadError

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
KEYS_FILE = "keys.npy"
VECTORS_FILE = "vectors.npy"
GRAPH_FILE = "hnsw.faiss"
ALIVE_FILE = "alive.npy"


def library_version(distribution: str) -> str:
    try:
        return distribution_version(distribution)
    except PackageNotFoundError:  # e.g. faiss built from source
        return "unknown"


@contextmanager
def atomic_directory(directory: Path) -> Iterator[Path]:
    """Yield a fresh temporary directory beside ``directory``; on success it replaces ``directory``.

    The rename is atomic for readers of the files inside; while an old index is swapped out there is a
    moment when ``directory`` does not exist (a loader then gets IndexLoadError and may retry).
    """
    target = Path(directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        yield temporary
        for child in temporary.iterdir():  # the data reaches the disk before the rename makes it visible
            with child.open("rb") as handle:
                os.fsync(handle.fileno())
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.replace(target, old / target.name)
            os.replace(temporary, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temporary, target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps({"format": FORMAT_VERSION, **manifest}, indent=2, sort_keys=True) + "\n"
    (directory / MANIFEST).write_text(text, encoding="utf-8")


def save_array(path: Path, array: npt.NDArray[Any]) -> None:
    with path.open("wb") as handle:
        np.save(handle, array, allow_pickle=False)


def load_array(path: Path, dtype: type[np.generic], ndim: int) -> npt.NDArray[Any]:
    if not path.is_file():
        raise IndexLoadError(f"{path}: missing")
    try:
        array = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as error:
        raise IndexLoadError(f"{path}: corrupt ({error})") from error
    if not isinstance(array, np.ndarray) or array.dtype != dtype or array.ndim != ndim:
        raise IndexLoadError(f"{path}: corrupt (expected a {ndim}-D {np.dtype(dtype).name} array)")
    return array


def read_manifest(directory: Path) -> dict[str, Any]:
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise IndexLoadError(f"{path}: missing (not a saved vector index)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise IndexLoadError(f"{path}: corrupt ({error})") from error
    if not isinstance(manifest, dict):
        raise IndexLoadError(f"{path}: corrupt (not a JSON object)")
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexLoadError(
            f"{path}: unsupported format {manifest.get('format')!r} (expected {FORMAT_VERSION})"
        )
    for field, kind in (("kind", str), ("dim", int), ("count", int), ("params", dict)):
        if not isinstance(manifest.get(field), kind) or isinstance(manifest.get(field), bool):
            raise IndexLoadError(f"{path}: corrupt ({field!r} missing or not a {kind.__name__})")
    if manifest["dim"] < 1 or manifest["count"] < 0:
        raise IndexLoadError(f"{path}: corrupt (dim {manifest['dim']}, count {manifest['count']})")
    return manifest
