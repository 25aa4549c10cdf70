"""Demo calls: the seeds' calls with sample proposals of the demo's sample companies (never of real
organisations), their reviews and decisions, read from ``data/calls.json``. Flux50's feasibility study
call of 2017 (a funded, a rejected and an ineligible proposal), the Luxembourg Business Partnership
Facility of 2024 (funding the two demo flagship projects), an open Factory of the Future precluster call
with a draft, and an open SME portfolio with a request. Past calls are written with their own dates
(the services stamp "now"); loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from helix.calls import convert, services
from helix.calls.models import (
    Applicant,
    Application,
    ApplicationChange,
    Attachment,
    Award,
    Call,
    CallChange,
    Review,
    ReviewAssignment,
    Reviewer,
    Submission,
)
from helix.core.calls import definition as core_definition
from helix.core.calls.eligibility import evaluate
from helix.core.calls.form_fields import FieldType
from helix.funds.models import Instrument, LedgerEntry
from helix.projects.models import Project, ProjectChange, ProjectMember
from helix.registry.demo.records import read_json
from helix.registry.models import Cluster, Organisation, Person


@dataclass(frozen=True)
class ReviewerSeed:
    person: tuple[str, str]  # first and last name of a demo person
    expertise: str


@dataclass(frozen=True)
class ReviewSeed:
    reviewer: int  # index into the call's reviewers
    scores: dict[str, Any]
    comment: str


@dataclass(frozen=True)
class AwardSeed:
    amount: str
    project: str = ""  # the title of a demo project the award funds, or:
    project_kind: str = ""  # a new project of this type
    project_title: str = ""
    acronym: str = ""
    months: int = 0
    starts_on: str = ""


@dataclass(frozen=True)
class ApplicationSeed:
    title: str
    lead: str
    co_applicants: tuple[str, ...]
    language: str
    requested: str
    total_cost: str
    answers: dict[str, Any]
    stages: tuple[tuple[str, str], ...]  # (stage, submitted at: local ISO time in the call's zone)
    history: tuple[tuple[str, str, str], ...]  # (from, to, ISO date)
    reviews: tuple[ReviewSeed, ...] = ()
    award: AwardSeed | None = None
    judged_on: str = ""


@dataclass(frozen=True)
class CallSeed:
    seed: str  # a file of helix.core.calls' seed calls
    cluster: str
    instrument_cluster: str  # "" for a programme-wide instrument
    budget_eur: str
    summary: str
    history: tuple[tuple[str, str, str], ...]
    reviewers: tuple[ReviewerSeed, ...] = ()
    applications: tuple[ApplicationSeed, ...] = field(default_factory=tuple)
    reviews_per_application: int = 2  # the seeds' calls had two reviewers per proposal


DATA_DIR = Path(__file__).parent / "data"
CALLS: tuple[CallSeed, ...] = read_json(DATA_DIR / "calls.json", CallSeed)
ZONE = "Europe/Brussels"
PDF = (  # a minimal PDF standing for the sample budget sheets and quotes
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%%EOF\n"
)


def _definition(seed: str) -> dict[str, Any]:
    text = (resources.files(core_definition.__package__) / "data" / seed).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _at(day: str, hour: int = 9) -> dt.datetime:
    """A date of the seed at ``hour`` o'clock Brussels time, as an instant."""
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=ZoneInfo(ZONE))


def _local(text: str) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(ZONE))


def _instrument(seed: CallSeed, definition: dict[str, Any]) -> Instrument:
    spec = definition["instrument"]
    found = Instrument.objects.filter(key=spec["id"]).first()
    if found is not None:
        return found
    cluster = Cluster.objects.get(slug=seed.instrument_cluster) if seed.instrument_cluster else None
    caps = [c for c in definition.get("caps", []) if c.get("kind") != "de_minimis"]
    return Instrument.objects.create(
        cluster=cluster,
        key=spec["id"],
        name=spec.get("name") or spec["id"],
        kind=spec["kind"],
        de_minimis=bool(spec.get("de_minimis")),
        budget_eur=Decimal(seed.budget_eur) if seed.budget_eur and cluster is not None else None,
        caps=caps,
    )


