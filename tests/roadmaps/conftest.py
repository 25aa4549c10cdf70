"""The world roadmaps are tried in: the Hydrogen Valley cluster with its staff, three member organisations
(Acme Electrolysers, which signed a letter of intent; the University of Ghent; the City of Ghent), an
organisation of another cluster, one person of each with a login; and :func:`build_roadmap`, which shapes
a roadmap through the services as the staff would:

    production: a-study (activity, 90 days, uni) -> m-go (milestone, acme)
    use:        m-go -14 days-> d-pilot (deliverable, 60 days, acme, with uni and city) -> m-market (city)
                a-permits (activity, 30 days, city, no link: slack)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from helix.roadmaps import services
from helix.roadmaps.models import Item, Roadmap
from tests.factories.registry import (
    ClusterFactory,
    LetterOfIntentFactory,
    MembershipFactory,
    OrganisationFactory,
    member_user,
    staff_user,
)

# the critical chain: 90 days of study, the go decision, 14 days' lag, 60 days of pilot, the market
CHAIN = ("a-study", "m-go", "d-pilot", "m-market")
END_DAYS = 90 + 14 + 60


@dataclass
class RoadmapsWorld:
    cluster: Any
    orgs: dict[str, Any]  # acme, uni, city (members), far (of another cluster)
    users: dict[str, Any]  # acme, uni, city, far (a person of each), staff

    def client(self, who: str) -> Client:
        client = Client()
        client.force_login(self.users[who])
        return client


@pytest.fixture
def rw() -> RoadmapsWorld:
    cluster = ClusterFactory(slug="h2-valley", name="Hydrogen Valley")
    other = ClusterFactory(slug="elsewhere", name="Elsewhere")
    orgs = {}
    for key, name, kind, in_cluster in (
        ("acme", "Acme Electrolysers", "company", cluster),
        ("uni", "University of Ghent", "knowledge_institution", cluster),
        ("city", "City of Ghent", "government", cluster),
        ("far", "Far Away Ltd", "company", other),
    ):
        size = "sme" if kind == "company" else ""
        orgs[key] = OrganisationFactory(name=name, slug=key, kind=kind, size_class=size)
        MembershipFactory(organisation=orgs[key], cluster=in_cluster, level="member")
    LetterOfIntentFactory(organisation=orgs["acme"], cluster=cluster, signed_on=dt.date(2024, 5, 2))
    users = {key: member_user(org, f"{key}_person") for key, org in orgs.items()}
    users["staff"] = staff_user(cluster, "h2_staff")
    return RoadmapsWorld(cluster, orgs, users)


def build_roadmap(
    rw: RoadmapsWorld, *, starts_on: dt.date, key: str = "h2-roadmap", title: str = "Hydrogen roadmap"
) -> Roadmap:
    """The roadmap of the module docstring, a draft, built by the staff through the services."""
    staff = rw.users["staff"]
    roadmap = services.create_roadmap(staff, cluster=rw.cluster, key=key, title=title, starts_on=starts_on)
    acme = services.add_participant(staff, roadmap, rw.orgs["acme"], role="lead")
    uni = services.add_participant(staff, roadmap, rw.orgs["uni"], role="knowledge_partner")
    city = services.add_participant(staff, roadmap, rw.orgs["city"], role="city")
    production = services.add_track(staff, roadmap, key="production", title="Hydrogen production")
    use = services.add_track(staff, roadmap, key="use", title="Hydrogen use")
    specs: list[tuple[str, dict[str, Any], list[Any]]] = [
        ("a-study", _fields("Electrolyser study", "activity", production, uni, 90, (3, 4)), []),
        ("m-go", _fields("Go for the pilot", "milestone", production, acme, 0, (4, 4)), []),
        (
            "d-pilot",
            _fields("Pilot plant", "deliverable", use, acme, 60, (5, 6), 100_000, 50_000),
            [uni, city],
        ),
        ("m-market", _fields("First hydrogen sold", "milestone", use, city, 0, (7, 7)), []),
        ("a-permits", _fields("Permits", "activity", use, city, 30, (6, 6), 1_000, 1_000), []),
    ]
    items: dict[str, Item] = {}
    for item_key, fields, contributors in specs:
        items[item_key] = services.save_item(
            staff, roadmap, key=item_key, fields=fields, contributors=contributors
        )
    services.add_dependency(staff, roadmap, items["a-study"], items["m-go"])
    services.add_dependency(staff, roadmap, items["m-go"], items["d-pilot"], lag_days=14)
    services.add_dependency(staff, roadmap, items["d-pilot"], items["m-market"])
    roadmap.refresh_from_db()
    return roadmap


def _fields(
    title: str,
    kind: str,
    track: Any,
    owner: Any,
    days: int,
    trl: tuple[int, int],
    budget: int = 0,
    funding: int = 0,
) -> dict[str, Any]:
    return {
        "title": title,
        "kind": kind,
        "track": track,
        "owner": owner,
        "duration_days": days,
        "trl_from": trl[0],
        "trl_to": trl[1],
        "budget": Decimal(budget),
        "funding_secured": Decimal(funding),
    }


def move_through(rw: RoadmapsWorld, roadmap: Roadmap, *targets: str) -> Roadmap:
    for target in targets:
        roadmap = services.move(rw.users["staff"], roadmap, target)
    return roadmap
