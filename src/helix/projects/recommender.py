"""The partner recommender learned from the database: who worked with whom (every consortium past the
idea stage and every accepted meeting request, whoever may see them: the weights it learns say how much
each kind of evidence counts, nothing of any one project), fitted by a background job, and the model the
composer ranks with (the newest learned one, else the core's hand-set blend).

Learning needs past consortia to hide a partner of and ask who completes them (LearnOptions.min_cases,
chosen on the validation split of bench/consortia_quality): with fewer the fit says so and keeps the
blend, so a young cluster gets the blend, not weights fitted to a handful of projects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import QuerySet

from helix.core.consortia.features import FEATURES
from helix.core.consortia.participations import Participation, organisation_type_of_kind
from helix.core.consortia.recommend import DEFAULT_BLEND, LearnOptions, LinearModel, learn
from helix.market.models import MeetingRequest, MeetingStatus
from helix.projects import convert
from helix.projects.models import ProjectMember, ProjectStatus, RecommenderModel
from helix.registry.models import Organisation

MEETING_PART = "meeting"  # the programme part of an accepted meeting request


def participation_rows(
    members: QuerySet[ProjectMember], meetings: QuerySet[MeetingRequest]
) -> list[Participation]:
    """One row per consortium member of ``members``' projects past the idea stage, two per accepted
    meeting request of ``meetings`` (a meeting that happened is a small joint "project" of the two, in
    its own programme part)."""
    rows = []
    chosen = (
        members.exclude(project__status=ProjectStatus.IDEA)
        .select_related("organisation", "project")
        .prefetch_related("organisation__sites")
    )
    for m in chosen:
        year = (m.project.starts_on or m.project.created_at).year
        rows.append(_row(f"project-{m.project_id}", m.organisation, m.role, (m.project.kind,), year))
    accepted = (
        meetings.filter(status=MeetingStatus.ACCEPTED)
        .select_related("from_organisation", "to_organisation")
        .prefetch_related("from_organisation__sites", "to_organisation__sites")
    )
    for meeting in accepted:
        year = (meeting.responded_at or meeting.created_at).year
        for side in (meeting.from_organisation, meeting.to_organisation):
            rows.append(_row(f"meeting-{meeting.pk}", side, "participant", (MEETING_PART,), year))
    return rows


def _row(project: str, org: Organisation, role: str, parts: tuple[str, ...], year: int) -> Participation:
    return Participation(
        project_id=project,
        organisation_id=str(org.pk),
        role=role,
        organisation_type=organisation_type_of_kind(org.kind),
        country=convert.country(org),  # its sites only: prefetched with the rows
        programme_parts=parts,
        start_year=year,
    )


def fit(
    progress: Callable[[int, int, str], None] | None = None, options: LearnOptions | None = None
) -> dict[str, Any]:
    """Learn the weights from every participation in the database and keep them when learned (not when
    there was too little to learn from: the core then falls back to its blend, and so does the composer)."""
    rows = participation_rows(ProjectMember.objects.all(), MeetingRequest.objects.all())
    if progress is not None:
        progress(0, 1, "reading the participations")
    recommender = learn(rows, options or LearnOptions(), progress)
    model = recommender.model
    learned = model.cases > 0
    result: dict[str, Any] = {"participations": len(rows), "learned": learned, "note": model.note}
    if learned:
        with transaction.atomic():
            row = RecommenderModel.objects.create(
                features=list(FEATURES),
                weights=[float(x) for x in model.weights],
                mean=[float(x) for x in model.mean],
                scale=[float(x) for x in model.scale],
                cases=model.cases,
                note=model.note[:200],
            )
        result["model"] = row.pk
    return result


def current_model() -> LinearModel:
    """The newest learned model whose features are the core's (a model of older features is ignored),
    else the core's hand-set blend."""
    row = RecommenderModel.objects.order_by("-created_at", "-pk").first()
    if row is None or list(row.features) != list(FEATURES):
        return DEFAULT_BLEND
    return LinearModel(
        np.array(row.weights, dtype=float),
        np.array(row.mean, dtype=float),
        np.array(row.scale, dtype=float),
        row.note,
        row.cases,
    )
