"""Symbiosis pages: flows (list, CSV, form, detail), the waste-code browser and its suggestions, the
offline map, synergies (list, detail with explanation, impact, workflow and reports), the dashboard
with totals over time, impact factors, matching and allocation runs. Thin: services do the work."""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST

from helix.actions import act, error_text
from helix.core.symbiosis import Dimension, UnitError, waste_list
from helix.core.symbiosis import synergy as workflow
from helix.core.symbiosis.cartography import Projection, geometry_path, spread
from helix.core.symbiosis.ewc import UnknownWasteCode
from helix.core.symbiosis.labels import Box, LabelRequest, place_labels, point_box
from helix.core.symbiosis.units import unit as core_unit
from helix.params import NotANumber, finite_number, object_id
from helix.registry.models import Organisation, Region
from helix.registry.permissions import can, is_cluster_staff, may, own_organisation_id
from helix.spreadsheets import write_csv
from helix.symbiosis import services
from helix.symbiosis.explain import quality_rows, translated, unmatched_texts
from helix.symbiosis.forms import FlowForm, ReportForm
from helix.symbiosis.models import (
    PERIOD_CHOICES,
    AllocationRun,
    Direction,
    Kind,
    ResourceFlow,
    Synergy,
    SynergyState,
)
from helix.symbiosis.permissions import flow_owner_choices

# The most rows /symbiosis/flows.csv writes; beyond, its last row says that it was cut and how to narrow.
CSV_MAX_ROWS = 5000
PERIOD_LABELS = dict(PERIOD_CHOICES)

APP = "symbiosis"
# The workflow's transition labels (helix.core.symbiosis.synergy), so that makemessages finds them.
TRANSITION_LABELS = (
    gettext_noop("Contact made"),
    gettext_noop("Start the study"),
    gettext_noop("Agreed"),
    gettext_noop("Realised"),
    gettext_noop("Drop"),
    gettext_noop("Reopen"),
)


def _filtered(request: HttpRequest, flows: Any = None) -> Any:
    """``flows`` (by default those the user may view) narrowed by the list's filters."""
    flows = services.visible_flows(request.user) if flows is None else flows
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
    flows = list(_filtered(request)[:500])
    rows = [_with_labels(services.flow_public_dict(request.user, f)) for f in flows]
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
# services.flow_public_dict; None: the field of the same name of ResourceFlow names the column.
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
    flows = _filtered(request, services.exportable_flows(request.user)).order_by("-updated_at", "-pk")
    total = flows.count()
    shown = (services.flow_public_dict(request.user, flow) for flow in flows[:CSV_MAX_ROWS])
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
        return services.flow_owner_for(request.user, organisation_id)
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
        services.flow_changed(flow)
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
    if not services.can_edit_flow(request.user, flow):
        raise PermissionDenied(services.flow_edit_refusal())  # the 403 page says why and what to do
    form = FlowForm(request.POST or None, instance=flow, organisation=flow.organisation)
    if request.method == "POST" and form.is_valid():
        services.flow_changed(form.save())
        messages.success(request, _("Flow saved."))
        return redirect("symbiosis:flow", pk=flow.pk)
    return render(
        request,
        "symbiosis/flow_form.html",
        {"form": form, "organisation": flow.organisation, "app": APP, "flow": flow},
    )


def flow_detail(request: HttpRequest, pk: int) -> HttpResponse:
    flow = services.visible_flows(request.user).filter(pk=pk).first()
    if flow is None:
        raise Http404
    synergies = services.visible_synergies(request.user).filter(have=flow) | services.visible_synergies(
        request.user
    ).filter(want=flow)
    rows = _synergy_rows(request.user, synergies.distinct().order_by("-score")[:50])
    ewc = None
    if flow.ewc_code:
        try:
            ewc = waste_list().path(flow.ewc_code)
        except UnknownWasteCode:
            ewc = None
    can_edit = services.can_edit_flow(request.user, flow)
    shown = services.flow_public_dict(request.user, flow)
    # No proposal: its owner and staff are told why (the matching's rules, helix.core.symbiosis).
    unmatched = unmatched_texts(services.unmatched_reasons(flow)) if can_edit and not rows else []
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


# -- map --------------------------------------------------------------------------------------------

KIND_COLOURS = {
    "material": "#8a5a00",
    "heat": "#c0392b",
    "water": "#1f6fb2",
    "co2": "#555555",
    "infrastructure": "#6a3d9a",
    "logistics": "#2e7d32",
    "personnel": "#00838f",
}


