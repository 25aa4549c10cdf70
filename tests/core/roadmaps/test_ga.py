"""The compiled genetic algorithm of the levelling (helix.core.roadmaps.ga): every schedule it returns
passes the independent checker on random problems with both kinds of lag and releases, it reaches the
brute-force optimum on small ones, it never returns worse than the lists it starts from, and a seed
gives the same search."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helix.core.roadmaps import ga, levelling
from helix.core.roadmaps.levelling import (
    Activity,
    LevellingProblem,
    Precedence,
    check_levelled,
    level,
    lower_bound,
    makespan_of,
    serial_lft,
    warm_ga,
)
from helix.core.roadmaps.levelling_problem import network
from helix.core.roadmaps.psplib import read_psplib_sm
from helix.core.roadmaps.sgs import latest_finish

from .sm_sample import SMALL_SM
from .test_levelling_properties import SETTINGS, brute_force, problems

pytestmark = pytest.mark.unit


def test_a_list_whose_schedule_runs_past_the_horizon_is_never_kept() -> None:
    # a horizon of 7 periods: the chain 0 -> 1 -> 2 needs 6, but lists that start 3 first need 9
    acts = (Activity(2, (2,)), Activity(2, (2,)), Activity(2, (2,)), Activity(3, (2,)))
    p = LevellingProblem(acts, (2,), (Precedence(0, 1), Precedence(1, 2)))
    net = network(p)
    search = ga.Ga(ga.GaProblem.of(p, net, horizon=9), [[3, 0, 1, 2], [0, 1, 2, 3]], target=0)
    search.run(3)
    assert search.makespan == 9
    assert check_levelled(p, search.starts()) == []
    tight = ga.Ga(ga.GaProblem.of(p, net, horizon=8), [[3, 0, 1, 2]], target=0, population=1)
    assert tight.makespan >= ga.OVERFLOW >> 1  # nothing fits: no schedule is reported


def run(problem: LevellingProblem, generations: int = 20, seed: int = 0) -> ga.Ga:
    net = network(problem)
    lft = latest_finish(problem, net)
    search = ga.Ga(
        ga.GaProblem.of(problem, net),
        [sorted(range(problem.n), key=lambda i: (lft[i], i))],
        seed=seed,
        target=lower_bound(problem, net),
        priority=[float(x) for x in lft],
    )
    search.run(generations)
    return search


@SETTINGS
@given(st.one_of(problems(max_activities=8), problems(max_activities=8, tight=True)))
def test_every_schedule_passes_the_checker_and_is_no_worse_than_lft(problem: LevellingProblem) -> None:
    search = run(problem)
    starts = search.starts()
    assert check_levelled(problem, starts) == []
    assert makespan_of(problem, starts) == search.makespan
    assert lower_bound(problem) <= search.makespan <= makespan_of(problem, serial_lft(problem))
    assert search.schedules > 0


@SETTINGS
@given(st.one_of(problems(max_activities=5), problems(max_activities=5, tight=True)))
def test_small_problems_reach_the_brute_force_optimum(problem: LevellingProblem) -> None:
    # an active schedule of five activities is in reach of any list order: the GA must find the best
    assert run(problem, generations=30).makespan == brute_force(problem)


def test_a_start_to_start_lag_and_a_release_are_honoured() -> None:
    # activity 2 may start 1 period after 0 starts (SS) but not before period 4 (release)
    acts = (Activity(3, (2,)), Activity(2, (2,)), Activity(2, (1,)), Activity(1, (2,)))
    p = LevellingProblem(
        acts,
        (3,),
        (Precedence(0, 2, "SS", 1), Precedence(1, 3), Precedence(0, 3, "FS", 2)),
        release=(0, 0, 4, 0),
    )
    search = run(p)
    starts = search.starts()
    assert check_levelled(p, starts) == []
    assert starts[2] >= 4
    assert starts[3] >= starts[0] + 3 + 2


def thirty() -> LevellingProblem:
    """30 activities on two tight resources, two precedence chains interleaved."""
    acts = tuple(Activity(1 + (i * 7) % 5, (1 + (i * 3) % 4, 1 + (i * 5) % 3)) for i in range(30))
    precedences = tuple(Precedence(i, j) for i in range(30) for j in (i + 3, i + 7) if j < 30)
    return LevellingProblem(acts, (4, 3), precedences)


def test_the_same_seed_gives_the_same_search_and_more_generations_never_lose() -> None:
    problem = thirty()
    first, again = run(problem, 10, seed=5), run(problem, 10, seed=5)
    assert first.starts() == again.starts()
    assert first.schedules == again.schedules
    longer = run(problem, 40, seed=5)
    assert longer.makespan <= first.makespan


def test_a_psplib_instance_reaches_its_optimum() -> None:
    problem = read_psplib_sm(SMALL_SM).problem  # optimum 7; starting job 2 first gives 9
    search = run(problem, 5)
    assert check_levelled(problem, search.starts()) == []
    assert search.makespan == 7


def _counting_new_ga(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    made: list[int] = []
    real = levelling._new_ga

    def counted(*args: Any, **kwargs: Any) -> ga.Ga:
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(levelling, "_new_ga", counted)
    return made


def test_warm_ga_loads_the_search_once_and_level_uses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    assert warm_ga(wait=True) is True
    assert warm_ga() is True  # loaded once per process: immediate after
    made = _counting_new_ga(monkeypatch)
    problem = thirty()
    result = level(problem, 2.0)
    assert made  # the starting schedule came from the GA
    assert check_levelled(problem, result.starts) == []
    assert result.heuristic_makespan is not None
    assert result.heuristic_makespan <= run(problem, 0).makespan  # at least the GA's first population


def test_a_cold_start_uses_the_python_heuristics_and_keeps_the_time_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the compiled GA still loading (as in a new process without numba's cache): level() must not wait
    monkeypatch.setattr(levelling, "_ga_ready", threading.Event())
    monkeypatch.setattr(levelling, "warm_ga", lambda wait=False: False)
    made = _counting_new_ga(monkeypatch)
    problem = thirty()
    result = level(problem, 0.5)
    assert made == []
    assert result.seconds < 1.0
    assert check_levelled(problem, result.starts) == []
    assert result.makespan is not None
    assert result.makespan <= makespan_of(problem, serial_lft(problem))


def test_above_its_size_limit_the_ga_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(levelling, "GA_MAX_ACTIVITIES", 10)
    made = _counting_new_ga(monkeypatch)
    events: list[str] = []
    problem = thirty()
    result = level(problem, 1.0, progress=lambda e: events.append(e.source))
    assert made == []
    assert "ga" not in events
    assert check_levelled(problem, result.starts) == []
    assert result.seconds < 1.5
