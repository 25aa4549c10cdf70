from django.contrib import admin

from helix.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "done", "total", "created_by", "created_at")
    list_filter = ("status", "kind")
    readonly_fields = ("result", "error")
