"""Printable outputs with reportlab: a participant's agenda and the organiser's table cards (one card per
table, its meetings slot by slot). Vera (shipped inside reportlab) prints accents and most European
letters. Words, dates and times are the reader's: the request's language and its formats (TIME_FORMAT),
in the event's time zone."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import reportlab
from django.utils.formats import time_format
from django.utils.translation import gettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from helix.events.models import Event, Registration, Schedule
from helix.events.schedules import agenda

_FONTS = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
FONT, BOLD = "HelixVera", "HelixVeraBold"


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, os.path.join(_FONTS, "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, os.path.join(_FONTS, "VeraBd.ttf")))


def _lines(
    canvas: Canvas,
    title: str,
    subtitle: str,
    rows: Sequence[tuple[str, str, str] | tuple[str, str, str, str]],
    *,
    when: str = "",
) -> None:
    """A title, the date and place line (``when``, if any), a subtitle, then one line per row (and, for a
    row of four, its fourth text on a line of its own below: an online meeting link)."""
    _width, height = A4
    y = height - 25 * mm
    canvas.setFont(BOLD, 16)
    canvas.drawString(20 * mm, y, title)
    if when:
        y -= 8 * mm
        canvas.setFont(BOLD, 11)
        canvas.drawString(20 * mm, y, when)
        y -= 6 * mm
    else:
        y -= 8 * mm
    canvas.setFont(FONT, 10)
    canvas.drawString(20 * mm, y, subtitle)
    y -= 12 * mm
    for row in rows:
        time_text, where, who = row[:3]
        note = row[3] if len(row) > 3 else ""
        if y < 25 * mm:
            canvas.showPage()
            canvas.setFont(FONT, 10)
            y = height - 20 * mm
        canvas.setFont(BOLD, 11)
        canvas.drawString(20 * mm, y, time_text)
        canvas.setFont(FONT, 11)
        canvas.drawString(50 * mm, y, where)
        canvas.drawString(75 * mm, y, who[:80])
        y -= 7 * mm
        if note:
            canvas.setFont(FONT, 9)
            canvas.drawString(75 * mm, y + 2 * mm, note[:110])
            y -= 4 * mm


def agenda_pdf(registration: Registration) -> bytes:
    _fonts()
    event = registration.event
    zone = ZoneInfo(event.time_zone)
    rows: list[tuple[str, str, str, str]] = []
    for item in agenda(registration):
        req = item.request
        other = req.other_side(registration)
        start, end = item.slot.start.astimezone(zone), item.slot.end.astimezone(zone)
        online = registration.meets_online(other)
        if online:
            where = gettext("online")
        elif item.table:
            where = gettext("table %(table)s") % {"table": item.table}
        else:
            where = ""
        rows.append(
            (
                f"{time_format(start, 'TIME_FORMAT')}–{time_format(end, 'TIME_FORMAT')}",
                where,
                f"{other.organisation.name} — {other.person}",
                registration.meeting_link(other) if online else "",
            )
        )
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(f"{event.title}: {registration.person}")
    _lines(
        canvas,
        event.title,
        gettext("%(person)s, %(organisation)s · times in %(zone)s")
        % {
            "person": registration.person,
            "organisation": registration.organisation.name,
            "zone": event.zone_label,
        },
        rows,
        when=" · ".join(part for part in (event.when, event.venue) if part),
    )
    canvas.save()
    return buffer.getvalue()


def table_cards_pdf(event: Event, schedule: Schedule) -> bytes:
    _fonts()
    zone = ZoneInfo(event.time_zone)
    by_table: dict[int, list[tuple[str, str, str]]] = {}
    for m in schedule.meetings.select_related(
        "slot", "request__requester__organisation", "request__requested__organisation"
    ).order_by("slot__start"):
        if m.table:
            start = m.slot.start.astimezone(zone)
            by_table.setdefault(m.table, []).append(
                (
                    time_format(start, "TIME_FORMAT"),
                    "",
                    f"{m.request.requester.organisation.name} · {m.request.requested.organisation.name}",
                )
            )
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(gettext("%(event)s: table cards") % {"event": event.title})
    for table in sorted(by_table):
        _lines(canvas, gettext("Table %(table)s") % {"table": table}, event.title, by_table[table])
        canvas.showPage()
    if not by_table:
        _lines(canvas, event.title, gettext("No meeting at a table."), [])
    canvas.save()
    return buffer.getvalue()
