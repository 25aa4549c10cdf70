"""Integration: an organisation's sites and people; contact data only for staff and the organisation."""

from __future__ import annotations

import pytest

from helix.registry.models import Person
from tests.factories import PersonFactory, SiteFactory, UserFactory, staff_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

URL = "/api/registry/organisations"


@pytest.fixture
def people(registry):
    """Two people at Acme besides its member user: one public, one not."""
    public = PersonFactory(
        organisation=registry.acme,
        first_name="Pia",
        last_name="Public",
        email="pia@acme.example",
        phone="+32 9 000 00 00",
        roles="main contact, signatory",
        consent_public=True,
    )
    private = PersonFactory(
        organisation=registry.acme, first_name="Ward", last_name="Private", email="ward@acme.example"
    )
    return {"public": public, "private": private}


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [p["full_name"] for p in response.json()]


def test_the_public_sees_only_people_who_agreed_and_no_contact_data(registry, people, call_as):
    response = call_as(None).get(f"{URL}/acme/people")
    assert response.json() == [
        {
            "id": people["public"].pk,
            "first_name": "Pia",
            "last_name": "Public",
            "full_name": "Pia Public",
            "job_title": "",
            "roles": ["main contact", "signatory"],
            "email": None,
            "phone": None,
            "consent_contact": None,
            "consent_newsletter": None,
            "consent_public": None,
            "consent_recorded_on": None,
        }
    ]


def test_people_of_another_organisation_see_what_the_public_sees(registry, people, call_as):
    response = call_as(registry.bakery_user).get(f"{URL}/acme/people")
    assert [(p["full_name"], p["email"]) for p in response.json()] == [("Pia Public", None)]


def test_the_organisation_itself_sees_everyone_with_contact_data(registry, people, call_as):
    response = call_as(registry.acme_user).get(f"{URL}/acme/people")
    assert [(p["full_name"], p["email"], p["phone"]) for p in response.json()] == [
        ("Mia Acme-User", "acme-user@example.org", ""),
        ("Ward Private", "ward@acme.example", ""),
        ("Pia Public", "pia@acme.example", "+32 9 000 00 00"),
    ]


def test_staff_see_everyone_with_contact_data(registry, people, call_as):
    assert names(call_as(registry.staff).get(f"{URL}/acme/people")) == [
        "Mia Acme-User",
        "Ward Private",
        "Pia Public",
    ]


def test_staff_of_another_cluster_see_what_the_public_sees(registry, people, call_as):
    other_staff = staff_user(registry.food, username="food-staff")
    response = call_as(other_staff).get(f"{URL}/acme/people")
    assert [(p["full_name"], p["email"]) for p in response.json()] == [("Pia Public", None)]


def test_people_of_a_hidden_organisation_are_not_found(registry, call_as):
    assert call_as(None).get(f"{URL}/hidden-works/people").status_code == 404


