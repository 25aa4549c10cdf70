"""Integration: other apps add sections to an organisation's profile through helix.registry.profile_sections
(the registry imports none of them): each registered section is rendered in its order, one with nothing
to show is left out, and a section sees the visitor (so it shows only what they may see)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils.html import format_html

from helix.registry import profile_sections
from tests.factories.registry import OrganisationFactory, UserFactory
from tests.helpers.clients import page_client

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def extra_sections():  # type: ignore[no-untyped-def]
    def greeting(request: Any, organisation: Any) -> str:
        who = request.user.get_username() if request.user.is_authenticated else "visitor"
        return format_html('<section id="greeting">Hello {} on {}</section>', who, organisation.name)

    def nothing(request: Any, organisation: Any) -> str:
        return ""

    def first(request: Any, organisation: Any) -> str:
        return '<section id="first">First</section>'

    profile_sections.register_section("test-greeting", greeting, order=500)
    profile_sections.register_section("test-nothing", nothing, order=400)
    profile_sections.register_section("test-first", first, order=-1)
    yield
    for key in ("test-greeting", "test-nothing", "test-first"):
        profile_sections.unregister_section(key)


def test_the_registered_sections_are_in_their_order_and_the_projects_section_is_among_them(extra_sections):  # type: ignore[no-untyped-def]
    keys = [s.key for s in profile_sections.sections()]
    assert keys[0] == "test-first"
    assert keys[-2:] == ["test-nothing", "test-greeting"]
    assert "projects" in keys  # registered by helix.projects.apps


def test_the_profile_renders_each_section_for_its_visitor_and_leaves_out_empty_ones(extra_sections):  # type: ignore[no-untyped-def]
    OrganisationFactory(name="Acme <Coatings>", slug="acme", is_published=True)
    page = page_client(UserFactory(username="ann")).get("/organisations/acme/").content.decode()
    assert '<section id="greeting">Hello ann on Acme &lt;Coatings&gt;</section>' in page
    assert page.index('id="first"') < page.index('id="greeting"')
    anonymous = page_client().get("/organisations/acme/").content.decode()
    assert "Hello visitor on Acme" in anonymous


def test_registering_a_key_again_replaces_its_section(extra_sections):  # type: ignore[no-untyped-def]
    profile_sections.register_section("test-first", lambda request, organisation: "", order=-1)
    assert [s.key for s in profile_sections.sections()].count("test-first") == 1
    OrganisationFactory(slug="acme", is_published=True)
    assert 'id="first"' not in page_client().get("/organisations/acme/").content.decode()
