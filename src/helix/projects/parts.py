"""A project's parts: its budget grid (lines per partner, year and cost category), funding sources,
milestones and deliverables, and reports; and what the page shows of them (totals, what the budget still
misses).

Each write asks the permission table (``edit`` on the project: its consortium's people and its cluster's
staff), checks the core's budget rules (helix.core.projects.budget) and writes in one transaction, the
project's row locked; a refusal is a :class:`helix.projects.services.ProjectRefused` with coded problems
(said by helix.projects.explain) and nothing is written.

The budget grid is saved whole: the lines it holds replace the project's lines. It is refused when an
amount is below zero, a partner/year/category is given twice, a line names no member of the consortium or
falls outside the project's years, or when the lines changed since the grid was read (its ``version``). The
other problems the core finds (sources that do not cover a partner's costs, a funding rate above the
type's maximum, a subsidy without an instrument, a deliverable due after the end) are advice the page
shows: a budget is written over several sittings.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from helix.core.projects import budget as core
from helix.core.projects.problems import Problem
from helix.core.projects.types import UnknownProjectType, project_type
from helix.projects import convert
from helix.projects.models import (
    BudgetLine,
    CostCategory,
    FundingSource,
    Milestone,
    Project,
    ProjectMember,
    ProjectReport,
    SourceKind,
)
from helix.projects.services import ProjectRefused
from helix.registry.permissions import can

ZERO = Decimal(0)

# The core's problems that refuse a grid, a funding source or a milestone (the others are advice).
GRID_CODES = frozenset(
    {"budget.negative_amount", "budget.partner_not_in_consortium", "budget.year_outside_project"}
)
SOURCE_CODES = frozenset({"budget.negative_amount", "budget.subsidy_without_instrument"})
MILESTONE_CODES = frozenset(
    {
        "budget.milestone_due_before_start",
        "budget.milestone_after_end",
        "budget.deliverable_due_before_start",
        "budget.deliverable_after_end",
    }
)


def _editable(user: Any, project: Project) -> Project:
    """The project's row, locked for this transaction, if ``user`` may edit it."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if not can(user, "edit", locked):
        raise PermissionDenied
    return locked


def _member(project: Project, member: ProjectMember | int | None) -> ProjectMember | None:
    """``member`` (a row or its id) if it is of ``project``'s consortium; refused otherwise."""
    if member is None:
        return None
    pk = member.pk if isinstance(member, ProjectMember) else member
    found = project.members.select_related("organisation").filter(pk=pk).first()
    if found is None:
        raise ProjectRefused("project.not_a_member", {})
    return found


def _rates(project: Project) -> core.FundingRates:
    try:
        return project_type(project.kind).max_funding_rates
    except UnknownProjectType:
        raise ProjectRefused("project.unknown_type", {"type": project.kind}) from None


def _problems(project: Project, budget: core.Budget, codes: Iterable[str]) -> list[Problem]:
    """The core's problems of ``budget`` for ``project`` whose code is among ``codes``, their
    organisations and milestones named (for the reader) rather than numbered."""
    wanted = set(codes)
    months = project.months or max(
        [1, *(m.due_month for m in (*budget.milestones, *budget.deliverables))]
    )  # without a duration, nothing is due after the end
    start = project.starts_on if project.months else None  # the years are known with both
    members = convert.members(project)
    found = core.budget_problems(budget, members, _rates(project), months, start)
    names: dict[object, str] = {m.id: m.organisation.name for m in members}
    titles = {m.key: m.title for m in (*budget.milestones, *budget.deliverables)}
    return [_readable(p, names, titles) for p in found if p.code in wanted]


def _readable(problem: Problem, names: dict[object, str], titles: dict[str, str]) -> Problem:
    params = dict(problem.params)
    if "organisation" in params:
        params["organisation"] = names.get(params["organisation"], str(params["organisation"]))
    for kind in ("milestone", "deliverable"):
        if kind in params:
            params[kind] = titles.get(str(params[kind]), str(params[kind]))
    return Problem(problem.code, params, problem.text)


# -- the budget grid -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One amount of the grid: a member of the consortium (its ProjectMember id), a year, a category."""

    member: int
    year: int
    category: str
    amount: Decimal


