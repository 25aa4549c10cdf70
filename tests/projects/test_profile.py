"""Integration: an organisation's profile shows the projects it is in (helix.projects.profile, a section
registered with helix.registry.profile_sections): each with its type, status, role and consortium, and
only those the visitor may see, as the project's permission table says."""

from __future__ import annotations

import re

import pytest

from helix.projects.permissions import PROJECT
from tests.factories.registry import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    member_user,
    staff_user,
)
from tests.helpers.clients import page_client
from tests.helpers.queries import count_queries
from tests.permissions.world import ROLES, build_world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def listed(page: str) -> list[int]:
    """The projects the profile's projects section links to, in order."""
    if 'id="organisation-projects"' not in page:
        return []
    section = page.split('id="organisation-projects"', 1)[1].split("</section>", 1)[0]
    return [int(pk) for pk in re.findall(r'href="/projects/(\d+)/"', section)]


@pytest.fixture
def steel():  # type: ignore[no-untyped-def]
    from helix.projects.models import Project, ProjectMember

    cluster = ClusterFactory(slug="lu-materials", name="Materials")
    steel = OrganisationFactory(name="Steel", slug="steel", kind="company", is_published=True)
    coat = OrganisationFactory(name="Coat", slug="coat", kind="company", is_published=True)
    hidden = OrganisationFactory(name="Hidden Lab", slug="hidden-lab", is_published=False)
    for org in (steel, coat, hidden):
        MembershipFactory(organisation=org, cluster=cluster, level="member")
    projects = {}
    for key, visibility, status in (
        ("public", "public", "running"),
        ("idea", "public", "idea"),
        ("members", "members", "consortium_forming"),
        ("staff", "staff", "submitted"),
    ):
        project = Project.objects.create(
            cluster=cluster, kind="flagship", title=f"Green steel {key}", visibility=visibility, status=status
        )
        ProjectMember.objects.create(project=project, organisation=steel, role="coordinator")
        ProjectMember.objects.create(project=project, organisation=hidden, role="knowledge_partner")
        projects[key] = project
    ProjectMember.objects.create(project=projects["public"], organisation=coat, role="partner")
    return {"cluster": cluster, "steel": steel, "coat": coat, "projects": projects}


def test_an_anonymous_visitor_sees_only_public_projects_past_the_idea(steel):  # type: ignore[no-untyped-def]
    page = page_client().get("/organisations/steel/").content.decode()
    assert listed(page) == [steel["projects"]["public"].pk]


def test_a_consortium_member_sees_its_staff_only_project_and_its_idea(steel):  # type: ignore[no-untyped-def]
    person = member_user(steel["steel"], "steel_person")
    projects = steel["projects"]
    page = page_client(person).get("/organisations/steel/").content.decode()
    assert sorted(listed(page)) == sorted(p.pk for p in projects.values())


def test_a_member_of_another_organisation_sees_the_public_and_members_projects(steel):  # type: ignore[no-untyped-def]
    person = member_user(steel["coat"], "coat_person")
    projects = steel["projects"]
    page = page_client(person).get("/organisations/steel/").content.decode()
    assert sorted(listed(page)) == sorted([projects["public"].pk, projects["members"].pk])
    staff = staff_user(steel["cluster"], "lux_staff")
    assert len(listed(page_client(staff).get("/organisations/steel/").content.decode())) == 4


def test_each_project_says_its_type_status_role_and_consortium(steel):  # type: ignore[no-untyped-def]
    page = page_client().get("/organisations/coat/").content.decode()
    section = page.split('id="organisation-projects"', 1)[1].split("</section>", 1)[0]
    assert "Green steel public" in section
    assert "Materials · Flagship project · " in section
    assert '<span class="badge badge--muted">Running</span>' in section
    assert "Role: Partner" in section
    # the coordinator's profile is public: linked; the unpublished lab is named, not linked
    assert '<a href="/organisations/steel/">Steel</a> <span class="muted">(Coordinator)</span>' in section
    assert 'Hidden Lab <span class="muted">(Knowledge partner)</span>' in section


def test_an_organisation_in_no_visible_project_has_no_projects_section(steel):  # type: ignore[no-untyped-def]
    loner = OrganisationFactory(name="Loner", slug="loner", is_published=True)
    assert 'id="organisation-projects"' not in page_client().get("/organisations/loner/").content.decode()
    assert loner.pk


def test_the_section_asks_as_many_queries_for_one_project_as_for_five(steel):  # type: ignore[no-untyped-def]
    from helix.projects.models import Project, ProjectMember

    staff = staff_user(steel["cluster"], "lux_staff")
    client = page_client(staff)
    client.get("/organisations/steel/")
    few = count_queries(client, "/organisations/steel/")
    for n in range(5):
        project = Project.objects.create(cluster=steel["cluster"], kind="flagship", title=f"More {n}")
        ProjectMember.objects.create(project=project, organisation=steel["steel"], role="coordinator")
        ProjectMember.objects.create(
            project=project, organisation=OrganisationFactory(is_published=True), role="partner"
        )
    client.get("/organisations/steel/")  # warm what a changed registry reads once, as counted_at_sizes does
    assert count_queries(client, "/organisations/steel/") == few


def test_every_role_sees_on_every_profile_exactly_the_projects_the_table_lets_it_see():
    world = build_world()
    wrong = []
    for role in ROLES:
        client = page_client(None if role == "anonymous" else world.users[role])
        for org_key, org in world.orgs.items():
            response = client.get(f"/organisations/{org.slug}/")
            if response.status_code != 200:
                continue  # a profile the role may not see (tests/permissions covers it)
            expected = sorted(
                thing.obj.pk
                for key, thing in world.things.items()
                if key.startswith("project:")
                and org_key in thing.owners
                and world.expected(PROJECT, "view", role, key)
            )
            if sorted(listed(response.content.decode())) != expected:
                wrong.append((role, org_key))
    assert wrong == []
