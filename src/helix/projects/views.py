"""Project pages: the list of projects one may see, and a project's page (its consortium, history, the
moves its lifecycle gives the visitor, and for its editors the composer). Views parse, ask the permission
tables, call the services and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from helix.core.projects.types import UnknownProjectType, project_type
from helix.projects import composer, explain, services
from helix.projects.models import Project, ProjectStatus
from helix.registry.models import Cluster, Organisation
from helix.registry.permissions import can, scope


def _visible(request: HttpRequest, pk: int) -> Project:
    project = (
        scope(request.user, "view", Project.objects.select_related("cluster")).filter(pk=pk).first()
    )
    if project is None:
        raise Http404
    return project


def _type_name(kind: str) -> str:
    try:
        return explain.type_label(kind, project_type(kind).name)
    except UnknownProjectType:
        return kind


def project_list(request: HttpRequest) -> HttpResponse:
    projects = scope(
        request.user,
        "view",
        Project.objects.select_related("cluster").prefetch_related("members__organisation", "cluster__names"),
    )
    # the clusters to choose from: those of every project one may see, whatever is chosen now
    clusters = Cluster.objects.filter(pk__in=projects.values("cluster_id")).prefetch_related("names")
    cluster = request.GET.get("cluster", "")
    if cluster:
        projects = projects.filter(cluster__slug=cluster)
    status = request.GET.get("status", "")
    if status in ProjectStatus.values:
        projects = projects.filter(status=status)
    rows = list(projects.order_by("cluster__slug", "title"))
    for p in rows:
        p.type_name = _type_name(p.kind)  # type: ignore[attr-defined]
    return render(
        request,
        "projects/project_list.html",
        {
            "projects": rows,
            "clusters": clusters,
            "statuses": ProjectStatus.choices,
            "chosen": {"cluster": cluster, "status": status},
            "app": "projects",
        },
    )


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible(request, pk)
    user = request.user
    members = list(project.members.select_related("organisation").order_by("pk"))
    in_consortium = Organisation.objects.filter(pk__in=[m.organisation_id for m in members])
    visible_orgs = set(scope(user, "view", in_consortium).values_list("pk", flat=True))
    moves = services.available_moves(user, project)
    context: dict[str, object] = {
        "project": project,
        "type_name": _type_name(project.kind),
        "members": members,
        "visible_orgs": visible_orgs,
        "details": can(user, "view_details", project),
        "history": [
            {
                "on": c.changed_on,
                "source": explain.state_label(c.from_status) if c.from_status else "",
                "target": explain.state_label(c.to_status),
                "note": c.note,
            }
            for c in project.changes.order_by("pk")
        ],
        "moves": [
            {"target": m.target, "label": explain.move_label(m.action)}
            for m in moves
        ],
        "app": "projects",
    }
    if can(user, "edit", project):
        composed = composer.compose_for(user, project, top=8)
        names = {str(m.organisation_id): m.organisation.name for m in members}
        outcomes = composed.composition.check.outcomes
        context["check"] = [
            {"severity": o.severity.value, "text": explain.problem_text(o)} for o in outcomes if not o.passed
        ]
        context["rules_met"] = (sum(1 for o in outcomes if o.passed), len(outcomes))
        context["suggestions"] = [
            {
                "organisation": composed.organisations[int(s.organisation)],
                "role": explain.role_label(s.role.value),
                "reasons": [explain.reason_text(r, names) for r in (*s.closes, *s.affinity_reasons)],
            }
            for s in composed.composition.suggestions
        ]
    return render(request, "projects/project_detail.html", context)


@login_required
@require_POST
def project_move(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible(request, pk)
    target = request.POST.get("target", "")
    try:
        services.move(request.user, project, target, request.POST.get("note", "")[:300])
    except services.ProjectRefused as refused:
        messages.error(request, explain.refusal_text(refused))
    else:
        messages.success(request, explain.moved_text(target))
    return redirect("projects:detail", pk=project.pk)
