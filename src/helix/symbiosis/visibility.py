"""Who sees which flow, and how much of it: the confidentiality of flows applied to pages, the API and
exports. Who may see and do what is declared in :mod:`helix.symbiosis.permissions` and asked through
``helix.registry.permissions.can`` / ``scope``; this module applies the answers:

* a flow is seen by everyone (public), by the people of organisations sharing a cluster with its owner
  (members), or by the owner's cluster staff only (staff); its own organisation always sees it
  (:func:`visible_flows`);
* an *anonymous* flow hides its owner's name and site from everyone but the owner's own people and
  the owner's cluster staff, until a synergy on it reaches "contacted" (both parties accepted the
  contact, or staff responsible for every anonymous side made it): from then on the counterpart sees
  who it is dealing with. Others see "an organisation in <region>" and a position rounded to about
  5 km (:func:`can_see_owner`, :func:`owner_label`);
* matching and allocation pair a have and a want only where each side may see the other's flow
  (helix.symbiosis.matching), and a synergy shows each flow to a party only as far as the party may
  view it (:func:`flow_shown`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from helix.core.symbiosis import FlowKind, HeatAmountError, InvalidFlow, UnitError
from helix.core.symbiosis.units import BASE_UNIT
from helix.core.symbiosis.units import unit as core_unit
from helix.registry.permissions import actor_for, can, scope
from helix.symbiosis.convert import to_core
from helix.symbiosis.models import ResourceFlow, Synergy


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
