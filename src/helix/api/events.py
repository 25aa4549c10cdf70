"""The events API: events, registrations, meeting requests, schedule runs and agendas.

Handlers parse input and call helix.events.services, which check who may do what:
PermissionDenied -> 403, a service's ValidationError -> 422 naming the field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from helix.api.auth import READ, WRITE_AUTH, acting_user
from helix.api.registry import invalid_from
from helix.api.schemas import WRITE_ERRORS
from helix.events import services
from helix.events.agenda import agenda_ics
from helix.events.models import Event, EventMeetingRequest, Registration, Schedule

router = Router()
TAGS = ["events"]


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

    @staticmethod
    def resolve_cluster(obj: Event) -> str:
        return obj.cluster.slug

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


class RequestIn(Schema):
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

    @staticmethod
    def resolve_requester(obj: EventMeetingRequest) -> int:
        return obj.requester_id

    @staticmethod
    def resolve_requested(obj: EventMeetingRequest) -> int:
        return obj.requested_id


class AnswerIn(Schema):
    accept: bool


class ScheduleIn(Schema):
    mode: Literal["all", "max"] = "max"
    fairness: int | None = Field(None, ge=0, le=20)
    time_limit: float = Field(30.0, ge=1, le=600)


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


@router.get("/events", response=list[EventOut], tags=TAGS, **READ)
def list_events(request: HttpRequest) -> Any:
    """Events open for registration (and, for their organisers, drafts)."""
    return Event.objects.exclude(status="draft").select_related("cluster").prefetch_related("slots")


@router.get("/events/{event_id}", response=EventOut, tags=TAGS, **READ)
def get_event(request: HttpRequest, event_id: int) -> Any:
    return get_object_or_404(Event.objects.select_related("cluster"), pk=event_id)


@router.get("/events/{event_id}/registrations", response=list[RegistrationOut], tags=TAGS, auth=WRITE_AUTH)
def list_registrations(request: HttpRequest, event_id: int) -> Any:
    """The participant list (signed-in users only)."""
    return get_object_or_404(Event, pk=event_id).registrations.select_related("person", "organisation")


@router.post(
    "/events/{event_id}/requests", response={201: RequestOut, **WRITE_ERRORS}, tags=TAGS, auth=WRITE_AUTH
)
def create_request(request: HttpRequest, event_id: int, payload: RequestIn) -> Any:
    event = get_object_or_404(Event, pk=event_id)
    requester = get_object_or_404(Registration, pk=payload.requester, event=event)
    requested = get_object_or_404(Registration, pk=payload.requested, event=event)
    try:
        req = services.request_meeting(
            acting_user(request), requester, requested, priority=payload.priority, message=payload.message
        )
    except DjangoValidationError as exc:
        raise invalid_from(exc) from exc
    return Status(201, req)


@router.post(
    "/requests/{request_id}/answer", response={200: RequestOut, **WRITE_ERRORS}, tags=TAGS, auth=WRITE_AUTH
)
def answer_request(request: HttpRequest, request_id: int, payload: AnswerIn) -> Any:
    req = get_object_or_404(EventMeetingRequest, pk=request_id)
    try:
        return services.answer_request(acting_user(request), req, accept=payload.accept)
    except DjangoValidationError as exc:
        raise invalid_from(exc) from exc


@router.post(
    "/events/{event_id}/schedules", response={202: ScheduleOut, **WRITE_ERRORS}, tags=TAGS, auth=WRITE_AUTH
)
def run_schedule(request: HttpRequest, event_id: int, payload: ScheduleIn) -> Any:
    """Start an optimisation run in the background (organisers); poll GET /schedules/{id}."""
    event = get_object_or_404(Event, pk=event_id)
    try:
        schedule = services.start_schedule(
            acting_user(request),
            event,
            mode=payload.mode,
            fairness=payload.fairness,
            time_limit=payload.time_limit,
        )
    except DjangoValidationError as exc:
        raise invalid_from(exc) from exc
    return Status(202, schedule)


@router.get(
    "/schedules/{schedule_id}", response={200: ScheduleOut, **WRITE_ERRORS}, tags=TAGS, auth=WRITE_AUTH
)
def get_schedule(request: HttpRequest, schedule_id: int) -> Any:
    schedule = get_object_or_404(Schedule.objects.select_related("event"), pk=schedule_id)
    if not services.is_organiser(acting_user(request), schedule.event):
        return Status(403, {"detail": "only the organiser"})
    return schedule


@router.post(
    "/schedules/{schedule_id}/publish",
    response={200: ScheduleOut, **WRITE_ERRORS},
    tags=TAGS,
    auth=WRITE_AUTH,
)
def publish_schedule(request: HttpRequest, schedule_id: int) -> Any:
    schedule = get_object_or_404(Schedule.objects.select_related("event"), pk=schedule_id)
    try:
        return services.publish_schedule(acting_user(request), schedule)
    except DjangoValidationError as exc:
        raise invalid_from(exc) from exc


@router.get(
    "/registrations/{registration_id}/agenda.ics",
    tags=TAGS,
    auth=WRITE_AUTH,
    response={200: None, **WRITE_ERRORS},
)
def agenda(request: HttpRequest, registration_id: int) -> Any:
    """The participant's published agenda as iCalendar (stable UIDs: a re-publish updates entries)."""
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=registration_id)
    if not services.acts_for(acting_user(request), registration):
        return Status(403, {"detail": "not your agenda"})
    return HttpResponse(agenda_ics(registration), content_type="text/calendar; charset=utf-8")
