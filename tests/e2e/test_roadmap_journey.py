"""E2E, a cluster roadmap as its users make it, in the browser: the staff draft a roadmap (its participants,
a track, a pilot and the market launch that waits for it) and open the consultation; a participant sees
its milestone on its home page and accepts it; the staff ask what moves if the pilot slips three months;
the Gantt chart prints."""

from __future__ import annotations

import pytest

from helix.roadmaps.models import Item, Roadmap
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory
from tests.factories.registry import member_user, staff_user

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


def submit(page, name):  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.get_by_role("button", name=name).first.click()


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(slug="energy", name="Energy Cluster")
    for key, name, kind, size in (
        ("robo", "Robo Grids", "company", "sme"),
        ("lab", "Grid Lab", "knowledge_institution", ""),
    ):
        organisation = OrganisationFactory(name=name, slug=key, kind=kind, size_class=size, is_published=True)
        MembershipFactory(organisation=organisation, cluster=cluster, level="member")
        member_user(organisation, f"{key}_person")
    staff_user(cluster, "manager")
    return cluster


def add_item(page, key, title, kind, owner, days, start=""):  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Add an item").click()
    page.fill("#id_key", key)
    page.fill("#id_title", title)
    page.select_option("#id_kind", kind)
    page.select_option("#id_track", label="Pilots")
    page.select_option("#id_phase", "demonstration" if kind == "activity" else "market")
    page.select_option("#id_owner", label=owner)
    page.fill("#id_duration_days", str(days))
    if start:
        page.fill("#id_planned_start", start)
    submit(page, "Save")
    page.wait_for_selector(f"#item-{key}")


def test_staff_draft_a_roadmap_a_participant_accepts_a_slip_shows_what_moves_and_it_prints(page, world):  # type: ignore[no-untyped-def]
    # the staff start a draft, add its participants, a track and two items linked finish-to-start
    log_in(page, "manager")
    page.goto("/roadmaps/new/")
    page.select_option("#id_cluster", label="Energy Cluster")
    page.fill("#id_title", "Energy roadmap 2027")
    page.fill("#id_key", "energy-2027")
    page.fill("#id_starts_on", "2027-01-04")
    submit(page, "Start the draft")
    for organisation, role in (("Robo Grids", "partner"), ("Grid Lab", "knowledge_partner")):
        page.select_option("#id_organisation", label=organisation)
        page.select_option("#id_role", role)
        submit(page, "Add")
    page.fill("#track-title", "Pilots")
    submit(page, "Add a track")
    assert page.locator("#participant-list tbody tr").count() == 2
    page.goto("/roadmaps/energy-2027/")
    add_item(page, "pilot", "Pilot line running", "activity", "Grid Lab", 120, "2027-02-01")
    add_item(page, "launch", "Market launch", "milestone", "Robo Grids", 0)
    page.goto("/roadmaps/energy-2027/dependencies/")
    page.select_option("#id_predecessor", label="Pilot line running")
    page.select_option("#id_successor", label="Market launch")
    submit(page, "Add")
    assert page.locator("#dependency-list tbody tr").count() == 1
    page.goto("/roadmaps/energy-2027/")
    assert "Pilot line running → Market launch" in page.locator("#critical-path").inner_text()
    submit(page, "Open the consultation")
    assert page.locator("#roadmap-status").inner_text() == "In consultation"

    # the participant sees its milestone to accept on its home page, and accepts it on the roadmap
    log_in(page, "robo_person")
    page.goto("/")
    assert "Market launch" in page.locator("#task-milestones").inner_text()
    page.locator("#task-milestones a").first.click()
    page.wait_for_selector("#item-launch")
    with page.expect_navigation():
        page.locator("#item-launch").get_by_role("button", name="Accept").click()
    assert "accepted" in page.locator("#item-launch").inner_text()
    assert Item.objects.get(key="launch").accepted_on is not None
    assert page.locator("#item-pilot").get_by_role("button", name="Accept").count() == 0  # the lab's
    assert page.evaluate(FITS)

    # the staff ask what moves if the pilot slips three months
    log_in(page, "manager")
    page.goto("/roadmaps/energy-2027/")
    page.select_option("#id_item", label="Pilot line running")
    page.fill("#id_months", "3")
    submit(page, "Show what moves")
    moves = page.locator("#impact-moves").inner_text()
    assert "Market launch" in moves
    assert "91" in moves
    assert "Robo Grids" in page.locator("#impact-participants").inner_text()
    assert "days later" in page.locator("#impact-end").inner_text()
    assert page.evaluate(FITS)

    # the Gantt chart is drawn on the server and prints with the page
    page.goto("/roadmaps/energy-2027/")
    page.wait_for_function("document.querySelector('#gantt-image').naturalWidth > 0")
    page.emulate_media(media="print")
    assert page.locator("#gantt-image").is_visible()
    printed = page.pdf(format="A4", landscape=True)
    assert printed.startswith(b"%PDF")
    svg = page.request.get("/roadmaps/energy-2027/gantt.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "Pilot line running" in svg.text()
    assert Roadmap.objects.get(key="energy-2027").status == "consultation"
