"""Accepting an invitation: with a new account or an existing one, joining the organisation (or the new one
the invitation names) and its cluster; the invitation is closed as accepted. helix.people.signups makes
accounts and organisations the same way."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.core.people.lifecycle import (
    CLOCK,
    INVITATION_WORKFLOW,
    INVITEE,
    InvitationStatus,
)
from helix.core.registry.ladder import EngagementLevel
from helix.people.models import Invitation, token_digest
from helix.registry.models import (
    Cluster,
    Membership,
    MembershipChange,
    Organisation,
    Person,
)
from helix.registry.services import refresh_search_text, unique_slug

User = get_user_model()


def find_invitation(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation", "cluster", "invited_by")
        .filter(token_hash=token_digest(token))
        .first()
    )


def record_expiry(invitation: Invitation) -> Invitation:
    """Write down that a pending invitation whose date passed has expired (it already acts expired)."""
    if invitation.status == InvitationStatus.PENDING and invitation.state() is InvitationStatus.EXPIRED:
        INVITATION_WORKFLOW.check(InvitationStatus.PENDING, InvitationStatus.EXPIRED, {CLOCK})
        Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.PENDING).update(
            status=InvitationStatus.EXPIRED
        )
        invitation.status = InvitationStatus.EXPIRED
    return invitation


def account_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def unique_username(email: str) -> str:
    base = re.sub(r"[^a-z0-9._-]+", "", email.split("@", 1)[0].lower())[:140] or "user"
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


def create_organisation(name: str, kind: str, cluster: Cluster, by: Any, note: str) -> Organisation:
    """A new organisation, unpublished until its people fill in the profile, interested in ``cluster``."""
    organisation = Organisation.objects.create(
        name=name, slug=unique_slug(name), kind=kind, size_class="", is_published=False
    )
    refresh_search_text(organisation)
    membership = Membership.objects.create(
        organisation=organisation, cluster=cluster, level=EngagementLevel.INTERESTED
    )
    MembershipChange.objects.create(
        membership=membership,
        from_level="",
        to_level=EngagementLevel.INTERESTED,
        changed_by=by if getattr(by, "pk", None) else None,
        note=note,
    )
    return organisation


def attach_person(
    user: Any, organisation: Organisation, *, email: str, first: str, last: str, job: str
) -> Person:
    """Link ``user`` to the organisation's person with this e-mail address, or to a new person."""
    person = (
        Person.objects.select_for_update()
        .filter(organisation=organisation, email__iexact=email)
        .order_by("pk")
        .first()
    )
    if person is not None and person.user_id and person.user_id != user.pk:
        raise ValidationError(
            _("%(email)s already has an account in %(organisation)s.")
            % {"email": email, "organisation": organisation.name}
        )
    if person is None:
        person = Person(organisation=organisation, first_name=first, last_name=last, email=email)
    person.user = user
    if job and not person.job_title:
        person.job_title = job
    person.save()
    return person


def _close_accepted(invitation: Invitation, user: Any, person: Person, organisation: Organisation) -> None:
    invitation.status = InvitationStatus.ACCEPTED
    invitation.closed_at, invitation.closed_by = timezone.now(), user
    invitation.person, invitation.organisation = person, organisation
    invitation.save(update_fields=["status", "closed_at", "closed_by", "person", "organisation"])


def _organisation_for(invitation: Invitation, user: Any) -> Organisation:
    if invitation.organisation_id:
        return invitation.organisation  # type: ignore[return-value]
    organisation = create_organisation(
        invitation.organisation_name,
        invitation.organisation_kind,
        invitation.cluster,  # type: ignore[arg-type]
        invitation.invited_by,
        "invitation accepted",
    )
    # The others invited to the same new organisation now join this one.
    Invitation.objects.filter(
        organisation__isnull=True,
        organisation_name__iexact=invitation.organisation_name,
        cluster_id=invitation.cluster_id,
    ).exclude(pk=invitation.pk).update(organisation=organisation)
    return organisation


def _lock_for_acceptance(invitation: Invitation) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "cluster", "invited_by")
        .get(pk=invitation.pk)
    )
    INVITATION_WORKFLOW.check(invitation.state(), InvitationStatus.ACCEPTED, {INVITEE})
    return invitation


@transaction.atomic
def accept(invitation: Invitation, *, password: str, first_name: str, last_name: str) -> Any:
    """Create the invitee's account with ``password`` and make them a person of the organisation."""
    invitation = _lock_for_acceptance(invitation)
    if account_exists(invitation.email):
        raise ValidationError(_("An account with this e-mail address exists already: log in to accept."))
    user = User(
        username=unique_username(invitation.email),
        email=invitation.email,
        first_name=first_name.strip() or invitation.first_name,
        last_name=last_name.strip() or invitation.last_name,
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    organisation = _organisation_for(invitation, user)
    person = attach_person(
        user,
        organisation,
        email=invitation.email,
        first=user.first_name,
        last=user.last_name,
        job=invitation.job_title,
    )
    _close_accepted(invitation, user, person, organisation)
    return user


def joining_refusal(invitation: Invitation, user: Any) -> str:
    """Why ``user``'s own account cannot take this invitation ("" when it can)."""
    person = Person.objects.filter(user=user).select_related("organisation").first()
    if person is None:
        return ""
    if invitation.organisation_id and person.organisation_id == invitation.organisation_id:
        return ""
    return _(
        "Your account already belongs to %(organisation)s. An account belongs to one organisation: ask "
        "the person who invited you to invite another e-mail address."
    ) % {"organisation": person.organisation.name}


@transaction.atomic
def accept_with_account(invitation: Invitation, user: Any) -> Person:
    """Accept with the account the invitee is logged in with (one not yet in another organisation)."""
    invitation = _lock_for_acceptance(invitation)
    refusal = joining_refusal(invitation, user)
    if refusal:
        raise ValidationError(refusal)
    organisation = _organisation_for(invitation, user)
    existing = Person.objects.filter(user=user).first()
    person = existing or attach_person(
        user,
        organisation,
        email=user.email or invitation.email,
        first=user.first_name or invitation.first_name,
        last=user.last_name or invitation.last_name,
        job=invitation.job_title,
    )
    _close_accepted(invitation, user, person, organisation)
    return person
