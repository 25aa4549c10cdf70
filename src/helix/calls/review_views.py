"""The reviewer's pages: my reviews (the assignments across calls), the review page (the application as
submitted, its attachments through the assignment, the rubric in the reader's language with score
inputs within each criterion's scale, draft save, submit, declare a conflict). Views parse, ask the
permission tables (helix.calls.permissions), call helix.calls.review_services and render."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.calls import convert, explain, review_services
from helix.calls.models import Attachment, Review, ReviewAssignment, Submission
from helix.calls.services import CallRefused
from helix.core.calls.form_fields import FieldType
from helix.core.specs import translated
from helix.private_files import send_private_file
from helix.registry.permissions import can, scope


def _assignment(request: HttpRequest, pk: int) -> ReviewAssignment:
    """The assignment if the visitor may see it (its reviewer without a conflict, the staff); else 404."""
    found = (
        scope(
            request.user,
            "view",
            ReviewAssignment.objects.select_related(
                "application__call__cluster", "reviewer__person__organisation"
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


@login_required
def my_reviews(request: HttpRequest) -> HttpResponse:
    """The visitor's assignments across calls (those they may see: none they declared a conflict with)."""
    assignments = list(
        scope(request.user, "view", ReviewAssignment.objects.all())
        .filter(reviewer__person__user_id=request.user.pk)
        .select_related("application__call", "review")
        .order_by("-application__call__created_at", "application__title", "pk")
    )
    rows = []
    for a in assignments:
        review = getattr(a, "review", None)
        rows.append(
            {
                "assignment": a,
                "call": a.application.call,
                "application": a.application,
                "state": "submitted" if review and review.submitted_at else "draft" if review else "new",
                "can_review": a.application.status == "in_review",
            }
        )
    return render(request, "calls/review/my_reviews.html", {"rows": rows, "app": "calls"})


def _answers(
    assignment: ReviewAssignment, language: str
) -> tuple[Submission | None, list[dict[str, Any]], list[Attachment]]:
    """The application as submitted at its stage: each answered field with its label in ``language``,
    and the files sent with it (those of the submission, else the present ones)."""
    application = assignment.application
    stage = convert.stage_of(application.call, application.stage)
    submission = (
        Submission.objects.filter(application=application, stage=stage.name)
        .order_by("-submitted_at", "-pk")
        .first()
    )
    answers = submission.answers if submission is not None else application.answers.get(stage.name, {})
    rows = []
    for f in stage.form.fields:
        value = answers.get(f.name)
        if value in (None, "", []) or f.type in (FieldType.ORGANISATIONS, FieldType.FILE):
            continue
        shown: Any = value
        if f.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
            labels = {o.value: translated(o.label, language) for o in f.options}
            chosen = value if isinstance(value, list) else [value]
            shown = ", ".join(labels.get(str(v), str(v)) for v in chosen)
        elif f.type is FieldType.YES_NO:
            shown = _("yes") if value else _("no")
        rows.append({"label": f.label_in(language), "value": shown, "long": f.type is FieldType.LONG_TEXT})
    if submission is not None:
        sent = {str(item.get("sha256", "")) for item in submission.attachments if isinstance(item, dict)}
    else:
        sent = {str(v.get("sha256", "")) for v in answers.values() if isinstance(v, dict) and v.get("sha256")}
    files = [
        a
        for a in Attachment.objects.filter(application=application).order_by("field", "pk")
        if a.sha256 in sent
    ]
    return submission, rows, files


def _criteria(assignment: ReviewAssignment, scores: dict[str, Any], language: str) -> list[dict[str, Any]]:
    rubric = review_services.rubric_of(assignment.application.call)
    return [
        {
            "id": c.id,
            "label": rubric.label(c.id, language),
            "help": rubric.help_in(c.id, language),
            "minimum": c.minimum,
            "maximum": c.maximum,
            "weight": c.weight,
            "value": "" if scores.get(c.id) is None else scores[c.id],
        }
        for c in rubric.rubric.criteria
    ]


def _review_page(
    request: HttpRequest,
    assignment: ReviewAssignment,
    *,
    posted: dict[str, Any] | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    language = translation.get_language() or "en"
    review = Review.objects.filter(assignment=assignment).first()
    scores = posted["scores"] if posted else (review.scores if review else {})
    submission, answers, files = _answers(assignment, language)
    mine = assignment.reviewer.person.user_id == request.user.pk
    context = {
        "assignment": assignment,
        "application": assignment.application,
        "call": assignment.application.call,
        "applicants": list(assignment.application.applicants.select_related("organisation")),
        "submission": submission,
        "answers": answers,
        "files": files,
        "criteria": _criteria(assignment, scores, language),
        "review": review,
        "comment": posted["comment"] if posted else (review.comment if review else ""),
        "staff_note": posted["staff_note"] if posted else (review.staff_note if review else ""),
        "editable": mine and can(request.user, "review", assignment) and not (review and review.submitted_at),
        "may_declare": mine and can(request.user, "declare_conflict", assignment),
        "problems": problems or [],
        "app": "calls",
    }
    return render(request, "calls/review/review.html", context, status=status)


@login_required
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, _assignment(request, pk))


@login_required
@require_POST
def review_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the draft; with ``action=submit``, then submit it. A refusal shows the page again with what
    was typed and why."""
    assignment = _assignment(request, pk)
    if not can(request.user, "review", assignment):
        raise PermissionDenied
    rubric = review_services.rubric_of(assignment.application.call)
    scores = {c.id: request.POST.get(f"score-{c.id}", "") for c in rubric.rubric.criteria}
    posted = {
        "scores": scores,
        "comment": request.POST.get("comment", ""),
        "staff_note": request.POST.get("staff_note", ""),
    }
    submit = request.POST.get("action") == "submit"
    try:
        review_services.save_review(
            request.user, assignment, scores, comment=posted["comment"], staff_note=posted["staff_note"]
        )
        if submit:
            review_services.submit_review(request.user, assignment)
    except CallRefused as refused:
        head = explain.say(refused.code, refused.params)
        reasons = [explain.problem_text(p) for p in refused.problems]
        return _review_page(request, assignment, posted=posted, problems=[head, *reasons])
    messages.success(request, _("The review is submitted.") if submit else _("The draft is saved."))
    return redirect("calls:review", pk=assignment.pk)


@login_required
@require_POST
def review_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewer declares a conflict of interest (confirmed by a tick): the assignment goes."""
    assignment = _assignment(request, pk)
    if not can(request.user, "declare_conflict", assignment):
        raise PermissionDenied
    if request.POST.get("confirm") != "yes":
        messages.error(request, explain.say("conflict.confirm", {}))
        return redirect("calls:review", pk=assignment.pk)
    review_services.declare_conflict(request.user, assignment, request.POST.get("note", ""))
    messages.success(
        request,
        _(
            "Your conflict of interest with “%(title)s” is recorded; the application is no longer yours to "
            "review."
        )
        % {"title": assignment.application.title},
    )
    return redirect("calls:my_reviews")


@login_required
def review_attachment(request: HttpRequest, pk: int, attachment: int) -> HttpResponse:
    """A file the application was submitted with, downloaded through the assignment that shows it (a
    draft's later uploads are not the reviewers')."""
    assignment = _assignment(request, pk)
    _submission, _rows, files = _answers(assignment, translation.get_language() or "en")
    found = next((f for f in files if f.pk == attachment), None)
    if found is None:
        raise Http404
    return send_private_file(Path(found.file.path), found.name)
