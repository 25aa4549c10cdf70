"""The roadmap's rows as the core's plain :class:`helix.core.roadmaps.model.Roadmap`, and back from a
snapshot (an adopted version's JSON).

Participants are the registry's organisation ids; items and tracks their keys. Reading a roadmap costs a
fixed number of queries, whatever its size (the prefetches below).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from helix.core.roadmaps import model as core
from helix.roadmaps.models import Dependency, Item, Participant, Roadmap, Track

# the registry's strands of the triple helix, as the core names them
HELIX = {"industry": "company", "research": "knowledge", "public": "government", "intermediary": "other"}


def items_of(roadmap: Roadmap) -> list[Item]:
    """The roadmap's items with everything :func:`to_core` reads, in the roadmap's order."""
    return list(
        roadmap.items.select_related("track", "owner")
        .prefetch_related("contributors", "efforts__participant", "projects", "calls", "kpis")
        .order_by("order", "pk")
    )


def to_core(roadmap: Roadmap, items: list[Item] | None = None) -> core.Roadmap:
    """The roadmap as the core sees it."""
    participants = list(roadmap.participants.select_related("organisation").order_by("organisation__name"))
    rows = items if items is not None else items_of(roadmap)
    dependencies = list(
        Dependency.objects.filter(successor__roadmap=roadmap)
        .select_related("predecessor", "successor")
        .order_by("pk")
    )
    return _core(roadmap, participants, list(roadmap.tracks.order_by("order", "pk")), rows, dependencies)


def many_to_core(roadmaps: list[Roadmap]) -> dict[int, tuple[core.Roadmap, list[Item]]]:
    """Several roadmaps as the core sees them, read in a fixed number of queries (a home page lists the
    items of every roadmap a participant is in): roadmap id -> (core roadmap, its items)."""
    ids = [r.pk for r in roadmaps]
    items: dict[int, list[Item]] = {pk: [] for pk in ids}
    for it in (
        Item.objects.filter(roadmap_id__in=ids)
        .select_related("track", "owner")
        .prefetch_related("contributors", "efforts__participant", "projects", "calls", "kpis")
        .order_by("roadmap_id", "order", "pk")
    ):
        items[it.roadmap_id].append(it)
    participants: dict[int, list[Participant]] = {pk: [] for pk in ids}
    for p in Participant.objects.filter(roadmap_id__in=ids).select_related("organisation").order_by(
        "organisation__name"
    ):
        participants[p.roadmap_id].append(p)
    tracks: dict[int, list[Track]] = {pk: [] for pk in ids}
    for t in Track.objects.filter(roadmap_id__in=ids).order_by("order", "pk"):
        tracks[t.roadmap_id].append(t)
    links: dict[int, list[Dependency]] = {pk: [] for pk in ids}
    for d in (
        Dependency.objects.filter(successor__roadmap_id__in=ids)
        .select_related("predecessor", "successor")
        .order_by("pk")
    ):
        links[d.successor.roadmap_id].append(d)
    return {
        r.pk: (_core(r, participants[r.pk], tracks[r.pk], items[r.pk], links[r.pk]), items[r.pk])
        for r in roadmaps
    }


def _core(
    roadmap: Roadmap,
    participants: list[Participant],
    tracks: list[Track],
    rows: list[Item],
    dependencies: list[Dependency],
) -> core.Roadmap:
    return core.Roadmap(
        start=roadmap.starts_on,
        title=roadmap.title,
        participants=tuple(
            core.Participant(
                id=p.organisation_id,
                name=p.organisation.name,
                role=p.role,
                committed=p.committed,
                helix=HELIX.get(str(p.organisation.helix or ""), "other"),
                capacity_pm_per_month=(
                    float(p.capacity_pm_per_month) if p.capacity_pm_per_month is not None else None
                ),
            )
            for p in participants
        ),
        tracks=tuple(core.Track(t.key, t.title) for t in tracks),
        items=tuple(_item(it) for it in rows),
        dependencies=tuple(
            core.Dependency(d.predecessor.key, d.successor.key, core.DependencyKind(d.kind), d.lag_days)
            for d in dependencies
        ),
    )


def _item(it: Item) -> core.Item:
    return core.Item(
        key=it.key,
        title=it.title,
        kind=core.ItemKind(it.kind),
        track=it.track.key if it.track else None,
        phase=core.Phase(it.phase) if it.phase else None,
        trl_from=it.trl_from,
        trl_to=it.trl_to,
        owner=it.owner.organisation_id if it.owner else None,
        contributors=tuple(sorted(c.organisation_id for c in it.contributors.all())),
        duration_days=it.duration_days,
        planned_start=it.planned_start,
        efforts=tuple(
            core.Effort(e.participant.organisation_id, float(e.person_months)) for e in it.efforts.all()
        ),
        budget=float(it.budget),
        funding_secured=float(it.funding_secured),
        projects=tuple(
            core.ProjectLink(str(p.pk), p.title, p.starts_on, _project_end(p.starts_on, p.months))
            for p in it.projects.all()
        ),
        calls=tuple(c.key for c in it.calls.all()),
        kpis=tuple(k.key for k in it.kpis.all()),
        actual_start=it.actual_start,
        actual_finish=it.actual_finish,
        percent_complete=float(it.percent_complete),
    )


def _project_end(starts_on: dt.date | None, months: int | None) -> dt.date | None:
    """A project's last day from its start and duration in months (None when either is unknown)."""
    if starts_on is None or not months:
        return None
    year, month = divmod(starts_on.month - 1 + months, 12)
    first_after = dt.date(starts_on.year + year, month + 1, 1)
    # the same day of the month ``months`` later, less a day (a project of 12 months from 1 Jan ends 31 Dec)
    day = min(starts_on.day, _days_in(first_after))
    return first_after.replace(day=day) - dt.timedelta(days=1)


