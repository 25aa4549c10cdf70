"""Pages of programme cycles: the programmes one may see, a programme with its cycles, a new cycle with
work domains proposed from the open needs, a cycle's four phases with what each linked and produced
(and the move to the next phase, refused with its reasons), outputs with the needs they answer and
the organisations that reuse them, and a cycle's report as a background job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.core.insights import programmes as core
from helix.insights import programmes as services
from helix.insights.explain import explain
from helix.insights.models import Cycle, Output, PhaseLink, Programme
from helix.insights.permissions import programme_clusters
from helix.insights.services import InsightsError
from helix.registry.models import Cluster
from helix.registry.permissions import can, scope

LANGUAGES = ("en", "nl", "fr", "de")


def _programme(request: HttpRequest, pk: int, action: str = "view") -> Programme:
    programme = (
        Programme.objects.select_related("cluster").prefetch_related("organisers").filter(pk=pk).first()
    )
    if programme is None or not can(request.user, action, programme):
        raise Http404
    return programme


def _cycle(request: HttpRequest, pk: int, action: str = "view") -> Cycle:
    cycle = (
        Cycle.objects.select_related("programme__cluster")
        .prefetch_related("programme__organisers", "work_domains", "steps")
        .filter(pk=pk)
        .first()
    )
    if cycle is None or not can(request.user, action, cycle):
        raise Http404
    return cycle


def programme_list(request: HttpRequest) -> HttpResponse:
    """Every programme the visitor may see, with its cycles and the phase each is in; staff start one
    for their cluster."""
    programmes = (
        scope(request.user, "view", Programme.objects.all())
        .select_related("cluster")
        .prefetch_related(Prefetch("cycles", queryset=Cycle.objects.prefetch_related("work_domains")))
        .order_by("cluster__slug", "name")
    )
    creatable = programme_clusters(request.user)
    return render(
        request,
        "insights/programme_list.html",
        {"programmes": programmes, "creatable": creatable, "app": "insights"},
    )


@login_required
def programme_new(request: HttpRequest, slug: str) -> HttpResponse:
    from helix.insights.forms import ProgrammeForm

    cluster = Cluster.objects.filter(slug=slug).first()
    if cluster is None or not can(request.user, "create", Programme(cluster=cluster)):
        raise Http404
    form = ProgrammeForm(request.POST or None, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.start_programme(request.user, cluster, form.cleaned_data)
        except InsightsError as error:
            form.add_error(error.field or None, explain(error))
        else:
            messages.success(request, _("The programme is started."))
            return redirect("programmes:programme", programme.pk)
    return render(
        request,
        "insights/programme_form.html",
        {"form": form, "cluster": cluster, "title": _("Start a programme"), "app": "insights"},
        status=400 if form.errors else 200,
    )


def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    cycles = programme.cycles.prefetch_related("work_domains").annotate(
        n_outputs=Count("outputs", distinct=True), n_links=Count("links", distinct=True)
    )
    return render(
        request,
        "insights/programme.html",
        {
            "programme": programme,
            "cycles": cycles,
            "may_edit": can(request.user, "edit", programme),
            "app": "insights",
        },
    )


@login_required
def cycle_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A new cycle: the work domains the open needs ask for now are proposed (and ticked), with the
    needs and organisations behind each."""
    from helix.insights.forms import CycleForm

    programme = _programme(request, pk, "edit")
    proposals = services.propose_domains(programme)
    initial: dict[str, Any] = {"work_domains": [p.domain.pk for p in proposals]}
    # a cycle of two years (seed 003), from the day after the last one ends or from today
    latest = programme.cycles.order_by("-number").first()
    start = latest.ends_on + dt.timedelta(days=1) if latest else timezone.localdate()
    initial["starts_on"] = start
    initial["ends_on"] = start + dt.timedelta(days=2 * 365)
    form = CycleForm(request.POST or None, cluster=programme.cluster, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.start_cycle(request.user, programme, form.cleaned_data)
        except InsightsError as error:
            form.add_error(error.field or None, explain(error))
        else:
            messages.success(request, _("Cycle %(n)s is planned.") % {"n": cycle.number})
            return redirect("programmes:cycle", cycle.pk)
    return render(
        request,
        "insights/cycle_form.html",
        {"form": form, "programme": programme, "proposals": proposals, "app": "insights"},
        status=400 if form.errors else 200,
    )


def _phase_rows(request: HttpRequest, cycle: Cycle) -> list[dict[str, Any]]:
    from helix.insights.labels import PHASES

    linked = services.linked_records(request.user, cycle)
    dates = services.phase_dates(cycle)
    rows = []
    for phase in core.PHASES:
        started = dates.get(phase.code)
        rows.append(
            {
                "code": phase.code,
                "label": PHASES[phase.code],
                "started": started[0] if started else None,
                "ended": started[1] if started else None,
                "current": cycle.state == phase.code,
                "reached": started is not None,
                "needs": linked[phase.code][core.NEED],
                "events": linked[phase.code][core.EVENT],
                "projects": linked[phase.code][core.PROJECT],
                "outputs": linked[phase.code][core.OUTPUT],
                "links": sorted(phase.links),
            }
        )
    return rows


def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A cycle's phases, each with its dates, what it linked and produced (only what the visitor may
    see), the move to the next phase for staff (with what it still misses), and the link forms."""
    from helix.insights.labels import PHASES

    cycle = _cycle(request, pk)
    may_move = can(request.user, "move", cycle)
    target = core.next_state(cycle.state)
    refusals = services.move_refusals(request.user, cycle, target) if may_move and target else []
    return render(
        request,
        "insights/cycle.html",
        {
            "cycle": cycle,
            "programme": cycle.programme,
            "phases": _phase_rows(request, cycle),
            "may_move": may_move and target is not None,
            "target": target,
            "target_label": PHASES.get(target or "", _("Closed")),
            "refusals": [explain(InsightsError(r.code, phase=r.phase)) for r in refusals],
            "may_link": can(request.user, "link", cycle) and cycle.state not in (core.PLANNED, core.CLOSED),
            "may_report": can(request.user, "report", cycle),
            "linkable": _linkable(request, cycle) if can(request.user, "link", cycle) else {},
            "languages": LANGUAGES,
            "app": "insights",
        },
    )


def _linkable(request: HttpRequest, cycle: Cycle) -> dict[str, list[Any]]:
    """What staff may link to the current phase: the cluster's open needs, its events and projects."""
    from helix.events.models import Event
    from helix.market.models import Listing, Side
    from helix.projects.models import Project

    cluster = cycle.programme.cluster
    phase = core.PHASE_BY_CODE.get(cycle.state)
    if phase is None:
        return {}
    found: dict[str, list[Any]] = {}
    linked = cycle.links.filter(phase=cycle.state)
    if core.NEED in phase.links:
        needs = (
            Listing.objects.filter(side=Side.NEED, domains__cluster=cluster)
            .exclude(pk__in=linked.filter(need__isnull=False).values("need_id"))
            .distinct()
        )
        found[core.NEED] = list(
            scope(request.user, "view", needs).select_related("organisation").order_by("title")[:300]
        )
    if core.EVENT in phase.links:
        found[core.EVENT] = list(
            scope(
                request.user,
                "view",
                Event.objects.filter(cluster=cluster).exclude(
                    pk__in=linked.filter(event__isnull=False).values("event_id")
                ),
            ).order_by("title")[:300]
        )
    if core.PROJECT in phase.links:
        found[core.PROJECT] = list(
            scope(
                request.user,
                "view",
                Project.objects.filter(cluster=cluster).exclude(
                    pk__in=linked.filter(project__isnull=False).values("project_id")
                ),
            ).order_by("title")[:300]
        )
    return found


