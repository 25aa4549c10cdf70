"""Resource flows as plain data: what a site offers ("have") or needs ("want")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .geo import check_coordinates
from .heat import HeatSide
from .units import Dimension, Quantity, UnitError


class Direction(StrEnum):
    HAVE = "have"
    WANT = "want"


class FlowKind(StrEnum):
    MATERIAL = "material"  # waste or by-product, with its European List of Waste code
    HEAT = "heat"  # residual heat: supply and return temperature, power, hours per year
    WATER = "water"
    CO2 = "co2"
    INFRASTRUCTURE = "infrastructure"  # infrastructure or test facility
    LOGISTICS = "logistics"  # transport or storage capacity
    PERSONNEL = "personnel"  # people or skills


# Dimensions a kind's quantity may have; the first is the usual one.
KIND_DIMENSIONS: dict[FlowKind, tuple[Dimension, ...]] = {
    FlowKind.MATERIAL: (Dimension.MASS, Dimension.VOLUME),
    FlowKind.HEAT: (Dimension.ENERGY, Dimension.POWER),  # energy per period, or power (with hours)
    FlowKind.WATER: (Dimension.VOLUME,),
    FlowKind.CO2: (Dimension.MASS, Dimension.VOLUME),
    FlowKind.INFRASTRUCTURE: (Dimension.COUNT, Dimension.AREA),
    FlowKind.LOGISTICS: (Dimension.COUNT, Dimension.MASS, Dimension.VOLUME, Dimension.AREA),
    FlowKind.PERSONNEL: (Dimension.COUNT,),
}

# How far (road km) an exchange of each kind is worth considering unless a flow says otherwise.
DEFAULT_MAX_KM: dict[FlowKind, float] = {
    FlowKind.MATERIAL: 250.0,
    FlowKind.HEAT: 15.0,
    FlowKind.WATER: 30.0,
    FlowKind.CO2: 150.0,
    FlowKind.INFRASTRUCTURE: 100.0,
    FlowKind.LOGISTICS: 150.0,
    FlowKind.PERSONNEL: 60.0,
}


class InvalidFlow(ValueError):
    """A flow that cannot be matched as it stands; the message names the field."""


@dataclass(frozen=True)
class Flow:
    id: str
    direction: Direction
    kind: FlowKind
    owner: str  # opaque: an organisation id; never shown by the core
    latitude: float
    longitude: float
    quantity: Quantity | None = None
    description: str = ""
    ewc: tuple[str, ...] = ()  # six-digit codes, no markers
    nace: tuple[str, ...] = ()  # the owner's industry, NACE digits ("2410")
    hazardous: bool = False  # a have: the waste is hazardous; a want: the site may accept hazardous waste
    heat: HeatSide | None = None
    available_from: date | None = None
    available_until: date | None = None
    max_distance_km: float | None = None
    quality: dict[str, float] = field(default_factory=dict)  # have: "moisture_pct"; want: "moisture_pct_max"
    disposal_cost_eur_per_unit: float | None = None  # a have: what disposal costs its owner today
    price_eur_per_unit: float | None = None  # a want: what it pays for the resource today
    treatment_cost_eur_per_unit: float = 0.0  # a want: preparing the secondary material for use
    site: str = ""
    form: str = ""  # physical form (quality.PhysicalForm): a have's own; a want's only accepted one
    # A lead whose figures are not stated yet (read from a need or an offer of the market): a heat flow
    # may come without temperatures or power; matching proposes it and says what to confirm.
    provisional: bool = False

    def __post_init__(self) -> None:
        try:
            check_coordinates(self.latitude, self.longitude)
        except ValueError as exc:
            raise InvalidFlow(f"flow {self.id}: site coordinates: {exc}") from None
        if self.quantity is not None and self.quantity.dimension not in KIND_DIMENSIONS[self.kind]:
            allowed = ", ".join(d.value for d in KIND_DIMENSIONS[self.kind])
            raise InvalidFlow(
                f"flow {self.id}: quantity: a {self.kind.value} flow is measured in {allowed}, "
                f"not {self.quantity.unit} ({self.quantity.dimension.value})"
            )
        if self.kind is FlowKind.HEAT and self.heat is None and not self.provisional:
            raise InvalidFlow(f"flow {self.id}: heat: a heat flow needs its temperatures, power and hours")
        if self.available_from and self.available_until and self.available_until < self.available_from:
            raise InvalidFlow(
                f"flow {self.id}: available until {self.available_until} is before {self.available_from}"
            )
        if self.max_distance_km is not None and self.max_distance_km <= 0:
            raise InvalidFlow(f"flow {self.id}: max distance must be positive")

    @property
    def per_year(self) -> float:
        """Quantity per year in the base unit of its dimension (heat: MWh from power x hours)."""
        if self.kind is FlowKind.HEAT and self.heat is not None:
            return self.heat.energy_mwh
        if self.quantity is None:
            return 0.0
        return self.quantity.per_year()

    @property
    def dimension(self) -> Dimension | None:
        if self.kind is FlowKind.HEAT:
            return Dimension.ENERGY
        return self.quantity.dimension if self.quantity is not None else None


def quality_problems(have: Flow, want: Flow) -> list[str]:
    """The want's ``*_max`` / ``*_min`` limits that the have's attributes break (or do not state), and
    its physical form where the have's differs (or is not stated)."""
    return [text for _code, _args, text in quality_problem_codes(have, want)]


def quality_problem_codes(have: Flow, want: Flow) -> list[tuple[str, dict[str, object], str]]:
    """:func:`quality_problems` as (code, arguments, English text), for readers in other languages."""
    problems: list[tuple[str, dict[str, object], str]] = []
    if want.form and have.form != want.form:
        if not have.form:
            text = f"form: the offer does not state it (needed {want.form})"
            problems.append(("quality.form_unstated", {"needed": want.form}, text))
        else:
            text = f"form {have.form}, but the need takes {want.form}"
            problems.append(("quality.form", {"form": have.form, "needed": want.form}, text))
    for key, limit in sorted(want.quality.items()):
        for suffix in ("_max", "_min"):
            if key.endswith(suffix):
                name = key[: -len(suffix)]
                value = have.quality.get(name)
                args: dict[str, object] = {"name": name, "limit": suffix[1:], "needed": limit}
                if value is None:
                    text = f"{name}: the offer does not state it (needed {suffix[1:]} {limit:g})"
                    problems.append(("quality.unstated", args, text))
                elif (value > limit) if suffix == "_max" else (value < limit):
                    text = f"{name} {value:g} breaks the {suffix[1:]} of {limit:g}"
                    problems.append((f"quality.{suffix[1:]}", {**args, "value": value}, text))
    return problems


__all__ = [
    "DEFAULT_MAX_KM",
    "KIND_DIMENSIONS",
    "Direction",
    "Flow",
    "FlowKind",
    "InvalidFlow",
    "UnitError",
    "quality_problem_codes",
    "quality_problems",
]
