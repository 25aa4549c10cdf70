"""Log entries for writes that bypass model signals: bulk_create, bulk_update, queryset.update and the
plain multi-row inserts of imports.

The entries look exactly like the ones django-auditlog writes for a save (same change format, actor,
clusters, ``via``), so the staff page and the admin show them alike. They are written in bulk, a few
queries per 500 rows, so an import stays fast (an import of 1,000 rows: see the audit report in
CHANGELOG / the issue).

    batch = BulkLog(actor=user)
    batch.updating(Site, sites, ["city"])        # before bulk_update: reads the old values
    Site.objects.bulk_update(sites, ["city"])
    batch.created(Site.objects.bulk_create(new))  # after bulk_create: the rows have their keys
    batch.m2m_changed(organisation, "sectors", added=[...], removed=[...])
    batch.flush()                                 # at the end: clusters in bulk, entries in bulk
"""

from __future__ import annotations

import enum
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from auditlog.cid import get_cid
from auditlog.diff import get_field_value, model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.encoding import smart_str

from helix.audit.context import current
from helix.audit.models import AuditScope
from helix.audit.scope import clusters_of_many
from helix.registry.services import insert_rows

CHUNK = 500

# Relations that a model's __str__ reads, fetched for a whole batch at once (one query each).
REPR_RELATIONS = {
    "registry.Site": ("organisation",),
    "registry.Membership": ("organisation", "cluster__names"),
    "events.EventMeetingRequest": (
        "requester__person",
        "requester__organisation",
        "requested__person",
        "requested__organisation",
    ),
    "symbiosis.Synergy": ("have", "want"),
    "events.Registration": ("person", "organisation", "event"),  # the event: its cluster, for the scope
}


@dataclass
class _Pending:
    instance: Model
    action: int
    changes: dict[str, Any]


@dataclass
class BulkLog:
    """Collects entries for bulk writes of one operation and writes them with ``flush``."""

    actor: Any = None
    pending: list[_Pending] = field(default_factory=list)
    _collected: dict[int, _Pending] = field(default_factory=dict)  # id(instance) → its last entry

    def created(self, instances: Iterable[Model]) -> None:
        """Rows just inserted (with their primary keys)."""
        fields_of: dict[type[Model], list[Any]] = {}
        for instance in instances:
            model = type(instance)
            if model not in fields_of:
                fields_of[model] = _tracked_fields(model)
            # What auditlog's diff gives for a new object, without its per-object field lookups.
            changes = {}
            for f in fields_of[model]:
                value = smart_str(get_field_value(instance, f))
                if value != "None":
                    changes[f.name] = ["None", value]
            if changes:
                self._collect(_Pending(instance, LogEntry.Action.CREATE, changes))

    def updating(self, model: type[Model], instances: Sequence[Model], fields: Sequence[str]) -> None:
        """Rows about to be written with ``fields`` changed in memory: call before the update."""
        if not auditlog.contains(model) or not instances or not fields:
            return
        names = [model._meta.get_field(f).name for f in fields]
        by_pk = {i.pk: i for i in instances}
        pks = list(by_pk)
        for start in range(0, len(pks), CHUNK):
            for old in model._default_manager.filter(pk__in=pks[start : start + CHUNK]).only("pk", *names):
                changes = model_instance_diff(old, by_pk[old.pk], fields_to_check=names)
                if changes:
                    self._collect(_Pending(by_pk[old.pk], LogEntry.Action.UPDATE, changes))

    def m2m_changed(
        self, instance: Model, field_name: str, *, added: Iterable[Any] = (), removed: Iterable[Any] = ()
    ) -> None:
        """A many-to-many set of ``instance`` changed; ``added``/``removed`` are the related objects.
        Joins the entry already collected for ``instance`` (its creation or update) where it can."""
        if not auditlog.contains(type(instance)):
            return
        for operation, objects in (("add", added), ("delete", removed)):
            names = sorted(smart_str(o) for o in objects)
            if not names:
                continue
            change = {"type": "m2m", "operation": operation, "objects": names}
            joined = self._collected.get(id(instance))
            if joined is not None and field_name not in joined.changes:
                joined.changes[field_name] = change
            else:
                self._collect(_Pending(instance, LogEntry.Action.UPDATE, {field_name: change}))

    def _collect(self, item: _Pending) -> None:
        self.pending.append(item)
        self._collected[id(item.instance)] = item

    def flush(self) -> int:
        """Write the collected entries (and their clusters); returns how many."""
        pending, self.pending, self._collected = self.pending, [], {}
        if not pending:
            return 0
        by_model: dict[type[Model], list[_Pending]] = defaultdict(list)
        for item in pending:
            by_model[type(item.instance)].append(item)
        acting = current()
        actor = self.actor if getattr(self.actor, "is_authenticated", False) else None
        if actor is None and acting is not None:
            actor = acting.actor
        extra = {"via": acting.via} if acting is not None else {}
        remote_addr = acting.remote_addr if acting is not None else None
        cid = get_cid()
        email = getattr(actor, "email", None) or None
        rows: list[tuple[Any, ...]] = []
        scopes: list[set[int]] = []
        for model, items in by_model.items():
            instances = list({id(i.instance): i.instance for i in items}.values())
            prefetch_related_objects(instances, *REPR_RELATIONS.get(model._meta.label, ()))
            clusters = dict(zip(map(id, instances), clusters_of_many(instances), strict=True))
            content_type = ContentType.objects.get_for_model(model)
            for item in items:
                instance, where = item.instance, clusters[id(item.instance)]
                rows.append(
                    (
                        content_type.pk,
                        smart_str(instance.pk),
                        instance.pk if isinstance(instance.pk, int) else None,
                        smart_str(instance),
                        item.action,
                        "",
                        json.dumps(item.changes),
                        actor.pk if actor is not None else None,
                        email,
                        cid,
                        json.dumps({"clusters": sorted(where), **extra}),
                        remote_addr,
                    )
                )
                scopes.append(where)
        with transaction.atomic():
            ids = _insert_entries(rows)
            scope_rows = [(pk, c) for pk, where in zip(ids, scopes, strict=True) for c in sorted(where)]
            insert_rows(AuditScope, ("entry_id", "cluster_id"), scope_rows)
        return len(ids)


