"""Start background jobs, record their outcome, and look after jobs whose worker died.

A job lives in one of four states (queued, running, succeeded, failed). While it runs, the process
running it writes a heartbeat (:mod:`helix.jobs.heartbeat`). :func:`sweep_stale_jobs` (run by the worker
when it starts and every few seconds, and by the job page when it shows a running job) turns a job whose
worker died into "failed" (``JobFailure.WORKER_LOST``), removes its temporary files and lets its creator
retry it (:func:`retry_job`). :func:`purge_expired_files` deletes job files and stray uploads older than
``HELIX_FILE_RETENTION_DAYS``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import shutil
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from helix.jobs.heartbeat import process_identity, process_state
from helix.jobs.models import Job, JobFailure, JobStatus
from helix.jobs.progress import JobProgress
from helix.jobs.signals import current_task, job_abandoned

logger = logging.getLogger(__name__)

WORKER_LOST = "the worker stopped while running this job"
Input = str | Path | models.Model


def create_job(kind: str, title: str, user: Any = None) -> Job:
    return Job.objects.create(kind=kind, title=title, created_by=user if getattr(user, "pk", None) else None)


def _input_entry(item: Input) -> dict[str, Any]:
    if isinstance(item, models.Model):
        return {"object": item._meta.label_lower, "pk": item.pk}
    return {"file": str(item)}


def run_job(
    job_id: int,
    work: Callable[[JobProgress], dict[str, Any]],
    *,
    inputs: Iterable[Input] = (),
    temporary: Iterable[str | Path] = (),
    outputs: Iterable[str | Path] = (),
) -> dict[str, Any]:
    """Run ``work`` for the job, keeping its status, progress, heartbeat and result up to date.

    ``work`` must be atomic on its own: if it raises, the job is marked failed with the error and
    nothing it wrote inside its transaction remains. ``inputs`` (files, model objects) are what a retry
    needs to still exist; ``temporary`` files are removed if the worker dies while running the job;
    ``outputs`` are kept for download until ``HELIX_FILE_RETENTION_DAYS`` have passed.
    """
    job = Job.objects.get(pk=job_id)
    task = current_task()
    fields: dict[str, Any] = {
        "status": JobStatus.RUNNING,
        "worker": process_identity(),
        "heartbeat_at": timezone.now(),
        "attempts": job.attempts + 1,
        "inputs": [_input_entry(item) for item in inputs],
        "temporary_files": [str(path) for path in temporary],
        "output_files": [str(path) for path in outputs],
    }
    if task is not None:
        fields.update(
            task_path=task.task_path,
            task_args={"args": task.args, "kwargs": task.kwargs},
            task_id=task.task_id,
        )
    Job.objects.filter(pk=job_id).update(**fields)
    progress = JobProgress(job)
    try:
        with progress.beating():
            result = work(progress)
    except Exception as exc:
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            failure=JobFailure.ERROR,
            error=f"{exc}\n\n{traceback.format_exc(limit=5)}"[:10000],
        )
        raise
    with transaction.atomic():
        job.refresh_from_db()
        job.status = JobStatus.SUCCEEDED
        job.failure = JobFailure.NONE
        job.result = result
        if job.total:
            job.done = job.total
        job.save()
    return result


# --- jobs whose worker died ----------------------------------------------------------------------


def is_abandoned(job: Job, now: dt.datetime | None = None) -> bool:
    """A running job whose process is known dead, or (when it cannot be checked from here) whose last
    heartbeat is older than ``HELIX_JOB_STALE_SECONDS``."""
    if job.status != JobStatus.RUNNING:
        return False
    alive = process_state(job.worker)
    if alive is not None:
        return not alive
    last = job.heartbeat_at or job.updated_at
    now = now or timezone.now()
    return (now - last).total_seconds() > settings.HELIX_JOB_STALE_SECONDS


def abandon_job(job: Job) -> bool:
    """Mark a running job failed because its worker died; remove its temporary files and half-written
    outputs. Returns False when the job moved on meanwhile (a heartbeat came, it finished)."""
    moved = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, heartbeat_at=job.heartbeat_at).update(
        status=JobStatus.FAILED, failure=JobFailure.WORKER_LOST, error=WORKER_LOST
    )
    if not moved:
        return False
    for path in [*job.temporary_files, *job.output_files]:
        remove_file(Path(path))
    if job.task_id:
        _fail_task_result(job.task_id)
    job.refresh_from_db()
    job_abandoned.send(sender=Job, job=job)
    logger.warning("job %s (%s) failed: %s (worker %s)", job.pk, job.kind, WORKER_LOST, job.worker)
    return True


def _fail_task_result(task_id: str) -> None:
    """The queue's own record of the task, left "running" by the dead worker, is failed too."""
    from django_tasks_db.models import DBTaskResult

    with contextlib.suppress(ValueError):
        DBTaskResult.objects.filter(pk=task_id, status="RUNNING").update(
            status="FAILED",
            finished_at=timezone.now(),
            exception_class_path="helix.jobs.services.WorkerLost",
            traceback=WORKER_LOST,
        )


def sweep_stale_jobs(now: dt.datetime | None = None) -> list[int]:
    """Fail every running job whose worker died; the ids of the jobs failed."""
    failed = []
    for job in Job.objects.filter(status=JobStatus.RUNNING).order_by("pk"):
        if is_abandoned(job, now) and abandon_job(job):
            failed.append(job.pk)
    return failed


