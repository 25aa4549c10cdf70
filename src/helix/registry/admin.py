"""Django admin for cluster staff: every registry object, with history inlines."""

from __future__ import annotations

from django.contrib import admin

from helix.registry import models
from helix.registry.services import refresh_search_text


class SiteInline(admin.TabularInline):
    model = models.Site
    extra = 0


class PersonInline(admin.TabularInline):
    model = models.Person
    extra = 0
    fields = (
        "first_name",
        "last_name",
        "email",
        "phone",
        "job_title",
        "roles",
        "consent_contact",
        "consent_public",
    )


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    fields = ("cluster", "level", "since", "relationship_manager")
    autocomplete_fields = ("cluster",)


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "size_class",
        "legal_identifier",
        "is_published",
        "is_sample",
        "updated_at",
    )
    list_filter = ("kind", "size_class", "government_level", "is_published", "is_sample")
    search_fields = ("name", "legal_identifier", "search_text")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("sectors", "keywords")
    inlines = (SiteInline, PersonInline, MembershipInline)

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        refresh_search_text(form.instance)


@admin.register(models.Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "level")
    list_filter = ("level",)
    search_fields = ("code", "label")


@admin.register(models.Keyword)
class KeywordAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "email", "job_title", "consent_contact", "consent_public")
    search_fields = ("first_name", "last_name", "email", "organisation__name")
    list_filter = ("consent_contact", "consent_newsletter", "consent_public", "is_sample")
    autocomplete_fields = ("organisation", "user")


class ClusterNameInline(admin.TabularInline):
    model = models.ClusterName
    extra = 0


class DomainInline(admin.TabularInline):
    model = models.Domain
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


@admin.register(models.Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ("__str__", "slug", "operator", "founded_on", "is_sample")
    search_fields = ("slug", "names__name")
    autocomplete_fields = ("operator",)
    inlines = (ClusterNameInline, DomainInline)


class MembershipChangeInline(admin.TabularInline):
    model = models.MembershipChange
    extra = 0
    readonly_fields = ("from_level", "to_level", "changed_on", "changed_by", "note", "recorded_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("organisation", "cluster", "level", "since")
    list_filter = ("cluster", "level")
    search_fields = ("organisation__name",)
    autocomplete_fields = ("organisation", "cluster", "domains")
    inlines = (MembershipChangeInline,)


@admin.register(models.Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("name", "cluster", "kind")
    list_filter = ("kind", "cluster")
    search_fields = ("name",)


@admin.register(models.LetterOfIntent)
class LetterOfIntentAdmin(admin.ModelAdmin):
    list_display = ("organisation", "cluster", "signed_on", "signed_by")
    list_filter = ("cluster",)
    search_fields = ("organisation__name", "signatory_name")
    autocomplete_fields = ("organisation", "cluster", "signatory")


@admin.register(models.Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ("organisation", "kind", "happened_on", "logged_by", "follow_up_on", "follow_up_done")
    list_filter = ("kind", "follow_up_done", "cluster")
    search_fields = ("organisation__name", "summary", "needs_identified")
    autocomplete_fields = ("organisation", "people")


class AdvisorySeatInline(admin.TabularInline):
    model = models.AdvisorySeat
    extra = 0
    autocomplete_fields = ("person",)


@admin.register(models.AdvisoryGroup)
class AdvisoryGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "cluster", "target_size")
    inlines = (AdvisorySeatInline,)


@admin.register(models.StaffAssignment)
class StaffAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "cluster")
    autocomplete_fields = ("cluster",)


admin.site.register(models.Site)
