"""Integration: the composer of a project joins the type's rules (what the consortium still misses) and
the partner recommender learned from Helix's own projects and accepted meetings
(helix.projects.composer)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from helix.market.models import MeetingRequest, MeetingStatus
from helix.projects import composer, services
from helix.projects.models import Project, ProjectMember
from tests.factories.market import make_listing
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
        ("lasers", "company", "sme"),
        ("uni", "knowledge_institution", ""),
        ("city", "government", ""),
    ):
        orgs[key] = OrganisationFactory(
            name=key.title(), slug=key, kind=kind, size_class=size, is_published=True
        )
        SiteFactory(organisation=orgs[key], country="LU", is_headquarters=True)
        MembershipFactory(organisation=orgs[key], cluster=cluster, level="member")
    return cluster, orgs


def _flagship(cluster, orgs):  # type: ignore[no-untyped-def]
    user = member_user(orgs["steel"], "steel_person")
    project = services.start_project(
        user, cluster=cluster, coordinator=orgs["steel"], kind="flagship", title="Green steel", months=24
    )
    services.add_member(user, project, orgs["coat"], "partner")
    return user, project


def test_the_composer_suggests_the_missing_strands_first_and_known_partners_after(lux):  # type: ignore[no-untyped-def]
    cluster, orgs = lux
    user, project = _flagship(cluster, orgs)
    # steel worked with lasers before: a past project and an accepted meeting
    past = Project.objects.create(
        cluster=cluster, kind="precluster", title="Old", status="closed", starts_on=dt.date(2022, 1, 1)
    )
    for org in ("steel", "lasers"):
        ProjectMember.objects.create(project=past, organisation=orgs[org], role="partner")
    need, offer = make_listing(orgs["steel"], side="need"), make_listing(orgs["lasers"], side="offer")
    MeetingRequest.objects.create(
        need=need, offer=offer, from_organisation=orgs["steel"], to_organisation=orgs["lasers"],
        status=MeetingStatus.ACCEPTED,
    )  # fmt: skip

    composed = composer.compose_for(user, project)
    suggested = [
        (composed.organisations[int(s.organisation)].slug, s.role.value)
        for s in composed.composition.suggestions
    ]
    # a knowledge institution and a government close the advisory public-private and helix-mix gaps;
    # lasers closes none but is the one the recommender knows steel works with
    assert sorted(suggested[:2]) == [("city", "partner"), ("uni", "partner")]
    assert suggested[2] == ("lasers", "partner")
    lasers = composed.composition.suggestions[2]
    assert (lasers.gap_score, lasers.affinity) == (0.0, 1.0)
    assert "co_participated" in [r.code for r in lasers.affinity_reasons]
    for s in composed.composition.suggestions[:2]:
        assert [r.code.split(".")[1] for r in s.closes][:1] == ["closes"]
    assert {"steel", "coat"}.isdisjoint(slug for slug, _ in suggested)  # members are never suggested
    assert {g.severity for g in composed.composition.gaps} == {"advisory"}


def test_only_who_may_edit_the_project_composes_it(lux):  # type: ignore[no-untyped-def]
    cluster, orgs = lux
    _user, project = _flagship(cluster, orgs)
    with pytest.raises(PermissionDenied):
        composer.compose_for(member_user(orgs["uni"], "uni_person"), project)


def test_the_recommender_learns_from_projects_past_the_idea_and_accepted_meetings_only(lux):  # type: ignore[no-untyped-def]
    cluster, orgs = lux
    _flagship(cluster, orgs)  # an idea: not yet a participation
    declined = MeetingRequest.objects.create(
        need=make_listing(orgs["uni"], side="need"), offer=make_listing(orgs["city"], side="offer"),
        from_organisation=orgs["uni"], to_organisation=orgs["city"], status=MeetingStatus.DECLINED,
    )  # fmt: skip
    staff = staff_user(cluster, "materials_staff")
    assert composer.participations(staff) == []
    declined.status = MeetingStatus.ACCEPTED
    declined.save()
    rows = composer.participations(staff)
    assert sorted((r.project_id, r.organisation_id, r.organisation_type, r.country) for r in rows) == sorted(
        [
            (f"meeting-{declined.pk}", str(orgs["city"].pk), "PUB", "LU"),
            (f"meeting-{declined.pk}", str(orgs["uni"].pk), "HES", "LU"),
        ]
    )


def test_the_recommender_learns_only_from_projects_and_meetings_the_user_may_see(lux):  # type: ignore[no-untyped-def]
    cluster, orgs = lux
    hidden = Project.objects.create(
        cluster=cluster, kind="precluster", title="Confidential", status="running", visibility="staff"
    )
    for org in ("uni", "city"):
        ProjectMember.objects.create(project=hidden, organisation=orgs[org], role="partner")
    MeetingRequest.objects.create(
        need=make_listing(orgs["uni"], side="need"), offer=make_listing(orgs["lasers"], side="offer"),
        from_organisation=orgs["uni"], to_organisation=orgs["lasers"], status=MeetingStatus.ACCEPTED,
    )  # fmt: skip
    # steel's person sees neither the staff-only project nor the meeting between two other organisations
    assert composer.participations(member_user(orgs["steel"], "steel_reader")) == []
    # the cluster's staff see both
    seen = composer.participations(staff_user(cluster, "materials_staff"))
    meeting = MeetingRequest.objects.get()
    assert sorted({r.project_id for r in seen}) == sorted([f"project-{hidden.pk}", f"meeting-{meeting.pk}"])