def sweep_job(job: Job) -> Job:
    """The job as it stands, failed first if its worker died (the job page calls this)."""
    if is_abandoned(job) and abandon_job(job):
        job.refresh_from_db()
    return job


def remove_file(path: Path) -> None:
    """Remove a file (or a folder), then its folder if that is left empty."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()


# --- retry ------------------------------------------------------------------------------------------


class RetryRefusal(Enum):
    """Why a job cannot be retried (pages translate these)."""

    NOT_FAILED = "not_failed"
    UNKNOWN_TASK = "unknown_task"
    INPUT_FILE_GONE = "input_file_gone"
    INPUT_OBJECT_GONE = "input_object_gone"


@dataclass
class RetryCheck:
    refusal: RetryRefusal | None
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.refusal is None


def check_retry(job: Job) -> RetryCheck:
    """Whether ``job`` can run again with the same arguments: it failed, its task is known, its inputs
    still exist."""
    if job.status != JobStatus.FAILED:
        return RetryCheck(RetryRefusal.NOT_FAILED)
    if not job.task_path:
        return RetryCheck(RetryRefusal.UNKNOWN_TASK)
    try:
        import_string(job.task_path)
    except ImportError:
        return RetryCheck(RetryRefusal.UNKNOWN_TASK)
    gone_files = [Path(e["file"]).name for e in job.inputs if "file" in e and not Path(e["file"]).exists()]
    if gone_files:
        return RetryCheck(RetryRefusal.INPUT_FILE_GONE, gone_files)
    gone_objects = []
    for entry in job.inputs:
        if "object" in entry:
            try:
                model = apps.get_model(entry["object"])
            except (LookupError, ValueError):
                gone_objects.append(entry["object"])
                continue
            if not model._default_manager.filter(pk=entry["pk"]).exists():
                gone_objects.append(str(model._meta.verbose_name))
    if gone_objects:
        return RetryCheck(RetryRefusal.INPUT_OBJECT_GONE, gone_objects)
    return RetryCheck(None)


def retry_job(user: Any, job: Job) -> RetryCheck:
    """Queue the job's task again with the same arguments, if :func:`check_retry` allows; the same Job
    row shows the new run. ``user`` must be allowed by ``permissions.can_retry_job``."""
    from django.core.exceptions import PermissionDenied

    from helix.jobs.permissions import can_retry_job

    if not can_retry_job(user, job):
        raise PermissionDenied("only the creator of a job retries it")
    check = check_retry(job)
    if not check.ok:
        return check
    moved = Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
        status=JobStatus.QUEUED,
        failure=JobFailure.NONE,
        error="",
        message="",
        done=0,
        total=0,
        result={},
        worker="",
        heartbeat_at=None,
    )
    if not moved:
        return RetryCheck(RetryRefusal.NOT_FAILED)
    task = import_string(job.task_path)
    args = job.task_args or {}
    transaction.on_commit(lambda: task.enqueue(*args.get("args", []), **args.get("kwargs", {})))
    return check


# --- retention --------------------------------------------------------------------------------------


@dataclass
class PurgeReport:
    jobs: list[int] = field(default_factory=list)  # jobs whose files expired now
    files: int = 0  # files and folders removed
    uploads: int = 0  # of them: stray uploads (a queued import never run, a crash)

    def summary(self) -> str:
        return (
            f"{self.files} file(s) older than {settings.HELIX_FILE_RETENTION_DAYS} days removed "
            f"({len(self.jobs)} job(s), {self.uploads} stray upload(s))"
        )


def uploads_folder() -> Path:
    """Where uploads wait for the job that reads them (private: never served)."""
    return Path(settings.PRIVATE_ROOT) / "imports"


def purge_expired_files(now: dt.datetime | None = None) -> PurgeReport:
    """Delete job files (exports, uploads) and stray uploads older than ``HELIX_FILE_RETENTION_DAYS``;
    each job keeps a note (``files_expired_at``) that its files expired."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.HELIX_FILE_RETENTION_DAYS)
    report = PurgeReport()
    old = Job.objects.filter(
        created_at__lt=cutoff,
        files_expired_at__isnull=True,
        status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED],  # a queued job's upload: the folder scan below
    )
    for job in old.only("pk", "inputs", "temporary_files", "output_files").order_by("pk"):
        paths = {*job.output_files, *job.temporary_files, *(e["file"] for e in job.inputs if "file" in e)}
        removed = 0
        for path in map(Path, sorted(paths)):
            if path.exists():
                remove_file(path)
                removed += 1
        Job.objects.filter(pk=job.pk).update(files_expired_at=now)  # looked at once, never again
        if removed or job.output_files:  # (an import's upload went when it ran: nothing to report)
            report.jobs.append(job.pk)
            report.files += removed
    folder = uploads_folder()
    if folder.is_dir():
        running = Job.objects.filter(status=JobStatus.RUNNING).values_list("inputs", flat=True)
        in_use = {Path(e["file"]).parent for inputs in running for e in inputs if "file" in e}
        for entry in sorted(folder.iterdir()):
            modified = dt.datetime.fromtimestamp(entry.stat().st_mtime, tz=dt.UTC)
            if modified < cutoff and entry not in in_use:
                remove_file(entry)
                report.files += 1
                report.uploads += 1
    return report
