"""Background tasks of events: schedule optimisation with progress on the event's job."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django_tasks import task

from helix.audit.context import TASK, acting_as
from helix.jobs.services import run_job


@task()
def optimise_schedule(schedule_id: int) -> dict[str, Any]:
    from helix.events.models import Schedule
    from helix.events.schedules import run_schedule

    schedule = Schedule.objects.select_related("created_by").get(pk=schedule_id)
    with acting_as(schedule.created_by, TASK):  # the audit trail records the run as its creator's
        if schedule.job_id is None:
            return run_schedule(schedule_id)
        # A run writes its meetings in one transaction at the end, into its own Schedule row: a worker
        # dying mid-run leaves the published schedule as it was. A retry needs the Schedule row.
        return run_job(
            schedule.job_id, lambda progress: run_schedule(schedule_id, progress), inputs=[schedule]
        )


def fail_abandoned_run(sender: Any, job: Any, **kwargs: Any) -> None:
    """A schedule run whose worker died is failed with its job (jobs.signals.job_abandoned)."""
    from helix.events.models import Schedule, ScheduleStatus

    Schedule.objects.filter(
        job_id=job.pk, status__in=[ScheduleStatus.QUEUED, ScheduleStatus.RUNNING]
    ).update(status=ScheduleStatus.FAILED, message=_("The worker stopped while running this schedule."))
