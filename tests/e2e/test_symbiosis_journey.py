"""E2E: a cement plant describes a want in Dutch with the help of the waste-code suggestions; the
cluster's circular-economy officer runs the matching from the dashboard and follows the job page to the
proposals; both parties accept contact on the proposal, which explains itself; the map draws the
exchange on its offline base map without any online service."""

from __future__ import annotations

import re

import pytest

from helix.symbiosis.models import ResourceFlow, Synergy
from tests.symbiosis.helpers import world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"


def login(page, username: str, next_url: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url(f"**{next_url}")


def test_from_a_described_want_to_an_accepted_contact(page, live_server):  # type: ignore[no-untyped-def]
    w = world()
    external: list[str] = []  # every request the pages make must go to Helix itself

    def watch(request) -> None:  # type: ignore[no-untyped-def]
        if not request.url.startswith((live_server.url, "data:", "about:")):
            external.append(request.url)

    page.on("request", watch)

    # The cement plant describes what it wants; typing the description suggests the code.
    login(page, "cement", "/symbiosis/flows/new/")
    page.select_option("select[name=direction]", "want")
    page.select_option("select[name=kind]", "material")
    page.fill("input[name=title]", "Vliegas voor cement")
    description = page.locator("textarea[name=description]")
    description.press_sequentially("vliegas van een biomassacentrale", delay=20)
    suggestion = page.locator("#ewc-suggestions button").first
    suggestion.wait_for()
    assert "10 01" in suggestion.inner_text()
    suggestion.click()
    assert page.input_value("input[name=ewc_code]").startswith("1001")
    page.select_option("select[name=site]", index=1)
    page.fill("input[name=quantity]", "900")
    page.select_option("select[name=unit]", "t")
    page.locator("#flow-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/symbiosis/flows/\d+/$"))
    assert ResourceFlow.objects.filter(title="Vliegas voor cement", organisation=w.cement).exists()

    # The officer runs the matching; the job page follows it to the end.
    login(page, "officer", "/symbiosis/dashboard/")
    page.locator("#run-matching").click()
    page.wait_for_url("**/jobs/*/")
    page.locator(".job-status", has_text="Succeeded").wait_for()
    synergy = Synergy.objects.get(have=w.slag, want=w.slag_want)
    # the job page is no dead end: it leads to the proposals it made
    page.locator("a.job-result").click()
    page.wait_for_url("**/symbiosis/synergies/?state=proposed")
    assert page.locator(f"a[href='/symbiosis/synergies/{synergy.pk}/']").count() == 1

    # The steelworks sees the proposal with its reasons and accepts contact; so does the cement plant.
    login(page, "steel", f"/symbiosis/synergies/{synergy.pk}/")
    reasons = page.locator("#reasons").inner_text()
    assert "the same waste code 10 02 02" in reasons
    assert "km by road" in reasons
    page.locator("#accept-contact").click()
    login(page, "cement", f"/symbiosis/synergies/{synergy.pk}/")
    page.locator("#accept-contact").click()
    page.locator("#state", has_text="Contacted").wait_for()
    synergy.refresh_from_db()
    assert synergy.state == "contacted"

    # The map draws the sites and the exchange from coordinates alone.
    page.goto("/symbiosis/map/")
    assert page.locator("#symbiosis-map circle").count() >= 2
    assert page.locator("#symbiosis-map line").count() >= 2
    assert page.locator("#symbiosis-map .symbiosis-map__land path").count() >= 1  # the offline base map
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # fits 390 px
    assert external == [], external


def test_staff_describe_waste_heat_in_megawatts_for_a_company(page, live_server):  # type: ignore[no-untyped-def]
    """The officer describes a company's waste heat on its behalf, stated in MW with its hours."""
    w = world()
    login(page, "officer", "/symbiosis/")
    page.locator("#new-flow").click()
    page.wait_for_url("**/symbiosis/flows/new/")
    page.select_option("select[name=organisation]", label="Staalwerk Gent")
    page.locator("#choose-organisation button[type=submit]").click()
    page.locator("#flow-organisation", has_text="For Staalwerk Gent").wait_for()
    page.select_option("select[name=direction]", "have")
    page.select_option("select[name=kind]", "heat")
    page.fill("input[name=title]", "Restwarmte van de walserij")
    page.select_option("select[name=site]", index=1)
    page.fill("input[name=quantity]", "5")
    page.select_option("select[name=unit]", "MW")
    page.fill("input[name=hours_per_year]", "6000")
    page.fill("input[name=supply_temperature_c]", "90")
    page.locator("#flow-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/symbiosis/flows/\d+/$"))
    assert re.search(r"30.000 MWh", page.locator("#per-year").inner_text())
    created = ResourceFlow.objects.get(title="Restwarmte van de walserij")
    assert (created.organisation, created.created_by.username) == (w.steel, "officer")
