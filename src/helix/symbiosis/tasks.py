"""Background tasks of symbiosis: matching a region and allocating it, with progress on a job."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from helix.audit.context import TASK, acting_as, job_actor
from helix.jobs.services import run_job


@task()
def match_region(job_id: int, region: str = "") -> dict[str, Any]:
    from helix.symbiosis.matching import run_matching

    with acting_as(job_actor(job_id), TASK):  # the audit trail records the run as the job creator's
        return run_job(job_id, lambda progress: run_matching(region or None, progress))


@task()
def allocate_region(run_id: int) -> dict[str, Any]:
    from helix.symbiosis.allocation import run_allocation
    from helix.symbiosis.models import AllocationRun

    run = AllocationRun.objects.select_related("created_by").get(pk=run_id)
    with acting_as(run.created_by, TASK):
        if run.job_id is None:
            return run_allocation(run_id)
        return run_job(run.job_id, lambda progress: run_allocation(run_id, progress))
