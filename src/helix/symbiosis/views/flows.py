"""Flow pages: the list and its filters, the CSV download, the form (new and edit), the detail with
its synergies and why it has none, and the waste-code browser with its suggestions."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helix.core.symbiosis import Dimension, UnitError, waste_list
from helix.core.symbiosis.ewc import UnknownWasteCode
from helix.core.symbiosis.units import unit as core_unit
from helix.params import object_id
from helix.registry.models import Organisation, Region
from helix.registry.permissions import can, own_organisation_id
from helix.spreadsheets import write_csv
from helix.symbiosis import authoring, matching, synergy_workflow, visibility
from helix.symbiosis.explain import quality_rows, unmatched_texts
from helix.symbiosis.forms import FlowForm
from helix.symbiosis.models import (
    PERIOD_CHOICES,
    Direction,
    Kind,
    ResourceFlow,
)
from helix.symbiosis.permissions import flow_owner_choices
from helix.symbiosis.views import APP
from helix.symbiosis.views.synergies import synergy_rows

# The most rows /symbiosis/flows.csv writes; beyond, its last row says that it was cut and how to narrow.
CSV_MAX_ROWS = 5000
PERIOD_LABELS = dict(PERIOD_CHOICES)


def filtered_flows(request: HttpRequest, flows: Any = None) -> Any:
    """``flows`` (by default those the user may view) narrowed by the list's filters."""
    flows = visibility.visible_flows(request.user) if flows is None else flows
    direction = request.GET.get("direction", "")
    kind = request.GET.get("kind", "")
    region = request.GET.get("region", "")
    q = request.GET.get("q", "").strip()
    if direction in Direction.values:
        flows = flows.filter(direction=direction)
    if kind in Kind.values:
        flows = flows.filter(kind=kind)
    if region in Region.values:
        flows = flows.filter(site__region=region)
    if q:
        flows = flows.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return flows


def flow_list(request: HttpRequest) -> HttpResponse:
    flows = list(filtered_flows(request)[:500])
    rows = [_with_labels(visibility.flow_public_dict(request.user, f)) for f in flows]
    return render(
        request,
        "symbiosis/flow_list.html",
        {
            "rows": rows,
            "app": APP,
            "directions": Direction.choices,
            "kinds": Kind.choices,
            "regions": Region.choices,
            "filters": request.GET,
            # the table's say: a flow is described for an organisation the flow's "create" allows
            "can_create": flow_owner_choices(request.user).exists(),
        },
    )


def _with_labels(row: dict[str, Any]) -> dict[str, Any]:
    """A flow's row with the words for its kind, period and region (the row keeps the codes)."""
    return {
        **row,
        "kind_label": Kind(row["kind"]).label if row["kind"] in Kind.values else row["kind"],
        "period_label": PERIOD_LABELS.get(row["period"], row["period"]),
        "region_label": Region(row["region"]).label if row["region"] in Region.values else row["region"],
        "is_power": _is_power(row["unit"]),  # a rate (MW): shown without a period
    }


# The flows download names its columns in the reader's language (the model's own field names, translated);
# the values stay machine-readable (codes, numbers, ISO dates). Each key is one of
# visibility.flow_public_dict; None: the field of the same name of ResourceFlow names the column.
_FLOW_CSV_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("id", gettext_lazy("ID")),
    ("direction", None),
    ("kind", None),
    ("title", None),
    ("owner", gettext_lazy("Organisation")),
    ("ewc_code", None),
    ("hazardous", None),
    ("quantity", None),
    ("unit", None),
    ("period", None),
    ("per_year", gettext_lazy("quantity per year")),
    ("supply_temperature_c", None),
    ("return_temperature_c", None),
    ("power_mw", None),
    ("hours_per_year", None),
    ("region", gettext_lazy("region")),
    ("latitude", gettext_lazy("latitude")),
    ("longitude", gettext_lazy("longitude")),
    ("available_from", None),
    ("available_until", None),
)


def _csv_columns() -> list[tuple[str, str]]:
    """(key, header in the active language) of each column of the flows download."""
    from django.utils.text import capfirst

    return [
        (key, str(capfirst(label or ResourceFlow._meta.get_field(key).verbose_name)))
        for key, label in _FLOW_CSV_COLUMNS
    ]


