"""Impact factors and the impact of an exchange: tonnes diverted, CO2e avoided, money saved.

Every number Helix uses to estimate impact is a :class:`Factor` with its unit and its source. The
defaults below are indicative values for Flanders/Belgium and Western Europe; the cluster's staff
edit them (Symbiosis > Impact factors) and every estimate is computed from the edited table. The
sources are listed in docs/impact-factors.md as well.

An exchange's impact, per year:

* material: ``tonnes diverted`` = tonnes exchanged (they no longer go to landfill or incineration);
  ``CO2e avoided`` = tonnes x (disposal emissions + avoided primary-material emissions) - transport
  emissions (tonnes x road km x truck factor); ``money saved`` = tonnes x (disposal cost avoided +
  purchase price avoided - treatment cost) - transport cost (tonnes x road km x cost per t.km);
* heat: ``CO2e avoided`` = MWh delivered x gas-boiler emissions - heat-pump electricity x grid
  emissions; ``money saved`` = MWh x heat price - electricity x electricity price - MWh x km x the
  heat-network cost;
* water: money from the water price and the pipe cost per m3.km; no CO2e;
* other kinds (infrastructure, logistics, personnel, CO2 as a gas): no generic factor; the impact is
  what the parties report on the synergy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Factor:
    key: str
    value: float
    unit: str
    label: str
    source: str


DEFAULT_FACTORS: tuple[Factor, ...] = (
    Factor(
        "road_circuity",
        1.3,
        "road km per great-circle km",
        "Road distance over straight-line distance",
        "Ballou, Rahardja & Sakai (2002), Selected country circuity factors for road travel distance "
        "estimation, Transportation Research Part A 36(9):843-848 (European countries about 1.2-1.4).",
    ),
    Factor(
        "transport_cost_eur_per_tkm",
        0.12,
        "EUR per tonne-km",
        "Road freight cost",
        "Indicative full-truckload road haulage rate in Western Europe (EUR 0.08-0.15 per t.km); "
        "replace with the cluster's haulier quotes.",
    ),
    Factor(
        "truck_kgco2e_per_tkm",
        0.107,
        "kg CO2e per tonne-km",
        "Road freight emissions",
        "UK DESNZ/DEFRA greenhouse-gas conversion factors 2023, freighting goods, HGV (all diesel), "
        "average laden, per tonne-km (about 0.107).",
    ),
    Factor(
        "disposal_cost_eur_per_t",
        120.0,
        "EUR per tonne",
        "Disposal cost avoided (landfill or incineration)",
        "Indicative gate fee plus environmental levy for industrial waste in Flanders (OVAM levies); "
        "a flow's own disposal cost, when given, is used instead.",
    ),
    Factor(
        "disposal_kgco2e_per_t",
        300.0,
        "kg CO2e per tonne",
        "Disposal emissions avoided",
        "Indicative mix of landfill and incineration of commercial and industrial waste, after "
        "UK DESNZ/DEFRA conversion factors (waste disposal); depends strongly on the material.",
    ),
    Factor(
        "primary_material_kgco2e_per_t",
        100.0,
        "kg CO2e per tonne",
        "Primary-material emissions avoided by a secondary material",
        "Indicative; aggregates and minerals are lower (10-50), metals and chemicals much higher. "
        "Set per cluster from its sector's life-cycle data.",
    ),
    Factor(
        "gas_boiler_kgco2e_per_mwh",
        203.0,
        "kg CO2e per MWh of heat",
        "Heat from a gas boiler",
        "Natural gas 0.183 kg CO2e per kWh (gross CV, UK DESNZ/DEFRA 2023) at 90 % boiler efficiency.",
    ),
    Factor(
        "grid_kgco2e_per_mwh",
        150.0,
        "kg CO2e per MWh of electricity",
        "Grid electricity",
        "Indicative Belgian grid average (EEA greenhouse-gas intensity of electricity generation, "
        "about 130-170 g per kWh in recent years).",
    ),
    Factor(
        "heat_price_eur_per_mwh",
        50.0,
        "EUR per MWh",
        "Heat purchase avoided",
        "Indicative industrial natural-gas price per MWh of heat; a want's own price, when given, "
        "is used instead.",
    ),
    Factor(
        "electricity_price_eur_per_mwh",
        150.0,
        "EUR per MWh",
        "Electricity price (heat pumps)",
        "Indicative industrial electricity price in Belgium.",
    ),
    Factor(
        "heat_network_eur_per_mwh_km",
        1.5,
        "EUR per MWh per km",
        "Heat network cost",
        "Indicative annualised cost of a heat pipe per MWh delivered per km of route; replace with "
        "a study's figure.",
    ),
    Factor(
        "water_price_eur_per_m3",
        2.0,
        "EUR per m3",
        "Water purchase avoided",
        "Indicative industrial water price in Flanders.",
    ),
    Factor(
        "water_transport_eur_per_m3_km",
        0.05,
        "EUR per m3 per km",
        "Water transport cost",
        "Indicative annualised pipe cost per m3 per km.",
    ),
)
DEFAULTS: dict[str, Factor] = {f.key: f for f in DEFAULT_FACTORS}


class Factors:
    """The factor table in force: the defaults with the staff's edits over them."""

    def __init__(self, overrides: dict[str, float] | None = None) -> None:
        self.table = dict(DEFAULTS)
        for key, value in (overrides or {}).items():
            if key not in self.table:
                raise KeyError(f"unknown impact factor {key!r}")
            if value < 0:
                raise ValueError(f"impact factor {key} must not be negative ({value})")
            self.table[key] = replace(self.table[key], value=float(value))

    def __getitem__(self, key: str) -> float:
        return self.table[key].value

    def as_dict(self) -> dict[str, float]:
        return {k: f.value for k, f in self.table.items()}


