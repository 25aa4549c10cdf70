"""Event pages: list, detail (participants, requests, the organiser's schedule panel), agenda and its
iCalendar file, the organiser's grid. Thin: every change goes through services; who may see what is
asked of helix.events.permissions (can/scope), so the pages answer as the API does: an event the caller
may not see is 404, a published one is public."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from helix.actions import act
from helix.events import attendance, registrations, services
from helix.events.agenda import agenda_ics
from helix.events.models import (
    Event,
    EventMeetingRequest,
    Registration,
    Schedule,
    ScheduledMeeting,
    ScheduleStatus,
    TimeSlot,
)
from helix.pagecache import cache_anonymous
from helix.params import NotANumber, finite_number, object_id, object_ids, whole_number
from helix.registry.models import Person
from helix.registry.permissions import can, can_create, scope

MAX_MEETINGS = 32767  # what the small integer columns (most meetings, fairness) hold
# The event workflow's move labels (helix.core.matchmaking.workflows), so that makemessages finds them.
TRANSITION_LABELS = (
    gettext_noop("Open for registration"),
    gettext_noop("Close registration"),
    gettext_noop("Reopen registration"),
)


def _act(
    request: HttpRequest, event_id: int, call: Callable[[], object], *, done: str = "", denied: str = ""
) -> HttpResponse:
    """Run a service call for a POST, turn its refusals into messages and go back to the event."""
    return act(request, call, redirect("events:detail", pk=event_id), done=done, denied=denied)


@cache_anonymous
def event_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "events/event_list.html",
        {
            # First and last slot in the same query, for each event's date (Event.span).
            "events": services.visible_events(request.user).annotate(
                first_start=Min("slots__start"), last_end=Max("slots__end")
            ),
            "app": "events",
            "can_create": can_create(request.user, Event),
        },
    )


def _visible_event(request: HttpRequest, pk: int) -> Event:
    """The event, if the caller may see it (404 otherwise, as in the API)."""
    return get_object_or_404(scope(request.user, "view", Event.objects.select_related("cluster")), pk=pk)


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    from helix.events.forms import EventForm
    from helix.registry.models import Cluster

    clusters = scope(request.user, "manage", Cluster.objects.all())
    if not (can_create(request.user, Event) and clusters.exists()):
        raise PermissionDenied
    form = EventForm(request.POST or None, clusters=clusters)
    if request.method == "POST" and form.is_valid():
        event = services.create_event(request.user, **form.cleaned_data)
        messages.success(request, _("Event created with its slots; participants can now register."))
        return redirect("events:detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "app": "events"})


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    return _act(
        request,
        event.pk,
        lambda: services.register(request.user, event),
        done=_("You are registered."),
        denied=_("Registration for this event is not open."),
    )


@cache_anonymous
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's page: what, when and where, its programme, who comes and what they offer and seek,
    registering (in one click with an account of an organisation, else a sign-up the organisers
    confirm); a participant's agenda, availability and requests; the organisers' tables below."""
    from helix.events.forms import AddParticipantForm, ImportParticipantsForm, SignupForm

    event = _visible_event(request, pk)
    user = request.user
    organiser = services.is_organiser(user, event)
    mine = registrations.own_registrations(user, event)
    requests = list(services.visible_requests(user, event))
    for req in requests:
        req.moves = [t.target for t in services.request_moves(user, req)]  # type: ignore[attr-defined]
    person = getattr(user, "person", None) if user.is_authenticated else None
    registered = person is not None and event.registrations.filter(person=person).exists()
    published = services.published_schedule(event)
    context: dict[str, object] = {
        "event": event,
        "app": "events",
        "organiser": organiser,
        "event_moves": services.event_moves(user, event),
        "programme": services.programme(event),
        "mine": mine,
        "own_ids": [r.pk for r in mine],
        "registered": registered,
        "can_register": person is not None and not registered and can(user, "register", event),
        "can_sign_up": person is None and not organiser and can(user, "sign_up", event),
        "signup_form": SignupForm(),
        "from_matches": services.match_requests(user, event) if mine else [],
        "requests": requests,
        "slots": event.slots.all(),
        "published": published,
    }
    if organiser:
        context.update(_organiser_context(request, event, requests, published))
        context["add_form"] = AddParticipantForm(
            organisations=registrations.organisation_choices(user), people=Person.objects.none()
        )
        context["import_form"] = ImportParticipantsForm()
    else:
        context["attendees"] = registrations.who_comes(user, event)
        _meeting_links(requests, mine)
    return render(request, "events/event_detail.html", context)


