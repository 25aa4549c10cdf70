"""The audit trail itself is django-auditlog's one ``LogEntry`` table; this app adds the clusters each
entry belongs to, so cluster staff see the history of their clusters' objects only."""

from __future__ import annotations

from django.db import models


class AuditScope(models.Model):
    """One cluster that a log entry's object belonged to when it was written.

    Written from ``LogEntry.additional_data["clusters"]`` (see ``signals.write_scope``). A side table
    rather than a JSON lookup, because SQLite has no JSON containment and an indexed join serves the
    staff page on both databases. ``cluster_id`` is a plain number, not a foreign key: the history of a
    cluster outlives the cluster row.
    """

    entry = models.ForeignKey(
        "auditlog.LogEntry",
        on_delete=models.CASCADE,
        related_name="audit_scopes",
    )
    cluster_id = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "cluster_id"], name="audit_scope_once")]
        indexes = [models.Index(fields=["cluster_id", "entry"], name="audit_scope_cluster")]

    def __str__(self) -> str:
        return f"entry {self.entry_id} in cluster {self.cluster_id}"
