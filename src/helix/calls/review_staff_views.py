"""The staff's review pages of a call: its reviewers (add, change, remove), the assignment (run it as a
background job, the assignments table with the last run's figures) and the ranking. Views parse, ask
the permission tables, call the services (helix.calls.review_services, review_assignment,
review_scoring) and render; every refusal is said by helix.calls.explain. The decision's pages are
helix.calls.decision_views."""

from __future__ import annotations

from typing import Any

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

from helix.calls import (
    explain,
    review_assignment,
    review_services,
)
from helix.calls.models import ApplicationStatus, Call, ReviewAssignment, Reviewer
from helix.calls.review_explain import review_problem_text
from helix.calls.review_scoring import score_call
from helix.calls.services import CallRefused
from helix.jobs.permissions import can_view_job
from helix.registry.models import Person
from helix.registry.permissions import can, scope


def call_for(request: HttpRequest, key: str, action: str) -> Call:
    """The call if the visitor may take ``action`` on it; 404 when they may not even see it, else 403."""
    call = Call.objects.select_related("cluster", "instrument").filter(key=key).first()
    if call is None or (not can(request.user, "view", call) and not can(request.user, action, call)):
        raise Http404
    if not can(request.user, action, call):
        raise PermissionDenied
    return call


def say_refusal(request: HttpRequest, refused: CallRefused) -> None:
    """The refusal and its reasons as the page's error message."""
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
    call = call_for(request, key, "edit")
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
    call = call_for(request, key, "edit")
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
        say_refusal(request, refused)
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
        say_refusal(request, refused)
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
    call = call_for(request, key, "view_applications")
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
    proposals = [str(a.pk) for a in applications]
    found_conflicts = (
        review_assignment.conflicts_of(call, proposals, people) if applications and people else {}
    )
    by_application: dict[str, list[dict[str, Any]]] = {}
    for (reviewer_id, application_id), reasons in sorted(found_conflicts.items()):
        by_application.setdefault(application_id, []).append(
            {"reviewer": by_id[reviewer_id].person, "why": ", ".join(review_problem_text(r) for r in reasons)}
        )
    rows = []
    for a in applications:
        found = list(a.assignments.all())
        conflicts = by_application.get(str(a.pk), [])
        rows.append(
            {
                "application": a,
                "assignments": found,
                "missing": max(0, call.reviews_per_application - len(found)),
                "conflicts": conflicts,
            }
        )
    caps = review_assignment.caps_of(call, people)
    for r in people:
        r.cap = caps.get(str(r.pk))  # type: ignore[attr-defined]
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
    call = call_for(request, key, "edit")
    try:
        job = review_assignment.start_assignment(request.user, call)
    except CallRefused as refused:
        say_refusal(request, refused)
        return redirect("calls:assignments", key=call.key)
    return redirect("jobs:detail", pk=job.pk)


# -- the ranking --------------------------------------------------------------------------------------------


@login_required
def ranking(request: HttpRequest, key: str) -> HttpResponse:
    call = call_for(request, key, "view_applications")
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
