"""Response and request bodies of the projects API (``/api/projects/``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, Schema

from helix.api.auth import acting_user
from helix.api.schemas.base import Input
from helix.projects import services
from helix.projects.models import Project


class MemberOut(Schema):
    organisation: str = Field(description="The organisation's slug")
    name: str
    role: str


class ProjectOut(Schema):
    id: int
    title: str
    acronym: str
    type: str = Field(description="A project type of the core's data (flagship, precluster, ...)")
    cluster: str
    status: str
    visibility: str
    starts_on: date | None
    months: int | None
    members: list[MemberOut]
    moves: list[str] = Field([], description="Statuses you may move the project to")

    @staticmethod
    def resolve_type(obj: Project) -> str:
        return obj.kind

    @staticmethod
    def resolve_cluster(obj: Project) -> str:
        return obj.cluster.slug

    @staticmethod
    def resolve_members(obj: Project) -> list[dict[str, str]]:
        return [
            {"organisation": m.organisation.slug, "name": m.organisation.name, "role": m.role}
            for m in obj.members.all()
        ]

    @staticmethod
    def resolve_moves(obj: Project, context: Any) -> list[str]:
        return [m.target for m in services.available_moves(acting_user(context["request"]), obj)]


class ProjectFilters(Input):
    cluster: str = Field("", max_length=80, description="A cluster's slug: its projects only")
    status: str = Field("", max_length=30, description="One status only (idea, consortium_forming, ...)")


class ProjectMoveIn(Input):
    status: str = Field(max_length=30, description="The status to move the project to")
    note: str = Field("", max_length=300)


class ProjectRefusal(Schema):
    """409: the lifecycle has no such move for you, or the project is not ready for it."""

    detail: str
    code: str = Field(
        description="lifecycle.not_from_state, lifecycle.not_yours or lifecycle.requirements_unmet"
    )
    problems: list[str] = Field([], description="What the project still misses, in your language")
