"""Symbiosis services: what pages, the API and the CLI call. The rules are in helix.core.symbiosis.

Who may see and do what is declared in :mod:`helix.symbiosis.permissions` and asked through
``helix.registry.permissions.can`` / ``scope``; this module applies the answers:

* a flow is seen by everyone (public), by the people of organisations sharing a cluster with its owner
  (members), or by the owner's cluster staff only (staff); its own organisation always sees it
  (:func:`visible_flows`);
* an *anonymous* flow hides its owner's name and site from everyone but the owner's own people and
  the owner's cluster staff, until a synergy on it reaches "contacted" (both parties accepted the
  contact, or staff responsible for every anonymous side made it): from then on the counterpart sees
  who it is dealing with. Others see "an organisation in <region>" and a position rounded to about
  5 km (:func:`can_see_owner`, :func:`owner_label`);
* matching and allocation pair a have and a want only where each side may see the other's flow, and a
  synergy shows each flow to a party only as far as the party may view it (:func:`flow_shown`).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.audit.bulk import BulkLog
from helix.core.symbiosis import (
    Allocation,
    Direction,
    Factors,
    Flow,
    FlowKind,
    HeatAmountError,
    HeatSide,
    InvalidFlow,
    MatchOptions,
    Proposal,
    Quantity,
    ReceiverModel,
    UnitError,
    Unmatched,
    allocate,
    explain_unmatched,
    greedy_nearest,
    heat_amount,
    match,
    waste_list,
)
from helix.core.symbiosis import synergy as workflow
from helix.core.symbiosis.ewc import UnknownWasteCode, normalise_code
from helix.core.symbiosis.exchanges import Exchange, WasteQuery, read_exchanges, receiver_key, split_codes
from helix.core.symbiosis.flows import KIND_DIMENSIONS
from helix.core.symbiosis.impact import DEFAULT_FACTORS
from helix.core.symbiosis.listings import ListingResource, read_listing
from helix.core.symbiosis.quality import out_of_range
from helix.core.symbiosis.units import BASE_UNIT
from helix.core.symbiosis.units import unit as core_unit
from helix.core.workflow import TransitionNotAllowed
from helix.jobs.progress import Progress, no_progress
from helix.market.models import Listing
from helix.pagecache import data_changed_on_commit
from helix.params import LARGEST
from helix.registry.models import Organisation, Region, Site
from helix.registry.permissions import actor_for, can, may, own_organisation_id, scope
from helix.symbiosis import notices
from helix.symbiosis.explain import quality_label
from helix.symbiosis.models import (
    AllocationRun,
    DocumentedExchange,
    FlowStatus,
    ImpactFactorSetting,
    MarketReading,
    ResourceFlow,
    Synergy,
    SynergyEvent,
    SynergyReport,
    SynergyState,
)
from helix.symbiosis.permissions import Pairing, new_flow, staff_sides

# -- validation ------------------------------------------------------------------------------------


def validate_flow(flow: ResourceFlow) -> None:
    """Field errors of a flow, each under its field's name; sets derived fields (code, hazardous)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if flow.site_id and flow.organisation_id and flow.site.organisation_id != flow.organisation_id:
        add("site", _("The site belongs to another organisation."))
    elif flow.site_id and (flow.site.latitude is None or flow.site.longitude is None):
        add("site", _("The site has no coordinates; add its latitude and longitude first."))
    if flow.ewc_code:
        try:
            code = normalise_code(flow.ewc_code)
            entry = waste_list().get(code)
            if entry.level != 3:
                raise UnknownWasteCode(code)
            flow.ewc_code = code
            if entry.hazardous and flow.direction == "have":
                flow.hazardous = True
        except UnknownWasteCode:
            add(
                "ewc_code",
                _("%(code)s is not an entry of the European List of Waste.") % {"code": flow.ewc_code},
            )
    from_market = flow.listing_id is not None  # a code is then for its owner to add
    offered_material = flow.kind == FlowKind.MATERIAL.value and flow.direction == "have"
    if offered_material and not flow.ewc_code and not from_market:
        add("ewc_code", _("An offered waste or by-product needs its European List of Waste code."))
    if flow.quantity is not None:
        if not flow.unit:
            add("unit", _("Give the unit of the quantity."))
        else:
            try:
                dimension = core_unit(flow.unit).dimension
                allowed = KIND_DIMENSIONS[FlowKind(flow.kind)]
                if dimension not in allowed:
                    add(
                        "unit",
                        _("A %(kind)s flow is measured in %(allowed)s, not in %(unit)s.")
                        % {
                            "kind": flow.get_kind_display().lower(),
                            "allowed": ", ".join(d.value for d in allowed),
                            "unit": flow.unit,
                        },
                    )
            except (UnitError, ValueError) as exc:
                add("unit", str(exc))
    provisional = from_market  # figures may be missing
    if flow.kind == FlowKind.HEAT.value:
        if flow.supply_temperature_c is None and not provisional:
            add("supply_temperature_c", _("Needed for residual heat."))
        if flow.hours_per_year is not None and not 0 <= flow.hours_per_year <= 8760:
            add("hours_per_year", _("Between 0 and 8,760 hours."))
        if (
            flow.supply_temperature_c is not None
            and flow.return_temperature_c is not None
            and flow.return_temperature_c > flow.supply_temperature_c
        ):
            add("return_temperature_c", _("The return temperature is above the supply temperature."))
        if flow.power_mw is not None and flow.power_mw < 0:
            add("power_mw", _("Power cannot be negative."))
        elif "unit" not in errors:
            stated = flow.quantity is not None or flow.power_mw is not None
            hours = None if "hours_per_year" in errors else flow.hours_per_year  # said already
            if stated or not provisional:
                try:
                    heat_amount(_heat_quantity(flow), flow.power_mw, hours)
                except HeatAmountError as exc:
                    if exc.field not in errors:
                        add(exc.field, heat_amount_text(exc))
                except (UnitError, ValueError):
                    pass  # a quantity that is not one: its own check below says so
    elif flow.kind and flow.quantity is None and not provisional:
        add("quantity", _("Give the quantity (and its unit and period)."))
    if flow.quantity is not None and flow.quantity < 0:
        add("quantity", _("A quantity cannot be negative."))
    if flow.available_from and flow.available_until and flow.available_until < flow.available_from:
        add("available_until", _("Ends before it starts."))
    if not isinstance(flow.quality, dict) or not all(
        isinstance(k, str) and isinstance(v, int | float) and not isinstance(v, bool) and _in_range(v)
        for k, v in flow.quality.items()
    ):
        add("quality", _('Give numbers by name, e.g. {"moisture_pct": 12}.'))
    else:
        for key, value in sorted(flow.quality.items()):
            attribute = out_of_range(key, value)
            if attribute is not None:
                add(
                    "quality",
                    _("%(attribute)s: give a number from %(low)s to %(high)s %(unit)s.")
                    % {
                        "attribute": quality_label(attribute.name),
                        "low": f"{attribute.low:g}",
                        "high": f"{attribute.high:g}",
                        "unit": attribute.unit,
                    },
                )
    for field, low in FLOW_NUMBERS.items():
        value = getattr(flow, field)
        if value is not None and not _in_range(value, low):
            errors.pop(field, None)  # a number that is not one makes the field's other checks moot
            add(field, _number_range_text(low))
    if errors:
        raise ValidationError(errors)


