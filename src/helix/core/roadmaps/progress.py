"""Planned against actual: where each item stands today, which milestones are at risk and why.

:func:`progress` reads a roadmap's progress (actual dates, percent complete) on a given day and returns a
:class:`ProgressReport`: per item its planned dates (from the baseline: the plan of a baseline version of
the roadmap when one is given, else the roadmap's own plan without its progress), its forecast dates
(:func:`helix.core.roadmaps.schedule.plan` with the progress as of ``today``), its actual dates, percent
complete and the percent expected by today (linear over the planned duration), and a :class:`Status`:

- ``done``: it has an actual finish (or is 100 % complete);
- ``late``: today is past its planned finish and it is not done;
- ``at_risk``: not late yet, but for one or more reasons (each a coded
  :class:`~helix.core.roadmaps.model.Problem`, ``progress.*``):
  ``started_late`` (it started more than :data:`START_GRACE_DAYS` after its planned start),
  ``start_overdue`` (it has not started, and its planned start is more than that grace ago),
  ``behind`` (its percent complete is more than :data:`BEHIND_POINTS` below what is expected by today),
  ``critical_slipping`` (it is on the forecast's critical path and its forecast finish is later than its
  planned finish: the roadmap's end moves with it), ``predecessor_late`` (a predecessor is late or
  forecast to finish late, and that has pushed this item to or past its planned late finish: its slack is
  used up);
- ``on_track``: started, none of the above; ``not_started``: not started and not due to.

A late item carries the reason ``progress.late`` too. :attr:`ProgressReport.milestones_at_risk` lists
the milestones that are late or at risk, with their reasons. :func:`compare` tells which items a new
version of the roadmap moved against a baseline version, and by how many days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .model import Item, ItemKind, Problem, Roadmap
from .schedule import Plan, plan
from .whatif import Move

# A start up to a week after the planned one is not yet a risk: roadmaps plan in weeks and months, and a
# start recorded a few days off is as often bookkeeping (the kick-off was on a Monday) as a delay.
START_GRACE_DAYS = 7

# Percentage points behind the linear expectation before an item is at risk: percent complete is a
# judgement, usually given in steps of 10, and work is rarely linear (slow start, fast middle), so one
# step behind is noise and more than one is a signal.
BEHIND_POINTS = 10.0


class Status(StrEnum):
    DONE = "done"
    ON_TRACK = "on_track"
    LATE = "late"
    AT_RISK = "at_risk"
    NOT_STARTED = "not_started"


@dataclass(frozen=True)
class ItemProgress:
    key: str
    kind: ItemKind
    planned_start: date
    planned_finish: date
    planned_late_finish: date  # the latest finish in the baseline that keeps its end
    forecast_start: date
    forecast_finish: date
    actual_start: date | None
    actual_finish: date | None
    percent_complete: float
    expected_percent: float  # by today, linear over the planned duration
    status: Status
    reasons: tuple[Problem, ...]
    critical: bool  # on the forecast's critical path

    @property
    def finish_variance(self) -> int:
        """Days the forecast finish is later than the planned finish (negative = earlier)."""
        return (self.forecast_finish - self.planned_finish).days

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)


@dataclass(frozen=True)
class ProgressReport:
    today: date
    items: tuple[ItemProgress, ...]  # in roadmap order
    planned_end: date
    forecast_end: date

    @property
    def end_shift(self) -> int:
        return (self.forecast_end - self.planned_end).days

    @property
    def milestones_at_risk(self) -> tuple[ItemProgress, ...]:
        """The milestones that are late or at risk, in roadmap order, each with its reasons."""
        return tuple(
            p
            for p in self.items
            if p.kind is ItemKind.MILESTONE and p.status in (Status.LATE, Status.AT_RISK)
        )

    def by_status(self) -> dict[Status, tuple[str, ...]]:
        """The item keys under each status (every status present, in :class:`Status` order)."""
        return {s: tuple(p.key for p in self.items if p.status is s) for s in Status}

    def __getitem__(self, key: str) -> ItemProgress:
        for p in self.items:
            if p.key == key:
                return p
        raise KeyError(key)


def expected_percent(planned_start: date, planned_finish: date, today: date) -> float:
    """How far an item should be by ``today`` if its work went linearly over its planned duration."""
    length = (planned_finish - planned_start).days
    if length <= 0:
        return 100.0 if today >= planned_start else 0.0
    return min(100.0, max(0.0, (today - planned_start).days * 100.0 / length))


def progress(roadmap: Roadmap, today: date, baseline: Roadmap | None = None) -> ProgressReport:
    """Where every item of ``roadmap`` stands on ``today``, against ``baseline`` (or its own plan).

    Items that are not in ``baseline`` are planned as the roadmap itself plans them. Raises
    :class:`~helix.core.roadmaps.schedule.RoadmapError` for a roadmap that cannot be planned."""
    own = plan(roadmap, progress=False)
    base = plan(baseline, progress=False) if baseline is not None else own
    forecast = plan(roadmap, today=today)
    items: dict[str, Item] = {}
    for it in roadmap.items:
        items.setdefault(it.key, it)

    def planned(key: str) -> tuple[date, date, date]:
        source = base if key in base.times else own
        t = source[key]
        return source.day(t.early_start), source.day(t.early_finish), source.day(t.late_finish)

    preds: dict[str, list[str]] = {}
    for dep in roadmap.dependencies:
        preds.setdefault(dep.successor, []).append(dep.predecessor)
    slipping = {
        key
        for key, it in items.items()
        if not _done(it)
        and (today > planned(key)[1] or forecast.day(forecast[key].early_finish) > planned(key)[1])
    }
    rows = tuple(
        _item_progress(
            it, today, planned(it.key), forecast, [p for p in preds.get(it.key, []) if p in slipping]
        )
        for it in items.values()
    )
    return ProgressReport(
        today, rows, base.end_date if baseline is not None else own.end_date, forecast.end_date
    )


def _done(it: Item) -> bool:
    return it.actual_finish is not None or it.percent_complete >= 100


def _item_progress(
    it: Item, today: date, planned: tuple[date, date, date], forecast: Plan, late_preds: list[str]
) -> ItemProgress:
    start, finish, late_finish = planned
    f = forecast[it.key]
    f_start, f_finish = forecast.day(f.early_start), forecast.day(f.early_finish)
    expected = expected_percent(start, finish, today)
    k = it.key
    reasons: list[Problem] = []
    if _done(it):
        status = Status.DONE
    else:
        if today > finish:
            reasons.append(
                Problem(
                    "progress.late",
                    {"planned_finish": finish.isoformat(), "days": (today - finish).days},
                    f"{k} was due on {finish} and is not done.",
                    k,
                    "error",
                )
            )
        if it.actual_start is not None and (it.actual_start - start).days > START_GRACE_DAYS:
            reasons.append(
                Problem(
                    "progress.started_late",
                    {"planned_start": start.isoformat(), "actual_start": it.actual_start.isoformat()},
                    f"{k} started on {it.actual_start}, {(it.actual_start - start).days} days after its "
                    f"planned start ({start}).",
                    k,
                    "warning",
                )
            )
        if it.actual_start is None and (today - start).days > START_GRACE_DAYS:
            reasons.append(
                Problem(
                    "progress.start_overdue",
                    {"planned_start": start.isoformat(), "days": (today - start).days},
                    f"{k} should have started on {start} and has not.",
                    k,
                    "warning",
                )
            )
        if it.actual_start is not None and expected - it.percent_complete > BEHIND_POINTS:
            reasons.append(
                Problem(
                    "progress.behind",
                    {"percent_complete": it.percent_complete, "expected_percent": round(expected, 1)},
                    f"{k} is {it.percent_complete:g} % complete; {expected:.0f} % was expected by {today}.",
                    k,
                    "warning",
                )
            )
        if f.critical and f_finish > finish:
            reasons.append(
                Problem(
                    "progress.critical_slipping",
                    {"planned_finish": finish.isoformat(), "forecast_finish": f_finish.isoformat()},
                    f"{k} is on the critical path and is forecast to finish on {f_finish}, after {finish}.",
                    k,
                    "warning",
                )
            )
        if late_preds and f_finish > finish and f_finish >= late_finish:
            reasons.append(
                Problem(
                    "progress.predecessor_late",
                    {
                        "predecessors": sorted(set(late_preds)),
                        "forecast_finish": f_finish.isoformat(),
                        "late_finish": late_finish.isoformat(),
                    },
                    f"{', '.join(sorted(set(late_preds)))} running late used up the slack of {k}: it is "
                    f"forecast to finish on {f_finish}, its latest planned finish was {late_finish}.",
                    k,
                    "warning",
                )
            )
        if today > finish:
            status = Status.LATE
        elif reasons:
            status = Status.AT_RISK
        elif it.actual_start is not None:
            status = Status.ON_TRACK
        else:
            status = Status.NOT_STARTED
    return ItemProgress(
        k,
        it.kind,
        start,
        finish,
        late_finish,
        f_start,
        f_finish,
        it.actual_start,
        it.actual_finish,
        it.percent_complete,
        expected,
        status,
        tuple(reasons),
        f.critical,
    )


@dataclass(frozen=True)
class Comparison:
    """What a new version of a roadmap moved against a baseline version."""

    moved: tuple[Move, ...]  # items in both whose start or finish moved, in the new version's order
    added: tuple[str, ...]
    removed: tuple[str, ...]
    old_end: date
    new_end: date

    @property
    def end_shift(self) -> int:
        return (self.new_end - self.old_end).days


def compare(baseline: Roadmap, current: Roadmap, *, today: date | None = None) -> Comparison:
    """Which items ``current`` moved against ``baseline`` (both as planned; with ``today``, ``current`` as
    forecast from its progress), by their early dates, and how the end moved."""
    old = plan(baseline, progress=False)
    new = plan(current, today=today) if today is not None else plan(current, progress=False)
    moved = []
    for key, t in new.times.items():
        was = old.times.get(key)
        if was is None:
            continue
        move = Move(
            key,
            old.day(was.early_start),
            old.day(was.early_finish),
            new.day(t.early_start),
            new.day(t.early_finish),
        )
        if move.start_shift or move.finish_shift:
            moved.append(move)
    return Comparison(
        tuple(moved),
        tuple(k for k in new.times if k not in old.times),
        tuple(k for k in old.times if k not in new.times),
        old.end_date,
        new.end_date,
    )
