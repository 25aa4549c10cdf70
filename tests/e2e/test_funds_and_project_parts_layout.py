"""E2E: the funds pages (instruments, a ledger, the booking form with a checked commitment) and a project's
parts (its page, the budget grid, funding, milestones, reports, adding a member) fit a 390 px phone and a
1366 px screen without horizontal scrolling, with long names and a ledger and budget filled in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from helix.funds import services as funds
from helix.funds.models import Instrument
from helix.projects import parts
from helix.projects import services as projects
from helix.registry import services
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, SiteFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"
LONG = "Interuniversitair Micro-Elektronica Centrum Vlaanderen Energietransitieonderzoeksgroep"

OVERFLOW = """() => {
  const root = document.documentElement;
  return root.scrollWidth - root.clientWidth;
}"""


def ecosystem() -> dict[str, object]:
    cluster = ClusterFactory(slug="energy", name="Flemish Energy and Climate Cluster")
    staff = UserFactory(username="sara")
    services.assign_cluster_staff(staff, cluster)
    staff.set_password(PASSWORD)
    staff.save()
    orgs = []
    for n, name in enumerate((LONG, "Warmtenet Waasland", "Smart Heat Pumps")):
        org = OrganisationFactory(
            name=name, slug=f"org-{n}", kind="company", size_class="sme", is_published=True
        )
        SiteFactory(organisation=org, country="BE", is_headquarters=True)
        MembershipFactory(organisation=org, cluster=cluster, level="member")
        orgs.append(org)
    subsidy = Instrument.objects.create(
        cluster=cluster,
        key="energy-subsidy",
        name="Feasibility studies of the energy transition subsidy",
        kind="subsidy",
        budget_eur=Decimal("200000000"),
        caps=[
            {
                "id": "per-project",
                "kind": "per_project",
                "limit_eur": 200000,
                "instruments": ["energy-subsidy"],
            }
        ],
    )
    day = dt.date(2026, 3, 2)
    for org in orgs:
        funds.commit(staff, subsidy, org, "150000.00", day, project_ref=f"PRJ-{org.pk}-FEASIBILITY-2026")
        funds.disburse(staff, subsidy, org, "75000.00", day, project_ref=f"PRJ-{org.pk}-FEASIBILITY-2026")
    project = projects.start_project(
        staff, cluster=cluster, coordinator=orgs[0], kind="flagship", title=f"Heat networks of {LONG}",
        months=36, starts_on=dt.date(2026, 1, 1), visibility="public",
    )  # fmt: skip
    projects.add_member(staff, project, orgs[1], "partner")
    members = list(project.members.order_by("pk"))
    cells = [
        parts.Cell(m.pk, year, category, Decimal("1234567.89"))
        for m in members
        for year in (2026, 2027, 2028)
        for category in ("personnel", "equipment", "indirect")
    ]
    parts.save_budget(staff, project, cells)
    parts.add_funding_source(
        staff, project, kind="subsidy", amount=Decimal("2000000"), member=members[1], instrument=subsidy.name
    )
    parts.add_milestone(
        staff, project, kind="deliverable", title=f"Pilot report of {LONG}", due_month=12, lead=members[0]
    )
    year = {"period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 12, 31)}
    parts.add_report(staff, project, title="First year", text="On track.", **year)
    return {"project": project, "organisation": orgs[0]}


def login(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/?next=/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url("**/")


def test_the_funds_and_project_parts_pages_fit_a_phone_and_a_laptop(page):  # type: ignore[no-untyped-def]
    made = ecosystem()
    pk = made["project"].pk  # type: ignore[attr-defined]
    login(page, "sara")
    urls = [
        "/funds/",
        "/funds/energy-subsidy/",
        "/funds/energy-subsidy/book/?q=heat",
        f"/projects/{pk}/",
        f"/projects/{pk}/budget/",
        f"/projects/{pk}/funding/",
        f"/projects/{pk}/milestones/",
        f"/projects/{pk}/reports/",
        f"/projects/{pk}/consortium/?q=smart",
        f"/organisations/{made['organisation'].slug}/",  # type: ignore[attr-defined]
    ]
    wide = []
    for url in urls:
        page.goto(url)
        for width, height in ((390, 844), (1366, 900)):
            page.set_viewport_size({"width": width, "height": height})
            if page.evaluate(OVERFLOW) > 0:
                wide.append((url, width))
    # a checked commitment shows its table of caps
    page.goto("/funds/energy-subsidy/book/?q=heat")
    page.select_option("#id_beneficiary", "org-2")
    page.fill("#id_amount_eur", "60000.00")
    page.fill("#id_project_ref", "PRJ-NEW")
    page.click("button[name=check]")
    page.wait_for_selector("#check-caps")
    for width, height in ((390, 844), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})
        if page.evaluate(OVERFLOW) > 0:
            wide.append(("check", width))
    assert wide == []
