"""Printable outputs with reportlab: a participant's agenda and the organiser's table cards (one card per
table, its meetings slot by slot). Vera (shipped inside reportlab) prints accents and most European
letters."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import reportlab
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from helix.events.models import Event, Registration, Schedule
from helix.events.services import agenda

_FONTS = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
FONT, BOLD = "HelixVera", "HelixVeraBold"


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, os.path.join(_FONTS, "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, os.path.join(_FONTS, "VeraBd.ttf")))


def _lines(
    canvas: Canvas, title: str, subtitle: str, rows: Sequence[tuple[str, str, str]], *, when: str = ""
) -> None:
    """A title, the date and place line (``when``, if any), a subtitle, then one line per row."""
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
    for time_text, where, who in rows:
        if y < 20 * mm:
            canvas.showPage()
            canvas.setFont(FONT, 10)
            y = height - 20 * mm
        canvas.setFont(BOLD, 11)
        canvas.drawString(20 * mm, y, time_text)
        canvas.setFont(FONT, 11)
        canvas.drawString(50 * mm, y, where)
        canvas.drawString(75 * mm, y, who[:80])
        y -= 7 * mm


def agenda_pdf(registration: Registration) -> bytes:
    _fonts()
    event = registration.event
    zone = ZoneInfo(event.time_zone)
    rows = []
    for item in agenda(registration):
        req = item.request
        other = req.requested if req.requester_id == registration.pk else req.requester
        start, end = item.slot.start.astimezone(zone), item.slot.end.astimezone(zone)
        where = (
            f"table {item.table}" if item.table else ("online" if other.online or registration.online else "")
        )
        rows.append((f"{start:%H:%M}–{end:%H:%M}", where, f"{other.organisation.name} — {other.person}"))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(f"{event.title}: {registration.person}")
    _lines(
        canvas,
        event.title,
        f"{registration.person}, {registration.organisation.name}",
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
                    f"{start:%H:%M}",
                    "",
                    f"{m.request.requester.organisation.name} · {m.request.requested.organisation.name}",
                )
            )
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(f"{event.title}: table cards")
    for table in sorted(by_table):
        _lines(canvas, f"Table {table}", event.title, by_table[table])
        canvas.showPage()
    if not by_table:
        _lines(canvas, event.title, "no meeting at a table", [])
    canvas.save()
    return buffer.getvalue()
