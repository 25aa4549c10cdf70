"""Request and response bodies of the calls API (``/api/calls/``): calls for proposals with their stages,
deadlines, forms and eligibility rules, and the applications to them.

A call is named by its key (``luxembourg-bpf-2024``), an application by its id. Texts (titles, labels,
help, refusals, the reasons of eligibility) are in the reader's language: ``?lang=`` or the
Accept-Language header. Money is a decimal text in euros (``"150000.00"``), exact.

The ``*_out`` functions build an answer from the rows and the core's definition of the call; the
router gives them the caller and the language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import StringConstraints

from helix.api.schemas.base import FiniteFloat, Input
from helix.calls import convert, explain, services
from helix.calls.models import Application, ApplicationStatus, Call, CallStatus
from helix.calls.permissions import may_edit_answers
from helix.core.calls.definition import CallDefinition
from helix.core.calls.eligibility import Eligibility, RuleSpec
from helix.core.calls.form_answers import plain_value
from helix.core.calls.form_fields import FormField, StageForm
from helix.core.specs import translated
from helix.market.models import Visibility
from helix.registry.permissions import can

Language = Literal["en", "nl", "fr", "de"]
# Beyond what a form's number or an amount in euros can hold (the rows keep 12 digits before the cents).
LARGEST = 999_999_999_999
AnswerNumber = Annotated[int, Field(ge=-LARGEST, le=LARGEST)]
AnswerValue = (
    bool
    | AnswerNumber
    | Annotated[FiniteFloat, Field(ge=-LARGEST, le=LARGEST)]
    | Annotated[str, StringConstraints(max_length=100_000)]
    | list[Annotated[str, StringConstraints(max_length=200)]]
    | None
)
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


# --- reads: calls -------------------------------------------------------------------------------------


class DeadlineOut(Schema):
    local: str = Field(description="The wall-clock time in ``zone``, ISO 8601 without an offset")
    zone: str = Field(description="The IANA time zone, e.g. Europe/Luxembourg")
    utc: dt.datetime = Field(description="The same instant in UTC: a submission after it is late")
    passed: bool


class StageOut(Schema):
    name: str
    label: str
    deadline: DeadlineOut | None = Field(description="None: open until the call closes")


class OptionOut(Schema):
    value: str
    label: str


class FormFieldOut(Schema):
    """A field of a stage's form: its type and the limits of that type (the others are null)."""

    name: str
    type: str = Field(
        description="text, long_text, number, money, date, choice, multi_choice, yes_no, file or "
        "organisations (the applicants: filled by adding co-applicants, not by answers)"
    )
    label: str
    help: str
    required: bool
    max_chars: int | None
    max_words: int | None
    minimum: str | None = Field(description="number and money: the least value (money: 0 by default)")
    maximum: str | None
    whole: bool = Field(description="number: whole numbers only")
    earliest: dt.date | None
    latest: dt.date | None
    options: list[OptionOut] = Field(description="choice and multi_choice")
    min_choices: int | None
    max_choices: int | None
    file_types: list[str] = Field(description="file: the extensions allowed, e.g. pdf (any when empty)")
    max_bytes: int | None
    min_items: int | None
    max_items: int | None


class SectionOut(Schema):
    name: str
    label: str
    help: str
    fields: list[FormFieldOut]


class FormOut(Schema):
    name: str
    label: str
    sections: list[SectionOut]


class StageFormOut(StageOut):
    form: FormOut


class RuleOut(Schema):
    """An eligibility rule as the call declares it: its kind and parameters."""

    index: int
    kind: str = Field(
        description="applicant_kind, sme_status, membership_level, cluster_has_roadmap, consortium_size, "
        "applicant_country, per_beneficiary_cap, co_financing_cap, de_minimis_headroom or budget_headroom"
    )
    params: dict[str, Any]


class CallInstrumentOut(Schema):
    id: str = Field(description="The instrument the call funds from, as its definition names it")
    kind: str
    name: str
    de_minimis: bool


class CallSummaryOut(Schema):
    key: str
    title: str
    cluster: str = Field(description="The cluster's slug")
    programme: str
    status: CallStatus
    visibility: Visibility
    budget_eur: str | None
    stages: list[StageOut]
    may_apply: bool = Field(description="Whether you may start an application to it now")
    moves: list[str] = Field(description="Statuses you may move the call to (its cluster's staff)")


class CallOut(CallSummaryOut):
    language: Language = Field(description="The language of the texts")
    summary: str
    instrument: CallInstrumentOut
    reviews_per_application: int
    stages: list[StageFormOut]  # type: ignore[assignment]
    rules: list[RuleOut]


