"""Django admin for cluster staff: every registry object, with history inlines."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models as db_models

from helix.registry import models
from helix.registry.permissions import can, scope, staff_cluster_ids, subject_for
from helix.registry.services import refresh_search_text
from helix.uploads import check_pdf_upload

User = get_user_model()


# The action a staff member needs on a related object to pick it in a form.
CHOICE_ACTIONS = {models.Cluster: "manage"}


class ScopedChoices:
    """Foreign-key and many-to-many choices in admin forms (inlines included) are the objects the user
    may edit, as the permission table says: staff of X cannot pick a cluster, organisation, person,
    domain or group of Y, nor a user who is not staff of their clusters as relationship manager."""

    def _scoped_choices(self, request, db_field):  # type: ignore[no-untyped-def]
        related = db_field.remote_field.model
        if request.user.is_superuser:
            return None
        if related is User:
            return _user_choices(request.user, db_field.name)
        try:
            subject_for(related)
        except LookupError:
            return None
        return scope(request.user, choice_action(related), related._default_manager.all())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        choices = self._scoped_choices(request, db_field)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        choices = self._scoped_choices(request, db_field)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


def choice_action(related) -> str:  # type: ignore[no-untyped-def]
    """The action needed on a related object to pick it: :data:`CHOICE_ACTIONS`, else the action its own
    admin asks to change it (``edit_action``: a meeting request or a schedule is only viewed there)."""
    if related in CHOICE_ACTIONS:
        return CHOICE_ACTIONS[related]
    return getattr(admin.site._registry.get(related), "edit_action", "edit")


def _user_choices(user, field_name):  # type: ignore[no-untyped-def]
    """Accounts a staff member may pick: colleagues on their clusters' staff (relationship managers,
    loggers); for a person's login, accounts that belong to nobody yet."""
    if field_name == "user":
        return User.objects.filter(person__isnull=True, is_superuser=False, staff_assignments__isnull=True)
    return User.objects.filter(staff_assignments__cluster_id__in=staff_cluster_ids(user)).distinct()


class ClusterScopedAdmin(ScopedChoices, admin.ModelAdmin):
    """Cluster staff see and change only the rows the permission table lets them edit; superusers see
    everything. Lists, change, delete and the choices in forms all ask ``registry.permissions``."""

    edit_action = "edit"

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return scope(request.user, self.edit_action, qs)

    def _scoped_object_allowed(self, request, obj) -> bool:  # type: ignore[no-untyped-def]
        if obj is None or request.user.is_superuser:
            return True
        return can(request.user, self.edit_action, obj)

    def has_view_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return super().has_view_permission(request, obj) and self._scoped_object_allowed(request, obj)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return super().has_change_permission(request, obj) and self._scoped_object_allowed(request, obj)

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return super().has_delete_permission(request, obj) and self._scoped_object_allowed(request, obj)


