"""Event services: who may act and which moves they may make, what a viewer may see (events,
participants, requests), the programme, the event's status, creating an event and registering for it.
Meeting requests are in :mod:`helix.events.meeting_requests`, schedule runs and publishing in
:mod:`helix.events.schedules`, the ORM -> core mapping in :mod:`helix.events.convert`. Views, API, CLI
and tasks call these; the core does the work.

Who may act is asked of ``helix.events.permissions`` (through ``can``); which moves an event, a schedule
run or a meeting request may make is the core's workflow tables (``helix.core.matchmaking.workflows``).
A move the actor's role may not make is refused with PermissionDenied; a move the table has not from
the present state with :class:`~helix.core.matchmaking.workflows.MoveRefused` (a TransitionNotAllowed
with a code), which pages and API translate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helix.core.matchmaking import workflows as flow
from helix.core.matchmaking.workflows import NOT_YOURS, MoveRefused, check_move
from helix.core.workflow import Transition, Workflow
from helix.events.models import (
    Event,
    EventFormat,
    EventMeetingRequest,
    Registration,
    Role,
    Schedule,
    TimeSlot,
)
from helix.registry.permissions import can, can_create, scope

# -- who may act, and which moves (both asked of the declarations) ------------------------------------------


def is_organiser(user: Any, event: Event) -> bool:
    """Staff of the event's cluster (or a superuser): they run its schedule (``events.event: schedule``)."""
    return can(user, "schedule", event)


def acts_for(user: Any, registration: Registration) -> bool:
    """The registered person, someone of their organisation (while the event is published), or the
    organiser (``events.registration: act_for``)."""
    return can(user, "act_for", registration)


def event_roles(user: Any, event: Event) -> set[str]:
    return {flow.ORGANISER} if can(user, "change_status", event) else set()


def schedule_roles(user: Any, schedule: Schedule) -> set[str]:
    return {flow.ORGANISER} if can(user, "publish", schedule) else set()


def request_roles(user: Any, request: EventMeetingRequest) -> set[str]:
    """The sides of ``request`` that ``user`` acts for, and ``organiser``."""
    roles = set()
    if can(user, "act_for", request.requester):
        roles.add(flow.REQUESTER)
    if can(user, "act_for", request.requested):
        roles.add(flow.ASKED)
    if can(user, "edit", request):
        roles.add(flow.ORGANISER)
    return roles


def permitted_move(workflow: Workflow, source: str, target: str, roles: set[str]) -> Transition:
    """The table's move, or why not: PermissionDenied when it is not the actor's to make, MoveRefused
    (code ``not_from_state``) when the table has no such move from ``source``."""
    try:
        return check_move(workflow, source, target, roles)
    except MoveRefused as exc:
        if exc.code == NOT_YOURS:
            raise PermissionDenied(str(exc)) from None
        raise


def moves(workflow: Workflow, source: str, roles: set[str]) -> list[Transition]:
    """The moves out of ``source`` an actor holding ``roles`` may make (what pages and API offer)."""
    return workflow.available(source, roles)


def event_moves(user: Any, event: Event) -> list[Transition]:
    return moves(flow.EVENT_WORKFLOW, event.status, event_roles(user, event))


def schedule_moves(user: Any, schedule: Schedule) -> list[Transition]:
    state = flow.schedule_state(schedule.status, schedule.published)
    return moves(flow.SCHEDULE_WORKFLOW, state, schedule_roles(user, schedule))


def request_moves(user: Any, request: EventMeetingRequest) -> list[Transition]:
    return moves(flow.EVENT_REQUEST_WORKFLOW, request.status, request_roles(user, request))


def visible_events(user: Any) -> Any:
    """Events ``user`` may find in the list: published ones, and drafts of their own clusters (staff)."""
    return scope(user, "list", Event.objects.select_related("cluster"))


def participants(user: Any, event: Event) -> Any:
    """The registrations of ``event`` that ``user`` may see (none where the participant list is not
    theirs to see)."""
    if not can(user, "view_participants", event):
        return Registration.objects.none()
    return scope(user, "view", event.registrations.select_related("person", "organisation", "event"))


# What a request's row and its permission checks read: its event, and each side with its event, person
# and organisation (``select_related(*REQUEST_SIDES)``).
REQUEST_SIDES = (
    "event",
    "requester__event",
    "requester__person",
    "requester__organisation",
    "requested__event",
    "requested__person",
    "requested__organisation",
)


def visible_requests(user: Any, event: Event) -> Any:
    """The meeting requests of ``event`` that ``user`` may see: all for its organisers, a participant's
    organisation's own (either side) for the others."""
    return scope(user, "view", EventMeetingRequest.objects.filter(event=event).select_related(*REQUEST_SIDES))


