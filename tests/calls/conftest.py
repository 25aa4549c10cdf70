"""The world the calls pages are tried in: the Factory of the Future cluster with its staff, four member
organisations (an SME, a large company, a university, a city), one person of each with a login, and an
open call from the seed definition; ``signed_in`` gives a test client logged in as one of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from helix.calls import services
from helix.calls.models import Application, Call, CallStatus
from tests.factories.calls import seed_definition
from tests.factories.registry import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
    member_user,
    staff_user,
)


@dataclass
class CallsWorld:
    cluster: Any
    orgs: dict[str, Any]
    users: dict[str, Any]  # robo, steel, uni, city (members), staff, outsider (of no organisation)
    call: Call

    def client(self, who: str) -> Client:
        client = Client()
        client.force_login(self.users[who])
        return client

    def open_call(self, seed: str, key: str) -> Call:
        call = services.create_call(self.users["staff"], self.cluster, seed_definition(seed, key=key))
        return services.move_call(self.users["staff"], call, CallStatus.OPEN)

    def application(
        self, title: str = "Cobots for welding", partners: tuple[str, ...] = ("steel", "uni")
    ) -> Application:
        """A draft of robo (lead) with ``partners`` as co-applicants, to the world's call."""
        application = services.start_application(self.users["robo"], self.call, self.orgs["robo"], title)
        for key in partners:
            services.add_co_applicant(self.users["robo"], application, self.orgs[key])
        application.refresh_from_db()
        return application


@pytest.fixture
def calls_world() -> CallsWorld:
    cluster = ClusterFactory(slug="fotf", name="Factory of the Future")
    orgs = {}
    for key, name, kind, size in (
        ("robo", "Robo Welding", "company", "sme"),
        ("steel", "Steel Works", "company", "large"),
        ("uni", "Université de Liège", "knowledge_institution", ""),
        ("city", "City of Genk", "government", ""),
    ):
        orgs[key] = OrganisationFactory(name=name, slug=key, kind=kind, size_class=size)
        SiteFactory(organisation=orgs[key], country="BE", is_headquarters=True)
        MembershipFactory(organisation=orgs[key], cluster=cluster, level="member")
    users = {key: member_user(org, f"{key}_person") for key, org in orgs.items()}
    users["staff"] = staff_user(cluster, "fotf_staff")
    users["outsider"] = member_user(
        OrganisationFactory(name="Far Away Ltd", slug="far", is_published=False), "far"
    )
    call = services.create_call(users["staff"], cluster, seed_definition(key="fotf-2027"))
    call = services.move_call(users["staff"], call, CallStatus.OPEN)
    return CallsWorld(cluster, orgs, users, call)
