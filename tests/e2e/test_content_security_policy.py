"""E2E: under the Content-Security-Policy every page works and the browser reports no violation.

The policy allows only Helix's own origin and no inline script or style; htmx, the language menu
(helix.js), the SVG bars and the API docs (Swagger UI) must work within it.
"""

from __future__ import annotations

import pytest

from helix.registry.models import OrganisationKind, SizeClass
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Runs before any page script: collects what the browser refused, which no page can hide.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def watched(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    yield page, errors
    context.close()


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    return list(page.evaluate("window.__violations"))


def test_pages_htmx_and_the_language_menu_work_without_violations(watched):
    page, errors = watched
    cluster = ClusterFactory(name="Flux50", slug="flux50")
    MembershipFactory(cluster=cluster, organisation=OrganisationFactory(name="Enervalis"))
    for name, kind in (
        ("VITO", OrganisationKind.KNOWLEDGE_INSTITUTION),
        ("Stad Genk", OrganisationKind.GOVERNMENT),
    ):
        organisation = OrganisationFactory(name=name, kind=kind, size_class=SizeClass.NONE)
        MembershipFactory(cluster=cluster, organisation=organisation)
    UserFactory(username="root", is_staff=True, is_superuser=True)
    seen: dict[str, list[str]] = {}

    # The recorder sees what such a policy refuses (a page made up here, with the same header).
    page.route(
        "**/csp-self-check",
        lambda route: route.fulfill(
            status=200,
            headers={
                "Content-Type": "text/html",
                "Content-Security-Policy": "style-src 'self'; script-src 'self'",
            },
            body='<!doctype html><p style="color: red">x</p><script>document.title = "ran"</script>',
        ),
    )
    page.goto("/csp-self-check")
    assert [v.split()[0] for v in violations(page)] == ["style-src-attr", "script-src-elem"]
    assert page.title() == ""
    errors.clear()

    # The directory's live search is htmx.
    page.goto("/directory/")
    with page.expect_response(lambda r: "q=vito" in r.url.lower()):
        page.locator("input[name=q]").press_sequentially("vito", delay=30)
    page.locator("#results", has_text="VITO").wait_for()
    seen["directory"] = violations(page)

    # The cluster page draws its triple-helix bar in SVG.
    page.goto(cluster.get_absolute_url())
    assert page.locator(".helix-bar svg.helix-bar__segment").count() == 3
    box = page.locator(".helix-bar svg.strand--industry").bounding_box()
    assert box is not None
    assert box["width"] > 50
    seen["cluster"] = violations(page)

    # The waste-code suggestions come by htmx.
    page.goto("/symbiosis/waste-codes/")
    page.locator("input[name=q]").press_sequentially("fly ash", delay=30)
    page.locator("#ewc-live button").first.wait_for()
    seen["waste codes"] = violations(page)

    page.goto("/symbiosis/map/")
    seen["map"] = violations(page)

    # The language menu sends its form on change (helix.js, no inline handler).
    page.goto("/accounts/login/")
    with page.expect_navigation():
        page.select_option("select[name=language]", "nl")
    assert page.locator("html").get_attribute("lang") == "nl"
    seen["login"] = violations(page)

    # The API docs: Swagger UI renders from our own static files.
    page.goto("/api/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    seen["api docs"] = violations(page)

    # The admin.
    page.goto("/admin/login/")
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", "correct horse battery staple")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.goto("/admin/registry/organisation/add/")
    seen["admin"] = violations(page)

    assert seen == {name: [] for name in seen}
    assert errors == []
