from django.contrib import admin

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
class ResourceFlowAdmin(admin.ModelAdmin):
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
class SynergyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state", "score", "quantity", "unit", "road_km"]
    list_filter = ["state"]
    raw_id_fields = ["have", "want"]
    inlines = [EventInline, ReportInline]


@admin.register(DocumentedExchange)
class DocumentedExchangeAdmin(admin.ModelAdmin):
    list_display = ["waste_description", "ewc", "provider_nace", "receiver_nace", "source", "case"]
    list_filter = ["source"]
    search_fields = ["waste_description", "ewc", "provider_nace", "receiver_nace"]


admin.site.register(ImpactFactorSetting)
admin.site.register(AllocationRun)
