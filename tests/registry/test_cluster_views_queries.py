"""Integration: the cluster page's query count does not grow with its advisory groups."""

import pytest

from helix.registry import services
from helix.registry.models import AdvisoryGroup, AdvisorySeat, OrganisationKind
from tests.factories import ClusterFactory, OrganisationFactory, PersonFactory
from tests.helpers.queries import count_queries

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def add_groups(cluster, count):  # type: ignore[no-untyped-def]
    for g in range(count):
        group = AdvisoryGroup.objects.create(cluster=cluster, name=f"Advisory group {g}")
        for kind in (
            OrganisationKind.COMPANY,
            OrganisationKind.KNOWLEDGE_INSTITUTION,
            OrganisationKind.GOVERNMENT,
        ):
            org = OrganisationFactory(kind=kind, size_class="sme" if kind == OrganisationKind.COMPANY else "")
            AdvisorySeat.objects.create(
                group=group, person=PersonFactory(organisation=org, consent_public=True)
            )


def queries_for_cluster_page(client, cluster):  # type: ignore[no-untyped-def]
    return count_queries(client, f"/clusters/{cluster.slug}/")


def test_cluster_page_queries_do_not_grow_with_advisory_groups(client):
    small, large = ClusterFactory(), ClusterFactory()
    add_groups(small, 1)
    add_groups(large, 4)
    assert queries_for_cluster_page(client, large) == queries_for_cluster_page(client, small)


def test_advisory_balance_counts_each_strand():
    cluster = ClusterFactory()
    add_groups(cluster, 1)
    group = cluster.advisory_groups.get()
    assert services.advisory_balance(group) == {"industry": 1, "research": 1, "public": 1, "intermediary": 0}
