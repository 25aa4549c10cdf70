"""A roadmap as a levelling problem (unit): periods, capacities, stretched items, progress, and the levelled
plan never over any participant's capacity whatever the roadmap (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helix.core.roadmaps.levelling import level
from helix.core.roadmaps.levelling_check import check_levelled
from helix.core.roadmaps.model import (
    Dependency,
    DependencyKind,
    Effort,
    Item,
    ItemKind,
    Participant,
    Roadmap,
)
from helix.core.roadmaps.roadmap_levelling import SCALE, levelling_problem, over_capacity

pytestmark = pytest.mark.unit

START = dt.date(2026, 1, 5)


def _activity(key: str, days: int, *efforts: tuple[str, float], **extra: object) -> Item:
    return Item(
        key=key,
        kind=ItemKind.ACTIVITY,
        owner=efforts[0][0] if efforts else None,
        duration_days=days,
        efforts=tuple(Effort(p, pm) for p, pm in efforts),
        **extra,  # type: ignore[arg-type]
    )


def test_two_items_of_one_participant_beyond_its_capacity_run_one_after_the_other():
    # a participant giving one person-month a month (0.22 a week); two four-week activities asking 0.8
    # each (0.2 a week): together 0.4 a week
    roadmap = Roadmap(
        start=START,
        participants=(Participant("lab", capacity_pm_per_month=1.0),),
        items=(_activity("a", 28, ("lab", 0.8)), _activity("b", 28, ("lab", 0.8))),
    )
    built = levelling_problem(roadmap, period_days=7)
    result = level(built.problem, time_limit=5)
    starts = built.starts(result)
    assert result.status == "optimal"
    assert sorted([starts["a"], starts["b"]]) == [START, START + dt.timedelta(days=28)]
    assert built.end(result.makespan) == START + dt.timedelta(days=56)
    # unlevelled, both start at once and the lab is over its capacity for four weeks
    assert [(p, t) for p, t, _load in over_capacity(built, {"a": 0, "b": 0})] == [
        ("lab", t) for t in range(4)
    ]


def test_an_item_asking_more_than_its_participant_can_give_is_stretched_until_it_fits():
    roadmap = Roadmap(
        start=START,
        participants=(Participant("sme", capacity_pm_per_month=0.5),),
        items=(_activity("pilot", 30, ("sme", 2.0)),),  # two person-months in one month, at half a month
    )
    built = levelling_problem(roadmap, period_days=30)
    assert built.stretched == ("pilot",)
    assert built.problem.activities[0].duration == 5  # 200 hundredths at 49 a period (0.5 x 30/30.44)
    assert built.problem.capacities == (49,)


def test_a_finished_item_is_left_out_and_its_links_with_it():
    roadmap = Roadmap(
        start=START,
        participants=(Participant("lab", capacity_pm_per_month=1.0),),
        items=(
            _activity(
                "done", 30, ("lab", 1.0), actual_start=START, actual_finish=START + dt.timedelta(days=30)
            ),
            _activity("next", 30, ("lab", 1.0)),
        ),
        dependencies=(Dependency("done", "next"),),
    )
    built = levelling_problem(roadmap, period_days=30)
    assert built.keys == ("next",)
    assert built.problem.precedences == ()


def test_a_running_item_is_levelled_from_today_for_what_is_left_and_its_start_links_count_from_its_start():
    today = START + dt.timedelta(days=70)
    roadmap = Roadmap(
        start=START,
        participants=(Participant("lab", capacity_pm_per_month=1.0),),
        items=(
            _activity("lab", 100, ("lab", 2.0), actual_start=START, percent_complete=60.0),
            _activity("follow", 7),
        ),
        dependencies=(Dependency("lab", "follow", DependencyKind.START_TO_START, 91),),
    )
    built = levelling_problem(roadmap, period_days=7, today=today)
    assert built.problem.release == (10, 10)
    assert built.problem.activities[0].duration == 6  # 40 of 100 days left: 40 days, six weeks
    # 91 days after its start, which was 70 days ago: three weeks from today
    assert [(p.kind, p.lag) for p in built.problem.precedences] == [("SS", 3)]


def test_participants_without_a_capacity_are_not_resources():
    roadmap = Roadmap(
        start=START,
        participants=(Participant("city"), Participant("lab", capacity_pm_per_month=2.0)),
        items=(_activity("a", 14, ("city", 5.0), ("lab", 1.0)),),
    )
    built = levelling_problem(roadmap, period_days=7)
    assert built.resources == ("lab",)
    assert built.problem.capacities == (45,)  # 2 x 7 / 30.44 x 100, rounded down
    # one person-month in two weeks is 50 a week, more than 45: stretched to three weeks of 34
    assert built.stretched == ("a",)
    assert built.problem.activities[0].duration == 3
    assert built.problem.activities[0].demands == (34,)
    assert SCALE == 100


@st.composite
def roadmaps(draw: st.DrawFn) -> Roadmap:
    people = [f"p{i}" for i in range(draw(st.integers(1, 3)))]
    participants = tuple(
        Participant(p, capacity_pm_per_month=draw(st.sampled_from([0.5, 1.0, 2.0]))) for p in people
    )
    n = draw(st.integers(1, 7))
    items = []
    for i in range(n):
        who = draw(st.lists(st.sampled_from(people), min_size=0, max_size=2, unique=True))
        efforts = [(p, draw(st.sampled_from([0.5, 1.0, 3.0]))) for p in who]
        items.append(_activity(f"i{i}", draw(st.integers(0, 90)), *efforts))
    dependencies = []
    for j in range(1, n):
        for i in range(j):
            if draw(st.booleans()) and draw(st.booleans()):
                kind = draw(st.sampled_from(list(DependencyKind)))
                dependencies.append(Dependency(f"i{i}", f"i{j}", kind, draw(st.integers(-10, 40))))
    return Roadmap(
        start=START, participants=participants, items=tuple(items), dependencies=tuple(dependencies)
    )


@settings(max_examples=40, deadline=None)
@given(roadmaps())
def test_the_levelled_plan_keeps_every_participant_within_its_capacity_and_every_link(roadmap):
    built = levelling_problem(roadmap, period_days=7)
    result = level(built.problem, time_limit=2, workers=1)
    assert result.status in {"optimal", "feasible"}
    assert check_levelled(built.problem, result.starts) == []
    periods = dict(zip(built.keys, result.starts, strict=True))
    assert over_capacity(built, periods) == []
    assert result.bound <= result.makespan
