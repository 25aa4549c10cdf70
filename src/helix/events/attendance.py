"""Event services for the organiser's table and the day itself: moving many meeting requests at once,
checking participants in, recording whether each meeting was held, the participants' ratings after
their meetings, and the event's figures (``helix.core.matchmaking.statistics`` counts).

Views call these with the acting user; who may do what is asked of ``helix.events.permissions``, which
moves a request or a meeting's outcome may make is the core's workflow tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.audit.bulk import update_logged
from helix.core.matchmaking import statistics as stats
from helix.core.matchmaking import workflows as flow
from helix.core.workflow import TransitionNotAllowed
from helix.events import meeting_requests, schedules, services
from helix.events.models import (
    Event,
    EventMeetingRequest,
    MeetingRating,
    Registration,
    RequestStatus,
    ScheduledMeeting,
)
from helix.pagecache import data_changed_on_commit
from helix.registry.permissions import can

# -- many requests at once ---------------------------------------------------------------------------------

BULK_MOVES = {
    "accept": RequestStatus.ACCEPTED,
    "decline": RequestStatus.DECLINED,
    "cancel": RequestStatus.CANCELLED,
}


@dataclass(frozen=True)
class BulkResult:
    done: int
    refused: int  # not possible from the request's present state, or beyond a participant's limit


def move_requests(user: Any, event: Event, ids: Iterable[int], action: str) -> BulkResult:
    """Accept, decline or cancel the chosen requests of ``event`` as its organiser; each moves as the
    request workflow allows from its own state, the others are counted as refused."""
    if not can(user, "manage_requests", event):
        raise PermissionDenied("only the organiser moves requests")
    if action not in BULK_MOVES:
        raise ValidationError({"action": _("Choose what to do with the requests chosen.")})
    requests = list(event.requests.filter(pk__in=list(ids)).select_related("event").order_by("pk"))
    if not requests:
        raise ValidationError({"ids": _("Choose at least one request.")})
    done = refused = 0
    for request in requests:
        try:
            with transaction.atomic():
                if action == "cancel":
                    meeting_requests.cancel_request(user, request)
                else:
                    meeting_requests.answer_request(user, request, accept=action == "accept")
            done += 1
        except (TransitionNotAllowed, ValidationError):
            refused += 1
    return BulkResult(done, refused)


# -- check-in ------------------------------------------------------------------------------------------------


def check_in(user: Any, registration: Registration, *, present: bool = True) -> Registration:
    """Check the participant in (now), or undo it."""
    if not can(user, "check_in", registration):
        raise PermissionDenied("only the organiser checks participants in")
    if present and registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
    elif not present:
        registration.checked_in_at = None
    registration.save(update_fields=["checked_in_at"])
    return registration


CHECK_IN_MOVES = {"check_in": True, "undo_check_in": False}  # bulk action: present or not


def check_in_many(user: Any, event: Event, ids: Iterable[int], action: str) -> int:
    """Check the chosen participants of ``event`` in (``check_in``: now) or undo it (``undo_check_in``);
    returns how many changed. One update, logged in the audit trail row by row."""
    if not can(user, "check_in", event):
        raise PermissionDenied("only the organiser checks participants in")
    if action not in CHECK_IN_MOVES:
        raise ValidationError({"action": _("Choose what to do with the participants chosen.")})
    ids = list(ids)
    if not ids:
        raise ValidationError({"ids": _("Choose at least one participant.")})
    chosen = event.registrations.filter(pk__in=ids)
    with transaction.atomic():
        if CHECK_IN_MOVES[action]:
            changed = update_logged(chosen.filter(checked_in_at__isnull=True), checked_in_at=timezone.now())
        else:
            changed = update_logged(chosen.filter(checked_in_at__isnull=False), checked_in_at=None)
        if changed:
            data_changed_on_commit()  # an update sends no model signal: the cached pages
    return changed


# -- on the day: was the meeting held ----------------------------------------------------------------------


def published_meeting(request: EventMeetingRequest) -> ScheduledMeeting | None:
    """The request's place in its event's published schedule, if it has one."""
    return (
        ScheduledMeeting.objects.filter(request=request, schedule__published=True)
        .select_related("slot")
        .first()
    )


def record_outcome(user: Any, request: EventMeetingRequest, outcome: str) -> EventMeetingRequest:
    """The organiser records that a scheduled meeting was held, that a side did not come, or takes the
    record back (``pending``)."""
    if not can(user, "record_outcome", request):
        raise PermissionDenied("only the organiser records meetings")
    if published_meeting(request) is None:
        raise ValidationError({"outcome": _("Only a meeting of the published schedule is held or missed.")})
    roles = {flow.ORGANISER}
    services.permitted_move(flow.MEETING_OUTCOME_WORKFLOW, request.outcome, outcome, roles)
    request.outcome = outcome
    request.save(update_fields=["outcome"])
    return request


# -- after the meeting: the participants' word -------------------------------------------------------------


def rate_meeting(
    user: Any, request: EventMeetingRequest, registration: Registration, *, useful: bool, follow_up: bool
) -> MeetingRating:
    """A side of a scheduled meeting says, once its slot has begun, whether it was useful and whether a
    follow-up is planned; rating again replaces its word."""
    if registration.pk not in (request.requester_id, request.requested_id):
        raise ValidationError({"registration": _("Only the two sides of a meeting rate it.")})
    if not (can(user, "rate", request) and can(user, "act_for", registration)):
        raise PermissionDenied("only the two sides of a meeting rate it")
    meeting = published_meeting(request)
    if meeting is None or meeting.slot.start > timezone.now():
        raise ValidationError({"useful": _("A meeting is rated once it has taken place.")})
    rating, _created = MeetingRating.objects.update_or_create(
        request=request, registration=registration, defaults={"useful": useful, "follow_up": follow_up}
    )
    return rating


def ratings_of(registrations: Iterable[Registration]) -> dict[int, MeetingRating]:
    """Ratings given by these registrations, by request id."""
    return {r.request_id: r for r in MeetingRating.objects.filter(registration__in=list(registrations))}


# -- the figures after the event ---------------------------------------------------------------------------


def event_statistics(user: Any, event: Event) -> stats.EventStatistics:
    """Registrations and check-ins, requests and their fate, meetings held, ratings: for the organisers."""
    if not can(user, "view_statistics", event):
        raise PermissionDenied("only the organisers read the event's figures")
    schedule = schedules.published_schedule(event)
    scheduled = set(schedule.meetings.values_list("request_id", flat=True)) if schedule is not None else set()
    return stats.event_statistics(
        [
            stats.Attendee(organisation, checked_in is not None)
            for organisation, checked_in in event.registrations.values_list(
                "organisation_id", "checked_in_at"
            )
        ],
        [
            stats.MeetingRecord(pk, status, pk in scheduled, outcome)
            for pk, status, outcome in event.requests.values_list("pk", "status", "outcome")
        ],
        [
            stats.Rating(request_id, useful, follow_up)
            for request_id, useful, follow_up in MeetingRating.objects.filter(
                Q(request__event=event)
            ).values_list("request_id", "useful", "follow_up")
        ],
    )
