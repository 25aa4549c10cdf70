"""A generated cluster roadmap of any size, seeded: tracks, participants, items and layered dependencies.

Items are made in order, each on one of ``tracks`` tracks, with an owner, contributors and effort among
``participants`` participants, a budget and, for four in five, funding. Item ``i``'s predecessors (1 to
3, about two on average) are drawn among the ``window`` items just before it, mostly on its own track: a
layered graph, so there is no cycle, with long chains through it as in a real roadmap. Most links are
finish-to-start, some start-to-start, with lags of 0 to 14 days.

Then the roadmap is planned once and the facts a planner would write are taken from that plan: along
each track the TRL rises with the planned order (1 to 9; one item in twenty a level or two below its
neighbours: the ``trl_falls`` a real draft has), one item in ten states its planned start (one in five
of those a few days earlier than its dependencies allow: ``starts_before_dependency``), and one in
twenty is fed by a project ending on its planned finish (one in ten of those a month later:
``project_ends_late``).
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from helix.core.roadmaps.model import (
    Dependency,
    DependencyKind,
    Effort,
    Item,
    ItemKind,
    Participant,
    ProjectLink,
    Roadmap,
    Track,
)
from helix.core.roadmaps.schedule import plan

START = date(2026, 1, 1)
ROLES = ("lead", "partner", "knowledge partner", "city", "investor")
HELICES = ("company", "knowledge", "government", "other")


def generate_roadmap(
    items: int,
    *,
    seed: int = 20260101,
    tracks: int = 10,
    participants: int = 50,
    window: int = 200,
) -> Roadmap:
    rng = random.Random(seed)
    people = tuple(
        Participant(
            f"org{p}",
            f"Organisation {p}",
            role=rng.choice(ROLES),
            committed=rng.random() < 0.8,
            helix=HELICES[p % len(HELICES)],
            capacity_pm_per_month=rng.choice((None, 2.0, 5.0, 10.0)),
        )
        for p in range(participants)
    )
    lines = tuple(Track(f"track{t}", f"Track {t}") for t in range(tracks))
    made: list[Item] = []
    by_track: dict[str, list[int]] = {t.key: [] for t in lines}
    deps: list[Dependency] = []
    for i in range(items):
        track = lines[rng.randrange(tracks)].key
        kind = rng.choices((ItemKind.MILESTONE, ItemKind.DELIVERABLE, ItemKind.ACTIVITY), (6, 2, 2))[0]
        owner = people[rng.randrange(participants)].id
        contributors = tuple(
            sorted({people[rng.randrange(participants)].id for _ in range(rng.randrange(3))} - {owner})
        )
        budget = 0.0 if kind is ItemKind.MILESTONE else float(rng.randrange(10, 500) * 1000)
        made.append(
            Item(
                f"it{i:05d}",
                f"Item {i}",
                kind=kind,
                track=track,
                owner=owner,
                contributors=contributors,
                duration_days=0 if kind is ItemKind.MILESTONE else rng.randrange(10, 121),
                efforts=tuple(Effort(p, float(rng.randrange(1, 13))) for p in (owner, *contributors)),
                budget=budget,
                funding_secured=budget * rng.choice((0.5, 0.7, 1.0)) if rng.random() < 0.8 else 0.0,
            )
        )
        if i:
            own = [j for j in by_track[track][-20:] if i - j <= window]
            chosen: set[int] = set()
            for _ in range(rng.choices((1, 2, 3), (0.8, 1.0, 1.2))[0]):
                chosen.add(
                    rng.choice(own) if own and rng.random() < 0.7 else rng.randrange(max(0, i - window), i)
                )
            for j in sorted(chosen):
                ss = rng.random() < 0.15
                kind_of = DependencyKind.START_TO_START if ss else DependencyKind.FINISH_TO_START
                deps.append(Dependency(made[j].key, made[i].key, kind_of, rng.randrange(15)))
        by_track[track].append(i)
    rng.shuffle(deps)
    drafted = Roadmap(START, tuple(made), tuple(deps), people, lines, f"Generated roadmap ({items} items)")
    return _planned_facts(drafted, rng)


def _planned_facts(roadmap: Roadmap, rng: random.Random) -> Roadmap:
    """TRLs rising along each track, some stated starts and some projects, from the roadmap's plan."""
    planned = plan(roadmap)
    order = sorted(roadmap.items, key=lambda it: (planned[it.key].early_start, planned[it.key].early_finish))
    along: dict[str | None, list[Item]] = {}
    for it in order:
        along.setdefault(it.track, []).append(it)
    trl: dict[str, int] = {}
    for members in along.values():
        for rank, it in enumerate(members):
            level = 1 + rank * 9 // len(members)
            trl[it.key] = max(1, level - rng.randrange(1, 3)) if rng.random() < 0.05 else level
    items = []
    for it in roadmap.items:
        times = planned[it.key]
        fields: dict[str, object] = {
            "trl_from": max(1, trl[it.key] - rng.randrange(2)),
            "trl_to": trl[it.key],
        }
        if rng.random() < 0.1:
            early = rng.randrange(1, 10) if rng.random() < 0.2 else 0
            fields["planned_start"] = roadmap.start + timedelta(days=max(0, times.early_start - early))
        if rng.random() < 0.05:
            late = 30 if rng.random() < 0.1 else 0
            fields["projects"] = (
                ProjectLink(
                    f"proj-{it.key}",
                    start=roadmap.start + timedelta(days=max(0, times.early_start - 180)),
                    end=roadmap.start + timedelta(days=times.early_finish + late),
                ),
            )
        items.append(replace(it, **fields))  # type: ignore[arg-type]
    return replace(roadmap, items=tuple(items))
