"""Integration: what Helix kept of how a person came in and what it told them (invitations, requests for
an account and to events, notifications and their preferences, the e-mails in the outbox) is in their
export, and their erasure deletes it; another person's rows stay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from helix.events.models import EventSignup
from helix.notifications.models import Notification, NotificationSettings, OutgoingMail
from helix.people.models import Invitation, SignupRequest
from helix.privacy.erasure import erase_person, erasure_plan, removal_label
from helix.privacy.export import export_person
from tests.events.helpers import small_event

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def event():  # type: ignore[no-untyped-def]
    return small_event(["HeatCo"], slots=1, tables=1).event


def _arrival(world, event, email: str, user, token: str):  # type: ignore[no-untyped-def]
    """One of each row addressed to ``email`` / ``user``."""
    Invitation.objects.create(
        email=email.upper(),  # addresses are matched without case
        first_name="X",
        last_name="Y",
        organisation=world.acme,
        message=f"Welcome {token}",
        token_hash=f"{token:0<64}",
        expires_at=timezone.now() + dt.timedelta(days=14),
        invited_by=world.tech_staff,
    )
    SignupRequest.objects.create(
        first_name="X", last_name="Y", email=email, organisation_name="Acme", message=f"Let me in {token}"
    )
    EventSignup.objects.create(event=event, first_name="X", last_name="Y", email=email, organisation_name="A")
    Notification.objects.create(
        recipient=user, kind="match", message="market.new_matches", params={"n": token}
    )
    NotificationSettings.objects.update_or_create(user=user, defaults={"language": "nl"})
    OutgoingMail.objects.create(to=email, subject=f"Your agenda {token}", body="…", language="en")


def test_the_export_holds_invitations_requests_notifications_and_mails_of_the_person_only(world, event):
    _arrival(world, event, world.an.email, world.an_user, "an")
    _arrival(world, event, world.bob.email, world.bob_user, "bob")

    data = export_person(world.an)

    assert [i["message"] for i in data["invitations_received"]] == ["Welcome an"]
    assert data["invitations_received"][0]["invited_by"] == "tech-staff"
    assert [r["message"] for r in data["signup_requests"]] == ["Let me in an"]
    assert len(data["event_signups"]) == 1
    assert [n["params"] for n in data["notifications"]] == [{"n": "an"}]
    assert data["notification_settings"]["language"] == "nl"
    assert [m["subject"] for m in data["mails"]] == ["Your agenda an"]


def test_erasure_deletes_them_says_so_and_leaves_another_persons(world, event):
    _arrival(world, event, world.an.email, world.an_user, "an")
    _arrival(world, event, world.bob.email, world.bob_user, "bob")
    before = {
        m: m.objects.count() for m in (Invitation, SignupRequest, EventSignup, Notification, OutgoingMail)
    }

    planned = {item["code"]: item.get("count") for item in erasure_plan(world.an).removed}
    assert {
        k: planned[k] for k in ("invitations", "signup_requests", "event_signups", "notifications", "mails")
    } == {
        "invitations": 1,
        "signup_requests": 1,
        "event_signups": 1,
        "notifications": 1,
        "mails": 1,
    }
    record = erase_person(world.an, world.tech_staff)

    assert {m: m.objects.count() for m in before} == {m: n - 1 for m, n in before.items()}
    assert not Invitation.objects.filter(message__contains="an").exclude(message__contains="bob").exists()
    assert not OutgoingMail.objects.filter(subject="Your agenda an").exists()
    assert NotificationSettings.objects.filter(user=world.bob_user).exists()
    assert not NotificationSettings.objects.filter(user=world.an_user).exists()
    lines = [removal_label(item, world.an.pk) for item in record.removed]
    assert "E-mails sent to them, kept in the outbox (1 deleted)" in lines
    assert "Invitations sent to them (1 deleted)" in lines