def _heat_quantity(flow: ResourceFlow) -> Quantity | None:
    """The quantity of a heat flow as the core reads it (None where none is stated)."""
    if flow.quantity is None or not flow.unit:
        return None
    return Quantity(flow.quantity, flow.unit, flow.period or "year")


def heat_amount_text(exc: HeatAmountError) -> str:
    """Why the figures of a heat flow do not give its energy a year, in the reader's language."""
    numbers = {k: f"{v:,.0f}" if abs(v) >= 100 else f"{v:g}" for k, v in exc.args_.items()}
    messages = {
        "hours_range": _("Between 0 and 8,760 hours."),
        "power_negative": _("Power cannot be negative."),
        "power_twice": _(
            "The quantity gives %(quantity)s MW and the thermal power %(power)s MW: give the power once, "
            "or the same in both."
        ),
        "heat_unit": _("Heat is measured as energy (MWh, GJ …) or as power (MW, kW)."),
        "heat_missing": _(
            "Give the heat as a power (MW or kW, with the hours per year) or as an energy per period "
            "(MWh, GJ …)."
        ),
        "hours_missing": _(
            "A power needs its operating hours per year (or give the energy per year as the quantity)."
        ),
        "energy_above_capacity": _(
            "%(energy)s MWh a year is more than %(power)s MW deliver in %(hours)s hours (%(most)s MWh): "
            "check the quantity, the power or the hours."
        ),
    }
    message = messages.get(exc.code)
    return message % numbers if message is not None else str(exc)


# The number fields of a flow and the least each may be (NaN, Infinity and magnitudes beyond
# helix.params.LARGEST are refused for all: one flow's 1e308 would make every total infinite).
FLOW_NUMBERS: dict[str, float] = {
    "quantity": -LARGEST,
    "supply_temperature_c": -273.15,
    "return_temperature_c": -273.15,
    "power_mw": -LARGEST,
    "hours_per_year": -LARGEST,
    "max_distance_km": 0.0,
    "disposal_cost_eur_per_unit": -LARGEST,
    "price_eur_per_unit": -LARGEST,
    "treatment_cost_eur_per_unit": -LARGEST,
}


def _in_range(value: Any, low: float = -LARGEST, high: float = LARGEST) -> bool:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return math.isfinite(number) and low <= number <= high


def _number_range_text(low: float, high: float = LARGEST) -> str:
    return _("Give a number from %(low)s to %(high)s.") % {"low": f"{low:g}", "high": f"{high:g}"}


# -- confidentiality --------------------------------------------------------------------------------


def visible_flows(user: Any) -> QuerySet[ResourceFlow]:
    """Flows ``user`` may see (the flow's "view"): active ones by confidentiality, every flow of their
    organisation, and (cluster staff) every flow of their clusters' organisations. "Members" counts as
    in the market: a letter of intent signed or more, on both sides; an organisation that left, or is
    only interested, is no member."""
    return scope(user, "view", ResourceFlow.objects.select_related("organisation", "site"))


def exportable_flows(user: Any) -> QuerySet[ResourceFlow]:
    """Flows ``user`` may download in the flows CSV (the flow's "export": signed-in users only)."""
    return scope(user, "export", ResourceFlow.objects.select_related("organisation", "site"))


def can_see_owner(user: Any, flow: ResourceFlow) -> bool:
    """The flow's "see_owner", or the counterpart of a synergy on it that reveals owners ("reveal")."""
    if not flow.anonymous or can(user, "see_owner", flow):
        return True
    if actor_for(user).organisation is None:
        return False
    on_flow = Synergy.objects.filter(Q(have=flow) | Q(want=flow))
    return scope(user, "reveal", on_flow).exists()


def owner_label(user: Any, flow: ResourceFlow, shown: bool | None = None) -> str:
    if shown if shown is not None else can_see_owner(user, flow):
        return flow.organisation.name
    region = flow.site.get_region_display() if flow.site.region else flow.site.get_country_display()
    return _("An organisation in %(region)s (name withheld)") % {"region": region}


def position(user: Any, flow: ResourceFlow, shown: bool | None = None) -> tuple[float, float] | None:
    """The site's coordinates, rounded to about 5 km where the owner is withheld."""
    if flow.site.latitude is None or flow.site.longitude is None:
        return None
    if shown if shown is not None else can_see_owner(user, flow):
        return flow.site.latitude, flow.site.longitude
    return round(flow.site.latitude * 20) / 20, round(flow.site.longitude * 20) / 20