def deadline_out(stage: StageForm, now: dt.datetime) -> dict[str, Any] | None:
    if stage.deadline is None:
        return None
    return {
        "local": stage.deadline.local.isoformat(timespec="minutes"),
        "zone": stage.deadline.zone,
        "utc": stage.deadline.instant,
        "passed": not stage.deadline.in_time(now),
    }


def _limit(value: Any) -> Any:
    return None if value is None else plain_value(value)


def field_out(f: FormField, language: str) -> dict[str, Any]:
    return {
        "name": f.name,
        "type": str(f.type),
        "label": f.label_in(language),
        "help": f.help_in(language),
        "required": f.required,
        "max_chars": f.max_chars,
        "max_words": f.max_words,
        "minimum": _limit(f.minimum),
        "maximum": _limit(f.maximum),
        "whole": f.whole,
        "earliest": f.earliest,
        "latest": f.latest,
        "options": [{"value": o.value, "label": translated(o.label, language)} for o in f.options],
        "min_choices": f.min_choices,
        "max_choices": f.max_choices,
        "file_types": list(f.file_types),
        "max_bytes": f.max_bytes,
        "min_items": f.min_items,
        "max_items": f.max_items,
    }


def stage_out(stage: StageForm, language: str, now: dt.datetime, *, form: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": stage.name,
        "label": translated(stage.label, language),
        "deadline": deadline_out(stage, now),
    }
    if form:
        out["form"] = {
            "name": stage.form.name,
            "label": translated(stage.form.label, language),
            "sections": [
                {
                    "name": s.name,
                    "label": translated(s.label, language),
                    "help": translated(s.help, language),
                    "fields": [field_out(f, language) for f in s.fields],
                }
                for s in stage.form.sections
            ],
        }
    return out


def rule_out(index: int, spec: RuleSpec) -> dict[str, Any]:
    return {"index": index, "kind": str(spec.kind), "params": spec.rule.params()}


def call_summary_out(call: Call, user: Any, language: str) -> dict[str, Any]:
    definition = convert.definition(call)
    now = timezone.now()
    return {
        "key": call.key,
        "title": translated(definition.title, language) or call.title,
        "cluster": call.cluster.slug,
        "programme": call.programme,
        "status": call.status,
        "visibility": call.visibility,
        "budget_eur": money(call.budget_eur),
        "stages": [stage_out(s, language, now) for s in definition.stages],
        "may_apply": can(user, "apply", call),
        "moves": [str(m.target) for m in services.call_moves(user, call)],
    }


def call_out(call: Call, user: Any, language: str) -> dict[str, Any]:
    definition: CallDefinition = convert.definition(call)
    now = timezone.now()
    instrument = definition.instrument
    return {
        **call_summary_out(call, user, language),
        "language": language,
        "summary": call.summary,
        "instrument": {
            "id": instrument.id,
            "kind": str(instrument.kind),
            "name": instrument.name,
            "de_minimis": instrument.de_minimis,
        },
        "reviews_per_application": call.reviews_per_application,
        "stages": [stage_out(s, language, now, form=True) for s in definition.stages],
        "rules": [rule_out(i, spec) for i, spec in enumerate(definition.rules)],
    }


class CallFilters(Input):
    cluster: str = Field("", max_length=80, description="A cluster's slug: its calls only")
    status: CallStatus | None = Field(None, description="One status only")
    lang: Language | None = Field(None, description="The language of the texts (else Accept-Language)")


class LanguageQuery(Input):
    lang: Language | None = Field(None, description="The language of the texts (else Accept-Language)")


class CallMoveIn(Input):
    status: CallStatus = Field(description="The status to move the call to")
    note: str = Field("", max_length=300, description="Why (kept in the call's history)")


# --- reads: applications ------------------------------------------------------------------------------


class ApplicantOut(Schema):
    organisation: int = Field(description="The organisation's id")
    slug: str
    name: str
    lead: bool = Field(description="The lead applicant (who submits); the others are co-applicants")


class CallProblemOut(Schema):
    """One reason, coded and said in the reader's language; ``field`` names the form's field it is about."""

    field: str = Field("", description="The form field (empty: about the application as a whole)")
    code: str
    params: dict[str, Any]
    text: str


class CompletenessOut(Schema):
    filled: int = Field(description="Required fields of the present stage answered")
    required: int = Field(description="Required fields of the present stage")
    ratio: float = Field(description="filled / required (1 when nothing is required)")


