"""The staff page of the audit trail: who changed what and when, in the viewer's clusters."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from helix.audit.context import API, CLI, TASK, WEB
from helix.audit.forms import AuditFilterForm
from helix.audit.services import entries_visible_to
from helix.registry.models import Cluster
from helix.registry.permissions import is_cluster_staff, staff_cluster_ids

PER_PAGE = 50


def via_labels() -> dict[str, str]:
    return {WEB: _("page"), API: _("API"), CLI: _("command line"), TASK: _("background job")}


@login_required
def entries(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not is_cluster_staff(user):
        raise PermissionDenied
    clusters = (
        Cluster.objects.all() if user.is_superuser else Cluster.objects.filter(pk__in=staff_cluster_ids(user))
    )
    form = AuditFilterForm(request.GET or None, clusters=clusters)
    found = (
        form.apply(entries_visible_to(user))
        .select_related("content_type", "actor")
        .order_by("-timestamp", "-pk")
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "rows": entry_rows(request, list(page.object_list))}
    return render(request, "audit/entries.html", context)


def entry_rows(request: HttpRequest, page: list[LogEntry]) -> list[dict[str, Any]]:
    """What the page shows of each entry; a few queries for the whole page, never one per entry."""
    links = _object_links(request, page)
    labels = _related_labels(page)
    vias = via_labels()
    rows = []
    for entry in page:
        model = entry.content_type.model_class()
        rows.append(
            {
                "entry": entry,
                "who": entry.actor.get_username() if entry.actor else _("system"),
                "via": vias.get((entry.additional_data or {}).get("via", ""), ""),
                "what": str(model._meta.verbose_name) if model else entry.content_type.model,
                "link": links.get((entry.content_type_id, entry.object_id)),
                "changes": _changes(model, entry, labels) if entry.action != LogEntry.Action.DELETE else [],
            }
        )
    return rows


def _object_links(request: HttpRequest, page: list[LogEntry]) -> dict[tuple[int, int | None], str]:
    """Admin links to the entries' objects that the viewer may open there (its scoping applies)."""
    ids: dict[int, set[int]] = defaultdict(set)
    models: dict[int, type[Model]] = {}
    for entry in page:
        model = entry.content_type.model_class()
        if model is not None and entry.object_id is not None and entry.action != LogEntry.Action.DELETE:
            ids[entry.content_type_id].add(entry.object_id)
            models[entry.content_type_id] = model
    links = {}
    for content_type_id, pks in ids.items():
        model = models[content_type_id]
        model_admin = admin.site._registry.get(model)
        if model_admin is None or not model_admin.has_view_or_change_permission(request):
            continue
        visible = model_admin.get_queryset(request).filter(pk__in=pks).values_list("pk", flat=True)
        for pk in visible:
            try:
                url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])
            except NoReverseMatch:
                continue
            links[(content_type_id, pk)] = url
    return links


def _label_fields(model: type[Model]) -> tuple[str, ...]:
    names = {f.name for f in model._meta.concrete_fields}
    if model is get_user_model():
        return (model.USERNAME_FIELD,)
    if {"first_name", "last_name"} <= names:
        return ("first_name", "last_name")
    for candidate in ("name", "title", "slug", "code"):
        if candidate in names:
            return (candidate,)
    return ()


def _foreign_key(model: type[Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.many_to_one or field.one_to_one else None


def _related_labels(page: list[LogEntry]) -> dict[tuple[type[Model], str], str]:
    """Names of the objects that changed foreign keys point to: one query per related model."""
    wanted: dict[type[Model], set[str]] = defaultdict(set)
    for entry in page:
        model = entry.content_type.model_class()
        for name, change in (entry.changes or {}).items():
            field = _foreign_key(model, name)
            if field is not None and isinstance(change, list):
                wanted[field.related_model].update(str(v) for v in change if v not in (None, "None"))
    labels = {}
    for related, pks in wanted.items():
        fields = _label_fields(related)
        numeric = [int(pk) for pk in pks if pk.isdigit()]
        if not fields or not numeric:
            continue
        for pk, *values in related._default_manager.filter(pk__in=numeric).values_list("pk", *fields):
            labels[(related, str(pk))] = " ".join(str(v) for v in values if v)
    return labels


def _display(model: type[Model] | None, name: str, value: Any, labels: dict[tuple[Any, str], str]) -> str:
    if value in (None, "None", ""):
        return "—"
    value = str(value)
    field = None
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
    if field is None:
        return value
    if getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value))
    if field.get_internal_type() == "BooleanField":
        return _("yes") if value == "True" else _("no") if value == "False" else value
    if field.many_to_one or field.one_to_one:
        label = labels.get((field.related_model, value))
        return f"{label} (#{value})" if label else f"#{value}"
    return value


def _field_label(model: type[Model] | None, name: str) -> str:
    if model is None:
        return name
    try:
        return str(model._meta.get_field(name).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        return name


def _changes(
    model: type[Model] | None, entry: LogEntry, labels: dict[tuple[Any, str], str]
) -> list[dict[str, Any]]:
    rows = []
    for name, change in sorted((entry.changes or {}).items()):
        label = _field_label(model, name)
        if isinstance(change, dict) and change.get("type") == "m2m":
            verb = _("added") if change.get("operation") == "add" else _("removed")
            rows.append({"field": label, "m2m": verb, "objects": ", ".join(change.get("objects", []))})
        elif isinstance(change, list) and len(change) == 2:
            old, new = (_display(model, name, v, labels) for v in change)
            if old != new:  # a new object's empty fields say nothing
                rows.append({"field": label, "old": old, "new": new})
    return rows
