"""Django admin for needs and offers: listings (saved through the services), feedback, meeting requests and
the learned ranker weights (read only: they are learned, not typed).

Who sees which row is the market's permission table (helix.market.permissions), as on the pages:
- listings: those the staff member may ``edit`` (the listings of their clusters' organisations); a status
  set here is a move of the listing lifecycle they may make, or the form says why not;
- meeting requests: read only, those they may ``view``; they are answered on the pages, by the
  request's workflow;
- feedback: read only (the verdicts are the ranker's evidence), those they may ``view``;
- ranker weights: for superusers only. They are learned from every cluster's feedback and used for
  every cluster's matches: no cluster owns them.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError

from helix.market import models, services
from helix.registry.admin import ClusterScopedAdmin, ReadOnlyScopedAdmin, SuperuserOnlyAdmin


@admin.register(models.Listing)
class ListingAdmin(ClusterScopedAdmin):
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

    def get_form(self, request, obj=None, change=False, **kwargs):  # type: ignore[no-untyped-def]
        form = super().get_form(request, obj, change, **kwargs)
        user = request.user

        class LifecycleForm(form):  # type: ignore[misc, valid-type]
            """A status picked here is a move of the listing lifecycle ``user`` may make."""

            def _post_clean(self) -> None:
                super()._post_clean()
                if "status" in self.cleaned_data:
                    try:
                        services.check_status_change(self.instance, user=user)
                    except ValidationError as error:
                        self.add_error(None, error)

        LifecycleForm.__name__ = form.__name__
        return LifecycleForm

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        # The services keep the search text, the detected language and the match index current.
        services.save_listing(obj, user=request.user)

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        services.refresh_listing_search_text(form.instance)


@admin.register(models.Feedback)
class FeedbackAdmin(ReadOnlyScopedAdmin):
    evidence = True
    list_display = ("need", "offer", "verdict", "user", "score", "created_at")
    list_filter = ("verdict",)
    list_select_related = ("need", "offer", "user")
    search_fields = ("need__title", "offer__title")


@admin.register(models.MeetingRequest)
class MeetingRequestAdmin(ReadOnlyScopedAdmin):
    list_display = ("from_organisation", "to_organisation", "need", "offer", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("from_organisation", "to_organisation", "need", "offer")
    search_fields = ("from_organisation__name", "to_organisation__name", "need__title", "offer__title")
    raw_id_fields = ("need", "offer", "requested_by", "from_organisation", "to_organisation")
    readonly_fields = ("created_at", "responded_at")


@admin.register(models.RankerWeights)
class RankerWeightsAdmin(SuperuserOnlyAdmin):
    list_display = ("created_at", "trained_on", "accuracy_before", "accuracy_after", "note")
    readonly_fields = ("values", "trained_on", "note", "accuracy_before", "accuracy_after", "created_at")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # learned, not typed

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
