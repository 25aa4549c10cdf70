"""What participants of an event are told, and the signed links that answer a meeting request by e-mail.

- A meeting request received: the person asked gets an e-mail with an Accept and a Decline link, signed
  for that request and that registration (:func:`answer_token`); the link opens a confirmation page
  (helix.events.views.answer_link) where a button answers it, without an account or a password.
- A request accepted or declined: the requester is told.
- A schedule published (or published again): each participant whose agenda it sets or changes gets the
  agenda by e-mail with its .ics attached, times in the event's time zone, from a background task
  (:func:`send_agenda_notices`), never in the organiser's request.
- A participant withdrawn from a published schedule: the other side of each cancelled meeting is told.
- Two days before an event's request deadline: each participant is reminded, once
  (:func:`remind_request_deadlines`, in the worker's housekeeping round).

Everything goes through helix.notifications (the inbox and the person's e-mail preferences; a person
without an account gets the e-mail only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from helix.events.models import (
    Event,
    EventMeetingRequest,
    EventStatus,
    Registration,
    Schedule,
    ScheduledMeeting,
)
from helix.notifications.messages import moment
from helix.notifications.services import Sweep, notify_person, once, untold

ANSWER_SALT = "helix.events.answer-meeting-request"
LINK_DAYS = 14  # an answer link works this long, and never after the event ended
DEADLINE_NOTICE = dt.timedelta(days=2)
SWEEP_EVERY = 600.0  # seconds between two looks for deadlines in the housekeeping round
_sweep = Sweep(SWEEP_EVERY)


# -- answering by a signed link ----------------------------------------------------------------------------


def answer_token(request: EventMeetingRequest, accept: bool) -> str:
    """A link's token: this request, the registration asked, and the answer the link proposes; signed
    (HELIX_SECRET_KEY, a salt of its own) and dated, so that it cannot be altered or used past
    :data:`LINK_DAYS`."""
    payload = {"r": request.pk, "g": request.requested_id, "a": 1 if accept else 0}
    return signing.TimestampSigner(salt=ANSWER_SALT).sign_object(payload)


class LinkRefused(Exception):
    """A link that may not answer: ``code`` is tampered, expired or ended."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class AnswerLink:
    request: EventMeetingRequest
    accept: bool  # the answer the link proposes


def read_answer_token(token: str, now: dt.datetime | None = None) -> AnswerLink:
    """The request a token answers, or LinkRefused: altered or not a token (tampered), older than
    :data:`LINK_DAYS` (expired), or its event is over (ended)."""
    try:
        data = signing.TimestampSigner(salt=ANSWER_SALT).unsign_object(
            token, max_age=dt.timedelta(days=LINK_DAYS)
        )
    except signing.SignatureExpired:
        raise LinkRefused("expired") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkRefused("tampered") from None
    if not isinstance(data, dict) or not {"r", "g", "a"} <= set(data):
        raise LinkRefused("tampered")
    request = (
        EventMeetingRequest.objects.select_related(
            "event",
            "requester__person",
            "requester__organisation",
            "requested__person",
            "requested__organisation",
        )
        .filter(pk=data["r"], requested_id=data["g"])
        .first()
    )
    if request is None:
        raise LinkRefused("tampered")
    span = request.event.span
    if span is not None and span[1] < (now or timezone.now()):
        raise LinkRefused("ended")
    return AnswerLink(request, bool(data["a"]))


def answer_path(request: EventMeetingRequest, accept: bool) -> str:
    return reverse("events:answer_link", kwargs={"token": answer_token(request, accept)})


# -- meeting requests --------------------------------------------------------------------------------------


def _event_url(event: Event) -> str:
    return reverse("events:detail", args=[event.pk])


def request_made(request: EventMeetingRequest) -> None:
    """Tell the person asked, with the links that answer without logging in."""
    requester = request.requester
    notify_person(
        request.requested.person,
        "events.request_received",
        {
            "person": str(requester.person),
            "organisation": requester.organisation.name,
            "event": request.event.title,
        },
        _event_url(request.event),
        context={
            "event": request.event,
            "request": request,
            "accept_path": answer_path(request, True),
            "decline_path": answer_path(request, False),
            "link_days": LINK_DAYS,
        },
    )


def request_answered(request: EventMeetingRequest) -> None:
    """Tell the requester that the person asked accepted or declined."""
    asked = request.requested
    message = "events.request_accepted" if request.status == "accepted" else "events.request_declined"
    notify_person(
        request.requester.person,
        message,
        {"person": str(asked.person), "organisation": asked.organisation.name, "event": request.event.title},
        _event_url(request.event),
    )


# -- agendas -----------------------------------------------------------------------------------------------


