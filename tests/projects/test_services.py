"""Integration: starting a project, shaping its consortium and moving it through its lifecycle, as the
services do it for every surface (helix.projects.services)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from helix.projects import services
from helix.projects.models import ProjectChange
from helix.projects.services import ProjectRefused
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
    cluster = ClusterFactory(slug="lu-materials", name="Materials & Manufacturing")
    orgs = {}
    for key, kind, size in (
        ("steel", "company", "large"),
        ("coat", "company", "sme"),
        ("uni", "knowledge_institution", ""),
    ):
        orgs[key] = OrganisationFactory(name=key.title(), slug=key, kind=kind, size_class=size)
        SiteFactory(organisation=orgs[key], country="LU", is_headquarters=True)
        MembershipFactory(organisation=orgs[key], cluster=cluster, level="member")
    orgs["outsider"] = OrganisationFactory(name="Outsider", slug="outsider", kind="company")
    return cluster, orgs


def _start(user, cluster, orgs, **fields):  # type: ignore[no-untyped-def]
    return services.start_project(
        user, cluster=cluster, coordinator=orgs["steel"], kind="flagship", title="Green steel", **fields
    )


def test_a_member_starts_a_project_for_its_own_organisation_as_coordinator(lux):  # type: ignore[no-untyped-def]
    cluster, orgs = lux
    user = member_user(orgs["steel"], "steel_person")
    project = _start(user, cluster, orgs)
    assert (project.status, [(m.organisation.slug, m.role) for m in project.members.all()]) == (
        "idea",
        [("steel", "coordinator")],
    )
    history = ProjectChange.objects.values_list("from_status", "to_status", "note")
    assert list(history) == [("", "idea", "")]


def test_no_one_starts_a_project_for_an_organisation_outside_the_cluster_or_not_theirs(lux):  # type: ignore[no-untyped-def]
    cluster, orgs = lux
    with pytest.raises(PermissionDenied):
        _start(member_user(orgs["coat"], "coat_person"), cluster, orgs)  # not their organisation
    outsider = member_user(orgs["outsider"], "outsider_person")
    with pytest.raises(PermissionDenied):
        services.start_project(
            outsider, cluster=cluster, coordinator=orgs["outsider"], kind="flagship", title="x"
        )
    # the cluster's staff may start one for any organisation
    assert _start(staff_user(cluster), cluster, orgs).members.get().organisation == orgs["steel"]


def test_an_unknown_type_is_refused_with_its_code(lux):  # type: ignore[no-untyped-def]
    cluster, orgs = lux
    with pytest.raises(ProjectRefused) as refused:
        services.start_project(
            staff_user(cluster), cluster=cluster, coordinator=orgs["steel"], kind="moonshot", title="x"
        )
    assert (refused.value.code, refused.value.params) == ("project.unknown_type", {"type": "moonshot"})


def test_the_consortium_takes_each_organisation_once_and_one_coordinator(lux):  # type: ignore[no-untyped-def]
    cluster, orgs = lux
    user = member_user(orgs["steel"], "steel_person")
    project = _start(user, cluster, orgs)
    services.add_member(user, project, orgs["coat"], "partner")
    with pytest.raises(ProjectRefused) as twice:
        services.add_member(user, project, orgs["coat"], "knowledge_partner")
    assert twice.value.code == "project.member_twice"
    with pytest.raises(ProjectRefused) as second:
        services.add_member(user, project, orgs["uni"], "coordinator")
    assert second.value.code == "project.second_coordinator"
    with pytest.raises(ProjectRefused) as role:
        services.add_member(user, project, orgs["uni"], "city_host")  # a flagship has no city host
    assert (role.value.code, role.value.params) == (
        "project.role_not_allowed",
        {"type": "flagship", "role": "city_host"},
    )
    with pytest.raises(PermissionDenied):  # a person of an organisation outside the consortium
        services.add_member(member_user(orgs["uni"], "uni_person"), project, orgs["uni"], "partner")


def test_a_flagship_is_submitted_only_with_two_organisations_and_approved_only_by_staff(lux):  # type: ignore[no-untyped-def]
    cluster, orgs = lux
    coordinator = member_user(orgs["steel"], "steel_person")
    project = _start(coordinator, cluster, orgs, months=24)
    services.move(coordinator, project, "consortium_forming")
    with pytest.raises(ProjectRefused) as alone:
        services.move(coordinator, project, "submitted")
    assert alone.value.code == "lifecycle.requirements_unmet"
    assert [p.code for p in alone.value.problems] == ["consortium.too_few_organisations"]

    partner = member_user(orgs["coat"], "coat_person")
    services.add_member(coordinator, project, orgs["coat"], "partner")
    with pytest.raises(ProjectRefused) as not_coordinator:
        services.move(partner, project, "submitted")  # the coordinator submits
    assert not_coordinator.value.code == "lifecycle.not_yours"
    services.move(coordinator, project, "submitted", note="ready")
    with pytest.raises(ProjectRefused) as not_staff:
        services.move(coordinator, project, "approved")
    assert not_staff.value.code == "lifecycle.not_yours"
    project = services.move(staff_user(cluster), project, "approved")
    assert project.status == "approved"
    assert list(ProjectChange.objects.order_by("pk").values_list("from_status", "to_status")) == [
        ("", "idea"),
        ("idea", "consortium_forming"),
        ("consortium_forming", "submitted"),
        ("submitted", "approved"),
    ]


def test_staff_of_another_cluster_cannot_move_the_project(lux):  # type: ignore[no-untyped-def]
    cluster, orgs = lux
    project = _start(staff_user(cluster), cluster, orgs)
    other = ClusterFactory(slug="lu-health", name="Health")
    with pytest.raises(PermissionDenied):
        services.move(staff_user(other, "other_staff"), project, "consortium_forming")
    assert project.changes.count() == 1
