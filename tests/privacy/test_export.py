"""Integration: a person's data export (service, page, JSON, API) holds their data and no one else's, and
only the person and the staff responsible for their organisation get it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from helix.api.models import ApiToken
from helix.privacy.consents import set_consents
from helix.privacy.export import export_person
from helix.registry.models import LetterOfIntent
from helix.registry.services import record_letter_of_intent
from tests.privacy.conftest import log_interaction, published_event

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_export_holds_the_persons_data_and_not_another_persons(world):
    log_interaction(world.acme, [world.an], "Call with An about heat pumps", cluster=world.tech)
    log_interaction(world.bakery, [world.bob], "Visit to Bob's ovens", cluster=world.food)
    set_consents(world.an, {"newsletter": True}, actor=world.an_user, how="self_service")
    record_letter_of_intent(
        world.acme, world.tech, user=world.tech_staff, signed_on=dt.date(2026, 3, 1), signatory=world.an
    )

    data = export_person(world.an)

    assert data["format"] == "helix-person-export/1"
    assert data["person"] | {"consent_recorded_on": None} == {
        "id": world.an.pk,
        "first_name": "An",
        "last_name": "Peeters",
        "email": "an.peeters@acme.example",
        "phone": "+32 470 11 22 33",
        "job_title": "Energy manager",
        "roles": [],
        "consents": {"contact": True, "newsletter": True, "public": True},
        "consent_recorded_on": None,
        "is_sample": False,
    }
    assert data["organisation"] == {"id": world.acme.pk, "name": "Acme", "slug": "acme"}
    assert data["user_account"]["username"] == "an-user"
    assert [(c["consent"], c["given"], c["by"], c["how"]) for c in data["consent_history"]] == [
        ("newsletter", True, "an-user", "self_service")
    ]
    assert [i["summary"] for i in data["interactions"]] == ["Call with An about heat pumps"]
    assert [
        (x["organisation"], x["cluster"], x["signed_on"], x["membership"]["level"])
        for x in data["letters_of_intent_signed"]
    ] == [("Acme", "tech", "2026-03-01", "member")]
    text = json.dumps(data)
    for foreign in ("Bob", "Janssens", "bob.janssens@bakery.example", "ovens", "bob-user"):
        assert foreign not in text


def test_export_lists_registrations_requests_and_published_meetings_by_organisation_only():
    event = published_event()
    first, second, third = event.people

    data = export_person(first)

    assert [(r["event"], r["role"]) for r in data["event_registrations"]] == [
        ("Brokerage day", "participant")
    ]
    assert [
        (r["direction"], r["with_organisation"], r["status"]) for r in data["event_meeting_requests"]
    ] == [
        ("made", "City of Genk", "accepted"),
        ("made", "Robots", "accepted"),
    ]
    assert [(m["start"], m["table"], m["with_organisation"]) for m in data["meetings"]] == [
        ("2026-12-03T08:00:00+00:00", 1, "City of Genk"),
        ("2026-12-03T09:00:00+00:00", 1, "Robots"),
    ]
    text = json.dumps(data)
    for other in (second, third):
        assert other.email not in text
        assert other.full_name not in text


def test_the_person_gets_the_json_download_and_the_readable_page(client, world):
    log_interaction(world.acme, [world.an], "Call with An about heat pumps")
    client.force_login(world.an_user)

    download = client.get(f"/privacy/people/{world.an.pk}/export.json")
    page = client.get(f"/privacy/people/{world.an.pk}/export/")

    assert download.status_code == 200
    assert download["Content-Type"] == "application/json; charset=utf-8"
    assert download["Content-Disposition"] == f'attachment; filename="helix-person-{world.an.pk}.json"'
    assert json.loads(download.content)["person"]["email"] == "an.peeters@acme.example"
    assert page.status_code == 200
    html = page.content.decode()
    assert "an.peeters@acme.example" in html
    assert "Call with An about heat pumps" in html
    assert "Janssens" not in html


def test_own_profile_links_to_the_persons_data(client, world):
    client.force_login(world.an_user)
    assert client.get("/privacy/me/").url == f"/privacy/people/{world.an.pk}/"
    profile = client.get(world.acme.get_absolute_url()).content.decode()
    assert 'href="/privacy/me/"' in profile  # "My data" in the header, for a member user
    client.force_login(world.tech_staff)
    assert 'href="/privacy/me/"' not in client.get(world.acme.get_absolute_url()).content.decode()
    page = client.get("/privacy/me/")  # staff without a person record: told so, not a bare 404
    assert page.status_code == 200
    assert "not linked to a person of an organisation" in page.content.decode()
    client.force_login(world.an_user)
    profile = client.get(world.acme.get_absolute_url()).content.decode()
    assert f'href="/privacy/people/{world.an.pk}/"' in profile
    page = client.get(f"/privacy/people/{world.an.pk}/").content.decode()
    assert f'href="/privacy/people/{world.an.pk}/export.json"' in page
    assert f'href="/privacy/people/{world.an.pk}/erase/"' in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("an_user", 200),  # the person
        ("tech_staff", 200),  # staff responsible for acme
        ("colleague_user", 404),  # a colleague sees contact data on the profile, not the person's export
        ("bob_user", 404),  # another organisation
        ("food_staff", 404),  # staff of another cluster
    ],
)
def test_who_may_export_a_person(client, world, who, status):
    client.force_login(getattr(world, who))
    for path in ("", "export/", "export.json", "erase/"):
        assert client.get(f"/privacy/people/{world.an.pk}/{path}").status_code == status, path


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(f"/privacy/people/{world.an.pk}/export.json")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_staff_profile_page_links_each_person_to_their_data(client, world):
    client.force_login(world.tech_staff)
    profile = client.get(world.acme.get_absolute_url()).content.decode()
    assert f'href="/privacy/people/{world.an.pk}/"' in profile
    client.force_login(world.colleague_user)
    profile = client.get(world.acme.get_absolute_url()).content.decode()
    assert f'href="/privacy/people/{world.an.pk}/"' not in profile


def test_api_export_for_the_person_and_404_for_others(client, world):
    def call(user):
        _token, secret = ApiToken.objects.issue(user, name="tests")
        return client.get(
            f"/api/privacy/people/{world.an.pk}/export", headers={"Authorization": f"Bearer {secret}"}
        )

    own = call(world.an_user)
    assert own.status_code == 200
    assert own.json()["person"]["email"] == "an.peeters@acme.example"
    assert call(world.tech_staff).status_code == 200
    assert call(world.food_staff).status_code == 404
    assert call(world.colleague_user).status_code == 404
    assert client.get(f"/api/privacy/people/{world.an.pk}/export").status_code == 401


def test_letters_keep_the_signatory_link_in_the_export(world):
    LetterOfIntent.objects.create(
        organisation=world.bakery, cluster=world.food, signed_on=dt.date(2025, 1, 1), signatory=world.bob
    )
    assert export_person(world.an)["letters_of_intent_signed"] == []
    assert len(export_person(world.bob)["letters_of_intent_signed"]) == 1
