"""Integration: a job whose worker died turns failed with the reason, loses its temporary files and can be
retried by its creator; a live worker keeps its jobs; the job page sweeps and stops polling."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks import task

from helix.jobs.heartbeat import process_identity, process_state
from helix.jobs.models import Job, JobFailure, JobStatus
from helix.jobs.services import WORKER_LOST, create_job, run_job, sweep_stale_jobs
from helix.registry.models import Keyword

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ELSEWHERE = "another-host/4026531836/4242/123456"  # a worker on another machine: only heartbeats tell


@task()
def read_file(job_id: int, path: str) -> dict[str, str]:
    """A task reading a file, as an import does."""

    def work(progress):  # type: ignore[no-untyped-def]
        text = Path(path).read_text()
        Keyword.objects.create(name=f"read-{text}")
        return {"read": text}

    return run_job(job_id, work, inputs=[path], temporary=[path])


def running_job(user, *, worker: str, beat_seconds_ago: float, files=(), **fields) -> Job:  # type: ignore[no-untyped-def]
    job = create_job("test.read", "Read a file", user)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        worker=worker,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=beat_seconds_ago),
        temporary_files=[str(f) for f in files],
        **fields,
    )
    job.refresh_from_db()
    return job


def dead_process_identity() -> str:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    identity = process_identity(child.pid)
    child.kill()
    child.wait()
    return identity


def test_process_identity_tells_live_dead_and_unknown_processes():
    assert process_state(process_identity()) is True
    assert process_state(dead_process_identity()) is False
    assert process_state(ELSEWHERE) is None
    assert process_state("") is None
    assert process_identity().startswith(f"{socket.gethostname()}/")


def test_a_job_without_heartbeat_from_another_machine_fails_after_the_stale_limit(
    settings, tmp_path, django_user_model
):
    settings.HELIX_JOB_STALE_SECONDS = 60
    owner = django_user_model.objects.create_user("owner")
    upload = tmp_path / "imports" / "import-x" / "people.csv"
    upload.parent.mkdir(parents=True)
    upload.write_text("personal data")
    stale = running_job(owner, worker=ELSEWHERE, beat_seconds_ago=61, files=[upload])
    fresh = running_job(owner, worker=ELSEWHERE, beat_seconds_ago=5)

    assert sweep_stale_jobs() == [stale.pk]

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, stale.failure, stale.error) == (
        JobStatus.FAILED,
        JobFailure.WORKER_LOST,
        WORKER_LOST,
    )
    assert (upload.exists(), upload.parent.exists()) == (False, False)
    assert fresh.status == JobStatus.RUNNING


def test_a_dead_worker_on_this_machine_fails_its_job_at_once_and_a_live_one_keeps_it(
    settings, django_user_model
):
    settings.HELIX_JOB_STALE_SECONDS = 60
    owner = django_user_model.objects.create_user("owner")
    dead = running_job(owner, worker=dead_process_identity(), beat_seconds_ago=1)
    # This process is alive: an old heartbeat (a long SQLite write transaction of its own) is no death.
    alive = running_job(owner, worker=process_identity(), beat_seconds_ago=3600)

    assert sweep_stale_jobs() == [dead.pk]
    assert Job.objects.get(pk=alive.pk).status == JobStatus.RUNNING


def test_job_page_fails_a_stale_job_stops_polling_and_offers_the_retry(settings, client, django_user_model):
    settings.HELIX_JOB_STALE_SECONDS = 60
    owner = django_user_model.objects.create_user("owner")
    job = running_job(
        owner,
        worker=ELSEWHERE,
        beat_seconds_ago=600,
        task_path="tests.jobs.test_services_stale.read_file",
        task_args={"args": [0, "/nowhere"], "kwargs": {}},
    )
    client.force_login(owner)
    body = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()

    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED
    assert "hx-trigger" not in body
    assert "The worker stopped while running this job." in body
    assert f'<form method="post" action="/jobs/{job.pk}/retry/">' in body


def test_job_page_leaves_a_job_with_a_fresh_heartbeat_polling(settings, client, django_user_model):
    settings.HELIX_JOB_STALE_SECONDS = 60
    owner = django_user_model.objects.create_user("owner")
    job = running_job(owner, worker=ELSEWHERE, beat_seconds_ago=10)
    client.force_login(owner)
    body = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert (Job.objects.get(pk=job.pk).status, 'hx-trigger="load delay:1s"' in body) == (
        JobStatus.RUNNING,
        True,
    )


def test_run_job_records_its_worker_heartbeat_task_and_inputs(tmp_path, django_user_model):
    owner = django_user_model.objects.create_user("owner")
    source = tmp_path / "in.txt"
    source.write_text("hello")
    job = create_job("test.read", "Read a file", owner)

    read_file.enqueue(job.pk, str(source))  # the immediate backend in tests

    job.refresh_from_db()
    assert (job.status, job.worker, job.attempts, job.task_path, job.task_args, job.inputs) == (
        JobStatus.SUCCEEDED,
        process_identity(),
        1,
        "tests.jobs.test_services_stale.read_file",
        {"args": [job.pk, str(source)], "kwargs": {}},
        [{"file": str(source)}],
    )
    assert job.heartbeat_at is not None
    assert job.task_id


def test_the_creator_retries_a_failed_job_with_the_same_arguments(
    settings, client, tmp_path, django_user_model, django_capture_on_commit_callbacks
):
    settings.HELIX_JOB_STALE_SECONDS = 60
    owner = django_user_model.objects.create_user("owner")
    source = tmp_path / "kept.txt"
    source.write_text("again")
    job = running_job(
        owner,
        worker=ELSEWHERE,
        beat_seconds_ago=600,
        task_path="tests.jobs.test_services_stale.read_file",
        attempts=1,
    )
    Job.objects.filter(pk=job.pk).update(
        task_args={"args": [job.pk, str(source)], "kwargs": {}}, inputs=[{"file": str(source)}]
    )
    sweep_stale_jobs()
    client.force_login(owner)
    assert f'action="/jobs/{job.pk}/retry/"' in client.get(f"/jobs/{job.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/jobs/{job.pk}/retry/", follow=True)

    job.refresh_from_db()
    assert (job.status, job.failure, job.error, job.result, job.attempts) == (
        JobStatus.SUCCEEDED,
        JobFailure.NONE,
        "",
        {"read": "again"},
        2,
    )
    assert Keyword.objects.filter(name="read-again").count() == 1
    assert "The job was queued again." in response.content.decode()


def test_retry_says_why_not_when_the_input_is_gone_and_is_only_for_the_creator(
    settings, client, django_user_model
):
    settings.HELIX_JOB_STALE_SECONDS = 60
    owner = django_user_model.objects.create_user("owner")
    other = django_user_model.objects.create_user("other", is_staff=True)
    job = running_job(
        owner,
        worker=ELSEWHERE,
        beat_seconds_ago=600,
        task_path="tests.jobs.test_services_stale.read_file",
        task_args={"args": [0, "/gone/upload.csv"], "kwargs": {}},
        inputs=[{"file": "/gone/upload.csv"}],
    )
    sweep_stale_jobs()
    client.force_login(other)
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 404
    client.force_login(owner)

    body = client.post(f"/jobs/{job.pk}/retry/", follow=True).content.decode()

    assert "This job cannot be run again: its file (upload.csv) was removed. Upload it again." in body
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_an_abandoned_schedule_run_fails_with_its_job_and_the_published_one_stays(settings):
    from helix.events.models import Schedule, ScheduleStatus
    from tests.events.helpers import small_event

    settings.HELIX_JOB_STALE_SECONDS = 60
    world = small_event(["Alpha", "Beta"])
    published = Schedule.objects.create(event=world.event, status=ScheduleStatus.SUCCEEDED, published=True)
    job = running_job(world.organiser, worker=ELSEWHERE, beat_seconds_ago=600)
    run = Schedule.objects.create(event=world.event, status=ScheduleStatus.RUNNING, job=job)

    sweep_stale_jobs()

    run.refresh_from_db()
    published.refresh_from_db()
    assert (run.status, run.message) == (
        ScheduleStatus.FAILED,
        "The worker stopped while running this schedule.",
    )
    assert (published.status, published.published) == (ScheduleStatus.SUCCEEDED, True)
