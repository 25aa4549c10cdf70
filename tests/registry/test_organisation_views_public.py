"""Integration: what a public profile shows — current memberships only, and no demo "sample" marker in
the descriptions of the demo's invented organisations (issue 12, found item 8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from helix.demo import load_demo
from helix.registry.models import Organisation
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, staff_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def former_member():
    organisation = OrganisationFactory(name="Acme Coatings")
    current = ClusterFactory(slug="materials", name="Materials Cluster")
    ended = ClusterFactory(slug="energy", name="Energy Cluster")
    MembershipFactory(organisation=organisation, cluster=current, level="member")
    MembershipFactory(organisation=organisation, cluster=ended, level="left")
    return organisation, current, ended


def _cluster_names(response):
    return [m.cluster.slug for m, _label in response.context["memberships"]]


def test_public_profile_lists_only_current_memberships(client, former_member):
    organisation, _current, _ended = former_member
    response = client.get(organisation.get_absolute_url())
    assert _cluster_names(response) == ["materials"]
    assert "Energy Cluster" not in response.content.decode()


def test_staff_of_the_cluster_still_see_the_ended_membership(client, former_member):
    organisation, current, ended = former_member
    client.force_login(staff_user(ended, "energy-staff"))
    assert _cluster_names(client.get(organisation.get_absolute_url())) == ["energy", "materials"]
    client.force_login(staff_user(current, "materials-staff"))
    assert _cluster_names(client.get(organisation.get_absolute_url())) == ["materials"]


def test_demo_organisations_show_no_sample_note_in_public_text(client):
    load_demo()
    invented = Organisation.objects.filter(is_sample=True, is_published=True).order_by("slug").first()
    assert invented is not None
    for language in ("en", "fr", "de"):
        profile = client.get(invented.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert not any(note in profile for note in ("Sample:", "Exemple :", "Beispiel:"))
    listing = client.get(reverse("registry:directory"), {"q": invented.name}).content.decode()
    assert invented.name in listing
    assert "Sample:" not in listing
