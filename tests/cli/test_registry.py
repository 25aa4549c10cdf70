"""Integration: ``helix registry import`` and ``helix registry export``."""

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from helix.cli import main
from helix.registry.models import Membership, Organisation, Person, Site
from tests.factories import ClusterFactory, DomainFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

FILES = Path(__file__).resolve().parents[1] / "registry" / "files"  # the registry tests' CSV files


@pytest.fixture
def cluster():
    cluster = ClusterFactory(slug="blue-energy")
    DomainFactory(cluster=cluster, slug="offshore-wind")
    DomainFactory(cluster=cluster, slug="hydrogen")
    return cluster


def counts():
    return [m.objects.count() for m in (Organisation, Site, Person, Membership)]


def helix(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_dry_run_prints_the_preview_and_a_summary_and_writes_nothing(cluster):
    before = counts()

    result = helix("registry", "import", FILES, "--dry-run")

    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[-1] == "Dry run of files: would create 9, update 0, leave 0 unchanged; nothing was written"
    assert "Preview" in result.stdout
    assert "│ organisations.csv │   4 │ havenstad (Havenstad)" in result.stdout
    assert "│ memberships   │            2 │            0 │         0 │" in result.stdout
    assert counts() == before


def test_import_prints_counts_and_a_one_line_summary(cluster):
    result = helix("registry", "import", FILES)

    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1].startswith("Imported files: created 9, updated 0, unchanged 0 (")
    assert "│ memberships   │       2 │       0 │         0 │" in result.stdout
    assert "Preview" not in result.stdout
    assert counts() == [4, 2, 2, 2]


def test_errors_are_printed_one_per_line_and_the_exit_code_is_1(cluster):
    before = counts()

    result = helix("registry", "import", FILES / "formula.csv")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "formula.csv, row 3, column name: \"=cmd|' /C calc'!A0\" starts like a formula, which is not "
        "accepted "
        "(prefix an apostrophe if the text is meant literally)",
        "formula.csv, row 3, column description_en: '+HYPERLINK(\"http://evil.example\")' starts like a "
        "formula, which is not accepted (prefix an apostrophe if the text is meant literally)",
        "formula.csv, row 4, column description_en: '-40 degrees is cold' starts like a formula, which is "
        "not "
        "accepted (prefix an apostrophe if the text is meant literally)",
    ]
    assert result.stdout.splitlines() == ["formula.csv: 3 error(s); nothing was written"]
    assert counts() == before


def test_kind_option_says_what_a_csv_file_holds(cluster):
    result = helix("registry", "import", FILES / "sites.csv", "--kind", "people", "--dry-run")

    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        "sites.csv, row 1, column first_name: missing required column 'first_name'",
        "sites.csv, row 1, column last_name: missing required column 'last_name'",
    ]
    assert helix("registry", "import", FILES / "sites.csv", "--kind", "offices").exit_code == 2


def test_export_writes_a_workbook_or_a_folder_that_imports_unchanged(cluster, tmp_path):
    helix("registry", "import", FILES)

    to_xlsx = helix("registry", "export", tmp_path / "registry.xlsx")
    to_csv = helix("registry", "export", tmp_path / "registry", "--format", "csv")

    assert to_xlsx.stdout == (
        f"Exported 4 organisations, 2 sites, 2 people, 2 memberships to {tmp_path / 'registry.xlsx'}\n"
    )
    assert to_csv.exit_code == 0
    assert openpyxl.load_workbook(tmp_path / "registry.xlsx").sheetnames == [
        "organisations",
        "sites",
        "people",
        "memberships",
    ]
    assert sorted(p.name for p in (tmp_path / "registry").iterdir()) == [
        "memberships.csv",
        "organisations.csv",
        "people.csv",
        "sites.csv",
    ]
    for exported in (tmp_path / "registry.xlsx", tmp_path / "registry"):
        again = helix("registry", "import", exported, "--dry-run")
        assert again.stdout.splitlines()[-1] == (
            f"Dry run of {exported.name}: would create 0, update 0, leave 10 unchanged; nothing was written"
        )
