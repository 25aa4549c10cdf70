"""Integration: cluster staff use the admin for their own clusters only."""

import pytest

from helix.registry import services
from helix.registry.models import Organisation
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers.forms import form_data

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def two_clusters():  # type: ignore[no-untyped-def]
    ours, theirs = ClusterFactory(), ClusterFactory()
    mine = MembershipFactory(cluster=ours, organisation=OrganisationFactory(name="Ours NV")).organisation
    other = MembershipFactory(cluster=theirs, organisation=OrganisationFactory(name="Theirs SA")).organisation
    user = UserFactory(username="clara")
    services.assign_cluster_staff(user, ours)
    return user, mine, other


def test_staff_assignment_grants_admin_access_through_the_group(client, two_clusters):
    user, _mine, _other = two_clusters
    user.refresh_from_db()
    assert user.is_staff
    assert user.has_perm("registry.change_organisation")
    assert not user.has_perm("registry.delete_organisation")
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_staff_see_and_change_only_their_clusters_organisations(client, two_clusters):
    user, mine, other = two_clusters
    client.force_login(user)
    listing = client.get("/admin/registry/organisation/").content.decode()
    assert "Ours NV" in listing
    assert "Theirs SA" not in listing
    assert client.get(f"/admin/registry/organisation/{mine.pk}/change/").status_code == 200
    assert client.get(f"/admin/registry/organisation/{other.pk}/change/").status_code in (302, 403, 404)


def test_staff_change_in_admin_refreshes_search_text(client, two_clusters):
    user, mine, _other = two_clusters
    client.force_login(user)
    page = client.get(f"/admin/registry/organisation/{mine.pk}/change/")
    data = form_data(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        data.update(form_data(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(form_data(form))
    data["description_en"] = "Geothermal drilling"
    response = client.post(f"/admin/registry/organisation/{mine.pk}/change/", data)
    assert response.status_code == 302
    assert "geothermal drilling" in Organisation.objects.get(pk=mine.pk).search_text


def test_cluster_admin_lists_only_assigned_clusters(client, two_clusters):
    user, _mine, _other = two_clusters
    client.force_login(user)
    listing = client.get("/admin/registry/cluster/")
    assert listing.context["cl"].result_count == 1