MAP_WIDTH, MAP_HEIGHT = 900, 620
DOT_RADIUS = 5
MAP_FONT_SIZE = 13  # in the drawing's units: about 13 px at 1366 px wide, scaled down on a phone
BASE_MAP = Path(__file__).resolve().parent.parent / "static" / "helix" / "map" / "countries-nw-europe.geojson"


@functools.lru_cache(maxsize=1)
def _base_map() -> list[dict[str, Any]]:
    """The country outlines shipped with Helix (Natural Earth, public domain: static/helix/map/README.md)."""
    try:
        return list(json.loads(BASE_MAP.read_text(encoding="utf-8"))["features"])
    except (OSError, ValueError, KeyError):
        return []  # the sites are still drawn, on the plain background


@functools.lru_cache(maxsize=64)
def _country_paths(projection: Projection) -> tuple[tuple[str, str], ...]:
    """(name, SVG path) of each country in view; kept per projection (a map is often drawn again)."""
    out = []
    for feature in _base_map():
        d = geometry_path(feature["geometry"], projection)
        if d:
            out.append((feature["properties"].get("name", ""), d))
    return tuple(out)


def map_view(request: HttpRequest) -> HttpResponse:
    """Sites and proposed exchanges as an SVG drawn here on an offline base map (country outlines from
    Natural Earth): no tiles, no online service. Sites at the same place are set apart; place names are
    placed so that none overlaps another or a site (helix.core.symbiosis.labels)."""
    flows = list(_filtered(request)[:2000])
    shown = {f.pk: services.flow_public_dict(request.user, f) for f in flows}
    located = [d for d in shown.values() if d["latitude"] is not None]
    projection = Projection.fit([(d["latitude"], d["longitude"]) for d in located], MAP_WIDTH, MAP_HEIGHT, 40)
    drawn = spread([projection.xy(d["latitude"], d["longitude"]) for d in located], DOT_RADIUS * 2.2)
    dots = []
    at: dict[int, tuple[float, float]] = {}
    for d, (x, y) in zip(located, drawn, strict=True):
        at[d["id"]] = (x, y)
        dots.append(
            {
                **d,
                "x": round(x, 1),
                "y": round(y, 1),
                "colour": KIND_COLOURS.get(d["kind"], "#333"),
                "kind_label": Kind(d["kind"]).label if d["kind"] in Kind.values else d["kind"],
            }
        )
    lines = []
    synergies = services.visible_synergies(request.user).filter(have_id__in=at, want_id__in=at)
    synergies = synergies.exclude(state=SynergyState.DROPPED).order_by("-score")[:800]
    for s in synergies:
        a, b = shown[s.have_id], shown[s.want_id]
        (x1, y1), (x2, y2) = at[s.have_id], at[s.want_id]
        lines.append(
            {
                "pk": s.pk,
                "x1": round(x1, 1),
                "y1": round(y1, 1),
                "x2": round(x2, 1),
                "y2": round(y2, 1),
                "state": s.state,
                "title": f"{a['title']} → {b['title']} ({s.road_km:.0f} km)",
                "width": 1 + min(4.0, s.score * 4),
            }
        )
    # Place names beside the sites (once per place, never for a withheld site), the busiest first; a
    # name that fits nowhere is left out (its sites keep their tooltips).
    places: dict[str, list[tuple[float, float]]] = {}
    for d in dots:
        if d["city"]:
            places.setdefault(d["city"], []).append((d["x"], d["y"]))
    km = _scale_km(projection.pixels_per_km)
    bar = round(km * projection.pixels_per_km, 1)
    scale_box = Box(20, MAP_HEIGHT - 38, 40 + bar, MAP_HEIGHT - 10)
    requests = [
        LabelRequest(name, name, *_centre(pts), priority=len(pts)) for name, pts in places.items()
    ]
    labels = place_labels(
        requests,
        Box(0, 0, MAP_WIDTH, MAP_HEIGHT),
        obstacles=[*(point_box(d["x"], d["y"], DOT_RADIUS + 1) for d in dots), scale_box],
        font_size=MAP_FONT_SIZE,
    )
    return render(
        request,
        "symbiosis/map.html",
        {
            "dots": dots,
            "labels": labels,
            "countries": _country_paths(projection),
            "lines": lines,
            "bar": bar,
            "bar_km": km,
            "width": MAP_WIDTH,
            "height": MAP_HEIGHT,
            "font_size": MAP_FONT_SIZE,
            "app": APP,
            "colours": KIND_COLOURS,
            "kinds": Kind.choices,
            "directions": Direction.choices,
            "regions": Region.choices,
            "filters": request.GET,
        },
    )


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    return sum(x for x, _y in points) / len(points), sum(y for _x, y in points) / len(points)


