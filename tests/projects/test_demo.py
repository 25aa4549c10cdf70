"""Integration: the demo's projects: two funded flagship projects of sample companies only, whose
history follows the lifecycle; loading twice changes nothing (helix.projects.demo)."""

from __future__ import annotations

import datetime as dt

import pytest

from helix.core.projects.lifecycle import HistoryEntry, replay
from helix.core.projects.types import project_type
from helix.projects.demo import PROJECTS, load_demo_projects
from helix.projects.models import Project
from helix.registry.demo.load import load_demo_registry

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_demo_projects_load_once_with_sample_consortia_and_a_lawful_history():
    load_demo_registry()
    assert load_demo_projects() == {"created": 2, "projects": 2}
    assert load_demo_projects() == {"created": 0, "projects": 2}
    rows = {p.acronym: p for p in Project.objects.all()}
    assert {a: (p.status, p.members.count()) for a, p in rows.items()} == {
        "LIGHTCOAT": ("running", 3),
        "REFEED": ("approved", 2),
    }
    for p in rows.values():
        assert {m.organisation.is_sample for m in p.members.all()} == {True}  # never a real organisation
    for seed in PROJECTS:  # each history is a path the type's lifecycle allows, ending where the project is
        entries = [
            HistoryEntry(s.source or "idea", s.target, None, dt.datetime.combine(s.on, dt.time(), dt.UTC))
            for s in seed.history[1:]
        ]
        assert replay(project_type(seed.kind), entries) == seed.history[-1].target
