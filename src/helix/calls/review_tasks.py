"""Background tasks of the review: the reviewer assignment, with its progress on the job."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from helix.audit.context import TASK, acting_as
from helix.jobs.services import run_job


@task()
def assign_call_reviewers(job_id: int, call_id: int) -> dict[str, Any]:
    """Assign the reviewers of call ``call_id`` (helix.calls.review_assignment.run_assignment). The run
    writes its assignment in one transaction at the end: a worker dying mid-run leaves the previous
    assignment in place. A retry needs the call."""
    from helix.calls.models import Call
    from helix.calls.review_assignment import run_assignment
    from helix.jobs.models import Job

    job = Job.objects.select_related("created_by").get(pk=job_id)
    call = Call.objects.get(pk=call_id)
    with acting_as(job.created_by, TASK):  # the audit trail records the run as its starter's
        return run_job(job_id, lambda progress: run_assignment(call_id, progress), inputs=[call])
