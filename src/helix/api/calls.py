"""The calls API: calls for proposals (their stages, deadlines, forms and eligibility rules) and the
applications to them, from the first draft to the receipt and the staff's judgement.

Handlers parse input and call helix.calls.services; who may see and do what is asked of the permission
tables (helix.calls.permissions) as on the pages: a call or an application the caller may not see is
404, an action on one they see but may not take is 403. A rule that says no (a call not open, a stale
copy, a late or incomplete submission, a move the lifecycle does not have) is 409 with its code, its
parameters, the text in the reader's language (helix.calls.explain) and its reasons, each field's
problem named by the field.

Texts are in the language of ``?lang=`` or else of the Accept-Language header.

No ``from __future__ import annotations`` here: ninja's pagination reads the list's query annotation at
run time.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from ninja import File, Query, Router, Status, UploadedFile
from ninja.errors import ValidationError
from ninja.pagination import paginate

from helix.api.auth import READ, WRITE_AUTH, acting_user
from helix.api.errors import ITEM_ERRORS, READ_ERRORS, WRITE_ERRORS, invalid
from helix.api.pagination import HelixPagination
from helix.api.schemas.base import PlainText
from helix.api.schemas.calls import (
    AnswersIn,
    ApplicationFilters,
    ApplicationIn,
    ApplicationMoveIn,
    ApplicationOut,
    ApplicationSummaryOut,
    AttachmentOut,
    CallFilters,
    CallMoveIn,
    CallOut,
    CallRefusal,
    CallSummaryOut,
    CoApplicantIn,
    EligibilityOut,
    EligibilityQuery,
    LanguageQuery,
    SubmissionOut,
    application_out,
    application_summary_out,
    attachment_out,
    call_out,
    call_summary_out,
    current_attachments,
    eligibility_out,
    refusal_out,
    submission_out,
)
from helix.calls import services
from helix.calls.models import Applicant, Application, ApplicationStatus, Call
from helix.registry.models import Organisation
from helix.registry.permissions import can, own_organisation_id, scope

router = Router()
CALLS = ["calls"]
APPLICATIONS = ["applications"]

REFUSED: dict[int, Any] = {**WRITE_ERRORS, 409: CallRefusal}


# --- the reader's language ----------------------------------------------------------------------------


def language_of(lang: str | None) -> str:
    """The language of the answer: ``lang`` when given, else the request's (Accept-Language)."""
    language = lang or (translation.get_language() or "en")[:2]
    return language if language in ("en", "nl", "fr", "de") else "en"


@contextmanager
def reading_in(lang: str | None) -> Iterator[str]:
    """The answer's language (:func:`language_of`), active for the texts helix.calls.explain says."""
    language = language_of(lang)
    with translation.override(language):
        yield language


def refused(exc: services.CallRefused) -> Status:
    return Status(409, refusal_out(exc))


# --- loading ------------------------------------------------------------------------------------------


class Shown:
    """Rows seen through ``show``: a page is sliced from the query, then each row shown as the answer
    says (HelixPagination asks ``[a:b]`` and ``count()``)."""

    def __init__(self, rows: QuerySet[Any], show: Callable[[Any], dict[str, Any]]) -> None:
        self.rows, self.show = rows, show

    def __getitem__(self, part: slice) -> list[dict[str, Any]]:
        return [self.show(row) for row in self.rows[part]]

    def count(self) -> int:
        return self.rows.count()


def visible_calls(user: Any) -> QuerySet[Call]:
    return scope(user, "view", Call.objects.select_related("cluster"))


def visible_call(user: Any, key: str) -> Call:
    return get_object_or_404(visible_calls(user), key=key)


