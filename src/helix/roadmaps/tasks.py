"""Background tasks of roadmaps: the resource-levelled plan, with the solver's progress on the job."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from helix.audit.context import TASK, acting_as, job_actor
from helix.jobs.services import run_job


@task()
def level_roadmap(job_id: int, roadmap_id: int) -> dict[str, Any]:
    """Level roadmap ``roadmap_id`` (helix.roadmaps.levelling.run_levelling); nothing of it is written."""
    from helix.roadmaps.levelling import run_levelling
    from helix.roadmaps.models import Roadmap

    roadmap = Roadmap.objects.get(pk=roadmap_id)
    with acting_as(job_actor(job_id), TASK):
        return run_job(job_id, lambda progress: run_levelling(roadmap_id, progress), inputs=[roadmap])
