"""One pair that passed the matcher's vectorised rules, checked and scored: a proposal or a refusal.

The pair gets a *compatibility* in [0, 1] from the evidence available (weights renormalised over what
is there): the waste codes (same EWC entry 1, same sub-chapter 0.6, same chapter 0.3), the receiver
ranking learned from documented exchanges and the similarity of the two descriptions; heat pairs from
the heat rules (see :mod:`.heat`). Quality limits, a source too cold and a compatibility below the
threshold refuse the pair. The score multiplies compatibility by how much of the smaller side the
exchange covers and by a distance decay; quantity, impact, unit cost, reasons and flags (each also as a
code with arguments) come with it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .flows import DEFAULT_MAX_KM, Flow, FlowKind, quality_problem_codes
from .heat import HeatFit, HeatVerdict, heat_fit
from .impact import Factors, Impact, heat_impact, material_impact, water_impact
from .proposals import MatchOptions, MatchResult, Proposal, refuse
from .units import BASE_UNIT, Dimension

CODE_WEIGHT, LEARNED_WEIGHT, TEXT_WEIGHT = 0.45, 0.35, 0.20


def _code_score(have_codes: Sequence[str], want_codes: Sequence[str]) -> tuple[float, str]:
    best, why = 0.0, ""
    for h in have_codes:
        for w in want_codes:
            if h == w:
                return 1.0, f"the same waste code {h[:2]} {h[2:4]} {h[4:]}"
            if h[:4] == w[:4] and best < 0.6:
                best, why = 0.6, f"the same EWC sub-chapter {h[:2]} {h[2:4]}"
            elif h[:2] == w[:2] and best < 0.3:
                best, why = 0.3, f"the same EWC chapter {h[:2]}"
    return best, why


def propose(
    have: Flow,
    want: Flow,
    km: float,
    factors: Factors,
    vectors: dict[str, npt.NDArray[np.float32]],
    learned: npt.NDArray[np.float64] | None,
    labels: list[int] | None,
    result: MatchResult,
    options: MatchOptions,
) -> Proposal | None:
    reasons: list[str] = []
    flags: list[str] = []
    reason_codes: list[tuple[str, dict[str, object]]] = []
    flag_codes: list[tuple[str, dict[str, object]]] = []

    def say(key: str, text: str, **args: object) -> None:
        reasons.append(text)
        reason_codes.append((key, args))

    def flag(key: str, text: str, **args: object) -> None:
        flags.append(text)
        flag_codes.append((key, args))

    problems = quality_problem_codes(have, want)
    if problems:
        text = "quality: " + "; ".join(p[2] for p in problems)
        refuse(result, options, have, want, text, "quality", {"problems": [[c, a] for c, a, _t in problems]})
        return None
    evidence: list[tuple[float, float]] = []  # (weight, value)
    if have.kind is FlowKind.MATERIAL and have.ewc and want.ewc:
        code, why = _code_score(have.ewc, want.ewc)
        evidence.append((CODE_WEIGHT, code))
        level = {1.0: "code.same", 0.6: "code.subchapter", 0.3: "code.chapter"}.get(code, "code.differ")
        shown = " ".join(re.findall(r"\d\d", why))
        say(level, f"waste code: {why}" if why else "waste codes differ in chapter", code=shown)
    if learned is not None and labels and want.nace:  # an industry the exchanges never mention: no evidence
        value = float(learned[labels].max())
        evidence.append((LEARNED_WEIGHT, value))
        say(
            "learned",
            f"documented exchanges: the receiving industry ({', '.join(want.nace)}) scores {value:.0%} "
            "of the most likely receiver of this waste",
            nace=", ".join(want.nace),
            share=value,
        )
    hv, wv = vectors.get(have.id), vectors.get(want.id)
    if hv is not None and wv is not None:
        sim = max(0.0, float(hv @ wv))
        evidence.append((TEXT_WEIGHT, sim))
        say("text", f"descriptions are {sim:.0%} alike", share=sim)
    verdict: HeatVerdict | None = None
    source_per_unit = 1.0
    if have.kind is FlowKind.HEAT and have.heat is not None and want.heat is not None:
        verdict = heat_fit(have.heat, want.heat)
        if verdict.fit is HeatFit.TOO_COLD:
            refuse(result, options, have, want, verdict.reasons[0], "too_cold", dict(verdict.codes[0][1]))
            return None
        evidence.append((CODE_WEIGHT, 1.0 if verdict.fit is HeatFit.DIRECT else 0.7))
        for text, (code_name, args) in zip(verdict.reasons, verdict.codes, strict=True):
            say(code_name, text, **args)
        if verdict.fit is HeatFit.HEAT_PUMP:
            flag("flag.heat_pump", "needs a heat pump")
            assert verdict.cop is not None
            source_per_unit = (verdict.cop - 1.0) / verdict.cop
    elif have.kind is FlowKind.HEAT:  # a lead from the market: its temperatures or power are not stated
        side = "have" if have.heat is None else "want"
        say(
            f"heat.unstated_{side}",
            f"the {'offer' if side == 'have' else 'need'} states no temperature or power yet: "
            "whether the heat is hot enough is not checked",
        )
        evidence.append((CODE_WEIGHT, 0.5))  # temperatures unknown: an even chance, not a text guess
    if not evidence:
        compatibility = 0.5  # same kind, nothing else known: a lead for the officer, not a match
        say("nothing_known", "same kind of resource; no codes or descriptions to compare")
    else:
        compatibility = sum(w * v for w, v in evidence) / sum(w for w, _ in evidence)
    if compatibility < options.min_compatibility:
        text = f"compatibility {compatibility:.0%} is below the threshold"
        refuse(result, options, have, want, text, "low_compatibility", {"share": compatibility})
        return None

    dimension = have.dimension or want.dimension or Dimension.COUNT
    unit = BASE_UNIT[dimension]
    have_q, want_q = have.per_year, want.per_year
    if verdict is not None and (verdict.delivered_mwh or not (have.provisional or want.provisional)):
        quantity = verdict.delivered_mwh
    elif verdict is not None:  # a lead from the market states its temperature but not its energy
        quantity = have_q or want_q
    elif have_q and want_q:
        quantity = min(have_q, want_q)
    else:
        quantity = have_q or want_q
    have_share = min(1.0, quantity * source_per_unit / have_q) if have_q else 0.0
    want_share = min(1.0, quantity / want_q) if want_q else 0.0
    if have_q and want_q:
        say(
            "quantity",
            f"quantity: {quantity:,.0f} {unit}/year exchangeable, {have_share:.0%} of the offer and "
            f"{want_share:.0%} of the need",
            quantity=quantity,
            unit=unit,
            have_share=have_share,
            want_share=want_share,
        )

    if have.kind is FlowKind.MATERIAL and dimension is Dimension.MASS:
        impact = material_impact(
            quantity,
            km,
            factors,
            disposal_cost_eur_per_t=have.disposal_cost_eur_per_unit,
            purchase_price_eur_per_t=want.price_eur_per_unit or 0.0,
            treatment_cost_eur_per_t=want.treatment_cost_eur_per_unit,
        )
        say(
            "road.transport",
            f"{km:,.0f} km by road: transport EUR {impact.transport_cost_eur:,.0f} a year "
            f"({factors['transport_cost_eur_per_tkm']:g} EUR per t.km)",
            km=km,
            cost=impact.transport_cost_eur,
            rate=factors["transport_cost_eur_per_tkm"],
        )
    elif have.kind is FlowKind.HEAT and verdict is None:
        impact = Impact()  # figures to confirm: no estimate
        say("heat.network", f"{km:,.1f} km of heat network", km=km)
    elif verdict is not None:
        impact = heat_impact(
            verdict.delivered_mwh,
            verdict.electricity_mwh,
            km,
            factors,
            heat_price_eur_per_mwh=want.price_eur_per_unit,
        )
        say("heat.network", f"{km:,.1f} km of heat network", km=km)
    elif have.kind is FlowKind.WATER and dimension is Dimension.VOLUME:
        impact = water_impact(quantity, km, factors, price_eur_per_m3=want.price_eur_per_unit)
        say("water.pipe", f"{km:,.0f} km of pipe", km=km)
    else:
        impact = Impact()
        say("road", f"{km:,.0f} km by road", km=km)
    if have.hazardous:
        flag(
            "flag.hazardous",
            "hazardous waste: transfer needs a permitted receiver and notification (EU Waste Framework "
            "Directive 2008/98/EC, art. 17-19; regional waste regulations)",
        )
    if have.provisional or want.provisional:
        flag(
            "flag.from_market",
            "read from a need or an offer under Needs & offers: confirm the figures with its owner",
        )
    if have.kind is FlowKind.MATERIAL:
        flag(
            "flag.waste_status",
            "waste status: check end-of-waste or by-product criteria (Directive 2008/98/EC, art. 5-6)",
        )
    unit_cost = -impact.money_saved_eur / quantity if quantity > 0 else 0.0
    fit = min(have_share, want_share) if have_q and want_q else 0.5
    limit = min(
        want.max_distance_km or DEFAULT_MAX_KM[have.kind], have.max_distance_km or DEFAULT_MAX_KM[have.kind]
    )
    score = compatibility * (0.5 + 0.5 * fit) * float(np.exp(-km / limit))
    return Proposal(
        have.id,
        want.id,
        have.kind,
        round(score, 6),
        round(compatibility, 6),
        quantity,
        unit,
        have_share,
        want_share,
        km,
        impact,
        unit_cost,
        verdict,
        tuple(flags),
        tuple(reasons),
        source_per_unit,
        tuple(reason_codes),
        tuple(flag_codes),
    )
