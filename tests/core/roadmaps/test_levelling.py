"""Unit: the levelling problem's validation, the independent checker (each kind of violation), serial
LFT and level() on small hand-made problems."""

from __future__ import annotations

import pytest

from helix.core.roadmaps.levelling import (
    FS,
    SS,
    Activity,
    InvalidLevellingProblem,
    LevellingProblem,
    LevellingProgress,
    Precedence,
    check_levelled,
    level,
    lower_bound,
    makespan_of,
    serial_lft,
)
from helix.core.roadmaps.levelling_problem import infeasibility
from helix.core.roadmaps.sgs import improve

pytestmark = pytest.mark.unit


def problem(*, release: tuple[int, ...] | None = None) -> LevellingProblem:
    """Three activities on one resource of capacity 2: 0 (2 periods, needs 2), 1 (3 periods, needs 1)
    SS-after 0 with lag 1, 2 (1 period, needs 1) FS-after 1."""
    return LevellingProblem(
        activities=(Activity(2, (2,)), Activity(3, (1,)), Activity(1, (1,))),
        capacities=(2,),
        precedences=(Precedence(0, 1, SS, 1), Precedence(1, 2, FS, 0)),
        release=release,
    )


def codes(violations: list) -> list[str]:  # type: ignore[type-arg]
    return [v.code for v in violations]


def test_a_valid_schedule_has_no_violation() -> None:
    # 1 cannot run beside 0 (2 + 1 > 2), so it starts when 0 ends
    assert check_levelled(problem(), [0, 2, 5]) == []
    assert makespan_of(problem(), [0, 2, 5]) == 6


def test_the_checker_names_an_activity_over_capacity_and_the_period() -> None:
    # 1 starts at period 1 (its SS lag allows it) while 0 still uses the whole resource
    violations = check_levelled(problem(), [0, 1, 4])
    assert codes(violations) == ["capacity"]
    assert violations[0].period == 1
    assert "period 1" in violations[0].text
    assert "activity 0" in violations[0].text
    assert "activity 1" in violations[0].text
    assert "3 used of 2" in violations[0].text


def test_the_checker_catches_a_finish_to_start_precedence() -> None:
    violations = check_levelled(problem(), [0, 2, 4])  # 2 starts before 1 ends at 5
    assert codes(violations) == ["precedence"]
    assert violations[0].activity == 2
    assert "activity 2 starts at period 4" in violations[0].text
    assert "at 5 at the earliest" in violations[0].text


def test_the_checker_catches_a_start_to_start_lag() -> None:
    p = LevellingProblem((Activity(2, (1,)), Activity(1, (1,))), (2,), (Precedence(0, 1, SS, 1),))
    assert check_levelled(p, [0, 1]) == []
    violations = check_levelled(p, [0, 0])
    assert codes(violations) == ["precedence"]
    assert "(SS)" in violations[0].text


def test_the_checker_catches_bad_starts() -> None:
    assert codes(check_levelled(problem(), [0, 2])) == ["length"]
    assert codes(check_levelled(problem(), [-1, 2, 5])) == ["negative_start"]
    assert codes(check_levelled(problem(), [0, 2.5, 5])) == ["not_integer"]  # type: ignore[list-item]
    assert codes(check_levelled(problem(release=(1, 0, 0)), [0, 3, 6])) == ["before_release"]
    assert check_levelled(problem(release=(1, 0, 0)), [1, 3, 6]) == []


def test_the_checker_uses_the_given_labels() -> None:
    violations = check_levelled(
        problem(), [0, 1, 4], labels=["job 2", "job 3", "job 4"], resource_labels=["R1"]
    )
    assert "R1 over capacity in period 1" in violations[0].text
    assert "job 2, job 3" in violations[0].text


def test_malformed_problems_raise_a_coded_error() -> None:
    with pytest.raises(InvalidLevellingProblem) as exc:
        LevellingProblem((Activity(1, (1, 2)),), (3,))
    assert exc.value.code == "demand_length"
    assert exc.value.activity == 0
    assert "activity 0" in str(exc.value)
    with pytest.raises(InvalidLevellingProblem) as exc:
        LevellingProblem((Activity(1, (1,)),), (3,), (Precedence(0, 4),))
    assert exc.value.code == "unknown_activity"
    with pytest.raises(InvalidLevellingProblem) as exc:
        LevellingProblem((Activity(1, (1,)), Activity(1, (1,))), (3,), (Precedence(0, 1, "FF"),))
    assert exc.value.code == "precedence_kind"
    with pytest.raises(InvalidLevellingProblem) as exc:
        LevellingProblem((Activity(1, (1,)), Activity(1, (1,))), (3,), (Precedence(0, 1, FS, -1),))
    assert exc.value.code == "negative_lag"
    with pytest.raises(InvalidLevellingProblem) as exc:
        LevellingProblem((Activity(1, (1,)),), (3,), release=(0, 0))
    assert exc.value.code == "release_length"


