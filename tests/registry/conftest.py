"""Fixtures shared by the registry's page tests: a directory world (a cluster with a company, a lab, a
province and a hidden foundry) and the SurfMat cluster (renamed, with members at every level and an
advisory group)."""

from __future__ import annotations

import datetime as dt

import pytest

from helix.registry.models import AdvisoryGroup, AdvisorySeat, ClusterName, OrganisationKind, Region
from tests.factories import (
    ClusterFactory,
    DomainFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.registry.helpers import organisation


@pytest.fixture
def world():
    operator = OrganisationFactory(
        name="Materials Cluster Office", kind=OrganisationKind.CLUSTER_ORGANISATION, size_class=""
    )
    cluster = ClusterFactory(slug="materials", name="Materials & Manufacturing", operator=operator)
    coatings = DomainFactory(cluster=cluster, name="Surface engineering")
    acme = organisation(
        "Acme Coatings",
        sectors=["20.30"],
        keywords=["corrosion"],
        description_en="Anti-corrosion coatings for offshore wind.",
        description_nl="Anticorrosiecoatings voor offshore wind.",
    )
    lab = organisation(
        "Ghent Robotics Lab",
        city="Leuven",
        region=Region.VLAAMS_BRABANT,
        sectors=["72.10"],
        kind=OrganisationKind.KNOWLEDGE_INSTITUTION,
        size_class="",
        description_en="Robots that paint bridges.",
    )
    province = organisation(
        "Province of Limburg",
        city="Hasselt",
        region=Region.LIMBURG,
        sectors=["84.11"],
        kind=OrganisationKind.GOVERNMENT,
        size_class="",
        government_level="regional",
    )
    hidden = organisation("Hidden Foundry", sectors=["25.61"], is_published=False)
    MembershipFactory(organisation=acme, cluster=cluster, level="member").domains.add(coatings)
    MembershipFactory(organisation=lab, cluster=cluster, level="interested")
    MembershipFactory(organisation=hidden, cluster=cluster, level="member")
    return {
        "cluster": cluster,
        "domain": coatings,
        "acme": acme,
        "lab": lab,
        "province": province,
        "hidden": hidden,
    }


@pytest.fixture
def surfmat():
    operator = OrganisationFactory(name="Agency", kind=OrganisationKind.CLUSTER_ORGANISATION, size_class="")
    cluster = ClusterFactory(
        slug="surfmat", name="SurfMat", founded_on=dt.date(2001, 3, 1), operator=operator
    )
    ClusterName.objects.create(
        cluster=cluster, name="Materials & Manufacturing", valid_from=dt.date(2021, 1, 1)
    )
    zone = DomainFactory(cluster=cluster, name="Coatings zone")
    companies = [OrganisationFactory(name=f"Company {n}") for n in range(3)]
    companies[2].is_published = False
    companies[2].save()
    university = OrganisationFactory(name="University", kind="knowledge_institution", size_class="")
    city = OrganisationFactory(name="City", kind="government", size_class="", government_level="local")
    gone = OrganisationFactory(name="Gone Ltd")
    for org, level in zip(
        [*companies, university, city],
        ["member", "strategic_partner", "member", "interested", "loi_signed"],
        strict=True,
    ):
        MembershipFactory(organisation=org, cluster=cluster, level=level).domains.add(zone)
    MembershipFactory(organisation=gone, cluster=cluster, level="left").domains.add(zone)
    group = AdvisoryGroup.objects.create(cluster=cluster, name="Coatings advisory group")
    AdvisorySeat.objects.create(
        group=group,
        is_chair=True,
        person=PersonFactory(
            organisation=companies[0], first_name="Els", last_name="Chair", consent_public=True
        ),
    )
    AdvisorySeat.objects.create(
        group=group,
        person=PersonFactory(
            organisation=university, first_name="Jan", last_name="Shy", consent_public=False
        ),
    )
    return cluster
