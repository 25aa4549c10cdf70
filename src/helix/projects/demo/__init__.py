"""Demo projects: the seeds' funded flagship projects, made of the demo's sample companies only (never of
real organisations), with their dated history, so that a newcomer's `make demo` shows projects and the
composer straight away. Read from ``data/projects.json``; loading twice changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from helix.projects.models import Project, ProjectChange, ProjectMember
from helix.registry.demo.records import read_json
from helix.registry.models import Cluster, Organisation


@dataclass(frozen=True)
class MemberSeed:
    organisation: str  # slug of a sample organisation of the demo ecosystem
    role: str


@dataclass(frozen=True)
class StepSeed:
    source: str  # "" for the first step
    target: str
    on: dt.date


@dataclass(frozen=True)
class ProjectSeed:
    cluster: str
    kind: str
    title: str
    acronym: str
    summary: str
    visibility: str
    months: int
    starts_on: dt.date
    members: tuple[MemberSeed, ...] = ()
    history: tuple[StepSeed, ...] = ()


DATA_DIR = Path(__file__).parent / "data"
PROJECTS: tuple[ProjectSeed, ...] = read_json(DATA_DIR / "projects.json", ProjectSeed)


@transaction.atomic
def load_demo_projects() -> dict[str, int]:
    """Create the demo projects that are missing (found by cluster and title); counts of what was done."""
    created = 0
    for seed in PROJECTS:
        cluster = Cluster.objects.get(slug=seed.cluster)
        if Project.objects.filter(cluster=cluster, title=seed.title).exists():
            continue
        project = Project.objects.create(
            cluster=cluster,
            kind=seed.kind,
            title=seed.title,
            acronym=seed.acronym,
            summary=seed.summary,
            visibility=seed.visibility,
            months=seed.months,
            starts_on=seed.starts_on,
            status=seed.history[-1].target,
        )
        for member in seed.members:
            organisation = Organisation.objects.get(slug=member.organisation)
            ProjectMember.objects.create(project=project, organisation=organisation, role=member.role)
        for step in seed.history:
            ProjectChange.objects.create(
                project=project, from_status=step.source, to_status=step.target, changed_on=step.on
            )
        created += 1
    return {"created": created, "projects": Project.objects.count()}
