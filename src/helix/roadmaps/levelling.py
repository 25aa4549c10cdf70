"""The resource-levelled plan of a roadmap, computed in the background: a job per run, its progress the
solver's best end date and proven bound over time, its result kept on the job (the levelled start of each
item, the end, the bound, the serial latest-finish-time heuristic's end beside it). Nothing of the roadmap
is changed: the staff read the levelled plan and move the items they agree with."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.jobs.models import Job, JobStatus
from helix.registry.permissions import can
from helix.roadmaps import convert
from helix.roadmaps.models import Roadmap
from helix.roadmaps.services import RoadmapRefused

JOB_KIND = "roadmaps-level"  # the job of roadmap 12 is "roadmaps-level:12"
TIME_LIMIT = 30.0  # seconds: a roadmap has tens to hundreds of items; CP-SAT proves most in seconds
PERIOD_DAYS = 7  # a week: fine enough that rounding each item up to whole periods moves the end little


def job_kind(roadmap: Roadmap) -> str:
    return f"{JOB_KIND}:{roadmap.pk}"


def last_run(roadmap: Roadmap) -> Job | None:
    return Job.objects.filter(kind=job_kind(roadmap)).order_by("-created_at", "-pk").first()


def start(user: Any, roadmap: Roadmap) -> Job:
    """Queue the levelling of ``roadmap`` (its staff); one run at a time."""
    from helix.jobs.services import create_job
    from helix.roadmaps.tasks import level_roadmap

    if not can(user, "level", roadmap):
        raise PermissionDenied
    with transaction.atomic():
        Roadmap.objects.select_for_update().get(pk=roadmap.pk)
        if not roadmap.participants.exclude(capacity_pm_per_month=None).exists():
            raise RoadmapRefused("level.no_capacity", {})
        if Job.objects.filter(
            kind=job_kind(roadmap), status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        ).exists():
            raise RoadmapRefused("level.running", {})
        job = create_job(
            job_kind(roadmap), _("Level the roadmap: %(roadmap)s") % {"roadmap": roadmap.title}, user
        )
        transaction.on_commit(lambda: level_roadmap.enqueue(job.pk, roadmap.pk))
    return job


def run_levelling(
    roadmap_id: int, progress: Any, *, time_limit: float = TIME_LIMIT, today: dt.date | None = None
) -> dict[str, Any]:
    """Level the roadmap now; the job's result (JSON)."""
    # imported here: OR-Tools is loaded by the worker that levels, not by every process at start
    from helix.core.roadmaps.levelling import LevellingProgress, level
    from helix.core.roadmaps.roadmap_levelling import levelling_problem, over_capacity

    roadmap = Roadmap.objects.get(pk=roadmap_id)
    content = convert.to_core(roadmap)
    built = levelling_problem(content, period_days=PERIOD_DAYS, today=today or timezone.localdate())
    total = int(time_limit)

    def report(state: LevellingProgress) -> None:
        end = built.end(state.makespan)
        progress(
            min(total, int(state.seconds)),
            total,
            _("best end %(end)s, proven no earlier than %(bound)s")
            % {"end": end.isoformat() if end else "—", "bound": built.day(state.bound).isoformat()},
        )

    result = level(built.problem, time_limit, progress=report)
    earliest = _earliest(built)
    unlevelled = dict(zip(built.keys, earliest, strict=True))
    unlevelled_end = max(
        (s + a.duration for s, a in zip(earliest, built.problem.activities, strict=True)), default=0
    )
    return {
        "status": result.status,
        "reason": result.reason,
        "seconds": round(result.seconds, 2),
        "period_days": built.period_days,
        "end": _iso(built.end(result.makespan)),
        "bound": _iso(built.day(result.bound)),
        "heuristic_end": _iso(built.end(result.lft_makespan)),
        "unlevelled_end": _iso(built.end(unlevelled_end)),
        "starts": {k: v.isoformat() for k, v in built.starts(result).items()},
        "finishes": {k: v.isoformat() for k, v in built.finishes(result).items()},
        "stretched": list(built.stretched),
        "overloaded_periods": len(over_capacity(built, unlevelled)),
    }


def _earliest(built: Any) -> list[int]:
    """The activities' earliest starts ignoring capacities (what the roadmap asks)."""
    from helix.core.roadmaps.levelling_problem import network

    return list(network(built.problem).earliest)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


DATES = ("end", "bound", "heuristic_end", "unlevelled_end")


def shown(job: Job, seen: Any) -> dict[str, Any] | None:
    """The last run's result for the page: each item's forecast and levelled dates."""
    result = job.result or {}
    if job.status != JobStatus.SUCCEEDED or not result.get("starts"):
        return (
            {"status": result.get("status", job.status), "reason": result.get("reason", ""), "rows": []}
            if result
            else None
        )
    starts, finishes = result["starts"], result["finishes"]
    rows = [
        {
            "title": r.item.title,
            "forecast_start": r.start,
            "forecast_finish": r.finish,
            "levelled_start": dt.date.fromisoformat(starts[r.item.key]) if r.item.key in starts else None,
            "levelled_finish": dt.date.fromisoformat(finishes[r.item.key])
            if r.item.key in finishes
            else None,
            "stretched": r.item.key in result.get("stretched", ()),
        }
        for r in seen.rows
        if r.item.key in starts
    ]
    return {
        **result,
        "rows": rows,
        **{k: dt.date.fromisoformat(result[k]) for k in DATES if result.get(k)},
    }


def result_link(job: Any) -> Any:
    from helix.jobs.links import ResultLink

    roadmap = (
        Roadmap.objects.filter(pk=int(job.kind.split(":", 1)[1])).only("key").first()
        if ":" in job.kind
        else None
    )
    if roadmap is None:
        return None
    return ResultLink(reverse("roadmaps:level", kwargs={"key": roadmap.key}), _("See the levelled plan"))
