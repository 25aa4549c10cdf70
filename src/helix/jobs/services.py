"""Start background jobs and record their outcome."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from django.db import transaction

from helix.jobs.models import Job, JobStatus
from helix.jobs.progress import JobProgress


def create_job(kind: str, title: str, user: Any = None) -> Job:
    return Job.objects.create(kind=kind, title=title, created_by=user if getattr(user, "pk", None) else None)


def run_job(job_id: int, work: Callable[[JobProgress], dict[str, Any]]) -> dict[str, Any]:
    """Run ``work`` for the job, keeping its status, progress and result up to date.

    ``work`` must be atomic on its own: if it raises, the job is marked failed with the error and
    nothing it wrote inside its transaction remains.
    """
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING)
    try:
        result = work(JobProgress(job))
    except Exception as exc:
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, error=f"{exc}\n\n{traceback.format_exc(limit=5)}"[:10000]
        )
        raise
    with transaction.atomic():
        job.refresh_from_db()
        job.status = JobStatus.SUCCEEDED
        job.result = result
        if job.total:
            job.done = job.total
        job.save()
    return result
