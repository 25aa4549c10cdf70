"""Privacy pages: a person's data (consents and their history), its export as a page and as JSON, and
its erasure (a confirmation saying what will be removed, then a POST)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helix.actions import error_text
from helix.privacy import permissions
from helix.privacy.consents import CONSENT_FIELDS, set_consents
from helix.privacy.erasure import erase_person, erasure_plan, kept_lines, removal_label
from helix.privacy.export import export_person
from helix.privacy.models import Channel, Consent, ConsentRecord
from helix.registry.models import Person


def _person_for(user: Any, person_id: int) -> Person:
    """The person, or 404 when it does not exist or ``user`` may not see their data (no hint either way)."""
    person = get_object_or_404(Person.objects.select_related("organisation", "user"), pk=person_id)
    if not permissions.can_see_personal_data(user, person):
        raise Http404
    return person


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The logged-in member's own data."""
    person = Person.objects.filter(user=request.user).first()
    if person is None:  # an account of no organisation (staff, a plain user): say so, not a 404
        return render(request, "privacy/no_person.html")
    return redirect("privacy:person", person.pk)


@login_required
@require_GET
def person_page(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_for(request.user, person_id)
    consents = [
        {"name": consent.value, "label": consent.label, "given": getattr(person, CONSENT_FIELDS[consent])}
        for consent in Consent
    ]
    history = ConsentRecord.objects.filter(person=person).select_related("by").order_by("-at", "-pk")
    return render(
        request,
        "privacy/person.html",
        {
            "person": person,
            "consents": consents,
            "history": history,
            "is_self": permissions.is_self(request.user, person),
            "erasures": person.erasures.select_related("by"),
        },
    )


@login_required
@require_POST
def consents(request: HttpRequest, person_id: int) -> HttpResponse:
    """Give or withdraw consents: self-service for the person, a staff form for staff."""
    person = _person_for(request.user, person_id)
    how = Channel.SELF_SERVICE if permissions.is_self(request.user, person) else Channel.FORM
    values = {consent.value: request.POST.get(consent.value) == "on" for consent in Consent}
    note = request.POST.get("note", "").strip()[:300]
    try:
        changed = set_consents(person, values, actor=request.user, how=how, note=note)
    except PermissionDenied:
        raise Http404 from None
    if changed:
        messages.success(request, _("Consents saved: %(n)d changed and recorded.") % {"n": len(changed)})
    else:
        messages.info(request, _("Nothing changed."))
    return redirect("privacy:person", person.pk)


SECTION_LABELS = {
    "user_account": gettext_lazy("User account"),
    "consent_history": gettext_lazy("Consent history"),
    "letters_of_intent_signed": gettext_lazy("Letters of intent signed"),
    "interactions": gettext_lazy("Interactions"),
    "advisory_seats": gettext_lazy("Advisory group seats"),
    "event_registrations": gettext_lazy("Event registrations"),
    "event_meeting_requests": gettext_lazy("Event meeting requests"),
    "meetings": gettext_lazy("Meetings in published schedules"),
    "erasures": gettext_lazy("Erasures"),
    "audit_entries": gettext_lazy("Audit trail entries"),
    "listings": gettext_lazy("Needs and offers created"),
    "market_meeting_requests": gettext_lazy("Meeting requests made"),
    "match_feedback": gettext_lazy("Match feedback"),
    "resource_flows": gettext_lazy("Resource flows created"),
    "synergy_steps": gettext_lazy("Synergy steps"),
    "synergy_reports": gettext_lazy("Synergy reports"),
    "jobs": gettext_lazy("Background jobs"),
}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _table(value: Any) -> dict[str, Any]:
    """A section of the export as a table: {columns, rows}, one row per item (a dict is one row)."""
    items = [value] if isinstance(value, dict) else list(value or [])
    columns: list[str] = []
    for item in items:
        columns.extend(k for k in item if k not in columns)
    return {"columns": columns, "rows": [[_cell(item.get(c)) for c in columns] for item in items]}


@login_required
@require_GET
def export_page(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_for(request.user, person_id)
    data = export_person(person)
    facts = [(key, _cell(value)) for key, value in data["person"].items()]
    sections = [
        {"key": key, "title": label, **_table(data.get(key))} for key, label in SECTION_LABELS.items()
    ]
    return render(
        request,
        "privacy/export.html",
        {"person": person, "data": data, "facts": facts, "sections": sections},
    )


@login_required
@require_GET
def export_json(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_for(request.user, person_id)
    body = json.dumps(export_person(person), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="helix-person-{person.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, person_id: int) -> HttpResponse:
    """GET: what erasure will remove and keep, and what stands in the way; POST: erase."""
    person = _person_for(request.user, person_id)
    is_self = permissions.is_self(request.user, person)
    if request.method == "POST":
        how = Channel.SELF_SERVICE if is_self else Channel.FORM
        try:
            record = erase_person(
                person, request.user, how=how, reschedule=request.POST.get("reschedule") == "on"
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("privacy:erase", person.pk)
        lines = [removal_label(item, record.person_number) for item in record.removed]
        if is_self:  # the account is deactivated: end this session too
            logout(request)
        return render(
            request,
            "privacy/erased.html",
            {
                "record": record,
                "removed": lines,
                "kept": kept_lines(record.kept),
                "was_self": is_self,
                "back": reverse("registry:organisation", args=[person.organisation.slug]),
            },
        )
    plan = erasure_plan(person)
    may_reschedule = bool(plan.scheduled_events) and all(
        permissions.can_reschedule(request.user, e) for e in plan.scheduled_events
    )
    return render(
        request,
        "privacy/erase.html",
        {
            "person": person,
            "removed": [removal_label(item, person.pk) for item in plan.removed],
            "kept": kept_lines(plan.kept),
            "scheduled_events": plan.scheduled_events,
            "may_reschedule": may_reschedule,
            "is_self": is_self,
        },
    )
