"""The part of a person's export about their work on projects, calls and funds: the projects they
started and the lifecycle steps they made, the calls they created, the applications they started or
edited, the submissions they made and files they uploaded, their roles as a reviewer with their
reviews and declared conflicts, and the ledger entries they booked."""

from __future__ import annotations

from typing import Any

from helix.registry.models import Person

KEYS = (
    "projects_started",
    "project_steps",
    "calls_created",
    "applications",
    "submissions",
    "attachments_uploaded",
    "review_roles",
    "ledger_entries_booked",
)


def work_rows(person: Person, user: Any) -> dict[str, list[dict[str, Any]]]:
    from django.db.models import Q

    from helix.calls.models import Application, Attachment, Call, Reviewer, Submission
    from helix.funds.models import LedgerEntry
    from helix.privacy.export import _when  # the export's own (it imports this module at its top)
    from helix.projects.models import Project, ProjectChange

    data: dict[str, list[dict[str, Any]]] = {key: [] for key in KEYS}
    data["review_roles"] = [
        {
            "call": r.call.key,
            "expertise": r.expertise,
            "max_reviews": r.max_reviews,
            "reviews": [
                {
                    "application": a.application_id,
                    "scores": a.review.scores if hasattr(a, "review") else None,
                    "comment": a.review.comment if hasattr(a, "review") else "",
                    "staff_note": a.review.staff_note if hasattr(a, "review") else "",
                    "submitted_at": _when(a.review.submitted_at) if hasattr(a, "review") else None,
                }
                for a in r.assignments.select_related("review").order_by("pk")
            ],
            "declared_conflicts": [
                {"application": c.application_id, "note": c.note, "declared_at": _when(c.declared_at)}
                for c in r.declared_conflicts.order_by("pk")
            ],
        }
        for r in Reviewer.objects.filter(person=person).select_related("call").order_by("pk")
    ]
    if user is None:
        return data
    data["projects_started"] = [
        {"id": p.pk, "title": p.title, "kind": p.kind, "status": p.status, "created_at": _when(p.created_at)}
        for p in Project.objects.filter(created_by=user).order_by("pk")
    ]
    data["project_steps"] = [
        {
            "project": c.project_id,
            "from": c.from_status,
            "to": c.to_status,
            "on": _when(c.changed_on),
            "note": c.note,
        }
        for c in ProjectChange.objects.filter(changed_by=user).order_by("pk")
    ]
    data["calls_created"] = [
        {"key": c.key, "title": c.title, "created_at": _when(c.created_at)}
        for c in Call.objects.filter(created_by=user).order_by("pk")
    ]
    data["applications"] = [
        {
            "id": a.pk,
            "call": a.call.key,
            "title": a.title,
            "status": a.status,
            "started_by_you": a.created_by_id == user.pk,
            "last_saved_by_you": a.updated_by_id == user.pk,
            "created_at": _when(a.created_at),
        }
        for a in Application.objects.filter(Q(created_by=user) | Q(updated_by=user))
        .select_related("call")
        .order_by("pk")
    ]
    data["submissions"] = [
        {"application": s.application_id, "stage": s.stage, "receipt": s.receipt, "at": _when(s.submitted_at)}
        for s in Submission.objects.filter(submitted_by=user).order_by("pk")
    ]
    data["attachments_uploaded"] = [
        {"application": a.application_id, "field": a.field, "name": a.name, "at": _when(a.uploaded_at)}
        for a in Attachment.objects.filter(uploaded_by=user).order_by("pk")
    ]
    data["ledger_entries_booked"] = [
        {
            "instrument": e.instrument.key,
            "beneficiary": e.beneficiary.name,
            "kind": e.kind,
            "amount_eur": str(e.amount_eur),
            "on": _when(e.on),
            "note": e.note,
        }
        for e in LedgerEntry.objects.filter(created_by=user).select_related("instrument", "beneficiary")
    ]
    return data
