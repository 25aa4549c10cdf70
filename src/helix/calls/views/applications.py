"""An application's page: the form of its stage rendered from the call's definition in the reader's
language, saved as a draft by any applicant (a save on a stale copy keeps what the person typed and shows
what a partner saved meanwhile), its files, consortium, completeness, history and receipts; the
eligibility preview, submitting with a confirmation, the receipt, and the lifecycle's other moves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix import uploads
from helix.calls import convert, explain, partners, services
from helix.calls.models import Application, ApplicationStatus, Attachment, Submission
from helix.calls.permissions import application_roles, may_edit_answers
from helix.calls.views import answers
from helix.calls.views.shared import (
    deadline_view,
    language,
    moment,
    text_in,
    visible_application,
    visitor_zone,
)
from helix.core.calls import lifecycle
from helix.core.calls.form_answers import check_answers
from helix.core.calls.form_fields import FieldProblem, FieldType
from helix.registry.models import Organisation
from helix.registry.permissions import can, own_organisation_id, scope

# The moves these pages offer: submitting has its own page, eligibility is judged by the staff's button
# and the decisions (select, reject, fund) are the review's.
OFFERED_MOVES = (ApplicationStatus.DRAFT, ApplicationStatus.IN_REVIEW, ApplicationStatus.WITHDRAWN)
DECIDED = (ApplicationStatus.FUNDED, ApplicationStatus.REJECTED, ApplicationStatus.SELECTED)


def may_submit(moves: list[Any]) -> bool:
    """Whether the lifecycle offers the visitor the submission (the lead's people, a draft)."""
    return any(m.target == ApplicationStatus.SUBMITTED for m in moves)


def names_of(application: Application) -> dict[str, str]:
    return {str(a.organisation_id): a.organisation.name for a in application.applicants.all()}


def _attachments(application: Application, stage: str) -> dict[str, Attachment]:
    """The current file of each file field of ``stage`` (the one its answer names)."""
    saved = application.answers.get(stage, {})
    ids = {name: v["attachment"] for name, v in saved.items() if isinstance(v, dict) and v.get("attachment")}
    found = {a.pk: a for a in Attachment.objects.filter(application=application, pk__in=ids.values())}
    return {name: found[pk] for name, pk in ids.items() if pk in found}


def _consortium(request: HttpRequest, application: Application, editable: bool, lead: bool) -> dict[str, Any]:
    user = request.user
    applicants = list(application.applicants.all())
    visible = set(
        scope(
            user, "view", Organisation.objects.filter(pk__in=[a.organisation_id for a in applicants])
        ).values_list("pk", flat=True)
    )
    mine = own_organisation_id(user)
    query = request.GET.get("partner", "").strip()[:100]
    return {
        "applicants": [
            {
                "applicant": a,
                "visible": a.organisation_id in visible,
                "removable": editable and lead and not a.lead,
                "leavable": editable and not lead and not a.lead and a.organisation_id == mine,
            }
            for a in applicants
        ],
        "may_add": editable and lead,
        "partner_query": query,
        "found": partners.find_partners(user, application, query) if query and editable and lead else None,
    }


def page(
    request: HttpRequest,
    application: Application,
    *,
    typed: Mapping[str, Any] | None = None,
    merged: answers.Merge | None = None,
    file_problems: Mapping[str, list[str]] | None = None,
    unsaved: Mapping[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The application's page; ``typed`` the answers the person posted when their save was refused
    (shown instead of the saved ones), ``merged`` a stale save's merge with a partner's answers,
    ``unsaved`` answers posted to an application that can no longer change (shown to be copied)."""
    user = request.user
    stage = services.stage_form(application)
    roles = application_roles(user, application)
    editable = may_edit_answers(user, application)
    moves = services.application_moves(user, application)
    lead = lifecycle.APPLICANT in roles
    saved = convert.stage_answers(application, stage)
    if merged is not None:
        typed = merged.answers
    shown = {**saved, **typed} if typed is not None else saved
    drafted = check_answers(stage.form, shown, submit=False)
    completeness = check_answers(stage.form, saved, submit=False)
    zone, _chosen = visitor_zone(request)
    names = names_of(application)
    context: dict[str, Any] = {
        "application": application,
        "call": application.call,
        "call_title": text_in(convert.definition(application.call).title) or application.call.title,
        "stage_label": text_in(stage.label),
        "deadline": deadline_view(stage.deadline, zone),
        "sections": answers.sections(
            stage,
            shown,
            drafted.problems,
            saved=saved,
            merged=merged,
            attachments=_attachments(application, stage.name),
            file_problems=file_problems,
            names=names,
        ),
        "completeness": {"filled": completeness.required_filled, "total": completeness.required_total},
        "editable": editable,
        "is_lead": lead,
        "stale": merged is not None,
        "consortium": _consortium(request, application, editable, lead),
        "history": [
            {
                "at": moment(c.changed_at, zone),
                "source": explain.application_state(c.from_status) if c.from_status else "",
                "target": explain.application_state(c.to_status),
                "note": c.note,
            }
            for c in application.changes.order_by("changed_at", "pk")
        ],
        "submissions": [
            {"submission": s, "at": moment(s.submitted_at, zone)}
            for s in application.submissions.order_by("-submitted_at")
        ],
        "moves": [
            {"target": m.target, "label": explain.application_move_label(application.status, m.target)}
            for m in moves
            if m.target in OFFERED_MOVES
        ],
        "may_submit": may_submit(moves),
        "staff": lifecycle.STAFF in roles,
        "judged": [
            {"passed": o.get("passed"), "text": explain.outcome_text(o, names)}
            for o in application.eligibility or ()
        ],
        "unsaved": [
            {"label": f.label_in(language()), "text": answers.shown(f, unsaved[f.name], names)}
            for f in stage.form.fields
            if unsaved is not None
            and f.name in unsaved
            and answers.digest(f, unsaved[f.name]) != answers.digest(f, saved.get(f.name))
        ],
        "language_label": dict(settings.LANGUAGES).get(application.language, application.language),
        # the decision, once taken: the award and the project it became, the letter to those who may read it
        "award": (
            getattr(application, "award", None) if application.status == ApplicationStatus.FUNDED else None
        ),
        "project_visible": application.project is not None and can(user, "view", application.project),
        "letter": application.status in DECIDED and can(user, "view_letter", application),
        "app": "calls",
    }
    return render(request, "calls/application.html", context, status=status)


def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    return page(request, visible_application(request, pk))


def _attach_files(request: HttpRequest, application: Application) -> dict[str, list[str]]:
    """Attach each file posted for a file field of the present stage; the refusals by field."""
    stage = services.stage_form(application)
    refused: dict[str, list[str]] = {}
    for f in stage.form.fields:
        upload = request.FILES.get(f.name) if f.type is FieldType.FILE else None
        if upload is None:
            continue
        try:
            uploads.check_size(upload)
            services.attach(request.user, application, f.name, upload)
        except ValidationError as exc:
            refused[f.name] = list(exc.messages)
        except services.CallRefused as no:
            refused[f.name] = [explain.problem_text(p) for p in no.problems] or [explain.refusal_text(no)]
    return refused


@login_required
@require_POST
def save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the draft's answers on the revision the form was drawn from, then its files."""
    application = visible_application(request, pk)
    if not can(request.user, "edit", application):
        raise PermissionDenied
    revision = request.POST.get("revision", "")
    if not revision.isdigit() or len(revision) > 9:
        return HttpResponseBadRequest(_("The form was sent without the revision it was drawn from."))
    stage = services.stage_form(application)
    typed = answers.posted_changes(stage, request.POST)
    try:
        services.save_answers(request.user, application, typed, revision=int(revision))
    except services.CallRefused as refused:
        if refused.code == "application.not_editable":  # submitted or withdrawn meanwhile
            messages.error(request, explain.refusal_text(refused))
            return page(request, visible_application(request, pk), unsaved=typed)
        refused_files = _attach_files(request, application)
        application = visible_application(request, pk)
        if refused.code == "application.stale":  # the page says so above the form
            saved = convert.stage_answers(application, stage)
            merged = answers.merge(stage, typed, saved, request.POST)
            return page(request, application, merged=merged, file_problems=refused_files)
        messages.error(request, explain.refusal_text(refused))
        return page(request, application, typed=typed, file_problems=refused_files)
    refused_files = _attach_files(request, application)
    if refused_files:
        messages.error(request, _("The answers are saved; a file was not accepted (see beside it)."))
        return page(request, visible_application(request, pk), file_problems=refused_files)
    messages.success(request, _("The draft is saved."))
    return redirect("calls:application", pk=application.pk)


def eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    """The call's rules judged on the application as it stands (nothing is written)."""
    application = visible_application(request, pk)
    judged = services.eligibility_of(application)
    names = names_of(application)
    return render(
        request,
        "calls/eligibility.html",
        {
            "application": application,
            "outcomes": [
                {"passed": o.passed, "text": explain.outcome_text(o, names)} for o in judged.outcomes
            ],
            "eligible": judged.eligible,
            "app": "calls",
        },
    )


def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what will be sent and what is still missing; POST: submit (the lead applicant's people)."""
    application = visible_application(request, pk)
    if not can(request.user, "transition", application):
        raise PermissionDenied
    if request.method == "POST":
        try:
            submission = services.submit(request.user, application)
        except services.CallRefused as refused:
            messages.error(request, explain.refusal_text(refused))
            return redirect("calls:submit", pk=application.pk)
        messages.success(request, _("The application is submitted. Keep this receipt."))
        return redirect("calls:receipt", pk=submission.pk)
    stage = services.stage_form(application)
    checked = services.check(application, submit=True)
    zone, _chosen = visitor_zone(request)
    return render(
        request,
        "calls/submit.html",
        {
            "application": application,
            "stage_label": text_in(stage.label),
            "deadline": deadline_view(stage.deadline, zone),
            "problems": _problems_by_label(stage, checked.problems),
            "ready": checked.ok,
            "may_submit": may_submit(services.application_moves(request.user, application)),
            "answers": answers.answers_shown(
                stage, convert.stage_answers(application, stage), names_of(application)
            ),
            "app": "calls",
        },
    )


def _problems_by_label(stage: Any, problems: tuple[FieldProblem, ...]) -> list[dict[str, str]]:
    labels = {f.name: f.label_in(language()) for f in stage.form.fields}
    return [
        {"field": p.name, "label": labels.get(p.name, p.name), "text": explain.problem_text(p)}
        for p in problems
    ]


def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """A submission's receipt: its code, when (in UTC, the deadline's zone and the visitor's), its digest,
    and the answers and files as sent; printable."""
    submission = (
        scope(request.user, "view", Submission.objects.select_related("application", "application__call"))
        .filter(pk=pk)
        .first()
    )
    if submission is None:
        raise Http404
    application = submission.application
    stage = convert.stage_of(application.call, submission.stage)
    zone, _chosen = visitor_zone(request)
    organisation_ids = {
        int(i)
        for f in stage.form.fields
        if f.type is FieldType.ORGANISATIONS
        for i in submission.answers.get(f.name) or ()
        if str(i).isdigit()
    }
    names = {
        str(o.pk): o.name for o in Organisation.objects.filter(pk__in=organisation_ids).only("pk", "name")
    }
    files = {(a.field, a.sha256): a for a in application.attachments.filter(stage=submission.stage)}
    return render(
        request,
        "calls/receipt.html",
        {
            "submission": submission,
            "application": application,
            "call_title": text_in(convert.definition(application.call).title) or application.call.title,
            "stage_label": text_in(stage.label),
            "at_utc": moment(submission.submitted_at, "UTC"),
            "at_deadline_zone": moment(submission.submitted_at, stage.deadline.zone)
            if stage.deadline
            else "",
            "deadline_zone": stage.deadline.zone if stage.deadline else "",
            "at_visitor_zone": moment(submission.submitted_at, zone),
            "visitor_zone": zone,
            "answers": answers.answers_shown(stage, submission.answers, names),
            "files": [
                {**f, "attachment": files.get((f.get("field"), f.get("sha256")))}
                for f in submission.attachments or ()
            ],
            "app": "calls",
        },
    )


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """A lifecycle move other than submitting and the decisions: withdraw, reopen, send to review."""
    application = visible_application(request, pk)
    target = request.POST.get("target", "")
    try:
        services.move_application(request.user, application, target, request.POST.get("note", "")[:300])
    except services.CallRefused as refused:
        messages.error(request, explain.refusal_text(refused))
    else:
        messages.success(
            request, _("The application is now “%(state)s”.") % {"state": explain.application_state(target)}
        )
    return redirect("calls:application", pk=application.pk)
