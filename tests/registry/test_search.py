"""Integration: facet counts are the same whether the text match is reused as ids or re-run per facet."""

import pytest
from django.contrib.auth.models import AnonymousUser

from helix.registry import search
from helix.registry.models import OrganisationKind, Region
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, SiteFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def ecosystem():  # type: ignore[no-untyped-def]
    cluster = ClusterFactory()
    for i in range(12):
        kind = OrganisationKind.COMPANY if i % 3 else OrganisationKind.KNOWLEDGE_INSTITUTION
        org = OrganisationFactory(
            kind=kind,
            size_class="sme" if kind == OrganisationKind.COMPANY else "",
            description_en="Residual heat networks" if i % 2 else "Smart lighting",
        )
        SiteFactory(organisation=org, region=Region.ANTWERPEN if i % 4 else Region.LIMBURG)
        if i % 2:
            MembershipFactory(organisation=org, cluster=cluster, level="member")
    return cluster


def counts(facets):  # type: ignore[no-untyped-def]
    return {name: sorted((v.value, v.count, v.selected) for v in values) for name, values in facets.items()}


@pytest.mark.parametrize(
    "params",
    [{"q": "heat"}, {"q": "heat", "kind": ["company"]}, {"q": "lighting", "region": ["limburg"]}],
)
def test_facets_with_reused_text_match_equal_facets_re_running_it(ecosystem, monkeypatch, params):
    query = search.DirectoryQuery.from_params(params)
    reused = counts(search.directory_facets(AnonymousUser(), query))
    monkeypatch.setattr(search, "_materialise", lambda qs: qs)
    assert reused == counts(search.directory_facets(AnonymousUser(), query))


def test_text_and_kind_facet_counts(ecosystem):
    facets = search.directory_facets(AnonymousUser(), search.DirectoryQuery.from_params({"q": "heat"}))
    assert counts(facets)["kind"] == [("company", 4, False), ("knowledge_institution", 2, False)]
