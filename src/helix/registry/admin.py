"""Django admin for cluster staff: every registry object, with history inlines."""

from __future__ import annotations

from django.contrib import admin
from django.db import models as db_models
from django.db.models import Q

from helix.registry import models
from helix.registry.permissions import can_edit_organisation, can_manage_cluster, staff_cluster_ids
from helix.registry.services import refresh_search_text


class ClusterScopedAdmin(admin.ModelAdmin):
    """Cluster staff see and change only rows of their clusters; superusers see everything.

    ``organisation_path`` names the organisation a row belongs to (``""`` for Organisation itself);
    ``cluster_path`` names the cluster for rows that belong to a cluster directly.
    """

    organisation_path: str | None = None
    cluster_path: str | None = None

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        clusters = staff_cluster_ids(request.user)
        if self.cluster_path is not None:
            return qs.filter(**{f"{self.cluster_path}__in": clusters})
        if self.organisation_path is not None:
            prefix = f"{self.organisation_path}__" if self.organisation_path else ""
            in_cluster = models.Organisation.objects.filter(memberships__cluster__in=clusters)
            unaffiliated = models.Organisation.objects.filter(memberships__isnull=True)
            return qs.filter(
                Q(**{f"{prefix}pk__in": in_cluster.values("pk")})
                | Q(**{f"{prefix}pk__in": unaffiliated.values("pk")})
            )
        return qs

    def _scoped_object_allowed(self, request, obj) -> bool:  # type: ignore[no-untyped-def]
        if obj is None or request.user.is_superuser:
            return True
        if self.cluster_path is not None:
            cluster = obj if self.cluster_path == "pk" else getattr(obj, self.cluster_path)
            return can_manage_cluster(request.user, cluster)
        if self.organisation_path is not None:
            organisation = getattr(obj, self.organisation_path) if self.organisation_path else obj
            return can_edit_organisation(request.user, organisation)
        return True

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return super().has_change_permission(request, obj) and self._scoped_object_allowed(request, obj)

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return super().has_delete_permission(request, obj) and self._scoped_object_allowed(request, obj)


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
class OrganisationAdmin(ClusterScopedAdmin):
    organisation_path = ""
    formfield_overrides = {db_models.URLField: {"assume_scheme": "https"}}
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
class PersonAdmin(ClusterScopedAdmin):
    organisation_path = "organisation"
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
class ClusterAdmin(ClusterScopedAdmin):
    cluster_path = "pk"
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
class MembershipAdmin(ClusterScopedAdmin):
    organisation_path = "organisation"
    list_display = ("organisation", "cluster", "level", "since")
    list_filter = ("cluster", "level")
    search_fields = ("organisation__name",)
    autocomplete_fields = ("organisation", "cluster", "domains")
    inlines = (MembershipChangeInline,)


@admin.register(models.Domain)
class DomainAdmin(ClusterScopedAdmin):
    cluster_path = "cluster"
    list_display = ("name", "cluster", "kind")
    list_filter = ("kind", "cluster")
    search_fields = ("name",)


@admin.register(models.LetterOfIntent)
class LetterOfIntentAdmin(ClusterScopedAdmin):
    organisation_path = "organisation"
    list_display = ("organisation", "cluster", "signed_on", "signed_by")
    list_filter = ("cluster",)
    search_fields = ("organisation__name", "signatory_name")
    autocomplete_fields = ("organisation", "cluster", "signatory")


@admin.register(models.Interaction)
class InteractionAdmin(ClusterScopedAdmin):
    organisation_path = "organisation"
    list_display = ("organisation", "kind", "happened_on", "logged_by", "follow_up_on", "follow_up_done")
    list_filter = ("kind", "follow_up_done", "cluster")
    search_fields = ("organisation__name", "summary", "needs_identified")
    autocomplete_fields = ("organisation", "people")


class AdvisorySeatInline(admin.TabularInline):
    model = models.AdvisorySeat
    extra = 0
    autocomplete_fields = ("person",)


@admin.register(models.AdvisoryGroup)
class AdvisoryGroupAdmin(ClusterScopedAdmin):
    cluster_path = "cluster"
    list_display = ("name", "cluster", "target_size")
    inlines = (AdvisorySeatInline,)


@admin.register(models.StaffAssignment)
class StaffAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "cluster")
    autocomplete_fields = ("cluster",)


@admin.register(models.Site)
class SiteAdmin(ClusterScopedAdmin):
    organisation_path = "organisation"
    list_display = ("name", "organisation", "city", "region", "is_headquarters")
    list_filter = ("region", "country")
    search_fields = ("name", "organisation__name", "city")
    autocomplete_fields = ("organisation",)
