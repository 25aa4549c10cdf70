"""``helix people invite`` and ``helix people invitations``: invite people by e-mail from the command line.

Inviting changes data, so it acts as a user (``--as USERNAME``) with exactly that user's permissions:
cluster staff invite to the organisations of their clusters (or to a new one in a cluster of theirs), a
member user invites colleagues of its own organisation. The e-mails are queued and sent by the worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from helix.cli import setup_django
from helix.cli.listings import AS_OPTION, require_user


@click.group()
def people() -> None:
    """Invite people by e-mail; list invitations."""


def _organisation(user: Any, text: str, *, member: bool) -> Any:
    """The organisation ``user`` may invite to, by slug or exact name (their own, for a member)."""
    from django.db.models import Q

    from helix.people.invitations import inviting_organisations
    from helix.registry.models import Organisation
    from helix.registry.permissions import actor_for

    if member:
        candidates = Organisation.objects.filter(pk=actor_for(user).organisation)
    else:
        candidates = inviting_organisations(user)
    found = list(candidates.filter(Q(slug=text) | Q(name__iexact=text))[:2])
    if len(found) != 1:
        why = "no organisation you may invite to is" if not found else "several organisations are"
        raise click.ClickException(f"{why} {text!r}: give its slug")
    return found[0]


@people.command("invite")
@AS_OPTION
@click.option("--email", help="The person's e-mail address (one invitation).")
@click.option("--first-name", default="", help="Their first name.")
@click.option("--last-name", default="", help="Their last name.")
@click.option("--organisation", help="An existing organisation: its slug or exact name.")
@click.option("--new-organisation", help="Or the name of a new organisation, created when they accept.")
@click.option("--cluster", help="The cluster (slug) a new organisation joins.")
@click.option("--job-title", default="", help="Their job title or role.")
@click.option("--message", default="", help="A personal message added to the e-mail.")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A CSV file or XLSX workbook of people to invite (the columns of the invitation page).",
)
@click.option("--language", default="en", type=click.Choice(["nl", "fr", "de", "en"]), show_default=True)
@click.option("--dry-run", is_flag=True, help="With --file: check the list and show it; invite nobody.")
def invite_command(
    username: str | None,
    email: str | None,
    first_name: str,
    last_name: str,
    organisation: str | None,
    new_organisation: str | None,
    cluster: str | None,
    job_title: str,
    message: str,
    path: Path | None,
    language: str,
    dry_run: bool,
) -> None:
    """Invite one person (--email) or everyone in a list (--file): all of them, or nobody if any row is
    wrong (each error names its row and column)."""
    setup_django()
    from django.core.exceptions import PermissionDenied, ValidationError

    from helix.people import invitation_lists, invitations
    from helix.people.models import Invitation, InvitationKind
    from helix.registry.permissions import may
    from helix.spreadsheets import read_table

    user = require_user(username, "helix people invite")
    if bool(email) == bool(path):
        raise click.UsageError("give either --email (one person) or --file (a list)")
    if path is not None:
        table, errors = read_table(path)
        planned: list[Any] = []
        if table is not None and not errors:
            planned, errors = invitation_lists.plan_invitations(user, table, language=language)
        for error in errors:
            click.echo(str(error), err=True)
        if errors:
            raise click.ClickException(f"{len(errors)} problem(s) in {path.name}: nobody was invited")
        for item in planned:
            where = item.organisation_name + (
                f" (new, {item.cluster_name})" if item.is_new_organisation else ""
            )
            click.echo(f"row {item.row}: {item.first_name} {item.last_name} <{item.email}> → {where}")
        if dry_run:
            click.echo(f"{len(planned)} people would be invited (dry run: nobody was)")
            return
        try:
            sent = invitation_lists.invite_many(user, planned, language=language)
        except ValidationError as exc:
            raise click.ClickException(" ".join(exc.messages)) from exc
        click.echo(f"{len(sent)} invitations queued")
        return
    if not (first_name and last_name):
        raise click.UsageError("an invitation needs --first-name and --last-name")
    member = not may(user, "list", Invitation)  # not staff: invites colleagues of their own organisation
    target_cluster = None
    if new_organisation:
        clusters = invitations.inviting_clusters(user)
        target_cluster = clusters.filter(slug=cluster).first() if cluster else None
        if target_cluster is None and not cluster and clusters.count() == 1:
            target_cluster = clusters.first()
        if target_cluster is None:
            slugs = ", ".join(clusters.values_list("slug", flat=True)) or "-"
            raise click.ClickException(f"give --cluster, one of your clusters: {slugs}")
    elif not organisation:
        raise click.UsageError("give --organisation (or --new-organisation with --cluster)")
    try:
        invitation = invitations.invite(
            by=user,
            email=email or "",
            first_name=first_name,
            last_name=last_name,
            organisation=_organisation(user, organisation, member=member) if organisation else None,
            new_organisation=new_organisation or "",
            cluster=target_cluster,
            language=language,
            job_title=job_title,
            message=message,
            kind=InvitationKind.COLLEAGUE if member else InvitationKind.STAFF,
        )
    except ValidationError as exc:
        raise click.ClickException(" ".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise click.ClickException(str(exc) or "not allowed") from exc
    click.echo(
        f"invited {invitation.email} to {invitation.organisation_label}; "
        f"the link works until {invitation.expires_at:%Y-%m-%d %H:%M %Z}"
    )


@people.command("invitations")
@AS_OPTION
@click.option("--state", type=click.Choice(["pending", "accepted", "expired", "revoked"]), help="Only these.")
def invitations_command(username: str | None, state: str | None) -> None:
    """The invitations USERNAME may see, newest first."""
    setup_django()
    from helix.people.invitations import invitations_in_state
    from helix.people.models import Invitation
    from helix.registry.permissions import scope

    user = require_user(username, "helix people invitations")
    shown = 0
    visible = scope(user, "view", Invitation.objects.select_related("organisation"))
    for invitation in invitations_in_state(visible, state or "").iterator():
        shown += 1
        current, sent = invitation.state().value, f"{invitation.sent_at:%Y-%m-%d}"
        click.echo(f"{current:9} {invitation.email:40} {invitation.organisation_label}  {sent}")
    click.echo(f"{shown} invitation(s)")
