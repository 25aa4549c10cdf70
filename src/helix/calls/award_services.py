"""The award of a selected application at the call's last stage: its requested amount, in one
transaction. The amount is committed on the call's instrument (helix.funds.services.commit) for each
applicant's share when the applicants' shares are given (they must add up to the amount), else for the
lead; the project is created (helix.projects.services.start_project) of the call's ``project_type``,
coordinated by the lead with the co-applicants as partners, and moved to ``approved`` through its
lifecycle (its submission is the lead's, who submitted the application: the project's rules must hold,
so a duration is needed); the application is linked to the project and moves to ``funded``; the
:class:`Award` keeps the ledger entries. Any refusal on the way (a cap exceeded, by a share alone or by
the shares together; the project's rules) refuses it whole, with every reason, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from helix.calls import convert
from helix.calls.models import (
    Application,
    ApplicationChange,
    ApplicationStatus,
    Award,
    Submission,
)
from helix.calls.permissions import application_roles
from helix.calls.services import CallRefused
from helix.core.calls import lifecycle
from helix.core.projects import lifecycle as project_lifecycle
from helix.core.projects.types import project_type
from helix.core.workflow import TransitionNotAllowed
from helix.funds import services as funds
from helix.funds.models import LedgerEntry
from helix.projects import convert as projects_convert
from helix.projects import services as projects
from helix.projects.models import Project, ProjectChange, ProjectStatus, Role
from helix.registry.models import Organisation
from helix.registry.permissions import can


@dataclass(frozen=True)
class Said:
    """A refusal of another app (projects) as a problem the calls' explain says: code, params, text."""

    code: str
    params: dict[str, object]
    text: str = ""


def project_ref(application: Application) -> str:
    """The ledger's project reference of an application: the one its eligibility's caps count."""
    return f"application-{application.pk}"


def shares_of(application: Application) -> list[tuple[Organisation, Decimal]]:
    """Who receives what of the amount asked: the applicants' shares when any is given (they must add up
    to it), else the lead all of it."""
    amount = application.requested_eur
    if amount is None:
        raise CallRefused("award.no_amount", {})
    applicants = list(application.applicants.select_related("organisation").order_by("-lead", "pk"))
    if any(a.requested_eur is not None for a in applicants):
        total = sum((a.requested_eur or Decimal(0) for a in applicants), Decimal(0))
        if total != amount:
            raise CallRefused("award.shares_differ", {"shares": str(total), "amount": str(amount)})
        return [(a.organisation, a.requested_eur) for a in applicants if a.requested_eur]
    lead = next((a.organisation for a in applicants if a.lead), None)
    if lead is None:  # pragma: no cover - an application is started with its lead
        raise CallRefused("award.no_amount", {})
    return [(lead, amount)]


def award_problems(application: Application, on: dt.date | None = None) -> list[Any]:
    """What would refuse the award's commitments now (the core's cap outcomes and ledger problems), each
    share judged alone; nothing is written. For the decision page, beside each award button."""
    call = application.call
    if call.instrument is None or application.requested_eur is None:
        return []
    found: list[Any] = []
    try:
        shares = shares_of(application)
    except CallRefused:
        return []
    for organisation, amount in shares:
        result = funds.check_commitment(
            call.instrument,
            organisation,
            amount,
            on or timezone.localdate(),
            project_ref=project_ref(application),
        )
        found.extend(result.problems or result.caps.problems)
    return found


def _refusal(refused: Any) -> Said:
    return Said(refused.code, dict(refused.params))


def _commit(user: Any, application: Application, on: dt.date) -> list[LedgerEntry]:
    call = application.call
    instrument = call.instrument
    if instrument is None:
        raise CallRefused("award.no_instrument", {})
    shares = shares_of(application)
    problems = award_problems(application, on)
    if problems:
        raise CallRefused("award.refused", {"amount": str(application.requested_eur)}, tuple(problems))
    entries = []
    for organisation, amount in shares:
        try:
            entries.append(
                funds.commit(
                    user,
                    instrument,
                    organisation,
                    amount,
                    on,
                    project_ref=project_ref(application),
                    note=f"{call.key}: {application.title}"[:300],
                )
            )
        except funds.FundsRefused as refused:  # the shares together cross a cap each passed alone
            raise CallRefused(
                "award.refused",
                {"amount": str(application.requested_eur)},
                (_refusal(refused), *refused.problems),
            ) from None
    return entries


def _submit_for_lead(project: Project, application: Application, note: str) -> None:
    """The project's submission, made by the lead when it submitted the application: the lifecycle's
    coordinator move, with its requirements (the type's consortium rules and duration) checked."""
    chosen = project_type(project.kind)
    last = Submission.objects.filter(application=application).order_by("-submitted_at", "-pk").first()
    by = last.submitted_by if last is not None else None
    try:
        entry = project_lifecycle.move_project(
            chosen,
            project.status,
            ProjectStatus.SUBMITTED,
            {project_lifecycle.COORDINATOR},
            projects_convert.facts(project, chosen),
            by=by.pk if by is not None else None,
            at=timezone.now(),
            note=note,
        )
    except project_lifecycle.ProjectMoveRefused as refused:
        said = Said(f"lifecycle.{refused.code}", {"from": refused.source, "to": refused.target})
        raise CallRefused(
            "award.project_not_ready", {"type": project.kind}, tuple(refused.problems) or (said,)
        ) from None
    project.status = entry.target
    project.revision += 1
    project.save(update_fields=["status", "revision"])
    ProjectChange.objects.create(
        project=project, from_status=entry.source, to_status=entry.target, changed_by=by, note=note[:300]
    )


