"""A project's budget: cost lines per partner and year, funding sources, milestones and deliverables.

Money is :class:`~decimal.Decimal` (euros), so totals add up exactly whichever way they are summed: per
partner, per year, per cost category or funding source (:func:`budget_totals`). A partner's funding rate is
its subsidy over its costs; each project type caps it per kind of organisation (:class:`FundingRates`, read
from the project types' data, e.g. SMEs 0.5, large companies 0.3, knowledge institutions 1.0).

:func:`budget_problems` says, as coded problems, what is wrong: an amount below zero, lines or sources of
an organisation not in the consortium, a year outside the project, a milestone or deliverable due after
its end, a subsidy without an instrument or without costs, sources that do not cover a partner's costs,
a funding rate above the type's maximum.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from .consortium import Member, Organisation, OrganisationKind
from .problems import OrganisationId, Problem, id_key

ZERO = Decimal(0)
RATE_PLACES = Decimal("0.0001")


class CostCategory(StrEnum):
    PERSONNEL = "personnel"
    SUBCONTRACTING = "subcontracting"
    EQUIPMENT = "equipment"
    OTHER = "other"
    INDIRECT = "indirect"


class SourceKind(StrEnum):
    SUBSIDY = "subsidy"  # from an instrument (a call's subsidy, a portfolio, a fund)
    OWN_CONTRIBUTION = "own_contribution"
    PRIVATE_COFINANCING = "private_cofinancing"


class RateCategory(StrEnum):
    """The kinds of organisation a funding rate is capped for."""

    SME = "sme"
    LARGE = "large"  # a company that is not an SME, or whose SME status is unknown
    KNOWLEDGE_INSTITUTION = "knowledge_institution"
    GOVERNMENT = "government"
    OTHER = "other"


@dataclass(frozen=True)
class FundingRates:
    """The highest share of its costs a partner of each category may receive as subsidy (0 to 1)."""

    sme: Decimal
    large: Decimal
    knowledge_institution: Decimal
    government: Decimal
    other: Decimal

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, Decimal) or not ZERO <= value <= 1:
                raise ValueError(f"funding rate {f.name} must be a Decimal from 0 to 1, not {value!r}")

    def of(self, category: RateCategory) -> Decimal:
        rate: Decimal = getattr(self, category.value)
        return rate


RATE_WORDS = {
    RateCategory.SME: "an SME",
    RateCategory.LARGE: "a large company",
    RateCategory.KNOWLEDGE_INSTITUTION: "a knowledge institution",
    RateCategory.GOVERNMENT: "a government body",
    RateCategory.OTHER: "another organisation",
}


def rate_category(organisation: Organisation) -> RateCategory:
    """The category whose cap applies: a company whose SME status is unknown counts as large until known."""
    if organisation.kind is OrganisationKind.COMPANY:
        return RateCategory.SME if organisation.sme is True else RateCategory.LARGE
    return RateCategory(organisation.kind.value)


@dataclass(frozen=True)
class BudgetLine:
    partner: OrganisationId
    year: int  # calendar year
    category: CostCategory
    amount: Decimal
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "category", CostCategory(self.category))


@dataclass(frozen=True)
class FundingSource:
    partner: OrganisationId  # who receives it (a subsidy) or puts it in (own contribution, co-financing)
    year: int
    kind: SourceKind
    amount: Decimal
    instrument: str = ""  # the instrument a subsidy comes from (its id or key)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", SourceKind(self.kind))


@dataclass(frozen=True)
class Milestone:
    key: str
    title: str
    due_month: int  # month of the project, 1 = its first


@dataclass(frozen=True)
class Deliverable:
    key: str
    title: str
    due_month: int
    partner: OrganisationId | None = None  # who delivers it


@dataclass(frozen=True)
class Budget:
    lines: tuple[BudgetLine, ...] = ()
    sources: tuple[FundingSource, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    deliverables: tuple[Deliverable, ...] = ()


K = TypeVar("K")


def _sum_by(pairs: Iterable[tuple[K, Decimal]]) -> dict[K, Decimal]:
    out: defaultdict[K, Decimal] = defaultdict(lambda: ZERO)
    for k, amount in pairs:
        out[k] += amount
    return dict(out)


def _by_id(totals: Mapping[OrganisationId, Decimal]) -> dict[OrganisationId, Decimal]:
    return {k: totals[k] for k in sorted(totals, key=id_key)}


@dataclass(frozen=True)
class BudgetTotals:
    """The budget summed every way; each dict in its keys' order (ids by :func:`id_key`, years, enums)."""

    cost: Decimal
    cost_by_partner: dict[OrganisationId, Decimal]
    cost_by_year: dict[int, Decimal]
    cost_by_category: dict[CostCategory, Decimal]
    funding: Decimal
    funding_by_partner: dict[OrganisationId, Decimal]
    funding_by_year: dict[int, Decimal]
    funding_by_source: dict[SourceKind, Decimal]
    subsidy_by_partner: dict[OrganisationId, Decimal]
    subsidy_by_instrument: dict[str, Decimal]


