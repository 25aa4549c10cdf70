"""Consent and erasure records in the admin: read only, since they are the evidence.

Consent records are scoped by the privacy table (``privacy.consentrecord: view``: the person and the
staff responsible for their organisation). Erasure records are for superusers only: an erased person no
longer belongs to an organisation, so no cluster's staff can be said to be responsible for the record.
"""

from __future__ import annotations

from django.contrib import admin

from helix.privacy.models import ConsentRecord, ErasureRecord
from helix.registry.admin import ReadOnlyScopedAdmin, SuperuserOnlyAdmin


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyScopedAdmin):
    evidence = True
    list_display = ("person", "consent", "given", "at", "by", "how")
    list_filter = ("consent", "given", "how")
    search_fields = ("person__last_name", "person__email")
    list_select_related = ("person", "by")


@admin.register(ErasureRecord)
class ErasureRecordAdmin(SuperuserOnlyAdmin):
    list_display = ("person_number", "at", "by", "how")
    list_filter = ("how",)
    list_select_related = ("by",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