def _meetings_by_registration(schedule_id: int) -> dict[int, set[tuple[int, int, int | None]]]:
    found: dict[int, set[tuple[int, int, int | None]]] = {}
    rows = ScheduledMeeting.objects.filter(schedule_id=schedule_id).values_list(
        "request_id", "slot_id", "table", "request__requester_id", "request__requested_id"
    )
    for request_id, slot_id, table, requester, requested in rows:
        for side in (requester, requested):
            found.setdefault(side, set()).add((request_id, slot_id, table))
    return found


def agenda_rows(registration: Registration) -> list[dict[str, Any]]:
    """The participant's published meetings for the e-mail: start, end, table, the other side."""
    from helix.events.schedules import agenda

    rows = []
    for item in agenda(registration):
        req = item.request
        other = req.requested if req.requester_id == registration.pk else req.requester
        online = registration.online or other.online
        rows.append(
            {
                "start": item.slot.start,
                "end": item.slot.end,
                "table": item.table,
                "online": online,
                "link": (other.online_link or registration.online_link) if online else "",
                "organisation": other.organisation.name,
                "person": str(other.person),
            }
        )
    return rows


def agenda_attachment(registration: Registration) -> tuple[str, bytes, str]:
    from helix.events.agenda import agenda_ics

    name = f"agenda-{registration.event_id}-{registration.pk}.ics"
    return (name, agenda_ics(registration), "text/calendar")


def send_agenda(registration: Registration, message: str) -> bool:
    """The participant's agenda by e-mail (the .ics attached when they have a meeting) and in the inbox."""
    rows = agenda_rows(registration)
    event = registration.event
    return notify_person(
        registration.person,
        message,
        {"event": event.title, "count": len(rows)},
        reverse("events:agenda", args=[registration.pk]),
        attachments=[agenda_attachment(registration)] if rows else [],
        context={"event": event, "registration": registration, "meetings": rows},
    )


@task()
def send_agenda_notices(schedule_id: int, previous_id: int | None = None) -> dict[str, int]:
    """After a schedule is published: every participant on a first publication; on a new one, those whose
    meetings (request, slot, table) changed. Nothing when it was replaced meanwhile."""
    schedule = Schedule.objects.select_related("event").filter(pk=schedule_id, published=True).first()
    if schedule is None:
        return {"told": 0}
    now = _meetings_by_registration(schedule_id)
    before = _meetings_by_registration(previous_id) if previous_id else None
    message = "events.agenda_changed" if before is not None else "events.agenda_published"
    told = 0
    registrations = schedule.event.registrations.select_related(
        "event", "person__user", "person__organisation", "organisation"
    ).order_by("pk")
    for registration in registrations:
        if before is not None and before.get(registration.pk, set()) == now.get(registration.pk, set()):
            continue
        told += send_agenda(registration, message)
    return {"told": told}


def meeting_cancelled(event: Event, meeting: ScheduledMeeting, person: Any) -> bool:
    """Tell the other side of a meeting cancelled because ``person`` withdrew (the organisation is named,
    not the person), with their agenda as now published."""
    req = meeting.request
    mine, other = req.requester, req.requested
    if other.person_id == person.pk:
        mine, other = other, mine
    return notify_person(
        other.person,
        "events.meeting_cancelled",
        {
            "organisation": mine.organisation.name,
            "event": event.title,
            "at": moment(meeting.slot.start, event.time_zone),
        },
        reverse("events:agenda", args=[other.pk]),
        attachments=[agenda_attachment(other)],
    )


# -- reminders ---------------------------------------------------------------------------------------------


def remind_request_deadlines(now: dt.datetime | None = None, *, force: bool = False) -> int:
    """Two days before an open event's request deadline, remind each participant once (per deadline: a
    deadline moved later is reminded again). Looks every :data:`SWEEP_EVERY` seconds at most."""
    if not _sweep.due(force=force):
        return 0
    now = now or timezone.now()
    events = Event.objects.filter(
        status=EventStatus.OPEN, request_deadline__gt=now, request_deadline__lte=now + DEADLINE_NOTICE
    )
    told = 0
    for event in events:
        deadline = event.request_deadline
        assert deadline is not None
        stamp = deadline.isoformat()
        reachable = event.registrations.filter(~Q(person__email="") | Q(person__user__isnull=False))
        keys = {f"events.deadline:{pk}:{stamp}": pk for pk in reachable.values_list("pk", flat=True)}
        due = {keys[key]: key for key in untold(keys)}  # one query when everyone was reminded already
        registrations = event.registrations.filter(pk__in=due).order_by("pk")
        for registration in registrations.select_related("person__user", "person__organisation"):
            if not once(due[registration.pk]):
                continue
            told += notify_person(
                registration.person,
                "events.request_deadline",
                {"event": event.title, "at": moment(deadline, event.time_zone)},
                _event_url(event),
            )
    return told
