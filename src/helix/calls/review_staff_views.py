"""The staff's review pages of a call: its reviewers (add, change, remove), the assignment (run it as a
background job, the assignments table with the last run's figures), the ranking, the decision (preview
by method and budget, confirm) with the awards, and the decision letters. Views parse, ask the
permission tables, call the services (helix.calls.review_services, review_assignment, review_scoring,
decision_services, letters) and render; every refusal is said by helix.calls.explain."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.calls import decision_services, explain, letters, review_assignment, review_services
from helix.calls.models import Application, ApplicationStatus, Call, CallStatus, ReviewAssignment, Reviewer
from helix.calls.review_explain import review_problem_text
from helix.calls.review_scoring import score_call
from helix.calls.services import CallRefused
from helix.jobs.permissions import can_view_job
from helix.registry.models import Person
from helix.registry.permissions import can, scope


def _call(request: HttpRequest, key: str, action: str) -> Call:
    """The call if the visitor may take ``action`` on it; 404 when they may not even see it, else 403."""
    call = Call.objects.select_related("cluster", "instrument").filter(key=key).first()
    if call is None or (not can(request.user, "view", call) and not can(request.user, action, call)):
        raise Http404
    if not can(request.user, action, call):
        raise PermissionDenied
    return call


def _refused(request: HttpRequest, refused: CallRefused) -> None:
    messages.error(request, explain.refusal_text(refused))


def _reviewers(call: Call) -> list[Reviewer]:
    return list(
        call.reviewers.select_related("person__organisation")
        .annotate(
            load=Count("assignments", distinct=True),
            submitted=Count(
                "assignments__review",
                filter=Q(assignments__review__submitted_at__isnull=False),
                distinct=True,
            ),
            conflicts=Count("declared_conflicts", distinct=True),
        )
        .order_by("person__last_name", "person__first_name", "pk")
    )


# -- reviewers ----------------------------------------------------------------------------------------------


@login_required
def reviewers(request: HttpRequest, key: str) -> HttpResponse:
    call = _call(request, key, "edit")
    people = (
        scope(request.user, "view", Person.objects.filter(user__isnull=False))
        .exclude(pk__in=call.reviewers.values("person_id"))
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )
    context = {"call": call, "reviewers": _reviewers(call), "people": people, "app": "calls"}
    return render(request, "calls/review/reviewers.html", context)


@login_required
@require_POST
def reviewer_add(request: HttpRequest, key: str) -> HttpResponse:
    call = _call(request, key, "edit")
    person = None
    if request.POST.get("person", "").isdigit():
        person = (
            scope(request.user, "view", Person.objects.all()).filter(pk=int(request.POST["person"])).first()
        )
    try:
        if person is None:
            raise CallRefused("reviewer.unknown_person", {})
        review_services.add_reviewer(
            request.user,
            call,
            person,
            expertise=request.POST.get("expertise", ""),
            max_reviews=request.POST.get("max_reviews", ""),
        )
    except CallRefused as refused:
        _refused(request, refused)
    else:
        messages.success(request, _("%(person)s reviews this call.") % {"person": person})
    return redirect("calls:reviewers", key=call.key)


@login_required
@require_POST
def reviewer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a reviewer's expertise and load (``action=save``) or remove them (``action=remove``)."""
    reviewer = (
        scope(request.user, "view", Reviewer.objects.select_related("call", "person")).filter(pk=pk).first()
    )
    if reviewer is None:
        raise Http404
    if not can(request.user, "edit", reviewer):
        raise PermissionDenied
    action = request.POST.get("action", "")
    try:
        if action == "save":
            review_services.update_reviewer(
                request.user,
                reviewer,
                expertise=request.POST.get("expertise", ""),
                max_reviews=request.POST.get("max_reviews", ""),
            )
            messages.success(request, _("The reviewer is saved."))
        elif action == "remove":
            review_services.remove_reviewer(request.user, reviewer)
            messages.success(
                request, _("%(person)s no longer reviews this call.") % {"person": reviewer.person}
            )
        else:
            raise CallRefused("reviewer.choose_action", {})
    except CallRefused as refused:
        _refused(request, refused)
    return redirect("calls:reviewers", key=reviewer.call.key)


# -- the assignment -----------------------------------------------------------------------------------------


def _last_run(request: HttpRequest, call: Call, names: dict[str, str]) -> dict[str, Any] | None:
    job = review_assignment.last_run(call)
    if job is None:
        return None
    result = dict(job.result or {})
    problems = [
        {
            "subject": names.get(str(p.get("subject", "")), ""),
            "text": explain.say(p["code"], p["params"], p["text"]),
        }
        for p in result.get("problems", [])
    ]
    return {
        "job": job,
        "link": reverse("jobs:detail", args=[job.pk]) if can_view_job(request.user, job) else "",
        "result": result,
        "greedy": result.get("greedy") or {},
        "problems": problems,
    }


