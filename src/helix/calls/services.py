"""Calls and applications: open a call, apply to it together, save drafts, attach files, submit with a
receipt, judge eligibility, move through the lifecycles. Each service asks the permission tables
(helix.calls.permissions) and the core's rules (helix.core.calls) and writes in one transaction: a
status never changes without its dated history row, and nothing is half-written.

Co-applicants edit one draft together. A save names the ``revision`` it was made on; a save on a stale
copy is refused (``application.stale``) instead of overwriting what a partner saved meanwhile, and only
the fields the save carries change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from helix.calls import convert
from helix.calls.models import (
    Applicant,
    Application,
    ApplicationChange,
    ApplicationStatus,
    Attachment,
    Call,
    CallChange,
    CallStatus,
    Submission,
)
from helix.calls.permissions import application_roles, call_roles, may_apply_for, may_edit_answers
from helix.calls.validation import validate_call
from helix.core.calls import lifecycle
from helix.core.calls.eligibility import evaluate
from helix.core.calls.eligibility_facts import Eligibility
from helix.core.calls.form_answers import check_answers, check_value, is_filled
from helix.core.calls.form_fields import FieldType, FormCheck, StageForm
from helix.core.workflow import TransitionNotAllowed
from helix.funds.models import Instrument
from helix.registry.models import Cluster, Organisation
from helix.registry.permissions import can

MAX_ANSWERS_BYTES = 1_000_000  # one stage's answers as JSON: a long proposal is ~100 kB


class CallRefused(Exception):
    """A rule said no: ``code`` and ``params`` for the edge to translate (helix.calls.explain),
    ``problems`` the coded reasons behind it (a form's field problems, failed eligibility rules)."""

    def __init__(self, code: str, params: dict[str, object] | None = None, problems: tuple[Any, ...] = ()):
        super().__init__(code)
        self.code, self.params, self.problems = code, params or {}, problems


def _who(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


# -- calls --------------------------------------------------------------------------------------------------


@transaction.atomic
def create_call(
    user: Any,
    cluster: Cluster,
    definition: dict[str, Any],
    *,
    instrument: Instrument | None = None,
    visibility: str = "public",
    summary: str = "",
    reviews_per_application: int = 3,
) -> Call:
    """A draft call of ``cluster`` from its ``definition`` (refused with every problem of it named)."""
    call = Call(
        cluster=cluster,
        key=str(definition.get("id", "")),
        definition=definition,
        instrument=instrument,
        visibility=visibility,
        summary=summary,
        reviews_per_application=reviews_per_application,
        created_by=_who(user),
    )
    if not can(user, "create", call):
        raise PermissionDenied
    validate_call(call)  # a ValidationError names every problem of the definition by its path
    core_definition = convert.definition(call)
    call.title = core_definition.title.get("en", call.key)[:200]
    call.programme = core_definition.programme[:200]
    call.budget_eur = core_definition.budget_eur
    call.save()
    CallChange.objects.create(call=call, to_status=call.status, changed_by=_who(user))
    return call


def call_moves(user: Any, call: Call) -> list[lifecycle.Transition]:
    return lifecycle.CALL_WORKFLOW.available(call.status, call_roles(user, call))


@transaction.atomic
def move_call(user: Any, call: Call, target: str, note: str = "") -> Call:
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not can(user, "transition", call):
        raise PermissionDenied
    try:
        lifecycle.CALL_WORKFLOW.check(call.status, target, call_roles(user, call))
    except TransitionNotAllowed:
        raise CallRefused("call.move_not_allowed", {"from": call.status, "to": target}) from None
    if (
        target == CallStatus.REVIEWING
        and call.applications.filter(status=ApplicationStatus.SUBMITTED).exists()
    ):
        raise CallRefused("call.unjudged_applications", {})
    return _set_call_status(call, target, user, note)


def _set_call_status(call: Call, target: str, user: Any, note: str) -> Call:
    source = call.status
    call.status = target
    call.revision += 1
    Call.objects.filter(pk=call.pk).update(status=target, revision=call.revision)
    CallChange.objects.create(
        call=call, from_status=source, to_status=target, changed_by=_who(user), note=note
    )
    return call


def close_due_calls(now: dt.datetime | None = None) -> list[Call]:
    """Close every open call whose last stage's deadline has passed (the worker's clock)."""
    now = now or timezone.now()
    closed = []
    for call in Call.objects.filter(status=CallStatus.OPEN):
        deadline = convert.definition(call).stages[-1].deadline
        if deadline is None or deadline.in_time(now):
            continue
        with transaction.atomic():
            locked = Call.objects.select_for_update().get(pk=call.pk)
            if locked.status == CallStatus.OPEN:
                closed.append(_set_call_status(locked, CallStatus.CLOSED, None, "deadline passed"))
    return closed


# -- applications ---------------------------------------------------------------------------------------


def stage_form(application: Application) -> StageForm:
    return convert.stage_of(application.call, application.stage)


def application_moves(user: Any, application: Application) -> list[lifecycle.Transition]:
    """The moves ``user`` may make on ``application`` now: what pages and API offer."""
    if not can(user, "transition", application):
        return []
    moves = lifecycle.APPLICATION_WORKFLOW.available(application.status, application_roles(user, application))
    if application.status == ApplicationStatus.SELECTED and not convert.definition(
        application.call
    ).next_stage(application.stage):
        moves = [m for m in moves if m.target != ApplicationStatus.DRAFT]
    return moves


@transaction.atomic
def start_application(
    user: Any, call: Call, lead: Organisation, title: str, *, language: str = "en"
) -> Application:
    """A draft application of ``lead`` to the open ``call``, at the call's first stage."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not can(user, "apply", call):
        raise (
            CallRefused("call.not_open", {"status": call.status})
            if can(user, "view", call)
            else PermissionDenied()
        )
    if not may_apply_for(user, lead):
        raise PermissionDenied
    title = " ".join(title.split())[:200]
    if not title:
        raise CallRefused("application.title_required", {})
    first = convert.definition(call).stages[0]
    application = Application.objects.create(
        call=call,
        stage=first.name,
        title=title,
        language=language,
        answers={first.name: {"title": title}} if first.form.field("title") else {},
        created_by=_who(user),
        updated_by=_who(user),
    )
    Applicant.objects.create(application=application, organisation=lead, lead=True, added_by=_who(user))
    ApplicationChange.objects.create(
        application=application, to_status=application.status, changed_by=_who(user)
    )
    return application


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "call__cluster")
        .get(pk=application.pk)
    )


def _editable(user: Any, application: Application) -> None:
    if not can(user, "edit", application):
        raise PermissionDenied
    if not may_edit_answers(user, application):
        raise CallRefused("application.not_editable", {"status": application.status})


@transaction.atomic
def add_co_applicant(user: Any, application: Application, organisation: Organisation) -> Applicant:
    """Add ``organisation`` as a co-applicant: the lead's people do, while the application is a draft,
    and only an organisation they may see (one they may not is refused as if it did not exist)."""
    application = _locked(application)
    _editable(user, application)
    if lifecycle.APPLICANT not in application_roles(user, application):
        raise CallRefused("application.lead_only", {})
    if not can(user, "view", organisation):
        raise PermissionDenied
    if application.applicants.filter(organisation=organisation).exists():
        raise CallRefused("application.applicant_twice", {"organisation": organisation.name})
    added = Applicant.objects.create(application=application, organisation=organisation, added_by=_who(user))
    _touch(application, user)
    return added


@transaction.atomic
def remove_co_applicant(user: Any, application: Application, organisation: Organisation) -> None:
    application = _locked(application)
    _editable(user, application)
    roles = application_roles(user, application)
    row = application.applicants.filter(organisation=organisation).first()
    if row is None:
        return
    if row.lead:
        raise CallRefused("application.lead_stays", {})
    # the lead removes anyone; a co-applicant only itself
    if lifecycle.APPLICANT not in roles and not may_apply_for(user, organisation):
        raise CallRefused("application.lead_only", {})
    row.delete()
    _touch(application, user)


def _touch(application: Application, user: Any) -> None:
    application.revision += 1
    Application.objects.filter(pk=application.pk).update(
        revision=application.revision, updated_by=_who(user), updated_at=timezone.now()
    )


# The largest amount the application's money columns hold (14 digits, 2 after the point).
MAX_AMOUNT_EUR = Decimal("999999999999.99")
# The fields whose answer is the amount asked, in the order they are looked for (a voucher's "amount",
# a fund's "investment"), and those whose answer is the total cost.
REQUESTED_FIELDS = ("requested", "amount", "investment")
TOTAL_COST_FIELDS = ("total_cost",)


def _derived(application: Application, stage: StageForm, answers: dict[str, Any]) -> None:
    """Title, amount asked and total cost kept on the row from the answers that carry them; an amount
    too large to keep is refused, naming its field (never a database error)."""
    title = answers.get("title")
    if isinstance(title, str) and title.strip():
        application.title = " ".join(title.split())[:200]
    for names, attr in ((REQUESTED_FIELDS, "requested_eur"), (TOTAL_COST_FIELDS, "total_cost_eur")):
        found = [f for name in names if (f := stage.form.field(name)) is not None]
        f = next((f for f in found if f.type in (FieldType.MONEY, FieldType.NUMBER)), None)
        if f is None:
            continue
        value = answers.get(f.name)
        amount = convert.money(value) if is_filled(value) and not check_value(f, value) else None
        if amount is not None and abs(amount) > MAX_AMOUNT_EUR:
            raise CallRefused(
                "application.amount_too_large", {"field": f.name, "maximum": str(MAX_AMOUNT_EUR)}
            )
        setattr(application, attr, amount)


@transaction.atomic
def save_answers(
    user: Any, application: Application, changes: dict[str, Any], *, revision: int | None = None
) -> tuple[Application, FormCheck]:
    """Save ``changes`` (field -> answer) to the draft at its stage, if made on ``revision`` (None: the
    present one). Only the fields in ``changes`` change; answers with problems are kept (a draft may be
    wrong for a while) and the check says what is wrong. Files go through :func:`attach`."""
    application = _locked(application)
    _editable(user, application)
    if revision is not None and revision != application.revision:
        raise CallRefused("application.stale", {"yours": revision, "current": application.revision})
    stage = stage_form(application)
    unknown = sorted(n for n in changes if stage.form.field(n) is None)
    if unknown:
        raise CallRefused("application.unknown_fields", {"fields": unknown})
    answers = dict(application.answers.get(stage.name, {}))
    for name, value in changes.items():
        f = stage.form.field(name)
        assert f is not None
        if f.type in (FieldType.FILE, FieldType.ORGANISATIONS):
            continue  # files by attach(), organisations are the applicants
        if is_filled(value):
            answers[name] = value
        else:
            answers.pop(name, None)
    if len(json.dumps(answers, default=str)) > MAX_ANSWERS_BYTES:
        raise CallRefused("application.too_large", {"limit": MAX_ANSWERS_BYTES})
    application.answers = {**application.answers, stage.name: answers}
    _derived(application, stage, answers)
    application.revision += 1
    application.updated_by = _who(user)
    application.save()
    return application, check(application)


def check(application: Application, *, submit: bool = False) -> FormCheck:
    """The form's check of the application's answers at its stage."""
    stage = stage_form(application)
    return check_answers(stage.form, convert.stage_answers(application, stage), submit=submit)


@transaction.atomic
def attach(user: Any, application: Application, field: str, upload: UploadedFile) -> Attachment:
    """Keep ``upload`` as the answer to the file field ``field`` of the present stage, if its type and
    size are what the form allows (refused with the field's problems otherwise; nothing is stored)."""
    application = _locked(application)
    _editable(user, application)
    stage = stage_form(application)
    f = stage.form.field(field)
    if f is None or f.type is not FieldType.FILE:
        raise CallRefused("application.unknown_fields", {"fields": [field]})
    name = (upload.name or "file").rsplit("/", 1)[-1][:200]
    size = int(upload.size or 0)
    problems = check_value(f, {"name": name, "size": size})
    if problems:
        raise CallRefused("application.bad_file", {"field": field}, tuple(problems))
    hasher = hashlib.sha256()
    for chunk in upload.chunks():
        hasher.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        application=application,
        stage=stage.name,
        field=field,
        name=name,
        size=size,
        sha256=hasher.hexdigest(),
        uploaded_by=_who(user),
    )
    attachment.file.save(f"{secrets.token_hex(8)}-{name}", upload, save=False)
    attachment.save()
    answers = dict(application.answers.get(stage.name, {}))
    answers[field] = {"name": name, "size": size, "attachment": attachment.pk, "sha256": attachment.sha256}
    application.answers = {**application.answers, stage.name: answers}
    application.revision += 1
    application.updated_by = _who(user)
    application.save()
    return attachment


def receipt_code(call: Call, application: Application, stage_index: int, tail: str = "") -> str:
    """A submission's receipt: the call, the application, the stage and a random tail (``tail`` when
    given: the demo's are fixed so that loading twice gives the same codes)."""
    prefix = "".join(ch for ch in call.key.upper() if ch.isalnum())[:10]
    return f"{prefix}-{application.pk:05d}-{stage_index + 1}-{tail or secrets.token_hex(3).upper()}"


def submission_digest(answers: dict[str, Any], files: list[dict[str, Any]]) -> str:
    """The digest a receipt gives of what was sent: the answers and the files' names, sizes and hashes."""
    sent = {"answers": answers, "attachments": files}
    return hashlib.sha256(json.dumps(sent, sort_keys=True, default=str).encode()).hexdigest()


@transaction.atomic
def submit(user: Any, application: Application, *, now: dt.datetime | None = None) -> Submission:
    """Submit the present stage: the lead's people, before the stage's deadline, with every required
    answer given and none wrong. Keeps the answers as sent, their digest and a receipt code."""
    now = now or timezone.now()
    application = _locked(application)
    call = application.call
    if not can(user, "transition", application):
        raise PermissionDenied
    roles = application_roles(user, application)
    try:
        lifecycle.APPLICATION_WORKFLOW.check(application.status, ApplicationStatus.SUBMITTED, roles)
    except TransitionNotAllowed:
        raise CallRefused(
            "application.move_not_allowed", {"from": application.status, "to": ApplicationStatus.SUBMITTED}
        ) from None
    if call.status != CallStatus.OPEN:
        raise CallRefused("call.not_open", {"status": call.status})
    stage = stage_form(application)
    if stage.deadline is not None and not stage.deadline.in_time(now):
        raise CallRefused(
            "application.late",
            {"deadline": stage.deadline.local.isoformat(), "zone": stage.deadline.zone},
        )
    answers = convert.stage_answers(application, stage)
    result = check_answers(stage.form, answers, submit=True)
    if not result.ok:
        raise CallRefused("application.incomplete", {"problems": len(result.problems)}, result.problems)
    files = [
        {"field": a.field, "name": a.name, "size": a.size, "sha256": a.sha256}
        for a in _current_attachments(application, stage.name)
    ]
    stage_index = [s.name for s in convert.definition(call).stages].index(stage.name)
    submission = Submission.objects.create(
        application=application,
        stage=stage.name,
        receipt=receipt_code(call, application, stage_index),
        answers=answers,
        attachments=files,
        digest=submission_digest(answers, files),
        submitted_at=now,
        submitted_by=_who(user),
    )
    _set_status(application, ApplicationStatus.SUBMITTED, user, "")
    return submission


def _current_attachments(application: Application, stage: str) -> list[Attachment]:
    """The attachment each file answer of ``stage`` names (the latest upload of each field)."""
    answers = application.answers.get(stage, {})
    ids = [v.get("attachment") for v in answers.values() if isinstance(v, dict) and v.get("attachment")]
    return list(Attachment.objects.filter(pk__in=ids).order_by("field"))


def _set_status(application: Application, target: str, user: Any, note: str) -> None:
    source = application.status
    application.status = target
    application.revision += 1
    Application.objects.filter(pk=application.pk).update(status=target, revision=application.revision)
    ApplicationChange.objects.create(
        application=application, from_status=source, to_status=target, changed_by=_who(user), note=note[:300]
    )


@transaction.atomic
def move_application(user: Any, application: Application, target: str, note: str = "") -> Application:
    """A lifecycle move other than submitting: withdraw (the lead's people), reopen as a draft before
    the deadline, invite a selected concept to the next stage, send to review, select, reject (staff).
    Eligibility goes through :func:`judge_eligibility`, funding through the decision."""
    application = _locked(application)
    if not can(user, "transition", application):
        raise PermissionDenied
    if target == ApplicationStatus.SUBMITTED:
        raise CallRefused("application.use_submit", {})
    if target in (ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE, ApplicationStatus.FUNDED):
        raise CallRefused("application.use_decision", {"to": target})
    try:
        lifecycle.APPLICATION_WORKFLOW.check(application.status, target, application_roles(user, application))
    except TransitionNotAllowed:
        raise CallRefused(
            "application.move_not_allowed", {"from": application.status, "to": target}
        ) from None
    if application.status == ApplicationStatus.SELECTED and target == ApplicationStatus.DRAFT:
        following = convert.definition(application.call).next_stage(application.stage)
        if following is None:
            raise CallRefused("application.last_stage", {"stage": application.stage})
        carried = {
            k: v
            for k, v in application.answers.get(application.stage, {}).items()
            if (f := following.form.field(k)) is not None and f.type is not FieldType.FILE
        }
        application.answers = {
            **application.answers,
            following.name: {**carried, **application.answers.get(following.name, {})},
        }
        application.stage = following.name
        application.save(update_fields=["answers", "stage"])
    elif application.status == ApplicationStatus.SUBMITTED and target == ApplicationStatus.DRAFT:
        stage = stage_form(application)
        if stage.deadline is not None and not stage.deadline.in_time(timezone.now()):
            raise CallRefused("application.reopen_late", {})
    _set_status(application, target, user, note)
    return application


def eligibility_of(application: Application, on: dt.date | None = None) -> Eligibility:
    """The call's rules judged on the application now (no write): for the applicants' preview and the
    staff's decision."""
    return evaluate(
        convert.definition(application.call).rules, convert.facts(application, on or timezone.localdate())
    )


@transaction.atomic
def judge_eligibility(user: Any, application: Application, *, on: dt.date | None = None) -> Eligibility:
    """Judge a submitted application by the call's rules: eligible when every rule passes, ineligible
    otherwise; the outcomes, each with its reason, are kept on the application."""
    application = _locked(application)
    if not can(user, "transition", application):
        raise PermissionDenied
    judged = eligibility_of(application, on)
    target = ApplicationStatus.ELIGIBLE if judged.eligible else ApplicationStatus.INELIGIBLE
    try:
        lifecycle.APPLICATION_WORKFLOW.check(application.status, target, application_roles(user, application))
    except TransitionNotAllowed:
        raise CallRefused(
            "application.move_not_allowed", {"from": application.status, "to": target}
        ) from None
    application.eligibility = [
        {
            "index": o.index,
            "kind": str(o.kind),
            "passed": o.passed,
            "code": o.code,
            "params": o.params,
            "text": o.text,
        }
        for o in judged.outcomes
    ]
    application.save(update_fields=["eligibility"])
    _set_status(application, target, user, "")
    return judged
