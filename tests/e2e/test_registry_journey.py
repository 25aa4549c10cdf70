"""E2E: a visitor searches the directory and opens a profile; a member user edits its own
organisation and is refused another's."""

from __future__ import annotations

import pytest

from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, SiteFactory, member_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def ecosystem():  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(name="Flux50")
    own = OrganisationFactory(
        name="Enervalis", slug="enervalis", description_en="Smart charging and energy flexibility software."
    )
    other = OrganisationFactory(
        name="Niko", slug="niko", description_en="Home automation and switching material."
    )
    for org, city in ((own, "Houthalen"), (other, "Sint-Niklaas")):
        SiteFactory(organisation=org, city=city)
        MembershipFactory(organisation=org, cluster=cluster)
    member_user(own, username="mia")
    return own, other


def test_member_searches_opens_profile_edits_own_and_is_refused_another(page, ecosystem):
    own, other = ecosystem

    # A visitor searches the directory and opens a profile.
    page.goto("/directory/")
    page.fill("input[name=q]", "flexibility")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Enervalis").first.click()
    page.wait_for_url("**/organisations/enervalis/")
    assert "Smart charging and energy flexibility software." in page.content()

    # The member user logs in and edits its own organisation.
    page.goto("/accounts/login/?next=/organisations/enervalis/edit/")
    page.fill("input[name=username]", "mia")
    page.fill("input[name=password]", "correct horse battery staple")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url("**/organisations/enervalis/edit/")
    page.fill("textarea[name=description_en]", "Smart charging, flexibility and energy communities.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/organisations/enervalis/")
    assert "Smart charging, flexibility and energy communities." in page.content()
    own.refresh_from_db()
    assert own.description_en == "Smart charging, flexibility and energy communities."
    assert "energy communities" in own.search_text

    # … and is refused another organisation's edit page.
    response = page.goto("/organisations/niko/edit/")
    assert response is not None
    assert response.status == 403
    other.refresh_from_db()
    assert other.description_en == "Home automation and switching material."
