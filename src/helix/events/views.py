"""Event pages: list, detail (participants, requests, the organiser's schedule panel), agenda and its
iCalendar file, the organiser's grid. Thin: every change goes through services; who may see what is
asked of helix.events.permissions (can/scope), so the pages answer as the API does: an event the caller
may not see is 404, a published one is public."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from helix.actions import act
from helix.events import services
from helix.events.agenda import agenda_ics
from helix.events.models import Event, EventMeetingRequest, Registration, Schedule, ScheduleStatus, TimeSlot
from helix.pagecache import cache_anonymous
from helix.params import NotANumber, finite_number, object_id, object_ids, whole_number
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
    event = _visible_event(request, pk)
    user = request.user
    organiser = services.is_organiser(user, event)
    registrations = list(services.participants(user, event).order_by("organisation__name", "pk"))
    mine = [] if organiser else list(scope(user, "act_for", event.registrations.select_related("event")))
    requests = list(services.visible_requests(user, event))
    for req in requests:
        req.moves = [t.target for t in services.request_moves(user, req)]  # type: ignore[attr-defined]
    person = getattr(user, "person", None) if user.is_authenticated else None
    can_register = (
        person is not None
        and can(user, "register", event)
        and not event.registrations.filter(person=person).exists()
    )
    schedules = list(event.schedules.select_related("job")[:10]) if can(user, "view_schedules", event) else []
    for schedule in schedules:
        schedule.moves = [t.target for t in services.schedule_moves(user, schedule)]  # type: ignore[attr-defined]
    context = {
        "from_matches": services.match_requests(user, event) if mine else [],
        "can_register": can_register,
        "event": event,
        "event_moves": services.event_moves(user, event),
        "organiser": organiser,
        "mine": mine,
        "own_ids": [r.pk for r in mine],
        "show_participants": can(user, "view_participants", event),
        "registrations": registrations,
        "requests": requests,
        "app": "events",
        "slots": event.slots.all(),
        "schedules": schedules,
        "published": services.published_schedule(event),
    }
    return render(request, "events/event_detail.html", context)


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
    return _act(
        request,
        event.pk,
        lambda: services.request_meeting(
            request.user, requester, requested, priority=whole_number(request.POST.get("priority"), default=1)
        ),
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


@login_required
@require_POST
def answer_request(request: HttpRequest, pk: int) -> HttpResponse:
    req = _visible_request(request, pk)
    accept = request.POST.get("answer") == "accept"
    return _act(
        request,
        req.event_id,
        lambda: services.answer_request(request.user, req, accept=accept),
        denied=_("Only the participant asked may answer."),
    )


@login_required
@require_POST
def cancel_request(request: HttpRequest, pk: int) -> HttpResponse:
    req = _visible_request(request, pk)
    return _act(
        request,
        req.event_id,
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
    return _act(
        request,
        req.event_id,
        lambda: services.update_request(
            request.user,
            req,
            priority=whole_number(request.POST.get("priority"), default=req.priority),
            fixed_slot=slot,
            after=after,
        ),
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
    registration = _registration_for(request, pk, "view_agenda")
    items = []
    for item in services.agenda(registration):
        req = item.request
        other = req.requested if req.requester_id == registration.pk else req.requester
        items.append({"slot": item.slot, "table": item.table, "other": other})
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
    """The grid as CSV or XLSX: one row per meeting (time, table, both organisations and people)."""
    import io

    from helix.spreadsheets import write_csv, write_workbook

    event, schedule = _organiser_schedule(request, pk)
    if schedule is None:
        raise Http404
    zone = ZoneInfo(event.time_zone)
    columns = [
        "start",
        "end",
        "table",
        "organisation_a",
        "person_a",
        "organisation_b",
        "person_b",
        "priority",
    ]
    rows = [
        [
            m.slot.start.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            m.slot.end.astimezone(zone).strftime("%H:%M"),
            m.table or "",
            m.request.requester.organisation.name,
            str(m.request.requester.person),
            m.request.requested.organisation.name,
            str(m.request.requested.person),
            m.request.priority,
        ]
        for m in schedule.meetings.select_related(
            "slot",
            "request__requester__organisation",
            "request__requester__person",
            "request__requested__organisation",
            "request__requested__person",
        ).order_by("slot__start", "table")
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
