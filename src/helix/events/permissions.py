"""Who may do what with matchmaking events, their registrations, meeting requests and schedule runs.

The event belongs to its cluster: ``staff`` are that cluster's staff (the organisers). A draft event is
theirs alone; once open for registration (and after registration closes) the public sees the event and
every signed-in user its participant list. Anyone sees the registrations of organisations whose profile
is published (the people in them only where the registry's rule for people allows: the person agreed to
appear publicly), and may ask to take part while registration is open (a sign-up the organisers
confirm). A registration's ``owner`` is a person of the registered organisation, ``self`` the registered
person: they act for it (request, answer, cancel and rate meetings, availability, what it offers and
seeks) and read its agenda while the event is published. On the day the organisers check participants
in and record which meetings were held; afterwards they read the event's figures. A meeting request's
owners are the people of either side's organisation; which move each side may make is the request's
workflow (``helix.core.matchmaking.workflows``).

Pages, the API, the CLI, the PDF and iCalendar agendas, the grid exports and the services ask here
(``helix.registry.permissions.can`` / ``scope``); nothing else decides.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from helix.core.access import ANY_STAFF, ANYONE, OWNER, SELF, SIGNED_IN, STAFF, Grant, Policy
from helix.core.matchmaking.workflows import PUBLISHED_EVENT, REGISTRATION_OPEN
from helix.events.models import Event, EventMeetingRequest, EventSignup, Registration, Schedule
from helix.registry.permissions import Fact, Subject, register

PARTICIPANT = OWNER | SELF  # a person of the registered organisation, or the registered person
_PUBLISHED = frozenset({"published"})
_EVENT_PUBLISHED = frozenset({"event_published"})

EVENT = Policy(
    subject="events.event",
    label="Event",
    actions={
        "view": "see the event page: title, venue, format, slots",
        "list": "find the event in the list of events",
        "view_participants": "see the participant list (people and their organisations)",
        "register": "register oneself as a participant",
        "register_others": (
            "register other people (one by one or from a file) and confirm or decline visitors' sign-ups"
        ),
        "sign_up": "ask to take part without a person record in Helix (the organisers confirm)",
        "check_in": "check participants in on the day and record whether each meeting was held",
        "view_statistics": "see the figures after the event: attendance, meetings held, ratings",
        "create": "create an event with its slots and room",
        "change_status": "open, close or reopen registration (the event's workflow)",
        "manage_requests": "set a meeting request's priority, fix its slot, make it follow another",
        "schedule": "run the optimiser (the published schedule stays until another is published)",
        "view_schedules": "see the runs, the grid, the table cards and the grid export (CSV, XLSX)",
        "edit": "change the event, its slots and rooms in the admin (its status moves by change_status)",
    },
    conditions={
        "published": "open for registration or closed (no longer a draft)",
        "open": "open for registration",
    },
    grants=(
        Grant("view", ANYONE, _PUBLISHED),
        Grant("view", STAFF),
        Grant("list", ANYONE, _PUBLISHED),
        Grant("list", STAFF),
        Grant("view_participants", SIGNED_IN, _PUBLISHED),
        Grant("view_participants", STAFF),
        Grant("register", SIGNED_IN, frozenset({"open"})),
        Grant("register_others", STAFF),
        Grant("sign_up", ANYONE, frozenset({"open"})),
        Grant("check_in", STAFF),
        Grant("view_statistics", STAFF),
        Grant("create", ANY_STAFF, note="in a cluster they are staff of"),
        Grant("change_status", STAFF),
        Grant("manage_requests", STAFF),
        Grant("schedule", STAFF),
        Grant("view_schedules", STAFF),
        Grant("edit", STAFF),
    ),
)

REGISTRATION = Policy(
    subject="events.registration",
    label="Event registration",
    actions={
        "view": "see the registration in the participant list and its profile at the event",
        "act_for": (
            "request, answer, cancel and rate meetings, set availability and what it offers and seeks, "
            "as this participant"
        ),
        "view_agenda": "see the participant's published agenda",
        "download_agenda": "download the agenda as PDF or iCalendar",
        "edit": "change or delete the registration in the admin (the organisers)",
        "check_in": "check the participant in on the day (or undo it)",
    },
    conditions={
        "event_published": "its event is open for registration or closed (not a draft)",
        "public": "its organisation's profile is published",
    },
    grants=(
        Grant("view", ANYONE, frozenset({"event_published", "public"})),
        Grant("view", SIGNED_IN, _EVENT_PUBLISHED),
        Grant("view", STAFF),
        Grant("act_for", PARTICIPANT, _EVENT_PUBLISHED),
        Grant("act_for", STAFF),
        Grant("view_agenda", PARTICIPANT, _EVENT_PUBLISHED),
        Grant("view_agenda", STAFF),
        Grant("download_agenda", PARTICIPANT, _EVENT_PUBLISHED),
        Grant("download_agenda", STAFF),
        Grant("edit", STAFF),
        Grant("check_in", STAFF),
    ),
)

EVENT_MEETING_REQUEST = Policy(
    subject="events.eventmeetingrequest",
    label="Event meeting request",
    actions={
        "view": "see the request and its status",
        "answer": "accept or decline (the side asked; the workflow says which side moves)",
        "cancel": "withdraw the request or cancel the accepted meeting (the workflow says which side)",
        "edit": "set its priority, fix its slot, make it follow another meeting",
        "record_outcome": "record on the day whether the meeting was held or a side did not come",
        "rate": "say after the meeting whether it was useful and a follow-up is planned (either side)",
    },
    conditions={"event_published": "its event is open for registration or closed (not a draft)"},
    grants=(
        Grant("view", OWNER, _EVENT_PUBLISHED),
        Grant("view", STAFF),
        Grant("answer", OWNER, _EVENT_PUBLISHED),
        Grant("answer", STAFF),
        Grant("cancel", OWNER, _EVENT_PUBLISHED),
        Grant("cancel", STAFF),
        Grant("edit", STAFF),
        Grant("record_outcome", STAFF),
        Grant("rate", OWNER, _EVENT_PUBLISHED),
    ),
)

EVENT_SIGNUP = Policy(
    subject="events.eventsignup",
    label="Event sign-up",
    actions={
        "view": "see the visitor's sign-up: name, e-mail, organisation, message",
        "decide": "confirm it (registering the visitor) or decline it",
    },
    grants=(Grant("view", STAFF), Grant("decide", STAFF)),
)

SCHEDULE = Policy(
    subject="events.schedule",
    label="Schedule run",
    actions={
        "view": "see the run's progress and figures",
        "cancel": "stop a queued or running optimisation",
        "publish": "publish the run: participants see their agendas",
    },
    grants=(Grant("view", STAFF), Grant("cancel", STAFF), Grant("publish", STAFF)),
)


def _event_published(path: str) -> Fact:
    def test(obj: Any) -> bool:
        event = obj if not path else getattr(obj, path)
        return event.status in PUBLISHED_EVENT

    prefix = f"{path}__" if path else ""
    return Fact(test, lambda: Q(**{f"{prefix}status__in": sorted(PUBLISHED_EVENT)}))


register(
    Subject(
        EVENT,
        Event,
        cluster="cluster_id",
        facts={
            "published": _event_published(""),
            "open": Fact(
                lambda o: o.status in REGISTRATION_OPEN, lambda: Q(status__in=sorted(REGISTRATION_OPEN))
            ),
        },
    ),
    Subject(
        REGISTRATION,
        Registration,
        organisations=("organisation_id",),
        cluster="event__cluster_id",
        person="person_id",
        facts={
            "event_published": _event_published("event"),
            "public": Fact(
                lambda o: bool(o.organisation.is_published), lambda: Q(organisation__is_published=True)
            ),
        },
    ),
    Subject(
        EVENT_MEETING_REQUEST,
        EventMeetingRequest,
        organisations=("requester__organisation_id", "requested__organisation_id"),
        cluster="event__cluster_id",
        facts={"event_published": _event_published("event")},
    ),
    Subject(EVENT_SIGNUP, EventSignup, cluster="event__cluster_id"),
    Subject(SCHEDULE, Schedule, cluster="event__cluster_id"),
)
