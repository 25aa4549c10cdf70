"""Integration: the pages of a project's parts as its editors use them: the budget grid saved whole or
refused with what was typed shown again, funding sources, milestones and deliverables, reports and adding
a consortium member by searching its name; the project's page shows the parts to those who may see its
details, and only its editors get the links and pages to change them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from helix.projects import parts, services
from helix.projects.models import BudgetLine, FundingSource, Milestone, ProjectMember, ProjectReport
from tests.factories.registry import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
    member_user,
    staff_user,
)
from tests.helpers.clients import messages_of, page_client

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

D = Decimal


@pytest.fixture
def lux():  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(slug="lu-materials", name="Materials")
    orgs = {}
    for key, size in (("steel", "large"), ("coat", "sme")):
        orgs[key] = OrganisationFactory(
            name=key.title(), slug=key, kind="company", size_class=size, is_published=True
        )
        SiteFactory(organisation=orgs[key], country="LU", is_headquarters=True)
        MembershipFactory(organisation=orgs[key], cluster=cluster, level="member")
    user = member_user(orgs["steel"], "steel_person")
    project = services.start_project(
        user, cluster=cluster, coordinator=orgs["steel"], kind="flagship", title="Green steel", months=24,
        starts_on=dt.date(2026, 1, 1), visibility="public",
    )  # fmt: skip
    services.move(user, project, "consortium_forming")
    steel = project.members.get()
    return {"cluster": cluster, "user": user, "project": project, "orgs": orgs, "steel": steel}


def test_the_project_page_shows_its_parts_to_those_who_see_its_details(lux):  # type: ignore[no-untyped-def]
    project, steel = lux["project"], lux["steel"]
    parts.save_budget(lux["user"], project, [parts.Cell(steel.pk, 2026, "personnel", D("12000"))])
    parts.add_milestone(lux["user"], project, kind="milestone", title="Pilot running", due_month=6)
    mine = page_client(lux["user"]).get(f"/projects/{project.pk}/").content.decode()
    assert ('id="budget-total"' in mine, "Pilot running" in mine, 'id="add-member-link"' in mine) == (
        True,
        True,
        True,
    )
    assert "The costs of Steel (EUR 12,000.00) have EUR 0.00 of funding: EUR 12,000.00 short." in mine
    visitor = page_client().get(f"/projects/{project.pk}/").content.decode()
    assert ("Green steel" in visitor, 'id="project-budget"' in visitor, "Pilot running" in visitor) == (
        True,
        False,
        False,
    )


def test_the_parts_pages_are_for_the_projects_editors(lux):  # type: ignore[no-untyped-def]
    project = lux["project"]
    coat_person = member_user(lux["orgs"]["coat"], "coat_person")
    for part in ("budget", "funding", "milestones", "reports", "consortium"):
        url = f"/projects/{project.pk}/{part}/"
        assert (
            page_client(lux["user"]).get(url).status_code,
            page_client(staff_user(lux["cluster"], f"staff_{part}")).get(url).status_code,
            page_client(coat_person).get(url).status_code,
            page_client().get(url).status_code,
        ) == (200, 200, 403, 302), part
    page = page_client(coat_person).get(f"/projects/{project.pk}/").content.decode()
    assert ("Green steel" in page, 'id="add-member-link"' in page, 'id="project-budget"' in page) == (
        True,
        False,
        False,
    )


def _grid(project, **cells):  # type: ignore[no-untyped-def]
    return {"version": parts.budget_version(project), **cells}


def test_the_budget_grid_saves_every_cell_and_empties_a_line_by_its_empty_cell(lux):  # type: ignore[no-untyped-def]
    project, steel = lux["project"], lux["steel"]
    client = page_client(lux["user"])
    grid = client.get(f"/projects/{project.pk}/budget/").content.decode()
    assert (
        f'name="cell-{steel.pk}-2026-personnel"' in grid,
        f'name="cell-{steel.pk}-2027-indirect"' in grid,
    ) == (
        True,
        True,
    )
    saved = client.post(
        f"/projects/{project.pk}/budget/",
        _grid(
            project,
            **{f"cell-{steel.pk}-2026-personnel": "12000", f"cell-{steel.pk}-2027-equipment": "3 500.50"},
        ),
    )
    assert saved.status_code == 302
    assert messages_of(client.get(f"/projects/{project.pk}/budget/")) == ["The budget is saved: 2 lines."]
    client.post(
        f"/projects/{project.pk}/budget/", _grid(project, **{f"cell-{steel.pk}-2026-personnel": "12000"})
    )
    assert list(BudgetLine.objects.values_list("year", "category", "amount")) == [
        (2026, "personnel", D("12000.00"))
    ]


def test_a_refused_grid_shows_what_was_typed_and_why_and_writes_nothing(lux):  # type: ignore[no-untyped-def]
    project, steel = lux["project"], lux["steel"]
    client = page_client(lux["user"])
    response = client.post(
        f"/projects/{project.pk}/budget/",
        _grid(
            project,
            **{
                f"cell-{steel.pk}-2026-personnel": "-5",
                "new-0-member": str(steel.pk),
                "new-0-year": "2026",
                "new-0-personnel": "10",
            },
        ),
    )
    assert response.status_code == 200
    assert response.context["problems"] == [
        "The budget cannot be saved:",
        "Steel has two amounts for personnel in 2026.",
    ]
    page = response.content.decode()
    assert f'name="cell-{steel.pk}-2026-personnel" value="-5"' in page
    assert BudgetLine.objects.count() == 0
    not_a_number = client.post(
        f"/projects/{project.pk}/budget/", _grid(project, **{f"cell-{steel.pk}-2026-personnel": "12,000.5x"})
    )
    assert not_a_number.context["problems"] == ["Some amounts are not euros and cents: see the marked cells."]
    assert "Give an amount in euros and cents, such as 1250.50." in not_a_number.content.decode()
    below_zero = client.post(
        f"/projects/{project.pk}/budget/", _grid(project, **{f"cell-{steel.pk}-2026-personnel": "-5"})
    )
    assert below_zero.context["problems"] == [
        "The budget cannot be saved:",
        "A budget line of Steel in 2026 is below zero: EUR -5.00.",
    ]


def test_a_new_row_adds_a_year_and_a_grid_read_before_another_save_is_refused(lux):  # type: ignore[no-untyped-def]
    project, steel = lux["project"], lux["steel"]
    client = page_client(lux["user"])
    read = parts.budget_version(project)
    client.post(
        f"/projects/{project.pk}/budget/",
        {"version": read, "new-1-member": str(steel.pk), "new-1-year": "2027", "new-1-other": "99.99"},
    )
    assert list(BudgetLine.objects.values_list("year", "category", "amount")) == [(2027, "other", D("99.99"))]
    stale = client.post(
        f"/projects/{project.pk}/budget/", {"version": read, f"cell-{steel.pk}-2026-personnel": "1"}
    )
    assert stale.context["problems"] == [
        "The budget changed since you opened it: here it is as it is now; enter your changes again."
    ]
    assert f'name="cell-{steel.pk}-2027-other" value="99.99"' in stale.content.decode()
    assert BudgetLine.objects.count() == 1


def test_funding_sources_are_added_refused_with_the_reason_and_removed(lux):  # type: ignore[no-untyped-def]
    project, steel = lux["project"], lux["steel"]
    client = page_client(lux["user"])
    refused = client.post(
        f"/projects/{project.pk}/funding/", {"kind": "subsidy", "amount": "5000", "member": steel.pk}
    )
    assert refused.context["form"].non_field_errors() == [
        "The funding source cannot be added:",
        "A subsidy names the instrument it comes from (EUR 5,000.00).",
    ]
    added = client.post(
        f"/projects/{project.pk}/funding/",
        {"kind": "subsidy", "amount": "5000", "member": steel.pk, "instrument": "Co-financing"},
    )
    assert added.status_code == 302
    source = FundingSource.objects.get()
    assert (source.member, source.instrument, source.amount) == (steel, "Co-financing", D("5000.00"))
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "Subsidy · Co-financing · Steel · EUR 5,000.00" in page
    client.post(f"/projects/{project.pk}/funding/", {"remove": source.pk})
    assert FundingSource.objects.count() == 0


def test_milestones_are_added_reached_and_removed(lux):  # type: ignore[no-untyped-def]
    project, steel = lux["project"], lux["steel"]
    client = page_client(lux["user"])
    late = client.post(
        f"/projects/{project.pk}/milestones/", {"kind": "milestone", "title": "Done", "due_month": "25"}
    )
    assert late.context["form"].non_field_errors() == [
        "“Done” cannot be added:",
        "The milestone “Done” is due in month 25, after the project's 24 months.",
    ]
    client.post(
        f"/projects/{project.pk}/milestones/",
        {"kind": "deliverable", "title": "Pilot report", "due_month": "12", "lead": steel.pk},
    )
    item = Milestone.objects.get()
    assert (item.kind, item.lead, item.due_month) == ("deliverable", steel, 12)
    client.post(f"/projects/{project.pk}/milestones/", {"reached": item.pk, "on": "2026-12-20"})
    item.refresh_from_db()
    assert item.reached_on == dt.date(2026, 12, 20)
    client.post(f"/projects/{project.pk}/milestones/", {"remove": item.pk})
    assert Milestone.objects.count() == 0


def test_reports_are_written_and_submitted(lux):  # type: ignore[no-untyped-def]
    project = lux["project"]
    client = page_client(lux["user"])
    reversed_period = client.post(
        f"/projects/{project.pk}/reports/",
        {"title": "First half", "period_start": "2026-06-30", "period_end": "2026-01-01"},
    )
    assert reversed_period.context["form"].non_field_errors() == [
        "A report's period ends on or after the day it starts."
    ]
    client.post(
        f"/projects/{project.pk}/reports/",
        {
            "title": "First half",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "text": "On track.",
        },
    )
    report = ProjectReport.objects.get()
    client.post(f"/projects/{project.pk}/reports/", {"submit": report.pk})
    report.refresh_from_db()
    assert (report.text, report.submitted_on is not None) == ("On track.", True)
    again = client.post(f"/projects/{project.pk}/reports/", {"submit": report.pk}, follow=True)
    assert messages_of(again)[-1] == "The report was submitted already."


def test_an_editor_finds_an_organisation_and_adds_it_to_the_consortium(lux):  # type: ignore[no-untyped-def]
    project = lux["project"]
    client = page_client(lux["user"])
    found = client.get(f"/projects/{project.pk}/consortium/", {"q": "coa"}).content.decode()
    assert ('value="coat"' in found, 'value="steel"' in found) == (True, False)  # not one already in it
    second = client.post(
        f"/projects/{project.pk}/consortium/", {"organisation": "coat", "role": "coordinator"}
    )
    assert second.context["form"].non_field_errors() == ["The consortium already has a coordinator."]
    added = client.post(f"/projects/{project.pk}/consortium/", {"organisation": "coat", "role": "partner"})
    assert (added.status_code, added["Location"]) == (302, f"/projects/{project.pk}/")
    assert ProjectMember.objects.filter(project=project, organisation__slug="coat", role="partner").exists()
    page = client.get(f"/projects/{project.pk}/")
    assert messages_of(page) == ["Coat joined the consortium."]
    hidden = OrganisationFactory(name="Hidden Coatings", slug="hidden-coatings", is_published=False)
    assert (
        'value="hidden-coatings"'
        not in client.get(f"/projects/{project.pk}/consortium/", {"q": "coatings"}).content.decode()
    )
    assert hidden.pk
