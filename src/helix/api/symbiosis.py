"""The symbiosis API: resource flows, waste codes, synergies and their workflow, impact factors,
matching and allocation runs.

Flows come back as the pages show them: an anonymous flow's owner, organisation id, site and exact
position are withheld from everyone the services say may not see them; inside a synergy, a flow the
caller may not view at all comes back withheld (``withheld``: true, kind and direction only), and so do
the synergy's reasons and flags, which describe both flows. Who may do what: helix.symbiosis.permissions.
PermissionDenied -> 403, a service's ValidationError -> 422 naming the field.
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.errors import ValidationError

from helix.api.auth import READ, WRITE_AUTH, acting_user
from helix.api.errors import ITEM_ERRORS, READ_ERRORS, WRITE_ERRORS, invalid_from, query_error
from helix.api.schemas.base import PlainText
from helix.api.schemas.symbiosis import (
    AllocationOut,
    FactorIn,
    FlowIn,
    FlowOut,
    ImpactFactorOut,
    JobOut,
    MoveIn,
    ReportIn,
    ReportOut,
    RunIn,
    SynergyOut,
    WasteCodeOut,
    WasteCodeSuggestionOut,
)
from helix.core.symbiosis import waste_list
from helix.core.symbiosis.ewc import UnknownWasteCode
from helix.registry.models import Organisation
from helix.registry.permissions import can, may
from helix.symbiosis import allocation, authoring, impact, matching, synergy_workflow, visibility
from helix.symbiosis.models import AllocationRun

router = Router()
FLOWS = ["resource flows"]
SYNERGIES = ["synergies"]

def _synergy(user: Any, s: Any, viewable: set[int] | None = None) -> dict[str, Any]:
    """A synergy with each flow shown only as far as ``user`` may view it (visibility.flow_shown)."""
    have, want = visibility.synergy_sides(user, s, viewable)
    withheld = have["withheld"] or want["withheld"]  # the reasons and flags describe both flows
    return {
        "id": s.pk,
        "have": have,
        "want": want,
        "state": s.state,
        "score": s.score,
        "compatibility": s.compatibility,
        "quantity": s.quantity,
        "unit": s.unit,
        "road_km": s.road_km,
        "reasons": [] if withheld else s.reasons,
        "flags": [] if withheld else s.flags,
        "impact": {k: float(v) for k, v in (s.impact or {}).items()},
        "have_accepted": s.have_accepted,
        "want_accepted": s.want_accepted,
        "dropped_reason": s.dropped_reason,
    }


# -- flows --------------------------------------------------------------------------------------------


@router.get("/flows", response={200: list[FlowOut], **READ_ERRORS}, tags=FLOWS, **READ)
def list_flows(
    request: HttpRequest,
    direction: PlainText = "",
    kind: PlainText = "",
    region: PlainText = "",
    ewc_code: PlainText = "",
) -> Any:
    """Flows you may see, newest first; anonymous owners withheld."""
    user = acting_user(request)
    flows = visibility.visible_flows(user)
    if direction:
        flows = flows.filter(direction=direction)
    if kind:
        flows = flows.filter(kind=kind)
    if region:
        flows = flows.filter(site__region=region)
    if ewc_code:
        flows = flows.filter(ewc_code=ewc_code.replace(" ", "").rstrip("*"))
    return [visibility.flow_public_dict(user, f) for f in flows[:1000]]


@router.get("/flows/{flow_id}", response={200: FlowOut, **ITEM_ERRORS}, tags=FLOWS, **READ)
def get_flow(request: HttpRequest, flow_id: int) -> Any:
    user = acting_user(request)
    flow = get_object_or_404(visibility.visible_flows(user), pk=flow_id)
    return visibility.flow_public_dict(user, flow)


@router.post("/flows", response={201: FlowOut, **WRITE_ERRORS}, tags=FLOWS, auth=WRITE_AUTH)
def create_flow(request: HttpRequest, payload: FlowIn) -> Any:
    """Describe a flow for your organisation (staff: for an organisation of their clusters)."""
    user = acting_user(request)
    data = payload.model_dump()
    try:
        organisation = authoring.flow_owner_for(user, data.pop("organisation_id"))
    except Organisation.DoesNotExist:
        return Status(404, {"detail": "No such organisation."})
    try:
        with transaction.atomic():  # the flow and the matching job it queues, or neither
            flow = authoring.create_flow(user, organisation, data.pop("site_id"), **data)
    except DjangoValidationError as exc:
        raise invalid_from(exc) from exc
    return Status(201, visibility.flow_public_dict(user, flow))


# -- waste codes ---------------------------------------------------------------------------------------


@router.get("/waste-codes", response={200: list[WasteCodeOut], **READ_ERRORS}, tags=FLOWS, **READ)
def waste_codes(request: HttpRequest, parent: PlainText = "") -> Any:
    """The European List of Waste as a tree: chapters, or the children of ``parent``."""
    wl = waste_list()
    try:
        code = wl.get(parent).code if parent else None
    except UnknownWasteCode as exc:
        raise ValidationError([query_error("parent", str(exc))]) from None
    return [
        {
            "code": e.code,
            "printed": e.printed,
            "level": e.level,
            "title": e.title,
            "hazardous": e.hazardous,
            "parent": e.parent,
        }
        for e in wl.children(code)
    ]


@router.get(
    "/waste-codes/suggest", response={200: list[WasteCodeSuggestionOut], **READ_ERRORS}, tags=FLOWS, **READ
)
def suggest_waste_codes(request: HttpRequest, q: PlainText, top: int = 5) -> Any:
    """Codes that fit a free-text description (Dutch, French, German or English)."""
    return [
        {
            "code": s.entry.code,
            "printed": s.entry.printed,
            "title": s.entry.title,
            "hazardous": s.entry.hazardous,
            "score": s.score,
        }
        for s in waste_list().suggest(q, top=max(1, min(top, 50)))
    ]


# -- synergies -----------------------------------------------------------------------------------------


@router.get("/synergies", response={200: list[SynergyOut], **READ_ERRORS}, tags=SYNERGIES, auth=WRITE_AUTH)
def list_synergies(request: HttpRequest, state: PlainText = "") -> Any:
    """Proposed and ongoing exchanges you are a party to (staff: of their clusters), best first."""
    user = acting_user(request)
    qs = synergy_workflow.visible_synergies(user)
    if state:
        qs = qs.filter(state=state)
    synergies = list(qs.order_by("-score")[:500])
    viewable = visibility.viewable_flow_ids(user, {pk for s in synergies for pk in (s.have_id, s.want_id)})
    return [_synergy(user, s, viewable) for s in synergies]


@router.get(
    "/synergies/{synergy_id}", response={200: SynergyOut, **ITEM_ERRORS}, tags=SYNERGIES, auth=WRITE_AUTH
)
def get_synergy(request: HttpRequest, synergy_id: int) -> Any:
    user = acting_user(request)
    return _synergy(user, get_object_or_404(synergy_workflow.visible_synergies(user), pk=synergy_id))


@router.post(
    "/synergies/{synergy_id}/accept",
    response={200: SynergyOut, **WRITE_ERRORS},
    tags=SYNERGIES,
    auth=WRITE_AUTH,
)
def accept_contact(request: HttpRequest, synergy_id: int) -> Any:
    """Your side accepts contact; when both sides have, the synergy is "contacted" and names are shown."""
    user = acting_user(request)
    synergy = get_object_or_404(synergy_workflow.visible_synergies(user), pk=synergy_id)
    try:
        return _synergy(user, synergy_workflow.accept_contact(user, synergy))
    except DjangoValidationError as exc:
        raise invalid_from(exc) from exc


@router.post(
    "/synergies/{synergy_id}/move",
    response={200: SynergyOut, **WRITE_ERRORS},
    tags=SYNERGIES,
    auth=WRITE_AUTH,
)
def move_synergy(request: HttpRequest, synergy_id: int, payload: MoveIn) -> Any:
    user = acting_user(request)
    synergy = get_object_or_404(synergy_workflow.visible_synergies(user), pk=synergy_id)
    try:
        return _synergy(user, synergy_workflow.move(user, synergy, payload.target, payload.note))
    except DjangoValidationError as exc:
        raise invalid_from(exc) from exc


@router.post(
    "/synergies/{synergy_id}/reports",
    response={201: ReportOut, **WRITE_ERRORS},
    tags=SYNERGIES,
    auth=WRITE_AUTH,
)
def report_synergy(request: HttpRequest, synergy_id: int, payload: ReportIn) -> Any:
    """Actual quantities of a realised synergy (converted to its unit; other dimensions refused)."""
    user = acting_user(request)
    synergy = get_object_or_404(synergy_workflow.visible_synergies(user), pk=synergy_id)
    try:
        r = synergy_workflow.report(user, synergy, **payload.model_dump())
    except DjangoValidationError as exc:
        raise invalid_from(exc) from exc
    return Status(
        201,
        {
            "id": r.pk,
            "quantity": r.quantity,
            "unit": r.unit,
            "co2e_avoided_t": r.co2e_avoided_t,
            "money_saved_eur": r.money_saved_eur,
        },
    )


@router.get("/totals", response={200: list[dict[str, Any]], **READ_ERRORS}, tags=SYNERGIES, auth=WRITE_AUTH)
def totals(request: HttpRequest, period: Literal["month", "quarter", "year"] = "quarter") -> Any:
    """Reported quantities of realised synergies per period and unit, with running totals."""
    return synergy_workflow.totals(acting_user(request), period)


# -- factors and runs ----------------------------------------------------------------------------------


@router.get("/impact-factors", response={200: list[ImpactFactorOut], **READ_ERRORS}, tags=SYNERGIES, **READ)
def impact_factors(request: HttpRequest) -> Any:
    """The numbers behind every impact estimate, with their sources."""
    return impact.factor_table()


@router.put(
    "/impact-factors/{key}", response={200: ImpactFactorOut, **WRITE_ERRORS}, tags=SYNERGIES, auth=WRITE_AUTH
)
def set_impact_factor(request: HttpRequest, key: PlainText, payload: FactorIn) -> Any:
    """Staff set the cluster's own value of a factor, with its source."""
    try:
        impact.set_factor(acting_user(request), key, payload.value, payload.source)
    except DjangoValidationError as exc:
        raise invalid_from(exc) from exc
    return next(f for f in impact.factor_table() if f["key"] == key)


