"""ORM <-> core: the one place that maps the symbiosis models to the types of helix.core.symbiosis.

Flows become :class:`~helix.core.symbiosis.Flow` (matching) or
:class:`~helix.core.symbiosis.validation.FlowFields` (the rules of a flow's fields); documented exchanges
and realised synergies become :class:`~helix.core.symbiosis.exchanges.Exchange`; proposals and
allocations come back as the dictionaries a synergy and a run store. Nothing here reads who may see
what (helix.symbiosis.visibility) or saves anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from helix.core.symbiosis import (
    Allocation,
    Direction,
    Flow,
    FlowKind,
    HeatAmountError,
    HeatSide,
    InvalidFlow,
    Proposal,
    Quantity,
    UnitError,
    heat_amount,
)
from helix.core.symbiosis import synergy as workflow
from helix.core.symbiosis.exchanges import Exchange, WasteQuery, receiver_key, split_codes
from helix.core.symbiosis.validation import FlowFields
from helix.registry.models import Organisation
from helix.symbiosis.models import DocumentedExchange, ResourceFlow, Synergy, SynergyReport


def nace_codes(organisation: Organisation) -> tuple[str, ...]:
    """The organisation's industries as the core reads them: NACE digits ("2410")."""
    codes = [code.replace(".", "") for code in organisation.sectors.values_list("code", flat=True)]
    return tuple(c for c in codes if c.isdigit())


def flow_fields(flow: ResourceFlow) -> FlowFields:
    """The fields of a flow as :func:`helix.core.symbiosis.validation.flow_problems` reads them."""
    return FlowFields(
        direction=flow.direction,
        kind=flow.kind,
        ewc_code=flow.ewc_code,
        hazardous=flow.hazardous,
        from_market=flow.listing_id is not None,
        site_elsewhere=bool(
            flow.site_id and flow.organisation_id and flow.site.organisation_id != flow.organisation_id
        ),
        site_unlocated=bool(flow.site_id and (flow.site.latitude is None or flow.site.longitude is None)),
        quantity=flow.quantity,
        unit=flow.unit,
        period=flow.period,
        supply_temperature_c=flow.supply_temperature_c,
        return_temperature_c=flow.return_temperature_c,
        power_mw=flow.power_mw,
        hours_per_year=flow.hours_per_year,
        max_distance_km=flow.max_distance_km,
        disposal_cost_eur_per_unit=flow.disposal_cost_eur_per_unit,
        price_eur_per_unit=flow.price_eur_per_unit,
        treatment_cost_eur_per_unit=flow.treatment_cost_eur_per_unit,
        available_from=flow.available_from,
        available_until=flow.available_until,
        quality=flow.quality,
    )


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
        nace=nace if nace is not None else nace_codes(flow.organisation),
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


def core_flows(flows: Iterable[ResourceFlow]) -> list[Flow]:
    """The flows as the core matches them (their organisations' industries read once each)."""
    out = []
    nace_cache: dict[int, tuple[str, ...]] = {}
    for f in flows:
        if f.organisation_id not in nace_cache:
            nace_cache[f.organisation_id] = nace_codes(f.organisation)
        try:
            out.append(to_core(f, nace_cache[f.organisation_id]))
        except (InvalidFlow, UnitError, ValueError):
            continue  # an invalid flow (edited in the admin) is left out rather than stopping the region
    return out


def documented_exchange(row: DocumentedExchange) -> Exchange:
    """A documented exchange as the receiver ranking learns from it."""
    return Exchange(
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


def realised_exchange(synergy: Synergy) -> Exchange | None:
    """A realised material synergy as an exchange (provider -> receiver industry); None where the
    receiving organisation states no industry."""
    receivers = nace_codes(synergy.want.organisation)
    if not receivers:
        return None
    return Exchange(
        case=f"helix:{synergy.pk}",
        waste=WasteQuery(
            provider_nace=nace_codes(synergy.have.organisation),
            ewc=(synergy.have.ewc_code,) if synergy.have.ewc_code else (),
            description=synergy.have.title,
            detail=synergy.have.description,
        ),
        receiver=receivers[0],
        receiver_code=receivers[0],
        receiver_name="",
        line=0,
    )


def exchange_row(e: Exchange, source: str) -> DocumentedExchange:
    """An exchange read from a file as the row that stores it (text cut to the columns' lengths)."""
    return DocumentedExchange(
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


def proposal_fields(p: Proposal) -> dict[str, Any]:
    """A proposal as the fields of the synergy that keeps it."""
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


def allocation_dict(a: Allocation) -> dict[str, Any]:
    """An allocation as an allocation run's result keeps it."""
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


def core_report(r: SynergyReport) -> workflow.Report:
    """A synergy's report as the totals over time read it."""
    return workflow.Report(
        str(r.synergy_id), r.period_end, r.quantity, r.unit, r.co2e_avoided_t, r.money_saved_eur
    )
