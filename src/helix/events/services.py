"""Event services: the event's status, registrations, meeting requests, expiry, building the scheduling
problem from the database, running the optimiser, publishing, and agendas. Views, API, CLI and tasks call
these; the core does the work.

Who may act is asked of ``helix.events.permissions`` (through ``can``); which moves an event, a schedule
run or a meeting request may make is the core's workflow tables (``helix.core.matchmaking.workflows``).
A move the actor's role may not make is refused with PermissionDenied; a move the table has not from
the present state with :class:`~helix.core.matchmaking.workflows.MoveRefused` (a TransitionNotAllowed
with a code), which pages and API translate."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.audit.bulk import update_logged
from helix.core.matchmaking import workflows as flow
from helix.core.matchmaking.workflows import NOT_YOURS, MoveRefused, check_move
from helix.core.scheduling import InvalidProblem, Meeting, Mode, Problem, Result, Status, solve_schedule
from helix.core.scheduling.reschedule import reschedule
from helix.core.scheduling.tables import assign_tables
from helix.core.workflow import Transition, Workflow
from helix.events import notices
from helix.events.models import (
    Event,
    EventFormat,
    EventMeetingRequest,
    Registration,
    RequestStatus,
    Role,
    Schedule,
    ScheduledMeeting,
    ScheduleStatus,
    TimeSlot,
)
from helix.pagecache import data_changed_on_commit
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
    locked = Event.objects.select_for_update().select_related("cluster").get(pk=event.pk)
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


# -- meeting requests --------------------------------------------------------------------------------------


def accepted_count(registration: Registration) -> int:
    return EventMeetingRequest.objects.filter(
        Q(requester=registration) | Q(requested=registration), status=RequestStatus.ACCEPTED
    ).count()


def _check_limits(*sides: Registration, field: str) -> None:
    """Refuse one more meeting for a participant who already has the most it accepts."""
    for side in sides:
        if side.max_meetings is not None and accepted_count(side) >= side.max_meetings:
            message = _("%(name)s already has the most meetings they accept (%(n)d).")
            raise ValidationError({field: message % {"name": side.person, "n": side.max_meetings}})


def request_meeting(
    user: Any, requester: Registration, requested: Registration, *, priority: int = 1, message: str = ""
) -> EventMeetingRequest:
    event = requester.event
    if requested.event_id != event.pk:
        raise ValidationError({"requested": _("Both participants must be registered for the same event.")})
    if not can(user, "act_for", requester):
        raise PermissionDenied("you do not act for this participant")
    if requester.pk == requested.pk or requester.organisation_id == requested.organisation_id:
        raise ValidationError({"requested": _("A meeting is between two different organisations.")})
    if event.request_deadline and timezone.now() > event.request_deadline:
        raise ValidationError({"event": _("The deadline for meeting requests has passed.")})
    if not 1 <= priority <= 3:
        raise ValidationError({"priority": _("Priority is 1 (normal) to 3 (high).")})
    if event.format == EventFormat.SPEED_DATING and {requester.role, requested.role} != {
        Role.HOST,
        Role.VISITOR,
    }:
        raise ValidationError({"requested": _("In speed-dating, visitors meet host tables.")})
    open_pair = EventMeetingRequest.objects.filter(
        event=event, status__in=[RequestStatus.REQUESTED, RequestStatus.ACCEPTED]
    ).filter(Q(requester=requester, requested=requested) | Q(requester=requested, requested=requester))
    if open_pair.exists():
        raise ValidationError({"requested": _("These two already have an open or accepted request.")})
    _check_limits(requester, requested, field="requested")
    request = EventMeetingRequest.objects.create(
        event=event, requester=requester, requested=requested, priority=priority, message=message
    )
    notices.request_made(request)  # the person asked, with links that answer without logging in
    return request


def match_requests(user: Any, event: Event) -> list[tuple[Any, Registration, Registration]]:
    """Meeting requests made from match suggestions (the market's) between the user's organisation and an
    organisation registered at ``event`` that the event does not have yet: (market request, own
    registration, counterpart's registration)."""
    from helix.market.models import MeetingRequest, MeetingStatus

    if can(user, "manage_requests", event):
        return []  # the organisers bring nobody's matches
    own = list(scope(user, "act_for", event.registrations.select_related("organisation")))
    if not own:
        return []
    by_org: dict[int, Registration] = {}
    for reg in event.registrations.order_by("pk"):
        by_org.setdefault(reg.organisation_id, reg)
    own_orgs = {r.organisation_id: r for r in own}
    linked = set(event.requests.exclude(market_request=None).values_list("market_request_id", flat=True))
    out = []
    for mr in MeetingRequest.objects.filter(
        Q(from_organisation_id__in=own_orgs) | Q(to_organisation_id__in=own_orgs),
        status__in=[MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED],
    ).select_related("from_organisation", "to_organisation", "need", "offer"):
        mine, other = (
            (mr.from_organisation_id, mr.to_organisation_id)
            if mr.from_organisation_id in own_orgs
            else (mr.to_organisation_id, mr.from_organisation_id)
        )
        if mr.pk not in linked and other in by_org:
            out.append((mr, own_orgs[mine], by_org[other]))
    return out


def request_from_match(user: Any, event: Event, market_request: Any) -> EventMeetingRequest:
    """Bring a meeting requested from a match suggestion to this event. Already accepted there (both
    sides agreed to meet), it is accepted here too; otherwise the other side answers as usual."""
    from helix.market.models import MeetingStatus

    for mr, own, other in match_requests(user, event):
        if mr.pk == market_request.pk:
            req = request_meeting(user, own, other, message=mr.message)
            req.market_request = mr
            if mr.status == MeetingStatus.ACCEPTED:
                _check_limits(own, other, field="status")
                req.status = flow.EVENT_REQUEST_WORKFLOW.check(
                    req.status, RequestStatus.ACCEPTED, {flow.BOTH_AGREED}
                ).target
                req.responded_at = timezone.now()
            req.save(update_fields=["market_request", "status", "responded_at"])
            return req
    raise ValidationError(
        {"market_request": _("This match is not between you and a participant of this event.")}
    )


def answer_request(user: Any, request: EventMeetingRequest, accept: bool) -> EventMeetingRequest:
    """Accept or decline: the participant asked (or the organiser), while the request is open."""
    if not can(user, "answer", request):
        raise PermissionDenied("only the requested participant (or the organiser) answers")
    return _answer(request, accept, request_roles(user, request))


def answer_request_by_link(request: EventMeetingRequest, accept: bool) -> EventMeetingRequest:
    """The participant asked answers from the signed link of their e-mail, without an account or a
    log-in: the link (helix.events.notices.read_answer_token) names this request and the registration
    asked, so its holder moves as the side asked, as the workflow allows that side."""
    return _answer(request, accept, {flow.ASKED})


def _answer(request: EventMeetingRequest, accept: bool, roles: set[str]) -> EventMeetingRequest:
    # Expiry is kept even when the answer is then refused (an expired request stays expired).
    expire_requests(request.event)
    return _answer_now(request, accept, roles)


@transaction.atomic
def _answer_now(request: EventMeetingRequest, accept: bool, roles: set[str]) -> EventMeetingRequest:
    request.refresh_from_db()
    target = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    permitted_move(flow.EVENT_REQUEST_WORKFLOW, request.status, target, roles)
    if accept:
        _check_limits(request.requester, request.requested, field="status")
    request.status = target
    request.responded_at = timezone.now()
    request.save(update_fields=["status", "responded_at"])
    notices.request_answered(request)  # the requester hears the answer
    return request


def cancel_request(user: Any, request: EventMeetingRequest) -> EventMeetingRequest:
    """Withdraw an open request (the requester) or cancel an accepted meeting (either side)."""
    if not can(user, "cancel", request):
        raise PermissionDenied("not your meeting")
    request.refresh_from_db()
    roles = request_roles(user, request)
    permitted_move(flow.EVENT_REQUEST_WORKFLOW, request.status, RequestStatus.CANCELLED, roles)
    request.status = RequestStatus.CANCELLED
    request.save(update_fields=["status"])
    return request


def update_request(
    user: Any,
    request: EventMeetingRequest,
    *,
    priority: int | None = None,
    fixed_slot: TimeSlot | None = None,
    after: EventMeetingRequest | None = None,
) -> EventMeetingRequest:
    """The organiser sets a request's priority, fixes its slot, or says it must follow another meeting."""
    if not can(user, "edit", request):
        raise PermissionDenied("only the organiser")
    if priority is not None and not 1 <= priority <= 3:
        raise ValidationError({"priority": _("Priority is 1 (normal) to 3 (high).")})
    if fixed_slot is not None and fixed_slot.event_id != request.event_id:
        raise ValidationError({"fixed_slot": _("That slot belongs to another event.")})
    if after is not None:
        if after.event_id != request.event_id or after.pk == request.pk:
            raise ValidationError(
                {"after": _("A meeting can only follow another meeting of the same event.")}
            )
        seen, node = {request.pk}, after
        while node is not None:  # no cycle: walking 'must follow' from `after` never reaches this request
            if node.pk in seen:
                raise ValidationError({"after": _("These meetings would each have to follow the other.")})
            seen.add(node.pk)
            node = node.after
    if priority is not None:
        request.priority = priority
    request.fixed_slot = fixed_slot
    request.after = after
    request.save(update_fields=["priority", "fixed_slot", "after"])
    return request


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


def expire_requests(event: Event, now: Any = None) -> int:
    """Unanswered requests expire at the organiser's deadline; returns how many expired now."""
    now = now or timezone.now()
    if not event.request_deadline or now <= event.request_deadline:
        return 0
    move = flow.EVENT_REQUEST_WORKFLOW.check(RequestStatus.REQUESTED, RequestStatus.EXPIRED, {flow.DEADLINE})
    unanswered = EventMeetingRequest.objects.filter(event=event, status=move.source)
    return update_logged(unanswered, status=move.target)


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


# -- running and publishing schedules ---------------------------------------------------------------------


def start_schedule(
    user: Any, event: Event, *, mode: str = "max", fairness: int | None = None, time_limit: float = 30.0
) -> Schedule:
    """Queue an optimisation run (a background task); the published schedule stays as it is."""
    from helix.events.tasks import optimise_schedule
    from helix.jobs.services import create_job

    if not can(user, "schedule", event):
        raise PermissionDenied("only the organiser schedules")
    if mode not in ("all", "max"):
        raise ValidationError({"mode": _("Mode is 'all' or 'max'.")})
    build_problem(event)  # refuse bad data now, not in the background
    job = create_job("events.schedule", _("Schedule %(event)s") % {"event": event.title}, user)
    schedule = Schedule.objects.create(
        event=event,
        mode=mode,
        fairness=fairness,
        time_limit=time_limit,
        job=job,
        created_by=user if getattr(user, "pk", None) else None,
    )
    transaction.on_commit(lambda: optimise_schedule.enqueue(schedule.pk))
    return schedule


def run_schedule(schedule_id: int, progress: Callable[[int, int, str], None] | None = None) -> dict[str, Any]:
    """Optimise and, only if a schedule was found, write its meetings in one transaction. Each state change
    is a move of the schedule workflow made by the worker: a run that already succeeded (or is published)
    is never run again, so its meetings never change under a published schedule."""
    schedule = Schedule.objects.select_related("event").get(pk=schedule_id)
    event = schedule.event
    _worker_move(schedule, flow.RUNNING)
    started = time.monotonic()

    owner = threading.get_ident()
    cancelled = [False]

    def should_stop() -> bool:
        """Read the cancel flag; only from this thread (CP-SAT calls back from its own threads, which
        must not touch the database), at most every half second."""
        if threading.get_ident() == owner and not cancelled[0]:
            now = time.monotonic()
            if now - last_look[0] >= 0.5:
                last_look[0] = now
                cancelled[0] = Schedule.objects.filter(pk=schedule_id, cancel_requested=True).exists()
        return cancelled[0]

    last_look = [-1.0]

    def report(message: str, seconds: float) -> None:
        if progress and threading.get_ident() == owner:  # the database only from this thread
            progress(min(int(seconds), int(schedule.time_limit) - 1), int(schedule.time_limit), message)

    try:
        data = build_problem(event)
        mode = Mode(schedule.mode)
        published = event.schedules.filter(published=True).first()
        previous: dict[int, int] = {}
        if published:
            slot_index = {s.pk: i for i, s in enumerate(data.slots)}
            by_request = {r.pk: i for i, r in enumerate(data.requests)}
            for sm in published.meetings.all():
                if sm.request_id in by_request and sm.slot_id in slot_index:
                    previous[by_request[sm.request_id]] = slot_index[sm.slot_id]
        result: Result
        if event.format == EventFormat.SPEED_DATING:
            mode = Mode.MAX  # visitors rotate past host tables (data.home) as far as the rounds allow
        if previous:
            result = reschedule(
                data.problem,
                previous,
                mode,
                schedule.fairness,
                time_limit=schedule.time_limit,
                progress=report,
                should_stop=should_stop,
            )
        else:
            result = solve_schedule(
                data.problem,
                mode,
                schedule.fairness,
                time_limit=schedule.time_limit,
                progress=report,
                should_stop=should_stop,
            )
    except Exception as exc:
        _worker_move(schedule, flow.FAILED, message=str(exc)[:2000])
        raise
    if should_stop():
        _worker_move(schedule, flow.CANCELLED, message=_("Cancelled by the organiser."))
        return {"status": "cancelled"}
    if result.status in (Status.INFEASIBLE, Status.UNKNOWN) or (
        mode is Mode.ALL and len(result.assignment) < len(data.requests)
    ):
        message = (
            _("No schedule holds every accepted meeting.")
            if result.status is Status.INFEASIBLE
            else _("No schedule found in the time given.")
        )
        _worker_move(
            schedule,
            flow.FAILED,
            solver_status=result.status,
            message=message,
            seconds=time.monotonic() - started,
        )
        return {"status": "failed", "solver_status": result.status.value}
    tables = assign_tables(data.problem, result.assignment, home=data.home or None)
    with transaction.atomic():
        ScheduledMeeting.objects.filter(schedule_id=schedule_id).delete()
        data_changed_on_commit()  # bulk_create sends no model signal
        ScheduledMeeting.objects.bulk_create(
            [
                ScheduledMeeting(
                    schedule_id=schedule_id,
                    request=data.requests[m],
                    slot=data.slots[t],
                    table=tables[m] + 1 if m in tables else None,
                )
                for m, t in sorted(result.assignment.items())
            ]
        )
        _worker_move(
            schedule,
            flow.SUCCEEDED,
            solver_status=result.status.value,
            total_breaks=result.total_breaks,
            bound=result.bound,
            held=len(result.assignment),
            requested=len(data.requests),
            weight_held=result.weight_held,
            weight_bound=result.weight_bound,
            moved=result.moved,
            seconds=result.seconds,
        )
    return {
        "status": "succeeded",
        "held": len(result.assignment),
        "requested": len(data.requests),
        "total_breaks": result.total_breaks,
        "solver_status": result.status.value,
    }


def _worker_move(schedule: Schedule, target: str, **fields: Any) -> None:
    """The background run moves ``schedule`` to ``target`` (with ``fields``), as the workflow allows the
    worker from the state stored now; MoveRefused otherwise."""
    stored = Schedule.objects.filter(pk=schedule.pk).values_list("status", "published").get()
    move = check_move(flow.SCHEDULE_WORKFLOW, flow.schedule_state(*stored), target, {flow.WORKER})
    update_logged(Schedule.objects.filter(pk=schedule.pk, status=stored[0]), status=move.target, **fields)
    schedule.status = move.target


def cancel_schedule(user: Any, schedule: Schedule) -> None:
    """Ask a queued or running optimisation to stop; the run moves to cancelled when it next looks."""
    if not can(user, "cancel", schedule):
        raise PermissionDenied("only the organiser")
    schedule.refresh_from_db(fields=["status", "published"])
    state = flow.schedule_state(schedule.status, schedule.published)
    permitted_move(flow.SCHEDULE_WORKFLOW, state, flow.CANCELLED, schedule_roles(user, schedule))
    update_logged(Schedule.objects.filter(pk=schedule.pk, status=schedule.status), cancel_requested=True)


def publish_schedule(user: Any, schedule: Schedule) -> Schedule:
    """Publish a run that succeeded; the schedule published until now stops being published."""
    if not can(user, "publish", schedule):
        raise PermissionDenied("only the organiser publishes")
    roles = schedule_roles(user, schedule)
    with transaction.atomic():
        last = schedule.event.schedules.select_for_update().filter(published=True).first()
        schedule.refresh_from_db(fields=["status", "published"])
        permitted_move(
            flow.SCHEDULE_WORKFLOW,
            flow.schedule_state(schedule.status, schedule.published),
            flow.PUBLISHED,
            roles,
        )
        if last is not None:
            permitted_move(flow.SCHEDULE_WORKFLOW, flow.PUBLISHED, flow.SUCCEEDED, roles)
        sequence = (last.sequence + 1) if last else 0
        update_logged(schedule.event.schedules.filter(published=True), published=False)
        schedule.published = True
        schedule.published_at = timezone.now()
        schedule.sequence = sequence
        schedule.save(update_fields=["published", "published_at", "sequence"])
        # Each participant's agenda by e-mail with its .ics, from a background task after commit.
        previous_id = last.pk if last is not None else None
        transaction.on_commit(lambda: notices.send_agenda_notices.enqueue(schedule.pk, previous_id))
    return schedule


def published_schedule(event: Event) -> Schedule | None:
    return event.schedules.filter(published=True).first()


def agenda(registration: Registration) -> list[ScheduledMeeting]:
    schedule = published_schedule(registration.event)
    if not schedule:
        return []
    return list(
        schedule.meetings.filter(Q(request__requester=registration) | Q(request__requested=registration))
        .select_related(
            "slot",
            "request__requester__person",
            "request__requester__organisation",
            "request__requested__person",
            "request__requested__organisation",
        )
        .order_by("slot__start")
    )


# -- a participant leaving a published schedule (privacy erasure) -----------------------------------------


def published_meetings_of(person: Any) -> Any:
    """The meetings of ``person`` (a registry Person) in published schedules, any event."""
    return ScheduledMeeting.objects.filter(schedule__published=True).filter(
        Q(request__requester__person=person) | Q(request__requested__person=person)
    )


@dataclass
class Withdrawal:
    """What taking a participant out of one event's published schedule did."""

    event: Event
    schedule: Schedule  # the schedule published in place of the previous one
    cancelled: int  # meetings taken out
    notified: int  # other participants told by e-mail


def withdraw_from_published_schedules(user: Any, person: Any) -> list[Withdrawal]:
    """Take ``person`` out of every published schedule, never silently: their meeting requests are
    cancelled, each affected event's schedule is published again (next iCalendar SEQUENCE) without their
    meetings while everyone else keeps their slot and table, and the other side of each cancelled meeting
    is told (helix.events.notices: the inbox, and an e-mail sent after commit by the outbox's task with
    their agenda as now published). ``user`` None is a trusted caller (CLI); anyone else must organise
    every such event."""
    meetings = list(
        published_meetings_of(person).select_related(
            "schedule__event__cluster",
            "slot",
            "request__requester__person",
            "request__requester__organisation",
            "request__requested__person",
            "request__requested__organisation",
        )
    )
    by_event: dict[int, list[ScheduledMeeting]] = {}
    for meeting in meetings:
        by_event.setdefault(meeting.schedule.event_id, []).append(meeting)
    events = {m.schedule.event_id: m.schedule.event for m in meetings}
    if user is not None and not all(is_organiser(user, e) for e in events.values()):
        raise PermissionDenied("only the organiser of every event concerned re-publishes its schedule")
    done: list[Withdrawal] = []
    with transaction.atomic():
        for event_id, cancelled in by_event.items():
            event = events[event_id]
            old = Schedule.objects.select_for_update().get(pk=cancelled[0].schedule_id, published=True)
            gone = {m.pk for m in cancelled}
            update_logged(Schedule.objects.filter(pk=old.pk), published=False)
            new = Schedule.objects.create(
                event=event,
                status=ScheduleStatus.SUCCEEDED,
                mode=old.mode,
                fairness=old.fairness,
                time_limit=old.time_limit,
                solver_status=old.solver_status,
                held=(old.held or 0) - len(gone) if old.held is not None else None,
                requested=old.requested,
                moved=0,
                seconds=0.0,
                message=_(
                    "Published again without the %(n)d meetings of a participant who withdrew; everyone "
                    "else keeps their slot and table."
                )
                % {"n": len(gone)},
                created_by=user if getattr(user, "pk", None) else None,
                published=True,
                published_at=timezone.now(),
                sequence=old.sequence + 1,
            )
            data_changed_on_commit()  # bulk_create sends no model signal
            ScheduledMeeting.objects.bulk_create(
                [
                    ScheduledMeeting(schedule=new, request_id=m.request_id, slot_id=m.slot_id, table=m.table)
                    for m in old.meetings.exclude(pk__in=gone)
                ]
            )
            update_logged(
                EventMeetingRequest.objects.filter(event=event)
                .filter(Q(requester__person=person) | Q(requested__person=person))
                .exclude(status__in=[RequestStatus.DECLINED, RequestStatus.EXPIRED]),
                status=RequestStatus.CANCELLED,
            )
            told = sum(notices.meeting_cancelled(event, m, person) for m in cancelled)
            done.append(Withdrawal(event, new, len(gone), told))
    return done
