"""A roadmap's documents: the milestones as an iCalendar file, a printable PDF (the Gantt chart and the
table of milestones and deliverables), and the roadmap as a workbook or CSV file to edit and import back.

This is the Django edge of the pure pieces in ``helix.core.roadmaps``: it translates their labels into the
active language (:func:`gantt_labels`, :func:`trl_labels`, :func:`interplay_labels`), writes dates in the
reader's format, and writes files through the project's shared writers (``helix.spreadsheets`` for the
formula escaping). It reads no model: the views pass the roadmap and the plan's dates as plain data.

Dates: ``starts`` are a plan's start dates by item key (a computed schedule); an item the plan does not
name takes the roadmap's own dates (its planned start, pushed by its dependencies). An item's due date is
its finish, ``start + duration`` (a milestone's date is its start).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from urllib.parse import quote
from xml.sax.saxutils import escape

import reportlab
from django.conf import settings
from django.utils.dates import MONTHS_3
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from icalendar import Calendar, Event
from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from helix.core.roadmaps.charts import InterplayLabels, TrlLabels
from helix.core.roadmaps.dates import finish_of, own_starts
from helix.core.roadmaps.gantt import NO_LANE, GanttLabels, GanttLink, GanttRow
from helix.core.roadmaps.model import ItemKind, ParticipantId, Phase, Roadmap
from helix.core.roadmaps.svg import CRITICAL, DEFAULT_FILL, PHASE_COLOURS
from helix.core.roadmaps.table import Cell, roadmap_columns, roadmap_rows
from helix.spreadsheets import write_csv, write_workbook

_FONTS = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
FONT, BOLD = "HelixVera", "HelixVeraBold"  # the names helix.events.pdf and helix.calls.letters register


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, os.path.join(_FONTS, "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, os.path.join(_FONTS, "VeraBd.ttf")))


def short_date(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# ---- labels in the active language ----


def phase_names() -> dict[str, str]:
    names = {
        Phase.CONCEPT: gettext("Concept"),
        Phase.RESEARCH: gettext("Research"),
        Phase.DEVELOPMENT: gettext("Development"),
        Phase.DEMONSTRATION: gettext("Demonstration"),
        Phase.MARKET: gettext("Market"),
        Phase.RECYCLING: gettext("Recycling"),
    }
    return {phase.value: text for phase, text in names.items()}


def gantt_labels(lanes: Mapping[str, str] | None = None, *, title: str = "") -> GanttLabels:
    """The Gantt chart's words in the active language; ``lanes`` names the tracks (or participants)."""
    return GanttLabels(
        title=title,
        chart=gettext("Gantt chart"),
        lanes=dict(lanes or {}),
        no_lane=gettext("Other"),
        months=tuple(capfirst(str(MONTHS_3[m])) for m in range(1, 13)),
        quarter=gettext("Q%(quarter)d"),
        phases=phase_names(),
        activity=gettext("Activity"),
        milestone=gettext("Milestone"),
        deliverable=gettext("Deliverable"),
        critical=gettext("Critical"),
        progress=gettext("Done"),
        baseline=gettext("Baseline"),
        today=gettext("Today"),
        bar_title=gettext("%(label)s: %(start)s – %(finish)s, %(percent)s%% done"),
        milestone_title=gettext("%(label)s: %(date)s"),
        critical_note=gettext("critical"),
        baseline_note=gettext("baseline %(start)s – %(finish)s"),
        date_text=short_date,
    )


def trl_labels(*, title: str = "") -> TrlLabels:
    return TrlLabels(
        title=title,
        chart=gettext("TRL ladder"),
        level=gettext("TRL %(level)d"),
        valley=gettext("Valley of death"),
        phases=phase_names(),
        ready=gettext("Owner and funding"),
        no_funding=gettext("Owner, no funding"),
        no_owner=gettext("Funding, no owner"),
        neither=gettext("No owner, no funding"),
        item_title=gettext("%(label)s: TRL %(low)d–%(high)d, %(status)s"),
    )


