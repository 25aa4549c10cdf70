"""Rows of a registry import: reading CSV text, cleaning cells, parsing and checking every row.

Pure: no Django and no database. ``helix.registry.transfer`` reads the files, resolves references
(organisations, clusters, domains, sectors) against the database and writes; this module turns a
table of text cells into :class:`Record` objects or :class:`RowError` objects, collecting every error.

Row numbers are those a spreadsheet shows: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from helix.core.registry.identifiers import IdentifierScheme, InvalidIdentifier, normalise_identifier
from helix.core.registry.ladder import EngagementLevel
from helix.core.registry.nace import UnknownNaceCode, normalise_nace


class RecordKind(StrEnum):
    """The four kinds of records, in the order they are imported (later kinds refer to earlier ones)."""

    ORGANISATIONS = "organisations"
    SITES = "sites"
    PEOPLE = "people"
    MEMBERSHIPS = "memberships"


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
class OrganisationKey:
    """How a file names an organisation: its legal identifier (``be:0403.170.701``), else its slug."""

    scheme: str = ""
    identifier: str = ""
    slug: str = ""

    def __str__(self) -> str:
        return f"{self.scheme}:{self.identifier}" if self.identifier else self.slug


Value = str | bool | float | dt.date | frozenset[str] | OrganisationKey | None


@dataclass(frozen=True)
class Vocabulary:
    """The allowed values of the choice columns; the registry app passes its model choices."""

    organisation_kinds: tuple[str, ...]
    size_classes: tuple[str, ...]
    government_levels: tuple[str, ...]
    regions: tuple[str, ...]
    languages: tuple[str, ...]


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


class CellError(ValueError):
    """A cell's text is not a valid value for its column."""


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


def _unescape(text: str) -> str | None:
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


# --- columns --------------------------------------------------------------------------------------

Parser = Callable[[str, Vocabulary], Value]


@dataclass(frozen=True)
class Column:
    """A column of an import file: how its text is parsed, and what an empty cell means."""

    name: str
    parse: Parser
    required: bool = False  # the column must be there and its cells filled
    empty: Value = ""  # the value of an empty cell
    strip: bool = True  # remove surrounding spaces (not for multi-line descriptions)


def text(max_length: int) -> Parser:
    def parse(raw: str, _vocab: Vocabulary) -> str:
        if len(raw) > max_length:
            raise CellError(f"{len(raw)} characters, at most {max_length} are allowed")
        return raw

    return parse


def choice(values: Callable[[Vocabulary], Iterable[str]]) -> Parser:
    def parse(raw: str, vocab: Vocabulary) -> str:
        allowed = tuple(values(vocab))
        value = raw.lower()
        if value not in allowed:
            raise CellError(f"{raw!r} is not one of: {', '.join(allowed)}")
        return value

    return parse


_TRUE = frozenset({"true", "yes", "y", "1", "x"})
_FALSE = frozenset({"false", "no", "n", "0"})