@dataclass
class ProgrammePart:
    """A session of the event (or its slots outside any session): its name, first start and last end,
    and its meeting slots."""

    name: str
    start: Any
    end: Any
    slots: list[TimeSlot]

    @property
    def minutes(self) -> int:
        """The length of its first meeting slot, in minutes."""
        first = self.slots[0]
        return int((first.end - first.start).total_seconds() // 60)


def programme(event: Event) -> list[ProgrammePart]:
    """The event's sessions in order, each with its slots; slots outside a session come under
    "Meetings". Times are as stored (UTC): pages show them in the event's time zone."""
    by_session: dict[int | None, list[TimeSlot]] = {}
    for slot in event.slots.order_by("start", "pk"):
        by_session.setdefault(slot.session_id, []).append(slot)
    parts = []
    for session in event.sessions.all():
        slots = by_session.pop(session.pk, [])
        if slots:
            parts.append(ProgrammePart(session.name, slots[0].start, slots[-1].end, slots))
    loose = [slot for slots in by_session.values() for slot in slots]
    if loose:
        loose.sort(key=lambda s: s.start)
        parts.append(ProgrammePart(_("Meetings"), loose[0].start, loose[-1].end, loose))
    return sorted(parts, key=lambda p: p.start)


@transaction.atomic
def change_status(user: Any, event: Event, target: str) -> Event:
    """Open, close or reopen registration, as the event's workflow allows the organiser. The caller's
    ``event`` object is updated too."""
    locked = Event.objects.select_for_update(of=("self",)).select_related("cluster").get(pk=event.pk)
    if not can(user, "change_status", locked):
        raise PermissionDenied("only the event's organisers change its status")
    permitted_move(flow.EVENT_WORKFLOW, locked.status, target, event_roles(user, locked))
    locked.status = event.status = target
    locked.save(update_fields=["status"])
    return locked


def create_event(
    user: Any,
    *,
    cluster: Any,
    title: str,
    day: Any,
    first_slot: Any,
    slot_minutes: int,
    gap_minutes: int,
    morning_slots: int,
    lunch_minutes: int,
    afternoon_slots: int,
    tables: int,
    venue: str = "",
    description: str = "",
    format: str = EventFormat.B2B,
    attendance: str = "on_site",
    request_deadline: Any = None,
    time_zone: str = "Europe/Brussels",
    open_now: bool = True,
) -> Event:
    """An event with a morning and an afternoon session of generated slots and one room, in one go; a
    draft (the workflow's first state), opened for registration at once when ``open_now``."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from helix.events.models import Room, Session

    if not (can_create(user, Event) and can(user, "manage", cluster)):
        raise PermissionDenied("only the cluster's staff organise its events")
    status = flow.EVENT_WORKFLOW.initial
    if open_now:
        status = flow.EVENT_WORKFLOW.check(status, flow.OPEN, {flow.ORGANISER}).target
    zone = ZoneInfo(time_zone)
    with transaction.atomic():
        event = Event.objects.create(
            cluster=cluster,
            title=title,
            venue=venue,
            description=description,
            format=format,
            attendance=attendance,
            request_deadline=request_deadline,
            time_zone=time_zone,
            status=status,
            created_by=user if getattr(user, "pk", None) else None,
        )
        start = datetime.combine(day, first_slot, tzinfo=zone)
        step = timedelta(minutes=slot_minutes + gap_minutes)
        length = timedelta(minutes=slot_minutes)
        for order, (name, count) in enumerate(
            ((_("Morning"), morning_slots), (_("Afternoon"), afternoon_slots))
        ):
            if not count:
                continue
            session = Session.objects.create(event=event, name=name, order=order)
            for _k in range(count):
                TimeSlot.objects.create(event=event, session=session, start=start, end=start + length)
                start += step
            start += timedelta(minutes=lunch_minutes) - timedelta(minutes=gap_minutes)
        Room.objects.create(event=event, name=_("Main hall"), tables=tables)
    return event


def register(
    user: Any,
    event: Event,
    *,
    person: Any = None,
    role: str = Role.PARTICIPANT,
    online: bool = False,
    online_link: str = "",
    max_meetings: int | None = None,
) -> Registration:
    """The user registers themselves (their person record) while the event is open for registration, or
    the organiser registers ``person``."""
    own = getattr(user, "person", None) if user is not None and user.is_authenticated else None
    if person is None or person == own:
        if not (can(user, "register", event) or can(user, "register_others", event)):
            raise PermissionDenied("registration for this event is not open")
        if own is None:
            raise ValidationError({"person": _("Your account is not linked to a person of an organisation.")})
        person = own
    elif not can(user, "register_others", event):
        raise PermissionDenied("only the organiser registers others")
    if event.registrations.filter(person=person).exists():
        raise ValidationError({"person": _("%(person)s is already registered.") % {"person": person}})
    return Registration.objects.create(
        event=event,
        person=person,
        organisation=person.organisation,
        role=role,
        online=online,
        online_link=online_link,
        max_meetings=max_meetings,
    )


def set_availability(
    user: Any, registration: Registration, *, unavailable: list[TimeSlot], max_meetings: int | None
) -> Registration:
    if not can(user, "act_for", registration):
        raise PermissionDenied("not your registration")
    if any(slot.event_id != registration.event_id for slot in unavailable):
        raise ValidationError({"unavailable": _("A slot belongs to another event.")})
    with transaction.atomic():
        registration.max_meetings = max_meetings
        registration.save(update_fields=["max_meetings"])
        registration.unavailable.set(unavailable)
    return registration
