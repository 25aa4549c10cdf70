"""The consortium composer for one project: what its draft consortium still misses, and who would
complete it, each suggestion explained.

Two cores meet here and nowhere else: helix.core.projects.composer (the type's rules, the gaps a candidate
closes) and helix.core.consortia (the partner recommender). The recommender learns from what Helix
knows of who works with whom, as far as the user may see it (a reason must not reveal a project or a
meeting the user may not know of): the consortia of the projects past the idea stage, and every accepted
meeting request between two organisations (a meeting that happened is counted as a small joint
"project" of the two, in its own programme part). The candidates are the organisations of the
project's cluster and those the recommender knows, as far as the user may see them; the ones already in
the consortium are never suggested.

The recommender ranks with its hand-set blend here (the learned weights need a few hundred past
consortia and seconds of fitting: a background job's work, not built yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from helix.core.consortia.participations import Participation, Query, organisation_type_of_kind
from helix.core.consortia.recommend import LearnOptions, learn
from helix.core.projects import composer as core
from helix.core.projects.consortium import Organisation as CoreOrganisation
from helix.market.models import MeetingRequest, MeetingStatus
from helix.projects import convert
from helix.projects.models import Project, ProjectMember, ProjectStatus
from helix.projects.services import type_of
from helix.registry.models import Organisation
from helix.registry.permissions import can, scope

MEETING_PART = "meeting"  # the programme part of an accepted meeting request


@dataclass(frozen=True)
class Composed:
    """The composer's answer with the ORM organisations of its suggestions, best first."""

    composition: core.Composition
    organisations: dict[int, Organisation]


def participations(user: Any) -> list[Participation]:
    """Who worked with whom, as the recommender reads it for ``user``: one row per consortium member of
    every project past the idea stage and two per accepted meeting request, of those ``user`` may see
    (a suggestion's reasons must not reveal a project or a meeting the user may not know of)."""
    rows = []
    members = (
        ProjectMember.objects.exclude(project__status=ProjectStatus.IDEA)
        .filter(project__in=scope(user, "view", Project.objects.all()))
        .select_related("organisation", "project")
        .prefetch_related("organisation__sites")
    )
    for m in members:
        year = (m.project.starts_on or m.project.created_at).year
        rows.append(_row(f"project-{m.project_id}", m.organisation, m.role, (m.project.kind,), year))
    accepted = MeetingRequest.objects.filter(status=MeetingStatus.ACCEPTED)
    meetings = scope(user, "view", accepted).select_related(
        "from_organisation", "to_organisation"
    ).prefetch_related("from_organisation__sites", "to_organisation__sites")
    for meeting in meetings:
        year = (meeting.responded_at or meeting.created_at).year
        for side in (meeting.from_organisation, meeting.to_organisation):
            rows.append(_row(f"meeting-{meeting.pk}", side, "participant", (MEETING_PART,), year))
    return rows


def _row(project: str, org: Organisation, role: str, parts: tuple[str, ...], year: int) -> Participation:
    country = convert.country(org)  # its sites only: prefetched with the rows, one query for all
    return Participation(
        project_id=project,
        organisation_id=str(org.pk),
        role=role,
        organisation_type=organisation_type_of_kind(org.kind),
        country=country,
        programme_parts=parts,
        start_year=year,
    )


def _affinity(user: Any, project: Project, draft: list[Any], top: int) -> dict[int, core.Affinity]:
    """The recommender's scores for ``project``'s draft, scaled to 0..1 (the best candidate 1)."""
    rows = participations(user)
    if not rows:
        return {}
    recommender = learn(rows, LearnOptions(learned=False))
    query = Query(f"project-{project.pk}", (project.kind,), tuple(str(m.id) for m in draft))
    found = recommender.recommend(query, top=top)
    best = max((s.score for s in found), default=0.0)
    if best <= 0:
        return {}
    out = {}
    for suggestion in found:
        if suggestion.score > 0:
            reasons = tuple(core.Reason(r.code, dict(r.params), r.text) for r in suggestion.reasons)
            out[int(suggestion.organisation_id)] = core.Affinity(suggestion.score / best, reasons)
    return out


def compose_for(user: Any, project: Project, *, top: int = 10) -> Composed:
    """The composer for ``project`` as ``user`` sees it (who may edit it; PermissionDenied otherwise)."""
    if not can(user, "edit", project):
        raise PermissionDenied
    chosen = type_of(project)
    draft = convert.members(project)
    affinity = _affinity(user, project, draft, top=50)
    # The candidates: the organisations of the project's cluster, and those the recommender knows to work
    # with the consortium, as far as the user may see them.
    near = Q(memberships__cluster_id=project.cluster_id) | Q(pk__in=list(affinity))
    visible = scope(user, "view", Organisation.objects.filter(near).distinct()).prefetch_related(
        *convert.ORGANISATION_PREFETCH
    )
    organisations = {o.pk: o for o in visible}
    candidates: list[CoreOrganisation] = [convert.organisation(o) for o in organisations.values()]
    needs = core.ProjectNeeds(domains=frozenset(str(d.pk) for d in project.domains.all()))
    composition = core.compose(chosen, draft, candidates, needs=needs, affinity=affinity, top=top)
    shown = {int(s.organisation): organisations[int(s.organisation)] for s in composition.suggestions}
    return Composed(composition, shown)