class AttachmentOut(Schema):
    id: int
    stage: str
    field: str
    name: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    current: bool = Field(description="The file the answer names now (an earlier upload was replaced)")


class SubmittedFileOut(Schema):
    field: str
    name: str
    size: int
    sha256: str


class SubmissionOut(Schema):
    """A stage submitted: its receipt, the digest of the answers and files as sent, and when."""

    stage: str
    receipt: str
    digest: str = Field(description="SHA-256 of the answers and attachments as submitted")
    submitted_at: dt.datetime
    attachments: list[SubmittedFileOut]


class RuleOutcomeOut(Schema):
    index: int = Field(description="The rule's place in the call's list")
    kind: str
    passed: bool
    code: str = Field(description="eligibility.<kind>.<verdict>, e.g. eligibility.sme_status.failed")
    params: dict[str, Any]
    text: str = Field(description="The reason, in the reader's language")


class EligibilityOut(Schema):
    application: int
    status: ApplicationStatus = Field(description="The application's status (after a judgement: its result)")
    on: dt.date = Field(description="The date the rules were judged at")
    eligible: bool
    outcomes: list[RuleOutcomeOut]


class ApplicationSummaryOut(Schema):
    id: int
    call: str = Field(description="The call's key")
    title: str
    stage: str = Field(description="The stage of the call it is at")
    status: ApplicationStatus
    language: Language = Field(description="The language of correspondence")
    revision: int = Field(description="Send it back with a change of the answers (PATCH .../answers)")
    requested_eur: str | None
    applicants: list[ApplicantOut]
    updated_at: dt.datetime
    submitted_at: dt.datetime | None = Field(description="The last submission's time")
    receipt: str = Field(description="The last submission's receipt (empty before the first)")


class ApplicationOut(ApplicationSummaryOut):
    call_title: str
    stage_label: str
    total_cost_eur: str | None
    answers: dict[str, dict[str, Any]] = Field(description="Per stage: field -> answer")
    completeness: CompletenessOut
    problems: list[CallProblemOut] = Field(
        description="What a submission of the present stage would be refused for now, per field"
    )
    attachments: list[AttachmentOut]
    submissions: list[SubmissionOut]
    eligibility: list[RuleOutcomeOut] = Field(description="The last judgement of eligibility (staff's)")
    editable: bool = Field(description="Whether you may change its answers, attachments and applicants now")
    moves: list[str] = Field(description="Statuses you may move it to (submitted: POST .../submit)")
    created_at: dt.datetime


def problem_out(problem: Any) -> dict[str, Any]:
    return {
        "field": getattr(problem, "name", ""),
        "code": problem.code,
        "params": dict(problem.params),
        "text": explain.problem_text(problem),
    }


def applicants_out(application: Application) -> list[dict[str, Any]]:
    return [
        {
            "organisation": a.organisation_id,
            "slug": a.organisation.slug,
            "name": a.organisation.name,
            "lead": a.lead,
        }
        for a in application.applicants.all()
    ]


def application_summary_out(application: Application) -> dict[str, Any]:
    submissions = list(application.submissions.all())
    last = submissions[-1] if submissions else None
    return {
        "id": application.pk,
        "call": application.call.key,
        "title": application.title,
        "stage": application.stage,
        "status": application.status,
        "language": application.language,
        "revision": application.revision,
        "requested_eur": money(application.requested_eur),
        "applicants": applicants_out(application),
        "updated_at": application.updated_at,
        "submitted_at": last.submitted_at if last else None,
        "receipt": last.receipt if last else "",
    }


def applicant_names(application: Application) -> dict[str, str]:
    """The applying organisations' names by id, for the reasons that name them."""
    return {str(a.organisation_id): a.organisation.name for a in application.applicants.all()}


def outcome_out(outcome: dict[str, Any], names: dict[str, str] | None = None) -> dict[str, Any]:
    """A stored outcome (Application.eligibility) or a core RuleOutcome's fields, with its text said
    (the applicants by their ``names``)."""
    return {
        "index": outcome["index"],
        "kind": str(outcome["kind"]),
        "passed": outcome["passed"],
        "code": outcome["code"],
        "params": dict(outcome["params"]),
        "text": explain.outcome_text(outcome, names),
    }


