"""A roadmap's drawings (Gantt chart, TRL ladder, interplay graph as SVG), its files (PDF, CSV, XLSX,
iCalendar of milestones, MS Project XML), its import from a spreadsheet or MS Project XML, and the
resource-levelled plan (a background job). Each asks the permission tables first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from helix.core.roadmaps.table import roadmap_columns
from helix.registry.permissions import can
from helix.roadmaps import analysis, drawings, explain, forms, imports, levelling, services
from helix.roadmaps.views import visible_roadmap

SVG = "image/svg+xml; charset=utf-8"


def _svg(body: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=SVG)
    response["Content-Disposition"] = f'inline; filename="{name}.svg"'
    response["Cache-Control"] = "private, no-cache"
    return response


def gantt(request: HttpRequest, key: str) -> HttpResponse:
    roadmap = visible_roadmap(request, key)
    group = "participant" if request.GET.get("lanes") == "participant" else "track"
    seen = analysis.analyse(roadmap, request.user)
    return _svg(drawings.gantt(seen, group), f"{roadmap.key}-gantt")


def trl_ladder(request: HttpRequest, key: str) -> HttpResponse:
    roadmap = visible_roadmap(request, key)
    return _svg(drawings.trl_ladder(analysis.analyse(roadmap, request.user)), f"{roadmap.key}-trl")


def interplay(request: HttpRequest, key: str) -> HttpResponse:
    roadmap = visible_roadmap(request, key)
    return _svg(drawings.interplay_graph(analysis.analyse(roadmap, request.user)), f"{roadmap.key}-interplay")


def export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """The roadmap as a file: its items with the forecast dates (CSV, XLSX: the columns the import reads
    back), a printable Gantt chart with the table of milestones (PDF), the milestones' due dates
    (iCalendar) or MS Project XML (MSPDI)."""
    if fmt not in drawings.FORMATS:
        raise Http404
    roadmap = visible_roadmap(request, key)
    if not can(request.user, "export", roadmap):
        raise PermissionDenied
    seen = analysis.analyse(roadmap, request.user)
    body = drawings.export_file(
        seen, fmt, lambda item: request.build_absolute_uri(f"{roadmap.get_absolute_url()}#item-{item}")
    )
    response = HttpResponse(body, content_type=drawings.FORMATS[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{roadmap.key}-{stamp}.{fmt}"'
    return response


@login_required
def import_items(request: HttpRequest, key: str) -> HttpResponse:
    """Replace the roadmap's items by a file's: every problem with its row and column (or task and line)
    is shown and nothing is written until the whole file is right."""
    roadmap = visible_roadmap(request, key)
    if not can(request.user, "edit", roadmap):
        raise PermissionDenied
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems: tuple[imports.ImportProblem, ...] = ()
    warnings: tuple[str, ...] = ()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        parsed = imports.parse_upload(roadmap, upload.name, upload.read(imports.MAX_BYTES + 1))
        problems, warnings = parsed.problems, parsed.warnings
        if parsed.content is not None and not problems:
            try:
                count = services.replace_content(request.user, roadmap, parsed.content)
            except services.RoadmapRefused as refused:
                forms.add_refusal(form, refused)
            else:
                messages.success(request, explain.say("roadmap.imported", {"count": count}))
                for warning in warnings:
                    messages.warning(request, warning)
                return redirect("roadmaps:detail", key=roadmap.key)
    return render(
        request,
        "roadmaps/import.html",
        {
            "roadmap": roadmap,
            "form": form,
            "problems": problems,
            "warnings": warnings,
            "columns": roadmap_columns(),
            "app": "roadmaps",
        },
    )


@login_required
def level(request: HttpRequest, key: str) -> HttpResponse:
    """The resource-levelled plan: the participants' capacities respected, the end as early as a solver
    can prove; computed in the background (POST starts it), shown beside the unconstrained plan."""
    roadmap = visible_roadmap(request, key)
    if not can(request.user, "level", roadmap):
        raise PermissionDenied
    if request.method == "POST":
        return _start_levelling(request, roadmap)
    job = levelling.last_run(roadmap)
    seen = analysis.analyse(roadmap, request.user)
    result = levelling.shown(job, seen) if job is not None else None
    return render(
        request,
        "roadmaps/level.html",
        {"roadmap": roadmap, "job": job, "result": result, "seen": seen, "app": "roadmaps"},
    )


@require_POST
def _start_levelling(request: HttpRequest, roadmap: object) -> HttpResponse:
    try:
        job = levelling.start(request.user, roadmap)  # type: ignore[arg-type]
    except services.RoadmapRefused as refused:
        messages.error(request, explain.refusal_text(refused))
        return redirect("roadmaps:level", key=roadmap.key)  # type: ignore[attr-defined]
    return redirect("jobs:detail", pk=job.pk)
