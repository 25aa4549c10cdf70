"""Request and response bodies of the symbiosis API (``/api/symbiosis/``): resource flows, waste codes,
synergies, reports, impact factors and matching and allocation runs."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import field_validator

from helix.api.schemas.base import Input, finite
from helix.registry.models import Region

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
