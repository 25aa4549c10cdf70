"""Integration: the directory ignores a domain filter that names no domain ("²" is a digit to
str.isdigit() but not to int(); a 30-digit id overflows the database) instead of answering a 500."""

from __future__ import annotations

import pytest

from helix.registry.search import DirectoryQuery
from tests.factories import ClusterFactory, DomainFactory, MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_domain_filters_that_name_no_domain_are_ignored():
    assert DirectoryQuery.from_params({"domain": ["²", "9" * 30, "0", "-1", "7", "x", "7"]}).domains == [7]


@pytest.mark.parametrize("query", ["domain=%C2%B2", f"domain={'9' * 30}", "domain=%D9%A3", "domain="])
def test_the_directory_answers_a_bad_domain_filter_with_the_unfiltered_list(client, query):
    OrganisationFactory(name="Noordzee Wind")

    response = client.get(f"/directory/?{query}")

    assert response.status_code == 200
    assert "Noordzee Wind" in response.content.decode()


def test_a_valid_domain_filter_still_filters(client):
    cluster = ClusterFactory()
    domain = DomainFactory(cluster=cluster, slug="hydrogen")
    inside = MembershipFactory(organisation=OrganisationFactory(name="Waterstof Gent"), cluster=cluster)
    inside.domains.add(domain)
    OrganisationFactory(name="Noordzee Wind")

    html = client.get(f"/directory/?domain={domain.pk}").content.decode()

    assert ("Waterstof Gent" in html, "Noordzee Wind" in html) == (True, False)
