"""The audit trail in the Django admin.

- Log entries (auditlog's own admin) are limited to the entries of the viewer's clusters; superusers
  see every entry. Cluster staff may view them without a model permission of their own.
- The "History" button of every audited model's change page shows the object's audit trail (who,
  when, which fields from what to what) instead of the admin's own log, which knows only admin edits.
  It is installed on whatever admin class each app registers (``install_history_views``), so the
  apps' admin modules stay as they are; the object is looked up through that admin's queryset, so its
  cluster scoping applies.
"""

from __future__ import annotations

import functools
from typing import Any

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from helix.audit.services import entries_visible_to
from helix.registry.permissions import is_cluster_staff

HISTORY_PER_PAGE = 25

admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class ScopedLogEntryAdmin(LogEntryAdmin):
    def get_queryset(self, request: HttpRequest) -> Any:
        return entries_visible_to(request.user, super().get_queryset(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_cluster_staff(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not is_cluster_staff(request.user):
            return False
        return obj is None or entries_visible_to(request.user).filter(pk=obj.pk).exists()


def audit_history_view(
    model_admin: admin.ModelAdmin,  # type: ignore[type-arg]
    request: HttpRequest,
    object_id: str,
    extra_context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The object's audit trail, newest first, for those who may view the object in this admin."""
    opts = model_admin.model._meta
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None:
        return model_admin._get_obj_does_not_exist_redirect(request, opts, object_id)
    if not model_admin.has_view_or_change_permission(request, obj):
        raise PermissionDenied
    entries = (
        LogEntry.objects.get_for_object(obj).select_related("actor", "content_type").order_by("-timestamp")
    )
    paginator = model_admin.get_paginator(request, entries, HISTORY_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get(PAGE_VAR, 1))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Audit trail: %s") % obj,
        "module_name": str(capfirst(opts.verbose_name_plural)),
        "page_range": paginator.get_elided_page_range(page_obj.number),
        "page_var": PAGE_VAR,
        "pagination_required": paginator.count > HISTORY_PER_PAGE,
        "object": obj,
        "opts": opts,
        "log_entries": page_obj,
        **(extra_context or {}),
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "auditlog/object_history.html", context)


def install_history_views(site: admin.AdminSite) -> None:
    """Let the History button of every audited model's admin show its audit trail."""
    from helix.audit.registration import audited_models

    for model in audited_models():
        model_admin = site._registry.get(model)
        if model_admin is not None:
            model_admin.history_view = functools.partial(audit_history_view, model_admin)  # type: ignore[method-assign]
