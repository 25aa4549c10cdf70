"""Unit: mode MAX (more requests than time) — exact on small events, select-and-place on large ones."""

from __future__ import annotations

import itertools

import pytest

from bench.scheduling.generate import generate_event
from helix.core.scheduling import (
    Meeting,
    Mode,
    Problem,
    Status,
    check_schedule,
    greedy_schedule,
    solve_schedule,
)
from helix.core.scheduling.maximise import EXACT_LIMIT, solve_max, upper_bound

pytestmark = pytest.mark.unit


def brute_force_best(problem: Problem) -> int:
    """Largest priority-weighted meetings held over every (slot or not held) choice per meeting."""
    best = 0
    choices = [[None, *problem.allowed_slots(m)] for m in range(len(problem.meetings))]
    for combo in itertools.product(*choices):
        assignment = {m: t for m, t in enumerate(combo) if t is not None}
        if check_schedule(problem, assignment, mode=Mode.MAX).ok:
            best = max(best, sum(problem.meetings[m].priority for m in assignment))
    return best


def small_event() -> Problem:
    # participant 0 is wanted by everyone; two slots, one table; participant 3 only in slot 2
    meetings = (Meeting(0, 1, priority=1), Meeting(0, 2, priority=3), Meeting(0, 3, priority=2),
                Meeting(1, 2, priority=1), Meeting(2, 3, priority=1))
    return Problem(4, 2, (1, 1), meetings, (frozenset(), frozenset(), frozenset(), frozenset({0})))


def test_small_event_is_solved_to_the_brute_force_optimum():
    problem = small_event()
    result = solve_schedule(problem, Mode.MAX, time_limit=10)
    assert result.status is Status.OPTIMAL
    assert result.weight_held == brute_force_best(problem) == 5  # (0,2) and (0,3): 3 + 2
    report = check_schedule(problem, result.assignment, mode=Mode.MAX)
    assert report.ok
    assert report.weight_held == result.weight_held


def test_max_meetings_per_participant_is_honoured():
    problem = Problem(3, 3, (2, 2, 2), (Meeting(0, 1), Meeting(0, 2), Meeting(1, 2)),
                      max_meetings=(1, None, None))
    result = solve_schedule(problem, Mode.MAX, time_limit=10)
    held_by_0 = sum(1 for m in result.assignment if 0 in (problem.meetings[m].a, problem.meetings[m].b))
    assert held_by_0 == 1
    assert result.weight_held == brute_force_best(problem) == 2


def test_upper_bound_is_never_below_what_is_held():
    problem = small_event()
    assert upper_bound(problem) >= brute_force_best(problem)


def test_large_event_select_and_place_is_valid_and_beats_greedy():
    problem = generate_event(n_participants=160, n_requests=1_600, n_slots=24, n_tables=50, seed=3)
    assert sum(len(problem.allowed_slots(m)) for m in range(len(problem.meetings))) > EXACT_LIMIT
    greedy = greedy_schedule(problem, Mode.MAX)
    result = solve_max(problem, time_limit=20)
    assert result.solver == "select-and-place"
    report = check_schedule(problem, result.assignment, mode=Mode.MAX)
    assert report.ok, report.violations[:3]
    assert report.weight_held == result.weight_held
    assert result.weight_bound == upper_bound(problem)
    assert greedy.weight_held is not None
    assert greedy.weight_held <= result.weight_held <= result.weight_bound
    # measured: 99.99 % of the bound on the 1,000-participant event of bench/scheduling
    assert result.weight_held >= 0.98 * result.weight_bound
