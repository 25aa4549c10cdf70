"""Schedule pages: starting an optimisation run and following it, publishing or cancelling a run, a
participant's agenda (page, iCalendar, PDF), and the organiser's grid with its exports and table cards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.events import attendance, schedules, services
from helix.events.agenda import agenda_ics
from helix.events.models import (
    Event,
    EventMeetingRequest,
    Registration,
    Schedule,
    ScheduleStatus,
    TimeSlot,
)
from helix.events.views.shared import (
    MAX_MEETINGS,
    act_on_event,
    meetings_in_order,
    registration_for,
    visible_event,
)
from helix.params import finite_number, whole_number
from helix.registry.permissions import can


@login_required
@require_POST
def run_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    fairness = request.POST.get("fairness")

    def start() -> object:
        return schedules.start_schedule(
            request.user,
            event,
            mode=request.POST.get("mode", "max"),
            fairness=whole_number(fairness, low=0, high=MAX_MEETINGS),
            time_limit=finite_number(request.POST.get("time_limit"), default=30.0, low=1.0, high=600.0),
        )

    return act_on_event(
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


def _move_schedule(
    request: HttpRequest,
    pk: int,
    move: Callable[[Any, Schedule], object],
    *,
    done: str = "",
    denied: str = "",
) -> HttpResponse:
    """Make a move of run ``pk`` (schedules.publish_schedule, cancel_schedule) as the user, then go back to
    its event."""
    schedule = get_object_or_404(Schedule.objects.select_related("event"), pk=pk)
    return act_on_event(
        request, schedule.event_id, lambda: move(request.user, schedule), done=done, denied=denied
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _move_schedule(
        request, pk, schedules.publish_schedule, done=_("Schedule published: participants see their agendas.")
    )


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _move_schedule(request, pk, schedules.cancel_schedule, denied=_("Only the organiser."))


@login_required
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    from django.utils import timezone

    registration = registration_for(request, pk, "view_agenda")
    meetings = schedules.agenda(registration)
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


def _agenda_file(
    registration: Registration, content: bytes, content_type: str, extension: str
) -> HttpResponse:
    """A participant's agenda as a file to download, named after the event and the registration."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="agenda-{registration.event_id}-{registration.pk}.{extension}"'
    )
    return response


@login_required
def agenda_ical(request: HttpRequest, pk: int) -> HttpResponse:
    registration = registration_for(request, pk, "download_agenda")
    return _agenda_file(registration, agenda_ics(registration), "text/calendar; charset=utf-8", "ics")


@login_required
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from helix.events.pdf import agenda_pdf as render_pdf

    registration = registration_for(request, pk, "download_agenda")
    return _agenda_file(registration, render_pdf(registration), "application/pdf", "pdf")


def _organiser_schedule(request: HttpRequest, pk: int) -> tuple[Event, Schedule | None]:
    event = get_object_or_404(Event, pk=pk)
    if not can(request.user, "view_schedules", event):
        raise PermissionDenied
    return event, schedules.published_schedule(event) or event.schedules.filter(
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
        for m in meetings_in_order(schedule)
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
