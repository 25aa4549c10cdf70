"""Unit: every validation rule of a roadmap on a hand-made heat roadmap that keeps them all, broken one
at a time: its code, params, item and severity (and the English text for some), and the order problems
come in."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helix.core.roadmaps.model import (
    Dependency,
    DependencyKind,
    Effort,
    Item,
    ItemKind,
    Participant,
    Phase,
    Problem,
    ProjectLink,
    Roadmap,
    Track,
)
from helix.core.roadmaps.schedule import CyclicRoadmap, plan
from helix.core.roadmaps.validation import validate

pytestmark = pytest.mark.unit

START = date(2025, 1, 1)


def day(n: int) -> date:
    return START + timedelta(days=n)


def heat_roadmap() -> Roadmap:
    """Research (uni, TRL 2-3, 30 days), then a pilot network (acme, TRL 4-6, 60 days, funded, project p1
    from day 30 to day 80), then city's market launch milestone (TRL 8-9) on day 90, all on the heat track."""
    return Roadmap(
        START,
        items=(
            Item(
                "r1",
                kind=ItemKind.ACTIVITY,
                track="heat",
                phase=Phase.RESEARCH,
                trl_from=2,
                trl_to=3,
                owner="uni",
                duration_days=30,
                budget=100.0,
                funding_secured=50.0,
            ),
            Item(
                "d1",
                kind=ItemKind.DELIVERABLE,
                track="heat",
                trl_from=4,
                trl_to=6,
                owner="acme",
                contributors=("uni",),
                efforts=(Effort("acme", 6.0), Effort("uni", 2.0)),
                duration_days=60,
                budget=2000.0,
                funding_secured=1000.0,
                projects=(ProjectLink("p1", start=day(30), end=day(80)),),
            ),
            Item("m1", track="heat", phase=Phase.MARKET, owner="city"),
        ),
        dependencies=(Dependency("r1", "d1"), Dependency("d1", "m1")),
        participants=(
            Participant("acme", "Acme Heat", role="lead", committed=True, helix="company"),
            Participant("uni", "University", role="partner", committed=True, helix="knowledge"),
            Participant("city", "City", helix="government"),
        ),
        tracks=(Track("heat", "District heat"),),
    )


def changed(rm: Roadmap, key: str, **fields: object) -> Roadmap:
    items = tuple(replace(it, **fields) if it.key == key else it for it in rm.items)  # type: ignore[arg-type]
    return replace(rm, items=items)


def coded(problems: list[Problem]) -> list[tuple[str, str | None, dict[str, object], str]]:
    return [(p.code, p.item, p.params, p.severity) for p in problems]


def test_the_heat_roadmap_keeps_every_rule():
    assert validate(heat_roadmap(), today=day(10)) == []


# -- who ---------------------------------------------------------------------------------------------------


def test_milestone_without_owner_is_reported():
    problems = validate(changed(heat_roadmap(), "m1", owner=None))

    assert problems == [Problem("roadmap.owner_missing", {}, "m1 has no owner.", "m1", "error")]


def test_owner_who_is_not_a_participant_is_reported():
    problems = validate(changed(heat_roadmap(), "m1", owner="ghost"))

    assert problems == [
        Problem(
            "roadmap.owner_not_participant",
            {"participant": "ghost"},
            "m1 is owned by ghost, who is not a participant of the roadmap.",
            "m1",
            "error",
        )
    ]


def test_contributors_and_effort_holders_must_be_participants():
    problems = validate(
        changed(
            heat_roadmap(),
            "d1",
            contributors=("uni", "ghost"),
            efforts=(Effort("acme", 6.0), Effort("spook", 1.0)),
        )
    )

    assert coded(problems) == [
        ("roadmap.contributor_not_participant", "d1", {"participant": "ghost"}, "error"),
        ("roadmap.effort_not_participant", "d1", {"participant": "spook"}, "error"),
    ]


def test_committed_participant_without_role_is_reported():
    rm = heat_roadmap()
    rm = replace(rm, participants=(replace(rm.participants[0], role=" "), *rm.participants[1:]))

    assert validate(rm) == [
        Problem(
            "roadmap.committed_without_role",
            {"participant": "acme"},
            "Acme Heat has committed to the roadmap but has no role in it.",
            None,
            "error",
        )
    ]