class ReadOnlyScopedAdmin(ClusterScopedAdmin):
    """A scoped admin whose rows are only read by cluster staff: derived rows (learned weights, a schedule
    run's figures), evidence (feedback, consent records) or rows that move only through their workflow's
    services. ``edit_action`` is then the action that lets one read them; a superuser may still change
    and delete them unless ``evidence`` (then nobody adds, changes or deletes)."""

    edit_action = "view"
    evidence = False

    def _writable(self, request) -> bool:  # type: ignore[no-untyped-def]
        return request.user.is_superuser and not self.evidence

    def has_add_permission(self, request, *args):  # type: ignore[no-untyped-def]
        return self._writable(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return self._writable(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return self._writable(request) and super().has_delete_permission(request, obj)


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """For superusers only: rows no cluster owns and no permission table scopes (one table for every
    cluster, or one the admin cannot show as partially as the pages do). Cluster staff do not see the
    model at all, whatever model permissions their group holds."""

    def has_module_permission(self, request):  # type: ignore[no-untyped-def]
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return bool(request.user.is_active and request.user.is_superuser)

    def has_add_permission(self, request, *args):  # type: ignore[no-untyped-def]
        return bool(request.user.is_active and request.user.is_superuser) and super().has_add_permission(
            request, *args
        )

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return bool(request.user.is_active and request.user.is_superuser) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return bool(request.user.is_active and request.user.is_superuser) and super().has_delete_permission(
            request, obj
        )


class SiteInline(ScopedChoices, admin.TabularInline):
    model = models.Site
    extra = 0


class PersonInline(ScopedChoices, admin.TabularInline):
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


class MembershipInline(ScopedChoices, admin.TabularInline):
    model = models.Membership
    extra = 0
    fields = ("cluster", "level", "since", "relationship_manager")
    autocomplete_fields = ("cluster",)


@admin.register(models.Organisation)
class OrganisationAdmin(ClusterScopedAdmin):
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

    def save_formset(self, request, form, formset, change):  # type: ignore[no-untyped-def]
        super().save_formset(request, form, formset, change)
        if formset.model is models.Person:  # consent changes in the people inline leave a record
            from helix.privacy.consents import record_form_consents

            for person_form in formset.forms:
                if person_form not in formset.deleted_forms:
                    record_form_consents(person_form, actor=request.user, how="admin")

    def get_deleted_objects(self, objs, request):  # type: ignore[no-untyped-def]
        from helix.privacy.guards import deletion_blockers  # published schedules never change silently

        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed, [*protected, *deletion_blockers(objs)]


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
    list_display = ("__str__", "organisation", "email", "job_title", "consent_contact", "consent_public")
    search_fields = ("first_name", "last_name", "email", "organisation__name")
    list_filter = ("consent_contact", "consent_newsletter", "consent_public", "is_sample")
    autocomplete_fields = ("organisation", "user")

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        from helix.privacy.consents import record_form_consents

        super().save_model(request, obj, form, change)
        record_form_consents(form, actor=request.user, how="admin")

    def get_deleted_objects(self, objs, request):  # type: ignore[no-untyped-def]
        from helix.privacy.guards import deletion_blockers  # published schedules never change silently

        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed, [*protected, *deletion_blockers(objs)]


class ClusterNameInline(ScopedChoices, admin.TabularInline):
    model = models.ClusterName
    extra = 0


class DomainInline(ScopedChoices, admin.TabularInline):
    model = models.Domain
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


@admin.register(models.Cluster)
class ClusterAdmin(ClusterScopedAdmin):
    edit_action = "manage"
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
    list_display = ("organisation", "cluster", "level", "since")
    list_filter = ("cluster", "level")
    search_fields = ("organisation__name",)
    autocomplete_fields = ("organisation", "cluster", "domains")
    inlines = (MembershipChangeInline,)


@admin.register(models.Domain)
class DomainAdmin(ClusterScopedAdmin):
    list_display = ("name", "cluster", "kind")
    list_filter = ("kind", "cluster")
    search_fields = ("name",)


@admin.register(models.LetterOfIntent)
class LetterOfIntentAdmin(ClusterScopedAdmin):
    list_display = ("organisation", "cluster", "signed_on", "signed_by")
    list_filter = ("cluster",)
    search_fields = ("organisation__name", "signatory_name")
    autocomplete_fields = ("organisation", "cluster", "signatory")

    def formfield_for_dbfield(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "document" and field is not None:
            field.validators.append(check_pdf_upload)  # a PDF within HELIX_UPLOAD_MAX_BYTES
        return field


@admin.register(models.Interaction)
class InteractionAdmin(ClusterScopedAdmin):
    list_display = ("organisation", "kind", "happened_on", "logged_by", "follow_up_on", "follow_up_done")
    list_filter = ("kind", "follow_up_done", "cluster")
    search_fields = ("organisation__name", "summary", "needs_identified")
    autocomplete_fields = ("organisation", "people")


class AdvisorySeatInline(ScopedChoices, admin.TabularInline):
    model = models.AdvisorySeat
    extra = 0
    autocomplete_fields = ("person",)


@admin.register(models.AdvisoryGroup)
class AdvisoryGroupAdmin(ClusterScopedAdmin):
    list_display = ("name", "cluster", "target_size")
    inlines = (AdvisorySeatInline,)


@admin.register(models.StaffAssignment)
class StaffAssignmentAdmin(SuperuserOnlyAdmin):  # who is staff of which cluster: the superuser decides
    list_display = ("user", "cluster")
    autocomplete_fields = ("cluster",)


@admin.register(models.Site)
class SiteAdmin(ClusterScopedAdmin):
    list_display = ("name", "organisation", "city", "region", "is_headquarters")
    list_filter = ("region", "country")
    search_fields = ("name", "organisation__name", "city")
    autocomplete_fields = ("organisation",)
