"""The events app <-> core scheduling mapping: an event's accepted meeting requests, registrations, slots
and rooms as a core :class:`~helix.core.scheduling.Problem` (with the index tables that lead back to the
rows), a published schedule as the core's meeting -> slot assignment, and a core
:class:`~helix.core.scheduling.Result` back as ScheduledMeeting rows and the Schedule's figures. No
decision is taken here: the core decides, :mod:`helix.events.schedules` loads, calls and saves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from helix.core.scheduling import InvalidProblem, Meeting, Problem, Result
from helix.events.meeting_requests import expire_requests
from helix.events.models import (
    Event,
    EventFormat,
    EventMeetingRequest,
    Registration,
    RequestStatus,
    Role,
    Schedule,
    ScheduledMeeting,
    TimeSlot,
)

# -- the scheduling problem from the database -------------------------------------------------------------


@dataclass
class EventProblem:
    problem: Problem
    requests: list[EventMeetingRequest]  # meeting index -> request
    registrations: list[Registration]  # participant index -> registration
    slots: list[TimeSlot]  # slot index -> slot
    home: dict[int, int]  # host participant -> table (speed-dating)


def build_problem(event: Event) -> EventProblem:
    """Accepted requests of ``event`` as a core Problem (expired requests never take a slot)."""
    expire_requests(event)
    slots = list(event.slots.order_by("start", "pk"))
    if not slots:
        raise ValidationError({"slots": _("The event has no time slots yet.")})
    slot_index = {s.pk: i for i, s in enumerate(slots)}
    registrations = list(event.registrations.select_related("person", "organisation").order_by("pk"))
    index = {r.pk: i for i, r in enumerate(registrations)}
    requests = list(event.requests.filter(status=RequestStatus.ACCEPTED).order_by("pk"))
    request_index = {r.pk: i for i, r in enumerate(requests)}
    n_tables = sum(room.tables for room in event.rooms.all())
    hosts = [r for r in registrations if r.role == Role.HOST]
    home = {index[h.pk]: k for k, h in enumerate(hosts)} if event.format == EventFormat.SPEED_DATING else {}
    if event.format == EventFormat.SPEED_DATING:
        n_tables = max(n_tables, len(hosts))
    online = {r.pk for r in registrations if r.online}
    meetings = []
    for req in requests:
        after = (request_index[req.after_id],) if req.after_id in request_index else ()
        meetings.append(
            Meeting(
                index[req.requester_id],
                index[req.requested_id],
                fixed=slot_index.get(req.fixed_slot_id),
                after=after,
                priority=req.priority,
                needs_table=not (req.requester_id in online and req.requested_id in online),
            )
        )
    unavailable: dict[int, set[int]] = {i: set() for i in range(len(registrations))}
    through = Registration.unavailable.through.objects.filter(registration__event=event)
    for row in through.values("registration_id", "timeslot_id"):
        if row["timeslot_id"] in slot_index:
            unavailable[index[row["registration_id"]]].add(slot_index[row["timeslot_id"]])
    n_morning = None
    sessions = list(event.sessions.all())
    if sessions:
        first = [i for i, s in enumerate(slots) if s.session_id == sessions[0].pk]
        n_morning = len(first) or None
    try:
        problem = Problem(
            len(registrations),
            len(slots),
            tuple(n_tables for _ in slots),
            tuple(meetings),
            tuple(frozenset(unavailable[i]) for i in range(len(registrations))),
            n_morning,
            event.title,
            tuple(r.max_meetings for r in registrations),
        )
    except InvalidProblem as exc:
        raise ValidationError({"requests": str(exc)}) from exc
    return EventProblem(problem, requests, registrations, slots, home)


def published_assignment(data: EventProblem, published: Schedule | None) -> dict[int, int]:
    """The meetings of the ``published`` schedule that are still in ``data``, as meeting index -> slot
    index (empty when nothing is published)."""
    previous: dict[int, int] = {}
    if published:
        slot_index = {s.pk: i for i, s in enumerate(data.slots)}
        by_request = {r.pk: i for i, r in enumerate(data.requests)}
        for sm in published.meetings.all():
            if sm.request_id in by_request and sm.slot_id in slot_index:
                previous[by_request[sm.request_id]] = slot_index[sm.slot_id]
    return previous


# -- a core result back into the database -----------------------------------------------------------------


def scheduled_meetings(
    schedule_id: int, data: EventProblem, result: Result, tables: dict[int, int]
) -> list[ScheduledMeeting]:
    """The rows of a run's meetings: each meeting held with its request, slot and table (``tables``:
    meeting index -> table index, from 0; shown from 1)."""
    return [
        ScheduledMeeting(
            schedule_id=schedule_id,
            request=data.requests[m],
            slot=data.slots[t],
            table=tables[m] + 1 if m in tables else None,
        )
        for m, t in sorted(result.assignment.items())
    ]


def run_figures(data: EventProblem, result: Result) -> dict[str, Any]:
    """The Schedule fields a successful run records from its result."""
    return {
        "solver_status": result.status.value,
        "total_breaks": result.total_breaks,
        "bound": result.bound,
        "held": len(result.assignment),
        "requested": len(data.requests),
        "weight_held": result.weight_held,
        "weight_bound": result.weight_bound,
        "moved": result.moved,
        "seconds": result.seconds,
    }