def test_committed_participant_with_no_item_is_a_warning():
    rm = heat_roadmap()
    rm = replace(rm, participants=(*rm.participants, Participant("idle", role="partner", committed=True)))

    assert coded(validate(rm)) == [
        ("roadmap.committed_without_items", None, {"participant": "idle"}, "warning")
    ]


def test_a_participant_listed_twice_is_reported():
    rm = heat_roadmap()
    rm = replace(rm, participants=(*rm.participants, Participant("city")))

    assert coded(validate(rm)) == [("roadmap.duplicate_participant", None, {"participant": "city"}, "error")]


# -- structure ---------------------------------------------------------------------------------------------


def test_two_items_with_one_key_are_reported_once_for_the_second():
    rm = heat_roadmap()
    rm = replace(rm, items=(*rm.items, Item("r1", owner="uni")))

    assert coded(validate(rm)) == [("roadmap.duplicate_item", "r1", {"key": "r1"}, "error")]


def test_an_item_on_a_track_the_roadmap_does_not_list_is_reported():
    assert coded(validate(changed(heat_roadmap(), "m1", track="cold"))) == [
        ("roadmap.unknown_track", "m1", {"track": "cold"}, "error")
    ]


def test_negative_duration_and_a_milestone_with_a_duration_are_reported():
    assert coded(validate(changed(heat_roadmap(), "m1", duration_days=-2))) == [
        ("roadmap.duration_negative", "m1", {"duration": -2}, "error")
    ]
    assert coded(validate(changed(heat_roadmap(), "m1", duration_days=5))) == [
        ("roadmap.milestone_with_duration", "m1", {"duration": 5}, "warning")
    ]


# -- dependencies ------------------------------------------------------------------------------------------


def test_a_cycle_is_reported_with_its_keys_in_order_and_the_date_rules_wait_for_it():
    rm = heat_roadmap()
    # a stated start that would break a dependency is not judged while there is no schedule
    rm = changed(
        replace(rm, dependencies=(*rm.dependencies, Dependency("m1", "r1"))), "d1", planned_start=day(1)
    )

    assert validate(rm) == [
        Problem(
            "roadmap.cycle",
            {"keys": ["r1", "d1", "m1"]},
            "The dependencies go round in a circle: r1 → d1 → m1 → r1.",
            "r1",
            "error",
        )
    ]


def test_two_separate_cycles_are_each_reported():
    rm = heat_roadmap()
    rm = replace(
        rm,
        items=(*rm.items, Item("x", owner="uni"), Item("y", owner="uni")),
        dependencies=(*rm.dependencies, Dependency("d1", "r1"), Dependency("y", "x"), Dependency("x", "y")),
    )

    assert coded(validate(rm)) == [
        ("roadmap.cycle", "r1", {"keys": ["r1", "d1"]}, "error"),
        ("roadmap.cycle", "x", {"keys": ["x", "y"]}, "error"),
    ]


def test_dependencies_on_unknown_items_on_itself_and_twice_are_reported():
    rm = heat_roadmap()
    rm = replace(
        rm,
        dependencies=(
            *rm.dependencies,
            Dependency("ghost", "m1"),
            Dependency("d1", "d1", DependencyKind.START_TO_START),
            Dependency("r1", "d1", lag_days=3),
        ),
    )

    assert coded(validate(rm)) == [
        (
            "roadmap.duplicate_dependency",
            "d1",
            {"predecessor": "r1", "successor": "d1", "kind": "FS"},
            "warning",
        ),
        ("roadmap.self_dependency", "d1", {"predecessor": "d1", "successor": "d1", "kind": "SS"}, "error"),
        (
            "roadmap.dependency_unknown_item",
            "m1",
            {"predecessor": "ghost", "successor": "m1", "kind": "FS", "missing": "ghost"},
            "error",
        ),
    ]


# -- dates -------------------------------------------------------------------------------------------------


def test_an_item_stated_to_start_before_its_dependency_allows_is_reported():
    problems = validate(changed(heat_roadmap(), "d1", planned_start=day(10)))

    assert problems == [
        Problem(
            "roadmap.starts_before_dependency",
            {"predecessor": "r1", "kind": "FS", "lag": 0, "earliest": "2025-01-31", "stated": "2025-01-11"},
            "d1 is planned to start on 2025-01-11, but r1 (FS, lag 0) lets it start on 2025-01-31 at the "
            "earliest.",
            "d1",
            "error",
        )
    ]


