"""Schedule runs of an event: queueing an optimisation, running it (load the event as a core problem,
let the core choose the objective and whether to re-schedule, save the meetings found), cancelling and
publishing a run, the published schedule and a participant's agenda in it, and taking a participant out
of every published schedule (privacy erasure). Each state change of a run is a move of the core's
``SCHEDULE_WORKFLOW``."""

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
from helix.core.matchmaking.workflows import check_move
from helix.core.scheduling import Mode, Status, event_mode, schedule_found, solve_event
from helix.core.scheduling.tables import assign_tables
from helix.events import notices
from helix.events.convert import build_problem, published_assignment, run_figures, scheduled_meetings
from helix.events.models import (
    Event,
    EventFormat,
    EventMeetingRequest,
    Registration,
    RequestStatus,
    Schedule,
    ScheduledMeeting,
    ScheduleStatus,
)
from helix.events.services import is_organiser, permitted_move, schedule_roles
from helix.pagecache import data_changed_on_commit
from helix.registry.permissions import can


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
        mode = event_mode(Mode(schedule.mode), speed_dating=event.format == EventFormat.SPEED_DATING)
        result = solve_event(
            data.problem,
            mode,
            schedule.fairness,
            previous=published_assignment(data, published_schedule(event)),
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
    if not schedule_found(data.problem, mode, result):
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
        ScheduledMeeting.objects.bulk_create(scheduled_meetings(schedule_id, data, result, tables))
        _worker_move(schedule, flow.SUCCEEDED, **run_figures(data, result))
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
