"""E2E: staff open a call; a member applies and finds a partner by name as they type (htmx); the
partner edits the draft; the lead submits and keeps the receipt; staff judge eligibility. Every page
fits a 390 px phone, and the counters under a long answer follow the typing."""

from __future__ import annotations

import pytest

from helix.calls import services
from helix.calls.models import Application, ApplicationStatus
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, SiteFactory
from tests.factories.calls import seed_definition
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
    ):
        organisation = OrganisationFactory(name=name, slug=key, kind=kind, size_class=size)
        SiteFactory(organisation=organisation, country="BE")
        MembershipFactory(organisation=organisation, cluster=cluster, level="member")
        member_user(organisation, f"{key}_person")
    staff = staff_user(cluster, "manager")
    return services.create_call(staff, cluster, seed_definition(key="fotf-2027"))


def test_two_organisations_apply_together_and_staff_judge_the_submission(page, world):  # type: ignore[no-untyped-def]
    call = world
    log_in(page, "manager")
    page.goto(f"/calls/{call.pk}/manage/")
    page.get_by_role("button", name="Open the call").click()
    page.wait_for_selector("text=The call is now “Open”.")

    log_in(page, "robo_person")
    page.goto("/calls/")
    assert page.evaluate(FITS)
    with page.expect_navigation():  # measure the call's page, not the list it is leaving
        page.get_by_role("link", name="The Factory of the Future: precluster projects").click()
    page.wait_for_selector("#apply-title-input")
    assert page.evaluate(FITS)
    page.fill("#apply-title-input", "Cobots for welding")
    page.get_by_role("button", name="Start the application").click()
    page.wait_for_selector("#application-form")
    assert page.evaluate(FITS)

    # a partner found by name as the lead types, added with one click
    page.fill("#partner-query", "liege")
    page.wait_for_selector("#partner-suggestions >> text=Université de Liège")
    page.locator("#partner-suggestions button").first.click()
    page.wait_for_selector("#applicants >> text=Université de Liège")
    page.fill("#partner-query", "steel")
    page.wait_for_selector("#partner-suggestions >> text=Steel Works")
    page.locator("#partner-suggestions button").first.click()
    page.wait_for_selector("#applicants >> text=Steel Works")

    log_in(page, "uni_person")
    application = Application.objects.get()
    page.goto(f"/calls/applications/{application.pk}/")
    page.fill("#field-synergies", "Shared welding cells and a robot lab.")
    assert page.locator('[data-counter-for="field-synergies"] [data-count="words"]').inner_text() == "7"
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_selector("text=The draft is saved.")
    assert page.evaluate(FITS)

    log_in(page, "robo_person")
    page.goto(f"/calls/applications/{application.pk}/")
    assert page.input_value("#field-synergies") == "Shared welding cells and a robot lab."
    page.check("input[name=sectors][value=manufacturing]")
    page.check("input[name=sectors][value=digital]")
    page.fill("#field-requested", "150000")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_selector("text=The draft is saved.")
    with page.expect_navigation():  # evaluating before the next page is there reads no document
        page.get_by_role("link", name="Submit…").click()
    assert page.evaluate(FITS)
    page.get_by_role("button", name="Submit the application").click()
    page.wait_for_selector("#receipt-code")
    assert page.evaluate(FITS)
    receipt = page.locator("#receipt-code").inner_text()
    assert receipt.startswith("FOTF2027-")

    log_in(page, "manager")
    page.goto(f"/calls/{call.pk}/manage/")
    assert page.evaluate(FITS)
    page.get_by_role("button", name="Judge eligibility").click()
    page.wait_for_selector("#judged")
    application.refresh_from_db()
    assert application.status in (ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE)
    assert page.evaluate(FITS)
