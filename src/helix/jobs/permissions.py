"""Who may see a background job, download its files and retry it.

A job shows what its task read and wrote (an import's errors quote raw cells of the uploaded file, an
export holds every person's contact data), so it belongs to the user who started it. Superusers see every
job, including system jobs (started by no one). Nobody else learns that a job exists: pages answer 404.

The rule is the table below (``self``: the account that started the job), asked through the one
permission engine (helix.registry.permissions) like every other app's.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from helix.core.access import SELF, Grant, Policy
from helix.jobs.models import Job
from helix.registry.permissions import Subject, can, register, scope

JOB = Policy(
    subject="jobs.job",
    label="Background job",
    actions={
        "view": "see the job page and its progress",
        "download": "download the job's output files (an export workbook)",
        "retry": "queue a failed job again",
    },
    grants=(Grant("view", SELF), Grant("download", SELF), Grant("retry", SELF)),
)

register(Subject(JOB, Job, account="created_by_id"))


def can_view_job(user: Any, job: Job) -> bool:
    """The creator of ``job`` and superusers; nobody else (not even other staff)."""
    return can(user, "view", job)


def visible_jobs(user: Any) -> QuerySet[Job]:
    """The jobs ``user`` may see, as a queryset: the same rule as :func:`can_view_job`."""
    return scope(user, "view", Job.objects.all())


def can_download_job_files(user: Any, job: Job) -> bool:
    return can(user, "download", job)


def can_retry_job(user: Any, job: Job) -> bool:
    """The creator retries a job; a superuser any job, system jobs (started by no one) included."""
    return can(user, "retry", job)