@router.post("/match", response={202: JobOut, **WRITE_ERRORS}, tags=SYNERGIES, auth=WRITE_AUTH)
def start_matching(request: HttpRequest, payload: RunIn) -> Any:
    """Staff: refresh the proposed exchanges of a region in the background (poll the job)."""
    job = matching.start_matching(acting_user(request), payload.region)
    return Status(202, {"job_id": job.pk})


@router.post("/allocations", response={202: JobOut, **WRITE_ERRORS}, tags=SYNERGIES, auth=WRITE_AUTH)
def start_allocation(request: HttpRequest, payload: RunIn) -> Any:
    """Staff: allocate a region's haves to its wants at least cost, against the greedy baseline."""
    try:
        with transaction.atomic():  # the job and its run, or neither
            run = allocation.start_allocation(
                acting_user(request), payload.region, payload.fixed_cost_per_link
            )
    except DjangoValidationError as exc:
        raise invalid_from(exc) from exc
    return Status(202, {"job_id": run.job_id, "run_id": run.pk})


@router.get(
    "/allocations/{run_id}", response={200: AllocationOut, **WRITE_ERRORS}, tags=SYNERGIES, auth=WRITE_AUTH
)
def get_allocation(request: HttpRequest, run_id: int) -> Any:
    user = acting_user(request)
    if not may(user, "view", AllocationRun):
        return Status(403, {"detail": "Cluster staff only."})
    run = get_object_or_404(AllocationRun.objects.select_related("job"), pk=run_id)
    if not can(user, "view", run):
        return Status(403, {"detail": "Cluster staff only."})
    return {
        "id": run.pk,
        "region": run.region,
        "status": run.job.status if run.job else "",
        "result": run.result,
    }
