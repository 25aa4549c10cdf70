"""Unit (hypothesis): on random small DAGs (up to 8 items, finish-to-start and start-to-start links, lags
0-5, durations 0-5, some stated starts), the critical path method finds the least schedule that keeps
every constraint (the fixpoint of repeated relaxation, found independently), keeps every dependency in
its early and late schedules, never gives negative slack, and its critical paths run on tight links from
an item nothing pushes to the end; a slip never moves anything earlier, nor by more than the slip."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helix.core.roadmaps.model import Dependency, DependencyKind, Item, ItemKind, Roadmap
from helix.core.roadmaps.schedule import Plan, plan
from helix.core.roadmaps.whatif import SlipAt, slip

pytestmark = pytest.mark.unit

START = date(2025, 1, 1)
FS, SS = DependencyKind.FINISH_TO_START, DependencyKind.START_TO_START


@st.composite
def dags(draw: st.DrawFn, fs_only: bool = False) -> Roadmap:
    """A random DAG: edges go from a lower to a higher rank, and the items are listed in a shuffled order
    (so the roadmap's order is not a topological one)."""
    n = draw(st.integers(1, 8))
    items = []
    for i in range(n):
        stated = draw(st.none() | st.integers(0, 10))
        items.append(
            Item(
                f"i{i}",
                kind=ItemKind.ACTIVITY,
                duration_days=draw(st.integers(0, 5)),
                planned_start=None if stated is None else START + timedelta(days=stated),
            )
        )
    pairs = [(p, s) for s in range(n) for p in range(s)]
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=14, unique=True)) if pairs else []
    deps = tuple(
        Dependency(
            f"i{p}", f"i{s}", FS if fs_only else draw(st.sampled_from((FS, SS))), draw(st.integers(0, 5))
        )
        for p, s in chosen
    )
    return Roadmap(START, items=tuple(draw(st.permutations(items))), dependencies=deps)


def lower_bound(it: Item) -> int:
    return 0 if it.planned_start is None else (it.planned_start - START).days


def relaxed_early_starts(rm: Roadmap) -> dict[str, int]:
    """The least start vector keeping every constraint: raise starts until no constraint is broken."""
    durations = {it.key: it.duration_days for it in rm.items}
    es = {it.key: lower_bound(it) for it in rm.items}
    changed = True
    while changed:
        changed = False
        for dep in rm.dependencies:
            anchor = es[dep.predecessor] + (durations[dep.predecessor] if dep.kind == FS else 0)
            if es[dep.successor] < anchor + dep.lag_days:
                es[dep.successor] = anchor + dep.lag_days
                changed = True
    return es


def demand(result: Plan, dep: Dependency, late: bool = False) -> int:
    """The start the dependency demands of its successor, from its predecessor's early (or late) dates."""
    t = result[dep.predecessor]
    if late:
        return (t.late_finish if dep.kind == FS else t.late_start) + dep.lag_days
    return (t.early_finish if dep.kind == FS else t.early_start) + dep.lag_days


@settings(max_examples=150, deadline=None)
@given(dags())
def test_early_starts_are_the_least_schedule_that_keeps_every_constraint(rm: Roadmap):
    result = plan(rm)

    assert {t.key: t.early_start for t in result} == relaxed_early_starts(rm)


@settings(max_examples=150, deadline=None)
@given(dags())
def test_both_schedules_keep_every_dependency_and_slack_is_never_negative(rm: Roadmap):
    result = plan(rm)

    for dep in rm.dependencies:
        assert result[dep.successor].early_start >= demand(result, dep)
        assert result[dep.successor].late_start >= demand(result, dep, late=True)
    for it in rm.items:
        t = result[it.key]
        assert t.early_finish - t.early_start == t.late_finish - t.late_start == it.duration_days
        assert t.early_start >= lower_bound(it)
        assert t.late_finish <= result.end
        assert 0 <= t.free_slack <= t.total_slack == t.late_start - t.early_start
        assert t.critical == (t.total_slack == 0)
    assert result.end == max(t.early_finish for t in result)


@settings(max_examples=150, deadline=None)
@given(dags())
def test_critical_paths_run_on_tight_links_from_an_unpushed_item_to_the_end(rm: Roadmap):
    result = plan(rm)
    items = {it.key: it for it in rm.items}
    links: dict[tuple[str, str], list[Dependency]] = {}
    for dep in rm.dependencies:
        links.setdefault((dep.predecessor, dep.successor), []).append(dep)

    assert result.critical_paths
    on_paths = {key for path in result.critical_paths for key in path}
    assert on_paths == set(result.critical)
    for path in result.critical_paths:
        first, last = result[path[0]], result[path[-1]]
        assert first.early_start == max(
            [lower_bound(items[path[0]])]
            + [
                demand(result, d)
                for d in rm.dependencies
                if d.successor == path[0] and not result[d.predecessor].critical
            ]
        )
        assert last.early_finish == result.end
        for p, s in itertools.pairwise(path):
            assert any(result[s].early_start == demand(result, d) for d in links[(p, s)])


@settings(max_examples=100, deadline=None)
@given(dags(), st.data(), st.integers(0, 30), st.sampled_from(tuple(SlipAt)))
def test_a_slip_moves_nothing_earlier_and_nothing_by_more_than_the_slip(
    rm: Roadmap, data: st.DataObject, days: int, at: SlipAt
):
    key = data.draw(st.sampled_from([it.key for it in rm.items]))
    before = plan(rm)

    impact = slip(rm, key, days, at=at)

    for move in impact.moves:
        assert 0 <= move.start_shift <= days
        assert 0 <= move.finish_shift <= days
    assert 0 <= impact.end_shift <= days
    moved = set(impact.moved)
    for t in before:
        unchanged = (impact.after[t.key].early_start, impact.after[t.key].early_finish) == (
            t.early_start,
            t.early_finish,
        )
        assert unchanged == (t.key not in moved)
    if at is SlipAt.START:
        # the slack of an item is exactly what a late start of it can absorb
        assert impact.end_shift == max(0, days - before[key].total_slack)


@settings(max_examples=100, deadline=None)
@given(dags(fs_only=True), st.data(), st.integers(0, 30))
def test_with_finish_to_start_links_a_late_finish_moves_the_end_by_what_the_slack_cannot_absorb(
    rm: Roadmap, data: st.DataObject, days: int
):
    key = data.draw(st.sampled_from([it.key for it in rm.items]))
    before = plan(rm)

    impact = slip(rm, key, days)

    assert impact.end_shift == max(0, days - before[key].total_slack)
    assert all(
        move.finish_shift <= max(0, days - before[key].free_slack) for move in impact.moves if move.key != key
    )
