"""Projects of every reach for the permission test world (tests/permissions): in each cluster a public,
a members-only and a staff-only project, one still an idea; consortia of one organisation (a1, b1) or of
two across clusters (ab), and one part of each kind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


def add_projects(w: Any) -> None:
    from helix.projects.models import (
        BudgetLine,
        FundingSource,
        Milestone,
        Project,
        ProjectChange,
        ProjectMember,
        ProjectReport,
    )
    from tests.permissions.world import Thing

    cases = [
        ("alpha", "public", "forming", ("a1", "ab")),
        ("alpha", "members", "running", ("a1",)),
        ("alpha", "staff", "submitted", ("a2",)),
        ("alpha", "public", "idea", ("a3",)),
        ("beta", "public", "approved", ("b1", "ab")),
        ("beta", "members", "forming", ("b2",)),
        ("beta", "staff", "idea", ("b1",)),
    ]
    for cluster, visibility, status, members in cases:
        project = Project.objects.create(
            cluster=w.clusters[cluster],
            kind="flagship",
            title=f"{visibility} {status} project of {cluster}",
            visibility=visibility,
            status="consortium_forming" if status == "forming" else status,
        )
        for i, org in enumerate(members):
            ProjectMember.objects.create(
                project=project, organisation=w.orgs[org], role="coordinator" if i == 0 else "partner"
            )
        facts = {visibility, "idea" if status == "idea" else "active"}
        key = f"project:{cluster}-{visibility}-{status}"
        w.things[key] = Thing(
            project,
            owners=frozenset(members),
            clusters=frozenset({cluster}),
            audience=frozenset({cluster}),
            facts=frozenset(facts),
        )

    # one part of each kind, on a project whose consortium spans both clusters' members
    project = w.things["project:alpha-public-forming"].obj
    coordinator = project.members.get(role="coordinator")
    parts = {
        "member": coordinator,
        "change": ProjectChange.objects.create(
            project=project, from_status="idea", to_status="consortium_forming"
        ),
        "budget": BudgetLine.objects.create(
            member=coordinator, year=2026, category="personnel", amount=Decimal("12000")
        ),
        "source": FundingSource.objects.create(project=project, kind="own", amount=Decimal("6000")),
        "milestone": Milestone.objects.create(project=project, title="Pilot running", due_month=6),
        "report": ProjectReport.objects.create(
            project=project,
            title="First half",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 6, 30),
        ),
    }
    for name, obj in parts.items():
        w.things[f"project-{name}:alpha-public-forming"] = Thing(
            obj,
            owners=frozenset({"a1", "ab"}),
            clusters=frozenset({"alpha"}),
            audience=frozenset({"alpha"}),
        )