def _scale_km(pixels_per_km: float) -> int:
    """A round length for the scale bar, about 60 to 150 pixels long."""
    for km in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        if km * pixels_per_km >= 60:
            return km
    return 1000


# -- synergies --------------------------------------------------------------------------------------


def _synergy_row(user: Any, s: Synergy, viewable: set[int] | None = None) -> dict[str, Any]:
    """A synergy with each flow shown only as far as ``user`` may view it."""
    have, want = services.synergy_sides(user, s, viewable)
    return {"synergy": s, "have": have, "want": want, "withheld": have["withheld"] or want["withheld"]}


def _synergy_rows(user: Any, synergies: Any) -> list[dict[str, Any]]:
    synergies = list(synergies)
    viewable = services.viewable_flow_ids(user, {pk for s in synergies for pk in (s.have_id, s.want_id)})
    return [_synergy_row(user, s, viewable) for s in synergies]


@login_required
def synergy_list(request: HttpRequest) -> HttpResponse:
    synergies = services.visible_synergies(request.user)
    state = request.GET.get("state", "")
    if state in SynergyState.values:
        synergies = synergies.filter(state=state)
    rows = _synergy_rows(request.user, synergies.order_by("-score")[:300])
    return render(
        request,
        "symbiosis/synergy_list.html",
        {
            "rows": rows,
            "states": SynergyState.choices,
            "state": state,
            "app": APP,
            "counts": services.pipeline_counts(request.user),
        },
    )


@login_required
def synergy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    synergy = services.visible_synergies(request.user).filter(pk=pk).first()
    if synergy is None:
        raise Http404
    roles = services.roles_on(request.user, synergy)
    own = own_organisation_id(request.user)
    states = dict(SynergyState.choices)
    available = workflow.SYNERGY_WORKFLOW.available(synergy.state, roles)
    transitions = [t for t in available if t.target != workflow.CONTACTED]
    can_accept = synergy.state == SynergyState.PROPOSED and (
        (own == synergy.have.organisation_id and not synergy.have_accepted)
        or (own == synergy.want.organisation_id and not synergy.want_accepted)
    )
    row = _synergy_row(request.user, synergy)
    return render(
        request,
        "symbiosis/synergy_detail.html",
        {
            **row,
            "roles": roles,
            "transitions": transitions,
            "can_accept": can_accept,
            "report_form": ReportForm(initial={"unit": synergy.unit}),
            "reports": synergy.reports.all(),
            "events": [
                {
                    "at": e.at,
                    "note": e.note,
                    "source": states.get(e.from_state, e.from_state),
                    "target": states.get(e.to_state, e.to_state),
                }
                for e in synergy.events.all()
            ],
            "app": APP,
            # staff make contact only where no anonymous owner is revealed against its will
            "staff_contact": any(t.target == workflow.CONTACTED for t in available),
            # reasons and flags describe both flows: none where one of them is withheld
            "reasons": [] if row["withheld"] else translated(synergy.reason_codes, synergy.reasons),
            "flags": [] if row["withheld"] else translated(synergy.flag_codes, synergy.flags),
        },
    )


def _act(request: HttpRequest, pk: int, call: Callable[[], object], done: str) -> HttpResponse:
    return act(request, call, redirect("symbiosis:synergy", pk=pk), done=done)


def _synergy_for(request: HttpRequest, pk: int) -> Synergy:
    synergy = services.visible_synergies(request.user).filter(pk=pk).first()
    if synergy is None:
        raise Http404
    return synergy


@login_required
@require_POST
def synergy_accept(request: HttpRequest, pk: int) -> HttpResponse:
    synergy = _synergy_for(request, pk)
    return _act(
        request, pk, lambda: services.accept_contact(request.user, synergy), _("You accepted the contact.")
    )


@login_required
@require_POST
def synergy_move(request: HttpRequest, pk: int) -> HttpResponse:
    synergy = _synergy_for(request, pk)
    target = request.POST.get("target", "")
    note = request.POST.get("note", "")
    return _act(
        request, pk, lambda: services.move(request.user, synergy, target, note), _("Synergy updated.")
    )


