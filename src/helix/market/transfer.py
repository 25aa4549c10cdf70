"""Importing needs and offers from a CSV file or an XLSX workbook (the first sheet): atomic, every error
named by row and column, a dry run. ``helix listings import`` runs it; the layout is the one
``helix listings list --format csv`` writes (see helix.cli.listings for the columns).

Files are read and cells parsed by the registry import's rules (helix.core.registry.records: ``read_csv``,
``Column`` and ``parse_cell``, which refuses formulas); this module declares the listing columns
(:func:`listing_columns`) and checks the rows against the database and the user's permissions.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helix.core.registry.nace import UnknownNaceCode, normalise_nace
from helix.core.registry.records import (
    CellError,
    Column,
    Parser,
    Source,
    Vocabulary,
    choice,
    column_name,
    parse_cell,
    read_csv,
    text,
)

COLUMNS = (
    "id",
    "organisation",
    "side",
    "category",
    "title",
    "description",
    "domains",
    "sectors",
    "keywords",
    "trl",
    "budget_min",
    "budget_max",
    "deadline",
    "visibility",
    "status",
)
REQUIRED = ("organisation", "side", "category", "title", "description")
SCALARS = ("side", "category", "title", "description", "trl", "budget_min", "budget_max", "deadline")
KEEP_WHEN_EMPTY = ("visibility", "status")  # an empty cell leaves these as they are (new: the default)
XLSX_SUFFIXES = (".xlsx", ".xlsm")
MAX_EUROS = 2_147_483_647


# --- the import -----------------------------------------------------------------------------


@dataclass
class PlannedRow:
    row: int
    listing: Any
    action: str  # "create", "update" or "unchanged"
    domains: list[Any] | None = None
    sectors: list[Any] | None = None
    keywords: list[str] | None = None


@dataclass
class ListingImport:
    file: str
    dry_run: bool
    errors: list[Any] = field(default_factory=list)  # RowError
    rows: list[PlannedRow] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def summary(self) -> str:
        if self.errors:
            return f"{self.file}: {len(self.errors)} error(s); nothing was written"
        created, updated, unchanged = (self.count(a) for a in ("create", "update", "unchanged"))
        if self.dry_run:
            return (
                f"Dry run of {self.file}: would create {created}, update {updated}, leave {unchanged} "
                "unchanged; nothing was written"
            )
        return f"Imported {self.file}: created {created}, updated {updated}, unchanged {unchanged}"


def read_table(path: Path) -> tuple[Any, list[Any]]:
    """The CSV file, or the first sheet of the workbook, as a records.Table (or None, with errors)."""
    from helix.spreadsheets import import_limits, read_workbook

    limits = import_limits()
    if path.suffix.lower() not in XLSX_SUFFIXES:
        return read_csv(path.read_bytes(), Source(path.name), limits)
    sheets, errors = read_workbook(path, first_only=True, limits=limits)
    return (sheets[0][1], []) if sheets else (None, errors)


def _trimmed(parse: Parser, *, required: bool, empty: Any) -> Parser:
    """``parse`` on the cell's text without trailing spaces: records.parse_cell strips a cell, but keeps
    what follows an apostrophe-escaped formula sign as it is; a listings file trims that too."""

    def run(raw: str, vocab: Vocabulary) -> Any:
        literal = raw.rstrip()
        if not literal:  # an apostrophe before nothing but a tab or a carriage return
            if required:
                raise CellError("required, but empty")
            return empty
        return parse(literal, vocab)

    return run


def _as_text(raw: str, _vocab: Vocabulary) -> str:
    return raw


def split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def whole_number(low: int, high: int) -> Parser:
    def parse(raw: str, _vocab: Vocabulary) -> int:
        try:
            value = int(raw.replace(" ", "").replace("_", ""))
        except ValueError:
            raise CellError(f"{raw!r} is not a whole number") from None
        if not low <= value <= high:
            raise CellError(f"{value} is not between {low} and {high}")
        return value

    return parse


def deadline(raw: str, _vocab: Vocabulary) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CellError(f"{raw!r} is not a date written YYYY-MM-DD") from None


def domain_keys(raw: str, _vocab: Vocabulary) -> list[tuple[str, str]]:
    keys = []
    for part in split(raw):
        cluster, _, slug = part.partition("/")
        if not cluster.strip() or not slug.strip():
            raise CellError(f"{part!r} is not cluster/slug")
        keys.append((cluster.strip(), slug.strip()))
    return list(dict.fromkeys(keys))


def sector_codes(raw: str, _vocab: Vocabulary) -> list[str]:
    """NACE codes in the order written (the errors about unknown sectors name them in that order)."""
    codes, problems = [], []
    for part in split(raw):
        try:
            codes.append(normalise_nace(part))
        except UnknownNaceCode as exc:
            problems.append(str(exc))
    if problems:
        raise CellError("; ".join(problems))
    return list(dict.fromkeys(codes))


def keyword_list(raw: str, _vocab: Vocabulary) -> list[str]:
    words = list(dict.fromkeys(" ".join(part.lower().split()) for part in split(raw)))
    long = [w for w in words if len(w) > 80]
    if long:
        raise CellError(f"keyword {long[0]!r} is longer than 80 characters")
    return words


def listing_columns(choices: Mapping[str, Sequence[str]]) -> dict[str, Column]:
    """The columns of a listings file as the registry import's :class:`Column` (parsed by its
    ``parse_cell``: formulas refused, the apostrophe escape, required cells), by name. ``choices``: the
    allowed values of side, category, visibility and status. An empty cell is None (a list column: [])."""

    def one_of(name: str) -> Parser:
        return choice(lambda _vocab: choices[name])

    parsers: dict[str, Parser] = {
        "id": whole_number(1, sys.maxsize),
        "organisation": _as_text,
        "title": text(200),
        "description": _as_text,
        "domains": domain_keys,
        "sectors": sector_codes,
        "keywords": keyword_list,
        "trl": whole_number(1, 9),
        "budget_min": whole_number(0, MAX_EUROS),
        "budget_max": whole_number(0, MAX_EUROS),
        "deadline": deadline,
        **{name: one_of(name) for name in choices},
    }
    columns = {}
    for name in COLUMNS:
        required, empty = name in REQUIRED, EMPTY.get(name)
        parse = _trimmed(parsers[name], required=required, empty=empty)
        columns[name] = Column(name, parse, required=required, empty=empty)
    return columns


EMPTY: dict[str, Any] = {"domains": [], "sectors": [], "keywords": []}
NO_VOCABULARY = Vocabulary((), (), (), (), ())  # the listing columns read no registry vocabulary


class ImportPlan:
    """Checks every row of a listings table against the database and the user's permissions."""

    def __init__(self, table: Any, user: Any) -> None:
        from helix.market.models import Category, Side, Status, Visibility

        self.table = table
        self.user = user
        self.errors: list[Any] = []
        self.rows: list[PlannedRow] = []
        self.choices = {
            "side": Side.values,
            "category": Category.values,
            "visibility": Visibility.values,
            "status": Status.values,
        }
        self.columns = listing_columns(self.choices)
        self._may_post: dict[int, bool] = {}

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(self.table.source.error(row, column, message))

    def positions(self) -> dict[str, int] | None:
        found: dict[str, int] = {}
        for index, raw in enumerate(self.table.header):
            name = column_name(raw).rstrip("*")
            if not name:
                continue
            if name in found:
                self.error(1, raw, f"the column {name!r} appears twice")
            elif name not in COLUMNS:
                self.error(1, raw, f"unknown column (known: {', '.join(COLUMNS)})")
            else:
                found[name] = index
        for name in REQUIRED:
            if name not in found:
                self.error(1, name, f"missing required column {name!r}")
        return None if self.errors else found

    def parse(self, positions: dict[str, int]) -> list[tuple[int, dict[str, Any]]]:
        parsed = []
        for number, cells in self.table.rows:
            values: dict[str, Any] = {}
            ok = True
            for index, cell in enumerate(cells):
                if index not in positions.values() and cell.strip():
                    self.error(number, f"#{index + 1}", "a value in a column without a name")
                    ok = False
            for name, index in positions.items():  # in file order, as the errors are
                raw = cells[index] if index < len(cells) else ""
                try:
                    values[name] = parse_cell(self.columns[name], raw, NO_VOCABULARY)
                except CellError as exc:
                    self.error(number, name, str(exc))
                    ok = False
            if ok:
                parsed.append((number, values))
        return parsed

    def check(self) -> None:
        positions = self.positions()
        if positions is None:
            return
        parsed = self.parse(positions)
        present = set(positions)
        lookups = self.load(parsed)
        seen_ids: dict[int, int] = {}
        seen_keys: dict[tuple[Any, ...], int] = {}
        for number, values in parsed:
            planned = self.plan_row(number, values, present, lookups, seen_ids, seen_keys)
            if planned is not None:
                self.rows.append(planned)
        self.errors.sort(key=lambda e: e.row or 0)

    def load(self, parsed: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
        """Everything the rows refer to, in a few queries."""
        from django.db.models import Q

        from helix.market.models import Listing
        from helix.registry.models import Domain, Organisation, Sector

        slugs = {v["organisation"] for _, v in parsed}
        domain_keys = {k for _, v in parsed for k in v.get("domains") or ()}
        codes = {c for _, v in parsed for c in v.get("sectors") or ()}
        ids = {v["id"] for _, v in parsed if v.get("id")}
        wanted = Q(pk__in=[])
        for cluster, slug in domain_keys:
            wanted |= Q(cluster__slug=cluster, slug=slug)
        organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
        titles = Listing.objects.filter(organisation__in=organisations.values()).values_list(
            "organisation_id", "side", "title", "pk"
        )
        return {
            "organisations": organisations,
            "domains": {
                (d.cluster.slug, d.slug): d for d in Domain.objects.select_related("cluster").filter(wanted)
            },
            "sectors": {s.code: s for s in Sector.objects.filter(code__in=codes)},
            "listings": {
                x.pk: x
                for x in Listing.objects.select_related("organisation", "site")
                .prefetch_related("domains", "sectors", "keywords")
                .filter(pk__in=ids)
            },
            "titles": {(org, side, title.lower()): pk for org, side, title, pk in titles},
        }

    def may_post(self, organisation: Any) -> bool:
        from helix.market import services

        if organisation.pk not in self._may_post:
            self._may_post[organisation.pk] = services.can_create_listing_for(self.user, organisation)
        return self._may_post[organisation.pk]

    def plan_row(
        self,
        number: int,
        values: dict[str, Any],
        present: set[str],
        lookups: dict[str, Any],
        seen_ids: dict[int, int],
        seen_keys: dict[tuple[Any, ...], int],
    ) -> PlannedRow | None:
        from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

        from helix.market import services
        from helix.market.models import Listing

        errors_before = len(self.errors)
        organisation = lookups["organisations"].get(values["organisation"])
        if organisation is None:
            self.error(number, "organisation", f"no organisation {values['organisation']!r}")
        elif not self.may_post(organisation):
            self.error(
                number, "organisation", f"{self.user.get_username()} may not post for {organisation.name}"
            )
        domains = sectors = None
        if "domains" in present:
            missing = [f"{c}/{s}" for c, s in values["domains"] if (c, s) not in lookups["domains"]]
            if missing:
                self.error(number, "domains", f"no domain {', '.join(missing)}")
            domains = [lookups["domains"][k] for k in values["domains"] if k in lookups["domains"]]
        if "sectors" in present:
            missing = [c for c in values["sectors"] if c not in lookups["sectors"]]
            if missing:
                self.error(number, "sectors", f"sector {', '.join(missing)} is not in the sector table")
            sectors = [lookups["sectors"][c] for c in values["sectors"] if c in lookups["sectors"]]
        listing_id = values.get("id")
        if listing_id:
            listing = lookups["listings"].get(listing_id)
            if listing is None:
                self.error(number, "id", f"no listing {listing_id}")
            elif listing_id in seen_ids:
                self.error(number, "id", f"row {seen_ids[listing_id]} updates the same listing")
            elif organisation is not None and listing.organisation_id != organisation.pk:
                self.error(
                    number, "organisation", f"listing {listing_id} belongs to {listing.organisation.slug}"
                )
            seen_ids.setdefault(listing_id, number)
        else:
            listing = Listing(organisation=organisation) if organisation is not None else None
            if organisation is not None:
                key = (organisation.pk, values["side"], values["title"].lower())
                if key in seen_keys:
                    self.error(
                        number, "title", f"row {seen_keys[key]} has the same organisation, side and title"
                    )
                elif key in lookups["titles"]:
                    self.error(
                        number,
                        "title",
                        f"{organisation.slug} already has this {values['side']} "
                        f"(listing {lookups['titles'][key]}); give its id to update it",
                    )
                seen_keys.setdefault(key, number)
        if listing is None or len(self.errors) > errors_before:
            return None

        stored = (listing.status, listing.expires_on) if listing.pk is not None else None
        changed = self.apply(listing, values, present)
        keywords = values.get("keywords") if "keywords" in present else None
        if listing.pk is not None:
            changed |= self.sets_changed(listing, domains, sectors, keywords)
        try:
            services.check_listing(listing)
            services.check_status_change(listing, user=self.user, stored=stored)  # the lifecycle's moves
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                for message in messages:
                    self.error(number, None if key in (NON_FIELD_ERRORS, "site") else key, message)
            return None
        action = "create" if listing.pk is None else ("update" if changed else "unchanged")
        return PlannedRow(number, listing, action, domains, sectors, keywords)

    @staticmethod
    def apply(listing: Any, values: dict[str, Any], present: set[str]) -> bool:
        changed = False
        for name in (*SCALARS, *KEEP_WHEN_EMPTY):
            if name not in present or (name in KEEP_WHEN_EMPTY and values[name] is None):
                continue
            if getattr(listing, name) != values[name]:
                setattr(listing, name, values[name])
                changed = True
        return changed

    @staticmethod
    def sets_changed(listing: Any, domains: Any, sectors: Any, keywords: Any) -> bool:
        return (
            (domains is not None and {d.pk for d in domains} != {d.pk for d in listing.domains.all()})
            or (sectors is not None and {s.pk for s in sectors} != {s.pk for s in listing.sectors.all()})
            or (keywords is not None and set(keywords) != {k.name for k in listing.keywords.all()})
        )


def import_listings(path: Path, user: Any, *, dry_run: bool = False) -> ListingImport:
    """Check every row of the file; unless there is an error or it is a dry run, write all in one
    transaction through services.save_listing."""
    from django.db import transaction

    from helix.market import services

    report = ListingImport(path.name, dry_run)
    table, report.errors = read_table(path)
    if table is None:
        return report
    plan = ImportPlan(table, user)
    plan.check()
    report.errors += plan.errors
    report.rows = plan.rows
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        for row in report.rows:
            if row.action != "unchanged":
                services.save_listing(
                    row.listing, user=user, domains=row.domains, sectors=row.sectors, keywords=row.keywords
                )
    return report
