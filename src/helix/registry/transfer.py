"""Import and export of the registry as CSV (one file per kind) or XLSX (one sheet per kind).

The first row names the columns, in any order; ``*`` marks required ones. A column left out of the
file leaves that field as it is. Lists in a cell are separated by ``;``. Booleans: true/false (or
yes/no, 1/0). Dates: YYYY-MM-DD. Files are UTF-8 (a BOM is fine), separated by ``,`` or ``;``.
An organisation is named by ``scheme:identifier`` (``be:0403.170.701``), or by its slug if it has
no legal identifier.

organisations (key: identifier_scheme + legal_identifier, else slug)
    slug, identifier_scheme (be, lu_rcs, eu_vat), legal_identifier, name*, kind*,
    size_class (companies: sme, large), government_level (governments: local, regional, national),
    website, working_languages (nl,fr,de,en), sectors (NACE Rev. 2.1 codes), keywords,
    description_en, description_nl, description_fr, description_de, is_published, is_sample
sites (key: organisation + name)
    organisation*, name*, street, postcode, city*, country (ISO code, default BE), region,
    latitude, longitude, is_headquarters
people (key: organisation + email; without e-mail: organisation + first_name + last_name)
    organisation*, first_name*, last_name*, email, phone, job_title, roles, consent_contact,
    consent_newsletter, consent_public, consent_recorded_on, is_sample
memberships (key: organisation + cluster)
    organisation*, cluster* (slug), level* (interested, loi_signed, member, strategic_partner, left),
    since, domains (slugs of the cluster's domains)

Text a spreadsheet would run as a formula (starting with = + - @ tab or CR) is refused on import
unless a leading apostrophe escapes it; export always writes it so escaped.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from helix.core.registry.records import (
    COLUMN_NAMES,
    RecordKind,
    RowError,
    Source,
    Table,
    column_name,
    detect_kind,
    parse_table,
    read_csv,
)
from helix.registry.convert import export_rows, vocabulary
from helix.registry.models import (
    Membership,
    Organisation,
)
from helix.registry.permissions import may, scope
from helix.registry.transfer_plan import KINDS, ImportPlan, RowAction
from helix.registry.transfer_write import write_plan
from helix.spreadsheets import import_limits, read_workbook, write_csv, write_workbook

__all__ = ["ExportReport", "ImportReport", "RowError", "export_registry", "import_file"]

Progress = Callable[[int, int, str], None]
XLSX_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class ImportReport:
    files: list[str]
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    rows: list[RowAction] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    written: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def summary(self) -> str:
        """One line: what was (or would be) created, updated and left unchanged."""
        names = ", ".join(self.files)
        if self.errors:
            return f"{names}: {len(self.errors)} error(s); nothing was written"
        created, updated, unchanged = (sum(d.values()) for d in (self.created, self.updated, self.unchanged))
        rate = f"{self.row_count / self.seconds:,.0f} rows/s" if self.seconds > 0 and self.row_count else ""
        if self.dry_run:
            return (
                f"Dry run of {names}: would create {created}, update {updated}, leave {unchanged} unchanged; "
                "nothing was written"
            )
        return f"Imported {names}: created {created}, updated {updated}, unchanged {unchanged}" + (
            f" ({rate})" if rate else ""
        )


@dataclass
class ExportReport:
    target: Path  # the workbook, or the folder of CSV files
    paths: list[Path]  # the files written
    counts: dict[str, int]  # rows per kind

    def summary(self) -> str:
        counts = ", ".join(f"{n} {kind}" for kind, n in self.counts.items())
        return f"Exported {counts} to {self.target}"


# --- import ---------------------------------------------------------------------------------------


def import_file(
    path: str | Path,
    *,
    user: Any = None,
    dry_run: bool = False,
    kind: str | RecordKind | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a CSV file, an XLSX workbook or a folder of CSV files, then write it in one transaction.

    Nothing is written when any row has an error, nor in a dry run; the report lists every error and
    what each row does (or would do). ``user`` is None for trusted callers (CLI, demo loader);
    otherwise it must be cluster staff.
    """
    if user is not None and not may(user, "transfer", Organisation):
        raise PermissionDenied("only cluster staff may import the registry")
    started = time.perf_counter()
    path = Path(path)
    wanted = RecordKind(kind) if kind else None
    tables, errors = read_tables(path, wanted)
    report = ImportReport(files=[path.name], dry_run=dry_run)
    parsed = [parse_table(k, table, vocabulary()) for k, table in tables]
    for table in parsed:
        errors.extend(table.errors)
    total = sum(len(t.records) for t in parsed)
    notify = progress or _no_progress
    notify(0, 2 * total, "checking")
    # An import checks and writes in one transaction, so it writes over exactly what it checked. A dry
    # run only reads, so it opens none: on SQLite (transaction_mode IMMEDIATE) an atomic block takes the
    # write lock at BEGIN, and every other writer (web requests, job heartbeats) would wait for the
    # whole check.
    with nullcontext() if dry_run else transaction.atomic():
        plan = ImportPlan(parsed, user=user, notify=lambda done, message: notify(done, 2 * total, message))
        plan.check()
        errors.extend(plan.errors)
        report.errors = errors
        report.rows = plan.actions
        for attribute, action in (("created", "create"), ("updated", "update"), ("unchanged", "unchanged")):
            counts = Counter(a.kind for a in plan.actions if a.action == action)
            setattr(report, attribute, {k.value: counts.get(k.value, 0) for k in KINDS})
        if not errors and not dry_run:
            write_plan(plan, offset=total)
            report.written = True
    report.seconds = time.perf_counter() - started
    notify(2 * total, 2 * total, report.summary())
    return report


