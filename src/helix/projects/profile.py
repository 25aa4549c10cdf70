"""The projects an organisation is in, as a section of its profile (helix.registry.profile_sections):
each with its type, status, the organisation's role and its consortium, only those the visitor may see.
Registered by helix.projects.apps."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Prefetch
from django.http import HttpRequest
from django.template.loader import render_to_string

from helix.projects import explain
from helix.projects.models import Project, ProjectMember
from helix.registry.models import Organisation
from helix.registry.permissions import scope


def organisation_projects(request: HttpRequest, organisation: Organisation) -> str:
    """The profile's projects section: empty when the visitor may see none of the organisation's
    projects. A fixed number of queries, however many projects and partners."""
    user = request.user
    projects = list(
        scope(user, "view", Project.objects.filter(members__organisation=organisation))
        .select_related("cluster")
        .prefetch_related(
            "cluster__names",
            Prefetch(
                "members",
                queryset=ProjectMember.objects.select_related("organisation").order_by("pk"),
            ),
        )
        .distinct()
        .order_by(F("starts_on").desc(nulls_last=True), "title", "pk")
    )
    if not projects:
        return ""
    partners = {m.organisation_id for p in projects for m in p.members.all()}
    visible = set(
        scope(user, "view", Organisation.objects.filter(pk__in=partners)).values_list("pk", flat=True)
    )
    rows: list[dict[str, Any]] = []
    for p in projects:
        members = list(p.members.all())
        own = next(m for m in members if m.organisation_id == organisation.pk)
        rows.append(
            {
                "project": p,
                "type_name": explain.type_name(p.kind),
                "role": own.get_role_display(),
                "consortium": [
                    {"member": m, "linked": m.organisation_id in visible}
                    for m in members
                    if m.organisation_id != organisation.pk
                ],
            }
        )
    return render_to_string(
        "projects/_organisation_projects.html", {"organisation": organisation, "rows": rows}, request
    )
