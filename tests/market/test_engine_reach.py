"""Integration: a listing reaches only whom the database says now, on every surface (issue 11, found 6).

- An owner leaving the cluster takes a members-only listing's reach with it: the match engine of a
  running process re-reads the listing, whichever path changed the membership (service, admin, import).
- The organisation-matches API shows a pair only when the caller may see both of its listings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from helix.market import services
from helix.market.engine import get_engine
from helix.market.models import Listing
from helix.market.suggestions import suggestions_for
from helix.registry import services as registry_services
from helix.registry.models import Cluster, Membership, Organisation
from helix.registry.transfer import import_file
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_listing,
    member_user,
)
from tests.helpers.clients import api_client

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

URL = "/api/market"


@dataclass
class Scene:
    cluster: Cluster
    owner: Organisation  # posts a members-only offer
    viewer: Organisation  # a member of the same cluster, with a need the offer answers
    viewer_user: Any
    staff: Any
    offer: Listing
    need: Listing


@pytest.fixture
def scene() -> Scene:  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(slug="heat-cluster")
    owner = OrganisationFactory(name="Warmte BV", slug="warmte")
    viewer = OrganisationFactory(name="Stad Gent", slug="gent")
    MembershipFactory(organisation=owner, cluster=cluster, level="member")
    MembershipFactory(organisation=viewer, cluster=cluster, level="member")
    staff = UserFactory(username="staff")
    registry_services.assign_cluster_staff(staff, cluster)
    offer = make_listing(
        owner,
        "offer",
        title="Heat pumps for social housing",
        description="We install heat pumps in social housing blocks.",
        visibility="members",
    )
    need = make_listing(
        viewer,
        "need",
        title="Heat pumps for social housing wanted",
        description="The city wants heat pumps in its social housing blocks.",
        visibility="public",
    )
    return Scene(cluster, owner, viewer, member_user(viewer, "viewer"), staff, offer, need)


def suggested(scene: Scene) -> list[int]:
    return [s.listing.pk for s in suggestions_for(scene.need, scene.viewer_user)]


def listed(scene: Scene) -> bool:
    return services.visible_listings(scene.viewer_user).filter(pk=scene.offer.pk).exists()


def fresh(user: Any) -> Any:
    """The user as a new request would load it (the permission engine caches the actor on the object)."""
    return type(user).objects.get(pk=user.pk)


def test_a_members_only_offer_stops_reaching_members_once_its_owner_left(scene):
    assert (suggested(scene), listed(scene)) == ([scene.offer.pk], True)
    engine = get_engine()
    membership = Membership.objects.get(organisation=scene.owner)

    registry_services.change_engagement(membership, "left", user=scene.staff)

    scene.viewer_user = fresh(scene.viewer_user)
    assert (suggested(scene), listed(scene)) == ([], False)
    assert get_engine() is engine  # the same process's engine, caught up: no restart


def test_rejoining_gives_the_reach_back(scene):
    membership = Membership.objects.get(organisation=scene.owner)
    registry_services.change_engagement(membership, "left", user=scene.staff)
    assert suggested(scene) == []
    registry_services.change_engagement(membership, "interested", user=scene.staff)
    assert suggested(scene) == []  # interested is not in the audience
    registry_services.change_engagement(membership, "loi_signed", user=scene.staff)
    assert (suggested(scene), listed(scene)) == ([scene.offer.pk], True)


def test_a_membership_changed_in_the_admin_re_stamps_the_listings(scene, client):
    assert suggested(scene) == [scene.offer.pk]
    membership = Membership.objects.get(organisation=scene.owner)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    response = client.post(
        f"/admin/registry/membership/{membership.pk}/delete/", {"post": "yes"}, follow=False
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert suggested(scene) == []


def test_a_membership_left_through_the_import_re_stamps_the_listings(scene, tmp_path):
    assert suggested(scene) == [scene.offer.pk]
    path = tmp_path / "memberships.csv"
    path.write_text(
        "organisation,cluster,level,since\nwarmte,heat-cluster,left,2025-01-01\n", encoding="utf-8"
    )

    report = import_file(path, user=scene.staff)

    assert (report.errors, report.written) == ([], True)
    assert Membership.objects.get(organisation=scene.owner).level == "left"
    assert suggested(scene) == []


def test_a_membership_change_stamps_only_that_organisations_listings(scene):
    before = dict(Listing.objects.values_list("pk", "index_seq"))
    membership = Membership.objects.get(organisation=scene.owner)

    registry_services.change_engagement(membership, "strategic_partner", user=scene.staff)

    after = dict(Listing.objects.values_list("pk", "index_seq"))
    assert after[scene.need.pk] == before[scene.need.pk]
    assert after[scene.offer.pk] > before[scene.offer.pk]


# -- the organisation-matches API: both listings of each pair ----------------------------------------------


def test_organisation_matches_api_leaves_out_pairs_with_a_counterpart_the_caller_may_not_see(scene):
    # The city's public need, matched with a public offer; the engine has indexed both.
    scene.viewer.is_published = True
    scene.viewer.save()
    Listing.objects.filter(pk=scene.offer.pk).update(visibility="public")
    services.restamp_listings_of([scene.owner.pk])
    path = f"{URL}/organisations/gent/matches"
    pairs = [(p["need"]["id"], p["offer"]["id"]) for e in api_client().get(path).json() for p in e["pairs"]]
    assert pairs == [(scene.need.pk, scene.offer.pk)]
    # The offer's lifetime ends: nobody but its organisation and staff may see it any more. The engine
    # drops it on its next change; until then the database decides.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Listing.objects.filter(pk=scene.offer.pk).update(expires_on=yesterday)

    assert api_client().get(path).json() == []
    assert api_client(scene.viewer_user).get(path).json() == []
    staff_pairs = api_client(scene.staff).get(path).json()  # staff of the offer's cluster still see it
    assert [(p["need"]["id"], p["offer"]["id"]) for e in staff_pairs for p in e["pairs"]] == [
        (scene.need.pk, scene.offer.pk)
    ]


def test_organisation_matches_api_and_page_agree_after_the_owner_left(scene, client):
    path = f"{URL}/organisations/gent/matches"
    client.force_login(scene.viewer_user)
    page = reverse("market:organisation_matches", args=["gent"])
    assert [e["organisation"]["slug"] for e in api_client(scene.viewer_user).get(path).json()] == ["warmte"]

    registry_services.change_engagement(
        Membership.objects.get(organisation=scene.owner), "left", user=scene.staff
    )

    assert api_client(scene.viewer_user).get(path).json() == []
    assert client.get(page).context["matches"] == []