def budget_version(project: Project) -> str:
    """A digest of the project's budget lines: the grid carries it, and a save on another is refused."""
    rows = BudgetLine.objects.filter(member__project=project).order_by("member_id", "year", "category")
    text = ";".join(
        f"{m},{y},{c},{a}" for m, y, c, a in rows.values_list("member_id", "year", "category", "amount")
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _grid_problems(
    project: Project, cells: Sequence[Cell], members: dict[int, ProjectMember]
) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[int, int, str]] = set()
    for cell in cells:
        member = members.get(cell.member)
        if member is None:
            problems.append(
                Problem("project.not_a_member", {}, "The line names no member of the consortium.")
            )
            continue
        where = {"organisation": member.organisation.name, "year": cell.year, "category": cell.category}
        if cell.category not in CostCategory.values:
            problems.append(Problem("budget.unknown_category", where, f"No cost category {cell.category!r}."))
        key = (cell.member, cell.year, cell.category)
        if key in seen:
            problems.append(
                Problem(
                    "budget.line_twice",
                    where,
                    f"{member.organisation.name} has two amounts for {cell.category} in {cell.year}.",
                )
            )
        seen.add(key)
    return problems


@transaction.atomic
def save_budget(user: Any, project: Project, cells: Sequence[Cell], *, version: str | None = None) -> int:
    """Replace the project's budget lines with ``cells`` (an empty cell is no line), if ``version`` (of
    :func:`budget_version`, None: not checked) is still the budget's. Refused whole, with every problem,
    when a cell breaks a rule (see the module's docstring). Returns the number of lines now."""
    project = _editable(user, project)
    if version is not None and version != budget_version(project):
        raise ProjectRefused("budget.stale", {})
    members = {m.pk: m for m in project.members.select_related("organisation")}
    problems = _grid_problems(project, cells, members)
    if not problems:
        lines = tuple(
            core.BudgetLine(members[c.member].organisation_id, c.year, c.category, c.amount) for c in cells
        )
        problems = _problems(project, core.Budget(lines=lines), GRID_CODES)
    if problems:
        raise ProjectRefused("budget.refused", {}, tuple(problems))
    wanted = {(c.member, c.year, c.category): c.amount for c in cells}
    existing = {
        (b.member_id, b.year, b.category): b for b in BudgetLine.objects.filter(member__project=project)
    }
    gone = [b.pk for key, b in existing.items() if key not in wanted]
    BudgetLine.objects.filter(pk__in=gone).delete()
    for (member, year, category), amount in wanted.items():
        line = existing.get((member, year, category))
        if line is None:
            BudgetLine.objects.create(member_id=member, year=year, category=category, amount=amount)
        elif line.amount != amount:
            line.amount = amount
            line.save(update_fields=["amount"])
    return len(wanted)


def grid_years(project: Project, lines: Iterable[BudgetLine]) -> list[int]:
    """The years the grid shows: the project's years (when its start and duration are known), and every
    year a line has; this year when there is neither."""
    years = {line.year for line in lines}
    if project.starts_on and project.months:
        first, last = core.project_years(project.starts_on, project.months)
        years |= set(range(first, last + 1))
    return sorted(years) or [timezone.localdate().year]


# -- what the page shows -------------------------------------------------------------------------------------


@dataclass
class BudgetTable:
    """The budget per partner and year, with totals per partner, per year and in all."""

    years: list[int]
    rows: list[dict[str, Any]]  # {"member", "amounts": [(year, amount)], "total"}
    year_totals: list[tuple[int, Decimal]]
    total: Decimal
    by_category: list[tuple[str, Decimal]]  # (label, amount), in the categories' order
    funding: Decimal
    funding_by_kind: list[tuple[str, Decimal]]
    advice: list[Problem] = field(default_factory=list)  # what the core says is still wrong


def budget_table(project: Project, members: Sequence[ProjectMember]) -> BudgetTable:
    """The page's budget: ``members`` are the consortium (with their organisations), in the page's order.
    Reads the lines, sources and milestones once each, whatever their number."""
    lines = list(BudgetLine.objects.filter(member__project=project))
    years = grid_years(project, lines) if lines else []
    sums: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        sums[(line.member_id, line.year)] += line.amount
    rows = []
    for m in members:
        amounts = [(y, sums.get((m.pk, y), ZERO)) for y in years]
        if any(a for _y, a in amounts):
            rows.append({"member": m, "amounts": amounts, "total": sum((a for _y, a in amounts), ZERO)})
    year_totals = [(y, sum((sums.get((m.pk, y), ZERO) for m in members), ZERO)) for y in years]
    by_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        by_category[line.category] += line.amount
    sources = list(project.funding_sources.all())
    by_kind: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for s in sources:
        by_kind[s.kind] += s.amount
    try:
        advice = _problems(project, convert.budget_of(project), _ADVICE_CODES)
    except ProjectRefused:
        advice = []  # a type no longer declared: no rule to say anything
    return BudgetTable(
        years=years,
        rows=rows,
        year_totals=year_totals,
        total=sum((line.amount for line in lines), ZERO),
        by_category=[(str(c.label), by_category[c.value]) for c in CostCategory if c.value in by_category],
        funding=sum((s.amount for s in sources), ZERO),
        funding_by_kind=[(str(k.label), by_kind[k.value]) for k in SourceKind if k.value in by_kind],
        advice=advice,
    )


