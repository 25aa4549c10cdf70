"""Writing tables to CSV and XLSX for people to open in a spreadsheet: one place for the escaping.

Every export (the registry export, the staff "who should meet whom" page, the CLI) goes through here, so
text that a spreadsheet would run as a formula is always written escaped (helix.core.registry.records.
escape_cell), control characters a workbook cannot hold are dropped, and workbook text cells are typed
as strings.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from helix.core.registry.records import RowError, Source, Table, escape_cell

Rows = Iterable[Sequence[Any]]


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return escape_cell(str(value))


def write_csv(handle: IO[str], columns: Sequence[str], rows: Rows) -> None:
    """A header row and ``rows``; open ``handle`` with newline="" (and utf-8-sig for spreadsheets)."""
    writer = csv.writer(handle)
    writer.writerow(columns)
    writer.writerows([csv_cell(value) for value in row] for row in rows)


def write_workbook(target: Path | IO[bytes], sheets: Mapping[str, tuple[Sequence[str], Rows]]) -> None:
    """One sheet per entry of ``sheets`` (name -> (columns, rows)), bold frozen header, streamed."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, (columns, rows) in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # Control characters other than tab, CR and LF cannot be stored in a workbook at all.
    cell = WriteOnlyCell(sheet, value=escape_cell(ILLEGAL_CHARACTERS_RE.sub("", str(value))))
    cell.data_type = "s"  # never a formula, whatever the text
    return cell


def cell_text(value: Any) -> str:
    """A workbook cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def read_workbook(path: Path, *, first_only: bool = False) -> tuple[list[tuple[str, Table]], list[RowError]]:
    """Every non-empty sheet of an XLSX workbook (or only its first) as (sheet name, Table) of cell texts,
    with the errors of the sheets that cannot be read (empty, or the header not in row 1)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        return [], [RowError(path.name, None, None, f"not a readable XLSX workbook ({exc})")]
    sheets, errors = [], []
    try:
        for sheet in workbook.worksheets[:1] if first_only else workbook.worksheets:
            source = Source(path.name, sheet.title)
            rows = [
                (number, tuple(cell_text(v) for v in values))
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
            rows = [(number, cells) for number, cells in rows if any(c.strip() for c in cells)]
            if not rows:
                errors.append(
                    source.error(1, None, "the sheet is empty (expected a header row, then records)")
                )
                continue
            if rows[0][0] != 1:
                errors.append(source.error(1, None, f"the header must be in row 1, not in row {rows[0][0]}"))
                continue
            sheets.append((sheet.title, Table(source, rows[0][1], tuple(rows[1:]))))
    finally:
        workbook.close()
    return sheets, errors
