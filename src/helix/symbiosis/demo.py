"""Demo resource flows for the sample companies of the demo ecosystem (never for real organisations),
the documented exchanges the receiver ranking learns from where the shared MAESTRI file is on this
machine, and a first matching run, so that a newcomer's `make demo` shows proposals straight away."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from helix.config import PROJECT_DIR, setting
from helix.registry.models import Organisation
from helix.symbiosis import services
from helix.symbiosis.models import DocumentedExchange, ResourceFlow


@dataclass(frozen=True)
class FlowSeed:
    organisation: str  # slug of a sample organisation of the demo ecosystem
    title: str
    direction: str
    kind: str
    fields: dict[str, Any] = field(default_factory=dict)


FLOWS: tuple[FlowSeed, ...] = (
    FlowSeed(
        "clervaux-timber-frames",
        "Sawdust and shavings from timber-frame production",
        "have",
        "material",
        {
            "description": "Dry spruce sawdust and planer shavings, untreated, from the extraction system.",
            "ewc_code": "030105",
            "quantity": 850,
            "unit": "t",
            "period": "year",
            "disposal_cost_eur_per_unit": 45,
            "quality": {"moisture_pct": 12},
            "confidentiality": "public",
        },
    ),
    FlowSeed(
        "osling-wood-energy",
        "Sawdust for wood pellets",
        "want",
        "material",
        {
            "description": "Sciure de bois sèche, non traitée, pour la production de granulés.",
            "ewc_code": "030105",
            "quantity": 100,
            "unit": "t",
            "period": "month",
            "price_eur_per_unit": 30,
            "quality": {"moisture_pct_max": 15},
            "confidentiality": "public",
        },
    ),
    FlowSeed(
        "minett-additive-works",
        "Ferrous powder and filings from machining",
        "have",
        "material",
        {
            "description": "Ferrous filings and sieved-out powder from additive manufacturing and finishing.",
            "ewc_code": "120101",
            "quantity": 40,
            "unit": "t",
            "period": "year",
            "disposal_cost_eur_per_unit": 80,
            "confidentiality": "members",
        },
    ),
    FlowSeed(
        "belval-circular-materials",
        "Ferrous metal scrap and filings",
        "want",
        "material",
        {
            "description": "We sort and recycle ferrous metal: filings, turnings, off-cuts.",
            "ewc_code": "120101",
            "quantity": 500,
            "unit": "t",
            "period": "year",
            "treatment_cost_eur_per_unit": 15,
            "confidentiality": "public",
        },
    ),
    FlowSeed(
        "belval-circular-materials",
        "Thermoplastic production waste",
        "want",
        "material",
        {
            "description": "Clean thermoplastic off-cuts and regrind for mechanical recycling.",
            "ewc_code": "070213",
            "quantity": 200,
            "unit": "t",
            "period": "year",
            "confidentiality": "public",
        },
    ),
    FlowSeed(
        "eislek-composites",
        "Thermoplastic off-cuts",
        "have",
        "material",
        {
            "description": "Kunststoffreste aus der Fertigung, sortenrein (PP), ohne Fasern.",
            "ewc_code": "070213",
            "quantity": 120,
            "unit": "t",
            "period": "year",
            "disposal_cost_eur_per_unit": 140,
            "confidentiality": "members",
            "anonymous": True,
        },
    ),
    FlowSeed(
        "gutland-polymer-solutions",
        "PP regrind as secondary raw material",
        "want",
        "material",
        {
            "description": "Polypropylene regrind for compounding.",
            "ewc_code": "070213",
            "quantity": 80,
            "unit": "t",
            "period": "year",
            "price_eur_per_unit": 400,
            "confidentiality": "members",
        },
    ),
    FlowSeed(
        "alzette-surface-coatings",
        "Paint sludge with solvents",
        "have",
        "material",
        {
            "description": "Sludge from the spray booths, contains organic solvents.",
            "ewc_code": "080113",
            "quantity": 15,
            "unit": "t",
            "period": "year",
            "confidentiality": "staff",
        },
    ),
    FlowSeed(
        "alzette-surface-coatings",
        "Residual heat from curing ovens",
        "have",
        "heat",
        {
            "description": "Exhaust-air heat recovery on the curing ovens.",
            "supply_temperature_c": 75,
            "return_temperature_c": 45,
            "power_mw": 0.8,
            "hours_per_year": 6000,
            "confidentiality": "members",
        },
    ),
    FlowSeed(
        "minett-additive-works",
        "Space heating for the production hall",
        "want",
        "heat",
        {
            "supply_temperature_c": 60,
            "return_temperature_c": 40,
            "power_mw": 0.5,
            "hours_per_year": 3000,
            "price_eur_per_unit": 60,
            "confidentiality": "members",
        },
    ),
    FlowSeed(
        "warmtenet-waasland",
        "Heat for the district heating network",
        "want",
        "heat",
        {
            "description": "Restwarmte gezocht voor het warmtenet van Sint-Niklaas.",
            "supply_temperature_c": 90,
            "return_temperature_c": 60,
            "power_mw": 5,
            "hours_per_year": 6000,
            "confidentiality": "public",
        },
    ),
    FlowSeed(
        "kempen-batterijen",
        "Spent lead-acid batteries",
        "have",
        "material",
        {
            "description": "Gebruikte loodzuurbatterijen uit de test- en assemblagelijn.",
            "ewc_code": "160601",
            "quantity": 60,
            "unit": "t",
            "period": "year",
            "confidentiality": "members",
        },
    ),
)


def _shared_maestri() -> Path | None:
    for base in (setting("HELIX_SHARED_DATA").read(), str(PROJECT_DIR.parent / "shared" / "data")):
        path = Path(base) / "symbiosis" / "maestri_exchanges_public.csv" if base else None
        if path is not None and path.is_file():
            return path
    return None


@transaction.atomic
def load_demo_flows() -> dict[str, Any]:
    """Create or update the demo flows; loading twice changes nothing. Returns counts."""
    created = updated = 0
    for seed in FLOWS:
        org = Organisation.objects.filter(slug=seed.organisation, is_sample=True).first()
        if org is None or not org.sites.exists():
            continue
        values = {"direction": seed.direction, "kind": seed.kind, "site": org.sites.first(), **seed.fields}
        flow = ResourceFlow.objects.filter(organisation=org, title=seed.title).first()
        if flow is None:
            flow = ResourceFlow(organisation=org, title=seed.title)
            created += 1
        else:
            updated += 1
        for k, v in values.items():
            setattr(flow, k, v)
        flow.full_clean()
        flow.save()
    exchanges = 0
    path = _shared_maestri()
    if path is not None and not DocumentedExchange.objects.filter(source=path.name).exists():
        exchanges = services.import_exchanges(path.read_text(encoding="utf-8-sig"), path.name)
    return {"created": created, "updated": updated, "exchanges": exchanges}


def load_demo_symbiosis() -> dict[str, Any]:
    report = load_demo_flows()
    report["matching"] = services.run_matching()
    return report
