"""The dashboard (pipeline and totals over time), the impact factors, and matching and allocation runs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.actions import error_text
from helix.params import NotANumber, finite_number
from helix.registry.models import Region
from helix.registry.permissions import can, is_cluster_staff, may
from helix.symbiosis import allocation, impact, matching, synergy_workflow, visibility
from helix.symbiosis.models import (
    AllocationRun,
    ResourceFlow,
    SynergyState,
)
from helix.symbiosis.views import APP


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period", "quarter")
    if period not in ("month", "quarter", "year"):
        period = "quarter"
    staff = is_cluster_staff(request.user)
    shows_runs = may(request.user, "view", AllocationRun)
    runs = list(AllocationRun.objects.select_related("job")[:10]) if shows_runs else []
    for run in runs:
        run.region_label = matching.region_label(run.region)
    counts = synergy_workflow.pipeline_counts(request.user)
    return render(
        request,
        "symbiosis/dashboard.html",
        {
            "totals": synergy_workflow.totals(request.user, period),
            "period": period,
            "counts": [(state, label, counts[state]) for state, label in SynergyState.choices],
            "staff": staff,
            "runs": runs,
            "regions": Region.choices,
            "app": APP,
        },
    )


@login_required
def factors(request: HttpRequest) -> HttpResponse:
    staff = impact.can_edit_factors(request.user)  # one table for every cluster: the superuser only
    if request.method == "POST":
        if not staff:
            raise PermissionDenied
        try:
            impact.set_factor(
                request.user,
                request.POST.get("key", ""),
                finite_number(request.POST.get("value"), low=0),
                request.POST.get("source", ""),
            )
            messages.success(request, _("Impact factor saved; new estimates use it."))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        except NotANumber as exc:  # also NaN and Infinity: one cluster's factor feeds every estimate
            messages.error(request, exc.text)
        return redirect("symbiosis:factors")
    return render(
        request, "symbiosis/factors.html", {"rows": impact.factor_table(), "staff": staff, "app": APP}
    )


@login_required
@require_POST
def run_matching(request: HttpRequest) -> HttpResponse:
    try:
        job = matching.start_matching(request.user, request.POST.get("region", ""))
    except PermissionDenied:
        messages.error(request, _("Only cluster staff run the matching."))
        return redirect("symbiosis:dashboard")
    messages.success(request, _("Matching started; the proposals appear when it ends."))
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_POST
def run_allocation(request: HttpRequest) -> HttpResponse:
    try:
        run = allocation.start_allocation(
            request.user,
            request.POST.get("region", ""),
            finite_number(request.POST.get("fixed_cost_per_link"), default=0.0, low=0),
        )
    except PermissionDenied:
        messages.error(request, _("Only cluster staff run the allocation."))
        return redirect("symbiosis:dashboard")
    except (ValidationError, NotANumber):
        messages.error(request, _("The fixed cost per link must be a number of at least zero."))
        return redirect("symbiosis:dashboard")
    return redirect("symbiosis:allocation", pk=run.pk)


@login_required
def allocation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(AllocationRun.objects.select_related("job"), pk=pk)
    if not can(request.user, "view", run):
        raise PermissionDenied
    flows = {}
    assignments = []
    optimal = (run.result or {}).get("optimal") or {}
    ids = {a["have"] for a in optimal.get("assignments", [])} | {
        a["want"] for a in optimal.get("assignments", [])
    }
    viewable = visibility.viewable_flow_ids(request.user, ids)  # a run may span other clusters' flows
    for f in ResourceFlow.objects.filter(pk__in=ids).select_related("organisation", "site"):
        flows[f.pk] = visibility.flow_shown(request.user, f, viewable)
    for a in sorted(optimal.get("assignments", []), key=lambda a: a["cost_eur"])[:300]:
        assignments.append({**a, "have_flow": flows.get(a["have"]), "want_flow": flows.get(a["want"])})
    return render(
        request,
        "symbiosis/allocation.html",
        {
            "run": run,
            "region_label": Region(run.region).label if run.region in Region.values else run.region,
            "result": run.result,
            "assignments": assignments,
            "app": APP,
        },
    )
