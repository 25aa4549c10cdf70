"""Integration: staff import through a background job and download an export."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from helix.jobs.models import Job, JobStatus
from helix.registry.models import Organisation
from tests.factories import ClusterFactory, OrganisationFactory, member_user, staff_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

FILES = Path(__file__).parent / "files"


def upload(name: str) -> io.BytesIO:
    handle = io.BytesIO((FILES / name).read_bytes())
    handle.name = name
    return handle


def test_staff_import_runs_as_a_job_and_its_page_shows_the_summary(client, settings):
    client.force_login(staff_user(ClusterFactory()))
    before = Organisation.objects.count()
    response = client.post(
        "/registry/import/", {"file": upload("organisations.csv"), "kind": "organisations"}
    )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["ok"] is True
    assert Organisation.objects.count() == before + job.result["created"]["organisations"]
    assert list((Path(settings.PRIVATE_ROOT) / "imports").iterdir()) == []  # the upload is not kept
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "organisations" in page
    assert "100" in page


def test_dry_run_job_writes_nothing(client):
    client.force_login(staff_user(ClusterFactory()))
    before = Organisation.objects.count()
    client.post(
        "/registry/import/", {"file": upload("organisations.csv"), "kind": "organisations", "dry_run": "on"}
    )
    job = Job.objects.get()
    assert (job.status, job.result["dry_run"], Organisation.objects.count()) == (
        JobStatus.SUCCEEDED,
        True,
        before,
    )


def test_broken_file_job_lists_errors_with_row_and_column_and_writes_nothing(client):
    client.force_login(staff_user(ClusterFactory()))
    before = Organisation.objects.count()
    client.post("/registry/import/", {"file": upload("bad_check_digit.csv"), "kind": "organisations"})
    job = Job.objects.get()
    assert job.result["ok"] is False
    assert any("column legal_identifier" in e and "row" in e for e in job.result["errors"])
    assert Organisation.objects.count() == before
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "nothing was written" in page


def test_member_user_may_not_import_or_export(client):
    client.force_login(member_user(OrganisationFactory()))
    assert client.get("/registry/import/").status_code == 403
    assert client.get("/registry/export/").status_code == 403


def test_staff_export_is_an_xlsx_workbook_with_the_four_sheets(client):
    OrganisationFactory(name='=HYPERLINK("http://evil")')
    client.force_login(staff_user(ClusterFactory()))
    started = client.post("/registry/export/")
    job = Job.objects.get(kind="registry.export")
    assert started["Location"] == f"/jobs/{job.pk}/"
    assert f"/registry/export/{job.pk}/download/" in client.get(started["Location"]).content.decode()
    response = client.get(f"/registry/export/{job.pk}/download/")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert set(workbook.sheetnames) == {"organisations", "sites", "people", "memberships"}
    cells = [cell for row in workbook["organisations"].iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)


def test_import_errors_name_the_uploaded_file(client):
    client.force_login(staff_user(ClusterFactory()))
    client.post("/registry/import/", {"file": upload("bad_check_digit.csv"), "kind": "organisations"})
    job = Job.objects.get()
    assert job.title == "Import of bad_check_digit.csv"
    assert all(e.startswith("bad_check_digit.csv, row ") for e in job.result["errors"])


def test_export_download_is_only_for_the_staff_member_who_started_it(client):
    cluster = ClusterFactory()
    client.force_login(staff_user(cluster, username="first"))
    client.post("/registry/export/")
    job = Job.objects.get(kind="registry.export")
    client.force_login(staff_user(cluster, username="second"))
    assert client.get(f"/registry/export/{job.pk}/download/").status_code == 404
