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

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from helix.audit.bulk import BulkLog
from helix.core.access import Role
from helix.core.registry.records import (
    COLUMN_NAMES,
    ParsedTable,
    Record,
    RecordKind,
    RowError,
    Source,
    Table,
    Vocabulary,
    check_organisation,
    column_name,
    detect_kind,
    parse_table,
    read_csv,
)
from helix.pagecache import data_changed_on_commit
from helix.privacy.consents import CONSENT_FIELDS, record_many
from helix.privacy.models import Channel
from helix.registry import services
from helix.registry.models import (
    LANGUAGE_CODES,
    Cluster,
    Domain,
    GovernmentLevel,
    Keyword,
    Membership,
    MembershipChange,
    Organisation,
    OrganisationKind,
    Person,
    Region,
    Sector,
    Site,
    SizeClass,
)
from helix.registry.permissions import ORGANISATION, actor_for, may, scope
from helix.registry.signals import memberships_changed
from helix.spreadsheets import import_limits, read_workbook, write_csv, write_workbook

__all__ = ["ExportReport", "ImportReport", "RowAction", "RowError", "export_registry", "import_file"]

Progress = Callable[[int, int, str], None]
KINDS = tuple(RecordKind)
XLSX_SUFFIXES = (".xlsx", ".xlsm")

ORGANISATION_FIELDS = (
    "slug",
    "identifier_scheme",
    "legal_identifier",
    "name",
    "kind",
    "size_class",
    "government_level",
    "website",
    "working_languages",
    "description_en",
    "description_nl",
    "description_fr",
    "description_de",
    "is_published",
    "is_sample",
)
SITE_FIELDS = (
    "name",
    "street",
    "postcode",
    "city",
    "country",
    "region",
    "latitude",
    "longitude",
    "is_headquarters",
)
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "job_title",
    "roles",
    "consent_contact",
    "consent_newsletter",
    "consent_public",
    "consent_recorded_on",
    "is_sample",
)


@dataclass(frozen=True)
class RowAction:
    """What an import does (or, in a dry run, would do) with one row."""

    kind: str
    file: str
    row: int
    key: str
    action: str  # "create", "update" or "unchanged"
    changes: tuple[str, ...] = ()


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


def vocabulary() -> Vocabulary:
    """The registry's model choices, for checking import rows."""
    return Vocabulary(
        organisation_kinds=tuple(OrganisationKind.values),
        size_classes=tuple(v for v in SizeClass.values if v),
        government_levels=tuple(v for v in GovernmentLevel.values if v),
        regions=tuple(Region.values),
        languages=LANGUAGE_CODES,
    )


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
        plan = _Plan(parsed, user=user, notify=lambda done, message: notify(done, 2 * total, message))
        plan.check()
        errors.extend(plan.errors)
        report.errors = errors
        report.rows = plan.actions
        for attribute, action in (("created", "create"), ("updated", "update"), ("unchanged", "unchanged")):
            counts = Counter(a.kind for a in plan.actions if a.action == action)
            setattr(report, attribute, {k.value: counts.get(k.value, 0) for k in KINDS})
        if not errors and not dry_run:
            plan.write(offset=total)
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


@dataclass
class _Planned:
    record: Record
    instance: Any
    action: str
    changes: tuple[str, ...] = ()
    sets: dict[str, set[int]] = field(default_factory=dict)  # m2m name → target ids
    keywords: frozenset[str] | None = None
    level_change: tuple[str, str] | None = None  # (from, to) for memberships
    owner: Any = None  # the organisation of a site, person or membership


