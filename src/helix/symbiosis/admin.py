"""Django admin for industrial symbiosis, scoped by the symbiosis permission table
(helix.symbiosis.permissions) as the pages are.

- resource flows: those the staff member may ``edit`` (the flows of their clusters' organisations);
- documented exchanges: read only, for staff of any cluster (``view``: the literature the receiver
  ranking learns from; they are imported, not typed);
- impact factors: read for staff (``view``); changed by a superuser only (``edit``): every cluster's
  estimates use the one table;
- synergies (with their history and reports) and allocation runs: superusers only. A synergy joins two
  organisations' flows, and a run's result lists flows of a whole region; the pages show each flow only
  as far as its own ``view`` allows (an anonymous owner, a staff-only flow), which an admin form cannot.
"""

from __future__ import annotations

from django.contrib import admin

from helix.registry.admin import ClusterScopedAdmin, ReadOnlyScopedAdmin, SuperuserOnlyAdmin
from helix.symbiosis.models import (
    AllocationRun,
    DocumentedExchange,
    ImpactFactorSetting,
    ResourceFlow,
    Synergy,
    SynergyEvent,
    SynergyReport,
)


@admin.register(ResourceFlow)
class ResourceFlowAdmin(ClusterScopedAdmin):
    list_display = [
        "title",
        "direction",
        "kind",
        "organisation",
        "ewc_code",
        "quantity",
        "unit",
        "confidentiality",
        "anonymous",
        "status",
    ]
    list_filter = ["direction", "kind", "confidentiality", "anonymous", "status"]
    search_fields = ["title", "description", "organisation__name", "ewc_code"]
    raw_id_fields = ["organisation", "site", "created_by"]


class EventInline(admin.TabularInline):
    model = SynergyEvent
    extra = 0
    readonly_fields = ["from_state", "to_state", "note", "by", "at"]


class ReportInline(admin.TabularInline):
    model = SynergyReport
    extra = 0


@admin.register(Synergy)
class SynergyAdmin(SuperuserOnlyAdmin):
    list_display = ["__str__", "state", "score", "quantity", "unit", "road_km"]
    list_filter = ["state"]
    raw_id_fields = ["have", "want"]
    inlines = [EventInline, ReportInline]


@admin.register(DocumentedExchange)
class DocumentedExchangeAdmin(ReadOnlyScopedAdmin):
    list_display = ["waste_description", "ewc", "provider_nace", "receiver_nace", "source", "case"]
    list_filter = ["source"]
    search_fields = ["waste_description", "ewc", "provider_nace", "receiver_nace"]


@admin.register(ImpactFactorSetting)
class ImpactFactorSettingAdmin(ReadOnlyScopedAdmin):
    """Read by staff; changed by a superuser (the table's ``edit`` has no grant)."""


@admin.register(AllocationRun)
class AllocationRunAdmin(SuperuserOnlyAdmin):
    list_display = ["__str__", "region", "created_by", "created_at"]
