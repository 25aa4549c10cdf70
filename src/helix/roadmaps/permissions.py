"""Who may do what with cluster roadmaps, as data (helix.core.access).

A **roadmap** belongs to its cluster (``staff``) and to the organisations taking part in it
(``owner``: a person of a participating organisation). Once out of draft it reaches as far as its
visibility says, as a project does: anyone when public, the cluster's audience (members of our
clusters) when for members; its participants and the cluster's staff always see it, the draft
included, since they are named in it. The staff create it, edit its content, move it through its
lifecycle (helix.core.roadmaps.lifecycle says which moves and when the content may change), import
and level it. A participant accepts the milestones its organisation owns and reports their progress;
the service checks that the item is its organisation's.

Its **items** (milestones, deliverables, activities), participants, tracks, dependencies, KPIs, versions
and history are seen wherever the roadmap is.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from helix.core.access import OWNER, OWNER_OR_STAFF, REACH_CONDITIONS, STAFF, Grant, Policy, Role, reach
from helix.core.roadmaps import lifecycle
from helix.market.models import Visibility
from helix.registry.models import Cluster
from helix.registry.permissions import (
    Fact,
    Subject,
    actor_for,
    can,
    register,
    staff_cluster_ids,
    subject_for,
)
from helix.roadmaps.models import (
    Dependency,
    Item,
    Kpi,
    Participant,
    Roadmap,
    RoadmapChange,
    RoadmapStatus,
    RoadmapVersion,
    Track,
)

ROADMAP = Policy(
    subject="roadmaps.roadmap",
    label="Cluster roadmap",
    actions={
        "view": "see the roadmap: its tracks, milestones, owners, dates, Gantt chart and analysis",
        "export": "download it (PDF, CSV, XLSX, iCalendar, MS Project XML)",
        "create": "start a roadmap of the cluster (a draft), or import one",
        "edit": "change its content: participants, tracks, items, dependencies, KPIs (when a draft or "
        "being revised)",
        "transition": "move it through its lifecycle: consultation, adoption, revision",
        "level": "compute a resource-levelled plan",
        "accept": "accept a milestone one's organisation owns",
        "report_progress": "report the progress of an item one's organisation owns",
    },
    conditions={**REACH_CONDITIONS, "active": "out of draft: in consultation, adopted or being revised"},
    grants=(
        *reach("view"),
        *reach("export"),
        Grant("create", STAFF, note="asked of the new roadmap, with its cluster"),
        Grant("edit", STAFF),
        Grant("transition", STAFF),
        Grant("level", STAFF),
        Grant("accept", OWNER, frozenset({"active"})),
        Grant("report_progress", OWNER_OR_STAFF, frozenset({"active"})),
    ),
)


def _part(subject: str, label: str) -> Policy:
    return Policy(
        subject=subject,
        label=label,
        actions={"view": "see it, where the roadmap may be seen"},
        conditions=REACH_CONDITIONS,
        grants=reach("view"),
    )


def _facts(to_roadmap: str) -> dict[str, Fact]:
    prefix = f"{to_roadmap}__" if to_roadmap else ""

    def roadmap_of(obj: Any) -> Roadmap:
        found: Any = obj
        for step in to_roadmap.split("__") if to_roadmap else ():
            found = getattr(found, step)
        return found  # type: ignore[no-any-return]

    def visibility(value: str) -> Fact:
        return Fact(lambda o: roadmap_of(o).visibility == value, lambda: Q(**{f"{prefix}visibility": value}))

    return {
        "active": Fact(
            lambda o: roadmap_of(o).status != RoadmapStatus.DRAFT,
            lambda: ~Q(**{f"{prefix}status": RoadmapStatus.DRAFT}),
        ),
        "public": visibility(Visibility.PUBLIC),
        "members": visibility(Visibility.MEMBERS),
        "staff": visibility(Visibility.STAFF),
    }


def _part_of_roadmap(model: type, subject: str, label: str, to_roadmap: str) -> Subject:
    return Subject(
        _part(subject, label),
        model,
        cluster=f"{to_roadmap}__cluster_id",
        member_organisations=f"{to_roadmap}__participants__organisation_id",
        facts=_facts(to_roadmap),
    )


register(
    Subject(
        ROADMAP,
        Roadmap,
        cluster="cluster_id",
        member_organisations="participants__organisation_id",
        facts=_facts(""),
    ),
    _part_of_roadmap(Item, "roadmaps.item", "Roadmap milestone, deliverable or activity", "roadmap"),
    _part_of_roadmap(Participant, "roadmaps.participant", "Roadmap participant", "roadmap"),
    _part_of_roadmap(Track, "roadmaps.track", "Roadmap track", "roadmap"),
    _part_of_roadmap(Kpi, "roadmaps.kpi", "Roadmap KPI", "roadmap"),
    _part_of_roadmap(RoadmapVersion, "roadmaps.roadmapversion", "Adopted roadmap version", "roadmap"),
    _part_of_roadmap(RoadmapChange, "roadmaps.roadmapchange", "Roadmap history step", "roadmap"),
    _part_of_roadmap(Dependency, "roadmaps.dependency", "Roadmap dependency", "successor__roadmap"),
)


def may_create(user: Any, cluster: Cluster) -> bool:
    """May ``user`` start (or import) a roadmap of ``cluster``? Its staff (the ``create`` grant, asked of a
    roadmap of the cluster)."""
    return can(user, "create", Roadmap(cluster=cluster))


def creatable_clusters(user: Any) -> QuerySet[Cluster]:
    """The clusters ``user`` may start a roadmap in (the ``create`` grant: their staff; every cluster for
    the superuser): what the list offers and the new-roadmap form lists."""
    if not getattr(user, "is_authenticated", False):
        return Cluster.objects.none()
    clusters = Cluster.objects.prefetch_related("names").order_by("slug")
    if actor_for(user).is_superuser:
        return clusters
    # the grant names the cluster's staff: asked of each cluster the user is staff of
    allowed = [pk for pk in staff_cluster_ids(user) if may_create(user, Cluster(pk=pk))]
    return clusters.filter(pk__in=allowed)


def lifecycle_roles(user: Any, roadmap: Roadmap) -> set[str]:
    """The lifecycle's roles (helix.core.roadmaps.lifecycle) ``user`` holds on ``roadmap``: ``staff`` for
    the cluster's staff (and the superuser), ``participant`` for a person of a participating organisation."""
    actor = actor_for(user)
    held = subject_for(roadmap).roles(actor, roadmap)
    roles: set[str] = set()
    if actor.is_superuser or Role.STAFF in held:
        roles.add(lifecycle.STAFF)
    if Role.OWNER in held:
        roles.add(lifecycle.PARTICIPANT)
    return roles


def owns_item(user: Any, item: Item) -> bool:
    """Whether ``user`` acts for the organisation that owns ``item`` (the participant it names as owner)."""
    actor = actor_for(user)
    return item.owner is not None and actor.organisation == item.owner.organisation_id


def may_accept(user: Any, item: Item) -> bool:
    """May ``user`` accept ``item``'s commitment: the roadmap's ``accept`` grant and the item is owned by
    the user's organisation."""
    return can(user, "accept", item.roadmap) and owns_item(user, item)


def may_report_progress(user: Any, item: Item) -> bool:
    """The staff report any item's progress; a participant only that of the items its organisation owns."""
    if not can(user, "report_progress", item.roadmap):
        return False
    return lifecycle.STAFF in lifecycle_roles(user, item.roadmap) or owns_item(user, item)


__all__ = [
    "ROADMAP",
    "creatable_clusters",
    "lifecycle_roles",
    "may_accept",
    "may_create",
    "may_report_progress",
    "owns_item",
]
