"""Demo roadmaps: Flux50's over its five innovator zones, with the 2016 letters of intent as the
commitments, adopted in December 2017 and followed since (actual dates, two living labs longer than the
baseline said); and the Luxembourg Materials & Manufacturing cluster's, open for consultation, whose items
are implemented by the demo's flagship projects. Read from ``data/roadmaps.json``; loading twice changes
nothing. The content is sample data (the file's summaries say so)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from helix.calls.models import Call
from helix.core.roadmaps.table import parse_dependency
from helix.projects.models import Project
from helix.registry.models import Cluster, Domain, LetterOfIntent, Organisation
from helix.roadmaps import convert
from helix.roadmaps.models import (
    Dependency,
    Effort,
    Item,
    Kpi,
    Participant,
    Roadmap,
    RoadmapChange,
    RoadmapVersion,
    Track,
)

DATA = Path(__file__).parent / "data" / "roadmaps.json"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@transaction.atomic
def load_demo_roadmaps() -> dict[str, int]:
    """Create the demo roadmaps that are missing (found by key); counts of what was done."""
    seeds: list[dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))
    created = 0
    for seed in seeds:
        if Roadmap.objects.filter(key=seed["key"]).exists():
            continue
        try:
            _load(seed)
        except (KeyError, ValueError, Organisation.DoesNotExist) as error:
            raise ValueError(f"{DATA.name}, roadmap {seed.get('key')!r}: {error!r}") from None
        created += 1
    return {"created": created, "roadmaps": Roadmap.objects.count()}


def _load(seed: dict[str, Any]) -> None:
    cluster = Cluster.objects.get(slug=seed["cluster"])
    status = seed["history"][-1][1]
    roadmap = Roadmap.objects.create(
        cluster=cluster,
        key=seed["key"],
        title=seed["title"],
        summary=seed["summary"],
        visibility=seed["visibility"],
        status=status,
        starts_on=dt.date.fromisoformat(seed["starts_on"]),
    )
    for source, target, on in seed["history"]:
        RoadmapChange.objects.create(
            roadmap=roadmap, from_status=source, to_status=target, changed_on=dt.date.fromisoformat(on)
        )
    participants: dict[str, Participant] = {}
    for slug, role, capacity in seed["participants"]:
        organisation = Organisation.objects.get(slug=slug)
        letter = (
            LetterOfIntent.objects.filter(organisation=organisation, cluster=cluster)
            .order_by("-signed_on")
            .first()
        )
        participants[slug] = Participant.objects.create(
            roadmap=roadmap,
            organisation=organisation,
            role=role,
            committed=letter is not None or role == "lead",
            letter_of_intent=letter,
            capacity_pm_per_month=Decimal(str(capacity)) if capacity is not None else None,
        )
    tracks = {}
    for order, (key, title) in enumerate(seed["tracks"]):
        domain = Domain.objects.filter(cluster=cluster, slug=key).first()
        tracks[key] = Track.objects.create(roadmap=roadmap, key=key, title=title, domain=domain, order=order)
    baseline_days: dict[str, int] = seed.get("baseline_changes", {})
    items: dict[str, Item] = {}
    for order, spec in enumerate(seed["items"]):
        item = Item.objects.create(
            roadmap=roadmap,
            key=spec["key"],
            title=spec["title"],
            kind=spec["kind"],
            track=tracks[spec["track"]],
            phase=spec["phase"],
            trl_from=spec["trl"][0],
            trl_to=spec["trl"][1],
            owner=participants[spec["owner"]],
            planned_start=_date(spec.get("start")),
            duration_days=baseline_days.get(spec["key"], spec.get("days", 0)),
            budget=Decimal(str(spec.get("budget", 0))),
            funding_secured=Decimal(str(spec.get("funding", 0))),
            order=order,
        )
        item.contributors.set([participants[s] for s in spec.get("contributors", ())])
        Effort.objects.bulk_create(
            Effort(item=item, participant=participants[s], person_months=Decimal(str(pm)))
            for s, pm in spec.get("effort", {}).items()
        )
        item.projects.set(Project.objects.filter(cluster=cluster, title__in=spec.get("projects", ())))
        item.calls.set(Call.objects.filter(key__in=spec.get("calls", ())))
        items[spec["key"]] = item
    for spec in seed["items"]:
        for link in spec.get("depends", ()):
            parsed = parse_dependency(link, items)
            if parsed is None:
                raise ValueError(f"{spec['key']}: the dependency {link!r} names no item")
            key, kind, lag = parsed
            Dependency.objects.create(
                predecessor=items[key], successor=items[spec["key"]], kind=kind.value, lag_days=lag
            )
    for key, title, unit, baseline, target, target_on, current, moved_by in seed.get("kpis", ()):
        kpi = Kpi.objects.create(
            roadmap=roadmap,
            key=key,
            title=title,
            unit=unit,
            baseline=Decimal(str(baseline)),
            target=Decimal(str(target)),
            target_on=_date(target_on),
            current=Decimal(str(current)) if current is not None else None,
        )
        kpi.items.set([items[k] for k in moved_by])
    adopted = [on for _source, target, on in seed["history"] if target == "adopted"]
    if adopted:
        # the baseline as adopted: the planned durations then, no progress yet
        RoadmapVersion.objects.create(
            roadmap=roadmap,
            number=1,
            adopted_on=dt.date.fromisoformat(adopted[-1]),
            content=convert.snapshot(convert.to_core(roadmap)),
        )
        cluster.roadmap_adopted_on = dt.date.fromisoformat(adopted[-1])
        cluster.save(update_fields=["roadmap_adopted_on"])
    # what happened since: the durations as they are now, actual dates and progress
    for spec in seed["items"]:
        item = items[spec["key"]]
        actual = spec.get("actual") or [None, None]
        item.duration_days = spec.get("days", 0)
        item.actual_start, item.actual_finish = _date(actual[0]), _date(actual[1])
        item.percent_complete = 100 if item.actual_finish else spec.get("percent", 0)
        item.save(update_fields=["duration_days", "actual_start", "actual_finish", "percent_complete"])
