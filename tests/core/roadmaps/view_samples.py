"""Roadmaps for the tests of the views and exchange formats: one written out by hand, and a hypothesis
strategy for small random ones within what every format carries (see each module's docstring)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from helix.core.roadmaps.model import (
    Dependency,
    DependencyKind,
    Effort,
    Item,
    ItemKind,
    Participant,
    Phase,
    Roadmap,
    Track,
)

START = date(2026, 1, 5)


def sample_roadmap() -> Roadmap:
    """Two tracks, three participants (an int id, a string id), every kind of item and link."""
    return Roadmap(
        start=START,
        title="Hydrogen valley <2026> & beyond",
        tracks=(Track("h2", "Hydrogen production"), Track("grid", "Grid integration")),
        participants=(
            Participant(1, "Acme Electrolysers", helix="company", capacity_pm_per_month=2.5),
            Participant(2, "University of Ghent", helix="knowledge"),
            Participant("city", "City of Ghent", helix="government"),
        ),
        items=(
            Item(
                "A1",
                "Feasibility study",
                ItemKind.ACTIVITY,
                "h2",
                Phase.RESEARCH,
                trl_from=2,
                trl_to=4,
                owner=2,
                contributors=(1,),
                duration_days=90,
                efforts=(Effort(2, 6.0), Effort(1, 1.5)),
                budget=120_000.0,
                funding_secured=120_000.0,
                percent_complete=100.0,
                actual_start=START,
                actual_finish=START + timedelta(days=95),
            ),
            Item("M1", "Go / no-go", ItemKind.MILESTONE, "h2", Phase.DEVELOPMENT, owner=1),
            Item(
                "D1",
                "Pilot design report",
                ItemKind.DELIVERABLE,
                "h2",
                Phase.DEVELOPMENT,
                owner=1,
                duration_days=60,
                efforts=(Effort(1, 4.25),),
                budget=80_000.5,
                percent_complete=40.0,
            ),
            Item(
                "A2",
                "Grid connection",
                ItemKind.ACTIVITY,
                "grid",
                Phase.DEMONSTRATION,
                owner="city",
                contributors=(1, 2),
                duration_days=200,
                planned_start=date(2026, 6, 1),
                efforts=(Effort("city", 3.0),),
            ),
            Item("M2", "Market launch", ItemKind.MILESTONE, None, Phase.MARKET, trl_from=9, trl_to=9),
        ),
        dependencies=(
            Dependency("A1", "M1"),
            Dependency("M1", "D1", DependencyKind.FINISH_TO_START, 14),
            Dependency("D1", "A2", DependencyKind.START_TO_START, 30),
            Dependency("A2", "M2", DependencyKind.FINISH_TO_START, -10),
        ),
    )


PEOPLE = (
    Participant(1, "Acme", helix="company"),
    Participant(2, "Uni X", helix="knowledge"),
    Participant("city", "City", helix="government", capacity_pm_per_month=1.5),
)
TITLE = st.text(alphabet="abcXYZ <>&'\"éü-+;:", max_size=12).map(str.strip)


@st.composite
def roadmaps(draw: st.DrawFn) -> Roadmap:
    """A small random roadmap: values on the grids the formats keep exactly (whole percents, cents,
    person-months in twentieths), titles with characters that need escaping."""
    count = draw(st.integers(1, 6))
    ids = [p.id for p in PEOPLE]
    items = []
    for index in range(count):
        kind = draw(st.sampled_from(list(ItemKind)))
        duration = 0 if kind is ItemKind.MILESTONE else draw(st.integers(1, 400))
        trl = draw(st.none() | st.tuples(st.integers(1, 9), st.integers(1, 9)).map(sorted))
        owner = draw(st.none() | st.sampled_from(ids))
        contributors = tuple(draw(st.lists(st.sampled_from(ids), unique=True, max_size=2)))
        with_effort = draw(st.lists(st.sampled_from(ids), unique=True, max_size=3))
        efforts = tuple(Effort(p, draw(st.integers(0, 400)) / 20) for p in with_effort)
        planned = draw(st.none() | st.integers(0, 600).map(lambda d: START + timedelta(days=d)))
        actual = draw(st.none() | st.integers(0, 600).map(lambda d: START + timedelta(days=d)))
        items.append(
            Item(
                key=f"K{index}",
                title=draw(TITLE),
                kind=kind,
                track=draw(st.sampled_from([None, "t1", "t2"])),
                phase=draw(st.none() | st.sampled_from(list(Phase))),
                trl_from=trl[0] if trl else None,
                trl_to=trl[1] if trl else None,
                owner=owner,
                contributors=contributors,
                duration_days=duration,
                planned_start=planned,
                efforts=efforts,
                budget=draw(st.integers(0, 10_000_000)) / 100,
                funding_secured=draw(st.integers(0, 10_000_000)) / 100,
                actual_start=actual,
                actual_finish=actual + timedelta(days=draw(st.integers(0, 90)))
                if actual and draw(st.booleans())
                else None,
                percent_complete=float(draw(st.integers(0, 100))),
            )
        )
    pairs = draw(st.lists(st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)), max_size=8))
    deps = {}
    for a, b in pairs:
        if a < b and (a, b) not in deps:
            kind = draw(st.sampled_from(list(DependencyKind)))
            deps[(a, b)] = Dependency(f"K{a}", f"K{b}", kind, draw(st.integers(-30, 60)))
    return Roadmap(
        start=START,
        items=tuple(items),
        dependencies=tuple(deps.values()),
        participants=PEOPLE,
        tracks=(Track("t1", "Track one"), Track("t2")),
        title=draw(TITLE),
    )
