"""Tables of text cells as an import reads them: where they come from, their limits, the CSV reader,
and the spreadsheet formula rule (a cell that starts like a formula, and its apostrophe escape).

Pure: no Django and no database. :mod:`helix.core.registry.columns` parses the cells of these tables,
:mod:`helix.core.registry.records` turns the rows of a registry import into records; other imports
(people, market, events) and ``helix.spreadsheets`` read and write their files with these pieces too.

Row numbers are those a spreadsheet shows: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """One problem in an import file: where it is and what is wrong."""

    file: str
    row: int | None
    column: str | None
    message: str
    sheet: str | None = None

    def __str__(self) -> str:
        place = [self.file]
        if self.sheet:
            place.append(f"sheet {self.sheet}")
        if self.row is not None:
            place.append(f"row {self.row}")
        if self.column:
            place.append(f"column {self.column}")
        return f"{', '.join(place)}: {self.message}"


@dataclass(frozen=True)
class Source:
    """Where a table comes from: a file, and a sheet when the file is a workbook."""

    file: str
    sheet: str | None = None

    def error(self, row: int | None, column: str | None, message: str) -> RowError:
        return RowError(self.file, row, column, message, self.sheet)


@dataclass(frozen=True)
class Table:
    """A header and its rows of text cells, each row with its spreadsheet row number."""

    source: Source
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Limits:
    """How large a table an import reads: rows after the header, columns, and (for an XLSX workbook)
    the bytes its parts unpack to. Beyond a limit the table is refused, never cut short."""

    rows: int = 200_000
    columns: int = 100
    unpacked_bytes: int = 500 * 1024 * 1024

    def too_many_rows(self, source: Source, row: int) -> RowError:
        return source.error(
            row,
            None,
            f"more than {self.rows:,} rows after the header; an import reads at most {self.rows:,} "
            "(HELIX_IMPORT_MAX_ROWS): split the file",
        )

    def too_many_columns(self, source: Source, row: int, columns: int) -> RowError:
        return source.error(
            row,
            None,
            f"cells in {columns:,} columns; an import reads at most {self.columns:,} columns "
            "(HELIX_IMPORT_MAX_COLUMNS): delete the columns after your data",
        )


# --- cells: formulas and the apostrophe escape ----------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_OR_PHONE = re.compile(r"[+-][\d\s.,()/-]*")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula (CSV/formula injection).

    ``=``, ``@``, tab and CR always start one; ``+`` and ``-`` do unless only a number or a phone
    number follows (``-4.5``, ``+32 9 264 11 11``).
    """
    if not text or text[0] not in FORMULA_STARTS:
        return False
    if text[0] in "+-":
        return _NUMBER_OR_PHONE.fullmatch(text) is None
    return True


def escape_cell(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would read as a formula (also to ``'=…``, so it
    round-trips)."""
    return f"'{text}" if text.lstrip("'")[:1] in FORMULA_STARTS else text


def unescape_cell(text: str) -> str | None:
    """The text without its escaping apostrophe, or None when it was not escaped."""
    rest = text.lstrip("'")
    if text.startswith("'") and rest and rest[0] in FORMULA_STARTS:
        return text[1:]
    return None


# --- reading CSV ----------------------------------------------------------------------------------

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"


def read_csv(
    data: bytes, source: Source, limits: Limits | None = None
) -> tuple[Table | None, list[RowError]]:
    """Decode UTF-8 CSV (a BOM is accepted; ``,`` or ``;`` as separator) into a table.

    Fully empty rows are skipped. Bytes that are not UTF-8 are reported at the row and column of
    every cell that holds them. A table beyond ``limits`` (more records, or a filled cell further
    right) is refused with one error naming the limit; reading stops there.
    """
    limits = limits or Limits()
    if data.startswith(_UTF16_BOMS):
        return None, [source.error(1, None, "the file is UTF-16 text; save it as CSV UTF-8")]
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    if not data.strip():
        return None, [source.error(1, None, "the file is empty (expected a header row, then records)")]
    try:
        text, undecodable = data.decode("utf-8"), False
    except UnicodeDecodeError:
        text, undecodable = data.decode("utf-8", "surrogateescape"), True
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    records = 0
    try:
        for cells in reader:
            rows.append(cells)
            if len(cells) > limits.columns:
                if any(c.strip() for c in cells[limits.columns :]):
                    used = max(i for i, c in enumerate(cells) if c.strip()) + 1
                    return None, [limits.too_many_columns(source, len(rows), used)]
                del cells[limits.columns :]  # trailing separators: nothing there
            if len(rows) > 1 and any(c.strip() for c in cells):
                records += 1
                if records > limits.rows:
                    return None, [limits.too_many_rows(source, len(rows))]
    except csv.Error as exc:
        return None, [source.error(len(rows) + 1, None, f"not readable as CSV ({exc})")]
    if undecodable:
        return None, _encoding_errors(rows, source)
    header, *body = rows
    numbered = tuple(
        (number, tuple(cells)) for number, cells in enumerate(body, start=2) if any(c.strip() for c in cells)
    )
    return Table(source, tuple(header), numbered), []


def _encoding_errors(rows: list[list[str]], source: Source) -> list[RowError]:
    header = rows[0]
    errors = []
    for number, cells in enumerate(rows, start=1):
        for index, cell in enumerate(cells):
            bad = [ord(ch) - 0xDC00 for ch in cell if 0xDC80 <= ord(ch) <= 0xDCFF]
            if bad:
                column = header[index] if number > 1 and index < len(header) else f"#{index + 1}"
                errors.append(
                    source.error(
                        number,
                        column,
                        f"not UTF-8 text (byte 0x{bad[0]:02X}); save the file as CSV UTF-8",
                    )
                )
    return errors
