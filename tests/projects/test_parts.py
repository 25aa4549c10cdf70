"""Integration: a project's parts (helix.projects.parts): the budget grid is saved whole or refused whole with
every reason (no amount below zero, no partner/year/category twice, only members of the consortium, only
the project's years, not over someone else's save); funding sources, milestones, deliverables and reports
keep the core's budget rules; only the project's editors change them; the page's totals and advice come
from the core."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from helix.projects import explain, parts, services
from helix.projects.models import BudgetLine, FundingSource, Milestone, ProjectReport
from helix.projects.parts import Cell
from helix.projects.services import ProjectRefused
from tests.factories.projects import ProjectFactory, ProjectMemberFactory
from tests.factories.registry import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
    member_user,
    staff_user,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

D = Decimal


@pytest.fixture
def lux():  # type: ignore[no-untyped-def]
    """Green steel: a flagship of 24 months from January 2026, coordinated by Steel (large) with Coat (an
    SME) as partner."""
    cluster = ClusterFactory(slug="lu-materials", name="Materials")
    orgs = {}
    for key, size in (("steel", "large"), ("coat", "sme")):
        orgs[key] = OrganisationFactory(name=key.title(), slug=key, kind="company", size_class=size)
        SiteFactory(organisation=orgs[key], country="LU", is_headquarters=True)
        MembershipFactory(organisation=orgs[key], cluster=cluster, level="member")
    user = member_user(orgs["steel"], "steel_person")
    project = services.start_project(
        user, cluster=cluster, coordinator=orgs["steel"], kind="flagship", title="Green steel", months=24,
        starts_on=dt.date(2026, 1, 1),
    )  # fmt: skip
    services.add_member(user, project, orgs["coat"], "partner")
    members = {m.organisation.slug: m for m in project.members.select_related("organisation")}
    return {"cluster": cluster, "user": user, "project": project, "members": members, "orgs": orgs}


def _lines(project):  # type: ignore[no-untyped-def]
    rows = BudgetLine.objects.filter(member__project=project).order_by("member_id", "year", "category")
    return [(b.member.organisation.slug, b.year, b.category, b.amount) for b in rows]


def _codes(refused: ProjectRefused) -> list[str]:
    return [p.code for p in refused.problems]


def test_the_grid_is_saved_whole_and_replaces_the_lines(lux):  # type: ignore[no-untyped-def]
    steel, coat = lux["members"]["steel"].pk, lux["members"]["coat"].pk
    count = parts.save_budget(
        lux["user"],
        lux["project"],
        [Cell(steel, 2026, "personnel", D("1000.00")), Cell(coat, 2027, "equipment", D("250.50"))],
    )
    assert count == 2
    parts.save_budget(
        lux["user"],
        lux["project"],
        [Cell(steel, 2026, "personnel", D("1200.00")), Cell(steel, 2027, "other", D("0"))],
    )
    assert _lines(lux["project"]) == [
        ("steel", 2026, "personnel", D("1200.00")),
        ("steel", 2027, "other", D("0.00")),
    ]


def test_a_negative_amount_refuses_the_whole_grid_and_nothing_is_written(lux):  # type: ignore[no-untyped-def]
    steel, coat = lux["members"]["steel"].pk, lux["members"]["coat"].pk
    parts.save_budget(lux["user"], lux["project"], [Cell(steel, 2026, "personnel", D("1000.00"))])
    with pytest.raises(ProjectRefused) as refused:
        parts.save_budget(
            lux["user"],
            lux["project"],
            [Cell(steel, 2026, "personnel", D("5000.00")), Cell(coat, 2026, "equipment", D("-10.00"))],
        )
    assert (refused.value.code, _codes(refused.value)) == ("budget.refused", ["budget.negative_amount"])
    assert explain.problem_text(refused.value.problems[0]) == (
        "A budget line of Coat in 2026 is below zero: EUR -10.00."
    )
    assert _lines(lux["project"]) == [("steel", 2026, "personnel", D("1000.00"))]


def test_the_same_partner_year_and_category_twice_is_refused(lux):  # type: ignore[no-untyped-def]
    steel = lux["members"]["steel"].pk
    with pytest.raises(ProjectRefused) as refused:
        parts.save_budget(
            lux["user"],
            lux["project"],
            [Cell(steel, 2026, "personnel", D("1.00")), Cell(steel, 2026, "personnel", D("2.00"))],
        )
    assert explain.refusal_text(refused.value) == (
        "The budget cannot be saved: Steel has two amounts for personnel in 2026."
    )
    assert _lines(lux["project"]) == []


def test_a_year_outside_the_project_and_a_member_of_another_project_are_refused(lux):  # type: ignore[no-untyped-def]
    steel = lux["members"]["steel"].pk
    elsewhere = ProjectMemberFactory(project=ProjectFactory(cluster=lux["cluster"]))
    with pytest.raises(ProjectRefused) as outside:
        parts.save_budget(lux["user"], lux["project"], [Cell(steel, 2029, "personnel", D("1.00"))])
    assert explain.problem_text(outside.value.problems[0]) == (
        "The budget has amounts in 2029; the project runs from 2026 to 2027."
    )
    with pytest.raises(ProjectRefused) as stranger:
        parts.save_budget(lux["user"], lux["project"], [Cell(elsewhere.pk, 2026, "personnel", D("1.00"))])
    assert _codes(stranger.value) == ["project.not_a_member"]


def test_a_grid_read_before_someone_elses_save_is_refused(lux):  # type: ignore[no-untyped-def]
    steel = lux["members"]["steel"].pk
    read = parts.budget_version(lux["project"])
    parts.save_budget(lux["user"], lux["project"], [Cell(steel, 2026, "personnel", D("1.00"))], version=read)
    with pytest.raises(ProjectRefused) as stale:
        parts.save_budget(
            lux["user"], lux["project"], [Cell(steel, 2026, "personnel", D("9.00"))], version=read
        )
    assert stale.value.code == "budget.stale"
    assert _lines(lux["project"]) == [("steel", 2026, "personnel", D("1.00"))]


def test_only_the_projects_editors_change_its_parts(lux):  # type: ignore[no-untyped-def]
    outsider = member_user(OrganisationFactory(slug="outsider"), "outsider")
    steel = lux["members"]["steel"].pk
    with pytest.raises(PermissionDenied):
        parts.save_budget(outsider, lux["project"], [Cell(steel, 2026, "personnel", D("1.00"))])
    with pytest.raises(PermissionDenied):
        parts.add_report(
            outsider,
            lux["project"],
            title="R",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 2, 1),
        )
    staff = staff_user(lux["cluster"], "lux_staff")
    parts.save_budget(staff, lux["project"], [Cell(steel, 2026, "personnel", D("1.00"))])
    other_staff = staff_user(ClusterFactory(slug="elsewhere"), "other_staff")
    with pytest.raises(PermissionDenied):
        parts.add_funding_source(other_staff, lux["project"], kind="own", amount=D("1"))
    assert len(_lines(lux["project"])) == 1


def test_a_subsidy_names_its_instrument_and_no_source_is_below_zero(lux):  # type: ignore[no-untyped-def]
    user, project, coat = lux["user"], lux["project"], lux["members"]["coat"]
    with pytest.raises(ProjectRefused) as nameless:
        parts.add_funding_source(user, project, kind="subsidy", amount=D("5000"), member=coat)
    assert explain.refusal_text(nameless.value) == (
        "The funding source cannot be added: A subsidy names the instrument it comes from (EUR 5,000.00)."
    )
    with pytest.raises(ProjectRefused) as negative:
        parts.add_funding_source(user, project, kind="own", amount=D("-1"))
    assert _codes(negative.value) == ["budget.negative_amount"]
    source = parts.add_funding_source(
        user, project, kind="subsidy", amount=D("5000"), member=coat, instrument=" Flux50 feasibility "
    )
    assert (source.member, source.instrument, FundingSource.objects.count()) == (
        coat,
        "Flux50 feasibility",
        1,
    )
    parts.remove_funding_source(user, source)
    assert FundingSource.objects.count() == 0


def test_milestones_fall_within_the_project_and_are_led_by_a_member(lux):  # type: ignore[no-untyped-def]
    user, project = lux["user"], lux["project"]
    with pytest.raises(ProjectRefused) as late:
        parts.add_milestone(user, project, kind="deliverable", title="Final report", due_month=30)
    assert explain.refusal_text(late.value) == (
        "“Final report” cannot be added: The deliverable “Final report” is due in month 30, after the "
        "project's 24 months."
    )
    with pytest.raises(ProjectRefused) as early:
        parts.add_milestone(user, project, kind="milestone", title="Kick-off", due_month=0)
    assert _codes(early.value) == ["budget.milestone_due_before_start"]
    elsewhere = ProjectMemberFactory(project=ProjectFactory(cluster=lux["cluster"]))
    with pytest.raises(ProjectRefused) as stranger:
        parts.add_milestone(user, project, kind="milestone", title="Pilot", due_month=6, lead=elsewhere)
    assert stranger.value.code == "project.not_a_member"
    pilot = parts.add_milestone(
        user, project, kind="milestone", title="Pilot", due_month=6, lead=lux["members"]["coat"]
    )
    parts.mark_reached(user, pilot, dt.date(2026, 7, 2))
    assert Milestone.objects.get().reached_on == dt.date(2026, 7, 2)
    parts.mark_reached(user, pilot, None)
    parts.remove_milestone(user, pilot)
    assert Milestone.objects.count() == 0


def test_a_report_covers_a_period_and_is_submitted_once(lux):  # type: ignore[no-untyped-def]
    user, project = lux["user"], lux["project"]
    with pytest.raises(ProjectRefused) as reversed_period:
        parts.add_report(
            user,
            project,
            title="First half",
            period_start=dt.date(2026, 6, 30),
            period_end=dt.date(2026, 1, 1),
        )
    assert reversed_period.value.code == "report.period_reversed"
    report = parts.add_report(
        user, project, title="First half", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 6, 30)
    )
    parts.submit_report(user, report, dt.date(2026, 7, 15))
    with pytest.raises(ProjectRefused) as again:
        parts.submit_report(user, report)
    assert (again.value.code, ProjectReport.objects.get().submitted_on) == (
        "report.submitted_already",
        dt.date(2026, 7, 15),
    )


def test_the_budget_table_sums_per_partner_and_year_and_says_what_is_missing(lux):  # type: ignore[no-untyped-def]
    user, project = lux["user"], lux["project"]
    steel, coat = lux["members"]["steel"], lux["members"]["coat"]
    parts.save_budget(
        user,
        project,
        [
            Cell(steel.pk, 2026, "personnel", D("1000.00")),
            Cell(steel.pk, 2027, "personnel", D("500.00")),
            Cell(coat.pk, 2027, "equipment", D("2000.00")),
        ],
    )
    parts.add_funding_source(user, project, kind="subsidy", amount=D("1500"), member=coat, instrument="Fund")
    parts.add_funding_source(
        user, project, kind="own", amount=D("1500")
    )  # the whole project: its coordinator
    table = parts.budget_table(project, [steel, coat])
    assert table.years == [2026, 2027]
    assert [(r["member"].pk, r["amounts"], r["total"]) for r in table.rows] == [
        (steel.pk, [(2026, D("1000.00")), (2027, D("500.00"))], D("1500.00")),
        (coat.pk, [(2026, D("0")), (2027, D("2000.00"))], D("2000.00")),
    ]
    assert (table.year_totals, table.total, table.funding) == (
        [(2026, D("1000.00")), (2027, D("2500.00"))],
        D("3500.00"),
        D("3000.00"),
    )
    assert table.by_category == [("Personnel", D("1500.00")), ("Equipment", D("2000.00"))]
    assert [explain.problem_text(p) for p in table.advice] == [
        "The costs of Coat (EUR 2,000.00) have EUR 1,500.00 of funding: EUR 500.00 short.",
        "The subsidy of Coat is 75% of its costs; an SME may receive at most 50%: EUR 500.00 too much.",
    ]
