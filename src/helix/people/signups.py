"""Asking for an account: a sign-up request confirmed by e-mail, then approved (an account, a person and,
when new, an organisation) or rejected by the cluster's staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.core.people.lifecycle import (
    INVITEE,
    MANAGER,
    SIGNUP_CONFIRM_DAYS,
    SIGNUP_WORKFLOW,
    SignupStatus,
)
from helix.notifications.mail import queue_mail
from helix.people.invitations import absolute_url, inviting_organisations, normalise_email
from helix.people.joining import account_exists, attach_person, create_organisation, unique_username
from helix.people.models import Invitation, SignupRequest, new_token, token_digest
from helix.registry.models import (
    Cluster,
    Organisation,
    OrganisationKind,
    Person,
)
from helix.registry.permissions import can, scope

User = get_user_model()


def request_signup(
    *,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    organisation: Organisation | None,
    organisation_name: str,
    cluster: Cluster | None,
    message: str,
    language: str,
) -> None:
    """Record a request and e-mail its confirmation link; the page says the same whatever happened.

    An address that already has an account gets an e-mail saying so (with the password-reset link), one
    whose request waits for staff an e-mail saying that: only the mailbox's owner learns which case it
    was."""
    email = normalise_email(email)
    # Hashed whatever the case, so the time the answer takes does not tell the cases apart either.
    password_hash = make_password(password)
    with transaction.atomic():
        if account_exists(email) or Person.objects.filter(email__iexact=email, user__isnull=False).exists():
            queue_mail(
                to=email,
                template="people/mail/signup_known",
                context={
                    "login": absolute_url(reverse("login")),
                    "reset": absolute_url(reverse("password_reset")),
                },
                language=language,
                kind="signup",
            )
            return
        if SignupRequest.objects.filter(email__iexact=email, status=SignupStatus.PENDING).exists():
            queue_mail(to=email, template="people/mail/signup_waiting", language=language, kind="signup")
            return
        request = (
            SignupRequest.objects.select_for_update()
            .filter(email__iexact=email, status=SignupStatus.UNCONFIRMED)
            .first()
        ) or SignupRequest(email=email)
        token, request.token_hash = new_token()
        request.first_name, request.last_name = first_name.strip(), last_name.strip()
        request.organisation = organisation
        request.organisation_name = organisation.name if organisation else " ".join(organisation_name.split())
        request.cluster, request.message, request.language = cluster, message.strip(), language
        request.password_hash = password_hash
        request.created_at = timezone.now()
        request.save()
        queue_mail(
            to=email,
            template="people/mail/signup_confirm",
            context={
                "signup": request,
                "link": absolute_url(reverse("people:signup_confirm", args=[token])),
                "days": SIGNUP_CONFIRM_DAYS,
            },
            language=language,
            kind="signup",
        )


CONFIRMED, ALREADY, EXPIRED, UNKNOWN = "confirmed", "already", "expired", "unknown"


@transaction.atomic
def confirm_signup(token: str) -> tuple[str, SignupRequest | None]:
    """Confirm the address of a sign-up; the outcome says what the page tells."""
    request = SignupRequest.objects.select_for_update().filter(token_hash=token_digest(token)).first()
    if request is None:
        return UNKNOWN, None
    if request.status != SignupStatus.UNCONFIRMED:
        return ALREADY, request
    if request.created_at + dt.timedelta(days=SIGNUP_CONFIRM_DAYS) <= timezone.now():
        return EXPIRED, request
    SIGNUP_WORKFLOW.check(request.status, SignupStatus.PENDING, {INVITEE})
    request.status, request.confirmed_at = SignupStatus.PENDING, timezone.now()
    request.save(update_fields=["status", "confirmed_at"])
    return CONFIRMED, request


def signups_for(user: Any) -> QuerySet[SignupRequest]:
    """Confirmed sign-up requests ``user`` may see, newest first."""
    confirmed = SignupRequest.objects.exclude(status=SignupStatus.UNCONFIRMED)
    return (
        scope(user, "view", confirmed)
        .select_related("organisation", "cluster", "decided_by")
        .prefetch_related("cluster__names")
    )


def pending_signups(user: Any) -> QuerySet[SignupRequest]:
    """Sign-ups waiting for ``user``'s decision (for a staff member's home page and the menu)."""
    return signups_for(user).filter(status=SignupStatus.PENDING)


def approval_defaults(request: SignupRequest, by: Any) -> dict[str, Any]:
    """What the approval form proposes to ``by``: the organisation picked at sign-up if it is one of
    theirs, else one of theirs with the name typed, else a new organisation of that name."""
    initial: dict[str, Any] = {"new_organisation": "", "cluster": request.cluster_id}
    choices = inviting_organisations(by)
    if request.organisation_id and choices.filter(pk=request.organisation_id).exists():
        initial["organisation"] = request.organisation_id
    else:
        same = choices.filter(name__iexact=request.organisation_name).first()
        if same is not None:
            initial["organisation"] = same.pk
        else:
            initial["new_organisation"] = request.organisation_name
    return initial


def _decide(request: SignupRequest, by: Any, target: str) -> SignupRequest:
    request = SignupRequest.objects.select_for_update().get(pk=request.pk)
    if not can(by, "decide", request):
        raise PermissionDenied(_("You may not decide this sign-up request."))
    SIGNUP_WORKFLOW.check(request.status, target, {MANAGER})
    return request


@transaction.atomic
def approve_signup(
    request: SignupRequest,
    *,
    by: Any,
    organisation: Organisation | None = None,
    new_organisation: str = "",
    organisation_kind: str = OrganisationKind.COMPANY,
    cluster: Cluster | None = None,
) -> Any:
    """Create the account (with the password chosen at sign-up), attach it to ``organisation`` or to a new
    one in ``cluster``, and tell the person."""
    request = _decide(request, by, SignupStatus.APPROVED)
    name = " ".join(new_organisation.split())
    if organisation is None:
        if not name:
            raise ValidationError(
                {"organisation": _("Choose the organisation, or give the name of a new one.")}
            )
        if cluster is None:
            raise ValidationError({"cluster": _("Choose the cluster the new organisation joins.")})
    draft = Invitation(organisation=organisation, organisation_name=name, cluster=cluster)
    if not can(by, "create", draft):
        raise PermissionDenied(_("You may not add people to this organisation."))
    if account_exists(request.email):
        raise ValidationError(_("An account with this e-mail address exists already."))
    if organisation is None:
        organisation = create_organisation(name, organisation_kind, cluster, by, "sign-up approved")  # type: ignore[arg-type]
    user = User(
        username=unique_username(request.email),
        email=request.email,
        first_name=request.first_name,
        last_name=request.last_name,
        password=request.password_hash,
    )
    user.save()
    attach_person(
        user, organisation, email=request.email, first=request.first_name, last=request.last_name, job=""
    )
    request.status, request.decided_at, request.decided_by = SignupStatus.APPROVED, timezone.now(), by
    request.user, request.organisation, request.password_hash = user, organisation, ""
    request.save(
        update_fields=["status", "decided_at", "decided_by", "user", "organisation", "password_hash"]
    )
    queue_mail(
        to=request.email,
        template="people/mail/signup_approved",
        context={
            "signup": request,
            "username": user.username,
            "organisation_name": organisation.name,
            "login": absolute_url(reverse("login")),
        },
        language=request.language,
        user=user,
        kind="signup",
    )
    return user


@transaction.atomic
def reject_signup(request: SignupRequest, *, by: Any, reason: str) -> SignupRequest:
    """Refuse the request, saying why to the person; the password hash is dropped."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why: the person reads this reason.")})
    request = _decide(request, by, SignupStatus.REJECTED)
    request.status, request.decided_at, request.decided_by = SignupStatus.REJECTED, timezone.now(), by
    request.reason, request.password_hash = reason, ""
    request.save(update_fields=["status", "decided_at", "decided_by", "reason", "password_hash"])
    queue_mail(
        to=request.email,
        template="people/mail/signup_rejected",
        context={"signup": request, "reason": reason},
        language=request.language,
        kind="signup",
    )
    return request
