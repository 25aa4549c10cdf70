"""Integration: job files (exports, uploads) older than HELIX_FILE_RETENTION_DAYS are deleted by
`helix jobs purge` (and the worker, daily); the job notes that its files expired."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.utils import timezone

from helix.cli import main
from helix.jobs.models import Job, JobStatus
from helix.jobs.services import create_job, purge_expired_files, uploads_folder
from helix.jobs.worker import PURGE_KIND, housekeeping_round, purge_due
from helix.registry.tasks import export_path
from tests.factories import ClusterFactory, staff_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def export_job(user, days_ago: float) -> Job:  # type: ignore[no-untyped-def]
    """A finished export, its workbook on disk, created ``days_ago`` days ago."""
    job = create_job("registry.export", "Export of the registry", user)
    path = export_path(job.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK workbook")
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED,
        result={"download": True},
        output_files=[str(path)],
        created_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    job.refresh_from_db()
    return job


def stray_upload(name: str, days_ago: float) -> Path:
    """An upload whose job never ran (a queued import, a crash), last touched ``days_ago`` days ago."""
    path = uploads_folder() / name / "people.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("first_name,last_name,email\nAnna,Peeters,anna@example.org\n")
    moment = (timezone.now() - dt.timedelta(days=days_ago)).timestamp()
    for item in (path, path.parent):
        os.utime(item, (moment, moment))
    return path.parent


def test_purge_deletes_files_past_the_retention_and_keeps_the_rest(settings):
    settings.HELIX_FILE_RETENTION_DAYS = 30
    user = staff_user(ClusterFactory())
    old, recent = export_job(user, days_ago=31), export_job(user, days_ago=29)
    old_upload, recent_upload = stray_upload("import-old", 31), stray_upload("import-new", 2)

    report = purge_expired_files()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (report.jobs, report.files, report.uploads) == ([old.pk], 2, 1)
    assert (export_path(old.pk).exists(), export_path(old.pk).parent.exists()) == (False, False)
    assert export_path(recent.pk).exists()
    assert (old_upload.exists(), recent_upload.exists()) == (False, True)
    assert old.files_expired_at is not None
    assert recent.files_expired_at is None
    assert purge_expired_files().files == 0  # nothing twice


def test_an_expired_export_says_so_on_its_page_and_no_longer_downloads(settings, client):
    settings.HELIX_FILE_RETENTION_DAYS = 30
    user = staff_user(ClusterFactory())
    job = export_job(user, days_ago=45)
    client.force_login(user)
    assert client.get(f"/registry/export/{job.pk}/download/").status_code == 200

    purge_expired_files()

    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "The files of this job were deleted on" in page
    assert f"/registry/export/{job.pk}/download/" not in page
    assert client.get(f"/registry/export/{job.pk}/download/").status_code == 404


def test_the_retention_setting_decides(settings):
    user = staff_user(ClusterFactory())
    job = export_job(user, days_ago=8)
    settings.HELIX_FILE_RETENTION_DAYS = 10
    assert purge_expired_files().jobs == []
    settings.HELIX_FILE_RETENTION_DAYS = 7
    assert purge_expired_files().jobs == [job.pk]


def test_cli_purge_reports_and_the_worker_purges_once_a_day(settings):
    settings.HELIX_FILE_RETENTION_DAYS = 30
    user = staff_user(ClusterFactory())
    job = export_job(user, days_ago=31)
    assert purge_due() is True

    result = CliRunner().invoke(main, ["jobs", "purge"])

    assert (result.exit_code, result.output) == (
        0,
        "1 file(s) older than 30 days removed (1 job(s), 0 stray upload(s))\n",
    )
    assert Job.objects.get(pk=job.pk).files_expired_at is not None
    assert purge_due() is False  # the purge is a job row: the next one is due a day later
    assert purge_due(now=timezone.now() + dt.timedelta(days=1, minutes=1)) is True
    housekeeping_round()  # what the worker does every few seconds
    assert Job.objects.filter(kind=PURGE_KIND).count() == 1
    Job.objects.filter(kind=PURGE_KIND).update(created_at=timezone.now() - dt.timedelta(days=1, minutes=1))
    housekeeping_round()
    assert Job.objects.filter(kind=PURGE_KIND).count() == 2
