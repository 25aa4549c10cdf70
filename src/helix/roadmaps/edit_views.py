"""The pages where the cluster's staff shape a roadmap: start one, its items (milestones, deliverables,
activities), its participants and tracks, its dependencies. Each page lists the part and takes its form;
a refusal is shown on the form with what was typed, and nothing is written."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from helix.core.roadmaps.lifecycle import is_editable
from helix.params import object_id
from helix.registry.models import Membership, Organisation
from helix.registry.permissions import can
from helix.roadmaps import explain, forms, services
from helix.roadmaps.models import Dependency, Item, Roadmap
from helix.roadmaps.permissions import creatable_clusters, may_create
from helix.roadmaps.views import visible_roadmap


def _editable(request: HttpRequest, key: str) -> Roadmap:
    """The roadmap, if the visitor may see it (404 otherwise) and edit it (403 otherwise)."""
    roadmap = visible_roadmap(request, key)
    if not can(request.user, "edit", roadmap):
        raise PermissionDenied
    return roadmap


def _page(request: HttpRequest, template: str, roadmap: Roadmap | None, **context: Any) -> HttpResponse:
    return render(request, f"roadmaps/{template}", {"roadmap": roadmap, "app": "roadmaps", **context})


@login_required
def roadmap_new(request: HttpRequest) -> HttpResponse:
    clusters = creatable_clusters(request.user)
    if not clusters.exists():
        raise PermissionDenied
    form = forms.RoadmapForm(request.POST or None, clusters=clusters)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not may_create(request.user, data["cluster"]):
            raise PermissionDenied
        try:
            roadmap = services.create_roadmap(
                request.user,
                cluster=data["cluster"],
                key=data["key"],
                title=data["title"],
                starts_on=data["starts_on"],
                summary=data["summary"],
                visibility=data["visibility"],
            )
        except services.RoadmapRefused as refused:
            forms.add_refusal(form, refused)
        else:
            messages.success(request, explain.say("roadmap.created", {"title": roadmap.title}))
            return redirect("roadmaps:participants", key=roadmap.key)
    return _page(request, "roadmap_new.html", None, form=form)


@login_required
def item_edit(request: HttpRequest, key: str, item: str | None = None) -> HttpResponse:
    """Add an item (``item`` None) or change one; the form carries the roadmap's revision it was read at."""
    roadmap = _editable(request, key)
    found = get_object_or_404(Item, roadmap=roadmap, key=item) if item else None
    initial: dict[str, Any] = {"revision": roadmap.revision}
    if found is not None:
        initial.update(
            {name: getattr(found, name) for name in services.ITEM_FIELDS},
            key=found.key,
            contributors=list(found.contributors.all()),
            **{name: list(getattr(found, name).all()) for name in services.LINKS},
        )
    form = forms.ItemForm(request.POST or None, roadmap=roadmap, initial=initial)
    if found is not None:
        form.fields["key"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in services.ITEM_FIELDS}
        fields["phase"] = fields["phase"] or ""
        try:
            saved = services.save_item(
                request.user,
                roadmap,
                key=found.key if found else data["key"],
                fields=fields,
                contributors=data["contributors"],
                links={name: data[name] for name in services.LINKS},
                revision=data.get("revision"),
                item=found,
            )
        except services.RoadmapRefused as refused:
            forms.add_refusal(form, refused)
        else:
            messages.success(request, explain.say("roadmap.saved", {"item": saved.title}))
            return redirect(f"{roadmap.get_absolute_url()}#item-{saved.key}")
    return _page(
        request, "item_edit.html", roadmap, form=form, item=found, editable=is_editable(roadmap.status)
    )


@login_required
@require_POST
def item_delete(request: HttpRequest, key: str, item: str) -> HttpResponse:
    roadmap = _editable(request, key)
    found = get_object_or_404(Item, roadmap=roadmap, key=item)
    try:
        services.delete_item(request.user, roadmap, found)
    except services.RoadmapRefused as refused:
        messages.error(request, explain.refusal_text(refused))
    return redirect("roadmaps:detail", key=roadmap.key)


@login_required
def participants(request: HttpRequest, key: str) -> HttpResponse:
    """The roadmap's participants and tracks; adds one of each. The organisations offered are the
    cluster's members at any level and its operator."""
    roadmap = _editable(request, key)
    in_cluster = Organisation.objects.filter(
        pk__in=Membership.objects.filter(cluster=roadmap.cluster).values("organisation_id")
    ).exclude(pk__in=roadmap.participants.values("organisation_id"))
    form = forms.ParticipantForm(
        request.POST if request.POST.get("form") == "participant" else None,
        organisations=in_cluster.order_by("name"),
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_participant(
                request.user, roadmap, data["organisation"], role=data["role"], capacity=data["capacity"]
            )
        except services.RoadmapRefused as refused:
            forms.add_refusal(form, refused)
        else:
            return redirect("roadmaps:participants", key=roadmap.key)
    kpi_form = forms.KpiForm(request.POST if request.POST.get("form") == "kpi" else None, prefix="kpi")
    if kpi_form.is_bound and kpi_form.is_valid():
        try:
            services.add_kpi(request.user, roadmap, **kpi_form.cleaned_data)
        except services.RoadmapRefused as refused:
            forms.add_refusal(kpi_form, refused)
        else:
            return redirect("roadmaps:participants", key=roadmap.key)
    track_error = ""
    if request.method == "POST" and request.POST.get("form") == "track":
        title = request.POST.get("title", "").strip()[:200]
        if title:
            try:
                services.add_track(request.user, roadmap, key=slugify(title)[:80] or "track", title=title)
            except services.RoadmapRefused as refused:
                track_error = explain.refusal_text(refused)
            else:
                return redirect("roadmaps:participants", key=roadmap.key)
    return _page(
        request,
        "participants.html",
        roadmap,
        form=form,
        kpi_form=kpi_form,
        kpis=list(roadmap.kpis.order_by("pk")),
        track_error=track_error,
        rows=list(roadmap.participants.select_related("organisation", "letter_of_intent")),
        tracks=list(roadmap.tracks.select_related("domain")),
    )


@login_required
def dependencies(request: HttpRequest, key: str) -> HttpResponse:
    """The links between items; adds one (a link closing a cycle is refused and names the cycle) or
    removes one."""
    roadmap = _editable(request, key)
    form = forms.DependencyForm(request.POST if "predecessor" in request.POST else None, roadmap=roadmap)
    if request.method == "POST" and "remove" in request.POST:
        link_id = object_id(request.POST.get("remove"))
        link = get_object_or_404(Dependency, pk=link_id, successor__roadmap=roadmap)
        try:
            services.remove_dependency(request.user, roadmap, link)
        except services.RoadmapRefused as refused:
            messages.error(request, explain.refusal_text(refused))
        return redirect("roadmaps:dependencies", key=roadmap.key)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_dependency(
                request.user,
                roadmap,
                data["predecessor"],
                data["successor"],
                kind=data["kind"],
                lag_days=data["lag_days"],
            )
        except services.RoadmapRefused as refused:
            forms.add_refusal(form, refused)
        else:
            return redirect("roadmaps:dependencies", key=roadmap.key)
    links = Dependency.objects.filter(successor__roadmap=roadmap).select_related("predecessor", "successor")
    return _page(
        request, "dependencies.html", roadmap, form=form, links=list(links.order_by("successor__order", "pk"))
    )
