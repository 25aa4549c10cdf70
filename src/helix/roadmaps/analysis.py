"""What a roadmap's page shows, computed by the core from the roadmap's rows: its forecast plan (critical
path, slack), where each item stands against the adopted baseline (done, on track, at risk, late, with
the reasons), what validation still finds, and what a slip would move. One read of the rows, then plain
core calls; the page, the API and the exports ask here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from helix.core.roadmaps import model as core
from helix.core.roadmaps.progress import ProgressReport, Status, progress
from helix.core.roadmaps.schedule import Plan, RoadmapError, plan
from helix.core.roadmaps.validation import validate
from helix.core.roadmaps.whatif import SlipImpact
from helix.core.roadmaps.whatif import slip as slip_item
from helix.roadmaps import convert, explain
from helix.roadmaps.models import Item, Roadmap
from helix.roadmaps.permissions import may_accept, may_report_progress
from helix.roadmaps.services import baseline as baseline_of

STATUS_LABELS = {
    Status.DONE: lambda: pgettext("roadmap item status", "Done"),
    Status.ON_TRACK: lambda: pgettext("roadmap item status", "On track"),
    Status.LATE: lambda: pgettext("roadmap item status", "Late"),
    Status.AT_RISK: lambda: pgettext("roadmap item status", "At risk"),
    Status.NOT_STARTED: lambda: pgettext("roadmap item status", "Not started"),
}


def status_label(status: Status) -> str:
    return str(STATUS_LABELS[status]())


@dataclass
class Row:
    """One item as the page shows it."""

    item: Item
    owner: str
    contributors: list[str]
    start: dt.date | None = None
    finish: dt.date | None = None
    planned_finish: dt.date | None = None
    slack: int | None = None
    critical: bool = False
    status: str = ""
    status_label: str = ""
    reasons: list[str] = field(default_factory=list)
    variance: int = 0
    may_accept: bool = False
    may_report: bool = False


@dataclass
class Seen:
    roadmap: Roadmap
    content: core.Roadmap
    today: dt.date
    plan: Plan | None
    report: ProgressReport | None
    baseline: core.Roadmap | None
    problems: list[dict[str, Any]]
    rows: list[Row]
    lanes: list[tuple[str, list[Row]]]
    names: dict[Any, str]
    titles: dict[str, str]

    @property
    def end(self) -> dt.date | None:
        return self.report.forecast_end if self.report else (self.plan.end_date if self.plan else None)

    @property
    def planned_end(self) -> dt.date | None:
        return self.report.planned_end if self.report else None

    @property
    def at_risk(self) -> list[Row]:
        return [r for r in self.rows if r.status in (Status.LATE, Status.AT_RISK)]

    @property
    def critical(self) -> list[Row]:
        return [r for r in self.rows if r.critical]

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p["severity"] == "error")

    @property
    def item_choices(self) -> list[tuple[str, str]]:
        return [(r.item.key, r.item.title) for r in self.rows]


def analyse(roadmap: Roadmap, user: Any, today: dt.date | None = None) -> Seen:
    """Everything the page shows of ``roadmap`` for ``user`` on ``today``."""
    today = today or timezone.localdate()
    items = convert.items_of(roadmap)
    content = convert.to_core(roadmap, items)
    names: dict[Any, str] = {p.id: p.name for p in content.participants}
    titles = {it.key: it.title for it in content.items}
    for it in items:
        for project in it.projects.all():
            names[("project", str(project.pk))] = project.title
    base = baseline_of(roadmap)
    try:
        forecast: Plan | None = plan(content, today=today)
        report: ProgressReport | None = progress(content, today, base)
    except RoadmapError:
        forecast, report = None, None
    problems = [
        {
            "text": explain.problem_text(p, titles, names),
            "item": p.item,
            "severity": p.severity,
            "code": p.code,
        }
        for p in validate(content, today=today)
    ]
    rows: list[Row] = []
    for it, row_item in zip(content.items, items, strict=True):
        row = Row(
            item=row_item,
            owner=names.get(it.owner, "") if it.owner is not None else "",
            contributors=[names.get(c, str(c)) for c in it.contributors],
            may_accept=row_item.accepted_on is None and may_accept(user, row_item),
            may_report=may_report_progress(user, row_item),
        )
        if forecast is not None and report is not None:
            times = forecast[it.key]
            state = report[it.key]
            row.start, row.finish = forecast.day(times.early_start), forecast.day(times.early_finish)
            row.slack, row.critical = times.total_slack, times.critical
            row.planned_finish = state.planned_finish
            row.variance = state.finish_variance
            row.status, row.status_label = state.status.value, status_label(state.status)
            row.reasons = [explain.problem_text(r, titles, names) for r in state.reasons]
        rows.append(row)
    lanes: dict[str, list[Row]] = {t.title or t.key: [] for t in content.tracks}
    track_titles = {t.key: t.title or t.key for t in content.tracks}
    other = _("Other items")
    for row, it in zip(rows, content.items, strict=True):
        lanes.setdefault(track_titles.get(it.track or "", other), []).append(row)
    return Seen(
        roadmap=roadmap,
        content=content,
        today=today,
        plan=forecast,
        report=report,
        baseline=base,
        problems=problems,
        rows=rows,
        lanes=[(title, found) for title, found in lanes.items() if found],
        names=names,
        titles=titles,
    )


@dataclass
class Impact:
    """A slip as the what-if page shows it."""

    item: str
    days: int
    result: SlipImpact
    moves: list[dict[str, Any]]
    participants: list[dict[str, Any]]


def slip(roadmap: Roadmap, seen: Seen, key: str, days: int) -> Impact | None:
    """What moves if ``key`` finishes ``days`` later (``days`` >= 0: the core never slips backwards);
    None when it is not an item or the roadmap has no schedule (a cycle)."""
    if key not in seen.titles or seen.plan is None:
        return None
    try:
        result = slip_item(seen.content, key, days, today=seen.today)
    except RoadmapError:
        return None
    moves = [
        {
            "key": m.key,
            "title": seen.titles.get(m.key, m.key),
            "old_start": m.old_start,
            "old_finish": m.old_finish,
            "new_start": m.new_start,
            "new_finish": m.new_finish,
            "shift": (m.new_finish - m.old_finish).days,
        }
        for m in result.moves
    ]
    participants = [
        {
            "name": seen.names.get(p.participant, str(p.participant)),
            "items": [seen.titles.get(m.key, m.key) for m in p.moves],
            "owned": [seen.titles.get(k, k) for k in p.owned],
        }
        for p in result.participants
    ]
    return Impact(item=seen.titles[key], days=days, result=result, moves=moves, participants=participants)