@login_required
@require_POST
def synergy_report(request: HttpRequest, pk: int) -> HttpResponse:
    synergy = _synergy_for(request, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect("symbiosis:synergy", pk=pk)
    data = form.cleaned_data
    return _act(
        request,
        pk,
        lambda: services.report(
            request.user,
            synergy,
            period_end=data["period_end"],
            quantity=data["quantity"],
            unit=data["unit"],
            co2e_avoided_t=data.get("co2e_avoided_t"),
            money_saved_eur=data.get("money_saved_eur"),
            note=data.get("note", ""),
        ),
        _("Quantities reported."),
    )


# -- dashboard, factors, runs ------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period", "quarter")
    if period not in ("month", "quarter", "year"):
        period = "quarter"
    staff = is_cluster_staff(request.user)
    shows_runs = may(request.user, "view", AllocationRun)
    runs = list(AllocationRun.objects.select_related("job")[:10]) if shows_runs else []
    for run in runs:
        run.region_label = services.region_label(run.region)
    counts = services.pipeline_counts(request.user)
    return render(
        request,
        "symbiosis/dashboard.html",
        {
            "totals": services.totals(request.user, period),
            "period": period,
            "counts": [(state, label, counts[state]) for state, label in SynergyState.choices],
            "staff": staff,
            "runs": runs,
            "regions": Region.choices,
            "app": APP,
        },
    )


@login_required
def factors(request: HttpRequest) -> HttpResponse:
    staff = services.can_edit_factors(request.user)  # one table for every cluster: the superuser only
    if request.method == "POST":
        if not staff:
            raise PermissionDenied
        try:
            services.set_factor(
                request.user,
                request.POST.get("key", ""),
                finite_number(request.POST.get("value"), low=0),
                request.POST.get("source", ""),
            )
            messages.success(request, _("Impact factor saved; new estimates use it."))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        except NotANumber as exc:  # also NaN and Infinity: one cluster's factor feeds every estimate
            messages.error(request, exc.text)
        return redirect("symbiosis:factors")
    return render(
        request, "symbiosis/factors.html", {"rows": services.factor_table(), "staff": staff, "app": APP}
    )


@login_required
@require_POST
def run_matching(request: HttpRequest) -> HttpResponse:
    try:
        job = services.start_matching(request.user, request.POST.get("region", ""))
    except PermissionDenied:
        messages.error(request, _("Only cluster staff run the matching."))
        return redirect("symbiosis:dashboard")
    messages.success(request, _("Matching started; the proposals appear when it ends."))
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_POST
def run_allocation(request: HttpRequest) -> HttpResponse:
    try:
        run = services.start_allocation(
            request.user,
            request.POST.get("region", ""),
            finite_number(request.POST.get("fixed_cost_per_link"), default=0.0, low=0),
        )
    except PermissionDenied:
        messages.error(request, _("Only cluster staff run the allocation."))
        return redirect("symbiosis:dashboard")
    except (ValidationError, NotANumber):
        messages.error(request, _("The fixed cost per link must be a number of at least zero."))
        return redirect("symbiosis:dashboard")
    return redirect("symbiosis:allocation", pk=run.pk)


@login_required
def allocation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(AllocationRun.objects.select_related("job"), pk=pk)
    if not can(request.user, "view", run):
        raise PermissionDenied
    flows = {}
    assignments = []
    optimal = (run.result or {}).get("optimal") or {}
    ids = {a["have"] for a in optimal.get("assignments", [])} | {
        a["want"] for a in optimal.get("assignments", [])
    }
    viewable = services.viewable_flow_ids(request.user, ids)  # a run may span other clusters' flows
    for f in ResourceFlow.objects.filter(pk__in=ids).select_related("organisation", "site"):
        flows[f.pk] = services.flow_shown(request.user, f, viewable)
    for a in sorted(optimal.get("assignments", []), key=lambda a: a["cost_eur"])[:300]:
        assignments.append({**a, "have_flow": flows.get(a["have"]), "want_flow": flows.get(a["want"])})
    return render(
        request,
        "symbiosis/allocation.html",
        {
            "run": run,
            "region_label": Region(run.region).label if run.region in Region.values else run.region,
            "result": run.result,
            "assignments": assignments,
            "app": APP,
        },
    )

