"""An import's plan: the valid records of each kind compared with the database (loaded in a few
queries), giving what each row creates, updates or leaves unchanged, and the rows the importer may not
change. helix.registry.transfer_write writes the plan; helix.registry.transfer runs both.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from helix.audit.bulk import BulkLog
from helix.core.access import Role
from helix.core.registry.records import (
    ParsedTable,
    Record,
    RecordKind,
    RowError,
    check_organisation,
)
from helix.registry.convert import ORGANISATION_FIELDS, PERSON_FIELDS, SITE_FIELDS
from helix.registry.models import (
    Cluster,
    Domain,
    Membership,
    Organisation,
    Person,
    Sector,
    Site,
)
from helix.registry.permissions import ORGANISATION, actor_for

KINDS = tuple(RecordKind)


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
class Planned:
    record: Record
    instance: Any
    action: str
    changes: tuple[str, ...] = ()
    sets: dict[str, set[int]] = field(default_factory=dict)  # m2m name → target ids
    keywords: frozenset[str] | None = None
    level_change: tuple[str, str] | None = None  # (from, to) for memberships
    owner: Any = None  # the organisation of a site, person or membership


class ImportPlan:
    """Compares valid records with the database (loaded in a few queries); transfer_write writes it."""

    def __init__(
        self, tables: Sequence[ParsedTable], *, user: Any, notify: Callable[[int, str], None]
    ) -> None:
        self.tables = {t.kind: t for t in tables}
        self.user = user if getattr(user, "is_authenticated", False) else None
        self.notify = notify
        self.audit = BulkLog(actor=self.user)  # the writes bypass model signals: logged in bulk
        self.errors: list[RowError] = []
        self.actions: list[RowAction] = []
        self.planned: dict[RecordKind, list[Planned]] = {k: [] for k in KINDS}
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
                item = Planned(record, instance, "create", sets=sets, keywords=keywords)
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
                item = Planned(record, existing, action, tuple(changes), sets, keywords)
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
                item = Planned(record, model(organisation=org, **values), "create", owner=org)
            else:
                changes = tuple(f for f, v in values.items() if getattr(current, f) != v)
                for f in changes:
                    setattr(current, f, values[f])
                item = Planned(record, current, "update" if changes else "unchanged", changes, owner=org)
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
                    Planned(record, membership, "create", sets=sets, level_change=("", level))
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
                Planned(
                    record,
                    current,
                    "update" if changes else "unchanged",
                    tuple(changes),
                    sets,
                    level_change=level_change,
                )
            )

    def _key_text(self, item: Planned) -> str:
        record, instance = item.record, item.instance
        if record.kind is RecordKind.ORGANISATIONS:
            return f"{record.organisation} ({instance.name})"
        if record.kind is RecordKind.SITES:
            return f"{record.organisation} / {instance.name}"
        if record.kind is RecordKind.PEOPLE:
            return f"{record.organisation} / {instance.first_name} {instance.last_name}"
        return f"{record.organisation} / {record.text('cluster')}"