def _no_progress(done: int, total: int, message: str = "") -> None:
    """Ignore progress."""


def read_tables(
    path: Path, kind: RecordKind | None = None
) -> tuple[list[tuple[RecordKind, Table]], list[RowError]]:
    """The tables in a CSV file, an XLSX workbook or a folder of ``<kind>.csv`` files, in import order;
    each within the import limits of the settings (helix.spreadsheets.import_limits)."""
    limits = import_limits()
    found: list[tuple[RecordKind | None, Table]] = []
    errors: list[RowError] = []
    if path.is_dir():
        files = [path / f"{k.value}.csv" for k in KINDS if kind in (None, k)]
        present = [f for f in files if f.is_file()]
        if not present:
            names = ", ".join(f.name for f in files)
            return [], [RowError(path.name, None, None, f"the folder holds none of: {names}")]
        for file in present:
            table, problems = read_csv(file.read_bytes(), Source(file.name), limits)
            errors.extend(problems)
            if table:
                found.append((RecordKind(file.stem), table))
    elif path.suffix.lower() in XLSX_SUFFIXES:
        sheets, errors = read_workbook(path, limits=limits)
        if kind is not None and any(_sheet_kind(sheet, None, 0) is kind for sheet, _table in sheets):
            sheets = [(sheet, table) for sheet, table in sheets if _sheet_kind(sheet, None, 0) is kind]
        for sheet, table in sheets:
            found.append((_sheet_kind(sheet, kind, len(sheets)), table))
    else:
        table, errors = read_csv(path.read_bytes(), Source(path.name), limits)
        if table:
            found.append((kind, table))
    tables: list[tuple[RecordKind, Table]] = []
    for table_kind, table in found:
        table_kind = table_kind or detect_kind(table.header)
        if table_kind is None:
            errors.append(
                table.source.error(
                    1, None, f"cannot tell which records this holds; give the kind ({', '.join(KINDS)})"
                )
            )
        elif any(k is table_kind for k, _t in tables):
            errors.append(table.source.error(None, None, f"a second table of {table_kind.value}"))
        else:
            tables.append((table_kind, table))
    tables.sort(key=lambda pair: KINDS.index(pair[0]))
    return tables, errors


def _sheet_kind(sheet: str, kind: RecordKind | None, sheet_count: int) -> RecordKind | None:
    name = column_name(sheet)
    if name in COLUMN_NAMES:
        return RecordKind(name)
    return kind if sheet_count == 1 else None


# --- export ---------------------------------------------------------------------------------------


def export_registry(target_path: str | Path, *, fmt: str = "xlsx", user: Any = None) -> ExportReport:
    """Write the registry in the import layout: one XLSX workbook, or a folder of CSV files.

    ``user`` None (CLI as the operator, the demo) writes everything; cluster staff get what the
    permission table lets them export: the organisations of their clusters with their sites and people,
    and the memberships in their clusters.
    """
    if user is not None and not may(user, "transfer", Organisation):
        raise PermissionDenied("only cluster staff may export the registry")
    organisations = Organisation.objects.all()
    memberships = Membership.objects.all()
    if user is not None:
        organisations, memberships = scope(user, "export", organisations), scope(user, "edit", memberships)
    if fmt not in ("xlsx", "csv"):
        raise ValueError(f"unknown export format {fmt!r} (use xlsx or csv)")
    keys = {
        pk: f"{scheme}:{identifier}" if identifier else slug
        for pk, scheme, identifier, slug in Organisation.objects.values_list(
            "pk", "identifier_scheme", "legal_identifier", "slug"
        )
    }
    allowed = set(organisations.values_list("pk", flat=True))
    keys = {pk: key for pk, key in keys.items() if pk in allowed}
    tables = {kind: list(export_rows(kind, keys, organisations.values("pk"), memberships)) for kind in KINDS}
    target = Path(target_path)
    if fmt == "csv":
        target.mkdir(parents=True, exist_ok=True)
        paths = []
        for kind, rows in tables.items():
            file = target / f"{kind.value}.csv"
            with file.open("w", encoding="utf-8-sig", newline="") as handle:
                write_csv(handle, COLUMN_NAMES[kind], rows)
            paths.append(file)
    else:
        write_workbook(target, {kind.value: (COLUMN_NAMES[kind], rows) for kind, rows in tables.items()})
        paths = [target]
    return ExportReport(target, paths, {kind.value: len(rows) for kind, rows in tables.items()})
