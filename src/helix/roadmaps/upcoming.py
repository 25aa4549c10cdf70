"""A participant's part of the roadmaps, for its people's home page: the milestones, deliverables and
activities its organisation owns in the roadmaps they may see (out of draft), that are not done and are
due within :data:`HORIZON` or late, with their forecast date, and the milestones it has still to accept
while a roadmap is in consultation. Each roadmap it owns items in is planned once (the core's critical
path, with progress), all read in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from helix.core.roadmaps.schedule import RoadmapError, plan
from helix.registry.permissions import scope
from helix.roadmaps import convert
from helix.roadmaps.models import Item, Roadmap, RoadmapStatus

HORIZON = dt.timedelta(days=90)  # a quarter ahead: what a partner plans its people for
ROADMAPS_READ = 10  # at most this many roadmaps are planned for one home page


@dataclass(frozen=True)
class Upcoming:
    item: Item
    roadmap: Roadmap
    due: dt.date | None
    late: bool
    to_accept: bool


def upcoming_for(user: Any, organisation_id: int, today: dt.date, limit: int = 5) -> list[Upcoming]:
    """The organisation's roadmap items that need its attention, soonest first."""
    roadmaps = list(
        scope(user, "view", Roadmap.objects.exclude(status=RoadmapStatus.DRAFT))
        .filter(items__owner__organisation_id=organisation_id, items__actual_finish=None)
        .distinct()
        .order_by("pk")[:ROADMAPS_READ]
    )
    found: list[Upcoming] = []
    read = convert.many_to_core(roadmaps)
    for roadmap in roadmaps:
        content, items = read[roadmap.pk]
        try:
            planned = plan(content, today=today)
        except RoadmapError:
            continue
        for row in items:
            if row.owner is None or row.owner.organisation_id != organisation_id or row.actual_finish:
                continue
            due = planned.day(planned[row.key].early_finish)
            to_accept = roadmap.status == RoadmapStatus.CONSULTATION and row.accepted_on is None
            if to_accept or due <= today + HORIZON:
                found.append(Upcoming(row, roadmap, due, due < today, to_accept))
    found.sort(key=lambda u: (not u.to_accept, u.due or dt.date.max, u.item.pk))
    return found[:limit]
