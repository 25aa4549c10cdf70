"""Matching haves with wants: hard rules with their reasons, compatibility evidence, distance, cost."""

from __future__ import annotations

from datetime import date

import pytest

from helix.core.matching.embedding import HashingEncoder
from helix.core.symbiosis import (
    Direction,
    Factors,
    Flow,
    FlowKind,
    HeatSide,
    InvalidFlow,
    MatchOptions,
    Quantity,
    ReceiverModel,
    match,
    read_exchanges,
)
from helix.core.symbiosis.geo import great_circle_km, road_km
from tests.helpers.exchanges import corpus

pytestmark = pytest.mark.unit

GHENT = (51.054, 3.717)
ANTWERP = (51.219, 4.402)
BRUGES = (51.209, 3.225)
LIEGE = (50.633, 5.567)


def have(id: str, where=GHENT, **kw) -> Flow:
    kw.setdefault("kind", FlowKind.MATERIAL)
    kw.setdefault("owner", f"o-{id}")
    return Flow(id=id, direction=Direction.HAVE, latitude=where[0], longitude=where[1], **kw)


def want(id: str, where=ANTWERP, **kw) -> Flow:
    kw.setdefault("kind", FlowKind.MATERIAL)
    kw.setdefault("owner", f"o-{id}")
    return Flow(id=id, direction=Direction.WANT, latitude=where[0], longitude=where[1], **kw)


def t(n: float) -> Quantity:
    return Quantity(n, "t", "year")


def test_road_distance_from_coordinates() -> None:
    km = great_circle_km(*GHENT, *ANTWERP)
    assert km == pytest.approx(50.4, abs=1.0)  # Ghent-Antwerp as the crow flies
    assert road_km(*GHENT, *ANTWERP) == pytest.approx(1.3 * km)
    assert great_circle_km(*GHENT, *GHENT) == 0


def test_the_same_waste_code_matches_with_distance_cost_and_reasons() -> None:
    flows = [
        have("slag", ewc=("100202",), quantity=t(1000), disposal_cost_eur_per_unit=100),
        want("cement", ewc=("100202",), quantity=t(600)),
    ]
    result = match(flows)
    [p] = result.proposals
    assert (p.have, p.want, p.compatibility) == ("slag", "cement", 1.0)
    assert p.quantity == 600
    assert p.unit == "t"
    assert p.have_share == pytest.approx(0.6)
    assert p.want_share == 1.0
    assert p.road_km == pytest.approx(road_km(*GHENT, *ANTWERP))
    tkm = 600 * p.road_km
    assert p.impact.transport_cost_eur == pytest.approx(tkm * 0.12)
    assert p.impact.money_saved_eur == pytest.approx(600 * 100 - tkm * 0.12)
    assert p.unit_cost_eur == pytest.approx(-p.impact.money_saved_eur / 600)
    assert p.impact.tonnes_diverted == 600
    assert p.impact.co2e_avoided_t == pytest.approx(600 * 0.4 - tkm * 0.107 / 1000)
    text = " ".join(p.reasons)
    assert "the same waste code 10 02 02" in text
    assert "km by road" in text
    assert "60% of the offer" in text
    assert any("end-of-waste" in f for f in p.flags)


def test_tonnes_are_not_matched_with_megawatt_hours_and_the_refusal_says_why() -> None:
    flows = [
        have("co2", kind=FlowKind.CO2, quantity=t(100)),
        want("greenhouse", kind=FlowKind.CO2, quantity=Quantity(1000, "m3", "year")),
    ]
    result = match(flows, options=MatchOptions(keep_refused=True))
    assert result.proposals == []
    [refusal] = result.refusals
    assert "quantities do not compare: t (mass) against m3 (volume)" in refusal.reason


def test_a_kind_refuses_a_unit_of_another_dimension() -> None:
    with pytest.raises(InvalidFlow, match=r"quantity: a material flow is measured in mass, volume, not MWh"):
        have("x", quantity=Quantity(5, "MWh", "year"))
    with pytest.raises(InvalidFlow, match="heat: a heat flow needs"):
        have("h", kind=FlowKind.HEAT)
    with pytest.raises(InvalidFlow, match="latitude 95"):
        Flow("bad", Direction.HAVE, FlowKind.MATERIAL, "o", 95, 3)