@dataclass(frozen=True)
class Impact:
    tonnes_diverted: float = 0.0
    co2e_avoided_t: float = 0.0
    money_saved_eur: float = 0.0
    transport_cost_eur: float = 0.0
    transport_co2e_t: float = 0.0
    energy_mwh: float = 0.0
    water_m3: float = 0.0

    def __add__(self, other: Impact) -> Impact:
        return Impact(**{k: getattr(self, k) + getattr(other, k) for k in self.__dataclass_fields__})

    def scaled(self, share: float) -> Impact:
        return Impact(**{k: getattr(self, k) * share for k in self.__dataclass_fields__})

    def as_dict(self) -> dict[str, Any]:
        return {k: round(getattr(self, k), 3) for k in self.__dataclass_fields__}


def material_impact(
    tonnes: float,
    road_km: float,
    factors: Factors,
    *,
    disposal_cost_eur_per_t: float | None = None,
    purchase_price_eur_per_t: float = 0.0,
    treatment_cost_eur_per_t: float = 0.0,
) -> Impact:
    disposal = (
        factors["disposal_cost_eur_per_t"] if disposal_cost_eur_per_t is None else disposal_cost_eur_per_t
    )
    tkm = tonnes * road_km
    transport_cost = tkm * factors["transport_cost_eur_per_tkm"]
    transport_co2 = tkm * factors["truck_kgco2e_per_tkm"] / 1000
    avoided = tonnes * (factors["disposal_kgco2e_per_t"] + factors["primary_material_kgco2e_per_t"]) / 1000
    money = tonnes * (disposal + purchase_price_eur_per_t - treatment_cost_eur_per_t) - transport_cost
    return Impact(tonnes, avoided - transport_co2, money, transport_cost, transport_co2)


def heat_impact(
    delivered_mwh: float,
    electricity_mwh: float,
    road_km: float,
    factors: Factors,
    *,
    heat_price_eur_per_mwh: float | None = None,
) -> Impact:
    price = factors["heat_price_eur_per_mwh"] if heat_price_eur_per_mwh is None else heat_price_eur_per_mwh
    network = delivered_mwh * road_km * factors["heat_network_eur_per_mwh_km"]
    avoided = (
        delivered_mwh * factors["gas_boiler_kgco2e_per_mwh"]
        - electricity_mwh * factors["grid_kgco2e_per_mwh"]
    ) / 1000
    money = delivered_mwh * price - electricity_mwh * factors["electricity_price_eur_per_mwh"] - network
    return Impact(0.0, avoided, money, network, 0.0, delivered_mwh)


def water_impact(
    m3: float, road_km: float, factors: Factors, *, price_eur_per_m3: float | None = None
) -> Impact:
    price = factors["water_price_eur_per_m3"] if price_eur_per_m3 is None else price_eur_per_m3
    transport = m3 * road_km * factors["water_transport_eur_per_m3_km"]
    return Impact(0.0, 0.0, m3 * price - transport, transport, 0.0, 0.0, m3)


def reported_impact(
    reported: float,
    proposed: float | None,
    estimate: dict[str, float],
    co2e_avoided_t: float | None = None,
    money_saved_eur: float | None = None,
) -> tuple[float, float]:
    """The CO2e avoided (t) and money saved (EUR) of a realised synergy's report: the figures its
    parties state, else the proposal's ``estimate`` in the share the ``reported`` quantity is of the
    ``proposed`` one (in the same unit; none where the proposal stated no quantity)."""
    share = reported / proposed if proposed else 0.0
    co2e = co2e_avoided_t if co2e_avoided_t is not None else share * estimate.get("co2e_avoided_t", 0.0)
    money = money_saved_eur if money_saved_eur is not None else share * estimate.get("money_saved_eur", 0.0)
    return co2e, money
