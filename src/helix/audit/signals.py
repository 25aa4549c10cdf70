"""Receivers on django-auditlog's LogEntry: the acting context, and the clusters of each entry."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from helix.audit.context import current
from helix.audit.models import AuditScope


def apply_acting(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A new entry gets the actor of ``acting_as`` (API token, CLI, job) and says through which door
    it came. Connected before auditlog's per-request receiver, which then leaves a set actor alone."""
    if instance.pk is not None:
        return
    acting = current()
    if acting is None:
        return
    if acting.actor is not None and instance.actor_id is None:
        instance.actor = acting.actor
        instance.actor_email = getattr(acting.actor, "email", None) or None
    data = dict(instance.additional_data or {})
    data.setdefault("via", acting.via)
    instance.additional_data = data


def write_scope(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Copy the entry's clusters into AuditScope rows, which the staff page and the admin filter on."""
    if not created:
        return
    clusters = (instance.additional_data or {}).get("clusters") or []
    AuditScope.objects.bulk_create([AuditScope(entry=instance, cluster_id=c) for c in clusters])
    if instance.action == LogEntry.Action.CREATE and clusters:
        from helix.registry.models import Membership

        if instance.content_type_id == ContentType.objects.get_for_model(Membership).pk:
            organisation = (instance.changes or {}).get("organisation", [None, None])[1]
            if organisation and str(organisation).isdigit():
                adopt_unscoped(int(organisation), clusters)


def adopt_unscoped(organisation_id: int, clusters: list[int]) -> None:
    """An organisation that joins its first cluster brings its history along: the entries of it, its
    sites and its people written while it belonged to no cluster (say, created on a page just before
    its membership) are given the new cluster. Entries already scoped keep their clusters."""
    from helix.registry.models import Organisation, Person, Site

    types = ContentType.objects.get_for_models(Organisation, Site, Person)
    own = (
        Q(content_type=types[Organisation], object_id=organisation_id)
        | Q(
            content_type=types[Site],
            object_id__in=Site.objects.filter(organisation_id=organisation_id).values("pk"),
        )
        | Q(
            content_type=types[Person],
            object_id__in=Person.objects.filter(organisation_id=organisation_id).values("pk"),
        )
    )
    orphans = LogEntry.objects.filter(own, audit_scopes__isnull=True)
    AuditScope.objects.bulk_create(
        [
            AuditScope(entry_id=pk, cluster_id=c)
            for pk in orphans.values_list("pk", flat=True)
            for c in clusters
        ]
    )