def test_hazardous_waste_goes_only_to_a_site_that_accepts_it() -> None:
    flows = [
        have("oil", ewc=("130205",), hazardous=True, quantity=t(50)),
        want("plain", ewc=("130205",), quantity=t(50)),
        want("permitted", ewc=("130205",), quantity=t(50), hazardous=True),
    ]
    result = match(flows, options=MatchOptions(keep_refused=True))
    assert [p.want for p in result.proposals] == ["permitted"]
    assert any("hazardous" in f and "2008/98/EC" in f for f in result.proposals[0].flags)
    assert [(r.want, "does not accept hazardous" in r.reason) for r in result.refusals] == [("plain", True)]


def test_too_far_and_not_at_the_same_time_are_refused() -> None:
    flows = [
        have("slag", ewc=("100202",), quantity=t(10), max_distance_km=80, available_until=date(2026, 6, 30)),
        want("far", where=LIEGE, ewc=("100202",), quantity=t(10)),
        want("later", where=BRUGES, ewc=("100202",), quantity=t(10), available_from=date(2027, 1, 1)),
        want("ok", where=BRUGES, ewc=("100202",), quantity=t(10)),
    ]
    result = match(flows, options=MatchOptions(keep_refused=True))
    assert [p.want for p in result.proposals] == ["ok"]
    reasons = {r.want: r.reason for r in result.refusals}
    assert "beyond the 80 km limit" in reasons["far"]
    assert reasons["later"] == "not available at the same time"


def test_quality_limits_are_checked() -> None:
    flows = [
        have("chips", ewc=("030105",), quantity=t(100), quality={"moisture_pct": 35}),
        want("boiler", ewc=("030105",), quantity=t(100), quality={"moisture_pct_max": 25}),
        want("panel", ewc=("030105",), quantity=t(100), quality={"moisture_pct_max": 40, "ash_pct_max": 2}),
    ]
    result = match(flows, options=MatchOptions(keep_refused=True))
    reasons = {r.want: r.reason for r in result.refusals}
    assert "moisture_pct 35 breaks the max of 25" in reasons["boiler"]
    assert "ash_pct: the offer does not state it" in reasons["panel"]
    assert result.proposals == []


def test_an_organisation_does_not_match_itself() -> None:
    flows = [
        have("a", ewc=("100202",), quantity=t(1), owner="same"),
        want("b", ewc=("100202",), quantity=t(1), owner="same"),
    ]
    assert match(flows).proposals == []


def test_codes_rank_entry_over_subchapter_over_chapter() -> None:
    flows = [
        have("slag", ewc=("100202",), quantity=t(100)),
        want("entry", ewc=("100202",), quantity=t(100)),
        want("sub", ewc=("100201",), quantity=t(100)),
        want("chapter", ewc=("100101",), quantity=t(100)),
        want("other", ewc=("200101",), quantity=t(100)),
    ]
    result = match(flows)
    assert [(p.want, p.compatibility) for p in result.proposals] == [
        ("entry", 1.0),
        ("sub", 0.6),
        ("chapter", 0.3),
    ]


def test_learned_receivers_and_descriptions_add_evidence() -> None:
    model = ReceiverModel.learn(read_exchanges(corpus()))
    flows = [
        have("slag", ewc=("100202",), nace=("2410",), quantity=t(100), description="slag"),
        want("cement", nace=("2351",), quantity=t(100), description="slag for clinker"),
        want("power", nace=("3511",), quantity=t(100), description="fuel"),
    ]
    result = match(flows, model=model, encoder=HashingEncoder())
    by_want = {p.want: p for p in result.proposals}
    assert (
        by_want["cement"].compatibility > by_want.get("power", by_want["cement"]).compatibility
        or "power" not in by_want
    )
    reasons = " ".join(by_want["cement"].reasons)
    assert "documented exchanges: the receiving industry (2351) scores 100%" in reasons
    assert "descriptions are" in reasons