def _meeting_links(requests: list[EventMeetingRequest], mine: list[Registration]) -> None:
    """Set ``online_link`` on each request: the link of the meeting where it is accepted, one of its
    sides is the participant's and the meeting is online; empty otherwise."""
    own = {r.pk: r for r in mine}
    for req in requests:
        side = own.get(req.requester_id) or own.get(req.requested_id)
        link = ""
        if side is not None and req.status == "accepted":
            other = req.other_side(side)
            link = side.meeting_link(other)
        req.online_link = link  # type: ignore[attr-defined]


def _after_choices(requests: list[EventMeetingRequest]) -> None:
    """Each request's 'must follow' choices: the other requests that share a participant with it (a
    meeting follows another of the same participant), set as ``after_choices``."""
    by_registration: dict[int, list[EventMeetingRequest]] = {}
    for req in requests:
        by_registration.setdefault(req.requester_id, []).append(req)
        by_registration.setdefault(req.requested_id, []).append(req)
    for req in requests:
        related = by_registration[req.requester_id] + by_registration[req.requested_id]
        seen: dict[int, EventMeetingRequest] = {r.pk: r for r in related if r.pk != req.pk}
        req.after_choices = sorted(seen.values(), key=lambda r: r.pk)  # type: ignore[attr-defined]


def _organiser_context(
    request: HttpRequest, event: Event, requests: list[EventMeetingRequest], published: Schedule | None
) -> dict[str, object]:
    user = request.user
    _after_choices(requests)
    schedules = list(event.schedules.select_related("job")[:10])
    for schedule in schedules:
        schedule.moves = [t.target for t in services.schedule_moves(user, schedule)]  # type: ignore[attr-defined]
    signups = registrations.pending_signups(user, event)
    suggestions = registrations.organisation_suggestions(user, {s.organisation_name for s in signups})
    for signup in signups:
        signup.suggestions = suggestions.get(signup.organisation_name, [])  # type: ignore[attr-defined]
    return {
        "registration_rows": list(registrations.visible_registrations(user, event)),
        "signups": signups,
        "schedules": schedules,
        "meetings": list(_meetings(published)),
        "bulk_moves": attendance.BULK_MOVES,
    }


def _meetings(schedule: Schedule | None) -> Any:
    """The meetings of ``schedule`` in time and table order, with both sides (none without a schedule)."""
    if schedule is None:
        return ScheduledMeeting.objects.none()
    return schedule.meetings.select_related(
        "slot",
        "request__requester__organisation",
        "request__requester__person",
        "request__requested__organisation",
        "request__requested__person",
    ).order_by("slot__start", "table")


@login_required
@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    target = request.POST.get("status", "")
    return _act(
        request,
        event.pk,
        lambda: services.change_status(request.user, event, target),
        done=_("Event status changed."),
        denied=_("Only the organiser."),
    )


@login_required
@require_POST
def request_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    requester = get_object_or_404(Registration, pk=object_id(request.POST.get("requester")), event=event)
    requested = get_object_or_404(Registration, pk=object_id(request.POST.get("requested")), event=event)
    return act(
        request,
        lambda: services.request_meeting(
            request.user, requester, requested, priority=whole_number(request.POST.get("priority"), default=1)
        ),
        _back(request, redirect("events:detail", pk=event.pk)),
        done=_("Meeting requested."),
        denied=_("You do not act for this participant."),
    )


@login_required
@require_POST
def request_from_match(request: HttpRequest, pk: int) -> HttpResponse:
    from helix.market.models import MeetingRequest

    event = _visible_event(request, pk)
    market_request = get_object_or_404(MeetingRequest, pk=object_id(request.POST.get("market_request")))
    return _act(
        request,
        event.pk,
        lambda: services.request_from_match(request.user, event, market_request),
        done=_("Meeting requested."),
    )


