"""E2E, the whole journey of a call as its users make it, in the browser: the staff open a call; two
organisations apply together as lead and co-applicant; the staff judge the application eligible, send
it to review, close the call, name a reviewer and run the assignment; the reviewer scores it; the staff
preview and record the decision and award the funding; the project appears, with its consortium, on
both organisations' profiles, and the ledger holds the commitment."""

from __future__ import annotations

import pytest

from helix.calls import services
from helix.calls.models import Application, ApplicationStatus
from helix.funds.models import LedgerEntry
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, SiteFactory
from tests.factories.calls import seed_definition
from tests.factories.projects import InstrumentFactory
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


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(slug="fotf", name="Factory of the Future")
    for key, name, kind, size in (
        ("robo", "Robo Welding", "company", "sme"),
        ("steel", "Steel Works", "company", "large"),
        ("uni", "Université de Liège", "knowledge_institution", ""),
        ("lab", "Materials Lab", "knowledge_institution", ""),
    ):
        organisation = OrganisationFactory(name=name, slug=key, kind=kind, size_class=size, is_published=True)
        SiteFactory(organisation=organisation, country="BE", is_headquarters=True)
        MembershipFactory(organisation=organisation, cluster=cluster, level="member")
        member_user(organisation, f"{key}_person")
    staff = staff_user(cluster, "manager")
    instrument = InstrumentFactory(cluster=cluster, key="fof-precluster", name="FoF calls", de_minimis=True)
    call = services.create_call(
        staff, cluster, seed_definition(key="fotf-2027"), instrument=instrument, reviews_per_application=1
    )
    return call


def click_and_wait(page, name):  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.get_by_role("button", name=name).first.click()


def test_from_an_open_call_to_a_funded_project_on_both_profiles(page, world):  # type: ignore[no-untyped-def]
    call = world
    # the staff open the call
    log_in(page, "manager")
    page.goto(f"/calls/{call.pk}/manage/")
    click_and_wait(page, "Open the call")

    # the lead applies and adds its partners by name; the co-applicant writes in the same draft
    log_in(page, "robo_person")
    page.goto(f"/calls/{call.pk}/")
    page.fill("#apply-title-input", "Cobots for welding")
    page.get_by_role("button", name="Start the application").click()
    page.wait_for_selector("#application-form")
    for query, name in (("liege", "Université de Liège"), ("steel", "Steel Works")):
        page.fill("#partner-query", query)
        page.wait_for_selector(f"#partner-suggestions >> text={name}")
        page.locator("#partner-suggestions button").first.click()
        page.wait_for_selector(f"#applicants >> text={name}")
    application = Application.objects.get()

    log_in(page, "uni_person")
    page.goto(f"/calls/applications/{application.pk}/")
    page.fill("#field-synergies", "Shared welding cells and a robot lab.")
    click_and_wait(page, "Save the draft")

    log_in(page, "robo_person")
    page.goto(f"/calls/applications/{application.pk}/")
    page.check("input[name=sectors][value=manufacturing]")
    page.check("input[name=sectors][value=digital]")
    page.fill("#field-requested", "150000")
    click_and_wait(page, "Save the draft")
    page.get_by_role("link", name="Submit…").click()
    page.get_by_role("button", name="Submit the application").click()
    page.wait_for_selector("#receipt-code")

    # the staff judge it, send it to review, close the call and start the review
    log_in(page, "manager")
    page.goto(f"/calls/applications/{application.pk}/")
    click_and_wait(page, "Judge eligibility")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ELIGIBLE, application.eligibility
    click_and_wait(page, "Send to review")
    page.goto(f"/calls/{call.pk}/manage/")
    click_and_wait(page, "Close the call")
    click_and_wait(page, "Start the review")

    # ... name a reviewer (of an organisation that does not apply) and run the assignment
    page.goto(f"/calls/{call.key}/reviewers/")
    page.select_option("#person", label="Lab_Person, Mia · Materials Lab")
    page.fill("#expertise", "robotics, welding")
    click_and_wait(page, "Add the reviewer")
    page.goto(f"/calls/{call.key}/assignments/")
    page.get_by_role("button", name="Run the assignment").click()
    page.wait_for_load_state()
    assert application.assignments.get().reviewer.person.user.username == "lab_person"

    # the reviewer scores it
    log_in(page, "lab_person")
    page.goto("/calls/reviews/")
    page.get_by_role("link", name="Review").first.click()
    for criterion, score in (("excellence", "4"), ("impact", "4.5"), ("implementation", "4")):
        page.fill(f"#score-{criterion}", score)
    page.fill("#comment", "A convincing shared welding cell.")
    click_and_wait(page, "Submit the review")
    assert application.assignments.get().review.submitted_at is not None

    # the staff decide by rank within the budget, record it and award the funding
    log_in(page, "manager")
    page.goto(f"/calls/{call.key}/decision/")
    page.check("input[name=method][value=rank]")
    page.fill("#budget", "500000")
    click_and_wait(page, "Preview")
    assert page.locator("#selected-list").inner_text().startswith("Cobots for welding")
    click_and_wait(page, "Record this decision")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SELECTED
    # the form asked no duration: the precluster project's rules want 12 to 36 months, given here
    form = page.locator(f"#award-{application.pk}")
    form.locator("input[name=months]").fill("24")
    form.locator("input[name=starts_on]").fill("2027-09-01")
    click_and_wait(page, "Award")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FUNDED, page.locator("main").inner_text()[:1500]
    project = application.project
    assert project is not None
    assert LedgerEntry.objects.get().amount_eur == application.award.amount_eur

    # the project is on both applying organisations' profiles, with its consortium
    log_in(page, "robo_person")
    for slug in ("robo", "uni"):
        page.goto(f"/organisations/{slug}/")
        section = page.locator("main")
        assert project.title in section.inner_text()
        for name in ("Robo Welding", "Université de Liège", "Steel Works"):
            assert name in section.inner_text()
        assert page.evaluate(FITS)
