"""Property tests on random small events (hypothesis): every hard constraint holds (independent checker),
the objective reported equals the objective recomputed and the brute-force optimum, and re-scheduling
moves no meeting it need not."""

from __future__ import annotations

import itertools
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helix.core.scheduling import Meeting, Mode, Problem, Status, check_schedule, solve_schedule
from helix.core.scheduling.reschedule import reschedule

pytestmark = pytest.mark.unit

# HELIX_HYPOTHESIS_EXAMPLES=400 for a longer search (run before each release; 16 s)
SETTINGS = settings(
    max_examples=int(os.environ.get("HELIX_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def events(draw: st.DrawFn, max_meetings: int = 5) -> Problem:
    n = draw(st.integers(2, 5))
    slots = draw(st.integers(2, 4))
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=max_meetings, unique=True))
    morning = draw(st.integers(1, slots))
    meetings = []
    for a, b in chosen:
        session = draw(st.sampled_from(["any", "any", "morning", "afternoon"]))
        slot_set = (
            None
            if session == "any" or morning == slots
            else (frozenset(range(morning)) if session == "morning" else frozenset(range(morning, slots)))
        )
        meetings.append(Meeting(a, b, slots=slot_set, priority=draw(st.integers(1, 3))))
    forbidden = tuple(frozenset(draw(st.sets(st.integers(0, slots - 1), max_size=1))) for _ in range(n))
    tables = tuple(draw(st.integers(1, 2)) for _ in range(slots))
    return Problem(n, slots, tables, tuple(meetings), forbidden, morning)


def brute_force(problem: Problem, mode: Mode, fairness: int | None) -> tuple[int, int] | None:
    """Best (weight held, -breaks) over every assignment; None when nothing is valid (Mode.ALL)."""
    best: tuple[int, int] | None = None
    options = [
        ([] if mode is Mode.ALL else [None]) + problem.allowed_slots(m) for m in range(len(problem.meetings))
    ]
    for combo in itertools.product(*options):
        assignment = {m: t for m, t in enumerate(combo) if t is not None}
        report = check_schedule(problem, assignment, mode=mode, fairness=fairness)
        if report.ok:
            value = (report.weight_held, -report.total_breaks)
            best = value if best is None or value > best else best
    return best


@SETTINGS
@given(problem=events(), d=st.sampled_from([None, 0, 1, 2]))
def test_all_mode_is_valid_and_optimal(problem, d):
    result = solve_schedule(problem, Mode.ALL, d, time_limit=10)
    expected = brute_force(problem, Mode.ALL, d)
    if expected is None:
        assert result.status is Status.INFEASIBLE
        return
    assert result.status is Status.OPTIMAL
    report = check_schedule(problem, result.assignment, mode=Mode.ALL, fairness=d)
    assert report.ok, report.violations
    assert result.total_breaks == report.total_breaks == -expected[1]
    assert result.bound == result.total_breaks


@SETTINGS
@given(problem=events())
def test_max_mode_is_valid_and_optimal(problem):
    result = solve_schedule(problem, Mode.MAX, None, time_limit=10)
    report = check_schedule(problem, result.assignment, mode=Mode.MAX)
    assert report.ok, report.violations
    assert result.weight_held == report.weight_held
    assert result.total_breaks == report.total_breaks
    expected = brute_force(problem, Mode.MAX, None)
    assert expected is not None
    assert result.status is Status.OPTIMAL
    assert (result.weight_held, -result.total_breaks) == expected


@SETTINGS
@given(problem=events(), data=st.data())
def test_rescheduling_moves_no_meeting_it_need_not(problem, data):
    published = solve_schedule(problem, Mode.MAX, None, time_limit=10)
    previous = dict(published.assignment)
    # nothing changed: nothing moves
    again = reschedule(problem, previous, Mode.MAX, time_limit=10)
    assert again.moved == 0
    assert check_schedule(problem, again.assignment, mode=Mode.MAX).ok
    # a cancellation: the others stay where they are
    if previous:
        cancelled = data.draw(st.sampled_from(sorted(previous)))
        kept = [m for m in range(len(problem.meetings)) if m != cancelled]
        smaller = problem.with_meetings([problem.meetings[m] for m in kept])
        remap = {old: new for new, old in enumerate(kept)}
        after = reschedule(
            smaller, {remap[m]: t for m, t in previous.items() if m != cancelled}, Mode.MAX, time_limit=10
        )
        assert after.moved == 0
        assert check_schedule(smaller, after.assignment, mode=Mode.MAX).ok
    # a late request: the fewest moves any schedule needs to hold as much as possible with those moves
    a, b = data.draw(
        st.sampled_from(
            [(a, b) for a in range(problem.n_participants) for b in range(a + 1, problem.n_participants)]
        )
    )
    bigger = problem.with_meetings([*problem.meetings, Meeting(a, b, priority=3)])
    late = reschedule(bigger, previous, Mode.MAX, time_limit=10)
    assert check_schedule(bigger, late.assignment, mode=Mode.MAX).ok
    fewest = min_moves(bigger, previous)
    assert late.moved == fewest


def min_moves(problem: Problem, previous: dict[int, int]) -> int:
    best = len(previous)
    options = [[None, *problem.allowed_slots(m)] for m in range(len(problem.meetings))]
    for combo in itertools.product(*options):
        assignment = {m: t for m, t in enumerate(combo) if t is not None}
        moves = sum(1 for m, t in previous.items() if assignment.get(m) != t)
        if moves < best and check_schedule(problem, assignment, mode=Mode.MAX).ok:
            best = moves
    return best