def _request_row(request: HttpRequest, req: EventMeetingRequest) -> HttpResponse:
    """The organiser's table row of ``req`` (an htmx answer to an inline change), with what the change
    said (done, or why not) in the row: the messages are taken here, not shown again on the next page."""
    req = EventMeetingRequest.objects.select_related(*services.REQUEST_SIDES).get(pk=req.pk)
    req.moves = [t.target for t in services.request_moves(request.user, req)]  # type: ignore[attr-defined]
    related = list(
        EventMeetingRequest.objects.filter(event=req.event_id)
        .filter(
            Q(requester_id__in=[req.requester_id, req.requested_id])
            | Q(requested_id__in=[req.requester_id, req.requested_id])
        )
        .select_related("requester__organisation", "requested__organisation")
    )
    _after_choices(related)
    req.after_choices = next(r.after_choices for r in related if r.pk == req.pk)  # type: ignore[attr-defined]
    notices = list(messages.get_messages(request))
    context = {"req": req, "event": req.event, "slots": req.event.slots.all(), "notices": notices}
    return render(request, "events/_request_row.html", context)


def _request_action(
    request: HttpRequest,
    req: EventMeetingRequest,
    call: Callable[[], object],
    *,
    done: str = "",
    denied: str = "",
) -> HttpResponse:
    """Run a change of ``req``: the organiser's inline change (htmx) gets its table row back, any other
    caller the event page."""
    response = _act(request, req.event_id, call, done=done, denied=denied)
    if request.htmx and can(request.user, "edit", req):
        return _request_row(request, req)
    return response


@login_required
@require_POST
def answer_request(request: HttpRequest, pk: int) -> HttpResponse:
    req = _visible_request(request, pk)
    accept = request.POST.get("answer") == "accept"
    return _request_action(
        request,
        req,
        lambda: services.answer_request(request.user, req, accept=accept),
        done=_("Meeting request accepted.") if accept else _("Meeting request declined."),
        denied=_("Only the participant asked may answer."),
    )


@login_required
@require_POST
def cancel_request(request: HttpRequest, pk: int) -> HttpResponse:
    req = _visible_request(request, pk)
    return _request_action(
        request,
        req,
        lambda: services.cancel_request(request.user, req),
        done=_("Meeting request cancelled."),
        denied=_("Only the two participants (or the organiser) cancel a meeting."),
    )


def _visible_request(request: HttpRequest, pk: int) -> EventMeetingRequest:
    return get_object_or_404(
        scope(request.user, "view", EventMeetingRequest.objects.select_related("event")), pk=pk
    )


@login_required
@require_POST
def update_request(request: HttpRequest, pk: int) -> HttpResponse:
    req = _visible_request(request, pk)
    slot = TimeSlot.objects.filter(pk=object_id(request.POST.get("fixed_slot")), event=req.event).first()
    after = EventMeetingRequest.objects.filter(
        pk=object_id(request.POST.get("after")), event=req.event
    ).first()
    return _request_action(
        request,
        req,
        lambda: services.update_request(
            request.user,
            req,
            priority=whole_number(request.POST.get("priority"), default=req.priority),
            fixed_slot=slot,
            after=after,
        ),
        done=_("Saved."),
        denied=_("Only the organiser."),
    )


