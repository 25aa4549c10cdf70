"""Inviting people: who may invite where, an invitation checked, sent, resent and revoked.

Each function takes the acting user explicitly, asks ``helix.people.permissions`` who may act, moves the
invitation along its lifecycle (``helix.core.people.lifecycle``) and queues the e-mail it owes
(``helix.notifications.mail.queue_mail``: rendered in the reader's language, sent after commit, so a
change that rolls back sends nothing). Many invitations at once: invitation_lists; accepting one:
joining; asking for an account: signups; deleting what is stale: retention.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.core.people.lifecycle import (
    INVITATION_WORKFLOW,
    MANAGER,
    InvitationStatus,
    colleague_quota_left,
    invitation_expiry,
)
from helix.notifications.mail import queue_mail
from helix.people.models import Invitation, InvitationKind, new_token
from helix.registry.models import (
    LANGUAGE_CODES,
    Cluster,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
)
from helix.registry.permissions import actor_for, can

User = get_user_model()


def normalise_email(address: str) -> str:
    """Addresses are compared without case; the domain is stored in lower case."""
    local, _at, domain = address.strip().rpartition("@")
    return f"{local}@{domain.lower()}" if local else address.strip()


def _display_name(user: Any) -> str:
    """The name people know someone by: the account's full name, else its person's, else the user name."""
    if user is None:
        return ""
    if user.get_full_name():
        return str(user.get_full_name())
    person = Person.objects.filter(user=user).first()
    return person.full_name if person else str(user.get_username())


def absolute_url(path: str) -> str:
    """``path`` on this site, for a link in an e-mail."""
    return settings.HELIX_SITE_URL.rstrip("/") + path


# -- who may invite where -----------------------------------------------------------------------------------


def inviting_clusters(user: Any) -> QuerySet[Cluster]:
    """Clusters in whose name ``user`` may invite people to a new organisation."""
    actor = actor_for(user)
    clusters = Cluster.objects.prefetch_related("names")
    return clusters if actor.is_superuser else clusters.filter(pk__in=actor.staff_of)


def inviting_organisations(user: Any) -> QuerySet[Organisation]:
    """Existing organisations ``user`` may invite people to as cluster staff: those of their clusters."""
    actor = actor_for(user)
    if actor.is_superuser:
        return Organisation.objects.all()
    if not actor.staff_of:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        Q(pk__in=Membership.objects.filter(cluster_id__in=actor.staff_of).values("organisation_id"))
        | Q(pk__in=Cluster.objects.filter(pk__in=actor.staff_of).values("operator_id"))
    )


def may_invite_colleagues(user: Any) -> bool:
    """A person of an organisation, with a login, may invite colleagues of that organisation."""
    organisation = actor_for(user).organisation
    if organisation is None:
        return False
    return can(user, "create", Invitation(organisation_id=organisation, kind=InvitationKind.COLLEAGUE))


def colleague_invitations_left(user: Any, now: dt.datetime | None = None) -> int:
    since = (now or timezone.now()) - dt.timedelta(days=1)
    sent = Invitation.objects.filter(
        invited_by=user, kind=InvitationKind.COLLEAGUE, sent_at__gte=since
    ).count()
    return colleague_quota_left(sent)


# -- inviting -----------------------------------------------------------------------------------------------


def invitations_in_state(queryset: QuerySet[Invitation], state: str) -> QuerySet[Invitation]:
    """The invitations of ``queryset`` in ``state`` now (a pending one past its date has expired, as
    :func:`~helix.core.people.lifecycle.invitation_state` says); all of them for no state."""
    now = timezone.now()
    if state == InvitationStatus.PENDING:
        return queryset.filter(status=InvitationStatus.PENDING, expires_at__gt=now)
    if state == InvitationStatus.EXPIRED:
        return queryset.filter(
            Q(status=InvitationStatus.EXPIRED) | Q(status=InvitationStatus.PENDING, expires_at__lte=now)
        )
    if state in (InvitationStatus.ACCEPTED, InvitationStatus.REVOKED):
        return queryset.filter(status=state)
    return queryset


def _already_invited(draft: Invitation, now: dt.datetime) -> Invitation | None:
    pending = Invitation.objects.filter(
        email__iexact=draft.email, status=InvitationStatus.PENDING, expires_at__gt=now
    )
    if draft.organisation_id:
        pending = pending.filter(organisation_id=draft.organisation_id)
    else:
        pending = pending.filter(
            organisation__isnull=True,
            organisation_name__iexact=draft.organisation_name,
            cluster_id=draft.cluster_id,
        )
    return pending.first()


def check_invitation(draft: Invitation, by: Any, now: dt.datetime | None = None) -> None:
    """Refuse (ValidationError naming the field) or deny (PermissionDenied) inviting ``draft``."""
    now = now or timezone.now()
    if draft.organisation_id is None:
        if not draft.organisation_name:
            raise ValidationError(
                {"organisation": _("Choose the organisation, or give the name of a new one.")}
            )
        if draft.cluster_id is None:
            raise ValidationError({"cluster": _("Choose the cluster the new organisation joins.")})
    if not can(by, "create", draft):
        raise PermissionDenied(_("You may not invite people to this organisation."))
    if draft.organisation_id is None:
        same_name = inviting_organisations(by).filter(name__iexact=draft.organisation_name).first()
        if same_name is not None:
            raise ValidationError(
                {
                    "new_organisation": _(
                        "%(name)s is already in the registry: choose it in the list of organisations."
                    )
                    % {"name": same_name.name}
                }
            )
    if (
        draft.organisation_id
        and Person.objects.filter(
            organisation_id=draft.organisation_id, email__iexact=draft.email, user__isnull=False
        ).exists()
    ):
        raise ValidationError(
            {"email": _("%(email)s already has an account in this organisation.") % {"email": draft.email}}
        )
    if _already_invited(draft, now) is not None:
        raise ValidationError(
            {
                "email": _(
                    "%(email)s is already invited and the link still works; send it again from the "
                    "list of invitations if the e-mail was lost."
                )
                % {"email": draft.email}
            }
        )


@transaction.atomic
def invite(
    *,
    by: Any,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Organisation | None = None,
    new_organisation: str = "",
    organisation_kind: str = OrganisationKind.COMPANY,
    cluster: Cluster | None = None,
    language: str = "en",
    job_title: str = "",
    message: str = "",
    kind: str = InvitationKind.STAFF,
) -> Invitation:
    """Invite one person and e-mail them the link (after commit)."""
    now = timezone.now()
    draft = Invitation(
        email=normalise_email(email),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        organisation=organisation,
        organisation_name="" if organisation else " ".join(new_organisation.split()),
        organisation_kind=organisation_kind,
        cluster=None if organisation else cluster,
        kind=kind,
        language=language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE,
        job_title=job_title.strip(),
        message=message.strip(),
        invited_by=by,
        sent_at=now,
        expires_at=invitation_expiry(now),
    )
    if kind == InvitationKind.COLLEAGUE:
        if draft.organisation_id is None or draft.organisation_id != actor_for(by).organisation:
            raise PermissionDenied(_("You may invite colleagues of your own organisation only."))
        if colleague_invitations_left(by, now) <= 0:
            raise ValidationError(
                _("You have sent the most invitations allowed in a day. Try again tomorrow.")
            )
    check_invitation(draft, by, now)
    token, draft.token_hash = new_token()
    draft.save()
    _send_invitation(draft, token)
    return draft


def _inviting_cluster_names(invitation: Invitation) -> list[str]:
    """The clusters the invitation comes from: the new organisation's, else those of the organisation
    that the inviter is staff of (none for a colleague)."""
    if invitation.cluster_id:
        return [invitation.cluster.current_name]
    if invitation.kind == InvitationKind.COLLEAGUE or invitation.organisation_id is None:
        return []
    actor = actor_for(invitation.invited_by)
    clusters = Cluster.objects.filter(memberships__organisation_id=invitation.organisation_id)
    if not actor.is_superuser:
        clusters = clusters.filter(pk__in=actor.staff_of)
    return [c.current_name for c in clusters.prefetch_related("names").distinct()]


def invitation_context(invitation: Invitation) -> dict[str, Any]:
    """What the e-mail and the invitation page say about who invites whom, where."""
    return {
        "invitation": invitation,
        "inviter": _display_name(invitation.invited_by),
        "organisation_name": invitation.organisation_label,
        "clusters": _inviting_cluster_names(invitation),
        "colleague": invitation.kind == InvitationKind.COLLEAGUE,
    }


def _send_invitation(invitation: Invitation, token: str) -> None:
    queue_mail(
        to=invitation.email,
        template="people/mail/invitation",
        context={
            **invitation_context(invitation),
            "link": absolute_url(reverse("people:accept", args=[token])),
            "expires_at": invitation.expires_at,
        },
        language=invitation.language,
        kind="invitation",
    )


def _manage(invitation: Invitation, by: Any, action: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation").get(pk=invitation.pk)
    )
    if not can(by, action, invitation):
        raise PermissionDenied(_("You may not change this invitation."))
    return invitation


@transaction.atomic
def resend(invitation: Invitation, *, by: Any) -> Invitation:
    """Send again with a new link (the old one stops working) and a new expiry date."""
    invitation = _manage(invitation, by, "resend")
    now = timezone.now()
    INVITATION_WORKFLOW.check(invitation.state(now), InvitationStatus.PENDING, {MANAGER})
    if (
        invitation.kind == InvitationKind.COLLEAGUE
        and not actor_for(by).staff_of
        and colleague_invitations_left(by, now) <= 0
    ):
        raise ValidationError(_("You have sent the most invitations allowed in a day. Try again tomorrow."))
    token, invitation.token_hash = new_token()
    invitation.status = InvitationStatus.PENDING
    invitation.sent_at, invitation.expires_at = now, invitation_expiry(now)
    invitation.times_sent += 1
    invitation.save(update_fields=["token_hash", "status", "sent_at", "expires_at", "times_sent"])
    _send_invitation(invitation, token)
    return invitation


@transaction.atomic
def revoke(invitation: Invitation, *, by: Any) -> Invitation:
    invitation = _manage(invitation, by, "revoke")
    INVITATION_WORKFLOW.check(invitation.state(), InvitationStatus.REVOKED, {MANAGER})
    invitation.status = InvitationStatus.REVOKED
    invitation.closed_at, invitation.closed_by = timezone.now(), by
    invitation.save(update_fields=["status", "closed_at", "closed_by"])
    return invitation
