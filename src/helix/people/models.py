"""Bringing people in: invitations sent by e-mail, and sign-up requests that staff approve.

Links are single-use secrets: only a SHA-256 digest of the token is stored (``token_hash``), the token
itself travels once, in the e-mail. Sending an invitation again makes a new token, so the old link dies.
The lifecycles are declared in :mod:`helix.core.people.lifecycle` and enforced in ``services.py``.

A sign-up creates no account until staff approve it (see ``SignupRequest``).
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helix.core.people.lifecycle import InvitationStatus, SignupStatus, invitation_state
from helix.registry.models import LANGUAGES, Cluster, Organisation, OrganisationKind, Person


def new_token() -> tuple[str, str]:
    """A fresh link token and the digest stored for it."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


INVITATION_STATUS_LABELS = {
    InvitationStatus.PENDING: _("Pending"),
    InvitationStatus.ACCEPTED: _("Accepted"),
    InvitationStatus.REVOKED: _("Revoked"),
    InvitationStatus.EXPIRED: _("Expired"),
}
SIGNUP_STATUS_LABELS = {
    SignupStatus.UNCONFIRMED: _("E-mail not confirmed"),
    SignupStatus.PENDING: _("Waiting for approval"),
    SignupStatus.APPROVED: _("Approved"),
    SignupStatus.REJECTED: _("Rejected"),
}


class InvitationKind(models.TextChoices):
    STAFF = "staff", _("Invited by cluster staff")
    COLLEAGUE = "colleague", _("Invited by a colleague")


class _Newcomer:
    """A person joining an organisation: an existing one (``organisation``) or one named only
    (``organisation_name``)."""

    first_name: str
    last_name: str
    organisation: Organisation | None
    organisation_id: int | None
    organisation_name: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def organisation_label(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name


class Invitation(_Newcomer, models.Model):
    """Someone asked by e-mail to join an organisation: an existing one, or one to create on acceptance
    (``organisation_name`` in ``cluster``; every pending invitation naming it then points to it)."""

    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    organisation_name = models.CharField(_("new organisation"), max_length=200, blank=True)
    organisation_kind = models.CharField(
        _("kind"), max_length=30, choices=OrganisationKind.choices, default=OrganisationKind.COMPANY
    )
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    kind = models.CharField(max_length=10, choices=InvitationKind.choices, default=InvitationKind.STAFF)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="en")
    job_title = models.CharField(_("job title or role"), max_length=150, blank=True)
    message = models.TextField(_("personal message"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        max_length=10,
        choices=[(s.value, label) for s, label in INVITATION_STATUS_LABELS.items()],
        default=InvitationStatus.PENDING,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(default=timezone.now)
    times_sent = models.PositiveSmallIntegerField(default=1)
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)  # accepted or revoked
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False)
                | (~Q(organisation_name="") & Q(cluster__isnull=False)),
                name="invitation_names_an_organisation",
            )
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["invited_by", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}> → {self.organisation_label}"

    def state(self, now=None) -> InvitationStatus:  # type: ignore[no-untyped-def]
        return invitation_state(self.status, self.expires_at, now or timezone.now())

    @property
    def state_label(self) -> str:
        return str(INVITATION_STATUS_LABELS[self.state()])


class SignupRequest(_Newcomer, models.Model):
    """Someone who asked for an account on the public form.

    No user account exists until staff approve: an inactive account would hold an e-mail address and a
    user name that nobody has checked (a stranger could take a colleague's address, or fill the user table
    with junk), and it could be switched on by mistake. The request keeps the password's hash (Django's
    hasher, never the password), so the approved person logs in with the password they chose; the hash is
    dropped when the request is decided. The address is confirmed first (a link sent to it), so staff only
    see requests from people who read that mailbox.
    """

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="signup_requests"
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="signup_requests"
    )
    message = models.TextField(_("message"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="en")
    password_hash = models.CharField(max_length=256, blank=True, editable=False)
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(
        max_length=12,
        choices=[(s.value, label) for s, label in SIGNUP_STATUS_LABELS.items()],
        default=SignupStatus.UNCONFIRMED,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("sign-up request")
        verbose_name_plural = _("sign-up requests")
        constraints = [
            models.UniqueConstraint(
                fields=["token_hash"], condition=~Q(token_hash=""), name="signup_unique_token"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}> ({self.status})"

    @property
    def status_label(self) -> str:
        return str(SIGNUP_STATUS_LABELS[SignupStatus(self.status)])