def with_parts(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Everything an application's answer shows, in a fixed number of queries whatever the page size."""
    return applications.select_related("call", "call__cluster").prefetch_related(
        Prefetch("applicants", queryset=Applicant.objects.select_related("organisation")),
        "submissions",
        "attachments",
    )


def visible_application(user: Any, application_id: int) -> Application:
    return get_object_or_404(with_parts(scope(user, "view", Application.objects.all())), pk=application_id)


def reloaded(application: Application) -> Application:
    return with_parts(Application.objects.all()).get(pk=application.pk)


# --- calls --------------------------------------------------------------------------------------------


@router.get("/calls", response={200: list[CallSummaryOut], **READ_ERRORS}, tags=CALLS, **READ)
@paginate(HelixPagination)
def list_calls(request: HttpRequest, filters: Query[CallFilters]) -> Any:
    """The calls you may see (open, closed, decided; drafts for their cluster's staff), by cluster and key;
    ``cluster`` (a slug) and ``status`` narrow them."""
    user = acting_user(request)
    calls = visible_calls(user)
    if filters.cluster:
        calls = calls.filter(cluster__slug=filters.cluster)
    if filters.status:
        calls = calls.filter(status=filters.status)
    language = language_of(filters.lang)
    return Shown(calls.order_by("cluster__slug", "key"), lambda c: call_summary_out(c, user, language))


@router.get("/calls/{call_key}", response={200: CallOut, **ITEM_ERRORS}, tags=CALLS, **READ)
def get_call(request: HttpRequest, call_key: PlainText, query: Query[LanguageQuery]) -> Any:
    """A call with its stages (deadlines as local time, time zone and UTC instant), the form of each stage
    (field types, limits, options, required, help) and its eligibility rules as data."""
    user = acting_user(request)
    call = visible_call(user, call_key)
    with reading_in(query.lang) as language:
        return call_out(call, user, language)


@router.post("/calls/{call_key}/move", response={200: CallSummaryOut, **REFUSED}, tags=CALLS, auth=WRITE_AUTH)
def move_call(
    request: HttpRequest, call_key: PlainText, payload: CallMoveIn, query: Query[LanguageQuery]
) -> Any:
    """Open, close, reopen, start the review, record the decision, archive (the cluster's staff); 409 when
    the lifecycle has no such move, or submitted applications are still to be judged."""
    user = acting_user(request)
    call = visible_call(user, call_key)
    with reading_in(query.lang) as language:
        try:
            services.move_call(user, call, payload.status, payload.note)
        except services.CallRefused as exc:
            return refused(exc)
        return call_summary_out(visible_call(user, call_key), user, language)


# --- applications -------------------------------------------------------------------------------------


@router.get(
    "/applications",
    response={200: list[ApplicationSummaryOut], **READ_ERRORS},
    tags=APPLICATIONS,
    auth=WRITE_AUTH,
)
@paginate(HelixPagination)
def list_applications(request: HttpRequest, filters: Query[ApplicationFilters]) -> Any:
    """The applications you may see: your organisation's (as lead or co-applicant), and for the cluster's
    staff every application to its calls; ``call`` (a key) and ``status`` narrow them."""
    applications = scope(acting_user(request), "view", Application.objects.all())
    if filters.call:
        applications = applications.filter(call__key=filters.call)
    if filters.status:
        applications = applications.filter(status=filters.status)
    ordered = with_parts(applications).order_by("call__key", "title", "pk")
    return Shown(ordered, application_summary_out)


@router.post(
    "/applications",
    response={201: ApplicationOut, 409: CallRefusal, **WRITE_ERRORS},
    tags=APPLICATIONS,
    auth=WRITE_AUTH,
)
def start_application(request: HttpRequest, payload: ApplicationIn, query: Query[LanguageQuery]) -> Any:
    """Start a draft application to an open call, led by your organisation (or one you may edit); 404
    for a call you may not see, 409 when it is not open to you."""
    user = acting_user(request)
    call = visible_call(user, payload.call)
    with reading_in(query.lang) as language:
        if not can(user, "apply", call):
            return refused(services.CallRefused("call.not_open", {"status": call.status}))
        lead_id = payload.lead or own_organisation_id(user)
        if lead_id is None:
            raise ValidationError([invalid("lead", "You belong to no organisation: name the lead (its id).")])
        lead = scope(user, "view", Organisation.objects.all()).filter(pk=lead_id).first()
        if lead is None:
            raise ValidationError([invalid("lead", "No organisation with this id that you may see.")])
        try:
            application = services.start_application(
                user, call, lead, payload.title, language=payload.language or language
            )
        except services.CallRefused as exc:
            return refused(exc)
        return Status(201, application_out(reloaded(application), user, language))


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, **ITEM_ERRORS},
    tags=APPLICATIONS,
    auth=WRITE_AUTH,
)
def get_application(request: HttpRequest, application_id: int, query: Query[LanguageQuery]) -> Any:
    """An application: its answers per stage, applicants, status and revision, the completeness of the
    present stage and what a submission would be refused for, its attachments and its receipts."""
    user = acting_user(request)
    application = visible_application(user, application_id)
    with reading_in(query.lang) as language:
        return application_out(application, user, language)


