"""A generated industrial region: sites in Flanders with waste, heat, water and other flows.

Deterministic for a seed. Sites cluster around a few industrial zones (ports, canals); each site has an
industry (NACE class) and offers or needs flows typical enough to produce compatible pairs: wastes of
a set of common European List of Waste codes with receivers asking for the same, a neighbouring or
an unrelated code; heat at realistic temperatures; quantities log-normal over three orders of
magnitude.
"""

from __future__ import annotations

import numpy as np

from helix.core.symbiosis import Direction, Flow, FlowKind, HeatSide, Quantity

ZONES = [  # (lat, lon, weight): Antwerp port, Ghent canal zone, Genk, Liège, Kortrijk, Brussels
    (51.28, 4.33, 0.30),
    (51.10, 3.77, 0.20),
    (50.97, 5.50, 0.12),
    (50.63, 5.57, 0.13),
    (50.83, 3.27, 0.10),
    (50.85, 4.35, 0.15),
]
EWC = [
    "100202",
    "100201",
    "100102",
    "100101",
    "100115",
    "020304",
    "020704",
    "020103",
    "030105",
    "030301",
    "030311",
    "170107",
    "170201",
    "170504",
    "170802",
    "190805",
    "190902",
    "150101",
    "150102",
    "150103",
    "160103",
    "200108",
    "200138",
    "200139",
    "120101",
    "120102",
    "101112",
    "060204",
    "070213",
    "200125",
]
HAZARDOUS_EWC = ["130205", "070104", "160601", "100104"]
NACE = [
    "2410",
    "2351",
    "2361",
    "3511",
    "2014",
    "2013",
    "2015",
    "1011",
    "1051",
    "1107",
    "1712",
    "2222",
    "3821",
    "3832",
    "4211",
    "4120",
    "0111",
    "0150",
    "2011",
    "2311",
    "1920",
    "1610",
    "3600",
    "2059",
]
WORDS = {
    "100202": "unprocessed steel slag",
    "100201": "slag processing waste",
    "100102": "coal fly ash",
    "100101": "bottom ash from boiler",
    "100115": "bottom ash from co-incineration",
    "020304": "spent grains unsuitable for consumption",
    "020704": "distillery residues",
    "020103": "plant tissue waste",
    "030105": "sawdust and wood shavings",
    "030301": "bark and wood waste",
    "030311": "paper sludge from effluent treatment",
    "170107": "concrete and brick rubble",
    "170201": "waste wood from construction",
    "170504": "soil and stones",
    "170802": "gypsum board",
    "190805": "sewage sludge",
    "190902": "sludge from water clarification",
    "150101": "cardboard packaging",
    "150102": "plastic packaging film",
    "150103": "wooden pallets",
    "160103": "end-of-life tyres",
    "200108": "biodegradable kitchen waste",
    "200138": "wood",
    "200139": "plastics",
    "120101": "ferrous filings",
    "120102": "ferrous metal dust",
    "101112": "waste glass cullet",
    "060204": "sodium hydroxide solution",
    "070213": "waste plastic",
    "200125": "used cooking oil",
    "130205": "used engine oil",
    "070104": "spent solvents",
    "160601": "lead batteries",
    "100104": "oil fly ash",
}


def generate_region(n_flows: int = 10_000, n_sites: int = 2_000, seed: int = 7) -> list[Flow]:
    rng = np.random.default_rng(seed)
    zone = rng.choice(len(ZONES), size=n_sites, p=np.array([z[2] for z in ZONES]) / sum(z[2] for z in ZONES))
    lat = np.array([ZONES[z][0] for z in zone]) + rng.normal(0, 0.08, n_sites)
    lon = np.array([ZONES[z][1] for z in zone]) + rng.normal(0, 0.12, n_sites)
    nace = rng.choice(NACE, size=n_sites)
    flows: list[Flow] = []
    kinds = [FlowKind.MATERIAL] * 70 + [FlowKind.HEAT] * 15 + [FlowKind.WATER] * 7 + [FlowKind.LOGISTICS] * 4
    kinds += [FlowKind.INFRASTRUCTURE] * 2 + [FlowKind.PERSONNEL] * 2
    for i in range(n_flows):
        site = int(rng.integers(n_sites))
        direction = Direction.HAVE if rng.random() < 0.5 else Direction.WANT
        kind = kinds[int(rng.integers(len(kinds)))]
        common = {
            "id": f"f{i}",
            "direction": direction,
            "kind": kind,
            "owner": f"org{site // 2}",
            "latitude": float(np.clip(lat[site], 49.6, 51.5)),
            "longitude": float(np.clip(lon[site], 2.5, 6.4)),
            "nace": (str(nace[site]),),
            "site": f"site{site}",
        }
        if kind is FlowKind.MATERIAL:
            hazardous = rng.random() < 0.05
            code = str(rng.choice(HAZARDOUS_EWC if hazardous else EWC))
            if direction is Direction.WANT and rng.random() < 0.3:  # wants often name a related code
                code = code[:4] + str(rng.choice(["01", "02", "03", "04"]))
            tonnes = float(np.round(np.exp(rng.normal(6.0, 1.3)), 1))
            flows.append(
                Flow(
                    **common,
                    quantity=Quantity(tonnes, "t", "year"),
                    ewc=(code,),
                    description=WORDS.get(code, "industrial residue"),
                    hazardous=hazardous,
                    disposal_cost_eur_per_unit=float(rng.uniform(60, 180))
                    if direction is Direction.HAVE
                    else None,
                    price_eur_per_unit=float(rng.uniform(0, 40)) if direction is Direction.WANT else None,
                    treatment_cost_eur_per_unit=float(rng.uniform(0, 20))
                    if direction is Direction.WANT
                    else 0.0,
                )
            )
        elif kind is FlowKind.HEAT:
            supply = float(rng.choice([45, 60, 75, 90, 120, 150]))
            heat = HeatSide(
                supply,
                supply - float(rng.choice([15, 20, 30])),
                float(np.round(np.exp(rng.normal(0.5, 1.0)), 2)),
                float(rng.choice([4000, 6000, 8000])),
            )
            flows.append(
                Flow(
                    **common,
                    heat=heat,
                    description="residual heat" if direction is Direction.HAVE else "process heat",
                )
            )
        elif kind is FlowKind.WATER:
            m3 = float(np.round(np.exp(rng.normal(9.0, 1.0))))
            flows.append(Flow(**common, quantity=Quantity(m3, "m3", "year"), description="process water"))
        else:
            unit = {"logistics": "pallets", "infrastructure": "days", "personnel": "FTE"}[kind.value]
            amount = float(rng.integers(1, 50))
            text = {
                "logistics": "warehouse pallet places",
                "infrastructure": "test hall days",
                "personnel": "maintenance technicians",
            }[kind.value]
            flows.append(Flow(**common, quantity=Quantity(amount, unit, "year"), description=text))
    return flows