_ADVICE_CODES = frozenset(
    {
        *GRID_CODES,
        *SOURCE_CODES,
        *MILESTONE_CODES,
        "budget.sources_short",
        "budget.subsidy_without_costs",
        "budget.funding_rate_above_max",
    }
)


# -- funding sources -----------------------------------------------------------------------------------------


@transaction.atomic
def add_funding_source(
    user: Any,
    project: Project,
    *,
    kind: str,
    amount: Decimal,
    member: ProjectMember | int | None = None,
    instrument: str = "",
) -> FundingSource:
    """A source of money for the project (for a partner, or the whole project): a subsidy names the
    instrument it comes from; no amount is below zero."""
    project = _editable(user, project)
    partner = _member(project, member)
    if kind not in SourceKind.values:
        raise ProjectRefused("budget.unknown_source_kind", {"kind": kind})
    organisation = partner.organisation_id if partner else 0
    source = core.FundingSource(organisation, 0, convert.SOURCE_KIND[SourceKind(kind)], amount, instrument)
    problems = [
        p
        for p in core.budget_problems(core.Budget(sources=(source,)), [], _rates(project), 1)
        if p.code in SOURCE_CODES
    ]
    if problems:
        raise ProjectRefused("budget.source_refused", {}, tuple(problems))
    return FundingSource.objects.create(
        project=project, member=partner, kind=kind, amount=amount, instrument=instrument.strip()
    )


@transaction.atomic
def remove_funding_source(user: Any, source: FundingSource) -> None:
    _editable(user, source.project)
    source.delete()


# -- milestones and deliverables -----------------------------------------------------------------------------


@transaction.atomic
def add_milestone(
    user: Any,
    project: Project,
    *,
    kind: str,
    title: str,
    due_month: int,
    lead: ProjectMember | int | None = None,
) -> Milestone:
    """A milestone or a deliverable due in a month of the project (1 = its first, never after its last),
    led by a member of the consortium."""
    project = _editable(user, project)
    partner = _member(project, lead)
    item: Any
    if kind == Milestone.Kind.DELIVERABLE:
        item = core.Deliverable("new", title, due_month, partner.organisation_id if partner else None)
        budget = core.Budget(deliverables=(item,))
    elif kind == Milestone.Kind.MILESTONE:
        budget = core.Budget(milestones=(core.Milestone("new", title, due_month),))
    else:
        raise ProjectRefused("milestone.unknown_kind", {"kind": kind})
    problems = _problems(project, budget, MILESTONE_CODES)
    if problems:
        raise ProjectRefused("milestone.refused", {"title": title}, tuple(problems))
    return Milestone.objects.create(
        project=project, kind=kind, title=title, due_month=due_month, lead=partner
    )


@transaction.atomic
def mark_reached(user: Any, milestone: Milestone, on: date | None) -> Milestone:
    """Record the day ``milestone`` was reached (a deliverable delivered); None: not reached after all."""
    _editable(user, milestone.project)
    milestone.reached_on = on
    milestone.save(update_fields=["reached_on"])
    return milestone


@transaction.atomic
def remove_milestone(user: Any, milestone: Milestone) -> None:
    _editable(user, milestone.project)
    milestone.delete()


# -- reports -------------------------------------------------------------------------------------------------


@transaction.atomic
def add_report(
    user: Any, project: Project, *, title: str, period_start: date, period_end: date, text: str = ""
) -> ProjectReport:
    """A report on a period of the project (its last day not before its first), not yet submitted."""
    project = _editable(user, project)
    if period_end < period_start:
        raise ProjectRefused("report.period_reversed", {"start": period_start, "end": period_end})
    return ProjectReport.objects.create(
        project=project, title=title, period_start=period_start, period_end=period_end, text=text
    )


@transaction.atomic
def submit_report(user: Any, report: ProjectReport, on: date | None = None) -> ProjectReport:
    """Submit ``report`` (today, or ``on``); a report is submitted once."""
    _editable(user, report.project)
    report = ProjectReport.objects.select_for_update().get(pk=report.pk)
    if report.submitted_on is not None:
        raise ProjectRefused("report.submitted_already", {"on": report.submitted_on})
    report.submitted_on = on or timezone.localdate()
    report.save(update_fields=["submitted_on"])
    return report