@router.patch(
    "/applications/{application_id}/answers",
    response={200: ApplicationOut, **REFUSED},
    tags=APPLICATIONS,
    auth=WRITE_AUTH,
)
def save_answers(
    request: HttpRequest, application_id: int, payload: AnswersIn, query: Query[LanguageQuery]
) -> Any:
    """Save answers of the draft at its present stage (its applicants' people). Only the fields sent
    change; an answer with a problem is kept and named in ``problems``. A save made on an older
    ``revision`` is refused (409 ``application.stale``, with the current ``revision``): reload, then
    save again."""
    user = acting_user(request)
    application = visible_application(user, application_id)
    with reading_in(query.lang) as language:
        try:
            services.save_answers(user, application, payload.answers, revision=payload.revision)
        except services.CallRefused as exc:
            return refused(exc)
        return application_out(reloaded(application), user, language)


@router.post(
    "/applications/{application_id}/co-applicants",
    response={201: ApplicationOut, **REFUSED},
    tags=APPLICATIONS,
    auth=WRITE_AUTH,
)
def add_co_applicant(
    request: HttpRequest, application_id: int, payload: CoApplicantIn, query: Query[LanguageQuery]
) -> Any:
    """Add an organisation as a co-applicant (the lead's people, while it is a draft): its people then
    edit the draft too."""
    user = acting_user(request)
    application = visible_application(user, application_id)
    organisation = scope(user, "view", Organisation.objects.all()).filter(pk=payload.organisation).first()
    if organisation is None:
        raise ValidationError([invalid("organisation", "No organisation with this id that you may see.")])
    with reading_in(query.lang) as language:
        try:
            services.add_co_applicant(user, application, organisation)
        except services.CallRefused as exc:
            return refused(exc)
        return Status(201, application_out(reloaded(application), user, language))


@router.delete(
    "/applications/{application_id}/co-applicants/{organisation_id}",
    response={200: ApplicationOut, **REFUSED},
    tags=APPLICATIONS,
    auth=WRITE_AUTH,
)
def remove_co_applicant(
    request: HttpRequest, application_id: int, organisation_id: int, query: Query[LanguageQuery]
) -> Any:
    """Remove a co-applicant (the lead's people; a co-applicant's people may remove their own
    organisation) while it is a draft; the lead stays. Removing an organisation that does not apply
    changes nothing."""
    user = acting_user(request)
    application = visible_application(user, application_id)
    applying = {a.organisation_id: a.organisation for a in application.applicants.all()}
    # not applying: nothing to remove (the service still asks whether the caller may change it)
    organisation = applying.get(organisation_id) or Organisation(pk=organisation_id)
    with reading_in(query.lang) as language:
        try:
            services.remove_co_applicant(user, application, organisation)
        except services.CallRefused as exc:
            return refused(exc)
        return application_out(reloaded(application), user, language)


