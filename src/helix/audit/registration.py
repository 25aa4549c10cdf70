"""Which models the audit trail follows, and how (called once from AuditConfig.ready).

Every model of registry, market, events, symbiosis, projects, funds and calls is registered with
django-auditlog, with its many-to-many fields, except the derived rows in ``EXCLUDED``. Each entry
stores the clusters of its object in ``additional_data["clusters"]`` (see scope.py), which
``signals.write_scope`` copies into AuditScope rows for the staff page and the admin.

E-mail addresses and phone numbers of people are recorded unmasked. The trail must answer "who changed
this contact's e-mail, from what to what" (a hijacked contact is the case that matters), and those who
may read an entry (staff of the person's clusters, superusers) may read the person's current contact
data anyway. Masking half of each value (auditlog's mask_fields) would leave the domain and the last
digits readable, so it would neither protect the person nor serve the audit. What protects the person is
erasure: ``services.scrub_person`` removes their data from every entry when they ask to be forgotten.
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.apps import apps
from django.db.models.signals import pre_delete

from helix.audit.scope import RULES, clusters_of

AUDITED_APPS = ("registry", "market", "events", "symbiosis", "projects", "funds", "calls")

# Models of the audited apps that are not followed, and why.
EXCLUDED = {
    "market.ListingVector": "a stored embedding, recomputed from the listing's text by the index",
    "market.IndexState": "the counter the match index follows; bumped on every listing save",
    "market.RankerWeights": "learned from feedback by a job, never edited; every set is kept as its own row",
    "events.ScheduledMeeting": "written only by an optimiser run, all at once; its Schedule is followed",
    "events.EventSignup": "a request to take part, decided once: its outcome is the followed Registration",
    "events.MeetingRating": "a participant's opinion of a meeting, counted only in the event's figures",
    "symbiosis.MarketReading": "a single bookmark: up to when the market was read for resource flows",
    "symbiosis.AllocationRun": "the result of an allocation run, kept as its own row and never edited",
    # Histories that are logs themselves: written only together with the change they record (a
    # membership's level, a synergy's state), which is followed with its actor; never edited.
    "registry.MembershipChange": "a membership's ladder history, written with the followed level change",
    "symbiosis.SynergyEvent": "a synergy's workflow history, written with the followed state change",
    "projects.ProjectChange": "a project's lifecycle history, written with the followed status change",
    "projects.RecommenderModel": "learned by a job from the participations, never edited; each set is kept",
    "calls.CallChange": "a call's lifecycle history, written with the followed status change",
    "calls.ApplicationChange": "an application's lifecycle history, written with the followed status change",
    "calls.Submission": "a receipt: the answers as sent, written once with the followed submission",
}

# Fields whose changes say nothing a person did: timestamps and derived copies rewritten by every save.
DERIVED_FIELDS = ("updated_at", "search_text", "index_seq", "revision")


def audited_models() -> list[Any]:
    return [apps.get_model(label) for label in RULES]


def register_models() -> None:
    for model in audited_models():
        if auditlog.contains(model):
            continue
        if "get_additional_data" in vars(model):
            raise TypeError(f"{model._meta.label} defines get_additional_data; merge it with the audit scope")
        model.get_additional_data = _additional_data
        # The model's own columns only: auditlog would otherwise list reverse relations on creation.
        fields = [
            f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in DERIVED_FIELDS
        ]
        auditlog.register(model, include_fields=fields, m2m_fields={f.name for f in model._meta.many_to_many})
        pre_delete.connect(_remember_clusters, sender=model, dispatch_uid=f"audit-scope-{model._meta.label}")


def _additional_data(self: Any) -> dict[str, Any]:
    """What auditlog stores with each entry of ``self`` (``via`` is added by signals.apply_acting)."""
    return {"clusters": sorted(clusters_of(self))}


def _remember_clusters(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Before a deletion cascades (memberships go before their organisation), note the clusters."""
    instance._audit_clusters = clusters_of(instance)
