"""Integration: a project is owned by every organisation of its consortium, listed once, and reached by
its visibility (helix.projects.permissions)."""

from __future__ import annotations

import pytest

from helix.projects.models import Project
from helix.registry import permissions
from tests.permissions.world import build_world

pytestmark = pytest.mark.integration


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    return build_world()


def _titles(world, user, action):  # type: ignore[no-untyped-def]
    listed = permissions.scope(world.users[user], action, Project.objects.all())
    return sorted(listed.values_list("title", flat=True))


def test_each_consortium_member_edits_the_project_and_it_is_listed_once(world):  # type: ignore[no-untyped-def]
    project = world.things["project:alpha-public-forming"].obj
    for user in ("member_a1", "member_ab"):
        assert permissions.can(world.users[user], "edit", project)
    # member_ab's organisation is in two consortia (alpha's public and beta's public project); the
    # scope is a subquery, so a project of two owning members is one row, not two
    assert _titles(world, "member_ab", "edit") == [
        "public approved project of beta",
        "public forming project of alpha",
    ]
    assert Project.objects.filter(
        pk__in=permissions.scope(world.users["member_ab"], "edit", Project.objects.all())
    ).count() == len(_titles(world, "member_ab", "edit"))


def test_a_member_of_the_cluster_outside_the_consortium_only_sees_what_its_visibility_allows(world):  # type: ignore[no-untyped-def]
    # a2 is at letter-of-intent level in alpha (the audience); it coordinates alpha's staff-only project
    assert _titles(world, "member_a2", "view") == [
        "Alpha working table",  # a programme's working table (tests/insights/world_things.py)
        "members running project of alpha",
        "public approved project of beta",
        "public forming project of alpha",
        "staff submitted project of alpha",
    ]
    assert _titles(world, "member_a2", "edit") == ["staff submitted project of alpha"]


def test_staff_see_and_move_their_clusters_projects_only(world):  # type: ignore[no-untyped-def]
    assert _titles(world, "staff_b", "transition") == [
        "members forming project of beta",
        "public approved project of beta",
        "staff idea project of beta",
    ]


def test_an_idea_is_seen_by_its_consortium_and_staff_only_and_may_be_deleted(world):  # type: ignore[no-untyped-def]
    idea = world.things["project:alpha-public-idea"].obj
    assert not permissions.can(world.users["member_a1"], "view", idea)
    assert permissions.can(world.users["member_a3"], "view", idea)
    assert permissions.can(world.users["member_a3"], "delete", idea)
    forming = world.things["project:alpha-public-forming"].obj
    assert not permissions.can(world.users["member_a1"], "delete", forming)
