"""Integration: cluster pages (helix.registry.cluster_views): name history, operator, domains, the triple
helix, members by level, advisory groups with their balance, and the list of clusters."""

import pytest
from django.urls import reverse

from helix.registry.cluster_views import Strand
from helix.registry.models import (
    AdvisoryGroup,
    AdvisorySeat,
)
from tests.factories import (
    ClusterFactory,
    DomainFactory,
    PersonFactory,
)
from tests.helpers.queries import count_queries
from tests.registry.helpers import populate

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_cluster_page_shows_name_history_operator_and_domains_with_member_counts(client, surfmat):
    response = client.get(surfmat.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Materials &amp; Manufacturing</h1>" in html
    assert [(n.name, n.valid_from.year) for n in response.context["names"]] == [
        ("SurfMat", 2001),
        ("Materials & Manufacturing", 2021),
    ]
    assert '<strong>SurfMat</strong> <span class="muted">from 2001</span>' in html
    assert ">Agency</a>" in html
    domains = [
        (d.name, d.member_count) for group in response.context["domain_groups"].values() for d in group
    ]
    assert domains == [("Coatings zone", 5)]


def test_cluster_page_shows_the_triple_helix_composition(client, surfmat):
    response = client.get(surfmat.get_absolute_url())
    assert response.context["composition"] == [
        Strand("industry", "Industry", 3, 60.0),
        Strand("research", "Research", 1, 20.0),
        Strand("public", "Public", 1, 20.0),
        Strand("intermediary", "Intermediary", 0, 0.0),
    ]
    html = response.content.decode()
    assert (
        '<svg class="helix-bar__segment strand--industry" width="60.0%" aria-hidden="true">'
        "<title>Industry: 3</title></svg>"
    ) in html
    assert "5 organisations on the engagement ladder" in html


def test_cluster_page_groups_visible_members_by_level(client, surfmat):
    response = client.get(surfmat.get_absolute_url())
    groups = [
        (label, [m.organisation.name for m in members])
        for _, label, members in response.context["member_groups"]
    ]
    assert groups == [
        ("Strategic partner", ["Company 1"]),
        ("Member", ["Company 0"]),
        ("Letter of intent signed", ["City"]),
        ("Interested", ["University"]),
    ]


def test_cluster_page_shows_advisory_groups_with_balance_and_only_public_names(client, surfmat):
    response = client.get(surfmat.get_absolute_url())
    (item,) = response.context["advisory"]
    assert [(e["name"], e["organisation"].name) for e in item["seats"]] == [
        ("Els Chair", "Company 0"),
        ("", "University"),
    ]
    assert [(s.value, s.count) for s in item["balance"]] == [
        ("industry", 1),
        ("research", 1),
        ("public", 0),
        ("intermediary", 0),
    ]
    html = response.content.decode()
    assert "Jan Shy" not in html
    assert "Name not public" in html


def test_cluster_list_links_every_cluster_with_its_current_name(client, surfmat):
    response = client.get(reverse("registry:cluster_list"))
    html = response.content.decode()
    assert f'<a href="{surfmat.get_absolute_url()}">Materials &amp; Manufacturing</a>' in html
    assert "5 organisations on the ladder" in html


def test_unknown_cluster_is_404(client):
    assert client.get(reverse("registry:cluster", args=["nope"])).status_code == 404


def test_cluster_page_query_count_does_not_grow_with_the_number_of_members(client):
    cluster = ClusterFactory(slug="big")
    domain = DomainFactory(cluster=cluster)
    group = AdvisoryGroup.objects.create(cluster=cluster, name="Advisory")
    populate(cluster, domain, 0, 3)
    for person in [PersonFactory(organisation=m.organisation) for m in cluster.memberships.all()]:
        AdvisorySeat.objects.create(group=group, person=person)
    small = count_queries(client, cluster.get_absolute_url())
    small_list = count_queries(client, reverse("registry:cluster_list"))
    populate(cluster, domain, 3, 30)
    for membership in cluster.memberships.all()[3:]:
        AdvisorySeat.objects.create(group=group, person=PersonFactory(organisation=membership.organisation))
    ClusterFactory.create_batch(5)
    assert count_queries(client, cluster.get_absolute_url()) == small
    assert count_queries(client, reverse("registry:cluster_list")) == small_list
