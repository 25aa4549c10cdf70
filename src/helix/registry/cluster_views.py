"""Cluster pages: the list, a cluster with its domains, members and advisory groups, and the membership
pipeline its staff move organisations on (the engagement ladder)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.core.registry.ladder import LADDER, MEMBERSHIP_WORKFLOW, EngagementLevel, rung
from helix.core.workflow import TransitionNotAllowed
from helix.pagecache import cache_anonymous
from helix.registry import permissions, services
from helix.registry.models import (
    ENGAGEMENT_LABELS,
    AdvisorySeat,
    Cluster,
    ClusterName,
    Domain,
    DomainKind,
    Helix,
    Interaction,
    Membership,
    engagement_label,
)
from helix.registry.views import wants_fragment

FOLLOW_UP_HORIZON = dt.timedelta(days=7)


# Clusters -------------------------------------------------------------------------------------------------


def _clusters() -> QuerySet[Cluster]:
    return Cluster.objects.select_related("operator").prefetch_related(
        Prefetch("names", queryset=ClusterName.objects.order_by("valid_from"))
    )


@cache_anonymous
def cluster_list(request: HttpRequest) -> HttpResponse:
    active = ~Q(memberships__level=EngagementLevel.LEFT)
    clusters = _clusters().annotate(member_count=Count("memberships", filter=active))
    clusters_sorted = sorted(clusters, key=lambda c: c.current_name.casefold())
    return render(request, "registry/cluster_list.html", {"clusters": clusters_sorted})


@dataclass(frozen=True)
class Strand:
    value: str
    label: str
    count: int
    percent: float


def _strands(counts: dict[str, int]) -> list[Strand]:
    total = sum(counts.values())
    labels = dict(Helix.choices)
    return [
        Strand(value, str(labels[value]), n, round(100 * n / total, 1) if total else 0.0)
        for value, n in counts.items()
    ]


@cache_anonymous
def cluster_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    cluster = get_object_or_404(_clusters(), slug=slug)
    visible = permissions.visible_organisations(user)
    active_members = ~Q(memberships__level=EngagementLevel.LEFT)
    domains = cluster.domains.annotate(member_count=Count("memberships", filter=active_members)).order_by(
        "kind", "name"
    )
    domain_kinds = dict(DomainKind.choices)
    domain_groups: dict[str, list[Domain]] = {}
    for domain in domains:
        domain_groups.setdefault(str(domain_kinds.get(domain.kind, domain.kind)), []).append(domain)
    members = (
        cluster.memberships.exclude(level=EngagementLevel.LEFT)
        .filter(organisation__in=visible)
        .select_related("organisation")
        .prefetch_related("domains")
        .order_by("organisation__name")
    )
    by_level: dict[str, list[Membership]] = {}
    for membership in members:
        by_level.setdefault(membership.level, []).append(membership)
    member_groups = [
        (level.value, str(ENGAGEMENT_LABELS[level]), by_level[level.value])
        for level in reversed(LADDER)
        if level.value in by_level
    ]
    groups = cluster.advisory_groups.prefetch_related(
        Prefetch("seats", queryset=AdvisorySeat.objects.select_related("person__organisation"))
    )
    visible_ids = set(
        visible.filter(people__advisory_seats__group__cluster=cluster).values_list("pk", flat=True)
    )
    named_seats = set(
        permissions.scope(user, "view", AdvisorySeat.objects.filter(group__cluster=cluster)).values_list(
            "pk", flat=True
        )
    )
    advisory = [
        {
            "group": group,
            "seats": [
                {
                    "seat": seat,
                    "name": seat.person.full_name if seat.pk in named_seats else "",
                    "organisation": seat.person.organisation
                    if seat.person.organisation_id in visible_ids
                    else None,
                }
                for seat in group.seats.all()
            ],
            "balance": _strands(services.advisory_balance(group)),
        }
        for group in groups
    ]
    composition = _strands(services.triple_helix_composition(cluster))
    context = {
        "cluster": cluster,
        "names": list(cluster.names.all()),
        "operator_visible": permissions.can_view_organisation(user, cluster.operator),
        "domain_groups": domain_groups,
        "member_groups": member_groups,
        "advisory": advisory,
        "composition": composition,
        "composition_total": sum(s.count for s in composition),
        "can_manage": permissions.can_manage_cluster(user, cluster),
    }
    return render(request, "registry/cluster_detail.html", context)


# Membership pipeline --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    target: str
    label: str
    direction: str  # up, down, leave or return


def _moves(user: Any, membership: Membership) -> list[Move]:
    """The ladder moves ``user`` may make on this card, as the workflow table allows for the user's roles."""
    roles = services.workflow_roles(user, membership.organisation, membership.cluster)
    moves = []
    for transition in MEMBERSHIP_WORKFLOW.available(membership.level, roles):
        target, here = transition.target, rung(membership.level)
        label = engagement_label(target)
        if target == EngagementLevel.LEFT:
            moves.append(Move(target, _("Mark as left"), "leave"))
        elif here < 0:
            moves.append(Move(target, _("Re-engage as %(level)s") % {"level": label}, "return"))
        elif rung(target) > here:
            moves.append(Move(target, _("Move up to %(level)s") % {"level": label}, "up"))
        else:
            moves.append(Move(target, _("Move down to %(level)s") % {"level": label}, "down"))
    order = {"up": 0, "down": 1, "return": 2, "leave": 3}
    return sorted(moves, key=lambda m: order[m.direction])


