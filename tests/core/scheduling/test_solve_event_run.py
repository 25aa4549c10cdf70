"""Unit: an event's run — its objective, re-scheduling when a schedule is published, and whether the run
found a schedule to keep (helix.core.scheduling.solve)."""

from __future__ import annotations

import pytest

from helix.core.scheduling import (
    Meeting,
    Mode,
    Problem,
    Result,
    Status,
    event_mode,
    schedule_found,
    solve_event,
    uniform_tables,
)

pytestmark = pytest.mark.unit


def three_pairs() -> Problem:
    """Three meetings between six participants, two slots of two tables: all three fit."""
    meetings = (Meeting(0, 1), Meeting(2, 3), Meeting(4, 5))
    return Problem(6, 2, uniform_tables(2, 2), meetings)


def test_speed_dating_always_maximises_the_meetings_held() -> None:
    assert [event_mode(mode, speed_dating=True) for mode in (Mode.ALL, Mode.MAX)] == [Mode.MAX, Mode.MAX]


def test_other_events_keep_the_mode_asked() -> None:
    assert [event_mode(mode, speed_dating=False) for mode in (Mode.ALL, Mode.MAX)] == [Mode.ALL, Mode.MAX]


def test_without_a_published_schedule_the_run_solves_afresh() -> None:
    result = solve_event(three_pairs(), Mode.ALL, previous={}, time_limit=5)
    assert (result.solver, result.moved, len(result.assignment)) == ("sat", None, 3)


def test_with_a_published_schedule_the_run_keeps_its_meetings_in_place() -> None:
    previous = {0: 1, 1: 0}
    result = solve_event(three_pairs(), Mode.MAX, previous=previous, time_limit=5)
    assert result.solver == "cp-sat reschedule"
    assert result.moved == 0
    assert {m: result.assignment[m] for m in previous} == previous
    assert len(result.assignment) == 3


@pytest.mark.parametrize(
    ("mode", "result", "found"),
    [
        (Mode.ALL, Result(Status.OPTIMAL, {0: 0, 1: 0, 2: 1}), True),
        (Mode.ALL, Result(Status.FEASIBLE, {0: 0, 1: 0}), False),  # ALL must hold every meeting
        (Mode.MAX, Result(Status.FEASIBLE, {0: 0, 1: 0}), True),
        (Mode.MAX, Result(Status.INFEASIBLE), False),
        (Mode.MAX, Result(Status.UNKNOWN), False),
    ],
)
def test_a_run_keeps_a_schedule_only_when_the_solver_found_one_the_mode_accepts(
    mode: Mode, result: Result, found: bool
) -> None:
    assert schedule_found(three_pairs(), mode, result) is found