@transaction.atomic
def load_demo_calls() -> dict[str, int]:
    """Create the demo calls that are missing (found by key); counts of what was done."""
    created = 0
    for seed in CALLS:
        definition = _definition(seed.seed)
        if Call.objects.filter(key=definition["id"]).exists():
            continue
        _load_call(seed, definition)
        created += 1
    return {"created": created, "calls": Call.objects.count(), "applications": Application.objects.count()}


def _load_call(seed: CallSeed, definition: dict[str, Any]) -> Call:
    cluster = Cluster.objects.get(slug=seed.cluster)
    call = Call.objects.create(
        cluster=cluster,
        key=definition["id"],
        title=definition["title"]["en"][:200],
        programme=definition.get("programme", "")[:200],
        summary=seed.summary,
        definition=definition,
        instrument=_instrument(seed, definition),
        budget_eur=Decimal(seed.budget_eur) if seed.budget_eur else None,
        visibility="public",
        status=seed.history[-1][1],
        reviews_per_application=seed.reviews_per_application,
    )
    Call.objects.filter(pk=call.pk).update(created_at=_at(seed.history[0][2]))
    for source, target, day in seed.history:
        CallChange.objects.create(call=call, from_status=source, to_status=target, changed_at=_at(day))
    reviewers = [
        Reviewer.objects.create(
            call=call,
            person=Person.objects.get(first_name=r.person[0], last_name=r.person[1]),
            expertise=r.expertise,
            added_at=_at(seed.history[0][2]),
        )
        for r in seed.reviewers
    ]
    for number, item in enumerate(seed.applications, start=1):
        _load_application(call, item, reviewers, number)
    return call


def _answers(call: Call, item: ApplicationSeed) -> dict[str, dict[str, Any]]:
    """The seed's answers, with the title and the amounts filed under the stage whose form asks them."""
    answers = {stage: dict(values) for stage, values in item.answers.items()}
    for stage in convert.definition(call).stages:
        values = answers.setdefault(stage.name, {})
        for name, value in (
            ("title", item.title),
            ("requested", item.requested),
            ("total_cost", item.total_cost),
        ):
            if value and stage.form.field(name) is not None:
                values.setdefault(name, value)
    return {stage: values for stage, values in answers.items() if values}


def _load_application(call: Call, item: ApplicationSeed, reviewers: list[Reviewer], number: int) -> None:
    definition = convert.definition(call)
    submitted = [name for name, _at_time in item.stages]
    stage = submitted[-1] if submitted and item.history[-1][1] != "draft" else definition.stages[0].name
    if item.history[-1][1] == "draft" and submitted:
        following = definition.next_stage(submitted[-1])
        stage = following.name if following else stage
    application = Application.objects.create(
        call=call,
        stage=stage,
        title=item.title,
        status=item.history[-1][1],
        answers=_answers(call, item),
        language=item.language,
        requested_eur=Decimal(item.requested) if item.requested else None,
        total_cost_eur=Decimal(item.total_cost) if item.total_cost else None,
    )
    Application.objects.filter(pk=application.pk).update(created_at=_at(item.history[0][2]))
    organisations = [Organisation.objects.get(slug=slug) for slug in (item.lead, *item.co_applicants)]
    for i, organisation in enumerate(organisations):
        Applicant.objects.create(
            application=application, organisation=organisation, lead=i == 0, added_at=_at(item.history[0][2])
        )
    for source, target, day in item.history:
        ApplicationChange.objects.create(
            application=application, from_status=source, to_status=target, changed_at=_at(day, 10)
        )
    for index, (stage_name, local) in enumerate(item.stages):
        _submit(application, stage_name, _local(local), number, index)
    judged = [day for _s, target, day in item.history if target in ("eligible", "ineligible")]
    if judged:
        on = dt.date.fromisoformat(judged[-1])
        outcome = evaluate(definition.rules, convert.facts(application, on))
        application.eligibility = [
            {"index": o.index, "kind": str(o.kind), "passed": o.passed, "code": o.code, "params": o.params}
            for o in outcome.outcomes
        ]
        application.save(update_fields=["eligibility"])
    decided = _at(item.history[-1][2], 11)
    for review in item.reviews:
        assignment = ReviewAssignment.objects.create(
            reviewer=reviewers[review.reviewer], application=application, fit=0.5, assigned_at=decided
        )
        Review.objects.create(
            assignment=assignment,
            scores=review.scores,
            comment=review.comment,
            submitted_at=decided - dt.timedelta(days=10),
        )
    if item.award is not None:
        _award(application, item.award, organisations, decided)