def _board_context(user: Any, cluster: Cluster) -> dict[str, Any]:
    memberships = cluster.memberships.select_related("organisation", "cluster").order_by("organisation__name")
    cards: dict[str, list[dict[str, Any]]] = {}
    for membership in memberships:
        cards.setdefault(membership.level, []).append(
            {"membership": membership, "moves": _moves(user, membership)}
        )
    columns = [
        {"level": level.value, "label": str(ENGAGEMENT_LABELS[level]), "cards": cards.get(level.value, [])}
        for level in LADDER
    ]
    return {"cluster": cluster, "columns": columns, "left": cards.get(EngagementLevel.LEFT, [])}


def _follow_ups_due(cluster: Cluster, today: dt.date) -> QuerySet[Interaction]:
    """Open follow-ups of this cluster's organisations that are overdue or due within a week."""
    return (
        Interaction.objects.filter(
            Q(cluster=cluster) | Q(cluster__isnull=True, organisation__memberships__cluster=cluster),
            follow_up_done=False,
            follow_up_on__lte=today + FOLLOW_UP_HORIZON,
        )
        .select_related("organisation", "logged_by")
        .distinct()
        .order_by("follow_up_on", "organisation__name")
    )


def _managed_cluster(user: Any, slug: str) -> Cluster:
    cluster = get_object_or_404(_clusters(), slug=slug)
    if not permissions.can_manage_cluster(user, cluster):
        raise PermissionDenied
    return cluster


@login_required
def pipeline(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = _managed_cluster(request.user, slug)
    today = timezone.localdate()
    context = _board_context(request.user, cluster)
    context.update({"follow_ups": _follow_ups_due(cluster, today), "today": today})
    return render(request, "registry/pipeline.html", context)


@login_required
@require_POST
def pipeline_move(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    """Move a card one step on the engagement ladder; htmx swaps in the redrawn board, else redirect back."""
    cluster = _managed_cluster(request.user, slug)
    membership = get_object_or_404(
        Membership.objects.select_related("organisation"), pk=membership_id, cluster=cluster
    )
    target = request.POST.get("to", "")
    source = membership.level
    names = {
        "organisation": membership.organisation.name,
        "source": engagement_label(source),
        "target": engagement_label(target),
    }
    try:
        services.change_engagement(membership, target, user=request.user)
    except TransitionNotAllowed:
        level = messages.ERROR
        text = (
            _(
                "%(organisation)s cannot move from “%(source)s” to “%(target)s”. "
                "The board shows the moves open to you now."
            )
            % names
        )
    else:
        level = messages.SUCCESS
        text = _("%(organisation)s moved from “%(source)s” to “%(target)s”.") % names
    if wants_fragment(request):
        context = _board_context(request.user, cluster)
        context["notice"] = {"level": "error" if level == messages.ERROR else "success", "text": text}
        return render(request, "registry/_pipeline_board.html", context)
    messages.add_message(request, level, text)
    return redirect("registry:pipeline", slug=cluster.slug)


@login_required
@require_POST
def follow_up_done(request: HttpRequest, slug: str, interaction_id: int) -> HttpResponse:
    """Close a follow-up from the pipeline page."""
    cluster = _managed_cluster(request.user, slug)
    interaction = get_object_or_404(Interaction.objects.select_related("organisation"), pk=interaction_id)
    services.complete_follow_up(interaction, user=request.user)
    messages.success(
        request, _("Follow-up with %(name)s marked done.") % {"name": interaction.organisation.name}
    )
    return redirect("registry:pipeline", cluster.slug)
