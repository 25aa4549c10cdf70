"""A roadmap's Gantt chart as a standalone SVG string.

The chart takes already computed dates as plain rows (:class:`GanttRow`, :class:`GanttLink`): the
critical path, a levelled plan or the roadmap's own dates (:func:`rows_from_roadmap`) all map onto them.
It draws a time axis (years, then quarters or months as the width allows), one row per item grouped in
lanes (tracks, or one swimlane per participant where a shared item appears in each of its participants'
lanes), bars for activities and deliverables, diamonds for milestones, the progress as a darker fill,
critical items in red, baseline "ghost" bars, finish-to-start and start-to-start arrows, a today line and
a legend.

Every word comes in through :class:`GanttLabels` and the rows (the Django edge translates them); all text
is escaped. The output prints well (a viewBox, a system sans-serif, no script, no external resource), is
accessible (role="img", an aria-label, a ``<title>`` on every bar naming the item and its dates) and is
deterministic. It is built as a list of strings in one pass over the rows and one over the links, so a
roadmap of thousands of items draws in milliseconds.

Dates: a bar covers ``[start, finish)`` in days, as the roadmap counts them (``finish = start +
duration``); a milestone sits at ``start``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from helix.core.roadmaps.dates import finish_of, own_starts
from helix.core.roadmaps.model import DependencyKind, ItemKind, Phase, Roadmap
from helix.core.roadmaps.svg import (
    BAND,
    CRITICAL,
    DEFAULT_FILL,
    GRID,
    INK,
    MUTED,
    PHASE_COLOURS,
    clip,
    esc,
    num,
    open_svg,
    text_width,
)

NO_LANE = ""  # the lane of rows without a track (or without a participant in swimlanes)


@dataclass(frozen=True)
class GanttRow:
    """One item as the chart draws it.

    ``lane`` is the track key (``""`` = none); ``participants`` the lane keys of the participant
    swimlanes the item belongs to (owner, contributors, effort), as text. ``finish`` is exclusive (the
    day after the last day); for a milestone it equals ``start``."""

    key: str
    label: str
    lane: str
    start: date
    finish: date
    is_milestone: bool = False
    critical: bool = False
    percent_complete: float = 0.0
    baseline_start: date | None = None
    baseline_finish: date | None = None
    phase: str | None = None
    participants: tuple[str, ...] = ()
    owner: str = ""  # the owner's name, for tables and titles
    deliverable: bool = False  # a result with a due date (its finish): drawn with a mark at the end


@dataclass(frozen=True)
class GanttLink:
    predecessor: str
    successor: str
    kind: str = "FS"  # "FS" or "SS"


def _iso(day: date) -> str:
    return day.isoformat()


@dataclass(frozen=True)
class GanttLabels:
    """Every text the chart shows, in the reader's language (English defaults for tests and tools).

    ``lanes`` maps lane keys (track keys, participant keys) to titles; its order is the order of the
    lanes (lanes it does not name follow in order of appearance, then the lane of rows without one).
    The ``*_title`` templates use %-style names: ``label``, ``start``, ``finish``, ``date``,
    ``percent``, ``owner``."""

    title: str = ""
    chart: str = "Gantt chart"
    lanes: Mapping[str, str] = field(default_factory=dict)
    no_lane: str = "Other"
    months: tuple[str, ...] = (
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    )
    quarter: str = "Q%(quarter)d"
    phases: Mapping[str, str] = field(default_factory=lambda: {p.value: p.value.title() for p in Phase})
    activity: str = "Activity"
    milestone: str = "Milestone"
    deliverable: str = "Deliverable"
    critical: str = "Critical"
    progress: str = "Done"
    baseline: str = "Baseline"
    today: str = "Today"
    bar_title: str = "%(label)s: %(start)s – %(finish)s, %(percent)s%% done"
    milestone_title: str = "%(label)s: %(date)s"
    critical_note: str = "critical"
    baseline_note: str = "baseline %(start)s – %(finish)s"
    date_text: Callable[[date], str] = _iso  # the reader's date format

    def day(self, value: date) -> str:
        return self.date_text(value)


# Layout, in SVG user units (px at 100 %).
ROW_H = 22.0
BAR_H = 12.0
LANE_H = 22.0
AXIS_ROW = 18.0
TITLE_H = 30.0
LEGEND_ROW = 22.0
MARGIN = 8.0


@dataclass(frozen=True)
class _Axis:
    start: date
    days: int
    x0: float
    width: float

    def x(self, day: date) -> float:
        return self.x0 + (day - self.start).days * self.width / self.days


def _lanes(rows: Sequence[GanttRow], group_by: str, labels: GanttLabels) -> list[tuple[str, list[GanttRow]]]:
    by_lane: dict[str, list[GanttRow]] = {key: [] for key in labels.lanes if key != NO_LANE}
    other: list[GanttRow] = []
    for row in rows:
        lanes = (row.lane,) if group_by == "track" else row.participants
        if not lanes or (len(lanes) == 1 and lanes[0] == NO_LANE):
            other.append(row)
            continue
        for lane in dict.fromkeys(lanes):  # an item listed twice for one participant shows once
            if lane == NO_LANE:
                other.append(row)
            else:
                by_lane.setdefault(lane, []).append(row)
    ordered = [(k, v) for k, v in by_lane.items() if v]
    if other:
        ordered.append((NO_LANE, other))
    return ordered


def _month_start(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _axis_parts(axis: _Axis, finish: date, labels: GanttLabels, top: float, bottom: float) -> list[str]:
    """Years on the first axis row; quarters or months on the second, as wide as they can be read."""
    out = [f'<g class="axis" font-size="10" fill="{MUTED}">']
    px_month = axis.width / axis.days * 30.44
    step = 1 if px_month >= 24 else 3 if px_month * 3 >= 24 else 0
    year = axis.start.year
    while date(year, 1, 1) < finish:
        a = max(axis.start, date(year, 1, 1))
        b = min(finish, date(year + 1, 1, 1))
        xa, xb = axis.x(a), axis.x(b)
        out.append(
            f'<rect x="{num(xa)}" y="{num(top)}" width="{num(xb - xa)}" height="{num(AXIS_ROW)}" '
            f'fill="{BAND}" stroke="#fff"/>'
        )
        if xb - xa >= 30:
            out.append(
                f'<text x="{num((xa + xb) / 2)}" y="{num(top + 13)}" text-anchor="middle" '
                f'font-weight="bold">{year}</text>'
            )
        if year > axis.start.year or a == date(year, 1, 1):
            out.append(
                f'<line class="grid-year" x1="{num(xa)}" y1="{num(top)}" x2="{num(xa)}" '
                f'y2="{num(bottom)}" stroke="#b8c0ca"/>'
            )
        year += 1
    if step:
        cursor = _month_start(axis.start, 0)
        if step == 3:
            cursor = date(cursor.year, (cursor.month - 1) // 3 * 3 + 1, 1)
        y = top + AXIS_ROW
        while cursor < finish:
            following = _month_start(cursor, step)
            a, b = max(axis.start, cursor), min(finish, following)
            xa, xb = axis.x(a), axis.x(b)
            if step == 1:
                text = labels.months[cursor.month - 1]
            else:
                text = labels.quarter % {"quarter": (cursor.month - 1) // 3 + 1}
            if xb - xa >= text_width(text, 10) + 2:
                out.append(
                    f'<text x="{num((xa + xb) / 2)}" y="{num(y + 13)}" text-anchor="middle">'
                    f"{esc(text)}</text>"
                )
            if cursor.month != 1 and a == cursor:
                out.append(
                    f'<line class="grid" x1="{num(xa)}" y1="{num(y)}" x2="{num(xa)}" '
                    f'y2="{num(bottom)}" stroke="{GRID}" stroke-width="0.5"/>'
                )
            cursor = following
    out.append("</g>")
    return out


def _percent(value: float) -> str:
    clamped = min(100.0, max(0.0, value))
    return str(round(clamped)) if abs(clamped - round(clamped)) < 0.05 else f"{clamped:.1f}"


def _item(row: GanttRow, axis: _Axis, y: float, labels: GanttLabels) -> list[str]:
    """The bar (or diamond) of one row, with its title, progress and baseline."""
    title_params = {
        "label": row.label,
        "start": labels.day(row.start),
        "finish": labels.day(row.finish),
        "date": labels.day(row.start),
        "percent": _percent(row.percent_complete),
        "owner": row.owner,
    }
    template = labels.milestone_title if row.is_milestone else labels.bar_title
    title = template % title_params
    if row.critical:
        title += f" ({labels.critical_note})"
    if row.baseline_start is not None and row.baseline_finish is not None:
        title += "; " + labels.baseline_note % {
            "start": labels.day(row.baseline_start),
            "finish": labels.day(row.baseline_finish),
        }
    cls = "item critical" if row.critical else "item"
    out = [f'<g class="{cls}"><title>{esc(title)}</title>']
    mid = y + ROW_H / 2
    if row.baseline_start is not None and row.baseline_finish is not None:
        bx = axis.x(row.baseline_start)
        bw = max(2.0, axis.x(row.baseline_finish) - bx)
        out.append(
            f'<rect class="baseline" x="{num(bx)}" y="{num(mid + BAR_H / 2 + 1)}" width="{num(bw)}" '
            f'height="3" fill="#9aa5b1" opacity="0.7"/>'
        )
    colour = PHASE_COLOURS.get(row.phase or "", DEFAULT_FILL)
    if row.is_milestone:
        cx, h = axis.x(row.start), BAR_H / 2 + 1
        fill = CRITICAL if row.critical else INK
        if row.percent_complete >= 100:
            fill = "#3e4c59" if not row.critical else "#7b241c"
        out.append(
            f'<path class="milestone" d="M{num(cx)} {num(mid - h)}l{num(h)} {num(h)}l{num(-h)} {num(h)}'
            f'l{num(-h)} {num(-h)}z" fill="{fill}" stroke="#fff" stroke-width="1"/>'
        )
    else:
        x = axis.x(row.start)
        w = max(2.0, axis.x(row.finish) - x)
        stroke = f' stroke="{CRITICAL}" stroke-width="2"' if row.critical else f' stroke="{colour}"'
        out.append(
            f'<rect class="bar" x="{num(x)}" y="{num(mid - BAR_H / 2)}" width="{num(w)}" '
            f'height="{num(BAR_H)}" rx="2" fill="{colour}"{stroke}/>'
        )
        done = min(100.0, max(0.0, row.percent_complete))
        if done > 0:
            out.append(
                f'<rect class="progress" x="{num(x)}" y="{num(mid - BAR_H / 4)}" '
                f'width="{num(w * done / 100)}" height="{num(BAR_H / 2)}" fill="{INK}" opacity="0.55"/>'
            )
        if row.deliverable:
            xe = x + w
            out.append(
                f'<path class="due" d="M{num(xe)} {num(mid - BAR_H / 2 - 3)}v{num(BAR_H + 6)}" '
                f'stroke="{INK}" stroke-width="2"/>'
            )
    out.append("</g>")
    return out


def _link_path(
    link: GanttLink, pred: GanttRow, succ: GanttRow, y1: float, y2: float, axis: _Axis
) -> str | None:
    """An orthogonal arrow: from the predecessor's finish (FS) or start (SS) to the successor's start."""
    half = BAR_H / 2 + 1
    x2 = axis.x(succ.start) - (half if succ.is_milestone else 0)
    if link.kind == "SS":
        x1 = axis.x(pred.start) - (half if pred.is_milestone else 0)
        xm = min(x1, x2) - 6
        return f"M{num(x1)} {num(y1)}H{num(xm)}V{num(y2)}H{num(x2)}"
    x1 = axis.x(pred.finish) + (half if pred.is_milestone else 0)
    if x2 >= x1 + 10:
        xm = x1 + 5
        return f"M{num(x1)} {num(y1)}H{num(xm)}V{num(y2)}H{num(x2)}"
    # The successor starts before the predecessor's finish (a lead): go round, between the rows.
    ygap = y2 - ROW_H / 2 if y2 > y1 else y2 + ROW_H / 2
    return f"M{num(x1)} {num(y1)}h5V{num(ygap)}H{num(x2 - 8)}V{num(y2)}H{num(x2)}"


def _legend(
    y: float, x0: float, width: float, labels: GanttLabels, phases: list[str]
) -> tuple[list[str], float]:
    """The legend as wrapped entries (glyph + text); returns the parts and the height used."""
    entries: list[tuple[str, str]] = []
    gy = BAR_H / 2
    entries.append(
        (
            f'<rect x="0" y="{num(-gy)}" width="22" height="{num(BAR_H)}" rx="2" fill="{DEFAULT_FILL}"/>',
            labels.activity,
        )
    )
    entries.append(
        (
            f'<rect x="0" y="{num(-gy)}" width="22" height="{num(BAR_H)}" rx="2" fill="{DEFAULT_FILL}"/>'
            f'<rect x="0" y="{num(-BAR_H / 4)}" width="11" height="{num(BAR_H / 2)}" fill="{INK}" '
            'opacity="0.55"/>',
            labels.progress,
        )
    )
    entries.append((f'<path d="M7 {num(-gy)}l7 7l-7 7l-7 -7z" fill="{INK}"/>', labels.milestone))
    entries.append(
        (
            f'<rect x="0" y="{num(-gy)}" width="22" height="{num(BAR_H)}" rx="2" fill="{DEFAULT_FILL}"/>'
            f'<path d="M22 {num(-gy - 3)}v{num(BAR_H + 6)}" stroke="{INK}" stroke-width="2"/>',
            labels.deliverable,
        )
    )
    entries.append(
        (
            f'<rect x="0" y="{num(-gy)}" width="22" height="{num(BAR_H)}" rx="2" fill="{DEFAULT_FILL}" '
            f'stroke="{CRITICAL}" stroke-width="2"/>',
            labels.critical,
        )
    )
    entries.append(('<rect x="0" y="2" width="22" height="3" fill="#9aa5b1"/>', labels.baseline))
    entries.append(
        (f'<path d="M11 {num(-gy)}v{num(BAR_H)}" stroke="{CRITICAL}" stroke-dasharray="3 2"/>', labels.today)
    )
    for phase in phases:
        colour = PHASE_COLOURS.get(phase, DEFAULT_FILL)
        entries.append(
            (
                f'<rect x="0" y="{num(-gy)}" width="22" height="{num(BAR_H)}" rx="2" fill="{colour}"/>',
                labels.phases.get(phase, phase),
            )
        )
    out = ['<g class="legend" font-size="10">']
    x, line = x0, 0
    for glyph, text in entries:
        w = 28 + text_width(text, 10) + 14
        if x + w > x0 + width and x > x0:
            x, line = x0, line + 1
        ty = y + line * LEGEND_ROW + LEGEND_ROW / 2
        out.append(
            f'<g transform="translate({num(x)} {num(ty)})">{glyph}<text x="28" y="4">{esc(text)}</text></g>'
        )
        x += w
    out.append("</g>")
    return out, (line + 1) * LEGEND_ROW


def gantt_svg(
    rows: Sequence[GanttRow],
    links: Sequence[GanttLink] = (),
    *,
    start: date,
    finish: date,
    labels: GanttLabels | None = None,
    today: date | None = None,
    group_by: Literal["track", "participant"] = "track",
    width: int = 1200,
    label_width: int = 260,
    id_prefix: str = "gantt",
) -> str:
    """The Gantt chart of ``rows`` between ``start`` and ``finish`` (exclusive) as an SVG document.

    ``group_by="track"`` puts each row in its ``lane``; ``"participant"`` draws one swimlane per
    participant and repeats a shared item in each of its participants' lanes. ``links`` whose ends are
    not both among the rows are skipped; an arrow joins the successor's first appearance to the
    predecessor's nearest one. ``today`` draws a line when it falls within the span. ``id_prefix``
    keeps the marker ids unique when several charts are inlined in one page."""
    labels = labels or GanttLabels()
    if finish <= start:
        finish = start + timedelta(days=1)
    lanes = _lanes(rows, group_by, labels)
    chart_x = MARGIN + label_width
    axis = _Axis(start, (finish - start).days, chart_x, max(50.0, width - chart_x - MARGIN))
    top = MARGIN + (TITLE_H if labels.title else 0)
    body_top = top + 2 * AXIS_ROW
    count = sum(len(lane_rows) for _, lane_rows in lanes)
    body_bottom = body_top + len(lanes) * LANE_H + count * ROW_H
    phases = sorted(
        {r.phase for r in rows if r.phase in PHASE_COLOURS},
        key=lambda p: list(PHASE_COLOURS).index(p or ""),
    )
    legend_parts, legend_h = _legend(
        body_bottom + 10, MARGIN, width - 2 * MARGIN, labels, [p or "" for p in phases]
    )
    height = body_bottom + 10 + legend_h + MARGIN
    aria = labels.title or labels.chart
    prefix = esc(id_prefix)
    out: list[str] = [
        open_svg(width, height, aria),
        f"<title>{esc(aria)}</title>",
        f'<defs><marker id="{prefix}-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M0 0L8 4L0 8z" fill="{MUTED}"/></marker>'
        f'<marker id="{prefix}-arrow-critical" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M0 0L8 4L0 8z" fill="{CRITICAL}"/></marker></defs>',
        f'<rect width="{num(width)}" height="{num(height)}" fill="#fff"/>',
    ]
    if labels.title:
        out.append(
            f'<text x="{num(MARGIN)}" y="{num(MARGIN + 18)}" font-size="16" font-weight="bold">'
            f"{esc(labels.title)}</text>"
        )
    out.extend(_axis_parts(axis, finish, labels, top, body_bottom))

    label_chars = int((label_width - 22) / (11 * 0.58))
    positions: dict[str, list[float]] = {}
    by_key: dict[str, GanttRow] = {}
    body: list[str] = ['<g class="rows">']
    y = body_top
    for lane, lane_rows in lanes:
        title = labels.no_lane if lane == NO_LANE else labels.lanes.get(lane, lane)
        body.append(
            f'<g class="lane"><rect x="{num(MARGIN)}" y="{num(y)}" width="{num(width - 2 * MARGIN)}" '
            f'height="{num(LANE_H)}" fill="{BAND}"/><text x="{num(MARGIN + 4)}" y="{num(y + 15)}" '
            f'font-weight="bold">{esc(clip(title, label_chars + 2))}</text></g>'
        )
        y += LANE_H
        for row in lane_rows:
            weight = ' font-weight="bold"' if row.critical else ""
            colour = f' fill="{CRITICAL}"' if row.critical else ""
            body.append(
                f'<text class="label" x="{num(MARGIN + 14)}" y="{num(y + 15)}"{weight}{colour}>'
                f"{esc(clip(row.label, label_chars))}</text>"
            )
            body.extend(_item(row, axis, y, labels))
            positions.setdefault(row.key, []).append(y + ROW_H / 2)
            by_key.setdefault(row.key, row)
            y += ROW_H
        body.append(
            f'<line x1="{num(MARGIN)}" y1="{num(y)}" x2="{num(width - MARGIN)}" y2="{num(y)}" '
            f'stroke="{GRID}"/>'
        )
    body.append("</g>")
    out.extend(body)

    arrows = ['<g class="links" fill="none">']
    for link in links:
        succ_ys, pred_ys = positions.get(link.successor), positions.get(link.predecessor)
        if not succ_ys or not pred_ys:
            continue
        y2 = succ_ys[0]
        y1 = min(pred_ys, key=lambda v: (abs(v - y2), v))
        pred, succ = by_key[link.predecessor], by_key[link.successor]
        path = _link_path(link, pred, succ, y1, y2, axis)
        critical = pred.critical and succ.critical
        marker = f"{prefix}-arrow-critical" if critical else f"{prefix}-arrow"
        colour = CRITICAL if critical else MUTED
        kind = "ss" if link.kind == "SS" else "fs"
        arrows.append(
            f'<path class="link link-{kind}" d="{path}" stroke="{colour}" stroke-width="1" '
            f'marker-end="url(#{marker})"/>'
        )
    arrows.append("</g>")
    out.extend(arrows)

    if today is not None and start <= today <= finish:
        xt = axis.x(today)
        out.append(
            f'<g class="today"><title>{esc(labels.today)}: {esc(labels.day(today))}</title>'
            f'<line x1="{num(xt)}" y1="{num(top)}" x2="{num(xt)}" y2="{num(body_bottom)}" '
            f'stroke="{CRITICAL}" stroke-width="1.5" stroke-dasharray="4 3"/></g>'
        )
    out.extend(legend_parts)
    out.append("</svg>")
    return "".join(out)


def rows_from_roadmap(
    roadmap: Roadmap,
    starts: Mapping[str, date] | None = None,
    *,
    critical: Collection[str] = (),
    baseline: Mapping[str, tuple[date, date]] | None = None,
    name_of: Mapping[str, str] | None = None,
) -> list[GanttRow]:
    """The rows of ``roadmap`` with the plan's ``starts`` (item key -> start; missing items take the
    roadmap's own dates, :func:`~helix.core.roadmaps.dates.own_starts`), the ``critical`` keys, the
    ``baseline`` (key -> (start, finish)) and participant names (``str(id)`` -> name) for the titles."""
    own = own_starts(roadmap) if starts is None or any(it.key not in starts for it in roadmap.items) else {}
    names = name_of or {str(p.id): p.name for p in roadmap.participants if p.name}
    critical_keys = set(critical)
    rows = []
    for item in roadmap.items:
        begin = (starts or {}).get(item.key) or own[item.key]
        base = (baseline or {}).get(item.key)
        rows.append(
            GanttRow(
                key=item.key,
                label=item.title or item.key,
                lane=item.track or NO_LANE,
                start=begin,
                finish=finish_of(item, begin),
                is_milestone=item.kind is ItemKind.MILESTONE,
                critical=item.key in critical_keys,
                percent_complete=item.percent_complete,
                baseline_start=base[0] if base else None,
                baseline_finish=base[1] if base else None,
                phase=item.phase.value if item.phase else None,
                participants=tuple(str(p) for p in item.participants),
                owner=names.get(str(item.owner), str(item.owner)) if item.owner is not None else "",
                deliverable=item.kind is ItemKind.DELIVERABLE,
            )
        )
    return rows


def links_from_roadmap(roadmap: Roadmap) -> list[GanttLink]:
    """The roadmap's dependencies as chart links."""
    return [
        GanttLink(d.predecessor, d.successor, "SS" if d.kind is DependencyKind.START_TO_START else "FS")
        for d in roadmap.dependencies
    ]


def span(rows: Sequence[GanttRow], *, pad_days: int = 14) -> tuple[date, date]:
    """A chart span holding every row (and baseline), padded, from the first of a month."""
    if not rows:
        today = date(2000, 1, 1)
        return today, today + timedelta(days=365)
    first = min(min(r.start, r.baseline_start or r.start) for r in rows)
    last = max(max(r.finish, r.baseline_finish or r.finish) for r in rows)
    begin = date(first.year, first.month, 1)
    return begin, last + timedelta(days=pad_days)
