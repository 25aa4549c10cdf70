"""Integration: background jobs run by the database worker report progress and failures."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks import task

from helix.jobs.models import Job, JobStatus
from helix.jobs.services import create_job, run_job
from helix.registry.models import Keyword

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task()
def count_to(job_id: int, n: int, fail_at: int | None = None) -> dict[str, int]:
    def work(progress):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            for i in range(1, n + 1):
                if i == fail_at:
                    raise RuntimeError(f"stopped at {i}")
                Keyword.objects.create(name=f"kw-{job_id}-{i}")
                progress(i, n, f"step {i}")
        return {"counted": n}

    return run_job(job_id, work)


# The worker closes database connections between tasks, as a long-running process should, so these
# tests run outside the per-test transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_runs_a_queued_job_to_completion(settings):
    settings.TASKS = DB_BACKEND
    job = create_job("test.count", "Count to five")
    count_to.enqueue(job.pk, 5)
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.result, job.percent) == (
        JobStatus.SUCCEEDED,
        5,
        5,
        {"counted": 5},
        100,
    )
    assert Keyword.objects.filter(name__startswith=f"kw-{job.pk}-").count() == 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_failed_job_records_the_error_and_writes_nothing(settings):
    settings.TASKS = DB_BACKEND
    job = create_job("test.count", "Count and fail")
    count_to.enqueue(job.pk, 5, fail_at=3)

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "stopped at 3" in job.error
    assert Keyword.objects.filter(name__startswith=f"kw-{job.pk}-").count() == 0


def test_job_page_shows_progress_and_polls_until_finished(client, django_user_model):
    user = django_user_model.objects.create_user("owner", password="pw-123456-long")
    job = create_job("test.count", "Count to three", user)
    client.force_login(user)
    page = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert 'hx-trigger="load delay:1s"' in page.content.decode()
    count_to.enqueue(job.pk, 3)  # immediate backend in tests
    page = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})
    body = page.content.decode()
    assert 'value="100"' in body
    assert "hx-trigger" not in body


def test_job_page_is_only_for_its_creator_and_superusers(client, django_user_model):
    """Issue 11: any is_staff user saw any job (import errors quote raw cells); now only its creator and
    superusers do, and everyone else gets the same 404 as for a job that does not exist."""
    owner = django_user_model.objects.create_user("owner", password="pw-123456-long")
    other = django_user_model.objects.create_user("other", password="pw-123456-long")
    staff = django_user_model.objects.create_user("stafford", password="pw-123456-long", is_staff=True)
    root = django_user_model.objects.create_user("root", password="pw-123456-long", is_superuser=True)
    owned, system = create_job("test.count", "Owned", owner), create_job("test.count", "System")
    missing = max(owned.pk, system.pk) + 1
    answers = {}
    for user in (other, owner, staff, root):
        client.force_login(user)
        answers[user.username] = [
            client.get(f"/jobs/{pk}/").status_code for pk in (owned.pk, system.pk, missing)
        ]
    client.logout()
    answers["anonymous"] = [client.get(f"/jobs/{pk}/").status_code for pk in (owned.pk, system.pk, missing)]
    assert answers == {
        "other": [404, 404, 404],
        "owner": [200, 404, 404],
        "stafford": [404, 404, 404],
        "root": [200, 200, 404],
        "anonymous": [302, 302, 302],
    }