@login_required
@require_POST
def availability(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration_for(request, pk, "act_for")
    slots = list(
        TimeSlot.objects.filter(
            event=registration.event, pk__in=object_ids(request.POST.getlist("unavailable"))
        )
    )
    try:
        limit = whole_number(request.POST.get("max_meetings"), low=0, high=MAX_MEETINGS)
    except NotANumber as exc:
        messages.error(request, exc.text)
        return redirect("events:detail", pk=registration.event_id)
    services.set_availability(request.user, registration, unavailable=slots, max_meetings=limit)
    messages.success(request, _("Availability saved."))
    return redirect("events:detail", pk=registration.event_id)


@login_required
@require_POST
def run_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    fairness = request.POST.get("fairness")

    def start() -> object:
        return services.start_schedule(
            request.user,
            event,
            mode=request.POST.get("mode", "max"),
            fairness=whole_number(fairness, low=0, high=MAX_MEETINGS),
            time_limit=finite_number(request.POST.get("time_limit"), default=30.0, low=1.0, high=600.0),
        )

    return _act(
        request,
        event.pk,
        start,
        done=_("Optimisation started; the page shows its progress."),
        denied=_("Only the organiser schedules."),
    )


@login_required
def schedule_status(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = get_object_or_404(Schedule.objects.select_related("event", "job"), pk=pk)
    if not can(request.user, "view", schedule):
        raise PermissionDenied
    schedule.moves = [t.target for t in services.schedule_moves(request.user, schedule)]  # type: ignore[attr-defined]
    return render(request, "events/_schedule_row.html", {"schedule": schedule, "event": schedule.event})


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = get_object_or_404(Schedule.objects.select_related("event"), pk=pk)
    return _act(
        request,
        schedule.event_id,
        lambda: services.publish_schedule(request.user, schedule),
        done=_("Schedule published: participants see their agendas."),
    )


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = get_object_or_404(Schedule.objects.select_related("event"), pk=pk)
    return _act(
        request,
        schedule.event_id,
        lambda: services.cancel_schedule(request.user, schedule),
        denied=_("Only the organiser."),
    )


def _registration_for(request: HttpRequest, pk: int, action: str) -> Registration:
    registration = get_object_or_404(
        Registration.objects.select_related("event", "person", "organisation"), pk=pk
    )
    if not can(request.user, action, registration):
        raise PermissionDenied
    return registration


@login_required
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    from django.utils import timezone

    registration = _registration_for(request, pk, "view_agenda")
    meetings = services.agenda(registration)
    ratings = attendance.ratings_of([registration])
    may_rate = can(request.user, "act_for", registration)
    now = timezone.now()
    items = []
    for item in meetings:
        req = item.request
        other = req.other_side(registration)
        items.append(
            {
                "slot": item.slot,
                "table": item.table,
                "other": other,
                "request": req,
                "online": registration.meets_online(other),
                "link": registration.meeting_link(other),
                "rating": ratings.get(req.pk),
                "may_rate": may_rate and item.slot.start <= now and can(request.user, "rate", req),
            }
        )
    return render(
        request,
        "events/agenda.html",
        {"registration": registration, "event": registration.event, "items": items, "app": "events"},
    )


@login_required
def agenda_ical(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration_for(request, pk, "download_agenda")
    response = HttpResponse(agenda_ics(registration), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="agenda-{registration.event_id}-{registration.pk}.ics"'
    )
    return response


@login_required
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from helix.events.pdf import agenda_pdf as render_pdf

    registration = _registration_for(request, pk, "download_agenda")
    response = HttpResponse(render_pdf(registration), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="agenda-{registration.event_id}-{registration.pk}.pdf"'
    )
    return response


def _organiser_schedule(request: HttpRequest, pk: int) -> tuple[Event, Schedule | None]:
    event = get_object_or_404(Event, pk=pk)
    if not can(request.user, "view_schedules", event):
        raise PermissionDenied
    return event, services.published_schedule(event) or event.schedules.filter(
        status=ScheduleStatus.SUCCEEDED
    ).first()


@login_required
def table_cards(request: HttpRequest, pk: int) -> HttpResponse:
    from helix.events.pdf import table_cards_pdf

    event, schedule = _organiser_schedule(request, pk)
    if schedule is None:
        raise Http404
    response = HttpResponse(table_cards_pdf(event, schedule), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="table-cards-{event.pk}.pdf"'
    return response


@login_required
def grid_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The grid as CSV or XLSX: one row per meeting (time, table, both organisations and people). The
    columns are named in the reader's language; start and end are ISO 8601 in the event's time zone, with
    its offset (2026-12-03 09:00+01:00), whatever the language."""
    import io

    from django.utils.text import capfirst

    from helix.spreadsheets import write_csv, write_workbook

    event, schedule = _organiser_schedule(request, pk)
    if schedule is None:
        raise Http404
    zone = ZoneInfo(event.time_zone)
    columns = [
        capfirst(TimeSlot._meta.get_field("start").verbose_name),
        capfirst(TimeSlot._meta.get_field("end").verbose_name),
        _("Table"),
        _("Asking organisation"),
        _("Asking person"),
        _("Asked organisation"),
        _("Asked person"),
        capfirst(EventMeetingRequest._meta.get_field("priority").verbose_name),
    ]
    rows = [
        [
            m.slot.start.astimezone(zone).isoformat(sep=" ", timespec="minutes"),
            m.slot.end.astimezone(zone).isoformat(sep=" ", timespec="minutes"),
            m.table or "",
            m.request.requester.organisation.name,
            str(m.request.requester.person),
            m.request.requested.organisation.name,
            str(m.request.requested.person),
            m.request.priority,
        ]
        for m in _meetings(schedule)
    ]
    if fmt == "csv":
        text = io.StringIO()
        write_csv(text, columns, rows)
        response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        data = io.BytesIO()
        write_workbook(data, {"meetings": (columns, rows)})
        response = HttpResponse(
            data.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="schedule-{event.pk}.{fmt}"'
    return response


@login_required
def grid(request: HttpRequest, pk: int) -> HttpResponse:
    event, schedule = _organiser_schedule(request, pk)
    tables = sum(room.tables for room in event.rooms.all())
    rows = []
    if schedule:
        cells: dict[tuple[int, int], object] = {}
        for m in schedule.meetings.select_related(
            "request__requester__organisation", "request__requested__organisation"
        ):
            if m.table:
                cells[m.slot_id, m.table] = m.request
        rows = [(slot, [cells.get((slot.pk, t)) for t in range(1, tables + 1)]) for slot in event.slots.all()]
    return render(
        request,
        "events/grid.html",
        {"event": event, "schedule": schedule, "rows": rows, "tables": range(1, tables + 1), "app": "events"},
    )


# -- bringing people in ------------------------------------------------------------------------------------


def _back(request: HttpRequest, default: HttpResponse) -> HttpResponse:
    """Back to the page the form was on (``next``, on this site only), else ``default``."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return default


SIGNUPS_PER_HOUR = 10  # sign-ups one address may send in an hour, over every event


@require_POST
def signup(request: HttpRequest, pk: int) -> HttpResponse:
    """A visitor asks to take part (name, e-mail, organisation); the organisers confirm."""
    from helix.events.forms import SignupForm
    from helix.ratelimit import client_ip, over_limit

    event = _visible_event(request, pk)
    if not can(request.user, "sign_up", event):
        messages.error(request, _("Registration for this event is not open."))
        return redirect("events:detail", pk=event.pk)
    form = SignupForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(f"{reverse('events:detail', args=[event.pk])}#register")
    if over_limit("event-signup", client_ip(request), limit=SIGNUPS_PER_HOUR, window_seconds=3600):
        messages.error(request, _("Too many sign-ups from your address; try again in an hour."))
        return redirect("events:detail", pk=event.pk)
    return act(
        request,
        lambda: registrations.sign_up(request.user, event, **form.cleaned_data),
        redirect(f"{reverse('events:detail', args=[event.pk])}#register"),
        done=_("Thank you: the organisers will confirm your registration."),
        denied=_("Registration for this event is not open."),
    )


@login_required
@require_POST
def decide_signup(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser confirms a sign-up (into a chosen organisation, or a new one) or declines it."""
    from helix.events.models import EventSignup

    signups = EventSignup.objects.select_related("event")
    signup = get_object_or_404(scope(request.user, "view", signups), pk=pk)
    decision = request.POST.get("decision", "")
    choice = request.POST.get("organisation", "new")
    organisation = None
    if choice != "new":
        organisation = registrations.organisation_choices(request.user).filter(pk=object_id(choice)).first()

    def decide() -> object:
        if decision not in ("confirm", "decline"):
            raise ValidationError({"decision": _("Confirm or decline the sign-up.")})
        if choice != "new" and organisation is None:
            raise ValidationError({"organisation": _("Choose an organisation from the list.")})
        return registrations.decide_signup(
            request.user, signup, confirm=decision == "confirm", organisation=organisation
        )

    done = (
        _("%(name)s is registered.") if decision == "confirm" else _("The sign-up of %(name)s is declined.")
    ) % {"name": signup.full_name}
    return _act(request, signup.event_id, decide, done=done, denied=_("Only the organiser."))


def _add_participant_form(request: HttpRequest, event: Event, data: object = None) -> object:
    from helix.events.forms import AddParticipantForm

    organisations = registrations.organisation_choices(request.user)
    chosen = request.POST.get("organisation") if request.method == "POST" else request.GET.get("organisation")
    organisation = organisations.filter(pk=object_id(chosen)).first() if chosen else None
    form = AddParticipantForm(
        data,
        organisations=organisations,
        people=registrations.person_choices(request.user, organisation),
        initial={"organisation": organisation},
    )
    return form


@login_required
def add_participant(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser registers one person: an organisation, then one of its people or a new one. Choosing
    the organisation fills the people (htmx; without JavaScript, the page comes back with them)."""
    event = _visible_event(request, pk)
    if not can(request.user, "register_others", event):
        raise PermissionDenied
    form = _add_participant_form(request, event, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():  # type: ignore[attr-defined]
        data = form.cleaned_data  # type: ignore[attr-defined]
        try:
            registration = registrations.register_participant(
                request.user,
                event,
                organisation=data["organisation"],
                person=data["person"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                online=data["online"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)  # type: ignore[attr-defined]
        else:
            messages.success(
                request,
                _("%(person)s (%(organisation)s) is registered.")
                % {"person": registration.person, "organisation": registration.organisation.name},
            )
            return redirect(f"{reverse('events:detail', args=[event.pk])}#participants")
    return render(request, "events/add_participant.html", {"event": event, "add_form": form, "app": "events"})


@login_required
def import_participants(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser registers the people of a CSV or XLSX file: all rows or none, the errors naming the
    row and the column."""
    import tempfile
    from pathlib import Path

    from django.utils.text import get_valid_filename

    from helix.events.forms import ImportParticipantsForm
    from helix.events.transfer import ImportRefused
    from helix.events.transfer import import_participants as run_import

    event = _visible_event(request, pk)
    if not can(request.user, "register_others", event):
        raise PermissionDenied
    form = ImportParticipantsForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory(prefix="participants-") as folder:
            target = Path(folder) / (get_valid_filename(Path(upload.name).name) or "participants.csv")
            with target.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                result = run_import(request.user, event, target)
            except ImportRefused as exc:
                errors = exc.errors
            else:
                messages.success(
                    request,
                    _(
                        "%(file)s: %(registered)d registered (%(new)d new people), %(already)d already "
                        "registered."
                    )
                    % {
                        "file": target.name,
                        "registered": result.registered,
                        "new": result.new_people,
                        "already": result.already,
                    },
                )
                return redirect(f"{reverse('events:detail', args=[event.pk])}#participants")
    return render(
        request,
        "events/import_participants.html",
        {"event": event, "import_form": form, "errors": errors, "app": "events"},
    )


# -- the organiser's tables: many at once, on the day ------------------------------------------------------


@login_required
@require_POST
def bulk_requests(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    action = request.POST.get("action", "")
    ids = object_ids(request.POST.getlist("ids"))

    def move() -> object:
        result = attendance.move_requests(request.user, event, ids, action)
        if result.done:
            messages.success(request, _("%(n)d requests changed.") % {"n": result.done})
        if result.refused:
            messages.warning(
                request,
                _("%(n)d requests were left as they were: not possible from their present state.")
                % {"n": result.refused},
            )
        return result

    return act(
        request,
        move,
        redirect(f"{reverse('events:detail', args=[event.pk])}#requests"),
        denied=_("Only the organiser."),
    )


@login_required
@require_POST
def bulk_registrations(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    action = request.POST.get("action", "")
    ids = object_ids(request.POST.getlist("ids"))

    def check() -> object:
        changed = attendance.check_in_many(request.user, event, ids, action)
        messages.success(request, _("%(n)d participants changed.") % {"n": changed})
        return changed

    return act(
        request,
        check,
        redirect(f"{reverse('events:detail', args=[event.pk])}#participants"),
        denied=_("Only the organiser."),
    )


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Check a participant in (or undo it); htmx gets the table row back."""
    registration = get_object_or_404(
        scope(request.user, "view", Registration.objects.select_related("event", "person", "organisation")),
        pk=pk,
    )
    present = request.POST.get("present", "yes") != "no"
    response = _act(
        request,
        registration.event_id,
        lambda: attendance.check_in(request.user, registration, present=present),
        denied=_("Only the organiser."),
    )
    if request.htmx and can(request.user, "check_in", registration):
        notices = list(messages.get_messages(request))
        return render(
            request,
            "events/_registration_row.html",
            {"reg": registration, "event": registration.event, "notices": notices},
        )
    return response


@login_required
@require_POST
def record_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a meeting was held, missed, or take the record back; htmx gets the row back."""
    req = _visible_request(request, pk)
    outcome = request.POST.get("outcome", "")
    response = _act(
        request,
        req.event_id,
        lambda: attendance.record_outcome(request.user, req, outcome),
        denied=_("Only the organiser."),
    )
    if request.htmx and can(request.user, "record_outcome", req):
        schedule = services.published_schedule(req.event)
        meeting = _meetings(schedule).filter(request=req).first()
        if meeting is not None:
            notices = list(messages.get_messages(request))
            context = {"meeting": meeting, "event": req.event, "notices": notices}
            return render(request, "events/_meeting_row.html", context)
    return response


@login_required
@require_POST
def rate_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """A side says whether the meeting was useful and whether a follow-up is planned."""
    req = _visible_request(request, pk)
    registration = Registration.objects.filter(
        pk=object_id(request.POST.get("registration")), event_id=req.event_id
    ).first()

    def rate() -> object:
        if registration is None:
            raise ValidationError({"registration": _("Only the two sides of a meeting rate it.")})
        return attendance.rate_meeting(
            request.user,
            req,
            registration,
            useful=request.POST.get("useful") == "yes",
            follow_up=request.POST.get("follow_up") == "yes",
        )

    return act(
        request,
        rate,
        _back(request, redirect("events:detail", pk=req.event_id)),
        done=_("Thank you for your rating."),
        denied=_("Only the two sides of a meeting rate it."),
    )


@login_required
def statistics(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    figures = attendance.event_statistics(request.user, event)  # PermissionDenied (403) but to organisers
    return render(request, "events/statistics.html", {"event": event, "figures": figures, "app": "events"})


# -- a participant's page at the event ---------------------------------------------------------------------


def participant(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant as the viewer may see it: its organisation, what it offers and seeks at the event
    and in needs and offers, the meeting requests between it and the viewer."""
    from helix.events.forms import ProfileForm

    found = Registration.objects.select_related("event__cluster", "person", "organisation")
    registration = get_object_or_404(scope(request.user, "view", found), pk=pk)
    event = registration.event
    user = request.user
    mine = registrations.own_registrations(user, event)
    can_edit = can(user, "act_for", registration)
    context = {
        "event": event,
        "attendee": registrations.attendee(user, registration),
        "registration": registration,
        "requests": registrations.requests_with(user, registration) if user.is_authenticated else [],
        "mine": [r for r in mine if r.organisation_id != registration.organisation_id],
        "can_view_organisation": can(user, "view", registration.organisation),
        "can_edit": can_edit,
        "profile_form": ProfileForm(
            initial={
                "offers": registration.offers,
                "seeks": registration.seeks,
                "online": registration.online,
                "online_link": registration.online_link,
            }
        )
        if can_edit
        else None,
        "app": "events",
    }
    return render(request, "events/participant.html", context)


@login_required
@require_POST
def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from helix.events.forms import ProfileForm

    registration = _registration_for(request, pk, "act_for")
    form = ProfileForm(request.POST)
    back = redirect("events:participant", pk=registration.pk)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}: {error}")
        return back
    return act(
        request,
        lambda: registrations.update_profile(request.user, registration, **form.cleaned_data),
        back,
        done=_("Your profile for this event is saved."),
    )
