"""Integration: erasure from the pages (confirmation, then POST), the API and the CLI; export from the CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from django.contrib.messages import get_messages

from helix.api.models import ApiToken
from helix.cli import main
from helix.events.schedules import published_schedule
from helix.privacy import erasure
from helix.privacy.models import ConsentRecord, ErasureRecord
from helix.registry.models import Person
from tests.privacy.conftest import published_event

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _no_audit_scrubber(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(erasure, "_audit_scrubber", lambda: None)


def test_erase_page_says_what_will_go_and_erases_only_on_post(client, world):
    client.force_login(world.tech_staff)

    page = client.get(f"/privacy/people/{world.an.pk}/erase/")

    assert page.status_code == 200
    assert page.context["removed"] == [
        f"First and last name (now “Erased person #{world.an.pk}”)",
        "E-mail address",
        "Phone number",
        "Job title",
        "Consent to be contacted (withdrawn)",
        "Consent to appear on the public profile (withdrawn)",
        "User account (deactivated, its name and e-mail removed, unlinked)",
        "Audit trail: no scrubber installed, nothing scrubbed",
    ]
    world.an.refresh_from_db()
    assert world.an.last_name == "Peeters"

    done = client.post(f"/privacy/people/{world.an.pk}/erase/")

    assert done.status_code == 200
    assert done.context["removed"] == page.context["removed"]
    world.an.refresh_from_db()
    assert world.an.full_name == f"Erased person #{world.an.pk}"
    assert ErasureRecord.objects.get().by == world.tech_staff


def test_a_member_erases_themself_and_is_logged_out(client, world):
    client.force_login(world.an_user)

    done = client.post(f"/privacy/people/{world.an.pk}/erase/")

    assert done.status_code == 200
    assert "Your account is closed and you are logged out." in done.content.decode()
    assert ErasureRecord.objects.get().how == "self_service"
    assert client.get("/privacy/me/").status_code == 302  # to the login page: no longer logged in
    assert not client.login(username="an-user", password="correct horse battery staple")


def test_erase_page_refuses_a_published_schedule_participant_unless_rescheduled(client):
    event = published_event()
    first = event.people[0]
    client.force_login(event.setup.organiser)

    page = client.get(f"/privacy/people/{first.pk}/erase/")
    assert [e.title for e in page.context["scheduled_events"]] == ["Brokerage day"]
    assert page.context["may_reschedule"] is True
    assert 'name="reschedule"' in page.content.decode()

    refused = client.post(f"/privacy/people/{first.pk}/erase/")
    assert refused.url == f"/privacy/people/{first.pk}/erase/"
    (message,) = [str(m) for m in get_messages(refused.wsgi_request)]
    assert message.startswith("This person has meetings in the published schedule of “Brokerage day”.")
    assert Person.objects.get(pk=first.pk).last_name == "U0"

    done = client.post(f"/privacy/people/{first.pk}/erase/", {"reschedule": "on"})
    assert done.status_code == 200
    assert (
        "Meetings in published schedules (2), re-published with a notice to the other side"
        in (done.context["removed"])
    )
    assert published_schedule(event.setup.event).sequence == 1
    event_page = client.get(f"/events/{event.setup.event.pk}/").content.decode()
    assert (
        "Published again without the 2 meetings of a participant who withdrew; everyone else keeps their "
        "slot and table." in event_page
    )


def test_the_person_cannot_reschedule_and_is_told_to_ask_the_organiser(client):
    event = published_event()
    first = event.people[0]
    client.force_login(first.user)

    page = client.get(f"/privacy/people/{first.pk}/erase/")

    assert page.context["may_reschedule"] is False
    assert 'name="reschedule"' not in page.content.decode()
    assert "Only the organiser of these events can re-schedule them" in page.content.decode()


def test_api_erasure_refuses_with_a_code_then_reschedules(client):
    event = published_event()
    first = event.people[0]
    _token, secret = ApiToken.objects.issue(event.setup.organiser, name="tests")
    headers = {"Authorization": f"Bearer {secret}"}
    url = f"/api/privacy/people/{first.pk}/erase"

    refused = client.post(url, {}, content_type="application/json", headers=headers)
    done = client.post(url, {"reschedule": True}, content_type="application/json", headers=headers)

    assert refused.status_code == 409
    assert refused.json()["code"] == "published_schedule"
    assert done.status_code == 200
    body = done.json()
    assert body["person_id"] == first.pk
    assert [item["code"] for item in body["removed"]] == [
        "name",
        "email",
        "user_account",
        "published_meetings",
        "audit_unavailable",
    ]
    assert body["kept"]["meetings"] == 2
    assert ErasureRecord.objects.get().how == "api"


def test_api_consent_history_and_erasure_are_404_for_others(client, world):
    _token, secret = ApiToken.objects.issue(world.food_staff, name="tests")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"/api/privacy/people/{world.an.pk}/consents", headers=headers).status_code == 404
    response = client.post(
        f"/api/privacy/people/{world.an.pk}/erase", {}, content_type="application/json", headers=headers
    )
    assert response.status_code == 404
    assert Person.objects.get(pk=world.an.pk).last_name == "Peeters"


def test_cli_exports_by_id_or_email(world, tmp_path):
    runner = CliRunner()

    by_email = runner.invoke(main, ["privacy", "export", "AN.PEETERS@acme.example"])
    to_file = runner.invoke(main, ["privacy", "export", str(world.an.pk), "-o", str(tmp_path / "an.json")])
    missing = runner.invoke(main, ["privacy", "export", "nobody@example.org"])

    assert by_email.exit_code == 0, by_email.output
    assert json.loads(by_email.stdout)["person"]["email"] == "an.peeters@acme.example"
    assert to_file.exit_code == 0
    assert json.loads((tmp_path / "an.json").read_text())["person"]["id"] == world.an.pk
    assert missing.exit_code == 1
    assert "no person 'nobody@example.org'" in missing.output


def test_cli_erase_refuses_then_reschedules_and_lists_what_was_removed():
    event = published_event()
    first = event.people[0]
    runner = CliRunner()

    refused = runner.invoke(main, ["privacy", "erase", str(first.pk), "--yes"])
    done = runner.invoke(main, ["privacy", "erase", str(first.pk), "--yes", "--reschedule"])

    assert refused.exit_code == 1
    assert "refused [published_schedule]" in refused.output
    assert "(use --reschedule)" in refused.output
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[:3] == [
        f"Person #{first.pk} erased. Removed:",
        f"  - First and last name (now “Erased person #{first.pk}”)",
        "  - E-mail address",
    ]
    assert (
        "  - Meetings in published schedules (2), re-published with a notice to the other side" in done.output
    )
    record = ErasureRecord.objects.get()
    assert (record.by, record.how) == (None, "cli")


def test_cli_consent_history(world):
    ConsentRecord.objects.create(person=world.an, consent="newsletter", given=True, how="cli", note="asked")
    result = CliRunner().invoke(main, ["privacy", "consents", "an.peeters@acme.example"])
    assert result.exit_code == 0
    (line,) = result.output.splitlines()
    assert line.split()[2:] == ["newsletter", "given", "-", "cli", "asked"]
