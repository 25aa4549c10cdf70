"""Invite people, accept an invitation, ask for an account, approve or reject the request.

Each function takes the acting user explicitly, asks ``helix.people.permissions`` who may act, moves the
object along its lifecycle (``helix.core.people.lifecycle``) and queues the e-mail it owes
(``helix.notifications.mail.queue_mail``: rendered in the reader's language, sent after commit, so a
change that rolls back sends nothing).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.core.people.lifecycle import (
    CLOCK,
    INVITATION_WORKFLOW,
    INVITEE,
    MANAGER,
    SIGNUP_CONFIRM_DAYS,
    SIGNUP_WORKFLOW,
    InvitationStatus,
    SignupStatus,
    colleague_quota_left,
    invitation_expiry,
)
from helix.core.people.roster import Invitee, read_invitees
from helix.core.registry.identifiers import InvalidIdentifier, normalise_identifier
from helix.core.registry.ladder import EngagementLevel
from helix.core.registry.records import RowError, Table
from helix.notifications.mail import queue_mail
from helix.notifications.services import Sweep
from helix.people.models import Invitation, InvitationKind, SignupRequest, new_token, token_digest
from helix.registry.models import (
    LANGUAGE_CODES,
    Cluster,
    Membership,
    MembershipChange,
    Organisation,
    OrganisationKind,
    Person,
)
from helix.registry.permissions import actor_for, can, scope
from helix.registry.services import refresh_search_text, unique_slug

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


def _absolute(path: str) -> str:
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
            "link": _absolute(reverse("people:accept", args=[token])),
            "expires_at": invitation.expires_at,
        },
        language=invitation.language,
        kind="invitation",
    )


def _manage(invitation: Invitation, by: Any, action: str) -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
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


# -- many at once -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedInvitation:
    """A row of an invitation list, checked and resolved: ready to send."""

    row: int
    email: str
    first_name: str
    last_name: str
    organisation_id: int | None
    organisation_name: str  # the existing organisation's name, or the new one's
    cluster_id: int | None
    cluster_name: str
    language: str
    job_title: str
    message: str

    @property
    def is_new_organisation(self) -> bool:
        return self.organisation_id is None


class _Organisations:
    """The organisations a staff member invites to, found by slug, ``scheme:identifier`` or exact name."""

    def __init__(self, by: Any) -> None:
        rows = inviting_organisations(by).values_list(
            "pk", "slug", "name", "identifier_scheme", "legal_identifier"
        )
        self.by_slug: dict[str, tuple[int, str]] = {}
        self.by_name: dict[str, list[tuple[int, str]]] = {}
        self.by_identifier: dict[tuple[str, str], tuple[int, str]] = {}
        for pk, slug, name, scheme, identifier in rows:
            self.by_slug[slug] = (pk, name)
            self.by_name.setdefault(name.casefold(), []).append((pk, name))
            if identifier:
                self.by_identifier[(scheme, identifier)] = (pk, name)

    def find(self, text: str) -> tuple[int, str] | str:
        """(id, name), or the reason none is found."""
        if text in self.by_slug:
            return self.by_slug[text]
        named = self.by_name.get(text.casefold(), [])
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            return _("%(count)d organisations are called %(name)s: give the slug instead.") % {
                "count": len(named),
                "name": text,
            }
        scheme, colon, identifier = text.partition(":")
        if colon:
            try:
                legal = normalise_identifier(scheme.strip(), identifier.strip())
            except InvalidIdentifier:
                pass
            else:
                found = self.by_identifier.get((legal.scheme.value, legal.value))
                if found:
                    return found
        return _(
            "no organisation of your clusters is %(name)s (give its slug, scheme:identifier or exact "
            "name, or put a new organisation in the new_organisation column)"
        ) % {"name": repr(text)}


def plan_invitations(
    by: Any, table: Table, *, language: str
) -> tuple[list[PlannedInvitation], list[RowError]]:
    """Check every row of an invitation list against the registry; all rows or the errors."""
    invitees, errors = read_invitees(table, LANGUAGE_CODES)
    if errors:
        return [], errors
    organisations = _Organisations(by)
    clusters = {c.slug: c for c in inviting_clusters(by)}
    planned: list[PlannedInvitation] = []
    now = timezone.now()
    for invitee in invitees:
        row_errors, item = _plan_row(by, invitee, organisations, clusters, table, now)
        errors.extend(row_errors)
        if item is not None:
            planned.append(item)
    return ([], errors) if errors else (planned, [])


def _plan_row(
    by: Any,
    invitee: Invitee,
    organisations: _Organisations,
    clusters: dict[str, Cluster],
    table: Table,
    now: dt.datetime,
) -> tuple[list[RowError], PlannedInvitation | None]:
    source, row = table.source, invitee.row
    organisation_id, organisation_name, cluster = None, invitee.new_organisation, None
    if invitee.organisation:
        found = organisations.find(invitee.organisation)
        if isinstance(found, str):
            return [source.error(row, "organisation", found)], None
        organisation_id, organisation_name = found
    elif invitee.cluster:
        cluster = clusters.get(invitee.cluster)
        if cluster is None:
            message = _("%(cluster)s is not one of your clusters (%(yours)s)") % {
                "cluster": repr(invitee.cluster),
                "yours": ", ".join(sorted(clusters)) or "-",
            }
            return [source.error(row, "cluster", message)], None
    elif len(clusters) == 1:
        cluster = next(iter(clusters.values()))
    else:
        message = _("which cluster does the new organisation join? Give its slug (%(yours)s)") % {
            "yours": ", ".join(sorted(clusters)) or "-"
        }
        return [source.error(row, "cluster", message)], None
    draft = Invitation(
        email=normalise_email(invitee.email),
        first_name=invitee.first_name,
        last_name=invitee.last_name,
        organisation_id=organisation_id,
        organisation_name="" if organisation_id else organisation_name,
        cluster=cluster,
        kind=InvitationKind.STAFF,
    )
    try:
        check_invitation(draft, by, now)
    except ValidationError as exc:
        return [
            source.error(row, "" if field == NON_FIELD_ERRORS else field, " ".join(str(m) for m in messages))
            for field, messages in exc.message_dict.items()
        ], None
    except PermissionDenied as exc:
        return [source.error(row, "organisation", str(exc))], None
    return [], PlannedInvitation(
        row=row,
        email=draft.email,
        first_name=invitee.first_name,
        last_name=invitee.last_name,
        organisation_id=organisation_id,
        organisation_name=organisation_name,
        cluster_id=cluster.pk if cluster else None,
        cluster_name=cluster.current_name if cluster else "",
        language=invitee.language,
        job_title=invitee.job_title,
        message=invitee.message,
    )


@transaction.atomic
def invite_many(by: Any, planned: Sequence[PlannedInvitation], *, language: str) -> list[Invitation]:
    """Invite every planned person, or nobody: the first refusal (checked again now) undoes them all."""
    sent: list[Invitation] = []
    organisations = Organisation.objects.in_bulk([p.organisation_id for p in planned if p.organisation_id])
    clusters = Cluster.objects.in_bulk([p.cluster_id for p in planned if p.cluster_id])
    for item in planned:
        try:
            sent.append(
                invite(
                    by=by,
                    email=item.email,
                    first_name=item.first_name,
                    last_name=item.last_name,
                    organisation=organisations.get(item.organisation_id) if item.organisation_id else None,
                    new_organisation=item.organisation_name if item.is_new_organisation else "",
                    cluster=clusters.get(item.cluster_id) if item.cluster_id else None,
                    language=item.language or language,
                    job_title=item.job_title,
                    message=item.message,
                )
            )
        except (ValidationError, PermissionDenied) as exc:
            why = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise ValidationError(
                _("Row %(row)d: %(error)s Nobody was invited.") % {"row": item.row, "error": why}
            ) from exc
    return sent


_PLAN_SALT = "helix.people.invitation-list"
PLAN_MAX_AGE = 60 * 60  # a preview is confirmed within the hour


def seal_plan(by: Any, planned: Iterable[PlannedInvitation]) -> str:
    """The checked list, signed, for the confirmation form (nothing is stored before the confirmation)."""
    return signing.dumps({"by": by.pk, "rows": [asdict(p) for p in planned]}, salt=_PLAN_SALT, compress=True)


def open_plan(by: Any, sealed: str) -> list[PlannedInvitation]:
    try:
        data = signing.loads(sealed, salt=_PLAN_SALT, max_age=PLAN_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError(_("This preview is too old or damaged: upload the file again.")) from None
    if data.get("by") != by.pk:
        raise PermissionDenied
    return [PlannedInvitation(**row) for row in data["rows"]]


# -- accepting ----------------------------------------------------------------------------------------------


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


def _create_organisation(name: str, kind: str, cluster: Cluster, by: Any, note: str) -> Organisation:
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


def _attach(user: Any, organisation: Organisation, *, email: str, first: str, last: str, job: str) -> Person:
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
    organisation = _create_organisation(
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
        Invitation.objects.select_for_update()
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
    person = _attach(
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
    person = existing or _attach(
        user,
        organisation,
        email=user.email or invitation.email,
        first=user.first_name or invitation.first_name,
        last=user.last_name or invitation.last_name,
        job=invitation.job_title,
    )
    _close_accepted(invitation, user, person, organisation)
    return person


# -- signing up ---------------------------------------------------------------------------------------------


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
                    "login": _absolute(reverse("login")),
                    "reset": _absolute(reverse("password_reset")),
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
                "link": _absolute(reverse("people:signup_confirm", args=[token])),
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
        organisation = _create_organisation(name, organisation_kind, cluster, by, "sign-up approved")  # type: ignore[arg-type]
    user = User(
        username=unique_username(request.email),
        email=request.email,
        first_name=request.first_name,
        last_name=request.last_name,
        password=request.password_hash,
    )
    user.save()
    _attach(user, organisation, email=request.email, first=request.first_name, last=request.last_name, job="")
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
            "login": _absolute(reverse("login")),
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


# -- retention ----------------------------------------------------------------------------------------------

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
