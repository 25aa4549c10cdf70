"""Background tasks of symbiosis: matching a region and allocating it, with progress on a job."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from helix.jobs.services import run_job


@task()
def match_region(job_id: int, region: str = "") -> dict[str, Any]:
    from helix.symbiosis.services import run_matching

    return run_job(job_id, lambda progress: run_matching(region or None, progress))


@task()
def allocate_region(run_id: int) -> dict[str, Any]:
    from helix.symbiosis.models import AllocationRun
    from helix.symbiosis.services import run_allocation

    run = AllocationRun.objects.get(pk=run_id)
    if run.job_id is None:
        return run_allocation(run_id)
    return run_job(run.job_id, lambda progress: run_allocation(run_id, progress))