def _project(user: Any, application: Application, months: int | None, starts_on: dt.date | None) -> Project:
    call = application.call
    kind = convert.definition(call).project_type
    if not kind:
        raise CallRefused("award.no_project_type", {})
    applicants = list(application.applicants.select_related("organisation").order_by("-lead", "pk"))
    lead = next(a.organisation for a in applicants if a.lead)
    note = f"{call.key}: {application.title}"[:300]
    try:
        project = projects.start_project(
            user,
            cluster=call.cluster,
            coordinator=lead,
            kind=kind,
            title=application.title[:200],
            months=months,
            starts_on=starts_on,
        )
        for a in applicants:
            if not a.lead:
                projects.add_member(user, project, a.organisation, Role.PARTNER)
        project = projects.move(user, project, ProjectStatus.FORMING, note)
        _submit_for_lead(project, application, note)
        project = projects.move(user, project, ProjectStatus.APPROVED, note)
    except projects.ProjectRefused as refused:
        raise CallRefused(
            "award.project_refused", {"type": kind}, (_refusal(refused), *refused.problems)
        ) from None
    return project


def _answered(application: Application, name: str) -> Any:
    return application.answers.get(application.stage, {}).get(name)


def _months(value: Any, application: Application) -> int | None:
    value = value if value not in (None, "") else _answered(application, "duration_months")
    if value in (None, ""):
        return None
    try:
        months = int(str(value))
    except ValueError:
        raise CallRefused("award.bad_months", {"value": str(value)[:20]}) from None
    if not 1 <= months <= 600:
        raise CallRefused("award.bad_months", {"value": months})
    return months


def _start(value: Any, application: Application) -> dt.date | None:
    value = value if value not in (None, "") else _answered(application, "start")
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise CallRefused("award.bad_start", {"value": str(value)[:20]}) from None


def _decision_method(application: Application) -> str:
    """rank, optimal or manual: how the decision that selected the application was taken."""
    change = (
        ApplicationChange.objects.filter(application=application, to_status=ApplicationStatus.SELECTED)
        .order_by("-changed_at", "-pk")
        .first()
    )
    note = change.note if change is not None else ""
    return next((m for m in ("rank", "optimal") if note.startswith(m)), "manual")


@transaction.atomic
def award(
    user: Any,
    application: Application,
    *,
    months: Any = None,
    starts_on: Any = None,
    on: dt.date | None = None,
) -> Award:
    """Award a selected application (see the module's doc). ``months`` and ``starts_on``: the project's
    duration and start, when the application's answers (``duration_months``, ``start``) do not give
    them; ``on``: the day of the commitment (today)."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__cluster", "call__instrument")
        .get(pk=application.pk)
    )
    call = application.call
    if not can(user, "decide", call):
        raise PermissionDenied
    if application.status != ApplicationStatus.SELECTED:
        raise CallRefused("award.not_selected", {"status": application.status})
    if convert.definition(call).next_stage(application.stage) is not None:
        raise CallRefused("award.not_last_stage", {"stage": application.stage})
    duration = _months(months, application)
    start = _start(starts_on, application)
    day = on or timezone.localdate()
    entries = _commit(user, application, day)
    project = _project(user, application, duration, start)
    application.project = project
    application.save(update_fields=["project"])
    made = Award.objects.create(
        application=application,
        amount_eur=application.requested_eur,
        decided_by=user if getattr(user, "is_authenticated", False) else None,
        method=_decision_method(application),
    )
    made.ledger_entries.set(entries)
    _fund(user, application, f"{call.key}: project {project.pk}")
    return made


def _fund(user: Any, application: Application, note: str) -> None:
    try:
        lifecycle.APPLICATION_WORKFLOW.check(
            application.status, ApplicationStatus.FUNDED, application_roles(user, application)
        )
    except TransitionNotAllowed:
        raise CallRefused(
            "application.move_not_allowed", {"from": application.status, "to": ApplicationStatus.FUNDED}
        ) from None
    source = application.status
    application.status = ApplicationStatus.FUNDED
    application.revision += 1
    Application.objects.filter(pk=application.pk).update(
        status=application.status, revision=application.revision
    )
    ApplicationChange.objects.create(
        application=application,
        from_status=source,
        to_status=application.status,
        changed_by=user if getattr(user, "is_authenticated", False) else None,
        note=note[:300],
    )


__all__ = ["Said", "award", "award_problems", "project_ref", "shares_of"]