@login_required
@require_POST
def cycle_move(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk, "move")
    try:
        services.move_cycle(request.user, cycle, request.POST.get("target", ""))
    except InsightsError as error:
        for refusal in error.params.get("refusals") or [error]:
            messages.error(request, explain(InsightsError(refusal.code, phase=getattr(refusal, "phase", ""))))
    else:
        messages.success(request, _("The cycle moved to its next phase."))
    return redirect("programmes:cycle", cycle.pk)


@login_required
@require_POST
def cycle_link(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk, "link")
    kind, _sep, raw_id = request.POST.get("record", "").partition(":")
    try:
        record_id = int(raw_id)
    except ValueError:
        messages.error(request, _("Choose what to link."))
        return redirect("programmes:cycle", cycle.pk)
    try:
        services.link(request.user, cycle, cycle.state, kind, record_id)
    except InsightsError as error:
        messages.error(request, explain(error))
    else:
        messages.success(request, _("Linked to the phase."))
    return redirect("programmes:cycle", cycle.pk)


@login_required
@require_POST
def link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    phase_link = PhaseLink.objects.select_related("cycle__programme").filter(pk=pk).first()
    if phase_link is None or not can(request.user, "view", phase_link):
        raise Http404
    try:
        services.unlink(request.user, phase_link)
    except InsightsError as error:
        messages.error(request, explain(error))
    else:
        messages.success(request, _("Taken off the phase."))
    return redirect("programmes:cycle", phase_link.cycle_id)