def interplay_labels(*, title: str = "") -> InterplayLabels:
    return InterplayLabels(
        title=title,
        chart=gettext("Who depends on whom"),
        helix={
            "company": gettext("Company"),
            "knowledge": gettext("Knowledge"),
            "government": gettext("Government"),
            "other": gettext("Other"),
        },
        unknown_helix=gettext("Unknown"),
        node_title=gettext("%(label)s: %(items)d items"),
        edge_title=gettext("%(source)s depends on %(target)s (%(weight)d links)"),
    )


# ---- iCalendar ----


def item_uid(roadmap_key: str | int, item_key: str) -> str:
    """A stable UID per roadmap and item: a re-published calendar updates its events."""
    host = getattr(settings, "HELIX_ICAL_DOMAIN", "helix")
    return f"roadmap-{quote(str(roadmap_key), safe='')}-item-{quote(item_key, safe='')}@{host}"


def milestones_ical(
    roadmap: Roadmap,
    starts: Mapping[str, date] | None = None,
    *,
    roadmap_key: str | int,
    calendar_name: str,
    url_for_item: Callable[[str], str] | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """One all-day event per milestone (on its date) and per deliverable (on its due date).

    ``url_for_item`` gives the absolute link of an item's page (by key); ``stamp`` is the DTSTAMP (the
    time the roadmap was published; now by default). The description names the owner and the progress."""
    own = own_starts(roadmap)
    names = {p.id: p.name or str(p.id) for p in roadmap.participants}
    cal = Calendar()
    cal.add("prodid", "-//Helix//Roadmap milestones//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name)
    moment = stamp or datetime.now(UTC)
    for item in roadmap.items:
        if item.kind not in (ItemKind.MILESTONE, ItemKind.DELIVERABLE):
            continue
        start = (starts or {}).get(item.key) or own[item.key]
        due = finish_of(item, start)
        kind = gettext("Milestone") if item.kind is ItemKind.MILESTONE else gettext("Deliverable")
        lines = [f"{kind}: {item.title or item.key}"]
        if item.owner is not None:
            lines.append(gettext("Owner: %(owner)s") % {"owner": names.get(item.owner, str(item.owner))})
        lines.append(gettext("Done: %(percent)d%%") % {"percent": round(item.percent_complete)})
        event = Event()
        event.add("uid", item_uid(roadmap_key, item.key))
        event.add("dtstamp", moment)
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))
        event.add("summary", f"{item.title or item.key} ({roadmap.title})" if roadmap.title else item.title)
        event.add("description", "\n".join(lines))
        event.add("categories", [kind])
        event.add("transp", "TRANSPARENT")
        if url_for_item is not None:
            event.add("url", url_for_item(item.key))
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


# ---- PDF ----

_PAGES = {"A4": landscape(A4), "A3": landscape(A3)}
_MARGIN = 12 * mm
_LABEL_W = 55 * mm
_ROW = 11.0
_AXIS = 11.0


def _colour(hex_colour: str) -> colors.Color:
    return colors.HexColor(hex_colour)


def _month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _clip(text: str, width: float, size: float, font: str = FONT) -> str:
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


