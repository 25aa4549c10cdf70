"""Background jobs in the admin: read only, and each job only for whom the jobs' table lets see it
(helix.jobs.permissions: the account that started it; superusers every job). An import's errors quote
raw cells and an export holds contact data, so staff of one cluster never read another's jobs here."""

from django.contrib import admin

from helix.jobs.models import Job
from helix.registry.admin import ReadOnlyScopedAdmin


@admin.register(Job)
class JobAdmin(ReadOnlyScopedAdmin):
    list_display = ("title", "kind", "status", "failure", "done", "total", "created_by", "created_at")
    list_filter = ("status", "failure", "kind")
    readonly_fields = (
        "result",
        "error",
        "failure",
        "worker",
        "heartbeat_at",
        "attempts",
        "task_path",
        "task_args",
        "task_id",
        "inputs",
        "temporary_files",
        "output_files",
        "files_expired_at",
    )
