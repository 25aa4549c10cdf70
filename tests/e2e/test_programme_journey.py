"""E2E: staff start a programme, plan its first cycle with the work domains the open needs propose, move
it into the needs inventory, are told what it misses before the next phase, link a need and move on; a
member of another organisation finds the working table's output and records that it reuses it. Every
page fits a 390 px phone."""

from __future__ import annotations

import datetime as dt

import pytest

from helix.insights.models import Cycle, Output, OutputReuse, PhaseLink
from helix.registry.models import Domain
from tests.factories import ListingFactory, ProjectFactory
from tests.factories.projects import ProjectMemberFactory
from tests.insights.world import build

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"
FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def log_in(page, username):  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_staff_run_a_cycle_and_a_member_reuses_its_output(page):  # type: ignore[no-untyped-def]
    world = build()
    heat = Domain.objects.create(cluster=world.cluster, name="Green heat", slug="green-heat")
    need = ListingFactory(
        organisation=world.orgs["uni"],
        side="need",
        title="Heat network for a campus",
        published_on=dt.date.today(),
    )
    need.domains.set([heat])
    page.set_viewport_size({"width": 390, "height": 900})
    log_in(page, "energy_staff")

    page.goto("/programmes/")
    with page.expect_navigation():
        page.locator("a[href='/programmes/new/energy/']").click()
    page.fill("#id_name", "Warm Cities")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert page.evaluate(FITS)
    with page.expect_navigation():
        page.click("#new-cycle")
    assert "Green heat" in page.inner_text("#proposals")
    # the proposed domain is ticked, the one no open need names is not
    assert page.is_checked(f"#cycle-form input[name=work_domains][value='{heat.pk}']")
    assert not page.is_checked(f"#cycle-form input[name=work_domains][value='{world.domain.pk}']")
    with page.expect_navigation():
        page.get_by_role("button", name="Plan the cycle").click()
    assert page.evaluate(FITS)
    assert page.inner_text("#work-domains") == "Work domains: Green heat"

    with page.expect_navigation():
        page.click("#move-cycle")  # planned -> needs inventory
    assert page.inner_text("#cycle-state") == "Needs inventory"
    assert "Link at least one need" in page.inner_text("#cycle-missing")
    assert page.is_disabled("#move-cycle")
    page.select_option("#link-record", f"need:{need.pk}")
    with page.expect_navigation():
        page.get_by_role("button", name="Link", exact=True).click()
    assert "Heat network for a campus" in page.inner_text("#phase-needs_inventory")
    with page.expect_navigation():
        page.click("#move-cycle")
    assert page.inner_text("#cycle-state") == "Deepening and matchmaking"
    assert page.evaluate(FITS)
    cycle = Cycle.objects.get(programme__name="Warm Cities")
    assert PhaseLink.objects.filter(cycle=cycle, need=need, phase="needs_inventory").exists()

    # a working table of Beta made an output; Alpha's member finds it and says it reuses it
    table = ProjectFactory(cluster=world.cluster, kind="working_table", visibility="public")
    ProjectMemberFactory(project=table, organisation=world.orgs["beta"], role="coordinator")
    output = Output.objects.create(
        cycle=cycle,
        phase="trajectories",
        project=table,
        kind="specification",
        title="Heat tender template",
        summary="A tender for a district heat network.",
        language="en",
    )
    log_in(page, "alpha_member")
    page.goto(f"/programmes/outputs/{output.pk}/")
    page.fill("#reuse-note", "Our campus tender")
    with page.expect_navigation():
        page.get_by_role("button", name="We reuse this").click()
    assert "Alpha" in page.inner_text("#reuses")
    assert page.evaluate(FITS)
    assert OutputReuse.objects.get(output=output).note == "Our campus tender"
