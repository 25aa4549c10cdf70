"""Request and response bodies of the events API (``/api/events/``): events, registrations, meeting
requests and schedule runs. Each object lists the ``moves`` (target states) the caller may make."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from helix.api.auth import acting_user
from helix.api.schemas.base import Input, finite
from helix.core.matchmaking.workflows import EVENT_STATES
from helix.events import services
from helix.events.models import Event, EventMeetingRequest, Registration, Role, Schedule

SolverSeconds = finite(ge=1, le=600)


class SlotOut(Schema):
    id: int
    start: datetime
    end: datetime


class EventOut(Schema):
    id: int
    title: str
    cluster: str
    format: str
    attendance: str
    status: str
    venue: str
    time_zone: str
    request_deadline: datetime | None
    slots: list[SlotOut]
    moves: list[str] = Field([], description="Statuses you may move the event to (organisers)")

    @staticmethod
    def resolve_cluster(obj: Event) -> str:
        return obj.cluster.slug

    @staticmethod
    def resolve_moves(obj: Event, context: Any) -> list[str]:
        user = acting_user(context["request"])
        return [t.target for t in services.event_moves(user, obj)]

    @staticmethod
    def resolve_slots(obj: Event) -> list[Any]:
        return list(obj.slots.all())


class RegistrationOut(Schema):
    id: int
    person: str
    organisation: str
    role: str
    online: bool

    @staticmethod
    def resolve_person(obj: Registration) -> str:
        return str(obj.person)

    @staticmethod
    def resolve_organisation(obj: Registration) -> str:
        return obj.organisation.name


class RegisterIn(Input):
    role: Literal["participant", "host", "visitor"] = Field(
        Role.PARTICIPANT, description="host or visitor in speed-dating"
    )
    online: bool = False


class EventStatusIn(Input):
    status: Literal[EVENT_STATES] = Field(description="draft, open or closed")  # type: ignore[valid-type]


class RequestIn(Input):
    requester: int = Field(description="your registration id")
    requested: int = Field(description="the registration you ask to meet")
    priority: int = Field(1, ge=1, le=3)
    message: str = ""


class RequestOut(Schema):
    id: int
    requester: int
    requested: int
    status: str
    priority: int
    moves: list[str] = Field([], description="Statuses you may move the request to")

    @staticmethod
    def resolve_requester(obj: EventMeetingRequest) -> int:
        return obj.requester_id

    @staticmethod
    def resolve_moves(obj: EventMeetingRequest, context: Any) -> list[str]:
        user = acting_user(context["request"])
        return [t.target for t in services.request_moves(user, obj)]

    @staticmethod
    def resolve_requested(obj: EventMeetingRequest) -> int:
        return obj.requested_id


class RequestAnswerIn(Input):
    accept: bool


class ScheduleIn(Input):
    mode: Literal["all", "max"] = "max"
    fairness: int | None = Field(None, ge=0, le=20)
    time_limit: SolverSeconds = Field(30.0, description="Seconds the solver may take")


class ScheduleOut(Schema):
    id: int
    status: str
    mode: str
    fairness: int | None
    solver_status: str
    total_breaks: int | None
    bound: int | None
    held: int | None
    requested: int | None
    moved: int | None
    seconds: float | None
    published: bool
    message: str
    moves: list[str] = Field([], description="States you may move the run to: published, cancelled")

    @staticmethod
    def resolve_moves(obj: Schedule, context: Any) -> list[str]:
        user = acting_user(context["request"])
        return [t.target for t in services.schedule_moves(user, obj)]
