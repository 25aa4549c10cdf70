"""Event services: meeting requests, expiry, building the scheduling problem from the database, running
the optimiser, publishing, and agendas. Views, API, CLI and tasks call these; the core does the work."""

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

from helix.core.scheduling import InvalidProblem, Meeting, Mode, Problem, Result, Status, solve_schedule
from helix.core.scheduling.reschedule import reschedule
from helix.core.scheduling.tables import assign_tables
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
from helix.registry.permissions import can_manage_cluster, own_organisation_id

# -- permissions -------------------------------------------------------------------------------------------


def is_organiser(user: Any, event: Event) -> bool:
    return bool(user and user.is_authenticated and can_manage_cluster(user, event.cluster))


def acts_for(user: Any, registration: Registration) -> bool:
    """The registered person themselves, someone of their organisation, or the organiser."""
    if is_organiser(user, registration.event):
        return True
    person = getattr(user, "person", None) if user and user.is_authenticated else None
    return bool(
        person
        and (person.pk == registration.person_id or own_organisation_id(user) == registration.organisation_id)
    )


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
) -> Event:
    """An event with a morning and an afternoon session of generated slots and one room, in one go."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from helix.events.models import Room, Session

    if not can_manage_cluster(user, cluster):
        raise PermissionDenied("only the cluster's staff organise its events")
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
            status="open",
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
    max_meetings: int | None = None,
) -> Registration:
    """The user registers themselves (their person record), or the organiser registers ``person``."""
    if person is None:
        person = getattr(user, "person", None) if user and user.is_authenticated else None
        if person is None:
            raise ValidationError({"person": _("Your account is not linked to a person of an organisation.")})
    elif not is_organiser(user, event) and getattr(user, "person", None) != person:
        raise PermissionDenied("only the organiser registers others")
    if event.registrations.filter(person=person).exists():
        raise ValidationError({"person": _("%(person)s is already registered.") % {"person": person}})
    return Registration.objects.create(
        event=event,
        person=person,
        organisation=person.organisation,
        role=role,
        online=online,
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
    if not acts_for(user, requester):
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
    return EventMeetingRequest.objects.create(
        event=event, requester=requester, requested=requested, priority=priority, message=message
    )


def match_requests(user: Any, event: Event) -> list[tuple[Any, Registration, Registration]]:
    """Meeting requests made from match suggestions (the market's) between the user's organisation and an
    organisation registered at ``event`` that the event does not have yet: (market request, own
    registration, counterpart's registration)."""
    from helix.market.models import MeetingRequest, MeetingStatus

    own = [
        r
        for r in event.registrations.select_related("organisation")
        if acts_for(user, r) and not is_organiser(user, event)
    ]
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
                req.status = RequestStatus.ACCEPTED
                req.responded_at = timezone.now()
            req.save(update_fields=["market_request", "status", "responded_at"])
            return req
    raise ValidationError(
        {"market_request": _("This match is not between you and a participant of this event.")}
    )


def answer_request(user: Any, request: EventMeetingRequest, accept: bool) -> EventMeetingRequest:
    if not acts_for(user, request.requested):
        raise PermissionDenied("only the requested participant (or the organiser) answers")
    expire_requests(request.event)
    request.refresh_from_db()
    if request.status != RequestStatus.REQUESTED:
        raise ValidationError(
            {
                "status": _("This request is %(status)s and can no longer be answered.")
                % {"status": request.get_status_display()}
            }
        )
    if accept:
        _check_limits(request.requester, request.requested, field="status")
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.responded_at = timezone.now()
    request.save(update_fields=["status", "responded_at"])
    return request


def cancel_request(user: Any, request: EventMeetingRequest) -> EventMeetingRequest:
    if not (acts_for(user, request.requester) or acts_for(user, request.requested)):
        raise PermissionDenied("not your meeting")
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
    if not is_organiser(user, request.event):
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
    if not acts_for(user, registration):
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
    return EventMeetingRequest.objects.filter(event=event, status=RequestStatus.REQUESTED).update(
        status=RequestStatus.EXPIRED
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


# -- running and publishing schedules ---------------------------------------------------------------------


def start_schedule(
    user: Any, event: Event, *, mode: str = "max", fairness: int | None = None, time_limit: float = 30.0
) -> Schedule:
    """Queue an optimisation run (a background task); the published schedule stays as it is."""
    from helix.events.tasks import optimise_schedule
    from helix.jobs.services import create_job

    if not is_organiser(user, event):
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
    """Optimise and, only if a schedule was found, write its meetings in one transaction."""
    schedule = Schedule.objects.select_related("event").get(pk=schedule_id)
    event = schedule.event
    Schedule.objects.filter(pk=schedule_id).update(status=ScheduleStatus.RUNNING)
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
        Schedule.objects.filter(pk=schedule_id).update(status=ScheduleStatus.FAILED, message=str(exc)[:2000])
        raise
    if should_stop():
        Schedule.objects.filter(pk=schedule_id).update(
            status=ScheduleStatus.CANCELLED, message=_("Cancelled by the organiser.")
        )
        return {"status": "cancelled"}
    if result.status in (Status.INFEASIBLE, Status.UNKNOWN) or (
        mode is Mode.ALL and len(result.assignment) < len(data.requests)
    ):
        message = (
            _("No schedule holds every accepted meeting.")
            if result.status is Status.INFEASIBLE
            else _("No schedule found in the time given.")
        )
        Schedule.objects.filter(pk=schedule_id).update(
            status=ScheduleStatus.FAILED,
            solver_status=result.status,
            message=message,
            seconds=time.monotonic() - started,
        )
        return {"status": "failed", "solver_status": result.status.value}
    tables = assign_tables(data.problem, result.assignment, home=data.home or None)
    with transaction.atomic():
        ScheduledMeeting.objects.filter(schedule_id=schedule_id).delete()
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
        Schedule.objects.filter(pk=schedule_id).update(
            status=ScheduleStatus.SUCCEEDED,
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


def cancel_schedule(user: Any, schedule: Schedule) -> None:
    if not is_organiser(user, schedule.event):
        raise PermissionDenied("only the organiser")
    Schedule.objects.filter(
        pk=schedule.pk, status__in=[ScheduleStatus.QUEUED, ScheduleStatus.RUNNING]
    ).update(cancel_requested=True)


def publish_schedule(user: Any, schedule: Schedule) -> Schedule:
    if not is_organiser(user, schedule.event):
        raise PermissionDenied("only the organiser publishes")
    if schedule.status != ScheduleStatus.SUCCEEDED:
        raise ValidationError({"schedule": _("Only a successful run can be published.")})
    with transaction.atomic():
        last = schedule.event.schedules.select_for_update().filter(published=True).first()
        sequence = (last.sequence + 1) if last else 0
        schedule.event.schedules.filter(published=True).update(published=False)
        schedule.published = True
        schedule.published_at = timezone.now()
        schedule.sequence = sequence
        schedule.save(update_fields=["published", "published_at", "sequence"])
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