class _Plan:
    """Compares valid records with the database (loaded in a few queries) and writes the difference."""

    def __init__(
        self, tables: Sequence[ParsedTable], *, user: Any, notify: Callable[[int, str], None]
    ) -> None:
        self.tables = {t.kind: t for t in tables}
        self.user = user if getattr(user, "is_authenticated", False) else None
        self.notify = notify
        self.audit = BulkLog(actor=self.user)  # the writes bypass model signals: logged in bulk
        self.errors: list[RowError] = []
        self.actions: list[RowAction] = []
        self.planned: dict[RecordKind, list[_Planned]] = {k: [] for k in KINDS}
        self.today = timezone.localdate()
        self._checked = 0

    # -- checking --

    def check(self) -> None:
        self._load_organisations()
        if RecordKind.ORGANISATIONS in self.tables:
            self._plan_organisations(self.tables[RecordKind.ORGANISATIONS])
        if RecordKind.SITES in self.tables:
            self._plan_sites(self.tables[RecordKind.SITES])
        if RecordKind.PEOPLE in self.tables:
            self._plan_people(self.tables[RecordKind.PEOPLE])
        if RecordKind.MEMBERSHIPS in self.tables:
            self._plan_memberships(self.tables[RecordKind.MEMBERSHIPS])
        self._check_scope()
        for kind in KINDS:
            for item in self.planned[kind]:
                record = item.record
                place = (
                    f"{record.source.file}:{record.source.sheet}"
                    if record.source.sheet
                    else record.source.file
                )
                self.actions.append(
                    RowAction(kind.value, place, record.row, self._key_text(item), item.action, item.changes)
                )

    def _check_scope(self) -> None:
        """Every row that changes something must be the importer's to change (the permission table):
        an organisation (and its sites and people) of one of their clusters, or in no cluster yet; a
        membership in one of their clusters. Rows that change nothing are left alone."""
        actor = actor_for(self.user)
        if self.user is None or actor.is_superuser:
            return
        clusters_of: dict[int, set[int]] = defaultdict(set)
        for org_id, cluster_id in Membership.objects.order_by().values_list("organisation_id", "cluster_id"):
            clusters_of[org_id].add(cluster_id)
        for cluster_id, org_id in Cluster.objects.order_by().values_list("pk", "operator_id"):
            clusters_of[org_id].add(cluster_id)  # an operator belongs to the clusters it runs

        def importable(org: Any) -> bool:
            if org is None or org.pk is None:  # new in this import
                return True
            clusters = clusters_of.get(org.pk, set())
            roles = {Role.USER, Role.ANY_STAFF} if actor.staff_of else {Role.USER}
            if clusters & actor.staff_of:
                roles.add(Role.STAFF)
            return ORGANISATION.allows("import", roles, set() if clusters else {"unaffiliated"})

        for kind in KINDS:
            for item in self.planned[kind]:
                if item.action == "unchanged":
                    continue
                record = item.record
                if kind is RecordKind.MEMBERSHIPS:
                    if item.instance.cluster_id not in actor.staff_of:
                        self._error(
                            record, "cluster", f"you are not staff of cluster {record.text('cluster')!r}"
                        )
                    continue
                org = item.instance if kind is RecordKind.ORGANISATIONS else item.owner
                if not importable(org):
                    self._error(
                        record,
                        "organisation",
                        f"{org.name} belongs to clusters you are not staff of; their staff change it",
                    )

    def _tick(self, message: str) -> None:
        self._checked += 1
        if self._checked % 500 == 0:
            self.notify(self._checked, message)

    def _error(self, record: Record, column: str, message: str) -> None:
        self.errors.append(record.source.error(record.row, column, message))

    def _load_organisations(self) -> None:
        organisations = list(Organisation.objects.order_by().only(*ORGANISATION_FIELDS))
        self.by_identifier = {
            (o.identifier_scheme, o.legal_identifier): o for o in organisations if o.legal_identifier
        }
        self.by_slug = {o.slug: o for o in organisations}
        self.taken_slugs = set(self.by_slug)

    def _resolve(self, record: Record) -> Organisation | None:
        key = record.organisation
        if key.identifier:
            found = self.by_identifier.get((key.scheme, key.identifier))
        else:
            found = self.by_slug.get(key.slug)
        if found is None:
            self._error(record, "organisation", f"no organisation {key} in this import or in the registry")
        return found

    def _plan_organisations(self, table: ParsedTable) -> None:
        through_sectors = Organisation.sectors.through.objects.values_list("organisation_id", "sector_id")
        through_keywords = Organisation.keywords.through.objects.values_list(
            "organisation_id", "keyword__name"
        )
        self.org_sectors: dict[int, set[int]] = defaultdict(set)
        self.org_keywords: dict[int, set[str]] = defaultdict(set)
        if "sectors" in table.columns:
            for org_id, sector_id in through_sectors:
                self.org_sectors[org_id].add(sector_id)
        if "keywords" in table.columns:
            for org_id, name in through_keywords:
                self.org_keywords[org_id].add(name)
        sector_ids = dict(Sector.objects.values_list("code", "id"))
        explicit_slugs = {r.organisation.slug for r in table.records if r.organisation.slug}
        self.taken_slugs |= explicit_slugs
        fields = [f for f in ORGANISATION_FIELDS if f in table.columns]
        missing: list[str] = []
        rows_of: dict[int, int] = {}  # organisation id → the row that updates it
        for record in table.records:
            self._tick("checking organisations")
            existing = self._find_organisation(record)
            if existing is False:
                continue
            if existing is not None and existing.pk in rows_of:
                column = "legal_identifier" if record.organisation.identifier else "slug"
                message = f"duplicate key: row {rows_of[existing.pk]} names the same organisation"
                self._error(record, column, message)
                continue
            if existing is not None:
                rows_of[existing.pk] = record.row
            values = {f: record.values[f] for f in fields if record.values[f] is not None}
            kind, size, level = (
                str(values.get(f, getattr(existing, f, "")))
                for f in ("kind", "size_class", "government_level")
            )
            problems = check_organisation(kind, size, level)
            for column, message in problems:
                self._error(record, column, message)
            sets: dict[str, set[int]] = {}
            if "sectors" in table.columns:
                codes = record.values["sectors"]
                assert isinstance(codes, frozenset)
                missing = sorted(c for c in codes if c not in sector_ids)
                if missing:
                    self._error(record, "sectors", f"sector {', '.join(missing)} is not in the sector table")
                sets["sectors"] = {sector_ids[c] for c in codes if c in sector_ids}
            if problems or ("sectors" in table.columns and missing):
                continue
            keywords = record.values.get("keywords")
            assert keywords is None or isinstance(keywords, frozenset)
            if existing is None:
                instance = Organisation(**values)
                if not instance.slug:
                    instance.slug = self._new_slug(instance.name)
                item = _Planned(record, instance, "create", sets=sets, keywords=keywords)
            else:
                changes = [f for f, v in values.items() if getattr(existing, f) != v]
                if "sectors" in sets and sets["sectors"] != self.org_sectors.get(existing.pk, set()):
                    changes.append("sectors")
                if keywords is not None and set(keywords) != self.org_keywords.get(existing.pk, set()):
                    changes.append("keywords")
                for f in changes:
                    if f in values:
                        setattr(existing, f, values[f])
                action = "update" if changes else "unchanged"
                item = _Planned(record, existing, action, tuple(changes), sets, keywords)
            self.planned[RecordKind.ORGANISATIONS].append(item)
            org = item.instance
            if org.legal_identifier:
                self.by_identifier[(org.identifier_scheme, org.legal_identifier)] = org
            self.by_slug[org.slug] = org

    def _find_organisation(self, record: Record) -> Organisation | bool | None:
        """The organisation a row updates, None for a new one, False after reporting a conflict."""
        key = record.organisation
        existing = self.by_identifier.get((key.scheme, key.identifier)) if key.identifier else None
        by_slug = self.by_slug.get(key.slug) if key.slug else None
        if existing is None and by_slug is not None:
            if key.identifier and by_slug.legal_identifier:
                owner = f"{by_slug.identifier_scheme}:{by_slug.legal_identifier}"
                self._error(record, "slug", f"slug {key.slug!r} belongs to another organisation ({owner})")
                return False
            return by_slug
        if existing is not None and by_slug is not None and by_slug is not existing:
            self._error(record, "slug", f"slug {key.slug!r} belongs to another organisation ({by_slug.name})")
            return False
        return existing

    def _new_slug(self, name: str) -> str:
        base = slugify(name)[:200] or "organisation"
        slug, n = base, 1
        while slug in self.taken_slugs:
            n += 1
            slug = f"{base}-{n}"
        self.taken_slugs.add(slug)
        return slug

    def _plan_children(
        self,
        table: ParsedTable,
        model: Any,
        fields: Sequence[str],
        existing: dict[tuple[Any, ...], Any],
        key_of: Callable[[Record, Organisation], tuple[Any, ...]],
    ) -> None:
        kind = table.kind
        fields = [f for f in fields if f in table.columns]
        seen: dict[tuple[Any, ...], int] = {}
        for record in table.records:
            self._tick(f"checking {kind.value}")
            org = self._resolve(record)
            if org is None:
                continue
            key = key_of(record, org)
            if key in seen:
                self._error(record, "organisation", f"duplicate key: row {seen[key]} names the same record")
                continue
            seen[key] = record.row
            values = {f: record.values[f] for f in fields}
            current = existing.get(key) if org.pk else None
            if current is None:
                item = _Planned(record, model(organisation=org, **values), "create", owner=org)
            else:
                changes = tuple(f for f, v in values.items() if getattr(current, f) != v)
                for f in changes:
                    setattr(current, f, values[f])
                item = _Planned(record, current, "update" if changes else "unchanged", changes, owner=org)
            self.planned[kind].append(item)

    def _plan_sites(self, table: ParsedTable) -> None:
        existing = {(s.organisation_id, s.name): s for s in Site.objects.order_by()}
        self._plan_children(table, Site, SITE_FIELDS, existing, lambda r, o: (o.pk or id(o), r.text("name")))

    def _plan_people(self, table: ParsedTable) -> None:
        # A person is found by e-mail; a row without e-mail finds a namesake without e-mail, and a file
        # without an e-mail column finds any namesake.
        match = "no e-mail" if "email" in table.columns else "any"
        existing: dict[tuple[Any, ...], Person] = {}
        for person in Person.objects.order_by("pk"):
            name = (person.first_name, person.last_name)
            existing.setdefault((person.organisation_id, "any", *name), person)
            if person.email:
                existing[(person.organisation_id, "email", person.email)] = person
            else:
                existing.setdefault((person.organisation_id, "no e-mail", *name), person)

        def key_of(record: Record, org: Organisation) -> tuple[Any, ...]:
            if record.text("email"):
                return (org.pk or id(org), "email", record.text("email"))
            return (org.pk or id(org), match, record.text("first_name"), record.text("last_name"))

        self._plan_children(table, Person, PERSON_FIELDS, existing, key_of)

    def _plan_memberships(self, table: ParsedTable) -> None:
        clusters = dict(Cluster.objects.values_list("slug", "id"))
        domains = {(c, s): i for i, c, s in Domain.objects.values_list("id", "cluster_id", "slug")}
        existing = {(m.organisation_id, m.cluster_id): m for m in Membership.objects.order_by()}
        current_domains: dict[int, set[int]] = defaultdict(set)
        if "domains" in table.columns:
            for membership_id, domain_id in Membership.domains.through.objects.values_list(
                "membership_id", "domain_id"
            ):
                current_domains[membership_id].add(domain_id)
        seen: dict[tuple[Any, ...], int] = {}
        for record in table.records:
            self._tick("checking memberships")
            org = self._resolve(record)
            cluster_id = clusters.get(record.text("cluster"))
            if cluster_id is None:
                self._error(record, "cluster", f"no cluster {record.text('cluster')!r} in the registry")
            wanted = record.values.get("domains")
            assert wanted is None or isinstance(wanted, frozenset)
            unknown = sorted(s for s in wanted or () if (cluster_id, s) not in domains)
            if cluster_id is not None and unknown:
                message = f"no domain {', '.join(unknown)} in cluster {record.text('cluster')!r}"
                self._error(record, "domains", message)
            if org is None or cluster_id is None or unknown:
                continue
            key = (org.pk or id(org), cluster_id)
            if key in seen:
                message = f"duplicate key: row {seen[key]} has the same organisation and cluster"
                self._error(record, "cluster", message)
                continue
            seen[key] = record.row
            level = record.text("level")
            since = record.values.get("since")
            sets = {"domains": {domains[(cluster_id, s)] for s in wanted}} if wanted is not None else {}
            current = existing.get(key) if org.pk else None
            if current is None:
                day = since if isinstance(since, dt.date) else self.today
                membership = Membership(organisation=org, cluster_id=cluster_id, level=level, since=day)
                self.planned[RecordKind.MEMBERSHIPS].append(
                    _Planned(record, membership, "create", sets=sets, level_change=("", level))
                )
                continue
            changes, level_change = [], None
            if current.level != level:
                changes.append("level")
                level_change = (current.level, level)
                current.level = level
                if since is None:
                    since = self.today
            if isinstance(since, dt.date) and current.since != since:
                changes.append("since")
                current.since = since
            if "domains" in sets and sets["domains"] != current_domains.get(current.pk, set()):
                changes.append("domains")
            self.planned[RecordKind.MEMBERSHIPS].append(
                _Planned(
                    record,
                    current,
                    "update" if changes else "unchanged",
                    tuple(changes),
                    sets,
                    level_change=level_change,
                )
            )

    def _key_text(self, item: _Planned) -> str:
        record, instance = item.record, item.instance
        if record.kind is RecordKind.ORGANISATIONS:
            return f"{record.organisation} ({instance.name})"
        if record.kind is RecordKind.SITES:
            return f"{record.organisation} / {instance.name}"
        if record.kind is RecordKind.PEOPLE:
            return f"{record.organisation} / {instance.first_name} {instance.last_name}"
        return f"{record.organisation} / {record.text('cluster')}"

    # -- writing --

    def write(self, offset: int) -> None:
        done = offset
        organisations = self.planned[RecordKind.ORGANISATIONS]
        self._write_rows(Organisation, organisations, ORGANISATION_FIELDS, touch="updated_at")
        self._write_organisation_sets(organisations)
        done += len(organisations)
        self.notify(done, "writing sites and people")
        self._write_rows(Site, self.planned[RecordKind.SITES], SITE_FIELDS)
        self._write_rows(Person, self.planned[RecordKind.PEOPLE], PERSON_FIELDS)
        self._record_consents(self.planned[RecordKind.PEOPLE])
        done += len(self.planned[RecordKind.SITES]) + len(self.planned[RecordKind.PEOPLE])
        self.notify(done, "writing memberships")
        self._write_memberships(self.planned[RecordKind.MEMBERSHIPS])
        done += len(self.planned[RecordKind.MEMBERSHIPS])
        self.notify(done, "refreshing search text")
        touched = {item.instance.pk: item.instance for item in organisations if item.action != "unchanged"}
        for item in self.planned[RecordKind.SITES]:
            if item.action != "unchanged":
                touched.setdefault(item.owner.pk, item.owner)
        services.refresh_search_texts(list(touched.values()))
        self.audit.flush()  # last: an organisation's entries carry the clusters this file gave it

    def _write_rows(
        self, model: Any, items: Sequence[_Planned], fields: Sequence[str], touch: str = ""
    ) -> None:
        new = [item.instance for item in items if item.action == "create"]
        changed = [item for item in items if item.action == "update"]
        if new:
            self.audit.created(model.objects.bulk_create(new, batch_size=500))
            data_changed_on_commit()
        columns = sorted({f for item in changed for f in item.changes if f in fields})
        instances = [item.instance for item in changed if touch or set(item.changes) & set(columns)]
        if touch:
            now = timezone.now()
            for instance in instances:
                setattr(instance, touch, now)
            columns.append(touch)
        if instances and columns:
            self.audit.updating(model, instances, columns)
            model.objects.bulk_update(instances, columns, batch_size=500)
            data_changed_on_commit()

    def _record_consents(self, items: Sequence[_Planned]) -> None:
        """One consent record per consent an imported row gives (new person) or changes (who: the importing
        user; how: import)."""
        rows = []
        for item in items:
            fields = [f for f in CONSENT_FIELDS.values() if item.action == "update" and f in item.changes]
            if item.action == "create":
                fields = [f for f in CONSENT_FIELDS.values() if getattr(item.instance, f)]
            if fields:
                rows.append((item.instance.pk, {f: getattr(item.instance, f) for f in fields}))
        record_many(rows, actor=self.user, how=Channel.IMPORT)

    def _write_organisation_sets(self, items: list[_Planned]) -> None:
        wanted = {name for item in items if item.keywords for name in item.keywords}
        known = dict(Keyword.objects.values_list("name", "id")) if wanted else {}
        missing = wanted - set(known)
        if missing:
            new = [Keyword(name=name) for name in sorted(missing)]
            self.audit.created(Keyword.objects.bulk_create(new, batch_size=500))
            known = dict(Keyword.objects.values_list("name", "id"))
        for item in items:
            if item.keywords is not None:
                item.sets["keywords"] = {known[name] for name in item.keywords}
        self._sync_sets(Organisation.sectors.through, "organisation_id", "sector_id", "sectors", items)
        self._sync_sets(Organisation.keywords.through, "organisation_id", "keyword_id", "keywords", items)

    def _sync_sets(self, through: Any, owner: str, target: str, name: str, items: list[_Planned]) -> None:
        """Make each many-to-many set what the file says, in bulk."""
        items = [i for i in items if name in i.sets and (i.action == "create" or name in i.changes)]
        updated = [i.instance.pk for i in items if i.action == "update"]
        current: dict[int, dict[int, int]] = defaultdict(dict)
        for start in range(0, len(updated), 500):
            rows = through.objects.filter(**{f"{owner}__in": updated[start : start + 500]})
            for row_id, owner_id, target_id in rows.values_list("id", owner, target):
                current[owner_id][target_id] = row_id
        stale: list[int] = []
        fresh: list[tuple[int, int]] = []
        for item in items:
            have = current.get(item.instance.pk, {})
            stale.extend(row_id for target_id, row_id in have.items() if target_id not in item.sets[name])
            fresh.extend((item.instance.pk, t) for t in sorted(item.sets[name] - set(have)))
        for start in range(0, len(stale), 500):
            through.objects.filter(id__in=stale[start : start + 500]).delete()
        services.insert_rows(through, (owner, target), fresh)
        self._log_sets(through, target, name, items, current)

    def _log_sets(
        self, through: Any, target: str, name: str, items: list[_Planned], current: dict[int, dict[int, int]]
    ) -> None:
        """Audit entries for the many-to-many changes just written (one query for the related names)."""
        changed = [(i, set(current.get(i.instance.pk, {})), i.sets[name]) for i in items]
        related = through._meta.get_field(target).related_model
        wanted = {t for _i, have, want in changed for t in have ^ want}
        objects = related.objects.in_bulk(sorted(wanted)) if wanted else {}
        for item, have, want in changed:
            added = [objects[t] for t in sorted(want - have) if t in objects]
            removed = [objects[t] for t in sorted(have - want) if t in objects]
            self.audit.m2m_changed(item.instance, name, added=added, removed=removed)

    def _write_memberships(self, items: list[_Planned]) -> None:
        self._write_rows(Membership, items, ("level", "since"))
        self._sync_sets(Membership.domains.through, "membership_id", "domain_id", "domains", items)
        history = [
            MembershipChange(
                membership=item.instance,
                from_level=item.level_change[0],
                to_level=item.level_change[1],
                changed_on=item.instance.since,
                changed_by=self.user,
                note="import",
            )
            for item in items
            if item.level_change
        ]
        MembershipChange.objects.bulk_create(history, batch_size=500)
        written = {i.instance.organisation_id for i in items if i.action == "create" or i.level_change}
        if written:  # bulk writes send no post_save: say so, so the match engine re-reads their reach
            memberships_changed.send(sender=Membership, organisation_ids=written)


