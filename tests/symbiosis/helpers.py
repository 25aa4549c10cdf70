"""A small symbiosis region for the Django tests: a cluster with a steelworks and a cement plant near
Ghent and Antwerp, a greenhouse grower, an anonymous chemicals company and an outsider; a client logged in
as a user, and the slag synergy carried to realised."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from helix.registry.models import Region, Sector
from helix.registry.services import load_nace_sectors
from helix.symbiosis import matching, synergy_workflow
from helix.symbiosis.models import ResourceFlow, Synergy
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
    member_user,
    staff_user,
)


@dataclass
class World:
    cluster: Any
    staff: Any
    steel: Any
    cement: Any
    grower: Any
    chem: Any
    outsider: Any
    steel_user: Any
    cement_user: Any
    chem_user: Any
    outsider_user: Any
    slag: ResourceFlow
    slag_want: ResourceFlow
    heat: ResourceFlow
    heat_want: ResourceFlow
    secret: ResourceFlow


def organisation(
    name: str, nace: str, city: str, lat: float, lon: float, region: str, cluster: Any = None
) -> Any:
    if not Sector.objects.filter(code=nace).exists():
        load_nace_sectors()  # a transactional test (the browser journey) may start from a flushed database
    org = OrganisationFactory(name=name)
    org.sectors.add(Sector.objects.get(code=nace))
    SiteFactory(organisation=org, name=f"{name} plant", city=city, latitude=lat, longitude=lon, region=region)
    if cluster is not None:
        MembershipFactory(organisation=org, cluster=cluster)
    return org


def flow(org: Any, **fields: Any) -> ResourceFlow:
    f = ResourceFlow(organisation=org, site=org.sites.first(), **fields)
    f.full_clean()
    f.save()
    return f


def world() -> World:
    cluster = ClusterFactory(name="Circular Flanders")
    staff = staff_user(cluster, "officer")
    steel = organisation("Staalwerk Gent", "24.10", "Gent", 51.10, 3.78, Region.OOST_VLAANDEREN, cluster)
    cement = organisation("Cement Antwerpen", "23.51", "Antwerpen", 51.25, 4.40, Region.ANTWERPEN, cluster)
    grower = organisation("Serres Evergem", "01.13", "Evergem", 51.12, 3.72, Region.OOST_VLAANDEREN, cluster)
    chem = organisation("Geheim Chemie", "20.14", "Gent", 51.08, 3.74, Region.OOST_VLAANDEREN, cluster)
    outsider = organisation("Buiten BV", "62.10", "Brugge", 51.21, 3.22, Region.WEST_VLAANDEREN)
    slag = flow(
        steel,
        direction="have",
        kind="material",
        title="Blast furnace slag",
        description="granulated slag",
        ewc_code="10 02 02",
        quantity=4000,
        unit="t",
        period="year",
        disposal_cost_eur_per_unit=90,
        confidentiality="public",
    )
    slag_want = flow(
        cement,
        direction="want",
        kind="material",
        title="Slag for clinker",
        description="slag as raw material",
        ewc_code="100202",
        quantity=250,
        unit="t",
        period="month",
        confidentiality="public",
    )
    heat = flow(
        chem,
        direction="have",
        kind="heat",
        title="Cooling water heat",
        supply_temperature_c=95,
        return_temperature_c=60,
        power_mw=3,
        hours_per_year=8000,
        confidentiality="members",
        anonymous=True,
    )
    heat_want = flow(
        grower,
        direction="want",
        kind="heat",
        title="Greenhouse heating",
        supply_temperature_c=70,
        return_temperature_c=40,
        power_mw=2,
        hours_per_year=5000,
        confidentiality="members",
    )
    secret = flow(
        chem,
        direction="have",
        kind="material",
        title="Spent solvent",
        ewc_code="070104",
        quantity=30,
        unit="t",
        confidentiality="public",
        anonymous=True,
    )
    return World(
        cluster,
        staff,
        steel,
        cement,
        grower,
        chem,
        outsider,
        member_user(steel, "steel"),
        member_user(cement, "cement"),
        member_user(chem, "chem"),
        member_user(outsider, "outsider"),
        slag,
        slag_want,
        heat,
        heat_want,
        secret,
    )


def realised(w: World) -> Synergy:
    """The slag synergy of ``w``, proposed by matching and moved by the staff to realised."""
    matching.run_matching()
    s = Synergy.objects.get(have=w.slag, want=w.slag_want)
    for target in ("contacted", "under_study", "agreed", "realised"):
        synergy_workflow.move(w.staff, s, target)
    s.refresh_from_db()
    return s
