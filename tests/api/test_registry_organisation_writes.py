"""Integration: creating and changing organisations through the API, with the pages' permissions."""

from __future__ import annotations

import pytest

from helix.registry.models import Organisation
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, staff_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

URL = "/api/registry/organisations"


def patch(client, slug: str, body: dict):
    return client.patch(f"{URL}/{slug}", body, content_type="application/json")


def post(client, body: dict):
    return client.post(URL, body, content_type="application/json")


def errors(response) -> list[tuple[list, str]]:
    assert response.status_code == 422, response.content
    return [(e["loc"], e["msg"]) for e in response.json()["detail"]]


# --- who may change what ------------------------------------------------------------------------------


def test_a_member_user_edits_its_own_organisation(registry, call_as):
    response = patch(call_as(registry.acme_user), "acme", {"name": "Acme Robotics", "keywords": ["Welding"]})
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["keywords"]) == ("Acme Robotics", ["welding"])
    registry.acme.refresh_from_db()
    assert (registry.acme.name, registry.acme.slug) == ("Acme Robotics", "acme")


def test_a_member_user_may_not_edit_another_organisation(registry, call_as):
    response = patch(call_as(registry.acme_user), "bakery", {"name": "Taken over"})
    assert (response.status_code, response.json()) == (403, {"detail": "You may not edit Bakery."})
    assert Organisation.objects.get(slug="bakery").name == "Bakery"


def test_another_organisation_that_is_not_published_is_not_found(registry, call_as):
    assert patch(call_as(registry.acme_user), "hidden-works", {"name": "X"}).status_code == 404


def test_staff_edit_organisations_in_their_cluster_only(registry, call_as):
    client = call_as(registry.staff)
    inside = patch(client, "hidden-works", {"is_published": True})
    outside = patch(client, "bakery", {"name": "Taken over"})
    assert (inside.status_code, inside.json()["is_published"]) == (200, True)
    assert (outside.status_code, outside.json()) == (403, {"detail": "You may not edit Bakery."})


def test_anonymous_callers_may_not_edit(registry, call_as):
    assert patch(call_as(None), "acme", {"name": "X"}).status_code == 401


def test_only_staff_register_organisations(registry, call_as):
    member = post(call_as(registry.acme_user), {"name": "New Co", "kind": "company"})
    staff = post(call_as(registry.staff), {"name": "New Co", "kind": "company"})
    assert (member.status_code, member.json()) == (
        403,
        {"detail": "Only cluster staff may register organisations."},
    )
    assert (staff.status_code, staff.json()["slug"]) == (201, "new-co")


# --- creating -----------------------------------------------------------------------------------------


def test_a_new_organisation_is_normalised_slugged_and_searchable(registry, call_as):
    OrganisationFactory(name="Port Tools", slug="port-tools")
    client = call_as(registry.staff)
    response = post(
        client,
        {
            "name": "Port Tools",
            "kind": "company",
            "size_class": "sme",
            "identifier_scheme": "be",
            "legal_identifier": "BE 0403.170.701",
            "website": "https://porttools.example",
            "working_languages": ["fr"],
            "sectors": ["6210", "62.10", "j"],
            "keywords": ["Cranes"],
            "description_fr": "Grues portuaires.",
        },
    )
    assert response.status_code == 201
    data = response.json()
    assert (data["slug"], data["legal_identifier"], data["working_languages"]) == (
        "port-tools-2",
        "0403.170.701",
        ["fr"],
    )
    assert [s["code"] for s in data["sectors"]] == ["62.10", "J"]
    found = client.get(f"{URL}?q=grues cranes").json()["items"]
    assert [o["slug"] for o in found] == ["port-tools-2"]


# --- validation ---------------------------------------------------------------------------------------


def test_a_legal_identifier_with_wrong_check_digits_names_the_field(registry, call_as):
    response = post(
        call_as(registry.staff),
        {
            "name": "Typo",
            "kind": "company",
            "identifier_scheme": "be",
            "legal_identifier": "0403.170.702",
        },
    )
    assert errors(response) == [
        (["body", "payload", "legal_identifier"], "'0403.170.702': check digits do not match (mod 97)")
    ]


def test_a_legal_identifier_needs_its_scheme(registry, call_as):
    response = patch(
        call_as(registry.staff), "hidden-works", {"identifier_scheme": "", "legal_identifier": "B123"}
    )
    assert errors(response) == [
        (["body", "payload", "legal_identifier"], "choose the identifier_scheme it belongs to")
    ]


def test_a_legal_identifier_registered_twice_is_refused(registry, call_as):
    response = patch(
        call_as(registry.staff),
        "hidden-works",
        {
            "identifier_scheme": "be",
            "legal_identifier": registry.acme.legal_identifier,
        },
    )
    assert errors(response) == [
        (["body", "payload", "legal_identifier"], f"{registry.acme.legal_identifier} is already registered")
    ]


def test_an_unknown_nace_code_names_sectors(registry, call_as):
    response = patch(call_as(registry.acme_user), "acme", {"sectors": ["62.10", "99.99"]})
    assert errors(response) == [
        (["body", "payload", "sectors"], "Value error, '99.99' is not a NACE Rev. 2.1 code")
    ]
    assert list(registry.acme.sectors.all()) == []


def test_only_companies_have_a_size_class(registry, call_as):
    response = patch(call_as(registry.acme_user), "acme", {"kind": "government"})
    assert errors(response) == [
        (["body", "payload", "size_class"], "only companies have a size class; send an empty string")
    ]
    changed = patch(
        call_as(registry.acme_user),
        "acme",
        {"kind": "government", "size_class": "", "government_level": "local"},
    )
    assert (changed.json()["kind"], changed.json()["helix"]) == ("government", "public")


def test_required_fields_may_not_be_nulled_or_emptied(registry, call_as):
    client = call_as(registry.acme_user)
    assert [loc for loc, _msg in errors(patch(client, "acme", {"name": None}))] == [
        ["body", "payload", "name"]
    ]
    assert [loc for loc, _msg in errors(patch(client, "acme", {"name": "  "}))] == [
        ["body", "payload", "name"]
    ]


def test_a_website_must_be_a_web_address(registry, call_as):
    response = patch(call_as(registry.acme_user), "acme", {"website": "acme dot be"})
    assert errors(response) == [
        (["body", "payload", "website"], "Value error, enter a full web address, e.g. https://example.org")
    ]


def test_staff_of_another_cluster_neither_see_nor_edit_an_unpublished_member(call_as):
    org = OrganisationFactory(slug="inside", is_published=False)
    MembershipFactory(organisation=org)
    outsider = staff_user(ClusterFactory(), username="outsider")
    client = call_as(outsider)
    assert client.get(f"{URL}/inside").status_code == 404
    assert patch(client, "inside", {"name": "X"}).status_code == 404
