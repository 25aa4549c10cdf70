"""A roadmap's drawings in the reader's language: the Gantt chart (lanes per track, or swimlanes per
participant), the TRL ladder with the valley of death, and the interplay graph (who depends on whom). The
core draws (helix.core.roadmaps.gantt, .charts); this module gives it the forecast dates, the baseline,
the names, and the words (helix.roadmaps.documents' labels, translated)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from django.utils.translation import gettext as _

from helix.core.roadmaps.charts import interplay, interplay_svg, trl_ladder_svg, trl_rows
from helix.core.roadmaps.gantt import (
    GanttLabels,
    GanttLink,
    GanttRow,
    gantt_svg,
    links_from_roadmap,
    rows_from_roadmap,
    span,
)
from helix.core.roadmaps.mspdi import write_mspdi
from helix.roadmaps import documents
from helix.roadmaps.analysis import Seen

Lanes = Literal["track", "participant"]


@dataclass(frozen=True)
class Chart:
    rows: list[GanttRow]
    links: list[GanttLink]
    start: dt.date
    finish: dt.date
    labels: GanttLabels
    group_by: Lanes


def chart(seen: Seen, group_by: str = "track") -> Chart:
    """The Gantt chart of the forecast: critical items marked, the adopted baseline as ghost bars."""
    lanes: Lanes = "participant" if group_by == "participant" else "track"
    starts = {r.item.key: r.start for r in seen.rows if r.start is not None}
    baseline: dict[str, tuple[dt.date, dt.date]] = {}
    if seen.report is not None and seen.baseline is not None:
        baseline = {p.key: (p.planned_start, p.planned_finish) for p in seen.report.items}
    rows = rows_from_roadmap(
        seen.content,
        starts or None,
        critical={r.item.key for r in seen.rows if r.critical},
        baseline=baseline,
        name_of={str(k): v for k, v in seen.names.items() if not isinstance(k, tuple)},
    )
    # the forecast's finish (a running item's remaining work), not start + planned duration
    finishes = {r.item.key: r.finish for r in seen.rows if r.finish is not None}
    rows = [
        replace(row, finish=max(finishes[row.key], row.start)) if row.key in finishes else row for row in rows
    ]
    if lanes == "participant":
        names = {str(p.id): p.name for p in seen.content.participants}
    else:
        names = {t.key: t.title or t.key for t in seen.content.tracks}
    labels = documents.gantt_labels(names, title=seen.roadmap.title)
    labels = replace(labels, no_lane=_("Other items"))
    start, finish = span(rows)
    return Chart(rows, links_from_roadmap(seen.content), start, finish, labels, lanes)


def gantt(seen: Seen, group_by: str = "track", width: int = 1200) -> str:
    drawn = chart(seen, group_by)
    return gantt_svg(
        drawn.rows,
        drawn.links,
        start=drawn.start,
        finish=drawn.finish,
        labels=drawn.labels,
        today=seen.today,
        group_by=drawn.group_by,
        width=width,
    )


def pdf(seen: Seen) -> bytes:
    """The printable roadmap: Gantt chart pages, then the table of milestones and deliverables."""
    drawn = chart(seen)
    return documents.roadmap_pdf(
        seen.roadmap.title,
        drawn.rows,
        drawn.links,
        start=drawn.start,
        finish=drawn.finish,
        today=seen.today,
        labels=drawn.labels,
        subtitle=f"{seen.roadmap.cluster} · {seen.roadmap.get_status_display()}",
    )


def trl_ladder(seen: Seen) -> str:
    return trl_ladder_svg(trl_rows(seen.content), labels=documents.trl_labels(title=seen.roadmap.title))


def interplay_graph(seen: Seen) -> str:
    nodes, edges = interplay(seen.content)
    return interplay_svg(nodes, edges, labels=documents.interplay_labels(title=seen.roadmap.title))


# The files a roadmap is downloaded as, and their content types: the pages and `helix roadmap export`
# write them through :func:`export_file`.
FORMATS = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ics": "text/calendar; charset=utf-8",
    "xml": "application/xml",
}


def export_file(seen: Seen, fmt: str, url_for_item: Callable[[str], str] | None = None) -> bytes:
    """The roadmap as a file: its items with the forecast dates (CSV, XLSX: the columns the import reads
    back), the printable Gantt chart with the table of milestones (PDF), the milestones' due dates
    (iCalendar, each linked by ``url_for_item``) or MS Project XML (MSPDI)."""
    starts = {r.item.key: r.start for r in seen.rows if r.start is not None} or None
    if fmt == "xml":
        return write_mspdi(seen.content, starts=starts)
    if fmt == "ics":
        return documents.milestones_ical(
            seen.content,
            starts,
            roadmap_key=seen.roadmap.key,
            calendar_name=seen.roadmap.title,
            url_for_item=url_for_item,
        )
    if fmt == "pdf":
        return pdf(seen)
    if fmt == "csv":
        return documents.roadmap_csv(seen.content, starts)
    if fmt == "xlsx":
        return documents.roadmap_workbook(seen.content, starts)
    raise ValueError(f"not a roadmap file format: {fmt}")
