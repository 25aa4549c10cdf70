"""Project pages: the list of projects one may see, and a project's page (its consortium, history, the
moves its lifecycle gives the visitor, and for its editors the composer). Views parse, ask the permission
tables, call the services and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from helix.projects import composer, explain, parts, services
from helix.projects.models import FundingSource, Project, ProjectMember, ProjectStatus
from helix.registry.models import Cluster, Organisation
from helix.registry.permissions import can, scope


def visible_project(request: HttpRequest, pk: int) -> Project:
    """The project, or 404 when the visitor may not see it (no hint that it exists)."""
    project = (
        scope(request.user, "view", Project.objects.select_related("cluster")).filter(pk=pk).first()
    )
    if project is None:
        raise Http404
    return project


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
        p.type_name = explain.type_name(p.kind)  # type: ignore[attr-defined]
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
    project = visible_project(request, pk)
    user = request.user
    members = list(project.members.select_related("organisation").order_by("pk"))
    details = can(user, "view_details", project)
    editor = can(user, "edit", project)
    in_consortium = Organisation.objects.filter(pk__in=[m.organisation_id for m in members])
    visible_orgs = set(scope(user, "view", in_consortium).values_list("pk", flat=True))
    moves = services.available_moves(user, project)
    context: dict[str, object] = {
        "project": project,
        "type_name": explain.type_name(project.kind),
        "members": members,
        "visible_orgs": visible_orgs,
        "details": details,
        "editor": editor,
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
    if details:
        context.update(_parts(project, members))
    if editor:
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


def _parts(project: Project, members: list[ProjectMember]) -> dict[str, object]:
    """The project's parts for those who may see its details: its budget per partner and year with
    what it still misses, its funding sources, milestones and deliverables, and reports."""
    table = parts.budget_table(project, members)
    by_pk = {m.pk: m for m in members}
    sources = list(project.funding_sources.order_by("kind", "pk"))
    items = list(project.milestones.order_by("due_month", "title", "pk"))
    for row in (*sources, *items):  # their partner from the consortium read above, not a query each
        partner = by_pk.get(row.member_id if isinstance(row, FundingSource) else row.lead_id)
        row.partner = partner.organisation if partner else None  # type: ignore[attr-defined]
    return {
        "table": table,
        "advice": [explain.problem_text(p) for p in table.advice],
        "sources": sources,
        "milestones": items,
        "reports": list(project.reports.order_by("period_start", "pk")),
    }


@login_required
@require_POST
def project_move(request: HttpRequest, pk: int) -> HttpResponse:
    project = visible_project(request, pk)
    target = request.POST.get("target", "")
    try:
        services.move(request.user, project, target, request.POST.get("note", "")[:300])
    except services.ProjectRefused as refused:
        messages.error(request, explain.refusal_text(refused))
    else:
        messages.success(request, explain.moved_text(target))
    return redirect("projects:detail", pk=project.pk)