def budget_totals(budget: Budget) -> BudgetTotals:
    lines, sources = budget.lines, budget.sources
    by_category = _sum_by((line.category, line.amount) for line in lines)
    by_source = _sum_by((s.kind, s.amount) for s in sources)
    subsidies = [s for s in sources if s.kind is SourceKind.SUBSIDY]
    by_instrument = _sum_by((s.instrument, s.amount) for s in subsidies)
    return BudgetTotals(
        cost=sum((line.amount for line in lines), ZERO),
        cost_by_partner=_by_id(_sum_by((line.partner, line.amount) for line in lines)),
        cost_by_year=dict(sorted(_sum_by((line.year, line.amount) for line in lines).items())),
        cost_by_category={c: by_category[c] for c in CostCategory if c in by_category},
        funding=sum((s.amount for s in sources), ZERO),
        funding_by_partner=_by_id(_sum_by((s.partner, s.amount) for s in sources)),
        funding_by_year=dict(sorted(_sum_by((s.year, s.amount) for s in sources).items())),
        funding_by_source={k: by_source[k] for k in SourceKind if k in by_source},
        subsidy_by_partner=_by_id(_sum_by((s.partner, s.amount) for s in subsidies)),
        subsidy_by_instrument=dict(sorted(by_instrument.items())),
    )


def funding_rate(subsidy: Decimal, costs: Decimal) -> Decimal | None:
    """Subsidy over costs, to four places; None when there are no costs."""
    return (subsidy / costs).quantize(RATE_PLACES) if costs > 0 else None


def partner_rates(totals: BudgetTotals) -> dict[OrganisationId, Decimal | None]:
    """Each partner's funding rate (subsidy over costs; None without costs), for every partner with costs
    or a subsidy, in id order."""
    partners = sorted(set(totals.cost_by_partner) | set(totals.subsidy_by_partner), key=id_key)
    return {
        p: funding_rate(totals.subsidy_by_partner.get(p, ZERO), totals.cost_by_partner.get(p, ZERO))
        for p in partners
    }


def project_years(start: date, duration_months: int) -> tuple[int, int]:
    """The first and last calendar years of a project starting in ``start``'s month."""
    last = start.month - 1 + duration_months - 1
    return start.year, start.year + last // 12