def test_a_stated_start_at_or_after_what_the_dependencies_allow_is_fine():
    assert validate(changed(heat_roadmap(), "d1", planned_start=day(30))) == []
    assert validate(changed(heat_roadmap(), "d1", planned_start=day(45))) == []


def test_actual_dates_in_the_wrong_order_or_after_today_and_a_percentage_above_100_are_reported():
    rm = changed(heat_roadmap(), "r1", actual_start=day(5), actual_finish=day(3), percent_complete=120.0)
    rm = changed(rm, "d1", actual_start=day(40))

    assert coded(validate(rm, today=day(20))) == [
        (
            "roadmap.actual_finish_before_start",
            "r1",
            {"actual_start": "2025-01-06", "actual_finish": "2025-01-04"},
            "error",
        ),
        ("roadmap.percent_out_of_range", "r1", {"percent": 120.0}, "error"),
        (
            "roadmap.actual_in_future",
            "d1",
            {"field": "actual_start", "date": "2025-02-10", "today": "2025-01-21"},
            "error",
        ),
    ]


# -- TRL and the valley of death ---------------------------------------------------------------------------


def test_trl_falling_along_a_track_is_reported_with_both_items():
    rm = heat_roadmap()
    rm = replace(
        rm,
        items=(
            *rm.items,
            Item("r2", kind=ItemKind.ACTIVITY, track="heat", trl_to=3, owner="uni", duration_days=10),
        ),
        dependencies=(*rm.dependencies, Dependency("d1", "r2")),
    )

    # r2 starts with the milestone m1 on day 90 but finishes later, so it comes after m1 on the track
    assert validate(rm) == [
        Problem(
            "roadmap.trl_falls",
            {"track": "heat", "before": "m1", "before_trl": [8, 9], "trl": [3, 3]},
            "On the track heat, r2 reaches TRL 3 after m1 already reached TRL 9.",
            "r2",
            "error",
        )
    ]


def test_trl_outside_1_to_9_and_a_range_going_down_are_reported():
    rm = changed(changed(heat_roadmap(), "r1", trl_from=0), "m1", phase=None, trl_from=9, trl_to=8)

    assert coded(validate(rm)) == [
        ("roadmap.trl_out_of_range", "r1", {"field": "trl_from", "trl": 0, "min": 1, "max": 9}, "error"),
        ("roadmap.trl_inverted", "m1", {"trl_from": 9, "trl_to": 8}, "error"),
    ]


def test_an_unowned_item_in_the_valley_of_death_is_reported_beside_its_missing_owner():
    assert coded(validate(changed(heat_roadmap(), "d1", owner=None))) == [
        ("roadmap.owner_missing", "d1", {}, "error"),
        ("roadmap.valley_unowned", "d1", {"trl_from": 4, "trl_to": 6, "valley": [4, 7]}, "error"),
    ]


def test_an_unfunded_item_in_the_valley_of_death_is_a_warning():
    rm = changed(heat_roadmap(), "d1", funding_secured=0.0, projects=())

    assert validate(rm) == [
        Problem(
            "roadmap.valley_unfunded",
            {"trl_from": 4, "trl_to": 6, "valley": [4, 7]},
            "d1 (TRL 4-6) crosses the valley of death with no funding secured, no call and no project.",
            "d1",
            "warning",
        )
    ]


def test_a_call_or_a_project_counts_as_funding_in_the_valley():
    assert validate(changed(heat_roadmap(), "d1", funding_secured=0.0, projects=(), calls=("call-7",))) == []
    assert validate(changed(heat_roadmap(), "d1", funding_secured=0.0)) == []


def test_a_track_that_jumps_over_the_valley_of_death_is_a_warning():
    rm = changed(heat_roadmap(), "d1", track=None)

    assert coded(validate(rm)) == [
        (
            "roadmap.valley_gap",
            None,
            {"track": "heat", "below": ["r1"], "above": ["m1"], "valley": [4, 7]},
            "warning",
        )
    ]


# -- projects ----------------------------------------------------------------------------------------------


def test_a_project_ending_after_the_item_it_feeds_is_due_is_reported():
    rm = changed(heat_roadmap(), "d1", projects=(ProjectLink("p1", start=day(30), end=day(100)),))

    assert validate(rm) == [
        Problem(
            "roadmap.project_ends_late",
            {"project": "p1", "end": "2025-04-11", "finish": "2025-04-01"},
            "The project p1 ends on 2025-04-11, after d1 is due (2025-04-01).",
            "d1",
            "error",
        )
    ]


