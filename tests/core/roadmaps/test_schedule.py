"""Unit: the critical path method on hand-made roadmaps: early and late dates, total and free slack, the
critical paths, start-to-start links and leads, stated starts, progress as facts, and the coded errors of
a roadmap without a schedule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from helix.core.roadmaps.model import Dependency, DependencyKind, Item, ItemKind, Roadmap
from helix.core.roadmaps.schedule import (
    CyclicRoadmap,
    DuplicateItem,
    ItemDates,
    ItemTimes,
    UnknownItem,
    plan,
)

pytestmark = pytest.mark.unit

START = date(2025, 1, 1)
SS = DependencyKind.START_TO_START


def day(n: int) -> date:
    return START + timedelta(days=n)


def activity(key: str, days: int, **fields: object) -> Item:
    return Item(key, kind=ItemKind.ACTIVITY, duration_days=days, **fields)  # type: ignore[arg-type]


def roadmap(*items: Item, deps: tuple[Dependency, ...] = ()) -> Roadmap:
    return Roadmap(START, items=items, dependencies=deps)


def fan_in() -> Roadmap:
    """a (5 days) and b (3 days) both feed c (2 days), which feeds the milestone d a day later."""
    return roadmap(
        activity("a", 5),
        activity("b", 3),
        activity("c", 2),
        Item("d"),
        deps=(Dependency("a", "c"), Dependency("b", "c"), Dependency("c", "d", lag_days=1)),
    )


def test_early_and_late_dates_slack_and_the_critical_path_of_a_fan_in():
    result = plan(fan_in())

    assert list(result) == [
        ItemTimes("a", 0, 5, 0, 5, total_slack=0, free_slack=0, critical=True),
        ItemTimes("b", 0, 3, 2, 5, total_slack=2, free_slack=2, critical=False),
        ItemTimes("c", 5, 7, 5, 7, total_slack=0, free_slack=0, critical=True),
        ItemTimes("d", 8, 8, 8, 8, total_slack=0, free_slack=0, critical=True),
    ]
    assert (result.end, result.end_date) == (8, date(2025, 1, 9))
    assert result.critical_paths == (("a", "c", "d"),)
    assert result.critical == ("a", "c", "d")


def test_start_to_start_link_and_a_lead_schedule_from_the_predecessors_start():
    # b starts 3 days after a starts; c may start a day before b finishes (lag -1)
    rm = roadmap(
        activity("a", 10),
        activity("b", 4),
        activity("c", 2),
        deps=(Dependency("a", "b", SS, 3), Dependency("b", "c", lag_days=-1)),
    )

    result = plan(rm)

    assert list(result) == [
        ItemTimes("a", 0, 10, 0, 10, total_slack=0, free_slack=0, critical=True),
        ItemTimes("b", 3, 7, 5, 9, total_slack=2, free_slack=0, critical=False),
        ItemTimes("c", 6, 8, 8, 10, total_slack=2, free_slack=2, critical=False),
    ]
    assert result.critical_paths == (("a",),)


def test_free_slack_is_what_an_item_can_slip_without_moving_its_successor():
    # b has 4 days of total slack, all shared with c: b itself can slip none without moving c
    rm = roadmap(
        activity("a", 10),
        activity("b", 2),
        activity("c", 4),
        deps=(Dependency("b", "c"),),
    )

    result = plan(rm)

    assert [(t.key, t.total_slack, t.free_slack) for t in result] == [("a", 0, 0), ("b", 4, 0), ("c", 4, 4)]


def test_a_stated_start_is_a_start_no_earlier_than():
    rm = roadmap(
        activity("x", 5, planned_start=day(10)),
        Item("y"),
        activity("z", 3, planned_start=START - timedelta(days=30)),
        deps=(Dependency("x", "y"),),
    )

    result = plan(rm)

    assert [(t.key, t.early_start, t.early_finish) for t in result] == [
        ("x", 10, 15),
        ("y", 15, 15),
        ("z", 0, 3),
    ]
    # the critical path starts where the stated date pushes it, not at day 0
    assert result.critical_paths == (("x", "y"),)


def test_parallel_critical_chains_are_each_listed():
    rm = roadmap(
        activity("a", 3),
        activity("b", 3),
        activity("c", 2),
        deps=(Dependency("a", "c"), Dependency("b", "c")),
    )

    assert plan(rm).critical_paths == (("a", "c"), ("b", "c"))


def test_a_dependency_given_twice_binds_with_its_larger_lag():
    rm = roadmap(
        activity("a", 2),
        Item("m"),
        deps=(Dependency("a", "m", lag_days=1), Dependency("a", "m", lag_days=4)),
    )

    assert plan(rm)["m"].early_start == 6


def test_calendar_dates_count_days_from_the_roadmap_start():
    result = plan(fan_in())

    assert result.dates("b") == ItemDates(
        "b", date(2025, 1, 1), date(2025, 1, 4), date(2025, 1, 3), date(2025, 1, 6)
    )
    assert result.calendar()["d"] == ItemDates("d", *[date(2025, 1, 9)] * 4)


def test_an_empty_roadmap_ends_where_it_starts():
    result = plan(roadmap())

    assert (result.end, result.end_date, result.critical_paths, dict(result.times)) == (0, START, (), {})


def test_a_cycle_raises_a_coded_error_with_its_keys_in_order():
    rm = roadmap(
        Item("d"),
        Item("a"),
        Item("b"),
        Item("c"),
        deps=(Dependency("d", "a"), Dependency("a", "b"), Dependency("b", "c"), Dependency("c", "a")),
    )

    with pytest.raises(CyclicRoadmap) as raised:
        plan(rm)

    assert raised.value.cycle == ("a", "b", "c")
    assert raised.value.problem().code == "roadmap.cycle"
    assert raised.value.problem().params == {"keys": ["a", "b", "c"]}
    assert raised.value.problem().text == "The dependencies go round in a circle: a → b → c → a."
    assert raised.value.problem().item == "a"


def test_an_item_that_depends_on_itself_is_a_cycle_of_one():
    with pytest.raises(CyclicRoadmap) as raised:
        plan(roadmap(Item("a"), deps=(Dependency("a", "a", SS),)))

    assert raised.value.cycle == ("a",)


def test_a_dependency_on_an_unknown_item_raises():
    with pytest.raises(UnknownItem) as raised:
        plan(roadmap(Item("a"), deps=(Dependency("a", "ghost"),)))

    assert (raised.value.code, raised.value.params) == (
        "roadmap.dependency_unknown_item",
        {"predecessor": "a", "successor": "ghost", "missing": "ghost"},
    )


def test_two_items_with_one_key_raise():
    with pytest.raises(DuplicateItem) as raised:
        plan(roadmap(Item("a"), Item("a")))

    assert raised.value.params == {"key": "a"}


# -- progress ----------------------------------------------------------------------------------------------


def test_a_finished_item_keeps_its_actual_dates_and_pushes_its_successor():
    rm = roadmap(
        activity("a", 10, actual_start=day(2), actual_finish=day(15), percent_complete=100),
        activity("b", 5),
        deps=(Dependency("a", "b"),),
    )

    result = plan(rm)

    assert [(t.key, t.early_start, t.early_finish, t.fixed) for t in result] == [
        ("a", 2, 15, True),
        ("b", 15, 20, False),
    ]


def test_a_finished_item_without_a_recorded_start_started_its_duration_before_the_finish():
    rm = roadmap(activity("a", 10, actual_finish=day(12)))

    assert (plan(rm)["a"].early_start, plan(rm)["a"].early_finish) == (2, 12)


def test_a_started_item_finishes_after_its_remaining_work_from_today():
    # 30 % of 10 days done by day 5: 7 days remain, so it finishes on day 12, not day 10
    rm = roadmap(
        activity("a", 10, actual_start=day(0), percent_complete=30),
        activity("b", 1),
        deps=(Dependency("a", "b"),),
    )

    result = plan(rm, today=day(5))

    assert [(t.key, t.early_start, t.early_finish) for t in result] == [("a", 0, 12), ("b", 12, 13)]


def test_a_started_item_is_planned_at_its_full_length_without_today():
    rm = roadmap(activity("a", 10, actual_start=day(3), percent_complete=30))

    assert (plan(rm)["a"].early_start, plan(rm)["a"].early_finish) == (3, 13)


def test_a_complete_item_without_a_finish_date_finishes_today_at_the_latest():
    rm = roadmap(activity("a", 10, actual_start=day(0), percent_complete=100))

    assert plan(rm, today=day(4))["a"].early_finish == 4
    assert plan(rm, today=day(40))["a"].early_finish == 10


def test_an_item_not_started_cannot_start_before_today():
    rm = roadmap(activity("a", 5, planned_start=day(3)), activity("b", 5, planned_start=day(30)))

    result = plan(rm, today=day(20))

    assert [(t.key, t.early_start) for t in result] == [("a", 20), ("b", 30)]


def test_the_baseline_plan_ignores_progress():
    rm = roadmap(activity("a", 10, actual_start=day(4), actual_finish=day(30), percent_complete=100))

    result = plan(rm, today=day(40), progress=False)

    assert (result["a"].early_start, result["a"].early_finish, result["a"].fixed) == (0, 10, False)


def test_an_item_started_before_its_predecessor_finished_leaves_the_predecessor_negative_slack():
    # b really started on day 4, while a (10 days) was still running: the plan's late dates for a are
    # before its early ones, and a counts as critical
    rm = roadmap(
        activity("a", 10),
        activity("b", 5, actual_start=day(4)),
        deps=(Dependency("a", "b"),),
    )

    result = plan(rm)

    assert [(t.key, t.early_start, t.late_start, t.total_slack, t.critical) for t in result] == [
        ("a", 0, -5, -5, True),
        ("b", 4, 5, 1, False),
    ]
