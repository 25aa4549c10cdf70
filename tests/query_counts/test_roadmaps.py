"""Integration: the roadmap pages ask as many queries for 3 items (or roadmaps) as for 12: the roadmap's
page must not grow with its items (each with an owner, a contributor, a track, an effort, a dependency on
the one before, a project and a KPI), nor the list with the roadmaps (tests/query_counts/test_pages.py
for the other pages)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from helix.roadmaps.models import RoadmapStatus
from tests.factories import (
    DependencyFactory,
    EffortFactory,
    ItemFactory,
    KpiFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProjectFactory,
    RoadmapFactory,
    TrackFactory,
)
from tests.helpers.queries import counted_at_sizes
from tests.query_counts import world as qc
from tests.query_counts.world import LARGE, SMALL, World, row_label

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def world() -> World:
    return qc.build_world()


def _roadmap(w: World):  # type: ignore[no-untyped-def]
    """An adopted roadmap of the cluster, the member's organisation its lead, another its partner."""
    roadmap = RoadmapFactory(cluster=w.cluster, key="qc-roadmap", status=RoadmapStatus.ADOPTED)
    lead = ParticipantFactory(roadmap=roadmap, organisation=w.organisation, role="lead")
    partner = ParticipantFactory(roadmap=roadmap, organisation=OrganisationFactory(name="Partner Co"))
    w.extra.update(
        roadmap=roadmap,
        participants=(lead, partner),
        track=TrackFactory(roadmap=roadmap, key="main", title="Main track"),
        kpi=KpiFactory(roadmap=roadmap, key="jobs", title="Jobs"),
        project=ProjectFactory(
            cluster=w.cluster, title="Implementing project", starts_on=dt.date(2027, 1, 1)
        ),
        items=[],
    )
    return roadmap


def grow_items(w: World, start: int, stop: int) -> None:
    lead, partner = w.extra["participants"]
    for n in range(start, stop):
        owner, other = (lead, partner) if n % 2 == 0 else (partner, lead)
        item = ItemFactory(
            roadmap=w.extra["roadmap"],
            key=f"item-{n}",
            title=row_label("item", n),
            kind="activity",
            track=w.extra["track"],
            owner=owner,
            duration_days=30,
            trl_from=3,
            trl_to=5,
            order=n,
        )
        item.contributors.add(other)
        item.projects.add(w.extra["project"])
        w.extra["kpi"].items.add(item)
        EffortFactory(item=item, participant=owner, person_months=Decimal("2.5"))
        if w.extra["items"]:
            DependencyFactory(predecessor=w.extra["items"][-1], successor=item)
        w.extra["items"].append(item)


def grow_roadmaps(w: World, start: int, stop: int) -> None:
    for n in range(start, stop):
        roadmap = RoadmapFactory(
            cluster=w.cluster, key=f"roadmap-{n}", title=row_label("roadmap", n), status=RoadmapStatus.ADOPTED
        )
        ParticipantFactory(roadmap=roadmap, organisation=w.organisation)
        ItemFactory(roadmap=roadmap)


@pytest.mark.parametrize("who", ["staff", "member"])
def test_the_roadmap_page_asks_as_many_queries_for_3_items_as_for_12(client, world, who):  # type: ignore[no-untyped-def]
    roadmap = _roadmap(world)
    client.force_login(world.staff if who == "staff" else world.member)

    (small, _), (large, response) = counted_at_sizes(
        client, roadmap.get_absolute_url(), lambda a, b: grow_items(world, a, b), (SMALL, LARGE)
    )

    assert row_label("item", LARGE - 1) in response.content.decode()
    assert large == small


@pytest.mark.parametrize("who", ["staff", "member"])
def test_the_roadmap_list_asks_as_many_queries_for_3_roadmaps_as_for_12(client, world, who):  # type: ignore[no-untyped-def]
    client.force_login(world.staff if who == "staff" else world.member)

    (small, _), (large, response) = counted_at_sizes(
        client, "/roadmaps/", lambda a, b: grow_roadmaps(world, a, b), (SMALL, LARGE)
    )

    assert row_label("roadmap", LARGE - 1) in response.content.decode()
    assert large == small
