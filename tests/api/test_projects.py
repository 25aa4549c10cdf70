"""Integration: the projects API answers as the pages do: what one may see, and lifecycle moves that are
refused with the project's missing pieces in the caller's language (helix.api.projects)."""

from __future__ import annotations

import pytest

from helix.projects import services
from tests.factories.registry import ClusterFactory, MembershipFactory, OrganisationFactory, member_user
from tests.helpers.clients import api_client

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def lux():  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(slug="lu-materials", name="Materials")
    steel = OrganisationFactory(name="Steel", slug="steel", kind="company", is_published=True)
    MembershipFactory(organisation=steel, cluster=cluster, level="member")
    user = member_user(steel, "steel_person")
    project = services.start_project(
        user, cluster=cluster, coordinator=steel, kind="flagship", title="Green steel", months=24,
        visibility="public",
    )  # fmt: skip
    return user, project


def test_an_idea_is_not_listed_for_visitors_and_its_coordinator_sees_its_moves(lux):  # type: ignore[no-untyped-def]
    user, project = lux
    assert api_client().get("/api/projects/projects").json()["items"] == []
    mine = api_client(user).get("/api/projects/projects").json()["items"]
    assert [(p["id"], p["status"], p["moves"], p["members"]) for p in mine] == [
        (
            project.pk,
            "idea",
            ["consortium_forming", "closed"],
            [{"organisation": "steel", "name": "Steel", "role": "coordinator"}],
        )
    ]


def test_a_refused_submission_is_409_with_what_is_missing_in_the_callers_language(lux):  # type: ignore[no-untyped-def]
    user, project = lux
    client = api_client(user)
    moved = client.post(
        f"/api/projects/projects/{project.pk}/status",
        {"status": "consortium_forming"},
        content_type="application/json",
    )
    assert (moved.status_code, moved.json()["status"]) == (200, "consortium_forming")
    refused = client.post(
        f"/api/projects/projects/{project.pk}/status",
        {"status": "submitted"},
        content_type="application/json",
        headers={"Accept-Language": "nl"},
    )
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "Het project is nog niet klaar voor “Ingediend”:",
        "code": "lifecycle.requirements_unmet",
        "problems": ["Er zijn minstens 2 onafhankelijke organisaties nodig; het consortium heeft er 1."],
    }
    # the public project past the idea is now listed for anyone, without moves
    listed = api_client().get("/api/projects/projects").json()["items"]
    assert [(p["id"], p["moves"]) for p in listed] == [(project.pk, [])]
