"""Integration: every path that changes a consent leaves a ConsentRecord saying who, when and how: the
privacy page (self-service and staff), the API, the import and the admin."""

from __future__ import annotations

import csv

import pytest
from django.utils import timezone

from helix.api.models import ApiToken
from helix.privacy.models import ConsentRecord
from helix.registry.models import Person
from helix.registry.transfer import import_file
from tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def history(person):  # type: ignore[no-untyped-def]
    records = ConsentRecord.objects.filter(person=person).order_by("pk")
    return [(r.consent, r.given, r.by.get_username() if r.by else None, r.how, r.note) for r in records]


def test_the_person_changes_their_own_consents_on_the_privacy_page(client, world):
    client.force_login(world.an_user)

    response = client.post(f"/privacy/people/{world.an.pk}/consents/", {"public": "on", "newsletter": "on"})

    assert response.status_code == 302
    world.an.refresh_from_db()
    assert (world.an.consent_contact, world.an.consent_newsletter, world.an.consent_public) == (
        False,
        True,
        True,
    )
    assert world.an.consent_recorded_on == timezone.localdate()
    assert history(world.an) == [
        ("contact", False, "an-user", "self_service", ""),
        ("newsletter", True, "an-user", "self_service", ""),
    ]
    page = client.get(f"/privacy/people/{world.an.pk}/").content.decode()
    assert page.count("self-service (the person)") == 2


def test_staff_of_another_cluster_may_not_and_unchanged_values_record_nothing(client, world):
    client.force_login(world.food_staff)
    assert client.post(f"/privacy/people/{world.an.pk}/consents/", {"newsletter": "on"}).status_code == 404
    client.force_login(world.tech_staff)

    client.post(f"/privacy/people/{world.an.pk}/consents/", {"contact": "on", "public": "on"})

    world.an.refresh_from_db()
    assert (world.an.consent_contact, world.an.consent_newsletter, world.an.consent_public) == (
        True,
        False,
        True,
    )
    assert history(world.an) == []


def test_staff_form_records_each_change(client, world):
    client.force_login(world.tech_staff)

    client.post(f"/privacy/people/{world.an.pk}/consents/", {"newsletter": "on", "note": "Signed form"})

    assert history(world.an) == [
        ("contact", False, "tech-staff", "form", "Signed form"),
        ("newsletter", True, "tech-staff", "form", "Signed form"),
        ("public", False, "tech-staff", "form", "Signed form"),
    ]


def test_api_create_and_update_record_consents(client, world):
    _token, secret = ApiToken.objects.issue(world.tech_staff, name="tests")
    headers = {"Authorization": f"Bearer {secret}"}

    created = client.post(
        "/api/registry/organisations/acme/people",
        {"first_name": "Ella", "last_name": "Maes", "consent_contact": True},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201
    ella = Person.objects.get(pk=created.json()["id"])
    changed = client.patch(
        f"/api/registry/organisations/acme/people/{ella.pk}",
        {"consent_contact": False, "consent_public": True, "job_title": "Buyer"},
        content_type="application/json",
        headers=headers,
    )
    assert changed.status_code == 200
    client.patch(
        f"/api/registry/organisations/acme/people/{ella.pk}",
        {"job_title": "Head buyer"},
        content_type="application/json",
        headers=headers,
    )

    assert history(ella) == [
        ("contact", True, "tech-staff", "api", ""),
        ("contact", False, "tech-staff", "api", ""),
        ("public", True, "tech-staff", "api", ""),
    ]


def test_import_records_the_consents_it_gives_and_changes(world, tmp_path):
    importer = UserFactory(username="importer", is_superuser=True)
    path = tmp_path / "people.csv"
    rows = [
        [
            "organisation",
            "first_name",
            "last_name",
            "email",
            "consent_contact",
            "consent_newsletter",
            "consent_public",
        ],
        [f"be:{world.acme.legal_identifier}", "An", "Peeters", world.an.email, "false", "true", "true"],
        [f"be:{world.acme.legal_identifier}", "Nele", "Claes", "nele@acme.example", "true", "false", "false"],
        [f"be:{world.acme.legal_identifier}", "Jo", "Wouters", "jo@acme.example", "false", "false", "false"],
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)

    report = import_file(path, user=importer)

    assert report.ok, report.errors
    nele = Person.objects.get(email="nele@acme.example")
    jo = Person.objects.get(email="jo@acme.example")
    assert history(world.an) == [
        ("contact", False, "importer", "import", ""),
        ("newsletter", True, "importer", "import", ""),
    ]
    assert history(nele) == [("contact", True, "importer", "import", "")]
    assert history(jo) == []


def test_admin_changes_record_consents(client, world):
    from tests.helpers.forms import form_data

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    page = client.get(f"/admin/registry/person/{world.an.pk}/change/")
    data = form_data(page.context["adminform"].form)
    data.pop("consent_public")
    data["consent_newsletter"] = "on"

    response = client.post(f"/admin/registry/person/{world.an.pk}/change/", data)

    assert response.status_code == 302
    assert history(world.an) == [
        ("newsletter", True, "root", "admin", ""),
        ("public", False, "root", "admin", ""),
    ]


def test_the_people_inline_of_the_organisation_admin_records_consents(client, world):
    from tests.helpers.forms import form_data

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    url = f"/admin/registry/organisation/{world.acme.pk}/change/"
    page = client.get(url)
    data = form_data(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        data.update(form_data(inline.formset.management_form))
        for form in inline.formset.forms:
            fields = form_data(form)
            if isinstance(form.instance, Person) and form.instance.pk == world.an.pk:
                fields.pop(f"{form.prefix}-consent_contact")
            data.update(fields)

    response = client.post(url, data)

    assert response.status_code == 302
    assert history(world.an) == [("contact", False, "root", "admin", "")]
    assert ConsentRecord.objects.exclude(person=world.an).count() == 0
