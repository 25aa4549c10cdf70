"""Roadmaps: start one, shape its content, move it through its lifecycle, accept and report on milestones.

Each service asks the permission tables (helix.roadmaps.permissions) and the core's rules
(helix.core.roadmaps), and writes in one transaction: the status never changes without its dated history
row, an adoption never without its version, an edit never over someone else's newer one. Refusals are
:class:`RoadmapRefused` with a code the edge translates (helix.roadmaps.explain).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from helix.core.roadmaps import lifecycle
from helix.core.roadmaps import model as core
from helix.core.roadmaps.validation import validate
from helix.registry.models import Cluster, LetterOfIntent, Organisation
from helix.registry.permissions import can
from helix.roadmaps import convert, notices
from helix.roadmaps.models import (
    Dependency,
    Effort,
    Item,
    Kpi,
    Participant,
    ParticipantRole,
    Roadmap,
    RoadmapChange,
    RoadmapStatus,
    RoadmapVersion,
    Track,
)
from helix.roadmaps.permissions import lifecycle_roles, may_accept, may_create, may_report_progress


class RoadmapRefused(Exception):
    """A rule said no: ``code`` and ``params`` for the page to translate, ``problems`` the coded reasons
    behind it (the validation problems that block an adoption)."""

    def __init__(
        self, code: str, params: Mapping[str, object] | None = None, problems: Sequence[core.Problem] = ()
    ) -> None:
        super().__init__(code)
        self.code, self.params, self.problems = code, dict(params or {}), tuple(problems)


# -- reading -------------------------------------------------------------------------------------------------


def problems_of(roadmap: Roadmap, today: dt.date | None = None) -> list[core.Problem]:
    """What the core's validation says of ``roadmap`` now."""
    return validate(convert.to_core(roadmap), today=today or timezone.localdate())


def baseline(roadmap: Roadmap) -> core.Roadmap | None:
    """The last adopted version's content, or None before the first adoption."""
    version = roadmap.versions.order_by("-number").first()
    return convert.from_snapshot(version.content) if version else None


def available_moves(user: Any, roadmap: Roadmap) -> list[Any]:
    """The lifecycle moves ``user`` may make on ``roadmap`` now (ready or not)."""
    if not can(user, "transition", roadmap):
        return []
    return lifecycle.available_moves(roadmap.status, lifecycle_roles(user, roadmap))


RESERVED_KEYS = frozenset({"new"})  # addresses of their own (/roadmaps/new/)

# -- the roadmap ---------------------------------------------------------------------------------------------


