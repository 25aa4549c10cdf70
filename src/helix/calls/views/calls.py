"""The calls a visitor may see, a call's page (what it funds, its stages and deadlines, its rules in words,
its form as a preview) with "Apply" for those who may, and a person's own applications."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.calls import convert, explain, services
from helix.calls.models import Application, Call, CallStatus
from helix.calls.views import answers
from helix.calls.views.shared import (
    keep_zone,
    language,
    object_id,
    stages_view,
    text_in,
    visible_call,
    visitor_zone,
    zone_choices,
)
from helix.core.calls.form_fields import FieldType
from helix.registry.models import Cluster, Organisation
from helix.registry.permissions import can, is_cluster_staff, own_organisation_id, scope

FIELD_TYPES = {
    FieldType.TEXT: lambda: _("Text, one line"),
    FieldType.LONG_TEXT: lambda: _("Text"),
    FieldType.NUMBER: lambda: _("Number"),
    FieldType.MONEY: lambda: _("Amount in euros"),
    FieldType.DATE: lambda: _("Date"),
    FieldType.CHOICE: lambda: _("One option"),
    FieldType.MULTI_CHOICE: lambda: _("Options"),
    FieldType.YES_NO: lambda: _("Yes or no"),
    FieldType.FILE: lambda: _("File"),
    FieldType.ORGANISATIONS: lambda: _("The applying organisations"),
}


def _title(call: Call) -> str:
    return text_in(convert.definition(call).title) or call.title


def _visible_calls(request: HttpRequest) -> QuerySet[Call]:
    return scope(
        request.user,
        "view",
        Call.objects.select_related("cluster", "instrument").prefetch_related("cluster__names"),
    )


def call_list(request: HttpRequest) -> HttpResponse:
    calls = _visible_calls(request)
    # the clusters to choose from: those of every call one may see, whatever is chosen now
    clusters = Cluster.objects.filter(pk__in=calls.values("cluster_id")).prefetch_related("names")
    cluster = request.GET.get("cluster", "")
    if cluster:
        calls = calls.filter(cluster__slug=cluster)
    status = request.GET.get("status", "")
    if status in CallStatus.values:
        calls = calls.filter(status=status)
    zone, chosen = visitor_zone(request)
    rows = sorted(calls, key=lambda c: (c.status != CallStatus.OPEN, -c.created_at.timestamp(), c.title))
    shown = [{"call": c, "title": _title(c), "stages": stages_view(c, zone)} for c in rows]
    response = render(
        request,
        "calls/call_list.html",
        {
            "rows": shown,
            "clusters": clusters,
            "statuses": CallStatus.choices,
            "chosen": {"cluster": cluster, "status": status},
            "zone": zone,
            "zones": zone_choices(zone),
            "may_create": is_cluster_staff(request.user),
            "app": "calls",
        },
    )
    return keep_zone(response, zone, chosen)


def _lead_choices(user: Any) -> QuerySet[Organisation]:
    """The organisations ``user`` may apply for (permissions.may_apply_for: those they may edit)."""
    return scope(user, "edit", Organisation.objects.only("pk", "name")).order_by("name")


def _preview(call: Call) -> list[dict[str, Any]]:
    """Each stage's form as a preview: sections, fields, their kind, whether required, their limits."""
    return [
        {
            "label": text_in(stage.label),
            "sections": [
                {
                    "label": text_in(section.label),
                    "help": text_in(section.help),
                    "fields": [
                        {
                            "label": f.label_in(language()),
                            "help": f.help_in(language()),
                            "type": FIELD_TYPES[f.type](),
                            "required": f.required,
                            "limits": answers.limits(f),
                            "options": [text_in(o.label) for o in f.options],
                        }
                        for f in section.fields
                    ],
                }
                for section in stage.form.sections
            ],
        }
        for stage in convert.definition(call).stages
    ]


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = visible_call(request, pk)
    user = request.user
    zone, chosen = visitor_zone(request)
    definition = convert.definition(call)
    mine = own_organisation_id(user)
    context: dict[str, Any] = {
        "call": call,
        "title": _title(call),
        "instrument": call.instrument.name
        if call.instrument_id
        else (definition.instrument.name or definition.instrument.id),
        "stages": stages_view(call, zone),
        "has_deadline": any(s.deadline is not None for s in definition.stages),
        "rules": [explain.rule_text(spec) for spec in definition.rules],
        "preview": _preview(call),
        "zone": zone,
        "zones": zone_choices(zone),
        "may_apply": can(user, "apply", call),
        "manages": can(user, "view_applications", call),
        "applications": list(
            scope(
                user, "view", Application.objects.filter(call=call, applicants__organisation_id=mine)
            ).distinct()
        )
        if mine is not None
        else [],
        "app": "calls",
    }
    if context["may_apply"]:
        # one's own organisation first; staff, who may edit a cluster's hundreds, see the first 200 by name
        leads = _lead_choices(user)
        own = list(leads.filter(pk=mine)) if mine is not None else []
        context["leads"] = own + list(leads.exclude(pk=mine or 0)[:200])
        context["languages"] = settings.LANGUAGES
        context["chosen"] = {"lead": str(mine or ""), "language": language(), "title": ""}
    return keep_zone(render(request, "calls/call_detail.html", context), zone, chosen)


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    call = visible_call(request, pk)
    user = request.user
    if not can(user, "apply", call):
        raise PermissionDenied
    leads = _lead_choices(user)
    lead = leads.filter(pk=object_id(request.POST.get("lead")) or 0).first()
    title = request.POST.get("title", "")
    chosen_language = request.POST.get("language", "")
    errors = []
    if lead is None:
        errors.append(_("Choose the organisation that leads the application."))
    if not " ".join(title.split()):
        errors.append(explain.say("application.title_required", {}))
    if chosen_language not in dict(settings.LANGUAGES):
        errors.append(_("Choose the language the call writes to you in."))
    if not errors and lead is not None:
        try:
            application = services.start_application(user, call, lead, title, language=chosen_language)
        except services.CallRefused as refused:
            errors.append(explain.refusal_text(refused))
        else:
            messages.success(
                request, _("Your application is started as a draft: fill it in with your partners.")
            )
            return redirect("calls:application", pk=application.pk)
    for error in errors:
        messages.error(request, error)
    return redirect("calls:detail", pk=call.pk)


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    """The applications of the person's organisation."""
    found = (
        scope(request.user, "view", Application.objects.select_related("call", "call__cluster"))
        .prefetch_related("applicants__organisation", "call__cluster__names")
        .order_by("-updated_at", "pk")
    )
    mine = own_organisation_id(request.user)
    rows = list(found.filter(applicants__organisation_id=mine).distinct()) if mine is not None else []
    return render(request, "calls/application_list.html", {"applications": rows, "app": "calls"})
