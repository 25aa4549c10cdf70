"""Unit: the roadmap-levelling benchmark at a tiny size (one j30 instance, a short limit) when the PSPLIB
data is present: the result's shape, every schedule valid, and the optima file read right."""

from __future__ import annotations

import pytest

from bench.roadmap_levelling import bench_roadmap_levelling as bench

pytestmark = pytest.mark.unit


def test_quick_run_on_one_instance(monkeypatch: pytest.MonkeyPatch) -> None:
    if not (bench.DATA / "optima.csv").is_file():
        pytest.skip(f"{bench.DATA} not found (PSPLIB instances of ../shared/data/rcpsp)")
    monkeypatch.setattr(bench, "QUICK", {"j30": (["j301_1.sm"], 2.0), "j60": ([], 1.0), "j120": ([], 1.0)})
    figures = bench.run(quick=True)
    j30 = figures["sets"]["j30"]
    assert (j30["instances"], j30["time_limit"], j30["workers"]) == (1, 2.0, 2)
    assert j30["all_valid"]
    assert j30["bounds_consistent"]
    (row,) = j30["rows"]
    assert row["instance"] == "j301_1.sm"
    assert row["best_known"] == 43
    assert row["proven_known"]
    assert row["valid"]
    assert row["bound"] <= row["makespan"] <= row["lft_makespan"]
    assert row["gap"] == (row["makespan"] - 43) / 43
    assert row["seconds"] <= 2.5
    assert figures["sets"]["j60"]["instances"] == 0
    assert figures["quick"] is True


def test_optima_file_reads_proven_and_open_instances(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "optima.csv"
    path.write_text("instance,set,optimum_or_bounds\na.sm,j30,43\nb.sm,j60,82..87\nc.sm,j120,..114\n")
    assert bench.read_optima(path) == {
        "a.sm": (43, 43, True),
        "b.sm": (82, 87, False),
        "c.sm": (None, 114, False),
    }
