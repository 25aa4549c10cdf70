"""Unit: SME status under Recommendation 2003/361/EC: ceilings, partner and linked enterprises, public
control, the two-year rule and missing data, as helix.core.funding.sme computes them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helix.core.funding.sme import (
    SIZE_ORDER,
    Enterprise,
    Holding,
    MissingFigure,
    SizeClass,
    SmeReason,
    SmeStatus,
    YearFigures,
    linked_groups,
    next_status,
    size_of,
    sme_status,
    undertaking_ids,
)

pytestmark = pytest.mark.unit

M = 1_000_000


def figures(staff: float, turnover_m: float, balance_m: float) -> YearFigures:
    return YearFigures(Decimal(str(staff)), Decimal(str(turnover_m)) * M, Decimal(str(balance_m)) * M)


# Figures that give each class, well inside its ceilings.
TYPICAL = {
    SizeClass.MICRO: figures(5, 1, 1),
    SizeClass.SMALL: figures(30, 8, 8),
    SizeClass.MEDIUM: figures(200, 40, 40),
    SizeClass.LARGE: figures(400, 80, 80),
}


@pytest.mark.parametrize(
    ("staff", "turnover_m", "balance_m", "expected"),
    [
        (9, 2, 2, (SizeClass.MICRO, ())),
        (9.99, 2, 50, (SizeClass.MICRO, ())),  # turnover or balance sheet: one within is enough
        (10, 1, 1, (SizeClass.SMALL, ("micro.staff",))),  # fewer than 10: 10 is not micro
        (9, 2.01, 2.01, (SizeClass.SMALL, ("micro.money",))),
        (49, 10, 99, (SizeClass.SMALL, ("micro.staff", "micro.money"))),
        (50, 1, 1, (SizeClass.MEDIUM, ("micro.staff", "small.staff"))),
        (249, 50, 100, (SizeClass.MEDIUM, ("micro.staff", "micro.money", "small.staff", "small.money"))),
        (249, 100, 43, (SizeClass.MEDIUM, ("micro.staff", "micro.money", "small.staff", "small.money"))),
        (
            249,
            50.01,
            43.01,
            (
                SizeClass.LARGE,
                ("micro.staff", "micro.money", "small.staff", "small.money", "medium.money"),
            ),
        ),
        (250, 1, 1, (SizeClass.LARGE, ("micro.staff", "small.staff", "medium.staff"))),
    ],
)
def test_size_of_applies_each_ceiling_and_names_those_exceeded(staff, turnover_m, balance_m, expected):
    assert size_of(Decimal(str(staff)), Decimal(str(turnover_m)) * M, Decimal(str(balance_m)) * M) == expected


def test_an_enterprise_alone_from_its_first_year_takes_that_years_class():
    world = {"a": Enterprise("a", {2022: figures(30, 8, 8)}, founded=2022)}
    assert sme_status("a", 2022, world) == SmeStatus(
        "a",
        2022,
        SizeClass.SMALL,
        (
            SmeReason(
                "sme.year_class",
                {
                    "year": 2022,
                    "class": "small",
                    "staff_awu": "30",
                    "turnover_eur": "8000000",
                    "balance_sheet_eur": "8000000",
                    "exceeded": ["micro.staff", "micro.money"],
                },
                "2022: 30 AWU, turnover EUR 8000000, balance sheet EUR 8000000: small "
                "(over the ceilings micro.staff, micro.money)",
            ),
            SmeReason(
                "sme.status_from_first_year", {"year": 2022, "class": "small"}, "2022: first year: small"
            ),
        ),
    )


def test_linked_enterprises_count_in_full_and_partners_pro_rata():
    # a holds 60 % of b (linked); c holds 30 % of a (partner); d is linked to c (counted with c, pro rata).
    world = {
        "a": Enterprise("a", {2023: figures(20, 4, 4), 2024: figures(20, 4, 4)}),
        "b": Enterprise("b", {2023: figures(20, 4, 4), 2024: figures(20, 4, 4)}),
        "c": Enterprise("c", {2023: figures(10, 2, 2), 2024: figures(10, 2, 2)}),
        "d": Enterprise("d", {2023: figures(30, 2, 2), 2024: figures(30, 2, 2)}),
    }
    holdings = [
        Holding("a", "b", Decimal("0.6")),
        Holding("c", "a", Decimal("0.3")),
        Holding("c", "d", Decimal("0.2"), control=True),
    ]
    status = sme_status("a", 2024, world, holdings)
    # 20 + 20 in full, (10 + 30) * 0.3 = 12: 52 AWU; money 8 + 4 * 0.3 = 9.2 million: medium by staff.
    assert status.size is SizeClass.MEDIUM
    assert [r for r in status.reasons if r.params.get("year") == 2024] == [
        SmeReason(
            "sme.year_class",
            {
                "year": 2024,
                "class": "medium",
                "staff_awu": "52.0",
                "turnover_eur": "9200000.0",
                "balance_sheet_eur": "9200000.0",
                "exceeded": ["micro.staff", "micro.money", "small.staff"],
            },
            "2024: 52.0 AWU, turnover EUR 9200000.0, balance sheet EUR 9200000.0: medium "
            "(over the ceilings micro.staff, micro.money, small.staff)",
        ),
        SmeReason(
            "sme.counted_linked", {"year": 2024, "enterprise": "b"}, "2024: b is linked: counted in full"
        ),
        SmeReason(
            "sme.counted_partner",
            {"year": 2024, "enterprise": "c", "share": "0.3"},
            "2024: c is a partner: counted at 0.3",
        ),
        SmeReason(
            "sme.status_from_two_years", {"year": 2024, "class": "medium"}, "2023 and 2024: medium both years"
        ),
    ]


@pytest.mark.parametrize(
    ("holding", "expected_staff"),
    [
        (Holding("x", "a", Decimal("0.24")), Decimal(5)),  # under 25 %: autonomous
        (Holding("x", "a", Decimal("0.25")), Decimal("5") + Decimal("0.25") * 40),  # 25 %: partner
        (Holding("x", "a", Decimal("0.5")), Decimal("5") + Decimal("0.5") * 40),  # 50 %: still a partner
        (Holding("x", "a", Decimal("0.51")), Decimal(45)),  # over 50 %: linked
        (Holding("x", "a", Decimal("0.1"), control=True), Decimal(45)),  # control: linked whatever the share
        (
            Holding("a", "x", Decimal("0.3")),
            Decimal("5") + Decimal("0.3") * 40,
        ),  # downstream partners count too
    ],
)
def test_the_share_decides_autonomous_partner_or_linked(holding, expected_staff):
    world = {
        "a": Enterprise("a", {2024: figures(5, 1, 1)}, founded=2024),
        "x": Enterprise("x", {2024: figures(40, 1, 1)}),
    }
    status = sme_status("a", 2024, world, [holding])
    assert status.reasons[0].params["staff_awu"] == str(expected_staff)


def test_an_exempt_investor_up_to_half_without_control_is_no_partner():
    world = {
        "a": Enterprise("a", {2024: figures(5, 1, 1)}, founded=2024),
        "angel": Enterprise("angel", {2024: figures(400, 100, 100)}, exempt_investor=True),
    }
    assert sme_status("a", 2024, world, [Holding("angel", "a", Decimal("0.45"))]).size is SizeClass.MICRO
    # Above half it links, exempt or not.
    assert sme_status("a", 2024, world, [Holding("angel", "a", Decimal("0.55"))]).size is SizeClass.LARGE


def test_public_bodies_holding_a_quarter_together_make_it_no_sme():
    world = {
        "a": Enterprise("a", {2024: figures(5, 1, 1)}, founded=2024),
        "city": Enterprise("city", public_body=True),
        "region": Enterprise("region", public_body=True),
    }
    holdings = [Holding("city", "a", Decimal("0.15")), Holding("region", "a", Decimal("0.10"))]
    assert sme_status("a", 2024, world, holdings) == SmeStatus(
        "a",
        2024,
        SizeClass.LARGE,
        (
            SmeReason(
                "sme.public_control",
                {"year": 2024, "share": "0.25", "holders": ["city", "region"]},
                "2024: public bodies (city, region) hold 0.25: not an SME",
            ),
        ),
    )
    assert sme_status("a", 2024, world, holdings[:1]).size is SizeClass.MICRO


def test_one_year_over_the_ceiling_keeps_the_status_two_years_change_it():
    years = {2020: SizeClass.SMALL, 2021: SizeClass.MEDIUM, 2022: SizeClass.SMALL, 2023: SizeClass.MEDIUM}
    years |= {2024: SizeClass.MEDIUM}
    world = {"a": Enterprise("a", {y: TYPICAL[c] for y, c in years.items()}, founded=2020)}
    statuses = [sme_status("a", y, world).size for y in range(2020, 2025)]
    assert statuses == [SizeClass.SMALL, SizeClass.SMALL, SizeClass.SMALL, SizeClass.SMALL, SizeClass.MEDIUM]
    codes = [
        (r.code, r.params) for r in sme_status("a", 2024, world).reasons if r.code.startswith("sme.status")
    ]
    assert codes == [
        ("sme.status_from_two_years", {"year": 2024, "class": "medium"}),
    ]
    assert [
        (r.code, r.params) for r in sme_status("a", 2023, world).reasons if r.code.startswith("sme.status")
    ] == [
        ("sme.status_from_first_year", {"year": 2020, "class": "small"}),
        ("sme.status_kept", {"year": 2021, "class": "medium", "status": "small"}),
        ("sme.status_kept", {"year": 2023, "class": "medium", "status": "small"}),
    ]


def test_two_years_over_by_different_amounts_move_to_the_nearer_class():
    years = {2020: SizeClass.MICRO, 2021: SizeClass.LARGE, 2022: SizeClass.SMALL}
    world = {"a": Enterprise("a", {y: TYPICAL[c] for y, c in years.items()}, founded=2020)}
    status = sme_status("a", 2022, world)
    assert status.size is SizeClass.SMALL
    assert [r for r in status.reasons if r.code == "sme.status_changed"] == [
        SmeReason(
            "sme.status_changed",
            {"year": 2022, "from": "micro", "to": "small"},
            "2021 and 2022 both over the micro thresholds: micro -> small",
        )
    ]


def test_missing_figures_give_unknown_naming_each_one():
    world = {
        "a": Enterprise("a", {2024: YearFigures(Decimal(5), None, Decimal(1)), 2023: figures(5, 1, 1)}),
        "b": Enterprise("b", {}),
    }
    status = sme_status(
        "a", 2024, world, [Holding("a", "b", Decimal("0.3")), Holding("a", "ghost", Decimal("0.9"))]
    )
    assert status.size is SizeClass.UNKNOWN
    assert status.is_sme is None
    assert status.missing == (
        MissingFigure("a", 2024, ("turnover_eur",)),
        MissingFigure("ghost", 2024, ("enterprise",)),
        MissingFigure("b", 2024, ("staff_awu", "turnover_eur", "balance_sheet_eur")),
    )
    assert status.reasons[0].code == "sme.unknown"
    assert status.reasons[0].params == {"missing": [m.as_params() for m in status.missing]}


def test_a_year_before_is_asked_for_when_the_founding_year_is_not_known():
    world = {"a": Enterprise("a", {2024: figures(5, 1, 1)})}
    status = sme_status("a", 2024, world)
    assert (status.size, status.missing) == (SizeClass.UNKNOWN, (MissingFigure("a", 2023, FIGURES),))


FIGURES = ("staff_awu", "turnover_eur", "balance_sheet_eur")


def test_older_years_are_not_needed_once_two_years_agree():
    # 2021 is missing, but 2022 and 2023 agree: the status of 2024 follows from them.
    world = {
        "a": Enterprise(
            "a",
            {2022: TYPICAL[SizeClass.SMALL], 2023: TYPICAL[SizeClass.SMALL], 2024: TYPICAL[SizeClass.MICRO]},
        )
    }
    assert sme_status("a", 2024, world).size is SizeClass.SMALL


def test_unknown_enterprise_and_years_before_founding_are_unknown():
    assert sme_status("nobody", 2024, {}).missing == (MissingFigure("nobody", 2024, ("enterprise",)),)
    world = {"a": Enterprise("a", {2024: figures(5, 1, 1)}, founded=2024)}
    assert sme_status("a", 2023, world).reasons == (
        SmeReason("sme.not_founded", {"year": 2023, "founded": 2024}, "Not founded before 2024"),
    )


def test_holdings_count_only_in_their_years():
    world = {
        "a": Enterprise("a", {y: figures(5, 1, 1) for y in (2022, 2023, 2024)}, founded=2022),
        "big": Enterprise("big", {y: figures(500, 100, 100) for y in (2022, 2023, 2024)}),
    }
    holdings = [Holding("big", "a", Decimal("0.8"), since=2023)]
    assert [sme_status("a", y, world, holdings).size for y in (2022, 2023, 2024)] == [
        SizeClass.MICRO,
        SizeClass.MICRO,  # a year linked to a large group: one year does not change the status
        SizeClass.LARGE,
    ]


def test_linked_groups_and_undertakings_follow_majority_and_control():
    holdings = [
        Holding("a", "b", Decimal("0.51")),
        Holding("b", "c", Decimal("0.2"), control=True),
        Holding("d", "e", Decimal("0.5")),  # half is not a majority
        Holding("f", "g", Decimal("0.9"), until=2020),
    ]
    groups = linked_groups(holdings, 2024, members=["z"])
    assert groups["a"] == groups["c"] == frozenset({"a", "b", "c"})
    assert groups["d"] == frozenset({"d"})
    assert groups["f"] == frozenset({"f"})
    assert groups["z"] == frozenset({"z"})
    assert undertaking_ids(holdings, 2020) == {
        "a": "a",
        "b": "a",
        "c": "a",
        "d": "d",
        "e": "e",
        "f": "f",
        "g": "f",
    }


# ---- the two-year rule, on random histories ----------------------------------------------------------

CLASSES = st.sampled_from(SIZE_ORDER)


def forward_statuses(classes: list[SizeClass]) -> list[SizeClass]:
    """The rule read literally, year by year from the first: a reference to compare with."""
    statuses = [classes[0]]
    for i in range(1, len(classes)):
        status = statuses[-1]
        rank = SIZE_ORDER.index
        if rank(classes[i - 1]) > rank(status) and rank(classes[i]) > rank(status):
            status = SIZE_ORDER[min(rank(classes[i - 1]), rank(classes[i]))]
        elif rank(classes[i - 1]) < rank(status) and rank(classes[i]) < rank(status):
            status = SIZE_ORDER[max(rank(classes[i - 1]), rank(classes[i]))]
        statuses.append(status)
    return statuses


@settings(max_examples=200, deadline=None)
@given(st.lists(CLASSES, min_size=1, max_size=10))
def test_status_changes_only_after_two_consecutive_years_on_the_same_side(classes):
    first = 2010
    world = {"a": Enterprise("a", {first + i: TYPICAL[c] for i, c in enumerate(classes)}, founded=first)}
    statuses = [sme_status("a", first + i, world).size for i in range(len(classes))]
    assert statuses == forward_statuses(classes)
    assert statuses[0] is classes[0]
    rank = SIZE_ORDER.index
    for i in range(1, len(classes)):
        if statuses[i] is not statuses[i - 1]:
            before, previous, current = rank(statuses[i - 1]), rank(classes[i - 1]), rank(classes[i])
            up, down = previous > before and current > before, previous < before and current < before
            assert up or down
            assert rank(statuses[i]) == (min(previous, current) if up else max(previous, current))
        else:
            assert next_status(statuses[i - 1], classes[i - 1], classes[i]) is statuses[i]


@settings(max_examples=100, deadline=None)
@given(st.lists(CLASSES, min_size=3, max_size=10), st.data())
def test_dropping_the_years_before_an_agreeing_pair_changes_nothing(classes, data):
    first = 2010
    full = {"a": Enterprise("a", {first + i: TYPICAL[c] for i, c in enumerate(classes)}, founded=first)}
    pairs = [i for i in range(1, len(classes)) if classes[i] is classes[i - 1]]
    if not pairs:
        return
    keep_from = data.draw(st.sampled_from(pairs)) - 1
    cut = {"a": Enterprise("a", {first + i: TYPICAL[c] for i, c in enumerate(classes) if i >= keep_from})}
    last = first + len(classes) - 1
    assert sme_status("a", last, cut).size is sme_status("a", last, full).size


def test_an_enterprise_reached_through_two_partners_counts_once_at_the_larger_share():
    world = {
        "a": Enterprise("a", {2024: figures(1, 1, 1)}, founded=2024),
        "p": Enterprise("p", {2024: figures(10, 1, 1)}),
        "q": Enterprise("q", {2024: figures(100, 1, 1)}),
    }
    # p and q are linked to each other and each a partner of a: the pair counts once, at 40 %.
    holdings = [
        Holding("p", "a", Decimal("0.3")),
        Holding("q", "a", Decimal("0.4")),
        Holding("p", "q", Decimal("0.6")),
    ]
    assert sme_status("a", 2024, world, holdings).reasons[0].params["staff_awu"] == str(
        Decimal(1) + Decimal("0.4") * 110
    )
