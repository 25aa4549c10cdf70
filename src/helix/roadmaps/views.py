"""Roadmap pages: the list of roadmaps one may see, a roadmap's page (its Gantt chart, tracks and items with
their dates, slack and progress, what validation still finds, the participants and their commitments,
KPIs, versions and history, the moves its lifecycle gives the visitor), what-if, accepting a milestone and
reporting progress. Views parse, ask the permission tables, call the services and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from helix.registry.models import Cluster
from helix.registry.permissions import can, scope
from helix.roadmaps import analysis, explain, forms, services
from helix.roadmaps.models import Item, Roadmap, RoadmapStatus
from helix.roadmaps.permissions import creatable_clusters, may_report_progress


def visible_roadmap(request: HttpRequest, key: str) -> Roadmap:
    """The roadmap, or 404 when the visitor may not see it (no hint that it exists). Its participants are
    prefetched: the permission tables read them for every question asked of it (one per item on its page)."""
    roadmap = (
        scope(
            request.user,
            "view",
            Roadmap.objects.select_related("cluster", "project").prefetch_related("participants"),
        )
        .filter(key=key)
        .first()
    )
    if roadmap is None:
        raise Http404
    return roadmap


def roadmap_list(request: HttpRequest) -> HttpResponse:
    roadmaps = scope(
        request.user, "view", Roadmap.objects.select_related("cluster").prefetch_related("cluster__names")
    )
    clusters = Cluster.objects.filter(pk__in=roadmaps.values("cluster_id")).prefetch_related("names")
    cluster = request.GET.get("cluster", "")
    if cluster:
        roadmaps = roadmaps.filter(cluster__slug=cluster)
    status = request.GET.get("status", "")
    if status in RoadmapStatus.values:
        roadmaps = roadmaps.filter(status=status)
    return render(
        request,
        "roadmaps/roadmap_list.html",
        {
            "roadmaps": list(roadmaps.order_by("cluster__slug", "title")),
            "clusters": clusters,
            "statuses": RoadmapStatus.choices,
            "chosen": {"cluster": cluster, "status": status},
            "may_create": creatable_clusters(request.user).exists(),
            "app": "roadmaps",
        },
    )


def roadmap_detail(request: HttpRequest, key: str) -> HttpResponse:
    roadmap = visible_roadmap(request, key)
    user = request.user
    seen = analysis.analyse(roadmap, user)
    editor = can(user, "edit", roadmap)
    context = {
        "roadmap": roadmap,
        "seen": seen,
        "editor": editor,
        "editable": editor and services.lifecycle.is_editable(roadmap.status),
        "exporter": can(user, "export", roadmap),
        "leveller": can(user, "level", roadmap),
        "moves": [
            {"target": m.target, "label": explain.move_label(m.target)}
            for m in services.available_moves(user, roadmap)
        ],
        "history": [
            {
                "on": c.changed_on,
                "source": explain.state_label(c.from_status) if c.from_status else "",
                "target": explain.state_label(c.to_status),
                "note": c.note,
            }
            for c in roadmap.changes.order_by("pk")
        ],
        "versions": list(roadmap.versions.order_by("-number").values("number", "adopted_on", "note")),
        "whatif": forms.WhatIfForm(items=seen.item_choices),
        "group": "participant" if request.GET.get("lanes") == "participant" else "track",
        "app": "roadmaps",
    }
    return render(request, "roadmaps/roadmap_detail.html", context)


def whatif(request: HttpRequest, key: str) -> HttpResponse:
    """What moves if an item slips: each item whose dates change, the roadmap's new end, and whose
    commitments change. Read-only: nothing is saved."""
    roadmap = visible_roadmap(request, key)
    seen = analysis.analyse(roadmap, request.user)
    form = forms.WhatIfForm(request.GET or None, items=seen.item_choices)
    impact = None
    if form.is_valid():
        impact = analysis.slip(roadmap, seen, form.cleaned_data["item"], form.slip_days())
    return render(
        request,
        "roadmaps/whatif.html",
        {"roadmap": roadmap, "form": form, "impact": impact, "app": "roadmaps"},
    )


@login_required
@require_POST
def roadmap_move(request: HttpRequest, key: str) -> HttpResponse:
    roadmap = visible_roadmap(request, key)
    target = request.POST.get("target", "")
    try:
        services.move(request.user, roadmap, target, request.POST.get("note", "")[:300])
    except services.RoadmapRefused as refused:  # an adoption's problems name the items as the page does
        titles = dict(roadmap.items.values_list("key", "title"))
        messages.error(request, explain.refusal_text(refused, titles))
    else:
        messages.success(request, explain.moved_text(target))
    return redirect("roadmaps:detail", key=roadmap.key)


def _item(request: HttpRequest, key: str, item: str) -> Item:
    roadmap = visible_roadmap(request, key)
    return get_object_or_404(Item.objects.select_related("roadmap", "owner"), roadmap=roadmap, key=item)


@login_required
@require_POST
def accept(request: HttpRequest, key: str, item: str) -> HttpResponse:
    """The owner's organisation accepts its milestone."""
    found = _item(request, key, item)
    services.accept_item(request.user, found)
    messages.success(request, explain.say("roadmap.accepted", {"item": found.title}))
    return redirect(f"{found.roadmap.get_absolute_url()}#item-{found.key}")


@login_required
def progress(request: HttpRequest, key: str, item: str) -> HttpResponse:
    """Report where an item stands: its actual dates and percent complete."""
    found = _item(request, key, item)
    if not may_report_progress(request.user, found):
        raise PermissionDenied
    form = forms.ProgressForm(
        request.POST or None,
        initial={
            "actual_start": found.actual_start,
            "actual_finish": found.actual_finish,
            "percent_complete": found.percent_complete,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_progress(request.user, found, **form.cleaned_data)
        except services.RoadmapRefused as refused:
            forms.add_refusal(form, refused)
        else:
            messages.success(request, explain.say("roadmap.progress_saved", {"item": found.title}))
            return redirect(f"{found.roadmap.get_absolute_url()}#item-{found.key}")
    return render(
        request,
        "roadmaps/progress.html",
        {"roadmap": found.roadmap, "item": found, "form": form, "app": "roadmaps"},
    )