def budget_problems(
    budget: Budget,
    members: Sequence[Member],
    rates: FundingRates,
    duration_months: int,
    start: date | None = None,
) -> tuple[Problem, ...]:
    """What is wrong with ``budget`` for a consortium of ``members`` lasting ``duration_months`` (from
    ``start``, when known: then lines and sources must fall in its years), as coded problems in a stable
    order."""
    problems: list[Problem] = []
    organisations: dict[OrganisationId, Organisation] = {}
    for member in members:
        organisations.setdefault(member.id, member.organisation)

    for what, rows in (("line", budget.lines), ("source", budget.sources)):
        for row in rows:
            if row.amount < 0:
                problems.append(
                    Problem(
                        "budget.negative_amount",
                        {"what": what, "organisation": row.partner, "year": row.year, "amount": row.amount},
                        f"A {what} of {row.partner} in {row.year} is below zero ({row.amount}).",
                    )
                )

    outsiders: dict[OrganisationId, dict[str, int]] = {}
    for what, partners in (
        ("lines", [line.partner for line in budget.lines]),
        ("sources", [s.partner for s in budget.sources]),
        ("deliverables", [d.partner for d in budget.deliverables if d.partner is not None]),
    ):
        for partner in partners:
            if partner not in organisations:
                counts = outsiders.setdefault(partner, {"lines": 0, "sources": 0, "deliverables": 0})
                counts[what] += 1
    for partner in sorted(outsiders, key=id_key):
        problems.append(
            Problem(
                "budget.partner_not_in_consortium",
                {"organisation": partner, **outsiders[partner]},
                f"{partner} has budget lines, funding or deliverables but is not in the consortium.",
            )
        )

    if start is not None:
        first, last = project_years(start, duration_months)
        used = {line.year for line in budget.lines} | {source.year for source in budget.sources}
        years = sorted(used - set(range(first, last + 1)))
        problems.extend(
            Problem(
                "budget.year_outside_project",
                {"year": year, "first_year": first, "last_year": last},
                f"The budget has amounts in {year}; the project runs from {first} to {last}.",
            )
            for year in years
        )

    for kind, items in (("milestone", budget.milestones), ("deliverable", budget.deliverables)):
        for item in items:
            params = {kind: item.key, "due_month": item.due_month, "duration": duration_months}
            if item.due_month < 1:
                problems.append(
                    Problem(
                        f"budget.{kind}_due_before_start",
                        params,
                        f"The {kind} {item.key} is due in month {item.due_month}; the first month is 1.",
                    )
                )
            elif item.due_month > duration_months:
                problems.append(
                    Problem(
                        f"budget.{kind}_after_end",
                        params,
                        f"The {kind} {item.key} is due in month {item.due_month}, after the project's "
                        f"{duration_months} months.",
                    )
                )

    for source in budget.sources:
        if source.kind is SourceKind.SUBSIDY and not source.instrument:
            problems.append(
                Problem(
                    "budget.subsidy_without_instrument",
                    {"organisation": source.partner, "year": source.year, "amount": source.amount},
                    f"A subsidy of {source.amount} to {source.partner} in {source.year} names no instrument.",
                )
            )

    totals = budget_totals(budget)
    partners = sorted(set(totals.cost_by_partner) | set(totals.funding_by_partner), key=id_key)
    for partner in partners:
        costs = totals.cost_by_partner.get(partner, ZERO)
        funding = totals.funding_by_partner.get(partner, ZERO)
        if funding < costs:
            problems.append(
                Problem(
                    "budget.sources_short",
                    {"organisation": partner, "costs": costs, "sources": funding, "missing": costs - funding},
                    f"{partner}'s costs of {costs} have {funding} of funding: {costs - funding} short.",
                )
            )

    for partner in partners:
        subsidy = totals.subsidy_by_partner.get(partner, ZERO)
        if subsidy <= 0 or partner not in organisations:
            continue
        costs = totals.cost_by_partner.get(partner, ZERO)
        category = rate_category(organisations[partner])
        ceiling = rates.of(category)
        if costs <= 0:
            problems.append(
                Problem(
                    "budget.subsidy_without_costs",
                    {"organisation": partner, "subsidy": subsidy},
                    f"{partner} receives a subsidy of {subsidy} but has no costs.",
                )
            )
        elif subsidy > ceiling * costs:
            problems.append(
                Problem(
                    "budget.funding_rate_above_max",
                    {
                        "organisation": partner,
                        "category": category.value,
                        "rate": funding_rate(subsidy, costs),
                        "max": ceiling,
                        "subsidy": subsidy,
                        "costs": costs,
                        "excess": subsidy - ceiling * costs,
                    },
                    f"{partner}'s subsidy is {funding_rate(subsidy, costs)} of its costs; "
                    f"{RATE_WORDS[category]} may receive at most {ceiling}.",
                )
            )
    return tuple(problems)
