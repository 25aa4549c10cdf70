"""Where the shared reference data lives: $HELIX_SHARED_DATA, else ../shared/data beside the project,
else /work/shared/data. Tests that need it skip with the reason when it is absent."""

from __future__ import annotations

import csv
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def shared_data() -> Path | None:
    candidates = [
        os.environ.get("HELIX_SHARED_DATA", ""),
        str(ROOT.parent / "shared" / "data"),
        "/work/shared/data",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "b2b").is_dir():
            return Path(candidate)
    return None


def b2b_instances() -> list[Path]:
    base = shared_data()
    return sorted((base / "b2b").glob("*.dzn")) if base else []


def published_optima() -> dict[tuple[str, int], int | None]:
    """(instance, d) -> optimal total breaks, None where the paper proves infeasibility."""
    base = shared_data()
    if not base:
        return {}
    out: dict[tuple[str, int], int | None] = {}
    with open(base / "b2b" / "published_optima.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            value = row["optimal_total_breaks"].strip()
            out[row["instance"], int(row["d"])] = None if value.upper() == "UNSAT" else int(value)
    return out


def maestri_exchanges() -> Path | None:
    """The shared MAESTRI exchanges file, wherever the shared data lives (or None)."""
    for candidate in (
        os.environ.get("HELIX_SHARED_DATA", ""),
        str(ROOT.parent / "shared" / "data"),
        "/work/shared/data",
    ):
        path = Path(candidate) / "symbiosis" / "maestri_exchanges_public.csv" if candidate else None
        if path is not None and path.is_file():
            return path
    return None


def cordis_dir() -> Path | None:
    """The shared CORDIS folder (h2020 participations and programme parts), wherever the shared data
    lives (or None)."""
    for candidate in (
        os.environ.get("HELIX_SHARED_DATA", ""),
        str(ROOT.parent / "shared" / "data"),
        "/work/shared/data",
    ):
        path = Path(candidate) / "cordis" if candidate else None
        if path is not None and (path / "h2020_participations_2014_2018.csv.gz").is_file():
            return path
    return None


def rcpsp_dir() -> Path | None:
    """The shared PSPLIB folder (j30, j60, j120 and optima.csv), wherever the shared data lives (or None)."""
    for candidate in (
        os.environ.get("HELIX_SHARED_DATA", ""),
        str(ROOT.parent / "shared" / "data"),
        "/work/shared/data",
    ):
        path = Path(candidate) / "rcpsp" if candidate else None
        if path is not None and (path / "optima.csv").is_file():
            return path
    return None