def _submit(application: Application, stage_name: str, at: dt.datetime, number: int, index: int) -> None:
    stage = convert.stage_of(application.call, stage_name)
    stored = dict(application.answers.get(stage_name, {}))
    files = []
    for f in stage.form.fields:
        if f.type is FieldType.FILE and f.required:
            name = f"{f.name}.{f.file_types[0] if f.file_types else 'pdf'}"
            attachment = Attachment(
                application=application,
                stage=stage_name,
                field=f.name,
                name=name,
                size=len(PDF),
                sha256=hashlib.sha256(PDF).hexdigest(),
                uploaded_at=at,
            )
            attachment.file.save(f"demo-{application.pk}-{name}", ContentFile(PDF), save=False)
            attachment.save()
            stored[f.name] = {
                "name": name,
                "size": len(PDF),
                "attachment": attachment.pk,
                "sha256": attachment.sha256,
            }
            files.append({"field": f.name, "name": name, "size": len(PDF), "sha256": attachment.sha256})
    application.answers = {**application.answers, stage_name: stored}
    application.save(update_fields=["answers"])
    answers = convert.stage_answers(application, stage)  # as sent: the consortium in its organisations field
    Submission.objects.create(
        application=application,
        stage=stage_name,
        receipt=services.receipt_code(application.call, application, index, f"DEMO{number:02d}"),
        answers=answers,
        attachments=files,
        digest=services.submission_digest(answers, files),
        submitted_at=at,
    )


def _award(
    application: Application, seed: AwardSeed, organisations: list[Organisation], at: dt.datetime
) -> None:
    amount = Decimal(seed.amount)
    call = application.call
    entry = LedgerEntry.objects.create(
        instrument=call.instrument,
        beneficiary=organisations[0],
        project_ref=f"application-{application.pk}",
        kind="committed",
        amount_eur=amount,
        on=at.date(),
        note=f"{call.title}: {application.title}",
    )
    if seed.project:
        project = Project.objects.get(cluster=call.cluster, title=seed.project)
    else:
        starts = dt.date.fromisoformat(seed.starts_on)
        running = starts <= timezone.localdate()
        project = Project.objects.create(
            cluster=call.cluster,
            kind=seed.project_kind,
            title=seed.project_title,
            acronym=seed.acronym,
            summary=application.answers.get(convert.definition(call).stages[0].name, {}).get("summary", ""),
            visibility="public",
            status="running" if running else "approved",
            months=seed.months,
            starts_on=starts,
        )
        for i, organisation in enumerate(organisations):
            ProjectMember.objects.create(
                project=project, organisation=organisation, role="coordinator" if i == 0 else "partner"
            )
        steps = [("", "idea"), ("idea", "consortium_forming"), ("consortium_forming", "submitted")]
        for source, target in steps:
            ProjectChange.objects.create(
                project=project, from_status=source, to_status=target, changed_on=at.date()
            )
        ProjectChange.objects.create(
            project=project, from_status="submitted", to_status="approved", changed_on=at.date()
        )
        if running:
            ProjectChange.objects.create(
                project=project, from_status="approved", to_status="running", changed_on=starts
            )
    award = Award.objects.create(application=application, amount_eur=amount, decided_at=at, method="rank")
    award.ledger_entries.add(entry)
    application.project = project
    application.save(update_fields=["project"])
