"""Unit: a CSV import table beyond the row or column limit is refused, naming the limit."""

from __future__ import annotations

import pytest

from helix.core.registry.records import Limits, Source, read_csv

pytestmark = pytest.mark.unit

SOURCE = Source("orgs.csv")


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_records_up_to_the_limit_are_read_blank_lines_not_counted():
    table, errors = read_csv(csv_bytes("name,kind", "A,company", "", "B,company"), SOURCE, Limits(rows=2))
    assert errors == []
    assert table is not None
    assert table.rows == ((2, ("A", "company")), (4, ("B", "company")))


def test_one_record_more_than_the_limit_is_refused():
    table, errors = read_csv(
        csv_bytes("name,kind", "A,company", "B,company", "C,company"), SOURCE, Limits(rows=2)
    )
    assert table is None
    assert [str(e) for e in errors] == [
        "orgs.csv, row 4: more than 2 rows after the header; an import reads at most 2 "
        "(HELIX_IMPORT_MAX_ROWS): split the file"
    ]


def test_a_filled_cell_beyond_the_column_limit_is_refused():
    table, errors = read_csv(csv_bytes("name,kind", "A,company,,x"), SOURCE, Limits(columns=3))
    assert table is None
    assert [str(e) for e in errors] == [
        "orgs.csv, row 2: cells in 4 columns; an import reads at most 3 columns "
        "(HELIX_IMPORT_MAX_COLUMNS): delete the columns after your data"
    ]


def test_trailing_separators_beyond_the_column_limit_are_dropped_not_refused():
    table, errors = read_csv(
        csv_bytes("name,kind" + "," * 5000, "A,company" + "," * 5000), SOURCE, Limits(columns=3)
    )
    assert errors == []
    assert table is not None
    assert (table.header, table.rows) == (("name", "kind", ""), ((2, ("A", "company", "")),))
