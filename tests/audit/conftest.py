"""Two clusters with an organisation each, their staff, a member user and a superuser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from helix.registry.services import assign_cluster_staff
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, UserFactory, member_user


@dataclass
class World:
    tech: Any  # cluster
    food: Any  # cluster
    acme: Any  # member of tech
    bakery: Any  # member of food
    tech_staff: Any
    food_staff: Any
    acme_user: Any  # member user of acme
    admin: Any  # superuser


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    tech = ClusterFactory(slug="tech", name="Tech Cluster")
    food = ClusterFactory(slug="food", name="Food Cluster")
    acme = MembershipFactory(
        organisation=OrganisationFactory(name="Acme", slug="acme"), cluster=tech
    ).organisation
    bakery = MembershipFactory(
        organisation=OrganisationFactory(name="Bakery", slug="bakery"), cluster=food
    ).organisation
    tech_staff, food_staff = UserFactory(username="tess"), UserFactory(username="fred")
    assign_cluster_staff(tech_staff, tech)
    assign_cluster_staff(food_staff, food)
    return World(
        tech=tech,
        food=food,
        acme=acme,
        bakery=bakery,
        tech_staff=tech_staff,
        food_staff=food_staff,
        acme_user=member_user(acme, "mia"),
        admin=UserFactory(username="root", is_staff=True, is_superuser=True),
    )