def flow_public_dict(user: Any, flow: ResourceFlow) -> dict[str, Any]:
    """A flow as pages, the API and exports show it to ``user``: the owner only where allowed."""
    shown = can_see_owner(user, flow)
    where = position(user, flow, shown)
    return {
        "id": flow.pk,
        "direction": flow.direction,
        "kind": flow.kind,
        "title": flow.title,
        "description": flow.description,
        "ewc_code": flow.ewc_code,
        "hazardous": flow.hazardous,
        "quantity": flow.quantity,
        "unit": flow.unit,
        "period": flow.period,
        "per_year": _per_year(flow),
        "base_unit": _base_unit(flow),
        "supply_temperature_c": flow.supply_temperature_c,
        "return_temperature_c": flow.return_temperature_c,
        "power_mw": flow.power_mw,
        "hours_per_year": flow.hours_per_year,
        "quality": flow.quality,
        "physical_form": flow.physical_form,
        "listing_id": flow.listing_id,
        "available_from": flow.available_from,
        "available_until": flow.available_until,
        "confidentiality": flow.confidentiality,
        "anonymous": flow.anonymous,
        "status": flow.status,
        "owner": owner_label(user, flow, shown),
        "organisation_id": flow.organisation_id if shown else None,
        "site": flow.site.name if shown else None,
        "city": flow.site.city if shown else None,
        "region": flow.site.region,
        "latitude": where[0] if where else None,
        "longitude": where[1] if where else None,
        "withheld": False,
    }


def _per_year(flow: ResourceFlow) -> float | None:
    """The flow's quantity a year in its base unit (heat: MWh from its figures); None where its
    figures do not give one (a provisional flow, or one edited in the admin beyond the rules)."""
    if flow.site.latitude is None or flow.site.longitude is None:
        return None
    try:
        core = to_core(flow, nace=())
    except (InvalidFlow, UnitError, HeatAmountError, ValueError):
        return None
    if core.kind is FlowKind.HEAT and core.heat is None:
        return None
    if core.quantity is None and core.heat is None:
        return None
    if core.provisional and not core.per_year:
        return None  # read from the market without its amount: not stated, not zero
    return core.per_year


def _base_unit(flow: ResourceFlow) -> str:
    """The unit :func:`_per_year` is in: MWh for heat, the base unit of the quantity's dimension."""
    if flow.kind == FlowKind.HEAT.value:
        return "MWh"
    try:
        return BASE_UNIT[core_unit(flow.unit).dimension] if flow.unit else ""
    except UnitError:
        return ""


def flow_owner_for(user: Any, organisation_id: int | None = None) -> Organisation:
    """The organisation ``user`` describes a flow for: their own, or one they may describe flows for
    (the flow's "create": staff for the organisations of their clusters). PermissionDenied saying why
    and what to do otherwise; Organisation.DoesNotExist for an unknown id (to the superuser; others are
    refused, so that ids do not tell which organisations exist)."""
    wanted = organisation_id or own_organisation_id(user)
    if wanted is None:
        raise PermissionDenied(
            _(
                "Your account belongs to no organisation, so Helix cannot tell for which one to describe "
                "the flow. Ask the staff of your cluster to link your account to your organisation, or "
                "to describe the flow for it."
            )
        )
    organisation = Organisation.objects.filter(pk=wanted).first()
    if organisation is None and actor_for(user).is_superuser:
        raise Organisation.DoesNotExist
    if organisation is None or not can(user, "create", new_flow(organisation)):
        raise PermissionDenied(
            _(
                "Only the people of an organisation and the staff of its clusters describe its flows. "
                "Ask one of them, or the staff of your cluster, to describe it."
            )
        )
    return organisation


def flow_edit_refusal() -> str:
    """Why a user may not change a flow, and what to do (the 403 page says it; the owner's name is not
    given: an anonymous flow withholds it)."""
    return _(
        "Only the people of the organisation that describes this flow and the staff of its clusters "
        "change it. Ask them, or the staff of your cluster, to change it."
    )


def create_flow(user: Any, organisation: Organisation, site_id: int, **fields: Any) -> ResourceFlow:
    """Validate and save a new flow (errors under each field's name), then refresh the proposals."""
    if not organisation.sites.filter(pk=site_id).exists():
        raise ValidationError({"site_id": _("The site belongs to another organisation.")})
    flow = ResourceFlow(organisation=organisation, site_id=site_id, created_by=user, **fields)
    flow.full_clean(exclude=["organisation", "created_by"])
    flow.save()
    flow_changed(flow)
    return flow


def can_edit_flow(user: Any, flow: ResourceFlow) -> bool:
    return can(user, "edit", flow)


def withheld_flow_dict(flow: ResourceFlow) -> dict[str, Any]:
    """A flow its reader may not view, as a synergy or a run shows it: its kind and direction only."""
    return {
        "id": flow.pk,
        "direction": flow.direction,
        "kind": flow.kind,
        "title": _("A flow you may not see"),
        "description": "",
        "ewc_code": "",
        "hazardous": False,
        "quantity": None,
        "unit": "",
        "period": "",
        "per_year": None,
        "base_unit": "",
        "supply_temperature_c": None,
        "return_temperature_c": None,
        "power_mw": None,
        "hours_per_year": None,
        "quality": {},
        "physical_form": "",
        "listing_id": None,
        "available_from": None,
        "available_until": None,
        "confidentiality": flow.confidentiality,
        "anonymous": True,
        "status": "",
        "owner": _("Withheld"),
        "organisation_id": None,
        "site": None,
        "city": None,
        "region": "",
        "latitude": None,
        "longitude": None,
        "withheld": True,
    }


def viewable_flow_ids(user: Any, flow_ids: Iterable[int]) -> set[int]:
    """Which of ``flow_ids`` ``user`` may view, in one query (for a list of synergies or a run)."""
    return set(visible_flows(user).filter(pk__in=list(flow_ids)).values_list("pk", flat=True))


def flow_shown(user: Any, flow: ResourceFlow, viewable: set[int] | None = None) -> dict[str, Any]:
    """A flow inside a synergy or an allocation run: as :func:`flow_public_dict` where ``user`` may view
    it, else :func:`withheld_flow_dict` (the matched party of a flow made "staff only" later, staff of
    another cluster reading a run over several). ``viewable``: the ids :func:`viewable_flow_ids` gave."""
    allowed = flow.pk in viewable if viewable is not None else can(user, "view", flow)
    return flow_public_dict(user, flow) if allowed else withheld_flow_dict(flow)


