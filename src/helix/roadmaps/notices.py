"""What a roadmap tells its participants (helix.notifications), inside the transaction of the change:

- a consultation opens: each participating organisation's people, with how many milestones it owns;
- a version is adopted: the same people;
- a change moves items (an edit, a new dependency, a reported delay): the people of the organisations
  whose items now start or finish on another day, with those items;
- a milestone is due in :data:`DUE_NOTICE` days: its owner's people, once per due date
  (:func:`remind_due_milestones`, in the worker's housekeeping round).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.urls import reverse
from django.utils import timezone

from helix.core.roadmaps import model as core
from helix.core.roadmaps.schedule import RoadmapError, plan
from helix.notifications.messages import day
from helix.notifications.services import Sweep, notify_organisation, once
from helix.roadmaps import convert
from helix.roadmaps.models import Roadmap, RoadmapStatus

DUE_NOTICE = dt.timedelta(days=14)  # two weeks: time to deliver or to say it will slip
SWEEP_EVERY = 3600.0  # seconds between two looks for due milestones
_sweep = Sweep(SWEEP_EVERY)
LISTED = 8  # items named in one "moved" notice; the page shows the rest


def _url(roadmap: Roadmap) -> str:
    return reverse("roadmaps:detail", kwargs={"key": roadmap.key})


def _owned_counts(roadmap: Roadmap) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for org in roadmap.items.exclude(owner=None).values_list("owner__organisation_id", flat=True):
        counts[org] += 1
    return counts


def consultation_opened(roadmap: Roadmap, *, skip: Any = None) -> int:
    counts = _owned_counts(roadmap)
    told = 0
    for participant in roadmap.participants.select_related("organisation"):
        told += notify_organisation(
            participant.organisation_id,
            "roadmaps.consultation",
            {
                "roadmap": roadmap.title,
                "cluster": str(roadmap.cluster),
                "organisation": participant.organisation.name,
                "count": counts.get(participant.organisation_id, 0),
            },
            _url(roadmap),
            about=roadmap,
            skip=skip,
        )
    return told


def adopted(roadmap: Roadmap, version: int, *, skip: Any = None) -> int:
    told = 0
    for participant in roadmap.participants.select_related("organisation"):
        told += notify_organisation(
            participant.organisation_id,
            "roadmaps.adopted",
            {
                "roadmap": roadmap.title,
                "cluster": str(roadmap.cluster),
                "organisation": participant.organisation.name,
                "version": version,
            },
            _url(roadmap),
            about=roadmap,
            skip=skip,
        )
    return told


def moved_items(before: core.Roadmap, after: core.Roadmap) -> dict[str, tuple[int, int]]:
    """Items present in both whose planned start or finish differ: key -> (start shift, finish shift) in
    days. Empty when either roadmap cannot be planned (a cycle: the edit is refused anyway)."""
    try:
        old, new = plan(before), plan(after)
    except RoadmapError:
        return {}
    shifts = {}
    for key, times in new.times.items():
        was = old.times.get(key)
        if was is None:
            continue
        moved = (times.early_start - was.early_start, times.early_finish - was.early_finish)
        if moved != (0, 0):
            shifts[key] = moved
    return shifts


def dates_moved(roadmap: Roadmap, before: core.Roadmap, after: core.Roadmap, *, skip: Any = None) -> int:
    """Tell the owners (and contributors) of the items a change moved; nothing while the roadmap is a
    draft nobody has been consulted on."""
    if roadmap.status == RoadmapStatus.DRAFT:
        return 0
    shifts = moved_items(before, after)
    if not shifts:
        return 0
    by_org: dict[Any, list[str]] = defaultdict(list)
    for it in after.items:
        if it.key in shifts:
            for org in it.participants:
                by_org[org].append(it.title or it.key)
    names = dict(roadmap.participants.values_list("organisation_id", "organisation__name"))
    told = 0
    for org, titles in by_org.items():
        told += notify_organisation(
            int(org),
            "roadmaps.moved",
            {
                "roadmap": roadmap.title,
                "organisation": names.get(org, ""),
                "count": len(titles),
                "items": ", ".join(titles[:LISTED]) + (" …" if len(titles) > LISTED else ""),
            },
            _url(roadmap),
            about=roadmap,
            skip=skip,
        )
    return told


def remind_due_milestones(now: dt.datetime | None = None, *, force: bool = False) -> int:
    """Remind the owners of the unfinished milestones and deliverables of adopted roadmaps (or roadmaps in
    consultation or revision) due within :data:`DUE_NOTICE`, once per item and due date."""
    if not _sweep.due(force=force):
        return 0
    today = timezone.localdate(now) if now else timezone.localdate()
    told = 0
    roadmaps = Roadmap.objects.exclude(status=RoadmapStatus.DRAFT).select_related("cluster")
    for roadmap in roadmaps:
        content = convert.to_core(roadmap)
        try:
            planned = plan(content)
        except RoadmapError:
            continue
        due = {}
        for it in content.items:
            if it.actual_finish is not None or it.owner is None or it.kind == core.ItemKind.ACTIVITY:
                continue
            finish = roadmap.starts_on + dt.timedelta(days=planned.times[it.key].early_finish)
            if today <= finish <= today + DUE_NOTICE:
                due[it.key] = (it, finish)
        if not due:
            continue
        names = dict(roadmap.participants.values_list("organisation_id", "organisation__name"))
        for key, (it, finish) in due.items():
            if not once(f"roadmaps.due:{roadmap.pk}:{key}:{finish.isoformat()}"):
                continue
            told += notify_organisation(
                int(it.owner),  # type: ignore[arg-type]
                "roadmaps.due",
                {
                    "item": it.title,
                    "roadmap": roadmap.title,
                    "organisation": names.get(it.owner, ""),
                    "date": day(finish),
                },
                _url(roadmap) + f"#item-{key}",
                about=roadmap,
            )
    return told