def boolean(raw: str, _vocab: Vocabulary) -> bool:
    value = raw.lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(f"{raw!r} is not a yes/no value (use true or false)")


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(raw: str, _vocab: Vocabulary) -> dt.date:
    if not _ISO_DATE.fullmatch(raw):
        raise CellError(f"{raw!r} is not a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CellError(f"{raw!r} is not a date that exists") from None


def coordinate(limit: float) -> Parser:
    def parse(raw: str, _vocab: Vocabulary) -> float:
        try:
            value = float(raw.replace(",", ".") if "." not in raw else raw)
        except ValueError:
            raise CellError(f"{raw!r} is not a number") from None
        if not math.isfinite(value) or not -limit <= value <= limit:
            raise CellError(f"{raw!r} is out of range (-{limit:g} to {limit:g})")
        return value

    return parse


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def slug(raw: str, _vocab: Vocabulary) -> str:
    if not _SLUG.fullmatch(raw) or len(raw) > 220:
        raise CellError(f"{raw!r} is not a slug (letters, digits, - and _, at most 220)")
    return raw


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def email(raw: str, _vocab: Vocabulary) -> str:
    if not _EMAIL.fullmatch(raw) or len(raw) > 254:
        raise CellError(f"{raw!r} is not an e-mail address")
    return raw


_URL = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+\S*", re.IGNORECASE)


def url(raw: str, _vocab: Vocabulary) -> str:
    if not _URL.fullmatch(raw) or len(raw) > 200:
        raise CellError(f"{raw!r} is not a web address starting with http:// or https://")
    return raw


def country(raw: str, _vocab: Vocabulary) -> str:
    value = raw.upper()
    if not re.fullmatch(r"[A-Z]{2}", value):
        raise CellError(f"{raw!r} is not a two-letter ISO 3166 country code")
    return value


def _split(raw: str, separators: str) -> list[str]:
    return [part.strip() for part in re.split(f"[{re.escape(separators)}]", raw) if part.strip()]


def languages(raw: str, vocab: Vocabulary) -> str:
    codes = [code.lower() for code in _split(raw, ",; ")]
    wrong = [code for code in codes if code not in vocab.languages]
    if wrong:
        raise CellError(f"unknown language {', '.join(map(repr, wrong))} (use {', '.join(vocab.languages)})")
    return ",".join(dict.fromkeys(codes))


_nace = lru_cache(maxsize=4096)(normalise_nace)  # a file repeats the same few codes; stdnum is slow


def nace_codes(raw: str, _vocab: Vocabulary) -> frozenset[str]:
    codes, problems = set(), []
    for part in _split(raw, ";"):
        try:
            codes.add(_nace(part))
        except UnknownNaceCode as exc:
            problems.append(str(exc))
    if problems:
        raise CellError("; ".join(problems))
    return frozenset(codes)


def keywords(raw: str, _vocab: Vocabulary) -> frozenset[str]:
    words = frozenset(" ".join(part.lower().split()) for part in _split(raw, ";"))
    long = sorted(word for word in words if len(word) > 80)
    if long:
        raise CellError(f"keyword {long[0]!r} is longer than 80 characters")
    return words


def slugs(raw: str, vocab: Vocabulary) -> frozenset[str]:
    return frozenset(slug(part, vocab) for part in _split(raw, ";"))


def organisation_reference(raw: str, _vocab: Vocabulary) -> OrganisationKey:
    """``scheme:identifier`` (``be:0403.170.701``) or a slug."""
    if ":" in raw:
        scheme, _, identifier = raw.partition(":")
        try:
            legal = normalise_identifier(scheme, identifier)
        except InvalidIdentifier as exc:
            raise CellError(str(exc)) from None
        return OrganisationKey(scheme=legal.scheme.value, identifier=legal.value)
    if not _SLUG.fullmatch(raw):
        raise CellError(f"{raw!r} is neither scheme:identifier (be:0403.170.701) nor an organisation slug")
    return OrganisationKey(slug=raw)


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


def column_name(raw: str) -> str:
    """Header cells are matched without case and with spaces read as underscores."""
    return "_".join(raw.strip().lower().replace("-", "_").split())


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


def parse_cell(column: Column, raw: str, vocab: Vocabulary) -> Value:
    """The value of one cell for ``column`` (``column.empty`` when empty), or :class:`CellError`; the
    apostrophe before a formula sign is the spreadsheet's escape, an unescaped formula is refused."""
    literal = _unescape(raw)
    if literal is None:
        if is_formula_like(raw):
            raise CellError(
                f"{raw[:40]!r} starts like a formula, which is not accepted "
                "(prefix an apostrophe if the text is meant literally)"
            )
        literal = raw.strip() if column.strip else raw
    if not literal:
        if column.required:
            raise CellError("required, but empty")
        return column.empty
    return column.parse(literal, vocab)


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
