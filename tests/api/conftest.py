"""Set-ups shared by the API tests: clients that call as a given user, and a small registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from helix.registry.models import Cluster, Organisation, OrganisationKind
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, member_user, staff_user
from tests.helpers.clients import api_client


@pytest.fixture
def call_as():
    """``call_as(user)``: a test client that sends a new API token of ``user``; ``call_as(None)``: nobody."""
    return api_client


@dataclass
class Registry:
    tech: Cluster  # cluster "tech"
    food: Cluster  # cluster "food"
    acme: Organisation  # published company, member of tech
    hidden: Organisation  # unpublished company, member of tech
    bakery: Organisation  # published company, member of food
    staff: Any  # staff of tech
    acme_user: Any  # member user of acme
    bakery_user: Any  # member user of bakery


@pytest.fixture
def registry() -> Registry:
    operator = OrganisationFactory(
        name="Cluster Office",
        slug="cluster-office",
        kind=OrganisationKind.CLUSTER_ORGANISATION,
        size_class="",
    )
    tech = ClusterFactory(slug="tech", operator=operator, name="Tech Cluster")
    food = ClusterFactory(slug="food", operator=operator, name="Food Cluster")
    acme = OrganisationFactory(name="Acme", slug="acme")
    hidden = OrganisationFactory(name="Hidden Works", slug="hidden-works", is_published=False)
    bakery = OrganisationFactory(name="Bakery", slug="bakery")
    MembershipFactory(organisation=acme, cluster=tech, level="member")
    MembershipFactory(organisation=hidden, cluster=tech, level="interested")
    MembershipFactory(organisation=bakery, cluster=food, level="member")
    return Registry(
        tech=tech,
        food=food,
        acme=acme,
        hidden=hidden,
        bakery=bakery,
        staff=staff_user(tech),
        acme_user=member_user(acme, "acme-user"),
        bakery_user=member_user(bakery, "bakery-user"),
    )
