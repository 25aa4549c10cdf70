"""Integration: the partner recommender learned from the database by a background job
(helix.projects.recommender, helix.projects.tasks, `helix consortia fit`): it keeps the hand-set blend
when there is too little to learn from, stores learned weights otherwise, and the composer ranks with
the newest learned model whose features are the core's."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest
from click.testing import CliRunner

from helix.cli.consortia import consortia
from helix.core.consortia.features import FEATURES
from helix.core.consortia.recommend import DEFAULT_BLEND, LearnOptions
from helix.jobs.models import Job
from helix.jobs.services import create_job
from helix.projects import recommender, tasks
from helix.projects.models import Project, ProjectMember, RecommenderModel
from tests.factories.registry import ClusterFactory, OrganisationFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _history(projects: int, seed: int = 1) -> None:
    """``projects`` past consortia over 2024-2025 among 24 organisations in four tight groups of six:
    partners come back together, as they do in real clusters."""
    rng = random.Random(seed)
    cluster = ClusterFactory(slug="materials")
    orgs = [
        OrganisationFactory(slug=f"org-{i}", kind="company", size_class="sme")
        for i in range(24)
    ]
    for n in range(projects):
        group = orgs[(n % 4) * 6 : (n % 4) * 6 + 6]
        chosen = rng.sample(group, 3)
        project = Project.objects.create(
            cluster=cluster,
            kind="flagship",
            title=f"Project {n}",
            status="running",
            starts_on=dt.date(2024 + n % 2, 3, 1),
        )
        for i, org in enumerate(chosen):
            ProjectMember.objects.create(
                project=project, organisation=org, role="coordinator" if i == 0 else "partner"
            )


def test_too_few_past_consortia_keep_the_blend_and_store_nothing():
    _history(6)
    result = recommender.fit()
    assert result["learned"] is False
    assert "hand-set blend" in result["note"]
    assert RecommenderModel.objects.count() == 0
    assert recommender.current_model() is DEFAULT_BLEND


def test_enough_past_consortia_are_learned_from_stored_and_used():
    _history(80)
    result = recommender.fit(options=LearnOptions(min_cases=20))
    assert result["learned"] is True
    row = RecommenderModel.objects.get()
    assert row.features == list(FEATURES)
    assert row.cases >= 20
    model = recommender.current_model()
    assert model.cases == row.cases
    assert np.allclose(model.weights, row.weights)
    # co-participation counts for more than being popular: partners come back together
    weight = dict(zip(FEATURES, model.weights, strict=True))
    assert weight["co_adamic_adar"] + weight["co_partners"] + weight["co_count"] > 0


def test_a_model_of_other_features_is_ignored():
    RecommenderModel.objects.create(features=["old"], weights=[1.0], mean=[0.0], scale=[1.0], cases=99)
    assert recommender.current_model() is DEFAULT_BLEND


def test_the_job_runs_the_fit_and_records_its_result():
    _history(6)
    job = create_job("fit_partner_recommender", "Learn the partner recommender")
    tasks.fit_partner_recommender.enqueue(job.pk)
    job = Job.objects.get(pk=job.pk)
    assert job.status == "succeeded"
    assert job.result["learned"] is False
    assert job.result["participations"] == 18


def test_the_command_says_what_it_did():
    _history(6)
    result = CliRunner().invoke(consortia, ["fit"])
    assert result.exit_code == 0, result.output
    assert "Kept the hand-set blend (18 participations)" in result.output