def test_a_demand_above_capacity_is_infeasible() -> None:
    p = LevellingProblem((Activity(1, (1,)), Activity(2, (5,))), (3,))
    error = infeasibility(p)
    assert error is not None
    assert error.status == "infeasible"
    assert error.activity == 1
    assert "activity 1 demands 5" in str(error)
    result = level(p, 1.0)
    assert result.status == "infeasible"
    assert result.starts == []
    assert "activity 1" in result.reason
    with pytest.raises(InvalidLevellingProblem):
        serial_lft(p)


def test_a_precedence_cycle_is_infeasible() -> None:
    p = LevellingProblem(
        (Activity(1, (1,)), Activity(1, (1,)), Activity(1, (1,))),
        (3,),
        (Precedence(0, 1), Precedence(1, 2), Precedence(2, 1)),
    )
    result = level(p, 1.0)
    assert result.status == "infeasible"
    assert "cycle 1 -> 2 -> 1" in result.reason


def test_serial_lft_on_a_small_problem() -> None:
    # priority by latest finish: 0, then 1 (SS after 0, no room beside it until 2), then 2
    assert serial_lft(problem()) == [0, 2, 5]
    assert serial_lft(problem(release=(3, 0, 0))) == [3, 5, 8]


def test_level_finds_and_proves_the_optimum_and_reports_progress() -> None:
    # two activities that cannot overlap and a long one beside them: the LFT order puts the short
    # activity first and loses a period; the optimum runs the two heavy ones back to back
    p = LevellingProblem(
        (Activity(3, (2, 0)), Activity(2, (2, 1)), Activity(4, (1, 1)), Activity(1, (0, 2))),
        (3, 2),
        (Precedence(0, 3),),
    )
    events: list[LevellingProgress] = []
    result = level(p, 5.0, progress=events.append)
    assert result.status == "optimal"
    assert result.makespan == result.bound == makespan_of(p, result.starts)
    assert check_levelled(p, result.starts) == []
    assert result.makespan <= makespan_of(p, serial_lft(p))
    assert events
    assert events[0].source == "heuristic"
    assert events[0].makespan == result.heuristic_makespan
    assert result.seconds < 5.0


def test_level_stays_within_its_time_limit_and_never_returns_worse_than_the_heuristic() -> None:
    # 30 activities on a tight resource: not proven in 0.5 s, but the heuristic's schedule is kept
    acts = tuple(Activity(1 + (i * 7) % 5, (1 + (i * 3) % 4, 1 + (i * 5) % 3)) for i in range(30))
    precedences = tuple(Precedence(i, j) for i in range(30) for j in (i + 3, i + 7) if j < 30)
    p = LevellingProblem(acts, (4, 3), precedences)
    result = level(p, 0.5)
    assert result.seconds < 1.0
    assert result.status in ("optimal", "feasible")
    assert check_levelled(p, result.starts) == []
    assert result.makespan is not None
    assert result.heuristic_makespan is not None
    assert lower_bound(p) <= result.bound <= result.makespan <= result.heuristic_makespan
    assert result.heuristic_makespan <= makespan_of(p, serial_lft(p))


def test_improve_is_deterministic_for_a_seed() -> None:
    acts = tuple(Activity(1 + i % 4, (1 + i % 3,)) for i in range(12))
    p = LevellingProblem(acts, (3,), tuple(Precedence(i, i + 4) for i in range(8)))
    first = improve(p, 10.0, seed=3, max_passes=30)
    assert first == improve(p, 10.0, seed=3, max_passes=30)
    assert check_levelled(p, first) == []
    assert makespan_of(p, first) <= makespan_of(p, serial_lft(p))


def test_an_empty_problem_levels_to_nothing() -> None:
    result = level(LevellingProblem((), (1,)), 1.0)
    assert result.status == "optimal"
    assert result.makespan == 0
    assert result.starts == []
