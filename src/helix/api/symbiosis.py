"""The symbiosis API: resource flows, waste codes, synergies and their workflow, impact factors,
matching and allocation runs.

Flows come back as the pages show them: an anonymous flow's owner, organisation id, site and exact
position are withheld from everyone the services say may not see them; inside a synergy, a flow the
caller may not view at all comes back withheld (``withheld``: true, kind and direction only), and so do
the synergy's reasons and flags, which describe both flows. Who may do what: helix.symbiosis.permissions.
PermissionDenied -> 403, a service's ValidationError -> 422 naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import field_validator

from helix.api.auth import READ, WRITE_AUTH, acting_user
from helix.api.registry import invalid_from
from helix.api.schemas import ITEM_ERRORS, READ_ERRORS, WRITE_ERRORS, Input, PlainText, finite
from helix.core.symbiosis import waste_list
from helix.core.symbiosis.ewc import UnknownWasteCode
from helix.registry.models import Organisation, Region
from helix.registry.permissions import can, may
from helix.symbiosis import services
from helix.symbiosis.models import AllocationRun

router = Router()
FLOWS = ["resource flows"]
SYNERGIES = ["synergies"]

# Physical and economic bounds of what a flow, a report or a factor may say (finite numbers only).
MAX_QUANTITY = 1e12  # in any unit, per period: far above any single site's flow
Quantity = finite(ge=0, le=MAX_QUANTITY)
Temperature = finite(ge=-273.15, le=2000)  # °C: absolute zero to beyond any furnace
PowerMW = finite(ge=0, le=100_000)
HoursPerYear = finite(ge=0, le=8760)
DistanceKm = finite(gt=0, le=20_000)  # half the Earth's circumference
EurosPerUnit = finite(ge=0, le=1e9)
SignedAmount = finite(ge=-1e12, le=1e12)  # avoided CO2e or savings may be negative (a loss)
FactorValue = finite(ge=0, le=1e9)
PERCENT_SUFFIXES = ("_pct", "_percent")
RegionOrAll = Literal[("", *Region.values)]  # type: ignore[valid-type]


class FlowOut(Schema):
    id: int
    direction: str
    kind: str
    title: str
    description: str
    ewc_code: str
    hazardous: bool
    quantity: float | None
    unit: str
    period: str
    per_year: float | None = Field(
        None, description="the quantity per year in the base unit of its dimension"
    )
    supply_temperature_c: float | None
    return_temperature_c: float | None
    power_mw: float | None
    hours_per_year: float | None
    quality: dict[str, float]
    physical_form: str = Field("", description="solid, granular, sludge, liquid or gas; empty: not stated")
    available_from: dt.date | None
    available_until: dt.date | None
    confidentiality: str
    anonymous: bool
    status: str
    owner: str = Field(description="the organisation's name, or a placeholder where it is withheld")
    organisation_id: int | None
    site: str | None
    city: str | None
    region: str
    latitude: float | None = Field(None, description="rounded to about 5 km where the owner is withheld")
    longitude: float | None
    withheld: bool = Field(
        False, description="the caller may not view this flow (a synergy's side): kind and direction only"
    )


class FlowIn(Input):
    organisation_id: int | None = Field(None, description="staff only; members post for their own")
    site_id: int
    direction: Literal["have", "want"]
    kind: Literal["material", "heat", "water", "co2", "infrastructure", "logistics", "personnel"]
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    ewc_code: str = ""
    hazardous: bool = False
    quantity: Quantity | None = None
    unit: str = ""
    period: Literal["year", "quarter", "month", "week", "day", "hour", "once"] = "year"
    supply_temperature_c: Temperature | None = None
    return_temperature_c: Temperature | None = None
    power_mw: PowerMW | None = None
    hours_per_year: HoursPerYear | None = None
    quality: dict[str, float] = Field(
        {}, description="Numbers by name, e.g. moisture_pct; names ending in _pct or _percent are 0-100"
    )
    physical_form: Literal["", "solid", "granular", "sludge", "liquid", "gas"] = Field(
        "", description="a have: its form; a want: the only form it takes (empty: any)"
    )
    available_from: dt.date | None = None
    available_until: dt.date | None = None
    max_distance_km: DistanceKm | None = None
    disposal_cost_eur_per_unit: EurosPerUnit | None = None
    price_eur_per_unit: EurosPerUnit | None = None
    treatment_cost_eur_per_unit: EurosPerUnit | None = None
    confidentiality: Literal["public", "members", "staff"] = "members"
    anonymous: bool = False

    @field_validator("quality")
    @classmethod
    def _quality(cls, value: dict[str, float]) -> dict[str, float]:
        for name, number in value.items():
            if name.endswith(PERCENT_SUFFIXES) and not 0 <= number <= 100:
                raise ValueError(f"{name} is a percentage: between 0 and 100")
            if abs(number) > MAX_QUANTITY:
                raise ValueError(f"{name} is out of range")
        return value


class WasteCodeOut(Schema):
    code: str
    printed: str
    level: int
    title: str
    hazardous: bool
    parent: str | None


class WasteCodeSuggestionOut(Schema):
    code: str
    printed: str
    title: str
    hazardous: bool
    score: float


class SynergyOut(Schema):
    id: int
    have: FlowOut
    want: FlowOut
    state: str
    score: float
    compatibility: float
    quantity: float
    unit: str
    road_km: float
    reasons: list[str]
    flags: list[str]
    impact: dict[str, float]
    have_accepted: bool
    want_accepted: bool
    dropped_reason: str


class MoveIn(Input):
    target: Literal["contacted", "under_study", "agreed", "realised", "dropped", "proposed"]
    note: str = ""


class ReportIn(Input):
    period_end: dt.date
    quantity: Quantity
    unit: str
    co2e_avoided_t: SignedAmount | None = None
    money_saved_eur: SignedAmount | None = None
    note: str = ""


class ReportOut(Schema):
    id: int
    quantity: float = Field(description="In the synergy's unit")
    unit: str
    co2e_avoided_t: float
    money_saved_eur: float


class ImpactFactorOut(Schema):
    key: str
    label: str
    unit: str
    value: float
    default: float
    source: str
    edited: bool


class FactorIn(Input):
    value: FactorValue
    source: str = ""


class RunIn(Input):
    region: RegionOrAll = Field("", description="a site region (e.g. oost-vlaanderen); empty for all")
    fixed_cost_per_link: EurosPerUnit = Field(0.0, description="EUR a year per exchange link (allocation)")


class JobOut(Schema):
    job_id: int
    run_id: int | None = None


class AllocationOut(Schema):
    id: int
    region: str
    status: str
    result: dict[str, Any]


def _synergy(user: Any, s: Any, viewable: set[int] | None = None) -> dict[str, Any]:
    """A synergy with each flow shown only as far as ``user`` may view it (services.flow_shown)."""
    have, want = services.synergy_sides(user, s, viewable)
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
    flows = services.visible_flows(user)
    if direction:
        flows = flows.filter(direction=direction)
    if kind:
        flows = flows.filter(kind=kind)
    if region:
        flows = flows.filter(site__region=region)
    if ewc_code:
        flows = flows.filter(ewc_code=ewc_code.replace(" ", "").rstrip("*"))
    return [services.flow_public_dict(user, f) for f in flows[:1000]]


@router.get("/flows/{flow_id}", response={200: FlowOut, **ITEM_ERRORS}, tags=FLOWS, **READ)
def get_flow(request: HttpRequest, flow_id: int) -> Any:
    user = acting_user(request)
    flow = get_object_or_404(services.visible_flows(user), pk=flow_id)
    return services.flow_public_dict(user, flow)


@router.post("/flows", response={201: FlowOut, **WRITE_ERRORS}, tags=FLOWS, auth=WRITE_AUTH)
def create_flow(request: HttpRequest, payload: FlowIn) -> Any:
    """Describe a flow for your organisation (staff: for an organisation of their clusters)."""
    user = acting_user(request)
    data = payload.model_dump()
    try:
        organisation = services.flow_owner_for(user, data.pop("organisation_id"))
    except Organisation.DoesNotExist:
        return Status(404, {"detail": "No such organisation."})
    try:
        with transaction.atomic():  # the flow and the matching job it queues, or neither
            flow = services.create_flow(user, organisation, data.pop("site_id"), **data)
    except DjangoValidationError as exc:
        raise invalid_from(exc) from exc
    return Status(201, services.flow_public_dict(user, flow))


# -- waste codes ---------------------------------------------------------------------------------------


@router.get("/waste-codes", response={200: list[WasteCodeOut], **READ_ERRORS}, tags=FLOWS, **READ)
def waste_codes(request: HttpRequest, parent: PlainText = "") -> Any:
    """The European List of Waste as a tree: chapters, or the children of ``parent``."""
    wl = waste_list()
    try:
        code = wl.get(parent).code if parent else None
    except UnknownWasteCode as exc:
        raise ValidationError(
            [{"type": "value_error", "loc": ["query", "parent"], "msg": str(exc)}]
        ) from None
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
    qs = services.visible_synergies(user)
    if state:
        qs = qs.filter(state=state)
    synergies = list(qs.order_by("-score")[:500])
    viewable = services.viewable_flow_ids(user, {pk for s in synergies for pk in (s.have_id, s.want_id)})
    return [_synergy(user, s, viewable) for s in synergies]


@router.get(
    "/synergies/{synergy_id}", response={200: SynergyOut, **ITEM_ERRORS}, tags=SYNERGIES, auth=WRITE_AUTH
)
def get_synergy(request: HttpRequest, synergy_id: int) -> Any:
    user = acting_user(request)
    return _synergy(user, get_object_or_404(services.visible_synergies(user), pk=synergy_id))


@router.post(
    "/synergies/{synergy_id}/accept",
    response={200: SynergyOut, **WRITE_ERRORS},
    tags=SYNERGIES,
    auth=WRITE_AUTH,
)
def accept_contact(request: HttpRequest, synergy_id: int) -> Any:
    """Your side accepts contact; when both sides have, the synergy is "contacted" and names are shown."""
    user = acting_user(request)
    synergy = get_object_or_404(services.visible_synergies(user), pk=synergy_id)
    try:
        return _synergy(user, services.accept_contact(user, synergy))
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
    synergy = get_object_or_404(services.visible_synergies(user), pk=synergy_id)
    try:
        return _synergy(user, services.move(user, synergy, payload.target, payload.note))
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
    synergy = get_object_or_404(services.visible_synergies(user), pk=synergy_id)
    try:
        r = services.report(user, synergy, **payload.model_dump())
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
    return services.totals(acting_user(request), period)


# -- factors and runs ----------------------------------------------------------------------------------


@router.get("/impact-factors", response={200: list[ImpactFactorOut], **READ_ERRORS}, tags=SYNERGIES, **READ)
def impact_factors(request: HttpRequest) -> Any:
    """The numbers behind every impact estimate, with their sources."""
    return services.factor_table()


@router.put(
    "/impact-factors/{key}", response={200: ImpactFactorOut, **WRITE_ERRORS}, tags=SYNERGIES, auth=WRITE_AUTH
)
def set_impact_factor(request: HttpRequest, key: PlainText, payload: FactorIn) -> Any:
    """Staff set the cluster's own value of a factor, with its source."""
    try:
        services.set_factor(acting_user(request), key, payload.value, payload.source)
    except DjangoValidationError as exc:
        raise invalid_from(exc) from exc
    return next(f for f in services.factor_table() if f["key"] == key)


@router.post("/match", response={202: JobOut, **WRITE_ERRORS}, tags=SYNERGIES, auth=WRITE_AUTH)
def start_matching(request: HttpRequest, payload: RunIn) -> Any:
    """Staff: refresh the proposed exchanges of a region in the background (poll the job)."""
    job = services.start_matching(acting_user(request), payload.region)
    return Status(202, {"job_id": job.pk})


@router.post("/allocations", response={202: JobOut, **WRITE_ERRORS}, tags=SYNERGIES, auth=WRITE_AUTH)
def start_allocation(request: HttpRequest, payload: RunIn) -> Any:
    """Staff: allocate a region's haves to its wants at least cost, against the greedy baseline."""
    try:
        with transaction.atomic():  # the job and its run, or neither
            run = services.start_allocation(acting_user(request), payload.region, payload.fixed_cost_per_link)
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
