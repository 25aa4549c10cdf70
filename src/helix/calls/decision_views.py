"""The staff's decision page of a call (preview by method and budget, confirm), the awards that follow
it, and the decision letters. Views parse, ask the permission tables, call helix.calls.decision_services,
award_services and letters, and render; every refusal is said by helix.calls.explain."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.calls import award_services, decision_services, explain, letters
from helix.calls.models import Application, ApplicationStatus, Call, CallStatus
from helix.calls.review_explain import review_problem_text
from helix.calls.review_staff_views import call_for, say_refusal
from helix.calls.services import CallRefused
from helix.registry.permissions import scope


def _decision_params(data: Any, call: Call) -> dict[str, Any]:
    return {
        "method": data.get("method") or "rank",
        "budget": data.get("budget", "") if data.get("budget", "") != "" else None,
        "severity": data.get("severity") == "1",
    }


@login_required
def decision(request: HttpRequest, key: str) -> HttpResponse:
    call = call_for(request, key, "decide")
    params = _decision_params(request.GET, call)
    preview, refusal = None, ""
    try:
        preview = decision_services.preview_decision(request.user, call, **params)
    except CallRefused as refused:
        refusal = explain.refusal_text(refused)
    titles: dict[str, Application] = {}
    if preview is not None:
        titles = {str(row.application.pk): row.application for row in preview.scoring.rows}
    chosen = [
        {"application": titles[c.proposal], "score": c.score, "amount": c.amount}
        for c in (preview.candidates if preview else ())
        if c.proposal in (preview.selection.selected if preview else ())
    ]
    left_out = [
        {"application": titles[p], "why": review_problem_text(reason)}
        for p, reason in (preview.selection.reasons.items() if preview else ())
    ]
    decided = list(
        call.applications.filter(
            status__in=[ApplicationStatus.SELECTED, ApplicationStatus.FUNDED, ApplicationStatus.REJECTED]
        )
        .select_related("project", "award", "call__instrument")
        .order_by("status", "title", "pk")
    )
    # the caps are checked on demand: one check reads an instrument's ledger for each award to make
    check = request.GET.get("check") == "1"
    awards = [
        {
            "application": a,
            "warnings": [explain.problem_text(p) for p in award_services.award_problems(a)]
            if check and a.status == ApplicationStatus.SELECTED
            else [],
        }
        for a in decided
    ]
    context = {
        "call": call,
        "params": params,
        "budget_text": request.GET.get("budget", ""),
        "methods": [
            ("rank", _("Down the ranking, skipping what the money left does not cover")),
            ("rank-stop", _("Down the ranking, stopping at the first the money left does not cover")),
            ("optimal", _("The largest total score within the budget (optimal)")),
        ],
        "preview": preview,
        "refusal": refusal,
        "chosen": chosen,
        "left_out": left_out,
        "may_confirm": preview is not None and call.status == CallStatus.REVIEWING and not preview.unranked,
        "awards": awards,
        "checked": check,
        "app": "calls",
    }
    return render(request, "calls/review/decision.html", context)


def _back_to_decision(call: Call, params: dict[str, Any]) -> HttpResponse:
    query = {
        "method": params["method"],
        "budget": params["budget"] or "",
        "severity": "1" if params["severity"] else "",
    }
    return redirect(f"{reverse('calls:decision', kwargs={'key': call.key})}?{urlencode(query)}")


@login_required
@require_POST
def decision_confirm(request: HttpRequest, key: str) -> HttpResponse:
    call = call_for(request, key, "decide")
    params = _decision_params(request.POST, call)
    selected = [int(v) for v in request.POST.getlist("selected") if v.isdigit()]
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Confirm the decision with its button."))
        return _back_to_decision(call, params)
    try:
        preview = decision_services.confirm_decision(request.user, call, selected=selected, **params)
    except CallRefused as refused:
        say_refusal(request, refused)
    else:
        messages.success(
            request,
            _("The decision is recorded: %(selected)d selected, %(rejected)d not selected.")
            % {
                "selected": len(preview.selection.selected),
                "rejected": len(preview.candidates) - len(preview.selection.selected),
            },
        )
    return _back_to_decision(call, params)


@login_required
@require_POST
def award(request: HttpRequest, key: str) -> HttpResponse:
    call = call_for(request, key, "decide")
    application = None
    if request.POST.get("application", "").isdigit():
        application = call.applications.filter(pk=int(request.POST["application"])).first()
    try:
        if application is None:
            raise CallRefused("award.not_selected", {})
        made = award_services.award(
            request.user,
            application,
            months=request.POST.get("months", ""),
            starts_on=request.POST.get("starts_on", ""),
        )
    except CallRefused as refused:
        say_refusal(request, refused)
    else:
        messages.success(
            request,
            _("“%(title)s” is funded: its amount is committed and its project approved.")
            % {"title": made.application.title},
        )
    return redirect("calls:decision", key=call.key)


@login_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision letter as PDF, for those who may read it (the staff; the applicants once decided)."""
    application = (
        scope(request.user, "view_letter", Application.objects.select_related("call__cluster", "project"))
        .filter(pk=pk)
        .first()
    )
    if application is None or not letters.has_letter(application):
        raise Http404
    response = HttpResponse(letters.letter_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="decision-{application.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
