"""E2E: a city's energy officer posts a need in Dutch and sees a Luxembourg company's French offer
matched first, with the reasons; then gives feedback and requests a meeting."""

from __future__ import annotations

import pytest

from helix.market.models import Feedback, Listing, MeetingRequest
from tests.factories import OrganisationFactory, SiteFactory, make_listing, member_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def ecosystem(settings):  # type: ignore[no-untyped-def]
    settings.HELIX_TEXT_ENCODER = "use"  # the real multilingual model: meaning across languages
    city = OrganisationFactory(name="Stad Kortrijk", slug="stad-kortrijk", kind="government", size_class="")
    SiteFactory(organisation=city, city="Kortrijk", latitude=50.828, longitude=3.2649)
    facades = OrganisationFactory(name="Façades Clervaux", slug="facades-clervaux", kind="company")
    SiteFactory(organisation=facades, city="Clervaux", country="LU", latitude=50.0547, longitude=6.0313)
    lights = OrganisationFactory(name="Lumière Sud", slug="lumiere-sud", kind="company")
    offer = make_listing(
        facades,
        "offer",
        title="Rénovation énergétique de maisons mitoyennes avec façades préfabriquées",
        description=(
            "Nous isolons des rangées entières de maisons anciennes avec des éléments de façade en bois "
            "préfabriqués, posés en deux jours par maison, pour des quartiers complets."
        ),
    )
    make_listing(
        lights,
        "offer",
        title="Éclairage public LED intelligent",
        description="Lanternes LED à gradation pour les rues et les places des communes.",
    )
    member_user(city, username="energy-officer")
    return city, offer


def test_dutch_need_sees_french_offer_with_reasons(page, ecosystem):  # type: ignore[no-untyped-def]
    city, offer = ecosystem
    page.goto("/accounts/login/?next=/needs-offers/new/%3Fside%3Dneed")
    page.fill("input[name=username]", "energy-officer")
    page.fill("input[name=password]", "correct horse battery staple")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url("**/needs-offers/new/**")

    page.fill("input[name=title]", "Collectieve renovatie van rijwoningen uit de jaren dertig")
    page.fill(
        "textarea[name=description]",
        "De stad zoekt een partner om straten vol oude rijhuizen samen te renoveren: "
        "gevelisolatie voor honderden woningen tegelijk, snel geplaatst.",
    )
    page.select_option("select[name=status]", "published")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/needs-offers/*/")

    need = Listing.objects.get(organisation=city)
    assert need.language == "nl"
    assert need.status == "published"
    suggestions = page.locator(".match-list .match")
    first = suggestions.first
    assert offer.title in first.inner_text()
    assert "Façades Clervaux" in first.inner_text()
    assert suggestions.count() == 2

    # Feedback on the suggestion is stored, without a page reload.
    first.get_by_role("button", name="Relevant", exact=True).click()
    page.wait_for_function("() => document.querySelector('.match [aria-pressed=true]') !== null")
    assert Feedback.objects.filter(need=need, offer=offer, verdict="relevant").exists()

    # A meeting request goes to the Luxembourg company.
    first.locator("summary", has_text="Request a meeting").click()
    first.get_by_role("button", name="Ask Façades Clervaux to meet").click()
    page.wait_for_load_state()
    page.locator(".meeting-state").first.wait_for()
    meeting = MeetingRequest.objects.get(need=need, offer=offer)
    assert meeting.to_organisation == offer.organisation
