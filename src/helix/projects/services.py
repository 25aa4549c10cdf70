"""Projects: start one, shape its consortium, move it through its lifecycle. Each service asks the
permission tables (helix.projects.permissions) and the core's rules (helix.core.projects), and writes in
one transaction: a project's status never changes without its dated history row."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from helix.core.projects import lifecycle
from helix.core.projects.consortium import Role as CoreRole
from helix.core.projects.types import ProjectType, UnknownProjectType, project_type
from helix.projects import convert
from helix.projects.models import Project, ProjectChange, ProjectMember, Role
from helix.projects.permissions import lifecycle_roles, may_start
from helix.registry.models import Cluster, Organisation
from helix.registry.permissions import can


class ProjectRefused(Exception):
    """A rule of the core said no: ``code`` and ``params`` for the page to translate, ``problems`` the
    coded reasons behind it (unmet requirements of a move)."""

    def __init__(self, code: str, params: dict[str, object] | None = None, problems: tuple[Any, ...] = ()):
        super().__init__(code)
        self.code, self.params, self.problems = code, params or {}, problems


def type_of(project: Project) -> ProjectType:
    try:
        return project_type(project.kind)
    except UnknownProjectType:
        raise ProjectRefused("project.unknown_type", {"type": project.kind}) from None


def available_moves(user: Any, project: Project) -> list[lifecycle.Move]:
    """The lifecycle moves ``user`` may make on ``project`` now (ready or not): what pages and API offer."""
    if not can(user, "transition", project):
        return []
    return lifecycle.available_moves(type_of(project), project.status, lifecycle_roles(user, project))


@transaction.atomic
def start_project(
    user: Any, *, cluster: Cluster, coordinator: Organisation, kind: str, title: str, **fields: Any
) -> Project:
    """A new project (an idea) in ``cluster`` coordinated by ``coordinator``, if ``may_start`` says so."""
    try:
        chosen = project_type(kind)
    except UnknownProjectType:
        raise ProjectRefused("project.unknown_type", {"type": kind}) from None
    if not may_start(user, cluster, coordinator):
        raise PermissionDenied
    if CoreRole.COORDINATOR not in chosen.roles:
        raise ProjectRefused("project.role_not_allowed", {"type": kind, "role": Role.COORDINATOR})
    project = Project.objects.create(
        cluster=cluster, kind=kind, title=title, created_by=user if user.is_authenticated else None, **fields
    )
    ProjectMember.objects.create(project=project, organisation=coordinator, role=Role.COORDINATOR)
    ProjectChange.objects.create(project=project, to_status=project.status, changed_by=user)
    return project


@transaction.atomic
def add_member(user: Any, project: Project, organisation: Organisation, role: str) -> ProjectMember:
    """Add ``organisation`` to the consortium in ``role`` (a role the project's type allows; a second
    coordinator or the same organisation twice is refused)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not can(user, "edit", project):
        raise PermissionDenied
    chosen = type_of(project)
    if CoreRole(role) not in chosen.roles:
        raise ProjectRefused("project.role_not_allowed", {"type": project.kind, "role": role})
    if project.members.filter(organisation=organisation).exists():
        raise ProjectRefused("project.member_twice", {"organisation": organisation.name})
    if role == Role.COORDINATOR and project.members.filter(role=Role.COORDINATOR).exists():
        raise ProjectRefused("project.second_coordinator", {})
    return ProjectMember.objects.create(project=project, organisation=organisation, role=role)


@transaction.atomic
def move(user: Any, project: Project, target: str, note: str = "") -> Project:
    """Move ``project`` to ``target`` if the lifecycle table gives the move to one of ``user``'s roles on
    it and the project meets what the move requires; the status and its history row are saved together."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not can(user, "transition", project):
        raise PermissionDenied
    chosen = type_of(project)
    try:
        entry = lifecycle.move_project(
            chosen,
            project.status,
            target,
            lifecycle_roles(user, project),
            convert.facts(project, chosen),
            by=user.pk,
            at=timezone.now(),
            note=note,
        )
    except lifecycle.ProjectMoveRefused as refused:
        raise ProjectRefused(
            f"lifecycle.{refused.code}", {"from": refused.source, "to": refused.target}, refused.problems
        ) from None
    project.status = entry.target
    project.revision += 1
    project.save(update_fields=["status", "revision"])
    ProjectChange.objects.create(
        project=project,
        from_status=entry.source,
        to_status=entry.target,
        changed_on=timezone.localdate(entry.at),
        changed_by=user,
        note=note,
    )
    return project
