"""Unit: the invitation and sign-up lifecycles, as declared in helix.core.people.lifecycle."""

from __future__ import annotations

import datetime as dt

import pytest

from helix.core.people.lifecycle import (
    CLOCK,
    COLLEAGUE_INVITATIONS_PER_DAY,
    INVITATION_WORKFLOW,
    INVITEE,
    MANAGER,
    SIGNUP_WORKFLOW,
    InvitationStatus,
    SignupStatus,
    colleague_quota_left,
    invitation_expiry,
    invitation_state,
)
from helix.core.workflow import TransitionNotAllowed

pytestmark = pytest.mark.unit

I, S = InvitationStatus, SignupStatus  # noqa: E741 - the two lifecycles, briefly
NOW = dt.datetime(2026, 5, 10, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("source", "target", "role"),
    [
        (I.PENDING, I.ACCEPTED, INVITEE),
        (I.PENDING, I.REVOKED, MANAGER),
        (I.PENDING, I.EXPIRED, CLOCK),
        (I.PENDING, I.PENDING, MANAGER),
        (I.EXPIRED, I.PENDING, MANAGER),
    ],
)
def test_each_invitation_move_is_allowed_to_its_role_only(source, target, role):
    assert INVITATION_WORKFLOW.check(source, target, {role}).target == target
    for other in {INVITEE, MANAGER, CLOCK} - {role}:
        with pytest.raises(TransitionNotAllowed):
            INVITATION_WORKFLOW.check(source, target, {other})


@pytest.mark.parametrize("closed", [I.ACCEPTED, I.REVOKED])
def test_an_accepted_or_revoked_invitation_never_moves_again(closed):
    for target in InvitationStatus:
        with pytest.raises(TransitionNotAllowed):
            INVITATION_WORKFLOW.check(closed, target, {INVITEE, MANAGER, CLOCK})


def test_an_expired_invitation_cannot_be_accepted_or_revoked():
    for target in (I.ACCEPTED, I.REVOKED):
        with pytest.raises(TransitionNotAllowed):
            INVITATION_WORKFLOW.check(I.EXPIRED, target, {INVITEE, MANAGER, CLOCK})


def test_a_sign_up_is_confirmed_by_its_owner_then_decided_by_staff():
    assert SIGNUP_WORKFLOW.check(S.UNCONFIRMED, S.PENDING, {INVITEE}).target == S.PENDING
    assert SIGNUP_WORKFLOW.check(S.PENDING, S.APPROVED, {MANAGER}).target == S.APPROVED
    assert SIGNUP_WORKFLOW.check(S.PENDING, S.REJECTED, {MANAGER}).target == S.REJECTED
    for source, target, role in [
        (S.UNCONFIRMED, S.APPROVED, MANAGER),  # staff never decide an unconfirmed request
        (S.PENDING, S.APPROVED, INVITEE),  # the person does not approve themselves
        (S.APPROVED, S.REJECTED, MANAGER),
        (S.REJECTED, S.APPROVED, MANAGER),
    ]:
        with pytest.raises(TransitionNotAllowed):
            SIGNUP_WORKFLOW.check(source, target, {role})


def test_a_pending_invitation_past_its_date_is_expired():
    expires = invitation_expiry(NOW)
    assert expires == NOW + dt.timedelta(days=14)
    assert invitation_state("pending", expires, expires - dt.timedelta(seconds=1)) is I.PENDING
    assert invitation_state("pending", expires, expires) is I.EXPIRED
    assert invitation_state("accepted", expires, expires + dt.timedelta(days=1)) is I.ACCEPTED
    assert invitation_state("revoked", expires, expires + dt.timedelta(days=1)) is I.REVOKED


def test_the_colleague_quota_counts_down_to_zero():
    assert colleague_quota_left(0) == COLLEAGUE_INVITATIONS_PER_DAY
    assert colleague_quota_left(COLLEAGUE_INVITATIONS_PER_DAY - 1) == 1
    assert colleague_quota_left(COLLEAGUE_INVITATIONS_PER_DAY + 5) == 0