@login_required
def output_new(request: HttpRequest, pk: int) -> HttpResponse:
    from helix.insights.forms import OutputForm

    cycle = _cycle(request, pk, "link")
    initial = {"phase": cycle.state if cycle.state in core.PHASE_BY_CODE else core.TRAJECTORIES}
    form = OutputForm(request.POST or None, cycle=cycle, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            output = services.add_output(request.user, cycle, form.cleaned_data)
        except InsightsError as error:
            form.add_error(error.field or None, explain(error))
        else:
            messages.success(request, _("The output is added."))
            return redirect("programmes:output", output.pk)
    return render(
        request,
        "insights/programme_form.html",
        {
            "form": form,
            "cycle": cycle,
            "programme": cycle.programme,
            "title": _("Add an output"),
            "app": "insights",
        },
        status=400 if form.errors else 200,
    )


def output_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An output: what it is, which working table made it, who reuses it, and (for the signed-in) the
    open needs it answers; an organisation records that it reuses it."""
    from helix.registry.permissions import own_organisation_id

    output = (
        Output.objects.select_related("cycle__programme__cluster", "project")
        .prefetch_related("domains", "project__members__organisation")
        .filter(pk=pk)
        .first()
    )
    if output is None or not can(request.user, "view", output):
        raise Http404
    reuses = scope(request.user, "view", output.reuses.all()).select_related("organisation")
    own = own_organisation_id(request.user)
    makers = {m.organisation_id for m in output.project.members.all()} if output.project else set()
    may_reuse = own is not None and own not in makers and can(request.user, "reuse", output)
    needs = services.needs_for_output(request.user, output) if request.user.is_authenticated else []
    return render(
        request,
        "insights/output.html",
        {
            "output": output,
            "cycle": output.cycle,
            "programme": output.cycle.programme,
            "reuses": reuses,
            "may_reuse": may_reuse,
            "reused_by_me": any(r.organisation_id == own for r in reuses),
            "needs": needs,
            "may_see_project": output.project is not None and can(request.user, "view", output.project),
            "app": "insights",
        },
    )


@login_required
@require_POST
def output_reuse(request: HttpRequest, pk: int) -> HttpResponse:
    output = Output.objects.select_related("project").filter(pk=pk).first()
    if output is None or not can(request.user, "reuse", output):
        raise Http404
    try:
        services.record_reuse(request.user, output, request.POST.get("note", ""))
    except InsightsError as error:
        messages.error(request, explain(error))
    else:
        messages.success(request, _("Your organisation is recorded as reusing this output."))
    return redirect("programmes:output", output.pk)


@login_required
@require_POST
def cycle_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the cycle's report (its period, its phases and outputs, the cluster's indicators over it) in
    a language; the job page shows its progress and ends on the download."""
    from helix.insights.tasks import JOB_KIND, build_report
    from helix.jobs.services import create_job

    cycle = _cycle(request, pk, "report")
    language = request.POST.get("language", "en")
    if language not in LANGUAGES:
        language = "en"
    end = min(cycle.ends_on, max(cycle.starts_on, timezone.localdate()))
    title = _("Report of %(programme)s, cycle %(n)s (%(language)s)") % {
        "programme": cycle.programme,
        "n": cycle.number,
        "language": language,
    }
    cluster = cycle.programme.cluster
    job = create_job(f"{JOB_KIND}:{cluster.pk}", str(title), request.user)
    build_report.enqueue(
        job.pk, cluster.pk, cycle.starts_on.isoformat(), end.isoformat(), language, cycle_id=cycle.pk
    )
    return redirect("jobs:detail", job.pk)