@router.post(
    "/applications/{application_id}/attachments/{field}",
    response={201: AttachmentOut, **REFUSED},
    tags=APPLICATIONS,
    auth=WRITE_AUTH,
)
def attach(
    request: HttpRequest,
    application_id: int,
    field: PlainText,
    query: Query[LanguageQuery],
    file: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Any:
    """Upload the file answering the file field ``field`` of the present stage (multipart/form-data, one
    part named ``file``). Its type and size are checked against the form (409 with the field's problems;
    nothing is stored); a new upload replaces the answer, the earlier file stays listed."""
    user = acting_user(request)
    application = visible_application(user, application_id)
    if file is None:
        if not can(user, "edit", application):
            raise PermissionDenied
        raise ValidationError(
            [{"type": "missing", "loc": ["body", "file"], "msg": "Send the file as 'file'."}]
        )
    with reading_in(query.lang):
        try:
            attachment = services.attach(user, application, field, file)
        except services.CallRefused as exc:
            return refused(exc)
    return Status(201, attachment_out(attachment, current_attachments(reloaded(application))))


@router.post(
    "/applications/{application_id}/submit",
    response={200: SubmissionOut, **REFUSED},
    tags=APPLICATIONS,
    auth=WRITE_AUTH,
)
def submit(request: HttpRequest, application_id: int, query: Query[LanguageQuery]) -> Any:
    """Submit the present stage (the lead's people, before its deadline, complete): the receipt. 409 with
    each field's problem when it is not complete, or when the deadline has passed."""
    user = acting_user(request)
    application = visible_application(user, application_id)
    with reading_in(query.lang):
        try:
            return submission_out(services.submit(user, application))
        except services.CallRefused as exc:
            return refused(exc)


@router.post(
    "/applications/{application_id}/withdraw",
    response={200: ApplicationOut, **REFUSED},
    tags=APPLICATIONS,
    auth=WRITE_AUTH,
)
def withdraw(request: HttpRequest, application_id: int, query: Query[LanguageQuery]) -> Any:
    """Withdraw the application (the lead's people), until it is funded or turned down."""
    return _move(request, application_id, ApplicationStatus.WITHDRAWN, "", query.lang)


@router.post(
    "/applications/{application_id}/move",
    response={200: ApplicationOut, **REFUSED},
    tags=APPLICATIONS,
    auth=WRITE_AUTH,
)
def move_application(
    request: HttpRequest, application_id: int, payload: ApplicationMoveIn, query: Query[LanguageQuery]
) -> Any:
    """A lifecycle move other than submitting and judging: the staff reopen a submitted application as a
    draft before the deadline, invite a selected concept to the next stage, send to review, select or
    reject; the lead withdraws. 409 when the lifecycle has no such move for you."""
    return _move(request, application_id, payload.status, payload.note, query.lang)


def _move(request: HttpRequest, application_id: int, target: str, note: str, lang: str | None) -> Any:
    user = acting_user(request)
    application = visible_application(user, application_id)
    with reading_in(lang) as language:
        try:
            services.move_application(user, application, target, note)
        except services.CallRefused as exc:
            return refused(exc)
        return application_out(reloaded(application), user, language)


@router.get(
    "/applications/{application_id}/eligibility",
    response={200: EligibilityOut, **ITEM_ERRORS},
    tags=APPLICATIONS,
    auth=WRITE_AUTH,
)
def preview_eligibility(request: HttpRequest, application_id: int, query: Query[EligibilityQuery]) -> Any:
    """The call's eligibility rules judged on the application now (or ``on`` a date), each with its
    reason; nothing is recorded (the staff's judgement is POST .../judge)."""
    application = visible_application(acting_user(request), application_id)
    on = query.on or timezone.localdate()
    with reading_in(query.lang):
        return eligibility_out(application, services.eligibility_of(application, on), on)


@router.post(
    "/applications/{application_id}/judge",
    response={200: EligibilityOut, **REFUSED},
    tags=APPLICATIONS,
    auth=WRITE_AUTH,
)
def judge_eligibility(request: HttpRequest, application_id: int, query: Query[LanguageQuery]) -> Any:
    """Judge a submitted application by the call's rules (the cluster's staff): eligible when every rule
    passes, ineligible otherwise; the outcomes are kept with the application."""
    user = acting_user(request)
    application = visible_application(user, application_id)
    on = timezone.localdate()
    with reading_in(query.lang):
        try:
            judged = services.judge_eligibility(user, application, on=on)
        except services.CallRefused as exc:
            return refused(exc)
        return eligibility_out(reloaded(application), judged, on)