class _GanttPage:
    """Draws one page of the Gantt chart (a run of lanes and rows) as a reportlab Drawing."""

    def __init__(
        self, width: float, start: date, finish: date, labels: GanttLabels, today: date | None
    ) -> None:
        self.width = width
        self.start, self.finish = start, finish
        self.days = max(1, (finish - start).days)
        self.x0 = _LABEL_W
        self.chart_w = width - _LABEL_W
        self.labels = labels
        self.today = today

    def x(self, day: date) -> float:
        return self.x0 + (day - self.start).days * self.chart_w / self.days

    def draw(self, lines: list[tuple[str, GanttRow | None]], links: Sequence[GanttLink]) -> Drawing:
        height = 2 * _AXIS + len(lines) * _ROW + 2
        drawing = Drawing(self.width, height)
        top = height
        self._axis(drawing, top, height)
        ys: dict[str, float] = {}
        rows: dict[str, GanttRow] = {}
        y = top - 2 * _AXIS
        for text, row in lines:
            y -= _ROW
            if row is None:
                drawing.add(Rect(0, y, self.width, _ROW, fillColor=_colour("#f0f2f5"), strokeColor=None))
                drawing.add(String(2, y + 3, _clip(text, _LABEL_W - 4, 7, BOLD), fontName=BOLD, fontSize=7))
                continue
            colour = _colour(CRITICAL) if row.critical else colors.black
            font = BOLD if row.critical else FONT
            drawing.add(
                String(
                    8,
                    y + 3,
                    _clip(row.label, _LABEL_W - 12, 7, font),
                    fontName=font,
                    fontSize=7,
                    fillColor=colour,
                )
            )
            self._item(drawing, row, y)
            ys.setdefault(row.key, y + _ROW / 2)
            rows.setdefault(row.key, row)
        for link in links:
            if link.predecessor in ys and link.successor in ys:
                self._link(drawing, link, rows, ys)
        if self.today is not None and self.start <= self.today <= self.finish:
            xt = self.x(self.today)
            drawing.add(
                Line(
                    xt,
                    0,
                    xt,
                    top - _AXIS,
                    strokeColor=_colour(CRITICAL),
                    strokeWidth=0.8,
                    strokeDashArray=[3, 2],
                )
            )
        return drawing

    def _axis(self, drawing: Drawing, top: float, height: float) -> None:
        grey = _colour("#d9dee4")
        year = self.start.year
        while date(year, 1, 1) < self.finish:
            a, b = max(self.start, date(year, 1, 1)), min(self.finish, date(year + 1, 1, 1))
            xa, xb = self.x(a), self.x(b)
            drawing.add(
                Rect(xa, top - _AXIS, xb - xa, _AXIS, fillColor=_colour("#f0f2f5"), strokeColor=colors.white)
            )
            if xb - xa > 20:
                drawing.add(
                    String(
                        (xa + xb) / 2,
                        top - _AXIS + 3,
                        str(year),
                        fontName=BOLD,
                        fontSize=7,
                        textAnchor="middle",
                    )
                )
            drawing.add(Line(xa, 0, xa, top - _AXIS, strokeColor=_colour("#b8c0ca"), strokeWidth=0.5))
            year += 1
        per_month = self.chart_w / self.days * 30.44
        step = 1 if per_month >= 18 else 3 if per_month * 3 >= 18 else 0
        if not step:
            return
        cursor = _month(self.start, 0)
        if step == 3:
            cursor = date(cursor.year, (cursor.month - 1) // 3 * 3 + 1, 1)
        while cursor < self.finish:
            following = _month(cursor, step)
            xa, xb = self.x(max(self.start, cursor)), self.x(min(self.finish, following))
            if step == 1:
                text = self.labels.months[cursor.month - 1]
            else:
                text = self.labels.quarter % {"quarter": (cursor.month - 1) // 3 + 1}
            if xb - xa > pdfmetrics.stringWidth(text, FONT, 6) + 2:
                drawing.add(
                    String(
                        (xa + xb) / 2,
                        top - 2 * _AXIS + 3,
                        text,
                        fontName=FONT,
                        fontSize=6,
                        textAnchor="middle",
                    )
                )
            if cursor.month != 1 and cursor >= self.start:
                drawing.add(Line(xa, 0, xa, top - _AXIS, strokeColor=grey, strokeWidth=0.3))
            cursor = following

    def _item(self, drawing: Drawing, row: GanttRow, y: float) -> None:
        mid, half = y + _ROW / 2, 3.0
        if row.baseline_start is not None and row.baseline_finish is not None:
            bx = self.x(row.baseline_start)
            drawing.add(
                Rect(
                    bx,
                    y + 1,
                    max(1.0, self.x(row.baseline_finish) - bx),
                    1.5,
                    fillColor=_colour("#9aa5b1"),
                    strokeColor=None,
                )
            )
        if row.is_milestone:
            cx, h = self.x(row.start), half + 1
            fill = _colour(CRITICAL) if row.critical else colors.black
            drawing.add(
                Polygon(
                    [cx, mid + h, cx + h, mid, cx, mid - h, cx - h, mid], fillColor=fill, strokeColor=None
                )
            )
            return
        x = self.x(row.start)
        w = max(1.5, self.x(row.finish) - x)
        fill = _colour(PHASE_COLOURS.get(row.phase or "", DEFAULT_FILL))
        stroke = _colour(CRITICAL) if row.critical else fill
        drawing.add(
            Rect(
                x,
                mid - half,
                w,
                2 * half,
                fillColor=fill,
                strokeColor=stroke,
                strokeWidth=1 if row.critical else 0.3,
            )
        )
        done = min(100.0, max(0.0, row.percent_complete))
        if done:
            drawing.add(
                Rect(x, mid - half / 2, w * done / 100, half, fillColor=_colour("#1f2933"), strokeColor=None)
            )
        if row.deliverable:
            drawing.add(
                Line(
                    x + w, mid - half - 1.5, x + w, mid + half + 1.5, strokeColor=colors.black, strokeWidth=1
                )
            )

    def _link(
        self, drawing: Drawing, link: GanttLink, rows: Mapping[str, GanttRow], ys: Mapping[str, float]
    ) -> None:
        pred, succ = rows[link.predecessor], rows[link.successor]
        y1, y2 = ys[link.predecessor], ys[link.successor]
        x2 = self.x(succ.start)
        x1 = self.x(pred.start) if link.kind == "SS" else self.x(pred.finish)
        xm = min(x1, x2) - 3 if link.kind == "SS" else x1 + 2
        grey = _colour("#616e7c")
        for a, b, c, d in ((x1, y1, xm, y1), (xm, y1, xm, y2), (xm, y2, x2, y2)):
            drawing.add(Line(a, b, c, d, strokeColor=grey, strokeWidth=0.4))
        drawing.add(
            Polygon([x2, y2, x2 - 2.5, y2 + 1.5, x2 - 2.5, y2 - 1.5], fillColor=grey, strokeColor=None)
        )


def _lines(rows: Sequence[GanttRow], labels: GanttLabels, group_by: str) -> list[tuple[str, GanttRow | None]]:
    """Lane headers and rows in the order the SVG chart draws them."""
    lanes: dict[str, list[GanttRow]] = {key: [] for key in labels.lanes if key != NO_LANE}
    other: list[GanttRow] = []
    for row in rows:
        keys = (row.lane,) if group_by == "track" else row.participants
        keys = tuple(k for k in dict.fromkeys(keys) if k != NO_LANE)
        if not keys:
            other.append(row)
        for key in keys:
            lanes.setdefault(key, []).append(row)
    out: list[tuple[str, GanttRow | None]] = []
    for key, members in [*lanes.items(), (NO_LANE, other)]:
        if members:
            out.append((labels.no_lane if key == NO_LANE else labels.lanes.get(key, key), None))
            out.extend((row.label, row) for row in members)
    return out


def _status(row: GanttRow, today: date | None) -> str:
    if row.percent_complete >= 100:
        return gettext("done")
    due = row.start if row.is_milestone else row.finish
    if today is not None and due < today:
        return gettext("late")
    if row.percent_complete > 0:
        return gettext("%(percent)d%% done") % {"percent": round(row.percent_complete)}
    return gettext("planned")


def roadmap_pdf(
    title: str,
    rows: Sequence[GanttRow],
    links: Sequence[GanttLink] = (),
    *,
    start: date,
    finish: date,
    today: date | None = None,
    labels: GanttLabels | None = None,
    group_by: Literal["track", "participant"] = "track",
    page: Literal["A4", "A3"] = "A4",
    subtitle: str = "",
    invariant: bool = False,
) -> bytes:
    """A printable roadmap: the Gantt chart over as many landscape pages as it needs (an arrow is drawn
    when both its items are on the page), then the table of milestones and deliverables with their
    owner, due date and status (done, late by ``today``, in progress, planned).

    ``labels`` default to :func:`gantt_labels` (the active language); ``invariant`` makes the file byte
    for byte reproducible (fixed dates and ids, for tests and caches)."""
    _fonts()
    labels = labels or gantt_labels()
    size = _PAGES[page]
    width = size[0] - 2 * _MARGIN
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=title,
        creator="Helix",
        invariant=1 if invariant else 0,
    )
    body = ParagraphStyle("body", fontName=FONT, fontSize=8, leading=10)
    heading = ParagraphStyle("heading", parent=body, fontName=BOLD, fontSize=14, leading=18, spaceAfter=4)
    story: list[object] = [Paragraph(escape(title), heading)]
    if subtitle:
        story.append(Paragraph(escape(subtitle), body))
    story.append(Spacer(1, 3 * mm))
    if finish <= start:
        finish = start + timedelta(days=1)
    gantt = _GanttPage(width, start, finish, labels, today)
    lines = _lines(rows, labels, group_by)
    first_page = int((size[1] - 2 * _MARGIN - 30 * mm) // _ROW) - 2
    per_page = int((size[1] - 2 * _MARGIN - 8 * mm) // _ROW) - 2
    index, capacity = 0, max(5, first_page)
    while index < len(lines):
        chunk = lines[index : index + capacity]
        story.append(gantt.draw(chunk, links))
        index += capacity
        capacity = max(5, per_page)
        if index < len(lines):
            story.append(PageBreak())
    due = [r for r in rows if r.is_milestone or r.deliverable]
    if due:
        story.append(Spacer(1, 6 * mm))
        story.append(Paragraph(escape(gettext("Milestones and deliverables")), heading))
        header = [gettext("Item"), gettext("Kind"), gettext("Owner"), gettext("Due"), gettext("Status")]
        table_rows: list[list[object]] = [[Paragraph(escape(h), body) for h in header]]
        seen: set[str] = set()
        for row in sorted(due, key=lambda r: (r.start if r.is_milestone else r.finish, r.key)):
            if row.key in seen:
                continue
            seen.add(row.key)
            table_rows.append(
                [
                    Paragraph(escape(row.label), body),
                    labels.milestone if row.is_milestone else labels.deliverable,
                    Paragraph(escape(row.owner), body),
                    short_date(row.start if row.is_milestone else row.finish),
                    _status(row, today),
                ]
            )
        table = Table(
            table_rows,
            colWidths=[width * 0.4, width * 0.12, width * 0.24, width * 0.1, width * 0.14],
            repeatRows=1,
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 8),
                    ("FONT", (0, 0), (-1, 0), BOLD, 8),
                    ("BACKGROUND", (0, 0), (-1, 0), _colour("#f0f2f5")),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, _colour("#d9dee4")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    doc.build(story)
    return buffer.getvalue()


# ---- spreadsheets ----


def _rows(
    roadmap: Roadmap, starts: Mapping[str, date] | None, name_of: Callable[[ParticipantId], str] | None
) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    columns = roadmap_columns(with_plan=starts is not None)
    return columns, roadmap_rows(roadmap, starts, name_of=name_of)


def roadmap_workbook(
    roadmap: Roadmap,
    starts: Mapping[str, date] | None = None,
    *,
    name_of: Callable[[ParticipantId], str] | None = None,
    sheet: str | None = None,
) -> bytes:
    """The roadmap as an XLSX workbook of one sheet, the columns of ``ROADMAP_COLUMNS`` (their keys, so
    the file imports back), plus the plan's dates when ``starts`` are given."""
    columns, rows = _rows(roadmap, starts, name_of)
    buffer = io.BytesIO()
    write_workbook(buffer, {sheet or gettext("Roadmap"): (columns, rows)})
    return buffer.getvalue()


def roadmap_csv(
    roadmap: Roadmap,
    starts: Mapping[str, date] | None = None,
    *,
    name_of: Callable[[ParticipantId], str] | None = None,
) -> bytes:
    """The roadmap as a CSV file (UTF-8 with a byte order mark, for spreadsheets), same columns as the
    workbook."""
    columns, rows = _rows(roadmap, starts, name_of)
    handle = io.StringIO(newline="")
    write_csv(handle, columns, rows)
    return handle.getvalue().encode("utf-8-sig")


def read_csv_rows(data: bytes) -> list[dict[str, str]]:
    """A CSV file (as :func:`roadmap_csv` writes it) as rows of text cells for ``parse_roadmap_rows``
    (which takes the formula apostrophes off). For small files; an upload goes through
    ``helix.spreadsheets.read_table`` with its limits."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return [{k: v or "" for k, v in row.items()} for row in reader]
