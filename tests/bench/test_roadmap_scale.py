"""Unit: the roadmap scale benchmark at its quick size (1,000 items): its figures, the naive critical
path agreeing with the fast one, and the generator's determinism."""

from __future__ import annotations

import pytest

from bench.roadmap_scale import bench_roadmap_scale as bench
from bench.roadmap_scale.generate import generate_roadmap
from helix.core.roadmaps.schedule import plan

pytestmark = pytest.mark.unit


def test_the_quick_benchmark_times_every_step_and_the_naive_critical_path_agrees():
    figures = bench.run(quick=True)

    assert figures["sizes"]["items"] == 1_000
    assert 1_800 <= figures["sizes"]["dependencies"] <= 2_200
    assert (figures["sizes"]["tracks"], figures["sizes"]["participants"]) == (10, 50)
    assert (
        set(figures["seconds"])
        == set(figures["ratios_to_naive"])
        == {"naive_cpm", "plan", "validate", "slip"}
    )
    assert all(seconds > 0 for seconds in figures["seconds"].values())
    assert figures["ratios_to_naive"]["naive_cpm"] == 1.0
    assert figures["naive_agrees"] is True
    assert figures["plan_within_target"] is True
    assert figures["slip"]["days"] == 91
    # the first item has no slack to spare for three months: the end moves by all of it
    assert figures["slip"]["end_shift"] == 91
    assert figures["plan"]["critical_paths"] >= 1
    # the generated draft has the problems its generator puts in, and no structural ones
    assert set(figures["problems"]) <= {
        "roadmap.project_ends_late",
        "roadmap.starts_before_dependency",
        "roadmap.trl_falls",
        "roadmap.valley_unfunded",
    }


def test_the_naive_critical_path_gives_the_same_dates_as_the_plan():
    roadmap = generate_roadmap(300, seed=7)

    early, late, end, _ = bench.naive_cpm(roadmap)
    result = plan(roadmap)

    assert end == result.end
    assert early == {t.key: t.early_start for t in result}
    assert late == {t.key: t.late_finish for t in result}


def test_the_generator_is_seeded():
    assert generate_roadmap(200, seed=3) == generate_roadmap(200, seed=3)
    assert generate_roadmap(200, seed=3) != generate_roadmap(200, seed=4)