@login_required
def flow_csv(request: HttpRequest) -> HttpResponse:
    """The flows the user may export (signed in: the flow's "export") as CSV, owners withheld exactly as
    on the page, text that a spreadsheet would run escaped; at most CSV_MAX_ROWS rows, the last one
    saying so when the filters select more."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="resource-flows.csv"'
    columns = list(_csv_columns())
    flows = filtered_flows(request, visibility.exportable_flows(request.user)).order_by("-updated_at", "-pk")
    total = flows.count()
    shown = (visibility.flow_public_dict(request.user, flow) for flow in flows[:CSV_MAX_ROWS])
    rows: Any = ([row[key] for key, _label in columns] for row in shown)
    if total > CSV_MAX_ROWS:
        response["X-Helix-Truncated"] = f"{CSV_MAX_ROWS} of {total}"
        note = _("Cut at %(shown)s of %(total)s flows; narrow the filters to download the rest.") % {
            "shown": CSV_MAX_ROWS,
            "total": total,
        }
        rows = itertools.chain(rows, [[note] + [""] * (len(columns) - 1)])
    write_csv(response, [label for _key, label in columns], rows)  # formulas escaped
    return response


def _organisation_for_new_flow(request: HttpRequest) -> Organisation:
    wanted = request.GET.get("organisation") or request.POST.get("organisation_id")
    organisation_id = object_id(wanted)
    if wanted and organisation_id is None:
        raise Http404
    try:
        return authoring.flow_owner_for(request.user, organisation_id)
    except Organisation.DoesNotExist:
        raise Http404 from None


@login_required
def flow_create(request: HttpRequest) -> HttpResponse:
    """The form of a new flow. Whoever may describe flows for another organisation than their own
    (staff, for the companies of their clusters) first chooses it; the others describe their own."""
    named = request.GET.get("organisation") or request.POST.get("organisation_id")
    if not named and (request.GET.get("choose") or own_organisation_id(request.user) is None):
        choices = flow_owner_choices(request.user)
        if choices.exists():
            return render(
                request,
                "symbiosis/flow_choose.html",
                {"organisations": choices, "app": APP, "own": own_organisation_id(request.user)},
            )
    organisation = _organisation_for_new_flow(request)
    form = FlowForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        flow = form.save()
        matching.flow_changed(flow)
        messages.success(request, _("Flow saved. Proposed exchanges appear on the flow in a moment."))
        return redirect("symbiosis:flow", pk=flow.pk)
    return render(
        request,
        "symbiosis/flow_form.html",
        {
            "form": form,
            "organisation": organisation,
            "app": APP,
            "flow": None,
            # staff describing for a company may switch to another one
            "may_choose": flow_owner_choices(request.user).exclude(pk=organisation.pk).exists(),
        },
    )


@login_required
def flow_edit(request: HttpRequest, pk: int) -> HttpResponse:
    flow = get_object_or_404(ResourceFlow, pk=pk)
    if not authoring.can_edit_flow(request.user, flow):
        raise PermissionDenied(authoring.flow_edit_refusal())  # the 403 page says why and what to do
    form = FlowForm(request.POST or None, instance=flow, organisation=flow.organisation)
    if request.method == "POST" and form.is_valid():
        matching.flow_changed(form.save())
        messages.success(request, _("Flow saved."))
        return redirect("symbiosis:flow", pk=flow.pk)
    return render(
        request,
        "symbiosis/flow_form.html",
        {"form": form, "organisation": flow.organisation, "app": APP, "flow": flow},
    )


def flow_detail(request: HttpRequest, pk: int) -> HttpResponse:
    flow = visibility.visible_flows(request.user).filter(pk=pk).first()
    if flow is None:
        raise Http404
    visible = synergy_workflow.visible_synergies(request.user)
    synergies = visible.filter(have=flow) | visible.filter(want=flow)
    rows = synergy_rows(request.user, synergies.distinct().order_by("-score")[:50])
    ewc = None
    if flow.ewc_code:
        try:
            ewc = waste_list().path(flow.ewc_code)
        except UnknownWasteCode:
            ewc = None
    can_edit = authoring.can_edit_flow(request.user, flow)
    shown = visibility.flow_public_dict(request.user, flow)
    # No proposal: its owner and staff are told why (the matching's rules, helix.core.symbiosis).
    unmatched = unmatched_texts(matching.unmatched_reasons(flow)) if can_edit and not rows else []
    listing = None
    if flow.listing_id is not None:
        listing = flow.listing if can(request.user, "view", flow.listing) else None
    return render(
        request,
        "symbiosis/flow_detail.html",
        {
            "flow": flow,
            "shown": shown,
            "ewc": ewc,
            "synergies": rows,
            "can_edit": can_edit,
            "unmatched": unmatched,
            "quality": quality_rows(shown["quality"]),
            "listing": listing,
            "power_unit": _is_power(flow.unit),
            "app": APP,
        },
    )


def _is_power(symbol: str) -> bool:
    """Is the unit a power (MW, kW): a rate, shown without a period."""
    try:
        return bool(symbol) and core_unit(symbol).dimension is Dimension.POWER
    except UnitError:
        return False


# -- waste codes ------------------------------------------------------------------------------------


def ewc_browser(request: HttpRequest) -> HttpResponse:
    wl = waste_list()
    code = request.GET.get("code", "").strip()
    q = request.GET.get("q", "").strip()
    path = []
    if code:
        try:
            path = wl.path(code)
        except UnknownWasteCode:
            raise Http404 from None
    children = wl.children(path[-1].code if path else None)
    suggestions = wl.suggest(q, top=10) if q else []
    return render(
        request,
        "symbiosis/ewc_browser.html",
        {"path": path, "children": children, "q": q, "suggestions": suggestions, "app": APP},
    )


def ewc_suggest(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("description") or request.GET.get("q") or ""
    suggestions = waste_list().suggest(text, top=5) if len(text.strip()) >= 3 else []
    return render(request, "symbiosis/_ewc_suggestions.html", {"suggestions": suggestions})
