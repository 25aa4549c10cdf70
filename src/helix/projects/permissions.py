"""Who may do what with projects and their parts, as data (helix.core.access).

A project belongs to its cluster and to the organisations of its consortium. Its visibility is its
reach, as a need's or a flow's: public to anyone, "members of our clusters" to the cluster's audience
(a person of an organisation at letter-of-intent level or more) and staff, "cluster staff only" to those
staff; the consortium's own people and the cluster's staff always see it. Only an idea is not yet
shown beyond them: a project is "active" once its consortium is forming.

The consortium's people edit the project, its consortium and budget; the lifecycle table
(helix.core.projects) says which moves the coordinator and which the cluster's staff make. The parts of
a project (members, budget lines, sources, milestones, reports, history) are seen by whoever may see
the project's details, as the project says.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from helix.core.access import OWNER_OR_STAFF, REACH_CONDITIONS, Grant, Policy, Role, reach
from helix.core.projects import lifecycle
from helix.market.models import Visibility
from helix.projects.models import (
    BudgetLine,
    FundingSource,
    Milestone,
    Project,
    ProjectChange,
    ProjectMember,
    ProjectReport,
    ProjectStatus,
)
from helix.registry.models import Cluster, Membership, Organisation
from helix.registry.permissions import Fact, Subject, actor_for, can, field_is, register, subject_for

PROJECT = Policy(
    subject="projects.project",
    label="Project",
    actions={
        "view": "see the project: its title, type, status, consortium and where it came from",
        "view_details": "see its budget, funding sources, milestones, reports and history",
        "create": "start a project in a cluster: its staff, or a member organisation for itself",
        "edit": "change the project's description, consortium, budget, milestones and links",
        "transition": "move it through its lifecycle (the lifecycle table says which moves who makes)",
        "delete": "delete an idea that went nowhere",
    },
    conditions={
        **REACH_CONDITIONS,
        "active": "past the idea: its consortium is forming or later",
        "idea": "still an idea",
    },
    grants=(
        *reach("view"),
        Grant("view_details", OWNER_OR_STAFF),
        Grant("create", OWNER_OR_STAFF, note="asked of the new project, with its first member"),
        Grant("edit", OWNER_OR_STAFF),
        Grant("transition", OWNER_OR_STAFF),
        Grant("delete", OWNER_OR_STAFF, frozenset({"idea"})),
    ),
)


def _part(subject: str, label: str) -> Policy:
    return Policy(
        subject=subject,
        label=label,
        actions={"view": "see it, where the project's details may be seen"},
        grants=(Grant("view", OWNER_OR_STAFF),),
    )


_PROJECT_FACTS = {
    "active": Fact(lambda p: p.status != ProjectStatus.IDEA, lambda: ~Q(status=ProjectStatus.IDEA)),
    "idea": field_is("status", ProjectStatus.IDEA),
    "public": field_is("visibility", Visibility.PUBLIC),
    "members": field_is("visibility", Visibility.MEMBERS),
    "staff": field_is("visibility", Visibility.STAFF),
}


def _part_of_project(model: type, subject: str, label: str, to_project: str) -> Subject:
    return Subject(
        _part(subject, label),
        model,
        cluster=f"{to_project}__cluster_id",
        member_organisations=f"{to_project}__members__organisation_id",
    )


register(
    Subject(
        PROJECT,
        Project,
        cluster="cluster_id",
        member_organisations="members__organisation_id",
        facts=_PROJECT_FACTS,
    ),
    _part_of_project(ProjectMember, "projects.projectmember", "Project consortium member", "project"),
    _part_of_project(ProjectChange, "projects.projectchange", "Project history step", "project"),
    _part_of_project(FundingSource, "projects.fundingsource", "Project funding source", "project"),
    _part_of_project(Milestone, "projects.milestone", "Project milestone or deliverable", "project"),
    _part_of_project(ProjectReport, "projects.projectreport", "Project report", "project"),
    _part_of_project(BudgetLine, "projects.budgetline", "Project budget line", "member__project"),
)


def may_start(user: Any, cluster: Cluster, coordinator: Organisation) -> bool:
    """May ``user`` start a project in ``cluster`` coordinated by ``coordinator``? The cluster's staff (the
    ``create`` grant, asked of a project of the cluster), and whoever may edit ``coordinator`` when it is
    in the cluster at any engagement level: its consortium's first owner."""
    if can(user, "create", Project(cluster=cluster)):
        return True
    return can(user, "edit", coordinator) and Membership.objects.filter(
        organisation=coordinator, cluster=cluster
    ).exists()


def lifecycle_roles(user: Any, project: Project) -> set[str]:
    """The lifecycle's roles (helix.core.projects.lifecycle) ``user`` holds on ``project``, from the roles
    the permission engine gives: ``staff`` for the cluster's staff (and the superuser), ``member`` for an
    owner (a person of a consortium organisation), ``coordinator`` for an owner whose organisation
    coordinates. Reads the consortium through ``project.members`` (prefetch it for lists)."""
    actor = actor_for(user)
    held = subject_for(project).roles(actor, project)
    roles: set[str] = set()
    if actor.is_superuser or Role.STAFF in held:
        roles.add(lifecycle.STAFF)
    if Role.OWNER in held:
        roles.add(lifecycle.MEMBER)
        if any(
            m.organisation_id == actor.organisation and m.role == "coordinator" for m in project.members.all()
        ):
            roles.add(lifecycle.COORDINATOR)
    return roles