def _days_in(first: dt.date) -> int:
    nxt = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return (nxt - first).days


# -- snapshots -----------------------------------------------------------------------------------------------


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _parse(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def snapshot(roadmap: core.Roadmap) -> dict[str, Any]:
    """``roadmap`` as JSON-ready data (an adopted version's content)."""
    return {
        "start": roadmap.start.isoformat(),
        "title": roadmap.title,
        "participants": [
            {
                "id": p.id,
                "name": p.name,
                "role": p.role,
                "committed": p.committed,
                "helix": p.helix,
                "capacity": p.capacity_pm_per_month,
            }
            for p in roadmap.participants
        ],
        "tracks": [{"key": t.key, "title": t.title} for t in roadmap.tracks],
        "items": [
            {
                "key": it.key,
                "title": it.title,
                "kind": it.kind.value,
                "track": it.track,
                "phase": it.phase.value if it.phase else None,
                "trl": [it.trl_from, it.trl_to],
                "owner": it.owner,
                "contributors": list(it.contributors),
                "duration_days": it.duration_days,
                "planned_start": _date(it.planned_start),
                "efforts": [[e.participant, e.person_months] for e in it.efforts],
                "budget": it.budget,
                "funding_secured": it.funding_secured,
                "projects": [[p.key, p.title, _date(p.start), _date(p.end)] for p in it.projects],
                "calls": list(it.calls),
                "kpis": list(it.kpis),
                "actual": [_date(it.actual_start), _date(it.actual_finish)],
                "percent_complete": it.percent_complete,
            }
            for it in roadmap.items
        ],
        "dependencies": [
            [d.predecessor, d.successor, d.kind.value, d.lag_days] for d in roadmap.dependencies
        ],
    }


def from_snapshot(data: dict[str, Any]) -> core.Roadmap:
    """The core roadmap an adopted version's content describes (the inverse of :func:`snapshot`)."""
    return core.Roadmap(
        start=dt.date.fromisoformat(data["start"]),
        title=data.get("title", ""),
        participants=tuple(
            core.Participant(
                id=p["id"],
                name=p["name"],
                role=p["role"],
                committed=p["committed"],
                helix=p.get("helix", ""),
                capacity_pm_per_month=p.get("capacity"),
            )
            for p in data["participants"]
        ),
        tracks=tuple(core.Track(t["key"], t["title"]) for t in data["tracks"]),
        items=tuple(
            core.Item(
                key=it["key"],
                title=it["title"],
                kind=core.ItemKind(it["kind"]),
                track=it["track"],
                phase=core.Phase(it["phase"]) if it["phase"] else None,
                trl_from=it["trl"][0],
                trl_to=it["trl"][1],
                owner=it["owner"],
                contributors=tuple(it["contributors"]),
                duration_days=it["duration_days"],
                planned_start=_parse(it["planned_start"]),
                efforts=tuple(core.Effort(p, pm) for p, pm in it["efforts"]),
                budget=it["budget"],
                funding_secured=it["funding_secured"],
                projects=tuple(core.ProjectLink(k, t, _parse(s), _parse(e)) for k, t, s, e in it["projects"]),
                calls=tuple(it["calls"]),
                kpis=tuple(it["kpis"]),
                actual_start=_parse(it["actual"][0]),
                actual_finish=_parse(it["actual"][1]),
                percent_complete=it["percent_complete"],
            )
            for it in data["items"]
        ),
        dependencies=tuple(
            core.Dependency(p, s, core.DependencyKind(k), lag) for p, s, k, lag in data["dependencies"]
        ),
    )
