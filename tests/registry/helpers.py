"""Organisations for the registry's page tests: with a head office, NACE sectors and keywords, their
search text refreshed; and many of them at once, for the two-size query counts."""

from __future__ import annotations

from helix.registry import services
from helix.registry.models import Keyword, Region, Sector
from tests.factories import MembershipFactory, OrganisationFactory, SiteFactory


def organisation(name, *, city="Gent", region=Region.OOST_VLAANDEREN, sectors=(), keywords=(), **fields):
    """An organisation with a head office, NACE sectors and keywords, its search text refreshed."""
    org = OrganisationFactory(name=name, **fields)
    SiteFactory(organisation=org, city=city, region=region)
    org.sectors.set(Sector.objects.filter(code__in=sectors))
    org.keywords.set([Keyword.objects.get_or_create(name=k)[0] for k in keywords])
    services.refresh_search_text(org)
    return org


def populate(cluster, domain, start, stop):  # type: ignore[no-untyped-def]
    """Companies ``start`` to ``stop`` of ``cluster`` (members in ``domain``), each with a plant in Genk."""
    for n in range(start, stop):
        org = organisation(f"Company {n:03d}", sectors=["20.30", "62.10"], keywords=["coatings"])
        SiteFactory(organisation=org, name="Plant", city="Genk", region=Region.LIMBURG, is_headquarters=False)
        MembershipFactory(organisation=org, cluster=cluster, level="member").domains.add(domain)