# Plain executemany: for tens of thousands of narrow rows, building model objects (bulk_create) and
# CASE WHEN statements (bulk_update) costs more than the database work itself.


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
    tables = {kind: list(_export_rows(kind, keys, organisations.values("pk"), memberships)) for kind in KINDS}
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


def _join(values: Iterable[str]) -> str:
    return ";".join(sorted(values))


def _export_rows(
    kind: RecordKind, keys: dict[int, str], wanted: Any, memberships: Any
) -> Iterable[tuple[Any, ...]]:
    """The rows of one kind, as values in the order of its columns: the organisations ``wanted`` (a
    subquery of ids; ``keys`` names them), their sites and people, and the rows of ``memberships``
    among them."""
    if kind is RecordKind.ORGANISATIONS:
        sectors, keywords = defaultdict(list), defaultdict(list)
        for org_id, code in Organisation.sectors.through.objects.values_list(
            "organisation_id", "sector__code"
        ):
            sectors[org_id].append(code)
        for org_id, name in Organisation.keywords.through.objects.values_list(
            "organisation_id", "keyword__name"
        ):
            keywords[org_id].append(name)
        for org in (
            Organisation.objects.filter(pk__in=wanted).order_by("slug").values("pk", *ORGANISATION_FIELDS)
        ):
            by_column = {**org, "sectors": _join(sectors[org["pk"]]), "keywords": _join(keywords[org["pk"]])}
            yield tuple(by_column[name] for name in COLUMN_NAMES[kind])
    elif kind is RecordKind.SITES:
        sites = Site.objects.filter(organisation_id__in=wanted)
        for site in sites.order_by("organisation__slug", "name").values("organisation_id", *SITE_FIELDS):
            yield (keys[site["organisation_id"]], *(site[name] for name in COLUMN_NAMES[kind][1:]))
    elif kind is RecordKind.PEOPLE:
        people = Person.objects.filter(organisation_id__in=wanted).order_by(
            "organisation__slug", "last_name", "first_name", "email", "pk"
        )
        for person in people.values("organisation_id", *PERSON_FIELDS):
            yield (keys[person["organisation_id"]], *(person[name] for name in COLUMN_NAMES[kind][1:]))
    else:
        domains = defaultdict(list)
        for membership_id, slug in Membership.domains.through.objects.values_list(
            "membership_id", "domain__slug"
        ):
            domains[membership_id].append(slug)
        rows = memberships.filter(organisation_id__in=wanted).order_by("organisation__slug", "cluster__slug")
        for m in rows.values("pk", "organisation_id", "cluster__slug", "level", "since"):
            yield (
                keys[m["organisation_id"]],
                m["cluster__slug"],
                m["level"],
                m["since"].isoformat(),
                _join(domains[m["pk"]]),
            )
