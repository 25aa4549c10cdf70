"""Event pages: list, detail (participants, requests, the organiser's schedule panel), agenda and its
iCalendar file, the organiser's grid. Thin: every change goes through services."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.actions import act
from helix.events import services
from helix.events.agenda import agenda_ics
from helix.events.models import Event, EventMeetingRequest, Registration, Schedule, ScheduleStatus, TimeSlot


def _act(
    request: HttpRequest, event_id: int, call: Callable[[], object], *, done: str = "", denied: str = ""
) -> HttpResponse:
    """Run a service call for a POST, turn its refusals into messages and go back to the event."""
    return act(request, call, redirect("events:detail", pk=event_id), done=done, denied=denied)


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    events = Event.objects.select_related("cluster").exclude(status="draft") | Event.objects.filter(
        cluster__staff_assignments__user=request.user
    )
    from helix.registry.permissions import staff_cluster_ids

    return render(
        request,
        "events/event_list.html",
        {"events": events.distinct(), "app": "events", "can_create": bool(staff_cluster_ids(request.user))},
    )


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    from helix.events.forms import EventForm
    from helix.registry.models import Cluster
    from helix.registry.permissions import staff_cluster_ids

    clusters = Cluster.objects.filter(pk__in=staff_cluster_ids(request.user))
    if not clusters.exists():
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
    event = get_object_or_404(Event, pk=pk)
    return _act(
        request, event.pk, lambda: services.register(request.user, event), done=_("You are registered.")
    )


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("cluster"), pk=pk)
    organiser = services.is_organiser(request.user, event)
    mine = (
        [
            r
            for r in event.registrations.select_related("person", "organisation")
            if services.acts_for(request.user, r) and not organiser
        ]
        if request.user.is_authenticated
        else []
    )
    if organiser:
        mine = []
    registrations = event.registrations.select_related("person", "organisation").order_by(
        "organisation__name"
    )
    own_ids = [r.pk for r in mine]
    requests = EventMeetingRequest.objects.filter(event=event).select_related(
        "requester__person", "requester__organisation", "requested__person", "requested__organisation"
    )
    if not organiser:
        requests = requests.filter(Q(requester_id__in=own_ids) | Q(requested_id__in=own_ids))
    person = getattr(request.user, "person", None)
    can_register = bool(person) and not event.registrations.filter(person=person).exists()
    context = {
        "from_matches": services.match_requests(request.user, event) if mine else [],
        "can_register": can_register,
        "event": event,
        "organiser": organiser,
        "mine": mine,
        "own_ids": own_ids,
        "registrations": registrations,
        "requests": requests,
        "app": "events",
        "slots": event.slots.all(),
        "schedules": event.schedules.all()[:10] if organiser else [],
        "published": services.published_schedule(event),
    }
    return render(request, "events/event_detail.html", context)


@login_required
@require_POST
def request_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    requester = get_object_or_404(Registration, pk=request.POST.get("requester"), event=event)
    requested = get_object_or_404(Registration, pk=request.POST.get("requested"), event=event)
    return _act(
        request,
        event.pk,
        lambda: services.request_meeting(
            request.user, requester, requested, priority=int(request.POST.get("priority") or 1)
        ),
        done=_("Meeting requested."),
        denied=_("You do not act for this participant."),
    )


@login_required
@require_POST
def request_from_match(request: HttpRequest, pk: int) -> HttpResponse:
    from helix.market.models import MeetingRequest

    event = get_object_or_404(Event, pk=pk)
    market_request = get_object_or_404(MeetingRequest, pk=request.POST.get("market_request"))
    return _act(
        request,
        event.pk,
        lambda: services.request_from_match(request.user, event, market_request),
        done=_("Meeting requested."),
    )


@login_required
@require_POST
def answer_request(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(EventMeetingRequest.objects.select_related("event"), pk=pk)
    accept = request.POST.get("answer") == "accept"
    return _act(
        request,
        req.event_id,
        lambda: services.answer_request(request.user, req, accept=accept),
        denied=_("Only the participant asked may answer."),
    )


@login_required
@require_POST
def update_request(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(EventMeetingRequest.objects.select_related("event"), pk=pk)
    slot = TimeSlot.objects.filter(pk=request.POST.get("fixed_slot") or None, event=req.event).first()
    after = EventMeetingRequest.objects.filter(pk=request.POST.get("after") or None, event=req.event).first()
    return _act(
        request,
        req.event_id,
        lambda: services.update_request(
            request.user,
            req,
            priority=int(request.POST.get("priority") or req.priority),
            fixed_slot=slot,
            after=after,
        ),
        denied=_("Only the organiser."),
    )


@login_required
@require_POST
def availability(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration_for(request, pk)
    slots = list(
        TimeSlot.objects.filter(event=registration.event, pk__in=request.POST.getlist("unavailable"))
    )
    limit = request.POST.get("max_meetings")
    services.set_availability(
        request.user,
        registration,
        unavailable=slots,
        max_meetings=int(limit) if limit and limit.isdigit() else None,
    )
    messages.success(request, _("Availability saved."))
    return redirect("events:detail", pk=registration.event_id)


@login_required
@require_POST
def run_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    fairness = request.POST.get("fairness")

    def start() -> object:
        return services.start_schedule(
            request.user,
            event,
            mode=request.POST.get("mode", "max"),
            fairness=int(fairness) if fairness not in (None, "") else None,
            time_limit=min(600.0, max(1.0, float(request.POST.get("time_limit") or 30))),
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
    if not services.is_organiser(request.user, schedule.event):
        raise PermissionDenied
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
    services.cancel_schedule(request.user, schedule)
    return redirect("events:detail", pk=schedule.event_id)


def _registration_for(request: HttpRequest, pk: int) -> Registration:
    registration = get_object_or_404(
        Registration.objects.select_related("event", "person", "organisation"), pk=pk
    )
    if not services.acts_for(request.user, registration):
        raise PermissionDenied
    return registration


@login_required
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration_for(request, pk)
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
    registration = _registration_for(request, pk)
    response = HttpResponse(agenda_ics(registration), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="agenda-{registration.event_id}-{registration.pk}.ics"'
    )
    return response


@login_required
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from helix.events.pdf import agenda_pdf as render_pdf

    registration = _registration_for(request, pk)
    response = HttpResponse(render_pdf(registration), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="agenda-{registration.event_id}-{registration.pk}.pdf"'
    )
    return response


def _organiser_schedule(request: HttpRequest, pk: int) -> tuple[Event, Schedule | None]:
    event = get_object_or_404(Event, pk=pk)
    if not services.is_organiser(request.user, event):
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
    event = get_object_or_404(Event, pk=pk)
    if not services.is_organiser(request.user, event):
        raise PermissionDenied
    schedule = (
        services.published_schedule(event) or event.schedules.filter(status=ScheduleStatus.SUCCEEDED).first()
    )
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
