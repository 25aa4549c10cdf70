"""Inviting many people at once from a file (helix.core.people.roster): each row planned and checked as a
single invitation would be, previewed, sealed for the confirmation, then sent in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.core.people.roster import Invitee, read_invitees
from helix.core.registry.identifiers import InvalidIdentifier, normalise_identifier
from helix.core.registry.records import RowError, Table
from helix.people.invitations import (
    check_invitation,
    invite,
    inviting_clusters,
    inviting_organisations,
    normalise_email,
)
from helix.people.models import Invitation, InvitationKind
from helix.registry.models import (
    LANGUAGE_CODES,
    Cluster,
    Organisation,
)

User = get_user_model()

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
