"""Integration: every refusal of the consortium rules, the lifecycle and the services is said in the
reader's language, in one place (helix.projects.explain)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

import helix.core.projects as core_projects
from helix.core.projects import lifecycle
from helix.projects import explain, services
from helix.projects.services import ProjectRefused
from tests.factories.registry import ClusterFactory, MembershipFactory, OrganisationFactory, member_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

CORE = Path(core_projects.__file__).parent
SERVICES = Path(services.__file__)
PARTS = SERVICES.parent / "parts.py"


def _codes_in(path: Path, pattern: str) -> set[str]:
    return set(re.findall(pattern, path.read_text(encoding="utf-8")))


def test_every_refusal_the_rules_the_lifecycle_and_the_services_give_is_translated():
    failed = {f"consortium.{c}" for c in _codes_in(CORE / "rules.py", r'self\._failed\(\s*"([a-z_]+)"')}
    refused = (lifecycle.NOT_YOURS, lifecycle.NOT_FROM_STATE, lifecycle.REQUIREMENTS_UNMET)
    moves = {f"lifecycle.{code}" for code in refused}
    problems = _codes_in(CORE / "lifecycle.py", r'Problem\(\s*"([a-z_.]+)"') | _codes_in(
        CORE / "types.py", r'Problem\(\s*"([a-z_.]+)"'
    )
    refusals = _codes_in(SERVICES, r'ProjectRefused\(\s*"([a-z_.]+)"')
    assert (len(failed) >= 12, len(problems) >= 5, len(refusals)) == (True, True, 4)  # the scan finds them
    assert (failed | moves | problems | refusals) - explain.TRANSLATED == set()


def test_every_problem_of_the_budget_and_every_refusal_of_the_parts_is_translated():
    kinds, whens = ("milestone", "deliverable"), ("due_before_start", "after_end")
    dated = {f"budget.{kind}_{when}" for kind in kinds for when in whens}
    budget = _codes_in(CORE / "budget.py", r'Problem\(\s*"([a-z_.]+)"') | dated  # f-strings: written out
    parts = _codes_in(PARTS, r'(?:ProjectRefused|Problem)\(\s*"([a-z_.]+)"')
    assert (len(budget) >= 8, len(parts) >= 10) == (True, True)  # the scan finds them
    assert (budget | parts) - explain.TRANSLATED == set()


def test_a_refused_submission_reads_the_same_in_german_with_its_reasons():
    cluster = ClusterFactory(slug="lu-materials", name="Materials")
    steel = OrganisationFactory(name="Steel", slug="steel", kind="company")
    MembershipFactory(organisation=steel, cluster=cluster, level="member")
    user = member_user(steel, "steel_person")
    project = services.start_project(
        user, cluster=cluster, coordinator=steel, kind="flagship", title="Green steel", months=6
    )
    services.move(user, project, "consortium_forming")
    with pytest.raises(ProjectRefused) as refused:
        services.move(user, project, "submitted")
    with translation.override("de"):
        text = explain.refusal_text(refused.value)
    assert text == (
        "Das Projekt ist noch nicht bereit für „Eingereicht“: "
        "Mindestens 2 unabhängige Organisationen sind nötig; das Konsortium hat 1. "
        "Diese Art von Projekt dauert 12 bis 48 Monate; dieses 6."
    )
    with translation.override("en"):
        assert explain.refusal_text(refused.value) == (
            "The project is not ready to go to “Submitted” yet: "
            "At least 2 independent organisations are needed; the consortium has 1. "
            "This kind of project lasts from 12 to 48 months; this one 6."
        )


def test_a_code_not_said_here_falls_back_to_the_core_english_text():
    assert explain.say("budget.not_said_here", {"organisation": 3}, "3's costs are not covered.") == (
        "3's costs are not covered."
    )
