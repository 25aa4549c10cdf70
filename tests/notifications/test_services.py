"""notify: the inbox always; e-mail at once, in the digest or not at all as the reader chose; the reader's
language; people without an account reached by e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation

from helix.notifications.messages import day, moment, render
from helix.notifications.models import Delivery, Kind, Notification, NotificationSettings, OutgoingMail
from helix.notifications.services import notify, notify_person, once, remember_language, save_preferences
from tests.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PARAMS = {"organisation": "HeatCo", "need": "Waste heat", "offer": "Heat pumps"}
AT = dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)  # 09:00 in Brussels


def test_immediately_writes_the_inbox_and_queues_one_mail_in_the_readers_language(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(username="an", email="an@example.org")
    save_preferences(user, language="nl", deliveries={})
    params = {"organisation": "HeatCo", "event": "Brokerage day", "at": moment(AT, "Europe/Brussels")}

    with django_capture_on_commit_callbacks(execute=True):
        note = notify(user, "events.meeting_cancelled", params, "/agenda/")

    assert (note.kind, note.delivery, note.url) == (Kind.AGENDA, Delivery.IMMEDIATELY, "/agenda/")
    assert note.mailed_at is not None
    (sent,) = mail.outbox
    assert sent.to == ["an@example.org"]
    with translation.override("nl"):
        expected = render("events.meeting_cancelled", params)
    assert sent.subject == expected.title
    assert expected.text in sent.body
    assert "3 december 2026 09:00" in sent.body  # Dutch, in Brussels time (08:00 UTC)
    assert "http://127.0.0.1:8000/agenda/" in sent.body
    assert OutgoingMail.objects.get().language == "nl"


def test_the_inbox_text_is_written_when_read_in_the_readers_language():
    user = UserFactory(username="an")
    params = {"listing": "Heat", "date": day(dt.date(2026, 5, 10))}
    note = notify(user, "market.listing_expiring", params, "/needs-offers/1/")
    assert render(note.message, note.params, "en").title == "“Heat” expires on 10 May 2026"
    assert "10 mai 2026" in render(note.message, note.params, "fr").title


def test_off_writes_the_inbox_and_sends_nothing(django_capture_on_commit_callbacks):
    user = UserFactory(username="an", email="an@example.org")
    save_preferences(user, language="en", deliveries={Kind.MEETING_REQUEST: Delivery.OFF})

    with django_capture_on_commit_callbacks(execute=True):
        note = notify(user, "market.request_received", PARAMS)

    assert Notification.objects.filter(pk=note.pk, delivery=Delivery.OFF, mailed_at=None).exists()
    assert mail.outbox == []
    assert OutgoingMail.objects.count() == 0


def test_digest_leaves_the_mail_for_the_daily_digest(django_capture_on_commit_callbacks):
    user = UserFactory(username="an", email="an@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(user, "market.new_matches", {"listing": "Heat", "count": 1, "titles": ["Pumps"]})
    assert (note.kind, note.delivery, note.mailed_at) == (Kind.MATCH, Delivery.DIGEST, None)  # the default
    assert mail.outbox == []


def test_an_inactive_account_is_told_nothing():
    user = UserFactory(username="gone", is_active=False)
    assert notify(user, "market.request_received", PARAMS) is None
    assert Notification.objects.count() == 0


def test_a_person_without_an_account_gets_the_mail_in_their_organisations_language(
    django_capture_on_commit_callbacks,
):
    person = PersonFactory(
        organisation=OrganisationFactory(working_languages="fr,nl"), email="jo@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_person(person, "market.request_received", PARAMS, "/meetings/") is True
    (sent,) = mail.outbox
    assert sent.to == ["jo@example.org"]
    assert sent.subject == render("market.request_received", PARAMS, "fr").title
    assert OutgoingMail.objects.get().language == "fr"
    assert Notification.objects.count() == 0  # no inbox without an account


def test_a_person_with_an_account_is_told_through_it():
    user = UserFactory(username="an", email="")
    person = PersonFactory(user=user, email="an@work.example.org")
    assert notify_person(person, "market.request_received", PARAMS) is True  # the person's address
    assert Notification.objects.get().recipient == user
    assert OutgoingMail.objects.get().to == "an@work.example.org"


def test_a_person_with_no_address_and_no_account_cannot_be_reached():
    assert notify_person(PersonFactory(email=""), "market.request_received", PARAMS) is False
    assert OutgoingMail.objects.count() == 0


def test_moments_and_days_show_in_the_readers_locale_and_the_events_time_zone():
    params = {"organisation": "HeatCo", "event": "Brokerage day", "at": moment(AT, "Europe/Brussels")}
    assert "3 December 2026, 09:00" in render("events.meeting_cancelled", params, "en").text
    assert "3 december 2026 09:00" in render("events.meeting_cancelled", params, "nl").text
    shown = render("market.listing_expiring", {"listing": "Heat", "date": day(dt.date(2026, 5, 10))}, "de")
    assert "10. Mai 2026" in shown.title


def test_the_language_follows_the_last_one_used_until_one_is_chosen():
    user = UserFactory(username="an")
    remember_language(user, "de")
    assert NotificationSettings.objects.get(user=user).language == "de"
    remember_language(user, "fr-be")
    assert NotificationSettings.objects.get(user=user).language == "fr"
    save_preferences(user, language="nl", deliveries={})
    remember_language(user, "en")
    assert NotificationSettings.objects.get(user=user).language == "nl"


def test_the_page_language_is_remembered_for_mail(client):
    user = UserFactory(username="an")
    client.force_login(user)
    client.get("/notifications/", headers={"accept-language": "de"})
    assert NotificationSettings.objects.get(user=user).language == "de"


def test_once_is_true_the_first_time_only():
    assert once("a:1") is True
    assert once("a:1") is False
    assert once("a:2") is True


def test_the_actors_language_is_not_the_readers(django_capture_on_commit_callbacks):
    """A request made from a Dutch page does not make the person asked read Dutch."""
    user = UserFactory(username="an", email="an@example.org")
    with translation.override("nl"), django_capture_on_commit_callbacks(execute=True):
        notify(
            user,
            "events.meeting_cancelled",
            {"organisation": "HeatCo", "event": "Day", "at": moment(AT, "UTC")},
        )
    assert OutgoingMail.objects.get().language == "en"
    assert NotificationSettings.objects.get(user=user).language == "en"


def test_an_email_at_once_writes_two_rows_and_reads_the_preferences_once():
    """notify does no more in a request than read the reader's choices and write the inbox row and the
    outbox row (the e-mail leaves after commit, from a task)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = UserFactory(username="an", email="an@example.org")
    save_preferences(user, language="nl", deliveries={})
    with CaptureQueriesContext(connection) as queries:
        note = notify(user, "market.request_received", PARAMS, "/meetings/")
    assert [q["sql"].split()[0] for q in queries] == ["SELECT", "INSERT", "INSERT"]
    assert note.mailed_at is not None
    assert OutgoingMail.objects.get().language == "nl"


def test_a_sweep_looks_at_once_then_waits(monkeypatch):
    from helix.notifications import services

    clock = [5.0]  # a machine booted five seconds ago: the first look still runs
    monkeypatch.setattr(services.time, "monotonic", lambda: clock[0])
    sweep = services.Sweep(600)
    assert sweep.due() is True
    clock[0] += 599
    assert sweep.due() is False
    assert sweep.due(force=True) is True
    clock[0] += 600
    assert sweep.due() is True
