"""Structured factors: each rule, neutral on missing data, and visibility."""

from __future__ import annotations

import pytest

from helix.core.matching.fit import (
    FACTORS,
    NEUTRAL,
    Listing,
    Viewer,
    can_see,
    haversine_km,
    structured_factors,
)

pytestmark = pytest.mark.unit

GENT = (51.0543, 3.7174)
KORTRIJK = (50.8280, 3.2649)
LUXEMBOURG = (49.6116, 6.1319)


def need(**kw: object) -> Listing:
    base: dict[str, object] = {
        "key": 1,
        "side": "need",
        "owner": 10,
        "owner_kind": "government",
        "category": "solution",
        "title": "n",
    }
    return Listing(**{**base, **kw})  # type: ignore[arg-type]


def offer(**kw: object) -> Listing:
    base: dict[str, object] = {
        "key": 2,
        "side": "offer",
        "owner": 20,
        "owner_kind": "company",
        "category": "solution",
        "title": "o",
    }
    return Listing(**{**base, **kw})  # type: ignore[arg-type]


def factor(n: Listing, o: Listing, name: str) -> tuple[float, str]:
    found = {f.name: f for f in structured_factors(n, o)}
    return found[name].value, found[name].detail


def test_every_factor_in_order_and_neutral_without_data() -> None:
    factors = structured_factors(need(owner_kind="federation"), offer(category="solution"))
    assert tuple(f.name for f in factors) == FACTORS
    by_name = {f.name: f.value for f in factors}
    for name in ("domain", "sector", "trl", "distance", "keywords", "budget"):
        assert by_name[name] == NEUTRAL, name


def test_domain_shared_names_the_domain() -> None:
    value, detail = factor(
        need(domains=frozenset({3, 4}), domain_names={3: "Groene warmte"}),
        offer(domains=frozenset({3})),
        "domain",
    )
    assert value == 1.0
    assert "Groene warmte" in detail
    assert factor(need(domains=frozenset({3})), offer(domains=frozenset({5})), "domain")[0] == 0.0


def test_sector_complementarity_prefers_suppliers() -> None:
    city = need(owner_sectors=frozenset({"84.11"}))  # public administration (P)
    builder = offer(sectors=frozenset({"41.00"}))  # construction (F) supplies P
    peer = offer(sectors=frozenset({"84.12"}))
    farm = offer(sectors=frozenset({"01.11"}))
    assert factor(city, builder, "sector")[0] == 1.0
    assert factor(city, peer, "sector")[0] == 0.6
    assert factor(city, farm, "sector")[0] == 0.2
    assert factor(city, offer(sectors=frozenset({"not-a-code"})), "sector")[0] == NEUTRAL


@pytest.mark.parametrize(("asked", "has", "expected"), [(6, 7, 1.0), (6, 6, 1.0), (7, 5, 0.5), (9, 1, 0.0)])
def test_trl_fit(asked: int, has: int, expected: float) -> None:
    assert factor(need(trl=asked), offer(trl=has), "trl")[0] == expected


def test_distance_decays_with_kilometres() -> None:
    near, near_detail = factor(need(locations=(GENT,)), offer(locations=(KORTRIJK, LUXEMBOURG)), "distance")
    far, _ = factor(need(locations=(GENT,)), offer(locations=(LUXEMBOURG,)), "distance")
    assert 40 < haversine_km(GENT, KORTRIJK) < 45
    assert near > far > 0
    assert "km apart" in near_detail


def test_kind_city_wants_companies_company_research_wants_knowledge() -> None:
    assert (
        factor(need(), offer(owner_kind="company"), "kind")[0]
        > factor(need(), offer(owner_kind="knowledge_institution"), "kind")[0]
    )
    research = need(owner_kind="company", category="research")
    assert factor(research, offer(owner_kind="knowledge_institution"), "kind")[0] == 1.0
    assert factor(research, offer(owner_kind="company"), "kind")[0] < 1.0


def test_keywords_and_budget() -> None:
    value, detail = factor(
        need(keywords=frozenset({"heat pump", "ptes"})), offer(keywords=frozenset({"heat pump"})), "keywords"
    )
    assert value == 0.5
    assert "heat pump" in detail
    assert factor(need(budget_max=100_000.0), offer(budget_min=80_000.0), "budget")[0] == 1.0
    assert factor(need(budget_max=100_000.0), offer(budget_min=150_000.0), "budget")[0] == 0.5


def test_pair_must_be_need_and_offer() -> None:
    with pytest.raises(ValueError, match="need and an offer"):
        structured_factors(offer(), need())


def test_visibility_rules() -> None:
    public = offer(visibility="public", clusters=frozenset({1}))
    members = offer(visibility="members", clusters=frozenset({1}))
    staff = offer(visibility="staff", clusters=frozenset({1}))
    anonymous = Viewer()
    member = Viewer(organisation=99, member_of=frozenset({1}))
    other_member = Viewer(organisation=98, member_of=frozenset({2}))
    cluster_staff = Viewer(staff_of=frozenset({1}))
    owner = Viewer(organisation=20)
    assert [can_see(x, anonymous) for x in (public, members, staff)] == [True, False, False]
    assert [can_see(x, member) for x in (public, members, staff)] == [True, True, False]
    assert [can_see(x, other_member) for x in (public, members, staff)] == [True, False, False]
    assert [can_see(x, cluster_staff) for x in (public, members, staff)] == [True, True, True]
    assert [can_see(x, owner) for x in (public, members, staff)] == [True, True, True]
    assert can_see(staff, Viewer(is_superuser=True))