ENTRY_COLUMNS = (
    "content_type_id",
    "object_pk",
    "object_id",
    "object_repr",
    "action",
    "changes_text",
    "changes",
    "actor_id",
    "actor_email",
    "cid",
    "additional_data",
    "remote_addr",
)


def _insert_entries(rows: list[tuple[Any, ...]]) -> list[int]:
    """Insert log entries as plain rows and return their ids, in order (INSERT … RETURNING on both
    databases). Building a LogEntry object per row and letting bulk_create prepare each value costs
    several times the database work: an import of a thousand rows would spend a second on it."""
    quote = connection.ops.quote_name
    table = quote(LogEntry._meta.db_table)
    columns = ", ".join(
        quote(LogEntry._meta.get_field(name).column) for name in (*ENTRY_COLUMNS, "timestamp")
    )
    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
    marks = ["%s"] * len(ENTRY_COLUMNS)
    for name in ("changes", "additional_data"):
        marks[ENTRY_COLUMNS.index(name)] = f"%s{json_cast}"
    row_sql = f"({', '.join(marks)}, %s)"
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            sql = (
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_sql] * len(chunk))} "  # noqa: S608 (names from the model)
                f"RETURNING {quote(LogEntry._meta.pk.column)}"
            )
            cursor.execute(sql, [value for row in chunk for value in (*row, now)])
            ids.extend(pk for (pk,) in cursor.fetchall())
    return ids


def _tracked_fields(model: type[Model]) -> list[Any]:
    """The fields auditlog follows on ``model`` (none when it is not registered)."""
    if not auditlog.contains(model):
        return []
    config = auditlog.get_model_fields(model)
    include, exclude = set(config["include_fields"]), set(config["exclude_fields"])
    return [
        f
        for f in model._meta.concrete_fields
        if (not include or f.name in include) and f.name not in exclude and not f.primary_key
    ]


def update_logged(queryset: QuerySet[Any], actor: Any = None, **values: Any) -> int:
    """``queryset.update(**values)`` that also logs each changed row (of the plain values: an F() or
    other expression is written but not logged). ``actor`` None: whoever acts in this context."""
    plain = {
        name: value.value if isinstance(value, enum.Enum) else value
        for name, value in values.items()
        if not hasattr(value, "resolve_expression")
    }
    rows = list(queryset)  # whole rows: the relations of their names and clusters are then fetched in bulk
    for row in rows:
        for name, value in plain.items():
            setattr(row, name, value)
    batch = BulkLog(actor=actor)
    batch.updating(queryset.model, rows, list(plain))
    count = queryset.filter(pk__in=[r.pk for r in rows]).update(**values) if rows else 0
    batch.flush()
    return count