def application_out(application: Application, user: Any, language: str) -> dict[str, Any]:
    call = application.call
    stage = services.stage_form(application)
    checked = services.check(application, submit=True)
    current = current_attachments(application)
    return {
        **application_summary_out(application),
        "call_title": translated(convert.definition(call).title, language) or call.title,
        "stage_label": translated(stage.label, language),
        "total_cost_eur": money(application.total_cost_eur),
        "answers": application.answers,
        "completeness": {
            "filled": checked.required_filled,
            "required": checked.required_total,
            "ratio": float(checked.completeness),
        },
        "problems": [problem_out(p) for p in checked.problems],
        "attachments": [attachment_out(a, current) for a in application.attachments.all()],
        "submissions": [submission_out(s) for s in application.submissions.all()],
        "eligibility": [outcome_out(o, applicant_names(application)) for o in application.eligibility],
        "editable": may_edit_answers(user, application),
        "moves": [str(m.target) for m in services.application_moves(user, application)],
        "created_at": application.created_at,
    }


def current_attachments(application: Application) -> set[int]:
    """The ids of the attachments the answers of the present stage name (the latest upload of each file
    field)."""
    return {
        v["attachment"]
        for v in application.answers.get(application.stage, {}).values()
        if isinstance(v, dict) and isinstance(v.get("attachment"), int)
    }


def attachment_out(attachment: Any, current: set[int]) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "stage": attachment.stage,
        "field": attachment.field,
        "name": attachment.name,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_at": attachment.uploaded_at,
        "current": attachment.pk in current,
    }


def submission_out(submission: Any) -> dict[str, Any]:
    return {
        "stage": submission.stage,
        "receipt": submission.receipt,
        "digest": submission.digest,
        "submitted_at": submission.submitted_at,
        "attachments": submission.attachments,
    }


def eligibility_out(application: Application, judged: Eligibility, on: dt.date) -> dict[str, Any]:
    names = applicant_names(application)
    return {
        "application": application.pk,
        "status": application.status,
        "on": on,
        "eligible": judged.eligible,
        "outcomes": [
            outcome_out(
                {
                    "index": o.index,
                    "kind": o.kind,
                    "passed": o.passed,
                    "code": o.code,
                    "params": o.params,
                    "text": o.text,
                },
                names,
            )
            for o in judged.outcomes
        ],
    }


class ApplicationFilters(Input):
    call: str = Field("", max_length=80, description="A call's key: its applications only")
    status: ApplicationStatus | None = Field(None, description="One status only")


class EligibilityQuery(Input):
    lang: Language | None = Field(None, description="The language of the texts (else Accept-Language)")
    on: dt.date | None = Field(None, description="Judge as on this date (default: today)")


# --- writes -------------------------------------------------------------------------------------------


class ApplicationIn(Input):
    call: str = Field(max_length=80, description="The call's key (an open call you may see)")
    lead: int | None = Field(
        None, ge=1, le=2_147_483_647, description="The lead organisation's id (default: your organisation)"
    )
    title: Title
    language: Language | None = Field(
        None, description="The language of correspondence (default: the language of the request)"
    )


class AnswersIn(Input):
    revision: int = Field(
        ge=1,
        le=2_147_483_647,
        description="The revision your copy was read at: a save on an older copy is refused (409, "
        "application.stale) instead of overwriting a partner's work",
    )
    answers: dict[Annotated[str, StringConstraints(max_length=60)], AnswerValue] = Field(
        description="Field -> answer at the present stage; only these fields change; null or an empty "
        "text clears one. Files: POST .../attachments/{field}; the organisations field: co-applicants."
    )


class CoApplicantIn(Input):
    organisation: int = Field(ge=1, le=2_147_483_647, description="The organisation's id")


class ApplicationMoveIn(Input):
    status: ApplicationStatus = Field(
        description="draft (reopen a submitted one; invite a selected one to the next stage), in_review, "
        "selected, rejected or withdrawn; submitting and judging have their own operations"
    )
    note: str = Field("", max_length=300, description="Why (kept in the application's history)")


class CallRefusal(Schema):
    """409: a rule of the call or of the application's lifecycle said no, with its code and parameters
    and, when it has them, the reasons behind it (each field's problem, each failed rule)."""

    detail: str = Field(description="The refusal in the reader's language")
    code: str = Field(
        description="e.g. call.not_open, call.move_not_allowed, application.stale, application.incomplete, "
        "application.late, application.not_editable, application.move_not_allowed (helix.calls.explain)"
    )
    params: dict[str, Any]
    problems: list[CallProblemOut]
    revision: int | None = Field(None, description="application.stale: the application's current revision")


def refusal_out(refused: services.CallRefused) -> dict[str, Any]:
    return {
        "detail": explain.say(refused.code, refused.params),
        "code": refused.code,
        "params": refused.params,
        "problems": [problem_out(p) for p in refused.problems],
        "revision": refused.params.get("current") if refused.code == "application.stale" else None,
    }
