"""E2E: staff open the cluster's indicators and its dashboard, follow an indicator to the records behind
it, generate the annual report in Dutch (a background job) and download it, and write a success story;
once published and approved by the member it features, it appears on the public showcase. Every page
fits a 390 px phone."""

from __future__ import annotations

import pytest

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


def test_staff_follow_the_figures_report_and_publish_a_story(page):  # type: ignore[no-untyped-def]
    build()
    page.set_viewport_size({"width": 390, "height": 900})
    log_in(page, "energy_staff")
    page.goto("/insights/energy/?from=2026-01-01&to=2026-12-31")
    assert page.locator("#indicator-committed_members strong").inner_text() == "4"
    assert page.evaluate(FITS)

    with page.expect_navigation():
        page.click("#dashboard-link")
    assert page.locator("#network-chart svg circle").count() >= 5
    assert "5 organisations tied by 4 collaborations" in page.inner_text("#network-summary")
    assert page.evaluate(FITS)
    page.go_back()

    with page.expect_navigation():
        page.get_by_role("link", name="Committed members").click()
    records = page.locator("#indicator-records li")
    assert sorted(records.all_inner_texts()) == ["Alpha", "Beta", "Lux", "Uni"]
    assert page.evaluate(FITS)
    page.go_back()

    page.fill("#report-year", "2026")
    page.select_option("#report-language", "nl")
    with page.expect_navigation():
        page.get_by_role("button", name="Generate the report").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"

    page.goto("/insights/energy/stories/")
    with page.expect_navigation():
        page.click("#new-story")
    page.select_option("#id_kind", "success_story")
    page.fill("#id_title", "Heat from the bakery warms the school")
    page.fill("#id_summary", "Alpha's ovens heat the school next door.")
    page.select_option("#id_language", "en")
    page.get_by_label("Alpha").check()
    assert page.evaluate(FITS)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    with page.expect_navigation():
        page.click("#move-published")
    assert "waiting for every organisation" in page.inner_text("#story-showing")
    story_url = page.url

    page.context.clear_cookies()
    page.goto("/showcase/")
    assert "Heat from the bakery" not in page.inner_text("#showcase-stories")

    log_in(page, "alpha_member")
    page.goto(story_url)
    with page.expect_navigation():
        page.click("#approve-story")
    assert page.inner_text("#story-showing") == "On the showcase"

    page.context.clear_cookies()
    page.goto("/showcase/?q=bakery")
    assert "Heat from the bakery warms the school" in page.inner_text("#showcase-stories")
    assert page.evaluate(FITS)
