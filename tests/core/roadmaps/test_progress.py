"""Unit: planned against actual on a hand-made roadmap: each status and each reason for being at risk,
the milestones at risk, the expected percentage, and what a new version of the roadmap moved."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from helix.core.roadmaps.model import Dependency, Item, ItemKind, Problem, Roadmap
from helix.core.roadmaps.progress import (
    BEHIND_POINTS,
    START_GRACE_DAYS,
    Comparison,
    ItemProgress,
    Status,
    compare,
    expected_percent,
    progress,
)
from helix.core.roadmaps.whatif import Move

pytestmark = pytest.mark.unit

START = date(2025, 1, 1)


def day(n: int) -> date:
    return START + timedelta(days=n)


def pilot_roadmap() -> Roadmap:
    """a (10 days) then b (20 days) then the milestone m on day 30: the critical path; c (10 days) also
    feeds m, with 20 days of slack."""
    return Roadmap(
        START,
        items=(
            Item("a", kind=ItemKind.ACTIVITY, duration_days=10, owner="acme"),
            Item("b", kind=ItemKind.ACTIVITY, duration_days=20, owner="acme"),
            Item("c", kind=ItemKind.ACTIVITY, duration_days=10, owner="uni"),
            Item("m", owner="city"),
        ),
        dependencies=(Dependency("a", "b"), Dependency("b", "m"), Dependency("c", "m")),
    )


def with_progress(rm: Roadmap, key: str, **fields: object) -> Roadmap:
    return replace(rm, items=tuple(replace(it, **fields) if it.key == key else it for it in rm.items))  # type: ignore[arg-type]


def a_done(rm: Roadmap) -> Roadmap:
    """a and c done as planned."""
    rm = with_progress(rm, "a", actual_start=day(0), actual_finish=day(10), percent_complete=100.0)
    return with_progress(rm, "c", actual_start=day(0), actual_finish=day(10), percent_complete=100.0)


def test_nothing_due_yet_is_not_started():
    report = progress(pilot_roadmap(), day(0))

    assert report.by_status() == {
        Status.DONE: (),
        Status.ON_TRACK: (),
        Status.LATE: (),
        Status.AT_RISK: (),
        Status.NOT_STARTED: ("a", "b", "c", "m"),
    }
    assert (report.planned_end, report.forecast_end, report.end_shift, report.milestones_at_risk) == (
        day(30),
        day(30),
        0,
        (),
    )


def test_an_item_as_far_as_expected_is_on_track_and_a_finished_one_done():
    rm = with_progress(a_done(pilot_roadmap()), "b", actual_start=day(10), percent_complete=50.0)
    rm = with_progress(rm, "c", actual_finish=day(9))

    report = progress(rm, day(20))

    assert report["b"] == ItemProgress(
        key="b",
        kind=ItemKind.ACTIVITY,
        planned_start=day(10),
        planned_finish=day(30),
        planned_late_finish=day(30),
        forecast_start=day(10),
        forecast_finish=day(30),
        actual_start=day(10),
        actual_finish=None,
        percent_complete=50.0,
        expected_percent=50.0,
        status=Status.ON_TRACK,
        reasons=(),
        critical=True,
    )
    assert [report[k].status for k in "acm"] == [Status.DONE, Status.DONE, Status.NOT_STARTED]


def test_a_critical_item_behind_its_expected_progress_puts_the_milestone_at_risk():
    # b is 30 % done where 50 % was expected: 14 of its 20 days remain, so it and m are 4 days late
    rm = with_progress(a_done(pilot_roadmap()), "b", actual_start=day(10), percent_complete=30.0)

    report = progress(rm, day(20))

    b, m = report["b"], report["m"]
    assert (b.status, b.reason_codes, b.forecast_finish, b.finish_variance) == (
        Status.AT_RISK,
        ("progress.behind", "progress.critical_slipping"),
        day(34),
        4,
    )
    assert b.reasons[0] == Problem(
        "progress.behind",
        {"percent_complete": 30.0, "expected_percent": 50.0},
        "b is 30 % complete; 50 % was expected by 2025-01-21.",
        "b",
        "warning",
    )
    assert (m.status, m.reason_codes) == (
        Status.AT_RISK,
        ("progress.critical_slipping", "progress.predecessor_late"),
    )
    assert m.reasons[1].params == {
        "predecessors": ["b"],
        "forecast_finish": "2025-02-04",
        "late_finish": "2025-01-31",
    }
    assert report.milestones_at_risk == (m,)
    assert report.end_shift == 4


def test_a_late_predecessor_with_slack_left_does_not_put_its_successor_at_risk():
    # c (20 days of slack) has not started by day 12: late, but m can still be on time
    rm = with_progress(
        pilot_roadmap(), "a", actual_start=day(0), actual_finish=day(10), percent_complete=100.0
    )
    rm = with_progress(rm, "b", actual_start=day(10), percent_complete=10.0)

    report = progress(rm, day(12))

    assert (report["c"].status, report["c"].reason_codes) == (
        Status.LATE,
        ("progress.late", "progress.start_overdue"),
    )
    assert (report["m"].status, report["m"].reason_codes) == (Status.NOT_STARTED, ())


def test_an_item_past_its_planned_finish_and_not_done_is_late():
    rm = with_progress(a_done(pilot_roadmap()), "b", actual_start=day(10), percent_complete=80.0)

    report = progress(rm, day(35))

    assert report["b"].status is Status.LATE
    assert report["b"].reasons[0] == Problem(
        "progress.late",
        {"planned_finish": "2025-01-31", "days": 5},
        "b was due on 2025-01-31 and is not done.",
        "b",
        "error",
    )
    assert report["b"].reason_codes == ("progress.late", "progress.behind", "progress.critical_slipping")


def test_an_item_that_started_more_than_a_week_late_is_at_risk():
    rm = with_progress(pilot_roadmap(), "c", actual_start=day(START_GRACE_DAYS + 1), percent_complete=80.0)

    report = progress(rm, day(9))

    assert (report["c"].status, report["c"].reason_codes) == (Status.AT_RISK, ("progress.started_late",))
    assert report["c"].reasons[0].params == {"planned_start": "2025-01-01", "actual_start": "2025-01-09"}


def test_a_start_within_the_grace_is_no_risk_on_its_own():
    rm = with_progress(pilot_roadmap(), "c", actual_start=day(START_GRACE_DAYS), percent_complete=80.0)

    assert progress(rm, day(9))["c"].status is Status.ON_TRACK


def test_an_item_that_should_have_started_more_than_a_week_ago_is_at_risk():
    report = progress(pilot_roadmap(), day(START_GRACE_DAYS + 1))

    # a must start today at the earliest: it finishes 8 days late, and so does everything after it
    assert (report["a"].status, report["a"].reason_codes) == (
        Status.AT_RISK,
        ("progress.start_overdue", "progress.critical_slipping"),
    )
    assert report["a"].forecast_finish == day(18)


def test_being_behind_by_the_threshold_exactly_is_not_yet_a_risk():
    rm = with_progress(pilot_roadmap(), "c", actual_start=day(0), percent_complete=50.0 - BEHIND_POINTS)

    report = progress(rm, day(5))

    assert (report["c"].expected_percent, report["c"].status) == (50.0, Status.ON_TRACK)


def test_planned_dates_come_from_the_baseline_version_when_one_is_given():
    baseline = pilot_roadmap()
    current = with_progress(baseline, "b", duration_days=25)

    report = progress(current, day(0), baseline=baseline)

    assert (report["m"].planned_finish, report["m"].forecast_finish, report["m"].status) == (
        day(30),
        day(35),
        Status.AT_RISK,
    )
    assert report.milestones_at_risk == (report["m"],)


def test_compare_tells_which_items_moved_and_by_how_many_days():
    baseline = pilot_roadmap()
    current = with_progress(baseline, "b", duration_days=25)
    current = replace(
        current,
        items=(*current.items[:2], *current.items[3:], Item("n", duration_days=3)),
        dependencies=current.dependencies[:2],
    )

    assert compare(baseline, current) == Comparison(
        moved=(Move("b", day(10), day(30), day(10), day(35)), Move("m", day(30), day(30), day(35), day(35))),
        added=("n",),
        removed=("c",),
        old_end=day(30),
        new_end=day(35),
    )


def test_compare_with_today_reads_the_new_version_as_forecast():
    current = a_done(pilot_roadmap())
    current = with_progress(current, "a", actual_finish=day(13))

    comparison = compare(pilot_roadmap(), current, today=day(13))

    assert [(m.key, m.finish_shift) for m in comparison.moved] == [("a", 3), ("b", 3), ("m", 3)]
    assert comparison.end_shift == 3


def test_the_expected_percentage_is_linear_over_the_planned_duration():
    assert [expected_percent(day(10), day(30), day(n)) for n in (0, 10, 15, 30, 40)] == [
        0.0,
        0.0,
        25.0,
        100.0,
        100.0,
    ]
    assert [expected_percent(day(5), day(5), day(n)) for n in (4, 5)] == [0.0, 100.0]
