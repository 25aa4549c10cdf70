"""The outbox: mail is rendered in the reader's language, sent after commit by a task, and retried."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from helix.notifications.mail import RETRY_MINUTES, queue_mail, send_due_mail, send_one
from helix.notifications.models import MailStatus, OutgoingMail

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _test_templates(settings):  # type: ignore[no-untyped-def]
    from pathlib import Path

    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [Path(__file__).parent / "templates", *settings.TEMPLATES[0]["DIRS"]],
        }
    ]


TEMPLATE = "notifications/mail/test"


def test_rendered_in_the_readers_language_and_sent_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = queue_mail(
            to="ann@example.org",
            template=TEMPLATE,
            context={"name": "Ann"},
            language="nl",
            attachments=[("agenda.ics", b"BEGIN:VCALENDAR", "text/calendar")],
        )
    assert mail.outbox == []  # nothing leaves before the transaction commits
    assert queued.subject == "Evenementen"
    assert queued.body.strip() == "Evenementen: Ann"
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ann@example.org"]
    assert sent.subject == queued.subject
    assert sent.attachments[0][0] == "agenda.ics"
    assert sent.attachments[0][1] in (b"BEGIN:VCALENDAR", "BEGIN:VCALENDAR")
    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT
    assert queued.attempts == 1
    assert queued.sent_at is not None


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_mail(to="ann@example.org", template=TEMPLATE, context={"name": "Ann"}, language="en")
    # on_commit callbacks are dropped on rollback; none was run here, and nothing was sent
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_failed_send_is_retried_with_growing_pauses_then_given_up(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        queued = queue_mail(to="ann@example.org", template=TEMPLATE, context={"name": "A"}, language="en")
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("refused")):
        assert send_one(queued.pk) == MailStatus.QUEUED
        queued.refresh_from_db()
        assert queued.attempts == 1
        assert "refused" in queued.last_error
        pause = queued.next_attempt_at - timezone.now()
        assert dt.timedelta(minutes=RETRY_MINUTES[0] - 0.1) < pause <= dt.timedelta(minutes=RETRY_MINUTES[0])
        assert send_due_mail() == 0  # not yet due
        later = timezone.now()
        for _ in RETRY_MINUTES:
            later += dt.timedelta(minutes=max(RETRY_MINUTES) + 1)
            send_due_mail(now=later)
    queued.refresh_from_db()
    assert queued.status == MailStatus.FAILED
    assert queued.attempts == len(RETRY_MINUTES) + 1
    assert mail.outbox == []


def test_a_due_retry_is_sent_by_housekeeping(django_capture_on_commit_callbacks):
    from helix.jobs.worker import housekeeping_round

    with django_capture_on_commit_callbacks(execute=False):
        queued = queue_mail(to="bo@example.org", template=TEMPLATE, context={"name": "Bo"}, language="en")
    OutgoingMail.objects.filter(pk=queued.pk).update(
        attempts=1, next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    housekeeping_round()
    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT
    assert len(mail.outbox) == 1


def test_a_sent_mail_is_never_sent_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = queue_mail(to="ann@example.org", template=TEMPLATE, context={"name": "A"}, language="en")
    assert send_one(queued.pk) == MailStatus.SENT
    assert len(mail.outbox) == 1
