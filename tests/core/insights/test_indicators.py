"""Each indicator's formula on a small hand-built ecosystem, with the expected value written out.

The world (one cluster, home country BE, the year 2025 as the period):

- eight organisations: 1 AlphaCo (SME, BE), 2 BetaWorks (large, BE), 3 a university (BE), 4 a city (BE),
  5 LuxTech (SME, LU), 6 GammaSME (SME, NL), 7 DeltaCo (SME, country unknown), 8 Epsilon (large, BE);
- memberships: 1 letter of intent in 2023, member in April 2025; 2 letter of intent in 2024; 3 member
  since 2022, strategic partner in September 2025; 4 interested in 2024, letter of intent in February
  2025; 5 letter of intent in 2024; 6 member since 2023, left in June 2025; 7 only interested; 8 letter
  of intent in October 2025. Committed on the eve of 2025: 1, 2, 3, 5, 6 (five); at its end: 1, 2, 3,
  4, 5, 8 (six).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from helix.core.insights import (
    INDICATORS,
    Ecosystem,
    Label,
    Membership,
    Period,
    Standing,
    UnknownIndicator,
    assess,
    compute,
    indicator,
)
from tests.core.insights.world import YEAR, D, steps, world

pytestmark = pytest.mark.unit


def values(eco: Ecosystem | None = None, period: Period = YEAR) -> dict[str, object]:
    return {v.code: v for v in compute(eco or world(), period)}


def figure(code: str, eco: Ecosystem | None = None, period: Period = YEAR) -> Decimal | None:
    return values(eco, period)[code].value  # type: ignore[attr-defined,no-any-return]


def refs(code: str, kind: str) -> list[int]:
    value = values()[code]
    return [r.id for r in value.records if r.kind == kind]  # type: ignore[attr-defined]


EXPECTED = {
    # structure: six committed at the end of 2025, five on its eve
    "committed_members": Decimal(6),
    "helices_represented": Decimal(3),  # industry 1, 2, 5, 8; research 3; public 4
    "sme_share": Decimal("50.00"),  # companies 1, 2, 5, 8: SMEs 1 and 5
    "international_share": Decimal("16.67"),  # 5 (LU) of six with a known country
    "member_growth": Decimal("20.00"),  # 5 -> 6
    "new_commitments": Decimal(2),  # 4 (from interested) and 8 (new)
    "departures": Decimal(1),  # 6
    "upgrades": Decimal(3),  # 1 to member, 3 to strategic partner, 4 to letter of intent
    "retention": Decimal("80.00"),  # of 1, 2, 3, 5, 6: all but 6
    # management
    "staff_fte": Decimal("1.5"),
    "staff_per_hundred_members": Decimal("25.00"),  # 1.5 FTE for 6 members
    # interaction
    "contacts_logged": Decimal(3),  # 21, 22, 24 (23 is in 2024)
    "members_contacted": Decimal("16.67"),  # only 1 of the six
    "events_held": Decimal(1),  # 31 (32 was in 2024, 33 has no date)
    "event_participation": Decimal("33.33"),  # 1 and 2 came to 31
    "meetings_held": Decimal(1),  # 41 (42 a no-show, 43 in 2024)
    # services
    "match_contacts": Decimal(3),  # 51, 52, 53
    "matches_to_meetings": Decimal("50.00"),  # 51 accepted, 52 declined, 53 withdrawn (left out)
    "services_used": Decimal("83.33"),  # all but 5: 1, 2 event; 3, 8 match; 4 listing (8 also a project)
    # achievements and financing
    "projects_started": Decimal(1),  # 71 approved in February 2025; 73 in 2024; 72 rejected
    "projects_from_matches": Decimal(1),
    "funding_raised": Decimal(150000),
    "private_share": Decimal("33.33"),  # 50,000 own and private of 150,000
    "agreements": Decimal(2),  # 81 agreed; 82 realised without a recorded agreement; 83 in 2024
    "synergies_realised": Decimal(2),  # 81, 82
    "tonnes_exchanged": Decimal("120.500"),  # 120 t and 500 kg
    "co2e_avoided": Decimal("30.200"),
    # strategy
    "roadmap_adopted": Decimal(1),  # 91 adopted in March 2025
    "roadmap_coverage": Decimal("50.00"),  # 1, 3, 4 of six (9 takes part but is no member)
    "roadmap_milestones_owned": Decimal("80.00"),  # 8 of 91's 10 (92 is a draft)
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_indicator_on_the_hand_built_world(code):
    assert figure(code) == EXPECTED[code]


def test_every_indicator_is_either_expected_or_a_staff_value_that_is_missing():
    out = values()
    missing = {code for code, v in out.items() if v.value is None}  # type: ignore[attr-defined]
    assert missing == {
        "members_in_decisions",
        "management_private_funding",
        "press_mentions",
        "strategy_reviewed",
    }
    assert set(out) == set(EXPECTED) | missing
    assert all(out[c].missing == "needs_staff_value" for c in missing)  # type: ignore[attr-defined]


def test_values_name_the_records_they_come_from():
    assert refs("committed_members", "membership") == [11, 12, 13, 14, 15, 18]
    assert refs("departures", "membership") == [16]
    assert refs("contacts_logged", "contact") == [21, 22, 24]
    assert refs("projects_started", "project") == [71]
    assert refs("synergies_realised", "synergy") == [81, 82]
    assert refs("staff_fte", "staff_value") == [101]
    assert refs("staff_per_hundred_members", "staff_value") == [101]
    assert values()["staff_fte"].source == "2025 staff plan"  # type: ignore[attr-defined]


def test_the_helix_breakdown():
    detail = dict(values()["helices_represented"].detail)  # type: ignore[attr-defined]
    assert detail == {"industry": 4, "research": 1, "public": 1}


def test_a_membership_that_moved_up_and_left_again_counts_as_joined_and_departed():
    # interested in January, letter of intent in March, member in May, left in August, all of 2025
    again = Membership(
        19,
        7,
        steps(
            (D(2025, 1, 20), "interested"),
            (D(2025, 3, 1), "loi_signed"),
            (D(2025, 5, 1), "member"),
            (D(2025, 8, 1), "left"),
        ),
    )
    eco = world(memberships=(*world().memberships[:6], again, world().memberships[7]))
    assert figure("new_commitments", eco) == 3  # 4, 8 and the new one
    assert figure("departures", eco) == 2  # 6 and the new one
    assert figure("upgrades", eco) == 5  # 1, 3, 4 and the new one twice
    assert figure("committed_members", eco) == 6  # it is no longer committed at the end
    # the first half of the year sees it committed
    half = Period(D(2025, 1, 1), D(2025, 6, 29))
    assert figure("committed_members", eco, half) == 7  # 1, 2, 3, 4, 5, 6 (leaves on 30 June) and 19
    assert refs_of(eco, half, "committed_members") == [11, 12, 13, 14, 15, 16, 19]


def refs_of(eco: Ecosystem, period: Period, code: str) -> list[int]:
    value = {v.code: v for v in compute(eco, period)}[code]
    return [r.id for r in value.records]


def test_growth_of_nothing_is_missing_not_zero():
    eco = world(memberships=(world().memberships[7],))  # only Epsilon, committed in October 2025
    value = values(eco)["member_growth"]
    assert value.value is None
    assert value.missing == "no_base"
    assert figure("committed_members", eco) == 1


def test_a_staff_value_applies_to_the_period_it_covers():
    last_year = Period(D(2024, 1, 1), D(2024, 12, 31))
    assert figure("staff_fte", period=last_year) == Decimal("1.0")
    assert figure("staff_fte", period=Period(D(2026, 1, 1), D(2026, 12, 31))) is None


def test_the_eccp_self_assessment():
    result = assess(compute(world(), YEAR), Label.ECCP)
    standing = {row.indicator.code: row.standing for row in result.rows}
    assert standing == {
        "committed_members": Standing.NOT_MET,  # 6 of the 15 it asks
        "helices_represented": Standing.MET,
        "staff_fte": Standing.MET,  # 1.5 >= 0.5
    }
    gold = assess(compute(world(), YEAR), Label.GOLD)
    assert {r.indicator.code for r in gold.rows if r.standing is Standing.MISSING} == {
        "members_in_decisions",
        "management_private_funding",
        "press_mentions",
        "strategy_reviewed",
    }
    assert gold.count(Standing.MET) == 1  # the adopted roadmap
    assert gold.count(Standing.EVIDENCE) > 5


def test_the_declared_indicators_are_complete_data():
    codes = [i.code for i in INDICATORS]
    assert len(codes) == len(set(codes))
    for ind in INDICATORS:
        assert ind.label
        assert ind.definition.endswith(".")
        assert ind.formula is not None
        assert all(c.label in Label for c in ind.criteria)
    with pytest.raises(UnknownIndicator):
        indicator("nope")
    assert compute(world(), YEAR, ["sme_share"])[0].value == Decimal("50.00")


def test_a_period_must_not_end_before_it_starts():
    with pytest.raises(ValueError, match="ends on or after its start"):
        Period(D(2025, 2, 1), D(2025, 1, 1))
    assert YEAR.days == 365
    assert str(YEAR) == "2025-01-01/2025-12-31"
