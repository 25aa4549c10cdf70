"""Background tasks of projects: learn the partner recommender's weights from the database."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from helix.audit.context import TASK, acting_as, job_actor
from helix.jobs.services import run_job


@task()
def fit_partner_recommender(job_id: int) -> dict[str, Any]:
    from helix.projects.recommender import fit

    with acting_as(job_actor(job_id), TASK):
        return run_job(job_id, lambda progress: fit(progress))
