"""Django admin for needs and offers: listings (saved through the services), feedback, meeting requests and
the learned ranker weights (read only: they are learned, not typed)."""

from __future__ import annotations

from django.contrib import admin

from helix.market import models, services
from helix.registry.admin import ClusterScopedAdmin


@admin.register(models.Listing)
class ListingAdmin(ClusterScopedAdmin):
    organisation_path = "organisation"
    list_display = (
        "title",
        "side",
        "category",
        "organisation",
        "status",
        "visibility",
        "language",
        "expires_on",
    )
    list_filter = ("side", "status", "visibility", "language", "category", "is_sample")
    search_fields = ("title",)
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation", "sectors", "keywords")
    raw_id_fields = ("site",)
    filter_horizontal = ("domains",)
    readonly_fields = (
        "language",
        "revision",
        "published_on",
        "renewals",
        "created_by",
        "created_at",
        "updated_at",
    )

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        # The services keep the search text, the detected language and the match index current.
        services.save_listing(obj, user=request.user)

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        services.refresh_listing_search_text(form.instance)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(models.Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ("need", "offer", "verdict", "user", "score", "created_at")
    list_filter = ("verdict",)
    list_select_related = ("need", "offer", "user")
    search_fields = ("need__title", "offer__title")


@admin.register(models.MeetingRequest)
class MeetingRequestAdmin(ClusterScopedAdmin):
    organisation_path = "from_organisation"
    list_display = ("from_organisation", "to_organisation", "need", "offer", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("from_organisation", "to_organisation", "need", "offer")
    search_fields = ("from_organisation__name", "to_organisation__name", "need__title", "offer__title")
    raw_id_fields = ("need", "offer", "requested_by", "from_organisation", "to_organisation")
    readonly_fields = ("created_at", "responded_at")


@admin.register(models.RankerWeights)
class RankerWeightsAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "trained_on", "accuracy_before", "accuracy_after", "note")
    readonly_fields = ("values", "trained_on", "note", "accuracy_before", "accuracy_after", "created_at")