def synergy_sides(
    user: Any, synergy: Synergy, viewable: set[int] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The two flows of a synergy as ``user`` may see them (:func:`flow_shown`)."""
    if viewable is None:
        viewable = viewable_flow_ids(user, (synergy.have_id, synergy.want_id))
    return flow_shown(user, synergy.have, viewable), flow_shown(user, synergy.want, viewable)


# -- core conversion --------------------------------------------------------------------------------


def _nace(organisation: Organisation) -> tuple[str, ...]:
    codes = [code.replace(".", "") for code in organisation.sectors.values_list("code", flat=True)]
    return tuple(c for c in codes if c.isdigit())


def to_core(flow: ResourceFlow, nace: tuple[str, ...] | None = None) -> Flow:
    """The flow as the core matches it. A heat flow's figures become its energy a year
    (:func:`helix.core.symbiosis.heat_amount`); a flow read from the market whose figures are missing
    becomes a provisional one. InvalidFlow, UnitError or HeatAmountError where the figures fail."""
    heat = None
    provisional = flow.listing_id is not None
    quantity = (
        Quantity(flow.quantity, flow.unit, flow.period) if flow.quantity is not None and flow.unit else None
    )
    if flow.kind == FlowKind.HEAT.value:
        try:
            amount = heat_amount(quantity, flow.power_mw, flow.hours_per_year)
        except HeatAmountError:
            if not provisional:
                raise
            amount = None
        if amount is not None and flow.supply_temperature_c is not None:
            heat = HeatSide(
                flow.supply_temperature_c, flow.return_temperature_c, amount.power_mw, amount.hours_per_year
            )
        elif provisional and flow.supply_temperature_c is not None:
            # read from the market with its temperature only: checked for temperature, energy unknown
            heat = HeatSide(flow.supply_temperature_c, flow.return_temperature_c, 0.0, 0.0)
        elif not provisional:
            raise InvalidFlow(f"flow {flow.pk}: supply temperature: needed for residual heat")
    return Flow(
        id=str(flow.pk),
        direction=Direction(flow.direction),
        kind=FlowKind(flow.kind),
        owner=str(flow.organisation_id),
        latitude=flow.site.latitude if flow.site.latitude is not None else 0.0,
        longitude=flow.site.longitude if flow.site.longitude is not None else 0.0,
        quantity=quantity,
        description=f"{flow.title}. {flow.description}".strip(". "),
        ewc=(flow.ewc_code,) if flow.ewc_code else (),
        nace=nace if nace is not None else _nace(flow.organisation),
        hazardous=flow.hazardous,
        heat=heat,
        available_from=flow.available_from,
        available_until=flow.available_until,
        max_distance_km=flow.max_distance_km,
        quality={k: float(v) for k, v in (flow.quality or {}).items()},
        disposal_cost_eur_per_unit=flow.disposal_cost_eur_per_unit,
        price_eur_per_unit=flow.price_eur_per_unit,
        treatment_cost_eur_per_unit=flow.treatment_cost_eur_per_unit or 0.0,
        site=str(flow.site_id),
        form=flow.physical_form,
        provisional=provisional,
    )


def factors() -> Factors:
    return Factors({s.key: s.value for s in ImpactFactorSetting.objects.all()})


def factor_table() -> list[dict[str, Any]]:
    edits = {s.key: s for s in ImpactFactorSetting.objects.select_related("updated_by")}
    rows = []
    for f in DEFAULT_FACTORS:
        edit = edits.get(f.key)
        rows.append(
            {
                "key": f.key,
                "label": f.label,
                "unit": f.unit,
                "default": f.value,
                "value": edit.value if edit else f.value,
                "source": (edit.source if edit and edit.source else f.source),
                "default_source": f.source,
                "edited": edit is not None,
                "updated_by": edit.updated_by if edit else None,
                "updated_at": edit.updated_at if edit else None,
            }
        )
    return rows


def can_edit_factors(user: Any) -> bool:
    """Every cluster's estimates use the one table of factors: only the superuser changes it."""
    return may(user, "edit", ImpactFactorSetting)


def set_factor(user: Any, key: str, value: float, source: str = "") -> ImpactFactorSetting:
    if not can_edit_factors(user):
        raise PermissionDenied
    if key not in {f.key for f in DEFAULT_FACTORS}:
        raise ValidationError({"key": _("Unknown impact factor %(key)s.") % {"key": key}})
    if not _in_range(value, -LARGEST):  # NaN or Infinity would poison every cluster's estimates
        raise ValidationError({"value": _number_range_text(0)})
    if value < 0:
        raise ValidationError({"value": _("An impact factor cannot be negative.")})
    setting, _created = ImpactFactorSetting.objects.update_or_create(
        key=key, defaults={"value": value, "source": source, "updated_by": user}
    )
    return setting


# -- the receiver model ------------------------------------------------------------------------------

_model_lock = threading.Lock()
_model_cache: dict[str, ReceiverModel | None] = {}


def learning_exchanges() -> list[Exchange]:
    """Documented exchanges plus the cluster's own realised synergies (provider -> receiver industry)."""
    out: list[Exchange] = []
    for row in DocumentedExchange.objects.all().iterator():
        out.append(
            Exchange(
                case=f"{row.source}:{row.case}",
                waste=WasteQuery(
                    provider_nace=split_codes(row.provider_nace),
                    ewc=split_codes(row.ewc),
                    description=row.waste_description,
                    detail=row.waste_detail,
                    ewc_description=row.ewc_description,
                    hs=split_codes(row.hs),
                    cpa=split_codes(row.cpa),
                    cpa_description=row.cpa_description,
                ),
                receiver=receiver_key(row.receiver_nace),
                receiver_code=row.receiver_nace,
                receiver_name=row.receiver_name,
                line=row.pk,
            )
        )
    realised = Synergy.objects.filter(state=SynergyState.REALISED, have__kind=FlowKind.MATERIAL.value)
    for s in realised.select_related("have__organisation", "want__organisation"):
        receivers = _nace(s.want.organisation)
        if not receivers:
            continue
        out.append(
            Exchange(
                case=f"helix:{s.pk}",
                waste=WasteQuery(
                    provider_nace=_nace(s.have.organisation),
                    ewc=(s.have.ewc_code,) if s.have.ewc_code else (),
                    description=s.have.title,
                    detail=s.have.description,
                ),
                receiver=receivers[0],
                receiver_code=receivers[0],
                receiver_name="",
                line=0,
            )
        )
    return [e for e in out if e.receiver]


def receiver_model() -> ReceiverModel | None:
    """The model learned from the documented exchanges, cached until they change; None if there are none."""
    from helix.market.engine import current_encoder, encoder_label

    encoder = current_encoder()
    # What the model learns from, summed up in two cheap queries: rebuilt only when it changed, in
    # whichever process asks (a page, the worker), without reading every exchange on each call.
    documented = DocumentedExchange.objects.aggregate(n=Count("pk"), last=Max("pk"))
    realised = Synergy.objects.filter(state=SynergyState.REALISED).aggregate(
        n=Count("pk"), last=Max("updated_at")
    )
    key = f"{documented}:{realised}:{encoder_label(encoder)}"
    with _model_lock:
        if key in _model_cache:
            return _model_cache[key]
        exchanges = learning_exchanges()
        model = ReceiverModel.learn(exchanges, encoder=encoder) if exchanges else None
        _model_cache.clear()
        _model_cache[key] = model
    return model


def reset_model() -> None:
    with _model_lock:
        _model_cache.clear()


@transaction.atomic
def import_exchanges(text: str, source: str, *, replace: bool = True) -> int:
    """Rows of a MAESTRI-layout CSV become documented exchanges; all or nothing (errors name the line).
    A file beyond HELIX_IMPORT_MAX_ROWS rows or HELIX_IMPORT_MAX_COLUMNS columns is refused."""
    try:
        exchanges = read_exchanges(
            text,
            source=source,
            max_rows=settings.HELIX_IMPORT_MAX_ROWS,
            max_columns=settings.HELIX_IMPORT_MAX_COLUMNS,
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if replace:
        DocumentedExchange.objects.filter(source=source).delete()
    created = [
        DocumentedExchange(
            source=source,
            case=e.case[:100],
            provider_nace=";".join(e.waste.provider_nace)[:60],
            provider_name=e.provider_name[:300],
            waste_description=e.waste.description[:500],
            waste_detail=e.waste.detail,
            ewc=";".join(e.waste.ewc)[:60],
            ewc_description=e.waste.ewc_description[:500],
            hs=";".join(e.waste.hs)[:60],
            cpa=";".join(e.waste.cpa)[:60],
            cpa_description=e.waste.cpa_description[:500],
            receiver_nace=e.receiver_code[:60],
            receiver_name=e.receiver_name[:300],
            reference=e.reference,
        )
        for e in exchanges
    ]
    audit = BulkLog()  # bulk_create bypasses model signals: the audit trail is written in bulk
    audit.created(DocumentedExchange.objects.bulk_create(created))
    data_changed_on_commit()
    audit.flush()
    reset_model()
    return len(created)


def unmatched_reasons(flow: ResourceFlow) -> list[Unmatched]:
    """Why ``flow`` has no proposal (:func:`helix.core.symbiosis.explain_unmatched`): its counterparts
    among the active flows it may be paired with (each side's owner may see the other's flow; the
    others are left out unsaid), put through the matching's rules."""
    if flow.status != FlowStatus.ACTIVE:
        return [Unmatched("closed", 0)]
    opposite = "want" if flow.direction == "have" else "have"
    candidates = [*region_flows().filter(kind=flow.kind, direction=opposite).exclude(pk=flow.pk), flow]
    flows = core_flows(candidates)
    own = next((f for f in flows if f.id == str(flow.pk)), None)
    if own is None:
        return []  # its figures do not hold together (edited in the admin): the form says what to fix
    return explain_unmatched(own, flows, factors=factors(), pairable=Pairing(candidates))


# -- needs and offers of the market that are resource flows -------------------------------------------


def _listing_site(listing: Listing) -> Site | None:
    """Where a listing's resource is: its site, else its organisation's first site with coordinates."""
    if listing.site is not None and listing.site.latitude is not None and listing.site.longitude is not None:
        return listing.site
    return (
        Site.objects.filter(
            organisation_id=listing.organisation_id, latitude__isnull=False, longitude__isnull=False
        )
        .order_by("pk")
        .first()
    )


_LISTING_FIGURES = ("supply_temperature_c", "power_mw", "quantity", "unit", "period")


def _read_listing_into(flow: ResourceFlow, listing: Listing, resource: ListingResource, site: Site) -> bool:
    """Set ``flow`` from the listing: what it says (title, description, audience) always, the figures
    it states only where the flow has none (its owner may have completed them). False where even the
    listing's words make no valid flow."""
    flow.organisation_id = listing.organisation_id
    flow.site = site
    flow.direction = resource.direction.value
    flow.kind = resource.kind.value
    flow.title = listing.title[:200]
    flow.description = listing.description
    flow.confidentiality = listing.visibility
    flow.status = FlowStatus.ACTIVE
    stated = {
        "supply_temperature_c": resource.supply_temperature_c,
        "power_mw": resource.power_mw,
        "quantity": resource.quantity,
        "unit": resource.unit,
        "period": resource.period,
    }
    if flow.quantity is None and flow.power_mw is None and flow.supply_temperature_c is None:
        for name in _LISTING_FIGURES:
            if stated[name] not in (None, ""):
                setattr(flow, name, stated[name])
    try:
        flow.full_clean(exclude=["organisation", "created_by", "listing"])
        return True
    except ValidationError:
        for name in _LISTING_FIGURES:  # figures the words gave that do not hold together: left out
            setattr(flow, name, "year" if name == "period" else "" if name == "unit" else None)
    try:
        flow.full_clean(exclude=["organisation", "created_by", "listing"])
        return True
    except ValidationError:
        return False


def read_market(now: Any = None) -> dict[str, int]:
    """Needs and offers of the market that are resource flows (:func:`helix.core.symbiosis.listings.
    read_listing`) become provisional flows of their organisation, seen by the same audience, so that
    matching pairs them like any other (a city's heat need posted under Needs & offers meets a
    company's residual heat). Only listings changed since the last reading are read; a listing that is
    no longer published, or no longer reads as a resource, closes its flow. Matching runs call this."""
    now = now or timezone.now()
    created = updated = closed = 0
    with transaction.atomic():
        reading = MarketReading.objects.select_for_update().order_by("pk").first()
        if reading is None:
            reading = MarketReading.objects.create()
        changed = Listing.objects.select_related("site", "organisation")
        if reading.read_until is not None:
            changed = changed.filter(updated_at__gt=reading.read_until)
        for listing in changed.order_by("pk").iterator(chunk_size=500):
            flow = ResourceFlow.objects.filter(listing=listing).first()
            resource = None
            if listing.is_active:
                resource = read_listing(listing.side, listing.category, listing.title, listing.description)
            site = _listing_site(listing) if resource is not None else None
            if resource is None or site is None:
                if flow is not None and flow.status == FlowStatus.ACTIVE:
                    flow.status = FlowStatus.CLOSED
                    flow.save(update_fields=["status", "updated_at"])
                    closed += 1
                continue
            is_new = flow is None
            if flow is None:
                flow = ResourceFlow(listing=listing, created_by=listing.created_by)
            if not _read_listing_into(flow, listing, resource, site):
                continue
            flow.listing_read_at = now
            flow.save()
            created += is_new
            updated += not is_new
        # listings expire without being saved: their flows close all the same
        expired = ResourceFlow.objects.filter(listing__isnull=False, status=FlowStatus.ACTIVE).exclude(
            listing__in=Listing.objects.active()
        )
        closed += expired.update(status=FlowStatus.CLOSED)
        reading.read_until = now
        reading.save(update_fields=["read_until"])
    if created or updated or closed:
        data_changed_on_commit()
    return {"created": created, "updated": updated, "closed": closed}


# -- matching ----------------------------------------------------------------------------------------


def region_flows(region: str | None = None) -> QuerySet[ResourceFlow]:
    qs = ResourceFlow.objects.filter(
        status=FlowStatus.ACTIVE, site__latitude__isnull=False, site__longitude__isnull=False
    ).select_related("organisation", "site")
    if region:
        qs = qs.filter(site__region=region)
    return qs


def core_flows(flows: Iterable[ResourceFlow]) -> list[Flow]:
    out = []
    nace_cache: dict[int, tuple[str, ...]] = {}
    for f in flows:
        if f.organisation_id not in nace_cache:
            nace_cache[f.organisation_id] = _nace(f.organisation)
        try:
            out.append(to_core(f, nace_cache[f.organisation_id]))
        except (InvalidFlow, UnitError, ValueError):
            continue  # an invalid flow (edited in the admin) is left out rather than stopping the region
    return out


def compute_proposals(
    region: str | None = None, progress: Progress = no_progress
) -> tuple[list[Proposal], list[Flow]]:
    from helix.market.engine import current_encoder

    candidates = list(region_flows(region))
    flows = core_flows(candidates)
    progress(0, max(1, len(flows)), _("learning from documented exchanges"))
    model = receiver_model()
    result = match(
        flows,
        factors=factors(),
        model=model,
        encoder=current_encoder(),
        options=MatchOptions(top_per_have=10),
        progress=lambda done, total: progress(done, total, _("matching offers with needs")),
        pairable=Pairing(candidates),  # each side's organisation may see the other's flow
    )
    return result.proposals, flows


def _proposal_fields(p: Proposal) -> dict[str, Any]:
    heat = {}
    if p.heat is not None:
        heat = {"fit": p.heat.fit.value, "cop": p.heat.cop, "electricity_mwh": p.heat.electricity_mwh}
    return {
        "score": p.score,
        "compatibility": p.compatibility,
        "quantity": p.quantity,
        "unit": p.unit,
        "road_km": p.road_km,
        "unit_cost_eur": p.unit_cost_eur,
        "reasons": list(p.reasons),
        "reason_codes": [[code, args] for code, args in p.reason_codes],
        "flag_codes": [[code, args] for code, args in p.flag_codes],
        "flags": list(p.flags),
        "impact": p.impact.as_dict(),
        "heat": heat,
    }


def run_matching(region: str | None = None, progress: Progress = no_progress) -> dict[str, Any]:
    """Refresh the proposed synergies of a region (all regions when ``region`` is empty), atomically.

    Proposals are created or updated; synergies already beyond "proposed" keep their state and their
    figures; proposed ones that no longer come out (and that nobody accepted yet) are removed, and so
    are proposed ones whose flows may no longer be paired (a flow made "staff only"), accepted or not.
    The needs and offers of the market that are resource flows are read first (:func:`read_market`)."""
    read_market()
    proposals, flows = compute_proposals(region, progress)
    scope = ResourceFlow.objects.filter(site__region=region) if region else ResourceFlow.objects.all()
    scope_ids = scope.values("pk")
    with transaction.atomic():
        existing = {
            (s.have_id, s.want_id): s
            for s in Synergy.objects.filter(
                Q(have_id__in=scope_ids) | Q(want_id__in=scope_ids)
            ).select_for_update()
        }
        # by confidentiality alone: an accepted proposal on a flow closed meanwhile stays, as before
        pairing = Pairing(
            ResourceFlow.objects.filter(pk__in={pk for pair in existing for pk in pair}), assume_active=True
        )
        created = updated = 0
        fresh = set()
        new: list[Synergy] = []
        for p in proposals:
            pair = (int(p.have), int(p.want))
            fresh.add(pair)
            fields = _proposal_fields(p)
            synergy = existing.get(pair)
            if synergy is None:
                new.append(Synergy.objects.create(have_id=pair[0], want_id=pair[1], **fields))
                created += 1
            elif synergy.state == SynergyState.PROPOSED:
                for k, v in fields.items():
                    setattr(synergy, k, v)
                synergy.save()
                updated += 1
        stale = [
            s.pk
            for pair, s in existing.items()
            if s.state == SynergyState.PROPOSED
            and pair not in fresh
            and (not (s.have_accepted or s.want_accepted) or not pairing.allows(*pair))
        ]
        Synergy.objects.filter(pk__in=stale).delete()
        # both parties of each new proposal are told (helix.symbiosis.notices), with the run's change
        notices.proposed(Synergy.objects.filter(pk__in=[s.pk for s in new]).select_related("have", "want"))
    return {
        "flows": len(flows),
        "proposals": len(proposals),
        "created": created,
        "updated": updated,
        "removed": len(stale),
    }


def region_label(region: str) -> str:
    """A region's name as pages show it ("Oost-Vlaanderen", not its code); every region when empty."""
    if not region:
        return _("all regions")
    return str(Region(region).label) if region in Region.values else region


def flow_changed(flow: ResourceFlow) -> Any:
    """A flow was saved: refresh the proposals in the background (all regions: a counterpart may sit
    across a regional border), so the organisation sees them without waiting for staff. A run that is
    already queued is not queued twice."""
    from helix.jobs.models import Job, JobStatus
    from helix.jobs.services import create_job
    from helix.symbiosis.tasks import match_region

    kind = "symbiosis-match:auto"
    if Job.objects.filter(kind=kind, status=JobStatus.QUEUED).exists():
        return None
    job = create_job(kind, _("Symbiosis matching %(region)s") % {"region": _("all regions")}, None)
    transaction.on_commit(lambda: match_region.enqueue(job.pk, ""))
    return job


def start_matching(user: Any, region: str = "") -> Any:
    from helix.jobs.services import create_job
    from helix.symbiosis.tasks import match_region

    if not may(user, "propose", Synergy):
        raise PermissionDenied
    job = create_job(
        "symbiosis-match", _("Symbiosis matching %(region)s") % {"region": region_label(region)}, user
    )
    transaction.on_commit(lambda: match_region.enqueue(job.pk, region))
    return job


# -- allocation --------------------------------------------------------------------------------------


def run_allocation(run_id: int, progress: Progress = no_progress) -> dict[str, Any]:
    """Allocate a region; the run keeps the result. A failed solve raises, earlier runs stay as they were."""
    run = AllocationRun.objects.get(pk=run_id)
    proposals, flows = compute_proposals(run.region or None, progress)
    # A pair its parties dropped is not proposed to them again by the network either.
    dropped = {
        (str(h), str(w))
        for h, w in Synergy.objects.filter(state=SynergyState.DROPPED).values_list("have_id", "want_id")
    }
    proposals = [p for p in proposals if (p.have, p.want) not in dropped]
    quantities = {f.id: f.per_year for f in flows}
    progress(0, 1, _("solving the allocation"))
    greedy = greedy_nearest(proposals, quantities, quantities, fixed_cost_per_link=run.fixed_cost_per_link)
    optimal = allocate(
        proposals, quantities, quantities, fixed_cost_per_link=run.fixed_cost_per_link, time_limit_s=120
    )
    result = {
        "region": run.region,
        "flows": len(flows),
        "proposals": len(proposals),
        "optimal": allocation_dict(optimal),
        "greedy": allocation_dict(greedy),
        "greedy_share": (greedy.cost_eur / optimal.cost_eur) if optimal.cost_eur else 1.0,
    }
    AllocationRun.objects.filter(pk=run.pk).update(result=result)
    data_changed_on_commit()
    return result


def allocation_dict(a: Allocation) -> dict[str, Any]:
    return {
        "method": a.method,
        "cost_eur": a.cost_eur,
        "bound_eur": a.bound_eur,
        "optimal": a.optimal,
        "status": a.status,
        "seconds": a.seconds,
        "impact": a.impact.as_dict(),
        "assignments": [
            {
                "have": int(x.have),
                "want": int(x.want),
                "quantity": x.quantity,
                "cost_eur": x.cost_eur,
                "impact": x.impact.as_dict(),
            }
            for x in a.assignments
        ],
    }


def match_now(user: Any, region: str = "", progress: Progress = no_progress) -> dict[str, Any]:
    """Staff refresh the proposals of a region in this process (the CLI)."""
    if not may(user, "propose", Synergy):
        raise PermissionDenied(_("Only cluster staff run the matching."))
    return run_matching(region or None, progress)


def allocate_now(
    user: Any, region: str = "", fixed_cost_per_link: float = 0.0, progress: Progress = no_progress
) -> AllocationRun:
    """Staff allocate a region in this process (the CLI); a failed solve leaves no run behind."""
    if not may(user, "start", AllocationRun):
        raise PermissionDenied(_("Only cluster staff run the allocation."))
    with transaction.atomic():
        run = AllocationRun.objects.create(
            region=region, fixed_cost_per_link=fixed_cost_per_link, created_by=user
        )
        run_allocation(run.pk, progress)
    run.refresh_from_db()
    return run


def start_allocation(user: Any, region: str = "", fixed_cost_per_link: float = 0.0) -> AllocationRun:
    from helix.jobs.services import create_job
    from helix.symbiosis.tasks import allocate_region

    if not may(user, "start", AllocationRun):
        raise PermissionDenied
    if not _in_range(fixed_cost_per_link, -LARGEST):
        raise ValidationError({"fixed_cost_per_link": _number_range_text(0)})
    if fixed_cost_per_link < 0:
        raise ValidationError({"fixed_cost_per_link": _("Cannot be negative.")})
    job = create_job(
        "symbiosis-allocate",
        _("Symbiosis allocation %(region)s") % {"region": region_label(region)},
        user,
    )
    run = AllocationRun.objects.create(
        region=region, fixed_cost_per_link=fixed_cost_per_link, job=job, created_by=user
    )
    transaction.on_commit(lambda: allocate_region.enqueue(run.pk))
    return run


# -- synergies ---------------------------------------------------------------------------------------


def visible_synergies(user: Any) -> QuerySet[Synergy]:
    """Synergies ``user`` may see: their organisation's, and (staff) those with a side in their clusters."""
    qs = Synergy.objects.select_related(
        "have__organisation", "have__site", "want__organisation", "want__site"
    )
    return scope(user, "view", qs)


def roles_on(user: Any, synergy: Synergy) -> set[str]:
    """The workflow roles ``user`` holds on ``synergy`` (helix.core.symbiosis.synergy): a party (a person
    of either organisation), staff (of either side's clusters), and, for making contact, staff of every
    side whose anonymous owner has not accepted contact."""
    roles = set()
    own = own_organisation_id(user)
    if own is not None and own in (synergy.have.organisation_id, synergy.want.organisation_id):
        roles.add(workflow.PARTY)  # the synergy's "owner" role
    sides = staff_sides(user, synergy)
    if sides:
        roles.add(workflow.STAFF)
    hidden = {
        side
        for side, flow, accepted in (
            (workflow.HAVE_SIDE, synergy.have, synergy.have_accepted),
            (workflow.WANT_SIDE, synergy.want, synergy.want_accepted),
        )
        if flow.anonymous and not accepted
    }
    return roles | workflow.contact_roles(sides, hidden)


def _record(synergy: Synergy, source: str, target: str, user: Any, note: str = "") -> None:
    SynergyEvent.objects.create(
        synergy=synergy,
        from_state=source,
        to_state=target,
        note=note,
        by=user if getattr(user, "pk", None) else None,
    )


@transaction.atomic
def accept_contact(user: Any, synergy: Synergy) -> Synergy:
    """A party accepts contact; when both have, the synergy moves to "contacted" and names are shown."""
    synergy = Synergy.objects.select_for_update().select_related("have", "want").get(pk=synergy.pk)
    if not can(user, "accept", synergy):
        raise PermissionDenied
    own = own_organisation_id(user)
    if synergy.state != SynergyState.PROPOSED:
        raise ValidationError(_("Contact can be accepted on a proposed synergy only."))
    if own == synergy.have.organisation_id:
        synergy.have_accepted = True
    elif own == synergy.want.organisation_id:
        synergy.want_accepted = True
    else:
        raise PermissionDenied
    synergy.save(update_fields=["have_accepted", "want_accepted", "updated_at"])
    if synergy.have_accepted and synergy.want_accepted:
        workflow.SYNERGY_WORKFLOW.check(synergy.state, workflow.CONTACTED, {workflow.BOTH_PARTIES})
        _record(synergy, synergy.state, workflow.CONTACTED, user, _("both parties accepted contact"))
        synergy.state = SynergyState.CONTACTED
        synergy.save(update_fields=["state", "updated_at"])
        notices.moved(synergy, SynergyState.CONTACTED, user)
    else:
        notices.contact_accepted(synergy, own)
    return synergy


@transaction.atomic
def move(user: Any, synergy: Synergy, target: str, note: str = "") -> Synergy:
    synergy = Synergy.objects.select_for_update().select_related("have", "want").get(pk=synergy.pk)
    if not can(user, "transition", synergy):
        raise PermissionDenied
    roles = roles_on(user, synergy)
    try:
        workflow.SYNERGY_WORKFLOW.check(synergy.state, target, roles)
    except TransitionNotAllowed as exc:
        raise ValidationError(str(exc)) from None
    if target in workflow.NEEDS_REASON and not note.strip():
        raise ValidationError({"note": _("Say why the synergy is dropped.")})
    _record(synergy, synergy.state, target, user, note)
    synergy.state = target
    if target == workflow.DROPPED:
        synergy.dropped_reason = note
    if target == workflow.PROPOSED:
        synergy.dropped_reason = ""
        synergy.have_accepted = synergy.want_accepted = False
    synergy.save()
    notices.moved(synergy, target, user)  # both parties but the mover (helix.symbiosis.notices)
    if target == workflow.REALISED:
        reset_model()  # realised synergies teach the receiver ranking
    return synergy


@transaction.atomic
def report(
    user: Any,
    synergy: Synergy,
    *,
    period_end: date,
    quantity: float,
    unit: str,
    co2e_avoided_t: float | None = None,
    money_saved_eur: float | None = None,
    note: str = "",
) -> SynergyReport:
    """Actual quantities of a realised synergy, converted to the synergy's unit (and refused across
    dimensions: tonnes are not reported against a heat synergy)."""
    if not can(user, "report", synergy):
        raise PermissionDenied
    if synergy.state != SynergyState.REALISED:
        raise ValidationError(_("Only a realised synergy reports actual quantities."))
    numbers = {"quantity": (quantity, 0.0), "co2e_avoided_t": (co2e_avoided_t, -LARGEST)}
    numbers["money_saved_eur"] = (money_saved_eur, -LARGEST)
    wrong = {
        field: _number_range_text(low)
        for field, (value, low) in numbers.items()
        if (value is not None or field == "quantity") and not _in_range(value, low)
    }
    if wrong:  # NaN, Infinity, a negative quantity or a magnitude beyond LARGEST would poison the totals
        raise ValidationError(wrong)
    try:
        q = Quantity(quantity, unit, "once")
        in_unit = q.to(synergy.unit, "once") if synergy.unit else quantity
    except UnitError as exc:
        raise ValidationError({"unit": str(exc)}) from None
    share = in_unit / synergy.quantity if synergy.quantity else 0.0
    impact = synergy.impact or {}
    r = SynergyReport.objects.create(
        synergy=synergy,
        period_end=period_end,
        quantity=in_unit,
        unit=synergy.unit or unit,
        co2e_avoided_t=co2e_avoided_t
        if co2e_avoided_t is not None
        else share * impact.get("co2e_avoided_t", 0.0),
        money_saved_eur=money_saved_eur
        if money_saved_eur is not None
        else share * impact.get("money_saved_eur", 0.0),
        note=note,
        reported_by=user,
    )
    return r


def totals(user: Any, period: str = "quarter") -> list[dict[str, Any]]:
    reports = scope(user, "view", SynergyReport.objects.all())
    rows = workflow.totals_over_time(
        (
            workflow.Report(
                str(r.synergy_id), r.period_end, r.quantity, r.unit, r.co2e_avoided_t, r.money_saved_eur
            )
            for r in reports
        ),
        period,
    )
    return [asdict(r) for r in rows]


def pipeline_counts(user: Any) -> dict[str, int]:
    counts = dict.fromkeys(workflow.STATES, 0)
    for state in visible_synergies(user).values_list("state", flat=True):
        counts[state] += 1
    return counts
