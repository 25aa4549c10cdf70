"""Background tasks of events: schedule optimisation with progress on the event's job."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from helix.jobs.services import run_job


@task()
def optimise_schedule(schedule_id: int) -> dict[str, Any]:
    from helix.events.models import Schedule
    from helix.events.services import run_schedule

    schedule = Schedule.objects.get(pk=schedule_id)
    if schedule.job_id is None:
        return run_schedule(schedule_id)
    return run_job(schedule.job_id, lambda progress: run_schedule(schedule_id, progress))
