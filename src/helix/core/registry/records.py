"""Rows of a registry import: the columns of each kind of record, and parsing and checking every row.

Pure: no Django and no database. ``helix.registry.transfer`` reads the files, resolves references
(organisations, clusters, domains, sectors) against the database and writes; this module turns a
table of text cells into :class:`Record` objects or :class:`RowError` objects, collecting every error.

The pieces it builds on live in two modules and are importable from here as well: tables, the CSV
reader, limits and the formula rule in :mod:`helix.core.registry.tables`; columns and the parsers of
cells in :mod:`helix.core.registry.columns`.

Row numbers are those a spreadsheet shows: the header is row 1, the first record row 2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from helix.core.registry.columns import (
    CellError,
    Column,
    OrganisationKey,
    Parser,
    Value,
    Vocabulary,
    boolean,
    choice,
    column_name,
    coordinate,
    country,
    email,
    iso_date,
    keywords,
    languages,
    nace_codes,
    organisation_reference,
    parse_cell,
    slug,
    slugs,
    text,
    url,
)
from helix.core.registry.identifiers import IdentifierScheme, InvalidIdentifier, normalise_identifier
from helix.core.registry.ladder import EngagementLevel
from helix.core.registry.tables import (
    FORMULA_STARTS,
    Limits,
    RowError,
    Source,
    Table,
    escape_cell,
    is_formula_like,
    read_csv,
)

__all__ = [
    "COLUMNS",
    "COLUMN_NAMES",
    "FORMULA_STARTS",
    "CellError",
    "Column",
    "Limits",
    "OrganisationKey",
    "ParsedTable",
    "Parser",
    "Record",
    "RecordKind",
    "RowError",
    "Source",
    "Table",
    "Value",
    "Vocabulary",
    "boolean",
    "check_organisation",
    "choice",
    "column_name",
    "coordinate",
    "country",
    "detect_kind",
    "email",
    "escape_cell",
    "is_formula_like",
    "iso_date",
    "keywords",
    "languages",
    "nace_codes",
    "organisation_reference",
    "parse_cell",
    "parse_table",
    "read_csv",
    "record_keys",
    "slug",
    "slugs",
    "text",
    "url",
]


class RecordKind(StrEnum):
    """The four kinds of records, in the order they are imported (later kinds refer to earlier ones)."""

    ORGANISATIONS = "organisations"
    SITES = "sites"
    PEOPLE = "people"
    MEMBERSHIPS = "memberships"


@dataclass(frozen=True)
class Record:
    """One valid row: the parsed value of every column present in the file, by column name."""

    kind: RecordKind
    source: Source
    row: int
    values: Mapping[str, Value]
    organisation: OrganisationKey  # the organisation itself, or the one a site/person/membership belongs to

    def text(self, column: str) -> str:
        value = self.values.get(column)
        return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class ParsedTable:
    kind: RecordKind
    records: tuple[Record, ...]
    errors: tuple[RowError, ...]
    columns: frozenset[str]  # the known columns present in the file


# --- the columns of each kind ---------------------------------------------------------------------

_SCHEMES = tuple(s.value for s in IdentifierScheme)
_LEVELS = tuple(level.value for level in EngagementLevel)

COLUMNS: dict[RecordKind, tuple[Column, ...]] = {
    RecordKind.ORGANISATIONS: (
        Column("slug", slug, empty=None),
        Column("identifier_scheme", choice(lambda v: _SCHEMES)),
        Column("legal_identifier", text(40)),
        Column("name", text(200), required=True),
        Column("kind", choice(lambda v: v.organisation_kinds), required=True),
        Column("size_class", choice(lambda v: v.size_classes)),
        Column("government_level", choice(lambda v: v.government_levels)),
        Column("website", url),
        Column("working_languages", languages),
        Column("sectors", nace_codes, empty=frozenset()),
        Column("keywords", keywords, empty=frozenset()),
        *(Column(f"description_{code}", text(20000), strip=False) for code in ("en", "nl", "fr", "de")),
        Column("is_published", boolean, empty=True),
        Column("is_sample", boolean, empty=False),
    ),
    RecordKind.SITES: (
        Column("organisation", organisation_reference, required=True),
        Column("name", text(200), required=True),
        Column("street", text(200)),
        Column("postcode", text(12)),
        Column("city", text(100), required=True),
        Column("country", country, empty="BE"),
        Column("region", choice(lambda v: v.regions)),
        Column("latitude", coordinate(90), empty=None),
        Column("longitude", coordinate(180), empty=None),
        Column("is_headquarters", boolean, empty=False),
    ),
    RecordKind.PEOPLE: (
        Column("organisation", organisation_reference, required=True),
        Column("first_name", text(100), required=True),
        Column("last_name", text(100), required=True),
        Column("email", email),
        Column("phone", text(40)),
        Column("job_title", text(150)),
        Column("roles", text(200)),
        Column("consent_contact", boolean, empty=False),
        Column("consent_newsletter", boolean, empty=False),
        Column("consent_public", boolean, empty=False),
        Column("consent_recorded_on", iso_date, empty=None),
        Column("is_sample", boolean, empty=False),
    ),
    RecordKind.MEMBERSHIPS: (
        Column("organisation", organisation_reference, required=True),
        Column("cluster", slug, required=True),
        Column("level", choice(lambda v: _LEVELS), required=True),
        Column("since", iso_date, empty=None),
        Column("domains", slugs, empty=frozenset()),
    ),
}

COLUMN_NAMES: dict[RecordKind, tuple[str, ...]] = {
    kind: tuple(column.name for column in columns) for kind, columns in COLUMNS.items()
}


def detect_kind(header: Sequence[str]) -> RecordKind | None:
    """The kind whose columns the header shares most, or None when that is not clear."""
    names = {column_name(cell) for cell in header}
    scores = sorted(((len(names & set(COLUMN_NAMES[kind])), kind) for kind in RecordKind), reverse=True)
    (best, kind), (second, _other) = scores[0], scores[1]
    return kind if best > second else None


# --- rows -----------------------------------------------------------------------------------------


def parse_table(kind: RecordKind, table: Table, vocab: Vocabulary) -> ParsedTable:
    """Check the header, then parse every row; rows with an error yield no record."""
    errors: list[RowError] = []
    positions = _check_header(kind, table, errors)
    if positions is None:
        return ParsedTable(kind, (), tuple(errors), frozenset())
    columns = [column for column in COLUMNS[kind] if column.name in positions]
    named = set(positions.values())
    records: list[Record] = []
    for number, cells in table.rows:
        row_errors: list[RowError] = []
        values: dict[str, Value] = {}
        for index, cell in enumerate(cells):
            if index not in named and cell.strip():
                message = "a value in a column without a name"
                row_errors.append(table.source.error(number, f"#{index + 1}", message))
        for column in columns:
            index = positions[column.name]
            raw = cells[index] if index < len(cells) else ""
            try:
                values[column.name] = parse_cell(column, raw, vocab)
            except CellError as exc:
                row_errors.append(table.source.error(number, column.name, str(exc)))
        record = _finish(kind, table.source, number, values, row_errors)
        errors.extend(row_errors)
        if record is not None and not row_errors:
            records.append(record)
    unique = _drop_duplicates(records, errors)
    errors.sort(key=lambda e: e.row or 0)  # stable: columns stay in file order within a row
    return ParsedTable(kind, tuple(unique), tuple(errors), frozenset(positions))


def _check_header(kind: RecordKind, table: Table, errors: list[RowError]) -> dict[str, int] | None:
    source, known = table.source, COLUMN_NAMES[kind]
    positions: dict[str, int] = {}
    for index, raw in enumerate(table.header):
        name = column_name(raw)
        if not name:
            continue
        if name in positions:
            errors.append(source.error(1, raw, f"the column {name!r} appears twice"))
        elif name not in known:
            message = f"unknown column for {kind.value} (known: {', '.join(known)})"
            errors.append(source.error(1, raw, message))
        else:
            positions[name] = index
    for column in COLUMNS[kind]:
        if column.required and column.name not in positions:
            errors.append(source.error(1, column.name, f"missing required column {column.name!r}"))
    if kind is RecordKind.ORGANISATIONS:
        if "legal_identifier" not in positions and "slug" not in positions:
            message = "missing column: legal_identifier or slug is needed"
            errors.append(source.error(1, "legal_identifier", message))
        if "legal_identifier" in positions and "identifier_scheme" not in positions:
            errors.append(source.error(1, "identifier_scheme", "missing column 'identifier_scheme'"))
    return None if errors else positions


def _finish(
    kind: RecordKind, source: Source, number: int, values: dict[str, Value], errors: list[RowError]
) -> Record | None:
    if kind is not RecordKind.ORGANISATIONS:
        reference = values.get("organisation")
        if not isinstance(reference, OrganisationKey):
            return None
        return Record(kind, source, number, values, reference)
    scheme, raw_identifier = values.get("identifier_scheme"), values.get("legal_identifier")
    key = OrganisationKey(slug=str(values.get("slug") or ""))
    if raw_identifier:
        if not scheme:
            if "identifier_scheme" not in {e.column for e in errors}:
                message = "required when legal_identifier is given"
                errors.append(source.error(number, "identifier_scheme", message))
        else:
            try:
                legal = normalise_identifier(str(scheme), str(raw_identifier))
            except InvalidIdentifier as exc:
                errors.append(source.error(number, "legal_identifier", str(exc)))
            else:
                values["legal_identifier"] = legal.value
                key = OrganisationKey(legal.scheme.value, legal.value, key.slug)
    elif not key.slug:
        errors.append(
            source.error(number, "legal_identifier", "an organisation needs a legal_identifier or a slug")
        )
    return Record(kind, source, number, values, key)


def record_keys(record: Record) -> list[tuple[str, tuple[str, ...]]]:
    """The keys that must be unique within a file, each with the column it is reported in."""
    org = str(record.organisation)
    if record.kind is RecordKind.ORGANISATIONS:
        keys: list[tuple[str, tuple[str, ...]]] = []
        if record.organisation.identifier:
            keys.append(("legal_identifier", (record.organisation.scheme, record.organisation.identifier)))
        if record.organisation.slug:
            keys.append(("slug", (record.organisation.slug,)))
        return keys
    if record.kind is RecordKind.SITES:
        return [("name", (org, record.text("name")))]
    if record.kind is RecordKind.PEOPLE:
        if record.text("email"):
            return [("email", (org, record.text("email")))]
        return [("last_name", (org, "", record.text("first_name"), record.text("last_name")))]
    return [("cluster", (org, record.text("cluster")))]


def _drop_duplicates(records: list[Record], errors: list[RowError]) -> list[Record]:
    seen: dict[tuple[str, tuple[str, ...]], int] = {}
    unique = []
    for record in records:
        clash = None
        for column, key in record_keys(record):
            if (column, key) in seen:
                clash = (column, seen[(column, key)])
                break
        if clash:
            column, first = clash
            message = f"duplicate key: row {first} has the same {_KEY_WORDS[column]}"
            errors.append(record.source.error(record.row, column, message))
            continue
        for column, key in record_keys(record):
            seen[(column, key)] = record.row
        unique.append(record)
    return unique


_KEY_WORDS = {
    "legal_identifier": "legal identifier",
    "slug": "slug",
    "name": "organisation and site name",
    "email": "organisation and e-mail",
    "last_name": "organisation and name (and no e-mail)",
    "cluster": "organisation and cluster",
}


def check_organisation(kind: str, size_class: str, government_level: str) -> list[tuple[str, str]]:
    """Rules across columns of an organisation as it will be stored: (column, reason) pairs."""
    problems = []
    if size_class and kind != "company":
        problems.append(("size_class", f"a size class applies only to companies, not to kind {kind!r}"))
    if government_level and kind != "government":
        message = f"a government level applies only to kind 'government', not {kind!r}"
        problems.append(("government_level", message))
    return problems