def test_heat_matches_directly_or_with_a_heat_pump_or_not_at_all() -> None:
    near = (GHENT[0] + 0.02, GHENT[1])
    flows = [
        have("hot", kind=FlowKind.HEAT, heat=HeatSide(95, 60, 2, 8000)),
        have("warm", kind=FlowKind.HEAT, heat=HeatSide(60, 40, 2, 8000)),
        have("cold", kind=FlowKind.HEAT, heat=HeatSide(20, 10, 2, 8000)),
        want("greenhouse", where=near, kind=FlowKind.HEAT, heat=HeatSide(90, 60, 1, 6000)),
    ]
    result = match(flows, options=MatchOptions(keep_refused=True))
    by_have = {p.have: p for p in result.proposals}
    assert by_have["hot"].heat.fit.value == "direct"
    assert by_have["hot"].quantity == 6000
    assert by_have["warm"].heat.fit.value == "heat_pump"
    assert "needs a heat pump" in by_have["warm"].flags
    assert any("heat pump needed" in r for r in by_have["warm"].reasons)
    assert by_have["warm"].source_per_unit < 1
    assert "cold" not in by_have
    assert any(r.have == "cold" and "too cold" in r.reason for r in result.refusals)
    # money: heat sold at 50 EUR/MWh less the network; the heat pump also pays for electricity
    hot = by_have["hot"]
    assert hot.impact.money_saved_eur == pytest.approx(6000 * 50 - 6000 * hot.road_km * 1.5)
    assert hot.impact.co2e_avoided_t == pytest.approx(6000 * 0.203)


def test_heat_is_not_piped_across_the_country() -> None:
    flows = [
        have("hot", kind=FlowKind.HEAT, heat=HeatSide(95, 60, 2, 8000)),
        want("far", where=ANTWERP, kind=FlowKind.HEAT, heat=HeatSide(70, 40, 1, 6000)),
    ]
    result = match(flows, options=MatchOptions(keep_refused=True))
    assert result.proposals == []
    assert "beyond the 15 km limit" in result.refusals[0].reason


def test_staff_factors_change_the_estimate() -> None:
    flows = [have("s", ewc=("100202",), quantity=t(100)), want("c", ewc=("100202",), quantity=t(100))]
    cheap = match(flows, factors=Factors({"transport_cost_eur_per_tkm": 0.05})).proposals[0]
    dear = match(flows, factors=Factors({"transport_cost_eur_per_tkm": 0.50})).proposals[0]
    assert dear.impact.transport_cost_eur == pytest.approx(10 * cheap.impact.transport_cost_eur)
    with pytest.raises(KeyError):
        Factors({"no_such_factor": 1})
    with pytest.raises(ValueError, match="must not be negative"):
        Factors({"road_circuity": -1})


def test_top_per_have_limits_proposals_and_keeps_the_best() -> None:
    flows = [have("s", ewc=("100202",), quantity=t(100))]
    flows += [
        want(f"w{i}", where=(51.0 + i * 0.02, 4.0), ewc=("100202",), quantity=t(100)) for i in range(40)
    ]
    full = match(flows, options=MatchOptions(top_per_have=40))
    top = match(flows, options=MatchOptions(top_per_have=5))
    assert len(full.proposals) == 40
    assert [p.want for p in top.proposals] == [p.want for p in full.proposals[:5]]


def test_pairs_the_caller_refuses_are_never_proposed_and_never_take_a_place() -> None:
    """Confidentiality is the caller's rule (``pairable``); a refused pair leaves room for the next best."""
    import numpy as np

    flows = [have("s", ewc=("100202",), quantity=t(100))]
    flows += [want(f"w{i}", where=(51.0 + i * 0.02, 4.0), ewc=("100202",), quantity=t(100)) for i in range(8)]
    full = match(flows, options=MatchOptions(top_per_have=3))
    hidden = {p.want for p in full.proposals[:2]}  # the two best may not see the have

    def pairable(h: Flow, wants) -> np.ndarray:  # type: ignore[no-untyped-def]
        return np.array([w.id not in hidden for w in wants])

    kept = match(flows, options=MatchOptions(top_per_have=3), pairable=pairable)
    assert [p.want for p in kept.proposals] == [
        p.want for p in match(flows, options=MatchOptions(top_per_have=5)).proposals[2:5]
    ]
    explained = match(flows, options=MatchOptions(keep_refused=True), pairable=pairable)
    assert sorted((r.want, r.reason) for r in explained.refusals) == sorted(
        (w, "the owners may not see each other's flow") for w in hidden
    )
