"""The projects API: the projects the caller may see, one project, and moving it through its lifecycle.

Who may see and move what is asked of helix.projects.permissions (scope/can), as on the pages; a project
the caller may not see is 404. A move the lifecycle refuses is 409 with its code and, when the project is
not ready, what it still misses, said as the pages say it (helix.projects.explain).

No ``from __future__ import annotations`` here: ninja's pagination reads the list's query annotation at
run time.
"""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from helix.api.auth import READ, WRITE_AUTH, acting_user
from helix.api.errors import ITEM_ERRORS, READ_ERRORS, WRITE_ERRORS
from helix.api.pagination import HelixPagination
from helix.api.schemas.projects import ProjectFilters, ProjectMoveIn, ProjectOut, ProjectRefusal
from helix.projects import explain, services
from helix.projects.models import Project
from helix.registry.permissions import scope

router = Router()
TAGS = ["projects"]


def _visible(request: HttpRequest) -> Any:
    return scope(
        acting_user(request),
        "view",
        Project.objects.select_related("cluster").prefetch_related("members__organisation"),
    )


@router.get("/projects", response={200: list[ProjectOut], **READ_ERRORS}, tags=TAGS, **READ)
@paginate(HelixPagination)
def list_projects(request: HttpRequest, filters: Query[ProjectFilters]) -> Any:
    """The projects you may see, by cluster and title; ``cluster`` (a slug) and ``status`` narrow them."""
    projects = _visible(request)
    if filters.cluster:
        projects = projects.filter(cluster__slug=filters.cluster)
    if filters.status:
        projects = projects.filter(status=filters.status)
    return projects.order_by("cluster__slug", "title", "pk")


@router.get("/projects/{project_id}", response={200: ProjectOut, **ITEM_ERRORS}, tags=TAGS, **READ)
def get_project(request: HttpRequest, project_id: int) -> Any:
    return get_object_or_404(_visible(request), pk=project_id)


@router.post(
    "/projects/{project_id}/status",
    response={200: ProjectOut, 409: ProjectRefusal, **WRITE_ERRORS},
    tags=TAGS,
    auth=WRITE_AUTH,
)
def move_project(request: HttpRequest, project_id: int, payload: ProjectMoveIn) -> Any:
    """Move the project (the coordinator submits, staff approve or reject, ...); 409 with the reasons."""
    project = get_object_or_404(_visible(request), pk=project_id)
    try:
        services.move(acting_user(request), project, payload.status, payload.note)
    except services.ProjectRefused as refused:
        return Status(
            409,
            {
                "detail": explain.say(refused.code, refused.params),
                "code": refused.code,
                "problems": [explain.problem_text(p) for p in refused.problems],
            },
        )
    return get_object_or_404(_visible(request), pk=project_id)