def test_a_project_ending_on_the_day_its_item_is_due_is_on_time():
    assert validate(changed(heat_roadmap(), "d1", projects=(ProjectLink("p1", end=day(90)),))) == []


def test_the_projects_current_dates_override_those_of_the_link():
    assert coded(validate(heat_roadmap(), project_ends={"p1": day(120)})) == [
        (
            "roadmap.project_ends_late",
            "d1",
            {"project": "p1", "end": "2025-05-01", "finish": "2025-04-01"},
            "error",
        )
    ]
    assert coded(validate(heat_roadmap(), project_starts={"p1": day(95)}, project_ends={"p1": day(200)})) == [
        (
            "roadmap.project_starts_late",
            "d1",
            {"project": "p1", "start": "2025-04-06", "finish": "2025-04-01"},
            "error",
        )
    ]


# -- effort and money --------------------------------------------------------------------------------------


def test_effort_must_be_above_zero():
    rm = changed(heat_roadmap(), "d1", efforts=(Effort("acme", 0.0), Effort("uni", -1.5)))

    assert coded(validate(rm)) == [
        ("roadmap.effort_not_positive", "d1", {"participant": "acme", "person_months": 0.0}, "error"),
        ("roadmap.effort_not_positive", "d1", {"participant": "uni", "person_months": -1.5}, "error"),
    ]


def test_negative_budget_negative_funding_and_funding_above_budget_are_reported():
    rm = changed(heat_roadmap(), "r1", budget=-1.0)
    rm = changed(rm, "d1", funding_secured=-5.0)
    rm = changed(rm, "m1", budget=10.0, funding_secured=25.0)

    assert coded(validate(rm)) == [
        ("roadmap.budget_negative", "r1", {"budget": -1.0}, "error"),
        ("roadmap.funding_negative", "d1", {"funding": -5.0}, "error"),
        ("roadmap.funding_above_budget", "m1", {"funding": 25.0, "budget": 10.0}, "warning"),
    ]


# -- order -------------------------------------------------------------------------------------------------


def test_problems_come_roadmap_wide_first_then_by_item_order_then_by_code():
    rm = changed(heat_roadmap(), "m1", owner=None, budget=-1.0)
    rm = changed(rm, "r1", owner="ghost")
    rm = replace(rm, participants=(*rm.participants, Participant("idle", committed=True)))

    assert [(p.item, p.code) for p in validate(rm)] == [
        (None, "roadmap.committed_without_items"),
        (None, "roadmap.committed_without_role"),
        ("r1", "roadmap.owner_not_participant"),
        ("m1", "roadmap.budget_negative"),
        ("m1", "roadmap.owner_missing"),
    ]


# -- cycles on random graphs (hypothesis) ------------------------------------------------------------------


@st.composite
def graphs(draw: st.DrawFn) -> Roadmap:
    """Up to 8 owned items and any links between distinct items: cycles come often."""
    n = draw(st.integers(1, 8))
    keys = [f"k{i}" for i in range(n)]
    pairs = [(p, s) for p in keys for s in keys if p != s]
    links = draw(st.lists(st.sampled_from(pairs), max_size=12, unique=True)) if pairs else []
    return Roadmap(
        START,
        items=tuple(Item(k, owner="acme") for k in keys),
        dependencies=tuple(Dependency(p, s) for p, s in links),
        participants=(Participant("acme"),),
    )


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_a_cycle_is_reported_exactly_when_the_roadmap_cannot_be_planned_and_each_is_a_real_cycle(rm: Roadmap):
    links = {(d.predecessor, d.successor) for d in rm.dependencies}

    cycles = [p.params["keys"] for p in validate(rm) if p.code == "roadmap.cycle"]

    try:
        plan(rm)
    except CyclicRoadmap:
        assert cycles
    else:
        assert cycles == []
    seen: set[str] = set()
    for cycle in cycles:
        assert isinstance(cycle, list)
        assert len(set(cycle)) == len(cycle) >= 2
        assert all((p, s) in links for p, s in zip(cycle, [*cycle[1:], cycle[0]], strict=True))
        assert not seen & set(cycle)  # one cycle per group of items that go round
        seen |= set(cycle)
