"""The daily digest: one e-mail per person per day of the site, from HELIX_DIGEST_HOUR, never twice."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from helix.notifications.models import Delivery, Kind, Notification, NotificationSettings, OutgoingMail
from helix.notifications.services import notify, save_preferences, send_digests
from tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

BRUSSELS = ZoneInfo("Europe/Brussels")
MATCH = {"listing": "Waste heat", "count": 1, "titles": ["Heat pumps"]}


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, 0, tzinfo=BRUSSELS)


@pytest.fixture
def waiting(settings):  # type: ignore[no-untyped-def]
    settings.HELIX_DIGEST_HOUR = 7
    user = UserFactory(username="an", email="an@example.org")
    notify(user, "market.new_matches", MATCH, "/needs-offers/1/")
    notify(user, "market.new_matches", {**MATCH, "listing": "Cold storage"}, "/needs-offers/2/")
    Notification.objects.update(created_at=at(3, 5))
    return user


def test_the_digest_waits_for_the_hour_then_goes_once_a_day(waiting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(at(3, 6)) == 0  # before 07:00 in Brussels
        assert send_digests(at(3, 7)) == 1
        assert send_digests(at(3, 8)) == 0  # the same day: nothing more
        assert send_digests(at(3, 23)) == 0

    (sent,) = mail.outbox
    assert sent.to == ["an@example.org"]
    assert sent.subject == "Helix: 2 new notifications"
    assert "New matches for “Waste heat”" in sent.body
    assert "1 new counterpart matches your listing “Waste heat”: Heat pumps." in sent.body
    assert "New matches for “Cold storage”" in sent.body
    assert "http://127.0.0.1:8000/needs-offers/2/" in sent.body
    assert Notification.objects.filter(digested_at=None).count() == 0
    assert NotificationSettings.objects.get(user=waiting).last_digest_on == dt.date(2026, 12, 3)


def test_the_next_day_brings_only_what_is_new(waiting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(at(3, 7))
        notify(waiting, "market.new_matches", {**MATCH, "listing": "Steam"}, "/needs-offers/3/")
        Notification.objects.filter(digested_at=None).update(created_at=at(3, 12))
        assert send_digests(at(3, 13)) == 0  # already sent today
        assert send_digests(at(4, 7)) == 1

    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == "Helix: 1 new notification"
    assert "Steam" in mail.outbox[1].body
    assert "Waste heat" not in mail.outbox[1].body


def test_nothing_waiting_sends_nothing(settings, django_capture_on_commit_callbacks):
    settings.HELIX_DIGEST_HOUR = 0
    user = UserFactory(username="an", email="an@example.org")
    save_preferences(user, language="en", deliveries={Kind.MATCH: Delivery.OFF})
    with django_capture_on_commit_callbacks(execute=True):
        notify(user, "market.new_matches", MATCH)  # off: never in a digest
        assert send_digests(at(3, 9)) == 0
    assert mail.outbox == []


def test_the_digest_is_written_in_the_readers_language(waiting, django_capture_on_commit_callbacks):
    save_preferences(waiting, language="de", deliveries={})
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(at(3, 7))
    assert len(mail.outbox) == 1
    assert OutgoingMail.objects.get().language == "de"


def test_the_worker_housekeeping_round_sends_the_digest(
    waiting, settings, django_capture_on_commit_callbacks
):
    from helix.jobs.worker import housekeeping_round

    settings.HELIX_DIGEST_HOUR = 0
    with django_capture_on_commit_callbacks(execute=True):
        housekeeping_round()
        housekeeping_round()
    assert [m.subject for m in mail.outbox] == ["Helix: 2 new notifications"]


def test_one_persons_many_notifications_do_not_hold_back_the_others(
    settings, django_capture_on_commit_callbacks
):
    settings.HELIX_DIGEST_HOUR = 7
    busy = UserFactory(username="busy", email="b@example.org")
    quiet = UserFactory(username="quiet", email="q@example.org")
    notify(quiet, "market.new_matches", MATCH)
    Notification.objects.bulk_create(
        Notification(recipient=busy, kind=Kind.MATCH, message="market.new_matches", delivery=Delivery.DIGEST)
        for _ in range(600)
    )
    Notification.objects.update(created_at=at(3, 5))
    Notification.objects.filter(recipient=quiet).update(created_at=at(3, 4))  # the oldest
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(at(3, 7)) == 2  # one round reaches every person waiting, however busy one is
    assert sorted(m.to[0] for m in mail.outbox) == ["b@example.org", "q@example.org"]
