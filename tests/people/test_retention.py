"""Integration: what nobody needs any more is deleted by the worker's daily housekeeping: sign-ups never
confirmed, rejected sign-ups and closed invitations after KEEP_CLOSED_DAYS, old mail in the outbox; what
says how a person came in stays, and nothing is deleted early."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from helix.core.people.lifecycle import SIGNUP_CONFIRM_DAYS, InvitationStatus, SignupStatus
from helix.notifications.models import MailStatus, OutgoingMail
from helix.notifications.services import KEEP_MAIL_DAYS, forget_old_mail
from helix.people.models import Invitation, SignupRequest
from helix.people.retention import KEEP_CLOSED_DAYS, forget_stale
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


def days_ago(n: float) -> dt.datetime:
    return NOW - dt.timedelta(days=n)


def signup(name: str, status: str, created: dt.datetime, decided: dt.datetime | None = None) -> None:
    row = SignupRequest.objects.create(
        first_name=name, last_name="X", email=f"{name}@example.org", status=status, decided_at=decided
    )
    SignupRequest.objects.filter(pk=row.pk).update(created_at=created)


def invitation(name: str, status: str, expires: dt.datetime, closed: dt.datetime | None = None) -> None:
    Invitation.objects.create(
        email=f"{name}@example.org",
        first_name=name,
        last_name="X",
        organisation=OrganisationFactory(),
        token_hash=f"{name:0<64}",
        status=status,
        expires_at=expires,
        closed_at=closed,
    )


def test_stale_sign_ups_and_closed_invitations_go_and_the_rest_stays():
    keep, late = KEEP_CLOSED_DAYS, KEEP_CLOSED_DAYS + 1
    signup("fresh", SignupStatus.UNCONFIRMED, days_ago(SIGNUP_CONFIRM_DAYS - 1))
    signup("lapsed", SignupStatus.UNCONFIRMED, days_ago(SIGNUP_CONFIRM_DAYS + 0.1))
    signup("waiting", SignupStatus.PENDING, days_ago(400))  # staff have not decided: never deleted
    signup("approved", SignupStatus.APPROVED, days_ago(400), days_ago(400))
    signup("rejected_recently", SignupStatus.REJECTED, days_ago(400), days_ago(keep - 1))
    signup("rejected_long_ago", SignupStatus.REJECTED, days_ago(400), days_ago(late))
    invitation("open", InvitationStatus.PENDING, days_ago(-3))
    invitation("lapsed_recently", InvitationStatus.PENDING, days_ago(keep - 1))
    invitation("lapsed_long_ago", InvitationStatus.PENDING, days_ago(late))
    invitation("expired_long_ago", InvitationStatus.EXPIRED, days_ago(late))
    invitation("revoked_recently", InvitationStatus.REVOKED, days_ago(late), days_ago(keep - 1))
    invitation("revoked_long_ago", InvitationStatus.REVOKED, days_ago(late), days_ago(late))
    invitation("accepted", InvitationStatus.ACCEPTED, days_ago(400), days_ago(400))

    assert forget_stale(NOW, force=True) == {
        "unconfirmed_signups": 1,
        "rejected_signups": 1,
        "closed_invitations": 3,
    }

    assert sorted(SignupRequest.objects.values_list("first_name", flat=True)) == [
        "approved",
        "fresh",
        "rejected_recently",
        "waiting",
    ]
    assert sorted(Invitation.objects.values_list("first_name", flat=True)) == [
        "accepted",
        "lapsed_recently",
        "open",
        "revoked_recently",
    ]
    assert forget_stale(NOW) == {}  # looked at once a day: the next round does nothing


def test_the_outbox_forgets_old_sent_and_failed_mail_but_never_queued_mail():
    def mail(subject: str, status: str, created: dt.datetime, sent: dt.datetime | None = None) -> None:
        row = OutgoingMail.objects.create(
            to="a@example.org", subject=subject, body="…", language="en", status=status, sent_at=sent
        )
        OutgoingMail.objects.filter(pk=row.pk).update(created_at=created)

    mail("sent long ago", MailStatus.SENT, days_ago(KEEP_MAIL_DAYS + 2), days_ago(KEEP_MAIL_DAYS + 1))
    mail("sent lately", MailStatus.SENT, days_ago(KEEP_MAIL_DAYS + 2), days_ago(KEEP_MAIL_DAYS - 1))
    mail("failed long ago", MailStatus.FAILED, days_ago(KEEP_MAIL_DAYS + 1))
    mail("failed lately", MailStatus.FAILED, days_ago(KEEP_MAIL_DAYS - 1))
    mail("still queued", MailStatus.QUEUED, days_ago(KEEP_MAIL_DAYS * 3))

    assert forget_old_mail(NOW, force=True) == 2
    assert sorted(OutgoingMail.objects.values_list("subject", flat=True)) == [
        "failed lately",
        "sent lately",
        "still queued",
    ]


def test_the_worker_housekeeping_round_runs_the_retention(monkeypatch):
    from helix.jobs.worker import housekeeping_round
    from helix.people import retention

    monkeypatch.setattr(retention, "_retention_sweep", retention.Sweep(24 * 3600.0))  # not yet run here
    signup("lapsed", SignupStatus.UNCONFIRMED, timezone.now() - dt.timedelta(days=SIGNUP_CONFIRM_DAYS + 1))
    housekeeping_round()
    assert not SignupRequest.objects.exists()
