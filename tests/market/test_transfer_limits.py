"""Integration: ``helix listings import`` reads workbooks within the import limits: a declared sheet size
is ignored, and a table beyond the row or column limit is refused naming it, with nothing written."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from helix.cli import main
from helix.market.models import Listing
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, member_user
from tests.test_spreadsheets import with_dimension, workbook_bytes

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ROWS = [
    ["organisation", "side", "category", "title", "description"],
    ["acme", "need", "research", "Heat pump research", "We look for a partner to study heat pumps."],
    ["acme", "offer", "competence", "Thermal modelling", "We model the heat demand of buildings."],
]


@pytest.fixture
def acme_user():  # type: ignore[no-untyped-def]
    acme = OrganisationFactory(name="Acme", slug="acme")
    MembershipFactory(organisation=acme, cluster=ClusterFactory(slug="tech"))
    return member_user(acme, "acme-user")


def helix(*args: object):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, [str(a) for a in args])


def test_a_workbook_declaring_a1_xfd200000_imports_its_real_cells(acme_user, tmp_path):
    path = tmp_path / "listings.xlsx"
    path.write_bytes(with_dimension(workbook_bytes(ROWS, title="listings"), "A1:XFD200000"))

    result = helix("listings", "import", path, "--as", "acme-user")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Imported listings.xlsx: created 2, updated 0, unchanged 0"


def test_a_workbook_beyond_the_row_limit_is_refused(acme_user, tmp_path, settings):
    settings.HELIX_IMPORT_MAX_ROWS = 1
    path = tmp_path / "listings.xlsx"
    path.write_bytes(workbook_bytes(ROWS, title="listings"))

    result = helix("listings", "import", path, "--as", "acme-user")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "listings.xlsx, sheet listings, row 3: more than 1 rows after the header; an import reads at most 1 "
        "(HELIX_IMPORT_MAX_ROWS): split the file"
    ]
    assert Listing.objects.count() == 0


def test_a_csv_file_beyond_the_column_limit_is_refused(acme_user, tmp_path, settings):
    settings.HELIX_IMPORT_MAX_COLUMNS = 5
    path = tmp_path / "listings.csv"
    path.write_text("\n".join(",".join(row) for row in ROWS) + ",stray\n", encoding="utf-8")

    result = helix("listings", "import", path, "--as", "acme-user")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "listings.csv, row 3: cells in 6 columns; an import reads at most 5 columns "
        "(HELIX_IMPORT_MAX_COLUMNS): delete the columns after your data"
    ]
    assert Listing.objects.count() == 0
