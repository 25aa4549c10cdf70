"""E2E: the shared look (helix.css, docs/design.md) where it is easy to get wrong: the directory's facets
(checkbox, label and count on one line; no scroll box in the sidebar), a bare submit button styled, and a
wide table scrolling inside its wrapper instead of the page."""

from __future__ import annotations

import pytest
from django.test import Client

from helix.registry.models import OrganisationKind, SizeClass
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# For each facet value: the vertical middles of checkbox, label and count, and their left edges.
FACET_LINES = """() => [...document.querySelectorAll('.facet__value')].map((row) => {
  const box = (e) => e.getBoundingClientRect();
  const [c, l, n] = ['input', '.facet__label', '.facet__count'].map((s) => box(row.querySelector(s)));
  return {middles: [c, l, n].map((r) => Math.round(r.top + r.height / 2)), lefts: [c.left, l.left, n.left]};
})"""

# Elements of the directory's sidebar that scroll on their own (content taller or wider than the box).
SCROLL_BOXES = """() => [...document.querySelectorAll('.directory__facets, .facet, .facet fieldset')]
  .filter((e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY)
                 || e.scrollHeight > e.clientHeight + 1)
  .map((e) => e.className || e.tagName)"""


@pytest.fixture
def directory():  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(name="Flux50")
    kinds = [OrganisationKind.COMPANY, OrganisationKind.KNOWLEDGE_INSTITUTION, OrganisationKind.GOVERNMENT]
    for n in range(30):
        kind = kinds[n % 3]
        size = SizeClass.SME if kind == OrganisationKind.COMPANY else SizeClass.NONE
        organisation = OrganisationFactory(name=f"Org {n:02}", kind=kind, size_class=size)
        MembershipFactory(cluster=cluster, organisation=organisation)


@pytest.mark.parametrize("width", [1366, 390])
def test_each_facet_value_is_one_line_and_nothing_in_the_sidebar_scrolls(page, directory, width):
    page.set_viewport_size({"width": width, "height": 700})
    page.goto("/directory/")
    if width == 390:
        page.locator(".filters__toggle").click()  # phones fold the filters behind their toggle
    lines = page.evaluate(FACET_LINES)
    assert len(lines) >= 4
    for line in lines:
        checkbox, label, count = line["middles"]
        assert abs(checkbox - label) <= 2, line
        assert abs(label - count) <= 2, line
        assert line["lefts"] == sorted(line["lefts"]), line  # checkbox, then label, then count
    assert page.evaluate(SCROLL_BOXES) == []
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


def test_a_submit_button_without_a_class_looks_like_a_secondary_button(page, live_server):
    page.goto("/symbiosis/")
    button = page.locator("form.filters button[type=submit]")
    style = button.evaluate(
        "(b) => [b.getAttribute('class'), getComputedStyle(b).borderTopColor, b.offsetHeight]"
    )
    assert style[0] is None
    assert style[1] == "rgb(31, 95, 174)"  # --accent, as .button--secondary
    assert style[2] >= 44  # 2.75rem: a target a finger hits


def test_a_wide_table_scrolls_in_its_wrapper_not_the_page(page, live_server, settings):
    client = Client()
    client.force_login(UserFactory(username="mia"))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.goto("/symbiosis/impact-factors/")
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("(w) => w.scrollWidth > w.clientWidth")  # the table is wider than a phone …
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
    assert wrap.get_attribute("tabindex") == "0"  # … and its wrapper is reachable by keyboard
