"""Background tasks of the registry. Each takes a Job id and reports progress on it."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import task

from helix.audit.context import TASK, acting_as
from helix.jobs.services import run_job
from helix.private_files import private_path


@task()
def import_registry_file(
    job_id: int, path: str, user_id: int | None, dry_run: bool, kind: str | None
) -> dict[str, Any]:
    """Import (or preview) a CSV/XLSX registry file; the Job's result holds the report."""
    from helix.registry.transfer import import_file

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None

    def work(progress: Any) -> dict[str, Any]:
        report = import_file(path, user=user, dry_run=dry_run, kind=kind, progress=progress)
        return report_summary(report)

    try:
        # The upload is the job's input (a retry needs it) and temporary: if the worker dies mid-import,
        # the sweep removes it.
        with acting_as(user, TASK):  # the audit trail records the import as the job creator's
            return run_job(job_id, work, inputs=[path], temporary=[path])
    finally:
        # The upload lives in a folder of its own (transfer_views); it holds personal data, so it goes.
        upload = Path(path)
        upload.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            upload.parent.rmdir()


def export_path(job_id: int) -> Path:
    """Where the export of a job is written: private storage, outside MEDIA_ROOT; only the download view
    reads it (with permission checks). Deleted after HELIX_FILE_RETENTION_DAYS (jobs.purge)."""
    return private_path("exports", f"job-{job_id}", "helix-registry.xlsx")


@task()
def export_registry_file(job_id: int, user_id: int | None) -> dict[str, Any]:
    """Write the whole registry as one XLSX workbook for the job's owner to download."""
    from helix.registry.transfer import export_registry

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None

    def work(progress: Any) -> dict[str, Any]:
        target = export_path(job_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        progress(0, 1, "writing the workbook")
        report = export_registry(target, fmt="xlsx", user=user)
        return {"download": True, "exported": dict(report.counts)}

    # A half-written workbook (the worker died) is removed; a finished one is kept until it expires.
    return run_job(job_id, work, outputs=[export_path(job_id)])


def report_summary(report: Any) -> dict[str, Any]:
    """A JSON-ready summary of an ImportReport, for the Job result and the API."""
    return {
        "ok": report.ok,
        "dry_run": getattr(report, "dry_run", False),
        "created": dict(report.created),
        "updated": dict(report.updated),
        "unchanged": dict(report.unchanged),
        "errors": [str(e) for e in report.errors[:500]],
        "error_count": len(report.errors),
    }
