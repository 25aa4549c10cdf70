"""Property tests on random small levelling problems (hypothesis): every schedule from serial LFT, the
improvement heuristic and level() passes the independent checker, the reported makespan is the one
recomputed from the starts, the bound is a lower bound, and an ``optimal`` status agrees with a brute
force over every start time."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helix.core.roadmaps.levelling import (
    FS,
    SS,
    Activity,
    LevellingProblem,
    Precedence,
    check_levelled,
    level,
    lower_bound,
    makespan_of,
    serial_lft,
)
from helix.core.roadmaps.sgs import improve

pytestmark = pytest.mark.unit

# HELIX_HYPOTHESIS_EXAMPLES=400 for a longer search
SETTINGS = settings(
    max_examples=int(os.environ.get("HELIX_HYPOTHESIS_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def problems(draw: st.DrawFn, max_activities: int = 6, tight: bool = False) -> LevellingProblem:
    """Up to ``max_activities`` activities (some of duration 0), one or two resources, precedences from
    lower to higher index (a DAG) of either kind with small lags, and sometimes release dates. ``tight``:
    every demand is above half its capacity, so no two activities overlap and the critical path is
    rarely the optimum (the heuristic seldom proves itself and CP-SAT has work to do)."""
    n = draw(st.integers(1, max_activities))
    k = draw(st.integers(1, 2))
    caps = tuple(draw(st.integers(1, 4)) for _ in range(k))
    acts = tuple(
        Activity(
            draw(st.integers(0, 3)),
            tuple(draw(st.integers(cap // 2 + 1 if tight else 0, cap)) for cap in caps),
        )
        for _ in range(n)
    )
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=min(len(pairs), 5), unique=True)) if pairs else []
    precedences = tuple(
        Precedence(i, j, draw(st.sampled_from([FS, FS, SS])), draw(st.sampled_from([0, 0, 1, 2])))
        for i, j in chosen
    )
    release = tuple(draw(st.integers(0, 3)) for _ in range(n)) if draw(st.booleans()) else None
    return LevellingProblem(acts, caps, precedences, release)


def brute_force(problem: LevellingProblem) -> int:
    """The optimal makespan by trying every start time of every activity up to a horizon no optimal
    schedule exceeds (all activities one after another, after the latest release, with every lag)."""
    horizon = (
        max(problem.release or (0,))
        + sum(a.duration for a in problem.activities)
        + sum(p.lag for p in problem.precedences)
    )
    n = problem.n
    best = [horizon + 1]
    starts = [0] * n

    def usage_ok(i: int) -> bool:
        s, act = starts[i], problem.activities[i]
        for t in range(s, s + act.duration):
            for r, cap in enumerate(problem.capacities):
                used = sum(
                    problem.activities[j].demands[r]
                    for j in range(i + 1)
                    if starts[j] <= t < starts[j] + problem.activities[j].duration
                )
                if used > cap:
                    return False
        return True

    def precedences_ok(i: int) -> bool:
        for p in problem.precedences:
            if i in (p.before, p.after) and max(p.before, p.after) <= i:
                gap = p.lag + (problem.activities[p.before].duration if p.kind == FS else 0)
                if starts[p.after] < starts[p.before] + gap:
                    return False
        return True

    def place(i: int, finish: int) -> None:
        if i == n:
            best[0] = min(best[0], finish)
            return
        act = problem.activities[i]
        for s in range(problem.release_of(i), best[0] - act.duration):
            starts[i] = s
            if precedences_ok(i) and usage_ok(i):
                place(i + 1, max(finish, s + act.duration))

    place(0, 0)
    return best[0]


@SETTINGS
@given(problems())
def test_heuristic_schedules_pass_the_checker(problem: LevellingProblem) -> None:
    lft = serial_lft(problem)
    assert check_levelled(problem, lft) == []
    better = improve(problem, 10.0, max_passes=20)
    assert check_levelled(problem, better) == []
    assert lower_bound(problem) <= makespan_of(problem, better) <= makespan_of(problem, lft)


@SETTINGS
@given(st.one_of(problems(max_activities=5), problems(max_activities=5, tight=True)))
def test_level_is_valid_and_optimal_matches_brute_force(problem: LevellingProblem) -> None:
    result = level(problem, 5.0, workers=1)
    assert result.status in ("optimal", "feasible")
    assert check_levelled(problem, result.starts) == []
    assert result.makespan == makespan_of(problem, result.starts)
    assert result.bound <= result.makespan
    assert result.heuristic_makespan is not None
    assert result.makespan <= result.heuristic_makespan
    assert result.status == "optimal"  # five activities: proven long before the limit
    assert result.makespan == brute_force(problem)
