from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class JobFailure(models.TextChoices):
    """Why a job failed, as a code; pages show the label, ``Job.error`` keeps the details."""

    NONE = "", _("—")
    ERROR = "error", _("The job stopped with an error.")
    WORKER_LOST = "worker_lost", _("The worker stopped while running this job.")


class Job(models.Model):
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    failure = models.CharField(max_length=20, choices=JobFailure.choices, default=JobFailure.NONE, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Liveness: the process running the job (host, pid namespace, pid, start time) and its last sign of life.
    worker = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # What a retry needs: the task and its arguments (recorded when the task starts), and what it reads.
    task_path = models.CharField(max_length=200, blank=True)
    task_args = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    inputs = models.JSONField(default=list, blank=True)  # [{"file": path} | {"object": label, "pk": pk}]
    temporary_files = models.JSONField(default=list, blank=True)  # removed if the job is abandoned
    output_files = models.JSONField(default=list, blank=True)  # kept for download until they expire
    files_expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="jobs_status_heartbeat")]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def result_link(self) -> object:
        """Where the result of this job is shown, once it succeeded (helix.jobs.links), or None."""
        from helix.jobs.links import result_link

        return result_link(self)
