"""The events API: events, registrations, meeting requests, schedule runs and agendas.

Handlers parse input and call the helix.events services; who may see what is asked of
helix.events.permissions (can/scope), the same rules the pages ask, so both give the same answer: an
event the caller may not see is 404, a published one is public. PermissionDenied -> 403, a service's
ValidationError -> 422 naming the field, a workflow move not possible from the present state -> 409
with the code ``not_from_state``. Each object lists the ``moves`` (target states) the caller may make.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.decorators import decorate_view

from helix.api.auth import READ, WRITE_AUTH, acting_user
from helix.api.errors import ITEM_ERRORS, READ_ERRORS, WRITE_ERRORS, Message, MoveRefusal, invalid_from
from helix.api.schemas.events import (
    EventOut,
    EventStatusIn,
    RegisterIn,
    RegistrationOut,
    RequestAnswerIn,
    RequestIn,
    RequestOut,
    ScheduleIn,
    ScheduleOut,
)
from helix.core.matchmaking.workflows import MoveRefused
from helix.events import meeting_requests, schedules, services
from helix.events.agenda import agenda_ics
from helix.events.models import Event, EventMeetingRequest, Registration, Schedule
from helix.pagecache import cache_anonymous
from helix.registry.permissions import can, scope

router = Router()
TAGS = ["events"]


MOVE_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 409: MoveRefusal}


def refused(exc: MoveRefused) -> Status:
    return Status(409, {"detail": str(exc), "code": exc.code})


def visible_event(request: HttpRequest, event_id: int) -> Event:
    """The event, if the caller may see it (404 otherwise, as on the pages)."""
    user = acting_user(request)
    return get_object_or_404(scope(user, "view", Event.objects.select_related("cluster")), pk=event_id)


def visible_request(request: HttpRequest, request_id: int) -> EventMeetingRequest:
    user = acting_user(request)
    return get_object_or_404(
        scope(user, "view", EventMeetingRequest.objects.select_related("event")), pk=request_id
    )


@router.get("/events", response={200: list[EventOut], **READ_ERRORS}, tags=TAGS, **READ)
@decorate_view(cache_anonymous)  # the same answer for every anonymous caller: kept
def list_events(request: HttpRequest) -> Any:
    """Published events (open for registration or closed) and, for their organisers, drafts."""
    return services.visible_events(acting_user(request)).prefetch_related("slots")


@router.get("/events/{event_id}", response={200: EventOut, **ITEM_ERRORS}, tags=TAGS, **READ)
def get_event(request: HttpRequest, event_id: int) -> Any:
    """A published event, or a draft for its organisers (404 for anyone else)."""
    return visible_event(request, event_id)


@router.post("/events/{event_id}/status", response={200: EventOut, **MOVE_ERRORS}, tags=TAGS, auth=WRITE_AUTH)
def change_status(request: HttpRequest, event_id: int, payload: EventStatusIn) -> Any:
    """Open, close or reopen registration (organisers); 409 when the workflow has no such move."""
    event = visible_event(request, event_id)
    try:
        return services.change_status(acting_user(request), event, payload.status)
    except MoveRefused as exc:
        return refused(exc)


@router.get(
    "/events/{event_id}/registrations",
    response={200: list[RegistrationOut], 403: Message, **ITEM_ERRORS},
    tags=TAGS,
    auth=WRITE_AUTH,
)
def list_registrations(request: HttpRequest, event_id: int) -> Any:
    """The participant list of a published event (signed-in users) or of a draft (its organisers)."""
    user = acting_user(request)
    event = visible_event(request, event_id)
    if not can(user, "view_participants", event):
        raise PermissionDenied("You may not see this event's participants.")
    return services.participants(user, event)


@router.post(
    "/events/{event_id}/registrations",
    response={201: RegistrationOut, **WRITE_ERRORS},
    tags=TAGS,
    auth=WRITE_AUTH,
)
def register(request: HttpRequest, event_id: int, payload: RegisterIn) -> Any:
    """Register yourself while the event is open for registration (403 when it is not)."""
    event = visible_event(request, event_id)
    try:
        registration = services.register(
            acting_user(request), event, role=payload.role, online=payload.online
        )
    except DjangoValidationError as exc:
        raise invalid_from(exc) from exc
    return Status(201, registration)


@router.post(
    "/events/{event_id}/requests", response={201: RequestOut, **WRITE_ERRORS}, tags=TAGS, auth=WRITE_AUTH
)
def create_request(request: HttpRequest, event_id: int, payload: RequestIn) -> Any:
    event = visible_event(request, event_id)
    requester = get_object_or_404(Registration, pk=payload.requester, event=event)
    requested = get_object_or_404(Registration, pk=payload.requested, event=event)
    try:
        req = meeting_requests.request_meeting(
            acting_user(request), requester, requested, priority=payload.priority, message=payload.message
        )
    except DjangoValidationError as exc:
        raise invalid_from(exc) from exc
    return Status(201, req)


@router.post(
    "/requests/{request_id}/answer", response={200: RequestOut, **MOVE_ERRORS}, tags=TAGS, auth=WRITE_AUTH
)
def answer_request(request: HttpRequest, request_id: int, payload: RequestAnswerIn) -> Any:
    """Accept or decline a request asked of you; 409 when it is no longer open."""
    req = visible_request(request, request_id)
    try:
        return meeting_requests.answer_request(acting_user(request), req, accept=payload.accept)
    except DjangoValidationError as exc:
        raise invalid_from(exc) from exc
    except MoveRefused as exc:
        return refused(exc)


@router.post(
    "/requests/{request_id}/cancel", response={200: RequestOut, **MOVE_ERRORS}, tags=TAGS, auth=WRITE_AUTH
)
def cancel_request(request: HttpRequest, request_id: int) -> Any:
    """Withdraw your open request, or cancel an accepted meeting; 409 when it is neither."""
    req = visible_request(request, request_id)
    try:
        return meeting_requests.cancel_request(acting_user(request), req)
    except MoveRefused as exc:
        return refused(exc)


@router.post(
    "/events/{event_id}/schedules", response={202: ScheduleOut, **WRITE_ERRORS}, tags=TAGS, auth=WRITE_AUTH
)
def run_schedule(request: HttpRequest, event_id: int, payload: ScheduleIn) -> Any:
    """Start an optimisation run in the background (organisers); poll GET /schedules/{id}."""
    event = visible_event(request, event_id)
    try:
        schedule = schedules.start_schedule(
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
    if not can(acting_user(request), "view", schedule):
        return Status(403, {"detail": "only the organiser"})
    return schedule


@router.post(
    "/schedules/{schedule_id}/publish",
    response={200: ScheduleOut, **MOVE_ERRORS},
    tags=TAGS,
    auth=WRITE_AUTH,
)
def publish_schedule(request: HttpRequest, schedule_id: int) -> Any:
    """Publish a run that succeeded (organisers); 409 when it did not succeed or is published already."""
    schedule = get_object_or_404(Schedule.objects.select_related("event"), pk=schedule_id)
    try:
        return schedules.publish_schedule(acting_user(request), schedule)
    except MoveRefused as exc:
        return refused(exc)


@router.post(
    "/schedules/{schedule_id}/cancel",
    response={200: ScheduleOut, **MOVE_ERRORS},
    tags=TAGS,
    auth=WRITE_AUTH,
)
def cancel_schedule(request: HttpRequest, schedule_id: int) -> Any:
    """Stop a queued or running optimisation (organisers); 409 when it has finished."""
    schedule = get_object_or_404(Schedule.objects.select_related("event"), pk=schedule_id)
    try:
        schedules.cancel_schedule(acting_user(request), schedule)
    except MoveRefused as exc:
        return refused(exc)
    schedule.refresh_from_db()
    return schedule


@router.get(
    "/registrations/{registration_id}/agenda.ics",
    tags=TAGS,
    auth=WRITE_AUTH,
    response={200: None, **WRITE_ERRORS},
)
def agenda(request: HttpRequest, registration_id: int) -> Any:
    """The participant's published agenda as iCalendar (stable UIDs: a re-publish updates entries)."""
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=registration_id)
    if not can(acting_user(request), "download_agenda", registration):
        return Status(403, {"detail": "not your agenda"})
    return HttpResponse(agenda_ics(registration), content_type="text/calendar; charset=utf-8")