def test_a_member_user_adds_and_updates_a_colleague(registry, call_as):
    client = call_as(registry.acme_user)
    created = client.post(
        f"{URL}/acme/people",
        {
            "first_name": "Lien",
            "last_name": "Nieuw",
            "email": "lien@acme.example",
            "roles": ["advisory group"],
            "consent_public": True,
            "consent_recorded_on": "2025-03-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    person = Person.objects.get(pk=created.json()["id"])
    assert (person.organisation, person.roles, person.consent_public) == (
        registry.acme,
        "advisory group",
        True,
    )
    updated = client.patch(
        f"{URL}/acme/people/{person.pk}",
        {"job_title": "CTO", "phone": "+32 11 22 33 44"},
        content_type="application/json",
    )
    assert (updated.status_code, updated.json()["job_title"], updated.json()["phone"]) == (
        200,
        "CTO",
        "+32 11 22 33 44",
    )


def test_an_email_address_is_used_once_per_organisation(registry, people, call_as):
    response = call_as(registry.acme_user).post(
        f"{URL}/acme/people",
        {
            "first_name": "Pia",
            "last_name": "Again",
            "email": "PIA@acme.example",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "value_error",
            "loc": ["body", "payload", "email"],
            "msg": "someone at this organisation already uses PIA@acme.example",
        }
    ]


def test_people_of_another_organisation_cannot_be_changed(registry, people, call_as):
    response = call_as(registry.bakery_user).patch(
        f"{URL}/acme/people/{people['public'].pk}", {"job_title": "X"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_a_person_is_changed_only_through_its_own_organisation(registry, people, call_as):
    response = call_as(registry.staff).patch(
        f"{URL}/hidden-works/people/{people['public'].pk}",
        {"job_title": "X"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_sites_are_listed_headquarters_first(registry, call_as):
    SiteFactory(organisation=registry.acme, name="Antwerp plant", city="Antwerpen", is_headquarters=False)
    SiteFactory(organisation=registry.acme, name="Head office", city="Gent")
    response = call_as(None).get(f"{URL}/acme/sites")
    assert [(s["name"], s["is_headquarters"]) for s in response.json()] == [
        ("Head office", True),
        ("Antwerp plant", False),
    ]


def test_a_new_site_makes_the_organisation_findable_by_its_city(registry, call_as):
    client = call_as(registry.acme_user)
    created = client.post(
        f"{URL}/acme/sites",
        {
            "name": "Genk plant",
            "city": "Genk",
            "country": "be",
            "region": "limburg",
            "latitude": 50.96,
            "longitude": 5.5,
        },
        content_type="application/json",
    )
    assert (created.status_code, created.json()["country"]) == (201, "BE")
    found = client.get(f"{URL}?q=genk").json()["items"]
    assert [o["slug"] for o in found] == ["acme"]
    moved = client.patch(
        f"{URL}/acme/sites/{created.json()['id']}", {"city": "Hasselt"}, content_type="application/json"
    )
    assert moved.status_code == 200
    assert [o["slug"] for o in client.get(f"{URL}?q=hasselt").json()["items"]] == ["acme"]
    assert client.get(f"{URL}?q=genk").json()["items"] == []


def test_site_validation_names_the_fields(registry, call_as):
    SiteFactory(organisation=registry.acme, name="Head office")
    client = call_as(registry.acme_user)
    out_of_range = client.post(
        f"{URL}/acme/sites", {"name": "Pole", "city": "Nord", "latitude": 91}, content_type="application/json"
    )
    twice = client.post(
        f"{URL}/acme/sites", {"name": "Head office", "city": "Gent"}, content_type="application/json"
    )
    assert [e["loc"] for e in out_of_range.json()["detail"]] == [["body", "payload", "latitude"]]
    assert twice.json()["detail"] == [
        {
            "type": "value_error",
            "loc": ["body", "payload", "name"],
            "msg": "the organisation already has a site called 'Head office'",
        }
    ]


def test_a_user_without_a_person_sees_what_the_public_sees(registry, people, call_as):
    loner = UserFactory(username="loner")
    assert names(call_as(loner).get(f"{URL}/acme/people")) == ["Pia Public"]


def test_a_nul_character_in_any_text_is_a_422_naming_the_field(registry, call_as):
    """PostgreSQL refuses NUL in text: the request ended in a 500 there (and SQLite stored it)."""
    client = call_as(registry.acme_user)
    before = Person.objects.count()
    response = client.post(
        f"{URL}/acme/people",
        {"first_name": "Nul", "last_name": "Byte", "job_title": "CTO\x00", "roles": ["main\x00contact"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [(e["loc"], e["msg"]) for e in response.json()["detail"]] == [
        (["body", "payload", "job_title"], "Value error, may not contain the NUL character (\\u0000)"),
        (["body", "payload", "roles"], "Value error, may not contain the NUL character (\\u0000)"),
    ]
    assert Person.objects.count() == before


def test_a_nul_character_in_a_path_or_query_parameter_is_a_422(registry, call_as):
    client = call_as(None)
    assert [e["loc"] for e in client.get(f"{URL}/ac%00me").json()["detail"]] == [["path", "slug"]]
    assert [e["loc"] for e in client.get(f"{URL}?q=a%00b").json()["detail"]] == [["query", "q"]]


def test_a_person_is_written_with_the_record_of_their_consents_or_not_at_all(registry, call_as, monkeypatch):
    import helix.api.registry

    def broken(*args, **kwargs):
        raise RuntimeError("the consent log is down")

    monkeypatch.setattr(helix.api.registry, "record_consents", broken)
    before = Person.objects.count()
    with pytest.raises(RuntimeError, match="the consent log is down"):
        call_as(registry.acme_user).post(
            f"{URL}/acme/people",
            {"first_name": "Ann", "last_name": "Atomic", "consent_contact": True},
            content_type="application/json",
        )
    assert Person.objects.count() == before
