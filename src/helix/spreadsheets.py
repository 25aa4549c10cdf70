"""Tables to and from CSV and XLSX files people open in a spreadsheet: one place for the escaping and
the limits.

Every export (the registry export, /symbiosis/flows.csv, the staff "who should meet whom" page, the CLI
outputs) writes through :func:`write_csv` or :func:`write_workbook`, so text that a spreadsheet would run
as a formula (starting with = + - @ tab or CR) is always written with an apostrophe before it
(helix.core.registry.records.escape_cell, the OWASP rule); numbers stay numbers, control characters a
workbook cannot hold are dropped, and workbook text cells are typed as strings.

Dates and times are written in ISO 8601 (machine-readable, whatever the reader's language). A download
that people read (the grid of an event, the flows, the pairs) names its columns in the reader's language;
a file that is imported again (the registry export) keeps its column keys.

Every workbook import reads through :func:`read_workbook`: read-only, streamed, the declared sheet size
ignored, and refused beyond the import limits of the settings (:func:`import_limits`). An import of one
list (people to invite, listings) reads the CSV file or the workbook's first sheet with :func:`read_table`.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from helix.core.registry.records import Limits, RowError, Source, Table, escape_cell, read_csv

Rows = Iterable[Sequence[Any]]


def csv_cell(value: Any) -> str:
    """A value as CSV text. Only text is escaped: a number (a negative one too) stays a number."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    return escape_cell(str(value))


def write_csv(handle: IO[str], columns: Sequence[str], rows: Rows) -> None:
    """A header row and ``rows``, streamed; open ``handle`` with newline="" (and utf-8-sig for
    spreadsheets). Text a spreadsheet would run as a formula (= + - @ tab CR first) gets an apostrophe."""
    writer = csv.writer(handle)
    writer.writerow([escape_cell(str(column)) for column in columns])
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
            cell = WriteOnlyCell(sheet, value=str(column))  # a translated label (a lazy string)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | Decimal):
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


def import_limits() -> Limits:
    """The import limits of the settings (HELIX_IMPORT_MAX_ROWS, _COLUMNS, _UNPACKED_BYTES)."""
    from django.conf import settings

    return Limits(
        rows=settings.HELIX_IMPORT_MAX_ROWS,
        columns=settings.HELIX_IMPORT_MAX_COLUMNS,
        unpacked_bytes=settings.HELIX_IMPORT_MAX_UNPACKED_BYTES,
    )


XLSX_SUFFIXES = (".xlsx", ".xlsm")


def read_table(path: Path, limits: Limits | None = None) -> tuple[Table | None, list[RowError]]:
    """A CSV file, or the first sheet of an XLSX workbook, as one table; None, with the errors, when it
    cannot be read (``limits`` defaults to the settings)."""
    limits = limits or import_limits()
    if path.suffix.lower() not in XLSX_SUFFIXES:
        return read_csv(path.read_bytes(), Source(path.name), limits)
    sheets, errors = read_workbook(path, first_only=True, limits=limits)
    return (sheets[0][1], []) if sheets else (None, errors)


# What openpyxl raises on a damaged workbook (ParseError: XML that is not).
_BROKEN = (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, ParseError)
SHEET_MAX_ROWS = 1_048_576  # the most rows a worksheet can hold; row numbers beyond are not a workbook


def read_workbook(
    path: Path, *, first_only: bool = False, limits: Limits | None = None
) -> tuple[list[tuple[str, Table]], list[RowError]]:
    """Every non-empty sheet of an XLSX workbook (or only its first) as (sheet name, Table) of cell texts,
    with the errors of the sheets that cannot be read (empty, the header not in row 1, beyond a limit).

    Read-only and streamed. The size a sheet declares (``<dimension ref="A1:XFD200000"/>``) is ignored,
    so rows hold only the cells present; a workbook that unpacks to more than ``limits.unpacked_bytes``,
    a sheet with more than ``limits.rows`` records or a cell right of ``limits.columns`` is refused
    (``limits`` defaults to the settings).
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    limits = limits or import_limits()
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        return [], [RowError(path.name, None, None, f"not a readable XLSX workbook ({exc})")]
    if unpacked > limits.unpacked_bytes:
        message = (
            f"the workbook unpacks to {unpacked:,} bytes; an import reads at most "
            f"{limits.unpacked_bytes:,} (HELIX_IMPORT_MAX_UNPACKED_BYTES)"
        )
        return [], [RowError(path.name, None, None, message)]
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, *_BROKEN) as exc:
        return [], [RowError(path.name, None, None, f"not a readable XLSX workbook ({exc})")]
    sheets, errors = [], []
    try:
        for sheet in workbook.worksheets[:1] if first_only else workbook.worksheets:
            source = Source(path.name, sheet.title)
            rows, error = _sheet_rows(sheet, source, limits)
            if error is not None:
                errors.append(error)
                continue
            if not rows:
                errors.append(
                    source.error(1, None, "the sheet is empty (expected a header row, then records)")
                )
                continue
            if rows[0][0] != 1:
                errors.append(source.error(1, None, f"the header must be in row 1, not in row {rows[0][0]}"))
                continue
            sheets.append((sheet.title, Table(source, rows[0][1], tuple(rows[1:]))))
    except _BROKEN as exc:  # a part that is not what it says
        return [], [RowError(path.name, None, None, f"not a readable XLSX workbook ({exc})")]
    finally:
        workbook.close()
    return sheets, errors


def _sheet_rows(
    sheet: Any, source: Source, limits: Limits
) -> tuple[list[tuple[int, tuple[str, ...]]], RowError | None]:
    """The non-empty rows of a read-only sheet as (row number, cell texts), or the limit it passes.

    With its declared dimension reset, openpyxl pads each row only up to its last cell present, and
    gives an empty tuple for each missing row; so a row wider than the limit has a cell beyond it.
    """
    sheet.reset_dimensions()
    rows: list[tuple[int, tuple[str, ...]]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not values:
            if number > SHEET_MAX_ROWS:
                message = f"row numbers beyond {SHEET_MAX_ROWS:,}: not a worksheet"
                return [], source.error(number, None, message)
            continue
        if len(values) > limits.columns:
            return [], limits.too_many_columns(source, number, len(values))
        cells = tuple(cell_text(v) for v in values)
        if any(c.strip() for c in cells):
            if len(rows) > limits.rows:  # the header and this many records are already read
                return [], limits.too_many_rows(source, number)
            rows.append((number, cells))
    return rows, None
