"""The lifecycles of an invitation and of a sign-up request, declared as data.

- An **invitation** (someone asked by e-mail to join an organisation): pending -> accepted when the
  invitee opens the link and chooses a password; revoked by whoever may manage it (the cluster staff, or
  the colleague who sent it); expired once its date has passed. A pending or expired invitation may be
  sent again: a new link, a new expiry date, the old link dead.
- A **sign-up request** (someone who asked for an account on their own): unconfirmed until the person
  opens the link sent to the address they gave (so nobody can ask for an account in another's name);
  then pending until staff approve it (the account is created and attached to an organisation) or reject
  it, with a reason.

Roles are relations to the one object being moved: ``manager`` (may manage the invitation or decide the
sign-up: staff of its cluster, or the colleague who invited), ``invitee`` (holds the link sent by
e-mail), ``clock`` (the expiry date has passed).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from helix.core.workflow import Transition, Workflow

MANAGER = "manager"
INVITEE = "invitee"
CLOCK = "clock"

# How long an invitation link works, and how long an unconfirmed sign-up waits for its confirmation.
INVITATION_DAYS = 14
SIGNUP_CONFIRM_DAYS = 3
# How many colleagues one member may invite in a day (staff invite without a daily limit).
COLLEAGUE_INVITATIONS_PER_DAY = 10


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"


class SignupStatus(StrEnum):
    UNCONFIRMED = "unconfirmed"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


_I = InvitationStatus
INVITATION_WORKFLOW = Workflow(
    name="invitation",
    states=tuple(s.value for s in InvitationStatus),
    initial=_I.PENDING,
    transitions=(
        Transition(_I.PENDING, _I.ACCEPTED, frozenset({INVITEE}), "Accept"),
        Transition(_I.PENDING, _I.REVOKED, frozenset({MANAGER}), "Revoke"),
        Transition(_I.PENDING, _I.EXPIRED, frozenset({CLOCK}), "Expire"),
        Transition(_I.PENDING, _I.PENDING, frozenset({MANAGER}), "Send again"),
        Transition(_I.EXPIRED, _I.PENDING, frozenset({MANAGER}), "Send again"),
    ),
)

_S = SignupStatus
SIGNUP_WORKFLOW = Workflow(
    name="sign-up",
    states=tuple(s.value for s in SignupStatus),
    initial=_S.UNCONFIRMED,
    transitions=(
        Transition(_S.UNCONFIRMED, _S.PENDING, frozenset({INVITEE}), "Confirm the e-mail address"),
        Transition(_S.PENDING, _S.APPROVED, frozenset({MANAGER}), "Approve"),
        Transition(_S.PENDING, _S.REJECTED, frozenset({MANAGER}), "Reject"),
    ),
)


def invitation_state(status: str, expires_at: dt.datetime, now: dt.datetime) -> InvitationStatus:
    """The state an invitation is in at ``now``: a pending one whose date has passed has expired, even
    before anyone records it."""
    state = InvitationStatus(status)
    if state is InvitationStatus.PENDING and expires_at <= now:
        return InvitationStatus.EXPIRED
    return state


def invitation_expiry(sent_at: dt.datetime) -> dt.datetime:
    return sent_at + dt.timedelta(days=INVITATION_DAYS)


def colleague_quota_left(sent_in_last_day: int) -> int:
    """How many more colleagues a member may invite now, having sent ``sent_in_last_day`` in 24 hours."""
    return max(0, COLLEAGUE_INVITATIONS_PER_DAY - sent_in_last_day)
