"""Integration: the registry import against bad input: crafted workbooks, tables beyond the row and
column limits (page, job and CLI), uploads that are too large or not what their name says, and a dry
run that leaves the database free for other writers."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.db import OperationalError, connection

from helix.cli import main
from helix.jobs.models import Job
from helix.registry.models import Keyword, Organisation
from helix.registry.transfer import import_file
from helix.registry.transfer_plan import ImportPlan
from tests.factories import ClusterFactory, staff_user
from tests.test_spreadsheets import with_dimension, workbook_bytes

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ORGANISATIONS = [["slug", "name", "kind"], ["acme", "Acme", "company"], ["beta", "Beta", "company"]]


def organisations_csv(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / "organisations.csv"
    lines = ["slug,name,kind", *(f"org-{i},Organisation {i},company" for i in range(rows))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def upload(name: str, data: bytes) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


# --- the import, from a job or the CLI ---------------------------------------------------------------


def test_a_workbook_declaring_a1_xfd200000_imports_its_real_cells(tmp_path):
    path = tmp_path / "organisations.xlsx"
    path.write_bytes(with_dimension(workbook_bytes(ORGANISATIONS), "A1:XFD200000"))

    report = import_file(path)

    assert (report.errors, report.created["organisations"]) == ([], 2)
    assert sorted(Organisation.objects.values_list("slug", flat=True)) == ["acme", "beta"]


def test_a_workbook_beyond_the_row_limit_is_refused_and_nothing_written(tmp_path, settings):
    settings.HELIX_IMPORT_MAX_ROWS = 1
    path = tmp_path / "organisations.xlsx"
    path.write_bytes(workbook_bytes(ORGANISATIONS))

    report = import_file(path)

    assert [str(e) for e in report.errors] == [
        "organisations.xlsx, sheet organisations, row 3: more than 1 rows after the header; an import "
        "reads at most 1 (HELIX_IMPORT_MAX_ROWS): split the file"
    ]
    assert (report.written, Organisation.objects.filter(slug__in=["acme", "beta"]).count()) == (False, 0)


def test_a_csv_file_beyond_the_column_limit_is_refused(tmp_path, settings):
    settings.HELIX_IMPORT_MAX_COLUMNS = 3
    path = tmp_path / "organisations.csv"
    path.write_text("slug,name,kind\nacme,Acme,company,stray\n", encoding="utf-8")

    report = import_file(path, kind="organisations")

    assert [str(e) for e in report.errors] == [
        "organisations.csv, row 2: cells in 4 columns; an import reads at most 3 columns "
        "(HELIX_IMPORT_MAX_COLUMNS): delete the columns after your data"
    ]
    assert report.written is False


def test_the_cli_import_obeys_the_row_limit(tmp_path, settings):
    settings.HELIX_IMPORT_MAX_ROWS = 3
    path = organisations_csv(tmp_path, 4)

    result = CliRunner().invoke(main, ["registry", "import", str(path)])

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "organisations.csv, row 5: more than 3 rows after the header; an import reads at most 3 "
        "(HELIX_IMPORT_MAX_ROWS): split the file"
    ]
    assert Organisation.objects.filter(slug__startswith="org-").count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps content types for later tests
def test_a_dry_run_leaves_the_database_free_for_other_writers(tmp_path, monkeypatch):
    """On SQLite every transaction begins IMMEDIATE (takes the write lock): a dry run opens none."""
    path = organisations_csv(tmp_path, 3)
    seen: dict[str, object] = {}
    check = ImportPlan.check

    def check_while_another_connection_writes(plan):  # type: ignore[no-untyped-def]
        seen["in_transaction"] = connection.in_atomic_block

        def write() -> None:
            try:  # a plain write: what is measured is the lock, not the signals a model save sends
                with connection.cursor() as cursor:
                    cursor.execute(
                        "INSERT INTO registry_keyword (name) VALUES (%s)", ["written during the dry run"]
                    )
                seen["write"] = "done"
            except OperationalError as exc:
                seen["write"] = str(exc)
            finally:
                connection.close()

        writer = threading.Thread(target=write)
        writer.start()
        writer.join(60)
        check(plan)

    monkeypatch.setattr(ImportPlan, "check", check_while_another_connection_writes)

    report = import_file(path, dry_run=True)

    assert (report.errors, report.created["organisations"], report.written) == ([], 3, False)
    assert seen == {"in_transaction": False, "write": "done"}
    assert Keyword.objects.filter(name="written during the dry run").count() == 1
    assert Organisation.objects.filter(slug__startswith="org-").count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps content types for later tests
def test_an_import_still_checks_and_writes_in_one_transaction(tmp_path, monkeypatch):
    path = organisations_csv(tmp_path, 2)
    seen = {}
    check = ImportPlan.check

    def check_and_note(plan):  # type: ignore[no-untyped-def]
        seen["in_transaction"] = connection.in_atomic_block
        check(plan)

    monkeypatch.setattr(ImportPlan, "check", check_and_note)

    report = import_file(path)

    assert (report.written, seen) == (True, {"in_transaction": True})
    assert Organisation.objects.filter(slug__startswith="org-").count() == 2


# --- the upload page ---------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client):  # type: ignore[no-untyped-def]
    client.force_login(staff_user(ClusterFactory()))
    return client


def import_page_errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200  # the form again, not a job
    return [str(e) for e in response.context["form"].errors["file"]]


def test_an_upload_above_the_size_limit_is_refused_naming_it(staff_client, settings):
    settings.HELIX_UPLOAD_MAX_BYTES = 1000
    data = b"slug,name,kind\n" + b"".join(b"org-%d,Organisation %d,company\n" % (i, i) for i in range(100))
    assert len(data) > 1000

    response = staff_client.post("/registry/import/", {"file": upload("organisations.csv", data), "kind": ""})

    assert import_page_errors(response) == [
        "The file is larger than 1000\xa0bytes, the most a page accepts (HELIX_UPLOAD_MAX_BYTES)."
    ]
    assert Job.objects.count() == 0


def test_the_size_handler_passes_on_no_more_than_the_limit(settings):
    from helix.uploads import OversizedUpload, SizeLimitHandler

    settings.HELIX_UPLOAD_MAX_BYTES = 100
    handler = SizeLimitHandler()
    handler.new_file("file", "big.csv", "text/csv", 1000)
    kept = [handler.receive_data_chunk(b"x" * 64, start) for start in range(0, 320, 64)]
    upload_file = handler.file_complete(320)

    assert kept == [b"x" * 64, None, None, None, None]
    assert isinstance(upload_file, OversizedUpload)
    assert (upload_file.name, upload_file.size, upload_file.read()) == ("big.csv", 320, b"")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("organisations.xlsx", b"slug,name,kind\nacme,Acme,company\n", "The file is not an XLSX workbook."),
        ("organisations.xlsx", b"PK\x03\x04 not really a zip", "The file is not an XLSX workbook."),
        (
            "organisations.csv",
            workbook_bytes(ORGANISATIONS),
            "The file is not CSV text; save the sheet as CSV UTF-8 (or upload the .xlsx workbook).",
        ),
        (
            "organisations.csv",
            "slug,name\n".encode("utf-16"),
            "The file is UTF-16 text; save it as CSV UTF-8.",
        ),
        ("organisations.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx file."),
    ],
)
def test_an_upload_that_is_not_what_its_name_says_is_refused(staff_client, name, data, message):
    response = staff_client.post("/registry/import/", {"file": upload(name, data), "kind": "organisations"})

    assert import_page_errors(response) == [message]
    assert Job.objects.count() == 0


def test_an_xlsx_upload_unpacking_beyond_the_limit_is_refused(staff_client, settings):
    settings.HELIX_IMPORT_MAX_UNPACKED_BYTES = 2000
    response = staff_client.post(
        "/registry/import/", {"file": upload("organisations.xlsx", workbook_bytes(ORGANISATIONS)), "kind": ""}
    )
    assert import_page_errors(response)[0].startswith("The workbook unpacks to ")
    assert import_page_errors(response)[0].endswith("; an import reads at most 2.0\xa0KB.")


def test_a_real_workbook_upload_is_accepted(staff_client):
    response = staff_client.post(
        "/registry/import/",
        {"file": upload("organisations.xlsx", workbook_bytes(ORGANISATIONS)), "kind": "", "dry_run": "on"},
    )
    job = Job.objects.get()
    assert (response.status_code, job.result["ok"], job.result["created"]["organisations"]) == (302, True, 2)
