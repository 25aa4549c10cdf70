"""Integration: the project pages as their users use them: the list shows what one may see, the
project's page its consortium and history, its editors the composer, and the lifecycle's moves are
buttons that move it or say why not."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from helix.projects import services
from tests.factories.registry import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
    member_user,
    staff_user,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def lux():  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(slug="lu-materials", name="Materials")
    orgs = {}
    for key, kind, size in (
        ("steel", "company", "large"),
        ("coat", "company", "sme"),
        ("uni", "knowledge_institution", ""),
    ):
        orgs[key] = OrganisationFactory(
            name=key.title(), slug=key, kind=kind, size_class=size, is_published=True
        )
        SiteFactory(organisation=orgs[key], country="LU", is_headquarters=True)
        MembershipFactory(organisation=orgs[key], cluster=cluster, level="member")
    coordinator = member_user(orgs["steel"], "steel_person")
    project = services.start_project(
        coordinator, cluster=cluster, coordinator=orgs["steel"], kind="flagship", title="Green steel",
        months=24, visibility="public",
    )  # fmt: skip
    return cluster, orgs, coordinator, project


def _client(user=None):  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_an_idea_is_listed_for_its_consortium_and_not_for_visitors(lux):  # type: ignore[no-untyped-def]
    _cluster, _orgs, coordinator, project = lux
    assert "Green steel" in _client(coordinator).get("/projects/").content.decode()
    anonymous = _client().get("/projects/").content.decode()
    assert ("Green steel" in anonymous, 'id="no-projects"' in anonymous) == (False, True)
    assert _client().get(f"/projects/{project.pk}/").status_code == 404


def test_the_coordinator_moves_the_project_and_is_told_why_a_move_is_refused(lux):  # type: ignore[no-untyped-def]
    _cluster, _orgs, coordinator, project = lux
    client = _client(coordinator)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'name="move-consortium_forming"' in page
    assert 'id="composer"' in page  # the coordinator edits: the composer is shown
    moved = client.post(f"/projects/{project.pk}/move/", {"target": "consortium_forming"}, follow=True)
    assert "The project is now “Consortium forming”." in moved.content.decode()
    refused = client.post(f"/projects/{project.pk}/move/", {"target": "submitted"}, follow=True)
    expected = "At least 2 independent organisations are needed; the consortium has 1."
    assert expected in refused.content.decode()
    project.refresh_from_db()
    assert project.status == "consortium_forming"
    # a public project past the idea is seen by anyone, without the composer or the moves
    visitor = _client().get(f"/projects/{project.pk}/").content.decode()
    assert ("Green steel" in visitor, 'id="composer"' in visitor, 'id="project-moves"' in visitor) == (
        True,
        False,
        False,
    )


def test_the_composer_suggests_the_knowledge_institution_in_the_readers_language(lux):  # type: ignore[no-untyped-def]
    _cluster, orgs, coordinator, project = lux
    services.add_member(coordinator, project, orgs["coat"], "partner")
    client = _client(coordinator)
    with translation.override("de"):
        page = client.get(f"/projects/{project.pk}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    suggestions = page[page.index('id="suggestions"') :]
    first = suggestions[: suggestions.index("</li></ul></li>")]
    assert ">Uni</a>" in first
    assert first.endswith(
        "<li>Als Wissenseinrichtung ist sie der öffentliche Partner, den eine öffentlich-private "
        "Partnerschaft braucht.</li><li>Als Wissenseinrichtung ergänzt sie eine Art, die der Mischung fehlt."
    )


def test_staff_of_another_cluster_cannot_move_it(lux):  # type: ignore[no-untyped-def]
    _cluster, _orgs, _coordinator, project = lux
    other = staff_user(ClusterFactory(slug="lu-health", name="Health"), "health_staff")
    response = _client(other).post(f"/projects/{project.pk}/move/", {"target": "consortium_forming"})
    assert response.status_code in (403, 404)
    project.refresh_from_db()
    assert project.status == "idea"


def test_the_cluster_filter_keeps_offering_every_cluster_of_the_visible_projects(lux):  # type: ignore[no-untyped-def]
    _cluster, orgs, coordinator, project = lux
    services.move(coordinator, project, "consortium_forming")  # public and past the idea: anyone sees it
    health = ClusterFactory(slug="lu-health", name="Health")
    MembershipFactory(organisation=orgs["steel"], cluster=health, level="member")
    services.start_project(
        coordinator, cluster=health, coordinator=orgs["steel"], kind="flagship", title="Clean hospital",
        visibility="public",
    )  # fmt: skip
    page = _client(coordinator).get("/projects/?cluster=lu-health").content.decode()
    start = page.index('id="filter-cluster"')
    options = page[start : page.index("</select>", start)]
    assert ('value="lu-materials"' in options, 'value="lu-health" selected' in options) == (True, True)
    listed = page[page.index('id="project-list"') :]
    assert ("Clean hospital" in listed, "Green steel" in listed) == (True, False)
