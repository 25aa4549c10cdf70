"""Demo resource flows for the sample companies of the demo ecosystem (never for real organisations),
the documented exchanges the receiver ranking learns from where the shared MAESTRI file is on this
machine, and a first matching run, so that a newcomer's `make demo` shows proposals straight away.

The flows are read from ``data/flows.json``: one object per flow (a ``FlowSeed``), its ``fields`` set on
the ``ResourceFlow`` as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from helix.config import PROJECT_DIR, setting
from helix.registry.demo.records import read_json
from helix.registry.models import Organisation
from helix.symbiosis import matching, receivers
from helix.symbiosis.models import DocumentedExchange, ResourceFlow


@dataclass(frozen=True)
class FlowSeed:
    organisation: str  # slug of a sample organisation of the demo ecosystem
    title: str
    direction: str
    kind: str
    fields: dict[str, Any] = field(default_factory=dict)


DATA_DIR = Path(__file__).parent / "data"
FLOWS: tuple[FlowSeed, ...] = read_json(DATA_DIR / "flows.json", FlowSeed)


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
        exchanges = receivers.import_exchanges(path.read_text(encoding="utf-8-sig"), path.name)
    return {"created": created, "updated": updated, "exchanges": exchanges}


def load_demo_symbiosis() -> dict[str, Any]:
    report = load_demo_flows()
    report["matching"] = matching.run_matching()
    return report
