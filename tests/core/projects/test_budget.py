"""Unit: a project's budget: totals on a hand case and summed every way alike (hypothesis), funding rates
against the type's caps, and every problem with its code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helix.core.projects.budget import (
    Budget,
    BudgetLine,
    BudgetTotals,
    CostCategory,
    Deliverable,
    FundingRates,
    FundingSource,
    Milestone,
    RateCategory,
    SourceKind,
    budget_problems,
    budget_totals,
    partner_rates,
    project_years,
    rate_category,
)
from helix.core.projects.consortium import Organisation
from helix.core.projects.problems import Problem
from helix.core.projects.types import project_type

from .helpers import OTHER, company, coordinator, government, knowledge, partner

pytestmark = pytest.mark.unit

D = Decimal
PERSONNEL, EQUIPMENT, INDIRECT, SUBCONTRACTING = (
    CostCategory.PERSONNEL,
    CostCategory.EQUIPMENT,
    CostCategory.INDIRECT,
    CostCategory.SUBCONTRACTING,
)
SUBSIDY, OWN, PRIVATE = SourceKind.SUBSIDY, SourceKind.OWN_CONTRIBUTION, SourceKind.PRIVATE_COFINANCING
RATES = project_type("flagship").max_funding_rates  # SME 0.5, large 0.3, knowledge 1.0

SME, UNIVERSITY = company(1, sme=True), knowledge(2)
MEMBERS = [coordinator(SME), partner(UNIVERSITY)]

# An SME and a university over two years: 100,000 of costs, 60,000 of subsidy.
HAND = Budget(
    lines=(
        BudgetLine(1, 2026, PERSONNEL, D("30000")),
        BudgetLine(1, 2027, EQUIPMENT, D("20000.50")),
        BudgetLine(1, 2027, INDIRECT, D("9999.50")),
        BudgetLine(2, 2026, PERSONNEL, D("25000")),
        BudgetLine(2, 2027, PERSONNEL, D("15000")),
    ),
    sources=(
        FundingSource(1, 2026, SUBSIDY, D("15000"), "vlaio"),
        FundingSource(1, 2027, SUBSIDY, D("15000"), "vlaio"),
        FundingSource(1, 2026, OWN, D("20000")),
        FundingSource(1, 2027, PRIVATE, D("10000")),
        FundingSource(2, 2026, SUBSIDY, D("25000"), "vlaio"),
        FundingSource(2, 2027, SUBSIDY, D("5000"), "fwo"),
        FundingSource(2, 2027, SUBSIDY, D("10000"), "vlaio"),
    ),
    milestones=(Milestone("M1", "Prototype", 12), Milestone("M2", "Pilot", 24)),
    deliverables=(Deliverable("D1", "Design", 6, 2), Deliverable("D2", "Pilot report", 24, 1)),
)


def test_the_totals_of_a_hand_case() -> None:
    assert budget_totals(HAND) == BudgetTotals(
        cost=D("100000.00"),
        cost_by_partner={1: D("60000.00"), 2: D("40000")},
        cost_by_year={2026: D("55000"), 2027: D("45000.00")},
        cost_by_category={PERSONNEL: D("70000"), EQUIPMENT: D("20000.50"), INDIRECT: D("9999.50")},
        funding=D("100000"),
        funding_by_partner={1: D("60000"), 2: D("40000")},
        funding_by_year={2026: D("60000"), 2027: D("40000")},
        funding_by_source={SUBSIDY: D("70000"), OWN: D("20000"), PRIVATE: D("10000")},
        subsidy_by_partner={1: D("30000"), 2: D("40000")},
        subsidy_by_instrument={"fwo": D("5000"), "vlaio": D("65000")},
    )


def test_the_hand_case_has_no_problem() -> None:
    assert budget_problems(HAND, MEMBERS, RATES, 24, date(2026, 1, 1)) == ()


def test_each_partners_funding_rate() -> None:
    assert partner_rates(budget_totals(HAND)) == {1: D("0.5000"), 2: D("1.0000")}
    only_subsidy = Budget(sources=(FundingSource(3, 2026, SUBSIDY, D(10), "x"),))
    assert partner_rates(budget_totals(only_subsidy)) == {3: None}


def test_the_rate_category_of_each_kind() -> None:
    cases = [
        company(1, sme=True),
        company(2, sme=False),
        company(3, sme=None),
        knowledge(4),
        government(5),
        Organisation(6, OTHER),
    ]
    assert [rate_category(o) for o in cases] == [
        RateCategory.SME,
        RateCategory.LARGE,
        RateCategory.LARGE,  # unknown: the large cap until the status is known
        RateCategory.KNOWLEDGE_INSTITUTION,
        RateCategory.GOVERNMENT,
        RateCategory.OTHER,
    ]


def test_funding_rates_are_fractions() -> None:
    with pytest.raises(ValueError, match="funding rate large must be a Decimal from 0 to 1"):
        FundingRates(D("0.5"), D("-0.1"), D(1), D(1), D(1))
    with pytest.raises(ValueError, match="funding rate sme"):
        FundingRates(0.5, D(0), D(1), D(1), D(1))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "months", "years"),
    [(date(2026, 1, 15), 12, (2026, 2026)), (date(2026, 2, 1), 12, (2026, 2027)),
     (date(2026, 12, 1), 1, (2026, 2026)), (date(2026, 12, 1), 2, (2026, 2027)),
     (date(2026, 7, 1), 36, (2026, 2029))],
)  # fmt: skip
def test_the_years_a_project_runs(start: date, months: int, years: tuple[int, int]) -> None:
    assert project_years(start, months) == years


# -- problems ----------------------------------------------------------------------------------------------


def _problems(
    budget: Budget, months: int = 24, start: date | None = None, members=MEMBERS
) -> tuple[Problem, ...]:
    return budget_problems(budget, members, RATES, months, start)


def test_a_negative_amount_is_a_problem() -> None:
    budget = Budget(
        lines=(BudgetLine(1, 2026, PERSONNEL, D(-5)),),
        sources=(FundingSource(1, 2026, OWN, D(-1)),),
    )
    assert _problems(budget) == (
        Problem(
            "budget.negative_amount",
            {"what": "line", "organisation": 1, "year": 2026, "amount": D(-5)},
            "A line of 1 in 2026 is below zero (-5).",
        ),
        Problem(
            "budget.negative_amount",
            {"what": "source", "organisation": 1, "year": 2026, "amount": D(-1)},
            "A source of 1 in 2026 is below zero (-1).",
        ),
    )


def test_lines_sources_or_deliverables_of_an_organisation_outside_the_consortium() -> None:
    budget = Budget(
        lines=(BudgetLine(9, 2026, PERSONNEL, D(100)), BudgetLine(9, 2027, PERSONNEL, D(100))),
        sources=(FundingSource(9, 2026, OWN, D(200)), FundingSource(8, 2026, OWN, D(0))),
        deliverables=(Deliverable("D1", "Report", 3, 8),),
    )
    assert _problems(budget) == (
        Problem(
            "budget.partner_not_in_consortium",
            {"organisation": 8, "lines": 0, "sources": 1, "deliverables": 1},
            "8 has budget lines, funding or deliverables but is not in the consortium.",
        ),
        Problem(
            "budget.partner_not_in_consortium",
            {"organisation": 9, "lines": 2, "sources": 1, "deliverables": 0},
            "9 has budget lines, funding or deliverables but is not in the consortium.",
        ),
    )


def test_amounts_outside_the_projects_years() -> None:
    budget = Budget(
        lines=(BudgetLine(1, 2025, PERSONNEL, D(100)), BudgetLine(1, 2027, PERSONNEL, D(100))),
        sources=(FundingSource(1, 2028, OWN, D(200)),),
    )
    assert _problems(budget, 12, date(2026, 6, 1)) == tuple(
        Problem(
            "budget.year_outside_project",
            {"year": year, "first_year": 2026, "last_year": 2027},
            f"The budget has amounts in {year}; the project runs from 2026 to 2027.",
        )
        for year in (2025, 2028)
    )
    assert _problems(budget, 12) == ()  # without a start, the years are not checked


def test_a_milestone_or_deliverable_after_the_end_or_before_the_start() -> None:
    budget = Budget(
        milestones=(Milestone("M1", "Kick-off", 0), Milestone("M2", "End", 12), Milestone("M3", "Late", 13)),
        deliverables=(Deliverable("D1", "Report", 14, 1), Deliverable("D2", "Early", -1)),
    )
    assert _problems(budget, 12) == (
        Problem(
            "budget.milestone_due_before_start",
            {"milestone": "M1", "due_month": 0, "duration": 12},
            "The milestone M1 is due in month 0; the first month is 1.",
        ),
        Problem(
            "budget.milestone_after_end",
            {"milestone": "M3", "due_month": 13, "duration": 12},
            "The milestone M3 is due in month 13, after the project's 12 months.",
        ),
        Problem(
            "budget.deliverable_after_end",
            {"deliverable": "D1", "due_month": 14, "duration": 12},
            "The deliverable D1 is due in month 14, after the project's 12 months.",
        ),
        Problem(
            "budget.deliverable_due_before_start",
            {"deliverable": "D2", "due_month": -1, "duration": 12},
            "The deliverable D2 is due in month -1; the first month is 1.",
        ),
    )


def test_a_subsidy_names_its_instrument() -> None:
    budget = Budget(
        lines=(BudgetLine(2, 2026, PERSONNEL, D(100)),),
        sources=(FundingSource(2, 2026, SUBSIDY, D(100)),),
    )
    assert _problems(budget) == (
        Problem(
            "budget.subsidy_without_instrument",
            {"organisation": 2, "year": 2026, "amount": D(100)},
            "A subsidy of 100 to 2 in 2026 names no instrument.",
        ),
    )


def test_sources_must_cover_each_partners_costs() -> None:
    budget = Budget(
        lines=(BudgetLine(1, 2026, PERSONNEL, D(1000)), BudgetLine(2, 2026, SUBCONTRACTING, D(500))),
        sources=(FundingSource(1, 2026, OWN, D(1000)), FundingSource(2, 2026, PRIVATE, D(200))),
    )
    assert _problems(budget) == (
        Problem(
            "budget.sources_short",
            {"organisation": 2, "costs": D(500), "sources": D(200), "missing": D(300)},
            "2's costs of 500 have 200 of funding: 300 short.",
        ),
    )


def test_a_funding_rate_above_the_types_maximum() -> None:
    large = company(3, sme=False)
    budget = Budget(
        lines=(BudgetLine(3, 2026, PERSONNEL, D(1000)), BudgetLine(1, 2026, PERSONNEL, D(1000))),
        sources=(
            FundingSource(3, 2026, SUBSIDY, D(301), "vlaio"),
            FundingSource(3, 2026, OWN, D(699)),
            FundingSource(1, 2026, SUBSIDY, D(500), "vlaio"),  # an SME at 0.5: allowed
            FundingSource(1, 2026, OWN, D(500)),
        ),
    )
    assert _problems(budget, members=[coordinator(SME), partner(large)]) == (
        Problem(
            "budget.funding_rate_above_max",
            {
                "organisation": 3,
                "category": "large",
                "rate": D("0.3010"),
                "max": D("0.3"),
                "subsidy": D(301),
                "costs": D(1000),
                "excess": D("1.0"),
            },
            "3's subsidy is 0.3010 of its costs; a large company may receive at most 0.3.",
        ),
    )


def test_an_unknown_sme_status_is_capped_as_large() -> None:
    unknown = company(3, sme=None)
    budget = Budget(
        lines=(BudgetLine(3, 2026, PERSONNEL, D(1000)),),
        sources=(FundingSource(3, 2026, SUBSIDY, D(500), "vlaio"), FundingSource(3, 2026, OWN, D(500))),
    )
    assert [p.params["category"] for p in _problems(budget, members=[coordinator(unknown)])] == ["large"]


def test_a_subsidy_without_costs() -> None:
    budget = Budget(sources=(FundingSource(2, 2026, SUBSIDY, D(100), "vlaio"),))
    assert _problems(budget) == (
        Problem(
            "budget.subsidy_without_costs",
            {"organisation": 2, "subsidy": D(100)},
            "2 receives a subsidy of 100 but has no costs.",
        ),
    )


# -- summed every way alike --------------------------------------------------------------------------------

amounts = st.integers(0, 10_000_000).map(lambda cents: D(cents) / 100)
partners = st.sampled_from([1, 2, 3, "pic-999"])
years = st.integers(2024, 2030)
line_rows = st.builds(BudgetLine, partners, years, st.sampled_from(list(CostCategory)), amounts)
source_rows = st.builds(
    FundingSource,
    partners,
    years,
    st.sampled_from(list(SourceKind)),
    amounts,
    st.sampled_from(["", "a", "b"]),
)


@given(st.lists(line_rows, max_size=30), st.lists(source_rows, max_size=30))
def test_the_totals_add_up_every_way(lines: list[BudgetLine], sources: list[FundingSource]) -> None:
    totals = budget_totals(Budget(tuple(lines), tuple(sources)))
    assert totals.cost == sum(totals.cost_by_partner.values(), D(0))
    assert totals.cost == sum(totals.cost_by_year.values(), D(0))
    assert totals.cost == sum(totals.cost_by_category.values(), D(0))
    assert totals.cost == sum((line.amount for line in lines), D(0))
    assert totals.funding == sum(totals.funding_by_partner.values(), D(0))
    assert totals.funding == sum(totals.funding_by_year.values(), D(0))
    assert totals.funding == sum(totals.funding_by_source.values(), D(0))
    assert sum(totals.subsidy_by_partner.values(), D(0)) == sum(totals.subsidy_by_instrument.values(), D(0))
    assert sum(totals.subsidy_by_partner.values(), D(0)) == totals.funding_by_source.get(SUBSIDY, D(0))
