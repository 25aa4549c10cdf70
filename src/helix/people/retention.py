"""Retention: what the people app deletes once nobody needs it (the worker's daily housekeeping)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from helix.core.people.lifecycle import (
    SIGNUP_CONFIRM_DAYS,
    InvitationStatus,
    SignupStatus,
)
from helix.notifications.services import Sweep
from helix.people.models import Invitation, SignupRequest

User = get_user_model()


KEEP_CLOSED_DAYS = 180  # a rejected sign-up, an expired or revoked invitation: kept this long, then deleted
_retention_sweep = Sweep(24 * 3600.0)


def forget_stale(now: dt.datetime | None = None, *, force: bool = False) -> dict[str, int]:
    """Delete what nobody needs any more (once a day, from the worker's housekeeping round): a sign-up
    never confirmed (its link expired; it holds an address and a password hash), and after
    :data:`KEEP_CLOSED_DAYS` a rejected sign-up and an invitation that expired or was revoked. Accepted
    invitations and approved sign-ups stay: they say how a person came in. Returns the counts."""
    if not _retention_sweep.due(force=force):
        return {}
    now = now or timezone.now()
    closed_before = now - dt.timedelta(days=KEEP_CLOSED_DAYS)
    unconfirmed = SignupRequest.objects.filter(
        status=SignupStatus.UNCONFIRMED, created_at__lte=now - dt.timedelta(days=SIGNUP_CONFIRM_DAYS)
    )
    rejected = SignupRequest.objects.filter(status=SignupStatus.REJECTED, decided_at__lte=closed_before)
    invitations = Invitation.objects.filter(
        Q(status=InvitationStatus.REVOKED, closed_at__lte=closed_before)
        | Q(status__in=(InvitationStatus.PENDING, InvitationStatus.EXPIRED), expires_at__lte=closed_before)
    )
    return {
        "unconfirmed_signups": unconfirmed.delete()[0],
        "rejected_signups": rejected.delete()[0],
        "closed_invitations": invitations.delete()[0],
    }