@transaction.atomic
def create_roadmap(
    user: Any,
    *,
    cluster: Cluster,
    key: str,
    title: str,
    starts_on: dt.date,
    summary: str = "",
    visibility: str = "members",
    project: Any = None,
) -> Roadmap:
    """A new draft roadmap of ``cluster`` (its staff only); its first history row."""
    if not may_create(user, cluster):
        raise PermissionDenied
    if key in RESERVED_KEYS or Roadmap.objects.filter(key=key).exists():
        raise RoadmapRefused("roadmap.key_taken", {"key": key})
    roadmap = Roadmap.objects.create(
        cluster=cluster,
        key=key,
        title=title,
        starts_on=starts_on,
        summary=summary,
        visibility=visibility,
        project=project,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    RoadmapChange.objects.create(
        roadmap=roadmap, to_status=roadmap.status, changed_on=timezone.localdate(), changed_by=_user(user)
    )
    return roadmap


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _editable(user: Any, roadmap: Roadmap, revision: int | None = None) -> Roadmap:
    """The roadmap locked for a change of content, after asking who may change it and whether its state
    allows it; ``revision``: the revision the change was read at (a newer one refuses it)."""
    locked = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    if not can(user, "edit", locked):
        raise PermissionDenied
    if not lifecycle.is_editable(locked.status):
        raise RoadmapRefused("roadmap.not_editable", {"status": locked.status})
    if revision is not None and revision != locked.revision:
        raise RoadmapRefused("roadmap.stale", {"revision": revision, "now": locked.revision})
    return locked


def _touch(roadmap: Roadmap) -> None:
    roadmap.revision += 1
    roadmap.save(update_fields=["revision"])


@transaction.atomic
def move(user: Any, roadmap: Roadmap, target: str, note: str = "") -> Roadmap:
    """Move ``roadmap`` to ``target`` if the lifecycle table gives the move to one of ``user``'s roles and
    the roadmap meets what it requires (adoption: no validation error). Adopting writes the next version
    (the new baseline) and the cluster's adoption date; the participants are told of a consultation and
    an adoption."""
    locked = Roadmap.objects.select_for_update().select_related("cluster").get(pk=roadmap.pk)
    if not can(user, "transition", locked):
        raise PermissionDenied
    today = timezone.localdate()
    content = convert.to_core(locked)
    problems = validate(content, today=today) if target == lifecycle.ADOPTED else []
    try:
        lifecycle.check_move(locked.status, target, lifecycle_roles(user, locked), problems)
    except lifecycle.RoadmapMoveRefused as refused:
        raise RoadmapRefused(
            f"lifecycle.{refused.code}", {"from": refused.source, "to": refused.target}, refused.problems
        ) from None
    source = locked.status
    locked.status = target
    locked.revision += 1
    locked.save(update_fields=["status", "revision"])
    RoadmapChange.objects.create(
        roadmap=locked,
        from_status=source,
        to_status=target,
        changed_on=today,
        changed_by=_user(user),
        note=note,
    )
    if target == lifecycle.ADOPTED:
        number = (locked.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        RoadmapVersion.objects.create(
            roadmap=locked,
            number=number,
            adopted_on=today,
            adopted_by=_user(user),
            note=note,
            content=convert.snapshot(content),
        )
        cluster = locked.cluster
        cluster.roadmap_adopted_on = today
        cluster.save(update_fields=["roadmap_adopted_on"])
        notices.adopted(locked, number, skip=user)
    elif target == lifecycle.CONSULTATION:
        notices.consultation_opened(locked, skip=user)
    return locked


# -- participants and tracks ---------------------------------------------------------------------------------


@transaction.atomic
def add_participant(
    user: Any,
    roadmap: Roadmap,
    organisation: Organisation,
    *,
    role: str = "",
    committed: bool | None = None,
    capacity: Decimal | None = None,
) -> Participant:
    """Add ``organisation`` to the roadmap. Its commitment is its letter of intent to the roadmap's cluster
    when it signed one (the latest), unless ``committed`` says otherwise."""
    locked = _editable(user, roadmap)
    if locked.participants.filter(organisation=organisation).exists():
        raise RoadmapRefused("roadmap.participant_twice", {"organisation": organisation.name})
    letter = (
        LetterOfIntent.objects.filter(organisation=organisation, cluster_id=locked.cluster_id)
        .order_by("-signed_on")
        .first()
    )
    participant = Participant.objects.create(
        roadmap=locked,
        organisation=organisation,
        role=role,
        committed=letter is not None if committed is None else committed,
        letter_of_intent=letter,
        capacity_pm_per_month=capacity,
    )
    _touch(locked)
    return participant


@transaction.atomic
def add_track(user: Any, roadmap: Roadmap, *, key: str, title: str, domain: Any = None) -> Track:
    locked = _editable(user, roadmap)
    if locked.tracks.filter(key=key).exists():
        raise RoadmapRefused("roadmap.track_twice", {"key": key})
    order = locked.tracks.count()
    track = Track.objects.create(roadmap=locked, key=key, title=title, domain=domain, order=order)
    _touch(locked)
    return track


# -- items ---------------------------------------------------------------------------------------------------

ITEM_FIELDS = (
    "title",
    "description",
    "kind",
    "track",
    "phase",
    "trl_from",
    "trl_to",
    "owner",
    "planned_start",
    "duration_days",
    "budget",
    "funding_secured",
)


@transaction.atomic
def save_item(
    user: Any,
    roadmap: Roadmap,
    *,
    key: str,
    fields: Mapping[str, Any],
    contributors: Iterable[Participant] | None = None,
    efforts: Mapping[Participant, Decimal] | None = None,
    links: Mapping[str, Iterable[Any]] | None = None,
    revision: int | None = None,
    item: Item | None = None,
) -> Item:
    """Create the item ``key`` (``item`` None) or change ``item``: its fields (:data:`ITEM_FIELDS`), its
    contributors and its effort per participant when given. The owner, contributors and effort holders
    must be the roadmap's participants and the track its own. The owners of the items whose planned dates
    move because of the change are told (helix.roadmaps.notices)."""
    locked = _editable(user, roadmap, revision)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"not item fields: {sorted(unknown)}")
    _check_belongs(locked, fields, contributors, efforts)
    before = convert.to_core(locked)
    if item is None:
        if locked.items.filter(key=key).exists():
            raise RoadmapRefused("roadmap.item_twice", {"key": key})
        item = Item.objects.create(roadmap=locked, key=key, order=locked.items.count(), **fields)
    else:
        item = Item.objects.select_for_update().get(pk=item.pk, roadmap=locked)
        for name, value in fields.items():
            setattr(item, name, value)
        item.save()
    if contributors is not None:
        item.contributors.set(list(contributors))
    for name, chosen in (links or {}).items():
        _set_links(locked, item, name, list(chosen))
    if efforts is not None:
        item.efforts.all().delete()
        Effort.objects.bulk_create(
            Effort(item=item, participant=p, person_months=pm) for p, pm in efforts.items() if pm
        )
    _touch(locked)
    notices.dates_moved(locked, before, convert.to_core(locked), skip=user)
    return item


LINKS = ("projects", "calls", "kpis")


def _set_links(roadmap: Roadmap, item: Item, name: str, chosen: list[Any]) -> None:
    """Link ``item`` to projects and calls of the roadmap's cluster and to the roadmap's KPIs only."""
    if name not in LINKS:
        raise ValueError(f"not an item link: {name}")
    for obj in chosen:
        own = obj.roadmap_id == roadmap.pk if name == "kpis" else obj.cluster_id == roadmap.cluster_id
        if not own:
            raise RoadmapRefused("roadmap.link_elsewhere", {"title": str(obj)})
    getattr(item, name).set(chosen)


@transaction.atomic
def add_kpi(user: Any, roadmap: Roadmap, *, title: str, target: Decimal, **fields: Any) -> Kpi:
    """A KPI with its target (and unit, baseline, target date, current value)."""
    locked = _editable(user, roadmap)
    key = slugify(title)[:70] or "kpi"
    taken = set(locked.kpis.values_list("key", flat=True))
    unique, n = key, 1
    while unique in taken:
        n += 1
        unique = f"{key}-{n}"
    kpi = Kpi.objects.create(roadmap=locked, key=unique, title=title, target=target, **fields)
    _touch(locked)
    return kpi


def _check_belongs(
    roadmap: Roadmap,
    fields: Mapping[str, Any],
    contributors: Iterable[Participant] | None,
    efforts: Mapping[Participant, Decimal] | None,
) -> None:
    people = [fields.get("owner"), *(contributors or ()), *(efforts or {})]
    for participant in people:
        if participant is not None and participant.roadmap_id != roadmap.pk:
            raise RoadmapRefused("roadmap.not_a_participant", {"organisation": str(participant)})
    track = fields.get("track")
    if track is not None and track.roadmap_id != roadmap.pk:
        raise RoadmapRefused("roadmap.track_elsewhere", {"key": track.key})


@transaction.atomic
def delete_item(user: Any, roadmap: Roadmap, item: Item, revision: int | None = None) -> None:
    locked = _editable(user, roadmap, revision)
    Item.objects.filter(pk=item.pk, roadmap=locked).delete()
    _touch(locked)


@transaction.atomic
def add_dependency(
    user: Any, roadmap: Roadmap, predecessor: Item, successor: Item, *, kind: str = "FS", lag_days: int = 0
) -> Dependency:
    """Link two items of the roadmap; a link that would close a cycle is refused, naming the cycle."""
    locked = _editable(user, roadmap)
    if predecessor.roadmap_id != locked.pk or successor.roadmap_id != locked.pk:
        raise RoadmapRefused("roadmap.unknown_item", {})
    if predecessor.pk == successor.pk:
        raise RoadmapRefused("roadmap.self_dependency", {"item": predecessor.key})
    if Dependency.objects.filter(predecessor=predecessor, successor=successor).exists():
        raise RoadmapRefused("roadmap.dependency_twice", {"from": predecessor.key, "to": successor.key})
    before = convert.to_core(locked)
    link = Dependency.objects.create(
        predecessor=predecessor, successor=successor, kind=kind, lag_days=lag_days
    )
    after = convert.to_core(locked)
    cycles = [p for p in validate(after) if p.code == "roadmap.cycle"]
    if cycles:
        # named by the items' titles, as the page lists them (helix.roadmaps.explain reads "names")
        titles = {it.key: it.title or it.key for it in after.items}
        params = {**cycles[0].params, "names": [titles.get(k, k) for k in cycles[0].params["keys"]]}
        raise RoadmapRefused("roadmap.cycle", params)  # rolls the link back
    _touch(locked)
    notices.dates_moved(locked, before, after, skip=user)
    return link


@transaction.atomic
def remove_dependency(user: Any, roadmap: Roadmap, link: Dependency) -> None:
    locked = _editable(user, roadmap)
    Dependency.objects.filter(pk=link.pk, successor__roadmap=locked).delete()
    _touch(locked)


# -- the participants' part ----------------------------------------------------------------------------------


@transaction.atomic
def accept_item(user: Any, item: Item) -> Item:
    """The owner's organisation accepts the commitment ``item`` asks of it (during the consultation or
    later); accepting twice keeps the first date."""
    item = Item.objects.select_for_update(of=("self",)).select_related("roadmap", "owner").get(pk=item.pk)
    if not may_accept(user, item):
        raise PermissionDenied
    if item.accepted_on is None:
        item.accepted_on = timezone.localdate()
        item.accepted_by = _user(user)
        item.save(update_fields=["accepted_on", "accepted_by"])
    return item


@transaction.atomic
def report_progress(
    user: Any,
    item: Item,
    *,
    actual_start: dt.date | None,
    actual_finish: dt.date | None,
    percent_complete: int,
) -> Item:
    """Record where ``item`` stands: its actual start and finish and how far it is. A finish before the
    start, a finish without 100 %, or a percentage outside 0..100 is refused."""
    # the roadmap's lock before the item's, in the order an edit takes them (else the two deadlock)
    roadmap = Roadmap.objects.select_for_update().get(pk=item.roadmap_id)
    item = Item.objects.select_for_update(of=("self",)).select_related("roadmap", "owner").get(pk=item.pk)
    if not may_report_progress(user, item):
        raise PermissionDenied
    if not 0 <= percent_complete <= 100:
        raise RoadmapRefused("progress.percent_out_of_range", {"percent": percent_complete})
    if actual_finish is not None and actual_start is not None and actual_finish < actual_start:
        raise RoadmapRefused(
            "progress.finish_before_start",
            {"start": actual_start.isoformat(), "finish": actual_finish.isoformat()},
        )
    if actual_finish is not None and actual_start is None:
        actual_start = actual_finish if item.duration_days == 0 else None
        if actual_start is None:
            raise RoadmapRefused("progress.finish_without_start", {})
    if actual_finish is not None:
        percent_complete = 100
    before = convert.to_core(roadmap)
    item.actual_start, item.actual_finish, item.percent_complete = (
        actual_start,
        actual_finish,
        percent_complete,
    )
    item.save(update_fields=["actual_start", "actual_finish", "percent_complete"])
    _touch(roadmap)
    notices.dates_moved(roadmap, before, convert.to_core(roadmap), skip=user)
    return item


def status_choices() -> list[tuple[str, str]]:
    return list(RoadmapStatus.choices)


# -- import --------------------------------------------------------------------------------------------------


@transaction.atomic
def replace_content(
    user: Any, roadmap: Roadmap, content: core.Roadmap, *, revision: int | None = None
) -> int:
    """Replace the roadmap's tracks, items, dependencies and efforts by ``content``'s (an imported file,
    its participants already the registry's organisation ids); participants it names that the roadmap
    lacks are added with the role the file gives. All or nothing: a dependency cycle or an unknown
    organisation refuses the whole import. Returns the number of items written."""
    locked = _editable(user, roadmap, revision)
    cycles = [p for p in validate(content) if p.code in {"roadmap.cycle", "roadmap.duplicate_item"}]
    if cycles:
        raise RoadmapRefused("import.refused", {}, cycles)
    wanted = {p.id for p in content.participants} | {pid for it in content.items for pid in it.participants}
    organisations = {
        o.pk: o for o in Organisation.objects.filter(pk__in=[w for w in wanted if isinstance(w, int)])
    }
    missing = sorted(str(w) for w in wanted if w not in organisations)
    if missing:
        raise RoadmapRefused("import.unknown_organisations", {"names": ", ".join(missing)})
    participants = {p.organisation_id: p for p in locked.participants.all()}
    roles = {p.id: p for p in content.participants}
    for pk in sorted(organisations):
        if pk not in participants:
            given = roles.get(pk)
            participants[pk] = Participant.objects.create(
                roadmap=locked,
                organisation=organisations[pk],
                role=given.role if given and given.role in dict(ParticipantRole.choices) else "",
                committed=bool(given and given.committed),
                capacity_pm_per_month=(
                    Decimal(str(given.capacity_pm_per_month))
                    if given and given.capacity_pm_per_month is not None
                    else None
                ),
            )
    locked.items.all().delete()  # cascades to dependencies, efforts and KPI links
    tracks = {t.key: t for t in locked.tracks.all()}
    for order, track in enumerate(content.tracks):
        if track.key not in tracks:
            tracks[track.key] = Track.objects.create(
                roadmap=locked, key=track.key[:80], title=track.title or track.key, order=len(tracks) + order
            )
    items: dict[str, Item] = {}
    for order, it in enumerate(content.items):
        items[it.key] = Item.objects.create(
            roadmap=locked,
            key=it.key,
            title=it.title or it.key,
            kind=it.kind.value,
            track=tracks.get(it.track) if it.track else None,
            phase=it.phase.value if it.phase else "",
            trl_from=it.trl_from,
            trl_to=it.trl_to,
            owner=participants.get(it.owner) if isinstance(it.owner, int) else None,
            planned_start=it.planned_start,
            duration_days=max(0, it.duration_days),
            budget=Decimal(str(it.budget)),
            funding_secured=Decimal(str(it.funding_secured)),
            actual_start=it.actual_start,
            actual_finish=it.actual_finish,
            percent_complete=round(it.percent_complete),
            order=order,
        )
        items[it.key].contributors.set([participants[c] for c in it.contributors if c in participants])
        Effort.objects.bulk_create(
            Effort(
                item=items[it.key],
                participant=participants[e.participant],
                person_months=Decimal(str(e.person_months)),
            )
            for e in it.efforts
            if e.participant in participants
        )
    Dependency.objects.bulk_create(
        Dependency(
            predecessor=items[d.predecessor],
            successor=items[d.successor],
            kind=d.kind.value,
            lag_days=d.lag_days,
        )
        for d in content.dependencies
        if d.predecessor in items and d.successor in items
    )
    _touch(locked)
    return len(items)
