"""A list of people to invite, read from a table (a CSV file or a workbook's first sheet).

Pure: the app reads the file into a :class:`~helix.core.registry.records.Table` (the registry import's
readers), this module checks every row and returns the invitees or the errors, each naming its row and
column; the app then resolves organisations and clusters against the database. An invitation list is
all or nothing: one error and nobody is invited.

:func:`check_header` and :func:`read_row` read any list of people against a tuple of
:class:`~helix.core.registry.records.Column` (names matched without case, aliases, cells parsed by the
registry import's :func:`~helix.core.registry.records.parse_cell`); :func:`read_invitees` adds the rules
of an invitation list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from helix.core.registry.records import (
    CellError,
    Column,
    RowError,
    Table,
    Value,
    Vocabulary,
    choice,
    column_name,
    email,
    parse_cell,
    slug,
    text,
)

MAX_ROWS = 500  # people invited from one file; a larger list is split

COLUMNS: tuple[Column, ...] = (
    Column("email", email, required=True),
    Column("first_name", text(100), required=True),
    Column("last_name", text(100), required=True),
    Column("organisation", text(200)),
    Column("new_organisation", text(200)),
    Column("cluster", slug),
    Column("language", choice(lambda v: v.languages)),
    Column("job_title", text(150)),
    Column("message", text(2000), strip=False),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
# Other names people give these columns.
ALIASES = {
    "e_mail": "email",
    "mail": "email",
    "firstname": "first_name",
    "lastname": "last_name",
    "surname": "last_name",
    "organization": "organisation",
    "new_organization": "new_organisation",
    "role": "job_title",
}


@dataclass(frozen=True)
class Invitee:
    """One row: a person to invite to an existing organisation (``organisation``: its slug,
    ``scheme:identifier`` or name) or to a new one (``new_organisation``: its name)."""

    row: int
    email: str
    first_name: str
    last_name: str
    organisation: str = ""
    new_organisation: str = ""
    cluster: str = ""
    language: str = ""
    job_title: str = ""
    message: str = ""


def check_header(
    table: Table, columns: Sequence[Column], aliases: Mapping[str, str] | None = None
) -> tuple[dict[str, int], list[RowError]]:
    """Where each of ``columns`` is in ``table``'s header (a name matched as the registry import matches it,
    then through ``aliases``), and the header's errors: a column twice, one not among ``columns``, a
    required one missing."""
    aliases = aliases or {}
    known = tuple(column.name for column in columns)
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, raw in enumerate(table.header):
        name = column_name(raw)
        name = aliases.get(name, name)
        if not name:
            continue
        if name in positions:
            errors.append(table.source.error(1, raw, f"the column {name!r} appears twice"))
        elif name not in known:
            errors.append(table.source.error(1, raw, f"unknown column (known: {', '.join(known)})"))
        else:
            positions[name] = index
    for column in columns:
        if column.required and column.name not in positions:
            errors.append(table.source.error(1, column.name, f"missing required column {column.name!r}"))
    return positions, errors


def read_row(
    table: Table,
    number: int,
    cells: Sequence[str],
    columns: Sequence[Column],
    positions: Mapping[str, int],
    vocab: Vocabulary,
) -> tuple[dict[str, Value], list[RowError]]:
    """The values of one row (:func:`~helix.core.registry.records.parse_cell`: the registry import's rules,
    formulas refused) by column name, and the errors of its cells, each naming its row and column; text
    in a column without a name is an error too."""
    values: dict[str, Value] = {}
    errors: list[RowError] = []
    for column in columns:
        if column.name not in positions:
            continue
        index = positions[column.name]
        try:
            values[column.name] = parse_cell(column, cells[index] if index < len(cells) else "", vocab)
        except CellError as exc:
            errors.append(table.source.error(number, column.name, str(exc)))
    named = set(positions.values())
    for index, cell in enumerate(cells):
        if index not in named and cell.strip():
            errors.append(table.source.error(number, f"#{index + 1}", "a value in a column without a name"))
    return values, errors


def read_invitees(table: Table, languages: Sequence[str]) -> tuple[list[Invitee], list[RowError]]:
    """The invitees of ``table``, or every error found (then no invitee is returned)."""
    positions, errors = check_header(table, COLUMNS, ALIASES)
    if "organisation" not in positions and "new_organisation" not in positions:
        message = "missing column: organisation (or new_organisation for an organisation to create)"
        errors.append(table.source.error(1, "organisation", message))
    if errors:
        return [], errors
    if len(table.rows) > MAX_ROWS:
        message = f"{len(table.rows):,} people; invite at most {MAX_ROWS:,} at once: split the list"
        return [], [table.source.error(None, None, message)]
    if not table.rows:
        return [], [table.source.error(2, None, "no person to invite: the table has only its header")]
    vocab = Vocabulary((), (), (), (), tuple(languages))
    invitees: list[Invitee] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        parsed, row_errors = read_row(table, number, cells, COLUMNS, positions, vocab)
        values = {name: str(value) for name, value in parsed.items()}
        has_org, has_new = bool(values.get("organisation")), bool(values.get("new_organisation"))
        if has_org == has_new and not {"organisation", "new_organisation"} & {e.column for e in row_errors}:
            message = (
                "give either an existing organisation or a new_organisation, not both"
                if has_org
                else "required: an existing organisation (slug, scheme:identifier or name) "
                "or a new_organisation"
            )
            row_errors.append(table.source.error(number, "organisation", message))
        address = values.get("email", "").lower()
        if address and address in seen:
            message = f"{values['email']} is already invited in row {seen[address]}"
            row_errors.append(table.source.error(number, "email", message))
        elif address:
            seen[address] = number
        if row_errors:
            errors.extend(row_errors)
            continue
        invitees.append(Invitee(row=number, **values))
    if errors:
        return [], errors
    return invitees, []