@login_required
def assignments(request: HttpRequest, key: str) -> HttpResponse:
    """Per application in review its reviewers (with fit and review state), the conflicts that keep the
    others away and how many reviews it still lacks; per reviewer the load; the last run's figures."""
    call = _call(request, key, "view_applications")
    applications = list(
        call.applications.filter(status=ApplicationStatus.IN_REVIEW)
        .prefetch_related(
            "applicants__organisation",
            Prefetch(
                "assignments",
                queryset=ReviewAssignment.objects.select_related("reviewer__person", "review").order_by(
                    "reviewer__person__last_name", "pk"
                ),
            ),
        )
        .order_by("title", "pk")
    )
    people = _reviewers(call)
    by_id = {str(r.pk): r for r in people}
    inst = review_assignment.instance_of(call) if applications and people else None
    rows = []
    for a in applications:
        found = list(a.assignments.all())
        conflicts = []
        if inst is not None:
            for (reviewer_id, application_id), reasons in sorted(inst.conflicts.items()):
                if application_id == str(a.pk) and reviewer_id in by_id:
                    texts = ", ".join(review_problem_text(r) for r in reasons)
                    conflicts.append({"reviewer": by_id[reviewer_id].person, "why": texts})
        rows.append(
            {
                "application": a,
                "assignments": found,
                "missing": max(0, call.reviews_per_application - len(found)),
                "conflicts": conflicts,
            }
        )
    for r in people:
        r.cap = inst.caps.get(str(r.pk)) if inst is not None else None  # type: ignore[attr-defined]
    names = {str(a.pk): a.title for a in applications} | {str(r.pk): str(r.person) for r in people}
    context = {
        "call": call,
        "rows": rows,
        "reviewers": people,
        "run": _last_run(request, call, names),
        "may_run": can(request.user, "edit", call),
        "app": "calls",
    }
    return render(request, "calls/review/assignments.html", context)


@login_required
@require_POST
def assign(request: HttpRequest, key: str) -> HttpResponse:
    """Queue the assignment run and follow it on its job page (which links back here when done)."""
    call = _call(request, key, "edit")
    try:
        job = review_assignment.start_assignment(request.user, call)
    except CallRefused as refused:
        _refused(request, refused)
        return redirect("calls:assignments", key=call.key)
    return redirect("jobs:detail", pk=job.pk)


# -- the ranking --------------------------------------------------------------------------------------------


@login_required
def ranking(request: HttpRequest, key: str) -> HttpResponse:
    call = _call(request, key, "view_applications")
    severity = request.GET.get("severity") == "1"
    scoring = score_call(call, severity=severity, user=request.user)
    language = translation.get_language() or "en"
    criteria = [(c.id, scoring.rubric.label(c.id, language)) for c in scoring.rubric.rubric.criteria]
    people = scoring.reviewers
    rows = []
    for row in scoring.rows:
        s = row.score
        rows.append(
            {
                "application": row.application,
                "score": s,
                "criteria": [s.criteria[c] for c, _label in criteria] if s else [],
                "outliers": [
                    {"reviewer": people[r.reviewer].person if r.reviewer in people else "", "total": r.total}
                    for r in (s.reviews if s else ())
                    if r.outlier
                ],
                "flags": [review_problem_text(f) for f in (s.flags if s else ())],
                "why": [review_problem_text(p) for p in row.problems],
                "submitted": row.submitted,
            }
        )
    offsets = sorted(
        ((people[r].person if r in people else r, value) for r, value in scoring.scoring.offsets.items()),
        key=lambda item: item[1],
    )
    context = {
        "call": call,
        "rows": rows,
        "criteria": criteria,
        "severity": severity,
        "offsets": offsets,
        "scale": scoring.rubric.rubric.scale,
        "app": "calls",
    }
    return render(request, "calls/review/ranking.html", context)


# -- the decision and the awards ----------------------------------------------------------------------------


def _decision_params(data: Any, call: Call) -> dict[str, Any]:
    return {
        "method": data.get("method") or "rank",
        "budget": data.get("budget", "") if data.get("budget", "") != "" else None,
        "severity": data.get("severity") == "1",
    }


@login_required
def decision(request: HttpRequest, key: str) -> HttpResponse:
    call = _call(request, key, "decide")
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
            "warnings": [explain.problem_text(p) for p in decision_services.award_problems(a)]
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
    call = _call(request, key, "decide")
    params = _decision_params(request.POST, call)
    selected = [int(v) for v in request.POST.getlist("selected") if v.isdigit()]
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Confirm the decision with its button."))
        return _back_to_decision(call, params)
    try:
        preview = decision_services.confirm_decision(request.user, call, selected=selected, **params)
    except CallRefused as refused:
        _refused(request, refused)
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
    call = _call(request, key, "decide")
    application = None
    if request.POST.get("application", "").isdigit():
        application = call.applications.filter(pk=int(request.POST["application"])).first()
    try:
        if application is None:
            raise CallRefused("award.not_selected", {})
        made = decision_services.award(
            request.user,
            application,
            months=request.POST.get("months", ""),
            starts_on=request.POST.get("starts_on", ""),
        )
    except CallRefused as refused:
        _refused(request, refused)
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
