"""``helix projects``: list projects, start one, add consortium members, move one through its lifecycle.

Reading lists what the given user may see (anonymous: public projects). Changing acts as a user
(``--as USERNAME``) with exactly that user's permissions, through the same services as the pages; a
refusal is said as the pages say it (helix.projects.explain).
"""

from __future__ import annotations

from typing import Any

import click

from helix.cli import setup_django
from helix.cli.listings import AS_OPTION, require_user


@click.group()
def projects() -> None:
    """Projects and their consortia: list, start, add members, move through the lifecycle."""


def _refused(error: Any) -> click.ClickException:
    from helix.projects.explain import refusal_text

    return click.ClickException(refusal_text(error))


def _get(model: Any, what: str, **lookup: Any) -> Any:
    found = model.objects.filter(**lookup).first()
    if found is None:
        raise click.ClickException(f"no {what} {next(iter(lookup.values()))!r}")
    return found


@projects.command("list")
@AS_OPTION
@click.option("--cluster", help="Only this cluster's projects (its slug).")
def list_command(username: str | None, cluster: str | None) -> None:
    """The projects you may see: id, cluster, type, status, title, consortium."""
    setup_django()
    from django.contrib.auth.models import AnonymousUser

    from helix.cli.listings import load_user
    from helix.projects.models import Project
    from helix.registry.permissions import scope

    user = load_user(username) if username else AnonymousUser()
    rows = scope(
        user, "view", Project.objects.select_related("cluster").prefetch_related("members__organisation")
    )
    if cluster:
        rows = rows.filter(cluster__slug=cluster)
    for p in rows.order_by("cluster__slug", "title"):
        members = ", ".join(f"{m.organisation.slug} ({m.role})" for m in p.members.all())
        click.echo(f"{p.pk}\t{p.cluster.slug}\t{p.kind}\t{p.status}\t{p.title}\t{members}")


@projects.command("start")
@AS_OPTION
@click.option("--cluster", "cluster_slug", required=True, help="The cluster (its slug).")
@click.option("--coordinator", required=True, help="The coordinating organisation (its slug).")
@click.option("--type", "kind", required=True, help="A project type (flagship, precluster, living_lab, ...).")
@click.option("--title", required=True)
@click.option("--months", type=click.IntRange(1, 240), help="Duration in months.")
def start_command(
    username: str | None, cluster_slug: str, coordinator: str, kind: str, title: str, months: int | None
) -> None:
    """Start a project (an idea) with its coordinator."""
    setup_django()
    from django.core.exceptions import PermissionDenied

    from helix.projects import services
    from helix.registry.models import Cluster, Organisation

    user = require_user(username, "helix projects start")
    try:
        project = services.start_project(
            user,
            cluster=_get(Cluster, "cluster", slug=cluster_slug),
            coordinator=_get(Organisation, "organisation", slug=coordinator),
            kind=kind,
            title=title,
            months=months,
        )
    except services.ProjectRefused as refused:
        raise _refused(refused) from None
    except PermissionDenied:
        raise click.ClickException(f"{username} may not start a project for {coordinator}") from None
    click.echo(f"Started project {project.pk}: {project.title} ({project.kind}, {project.status}).")


@projects.command("add-member")
@AS_OPTION
@click.argument("project_id", type=int)
@click.option("--organisation", required=True, help="The organisation (its slug).")
@click.option(
    "--role",
    default="partner",
    show_default=True,
    type=click.Choice(["coordinator", "partner", "subcontractor", "city_host", "knowledge_partner"]),
)
def add_member_command(username: str | None, project_id: int, organisation: str, role: str) -> None:
    """Add an organisation to a project's consortium."""
    setup_django()
    from django.core.exceptions import PermissionDenied

    from helix.projects import services
    from helix.projects.models import Project
    from helix.registry.models import Organisation

    user = require_user(username, "helix projects add-member")
    project = _get(Project, "project", pk=project_id)
    try:
        services.add_member(user, project, _get(Organisation, "organisation", slug=organisation), role)
    except services.ProjectRefused as refused:
        raise _refused(refused) from None
    except PermissionDenied:
        raise click.ClickException(f"{username} may not change project {project_id}") from None
    click.echo(f"{organisation} joined project {project_id} as {role}.")


@projects.command("move")
@AS_OPTION
@click.argument("project_id", type=int)
@click.argument("target")
@click.option("--note", default="", help="Why (kept in the project's history).")
def move_command(username: str | None, project_id: int, target: str, note: str) -> None:
    """Move a project to TARGET (consortium_forming, submitted, approved, rejected, running, closed)."""
    setup_django()
    from django.core.exceptions import PermissionDenied

    from helix.projects import services
    from helix.projects.models import Project

    user = require_user(username, "helix projects move")
    try:
        project = services.move(user, _get(Project, "project", pk=project_id), target, note)
    except services.ProjectRefused as refused:
        raise _refused(refused) from None
    except PermissionDenied:
        raise click.ClickException(f"{username} may not move project {project_id}") from None
    click.echo(f"Project {project_id} is now {project.status}.")
