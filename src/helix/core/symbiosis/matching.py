"""Proposals: which want each have could serve, how well, at what distance and cost, and why.

For every pair of a have and a want of the same kind the matcher applies the hard rules first (each
refusal has a reason, kept when ``keep_refused`` is set, for the "why not?" question):

* the same kind (waste with waste, heat with heat, ...) and quantities of the same dimension:
  tonnes are never compared with megawatt-hours;
* availability windows overlap;
* a hazardous waste goes only to a want that accepts hazardous waste;
* the want's quality limits (``moisture_pct_max``...) hold for what the have states;
* the road distance is within both flows' limits (or the kind's default);
* heat: the source is hot enough, directly or with a heat pump (see :mod:`.heat`).

A pair that passes gets a *compatibility* in [0, 1] from the evidence available (weights renormalised
over what is there): the waste codes (same EWC entry 1, same sub-chapter 0.6, same chapter 0.3), the
receiver ranking learned from documented exchanges (how likely the want's industry takes this waste,
relative to the most likely industry) and the similarity of the two descriptions. The proposal's
*score* multiplies compatibility by how much of the smaller side the exchange covers and by a
distance decay. Quantity fit, distance, transport cost and the impact estimate come with it, and the
reasons list says all of this in words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from helix.core.matching.embedding import TextEncoder

from .exchanges import WasteQuery
from .flows import DEFAULT_MAX_KM, Direction, Flow, FlowKind, quality_problem_codes
from .geo import great_circle_matrix
from .heat import HeatFit, HeatVerdict, heat_fit
from .impact import Factors, Impact, heat_impact, material_impact, water_impact
from .receivers import ReceiverModel
from .units import BASE_UNIT, Dimension

CODE_WEIGHT, LEARNED_WEIGHT, TEXT_WEIGHT = 0.45, 0.35, 0.20


@dataclass(frozen=True)
class Proposal:
    have: str
    want: str
    kind: FlowKind
    score: float
    compatibility: float
    quantity: float  # exchangeable per year, in ``unit``
    unit: str
    have_share: float  # of the have's quantity
    want_share: float  # of the want's quantity
    road_km: float
    impact: Impact
    unit_cost_eur: float  # per unit exchanged: transport + treatment - avoided cost (negative = saves)
    heat: HeatVerdict | None = None
    flags: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    source_per_unit: float = 1.0  # units of the have used per unit delivered (heat pumps use less)
    # reasons and flags again as (code, arguments), for readers in other languages
    reason_codes: tuple[tuple[str, dict[str, object]], ...] = ()
    flag_codes: tuple[tuple[str, dict[str, object]], ...] = ()


@dataclass(frozen=True)
class Refusal:
    have: str
    want: str
    reason: str
    # the reason as a code with its arguments (see REFUSAL_CODES), for readers in other languages
    code: str = ""
    args: dict[str, object] = field(default_factory=dict)


# Why a pair is refused, as :attr:`Refusal.code` says it.
REFUSAL_CODES = (
    "hidden",  # the owners may not see each other's flow (never shown: it would tell that the flow exists)
    "unit_mismatch",  # quantities of different dimensions (tonnes against MWh)
    "hazardous",  # hazardous waste, and the want's site does not accept it
    "too_far",  # beyond the road distance limit
    "not_same_time",  # availability windows do not overlap
    "same_organisation",
    "quality",  # a quality limit or the physical form
    "too_cold",  # heat: even a heat pump cannot lift the source to the demand
    "low_compatibility",
)


@dataclass
class MatchResult:
    proposals: list[Proposal] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    pairs_considered: int = 0


@dataclass(frozen=True)
class MatchOptions:
    top_per_have: int = 10
    min_compatibility: float = 0.25
    keep_refused: bool = False
    chunk: int = 512


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


def _refuse(
    result: MatchResult,
    options: MatchOptions,
    have: Flow,
    want: Flow,
    reason: str,
    code: str = "",
    args: dict[str, object] | None = None,
) -> None:
    if options.keep_refused:
        result.refusals.append(Refusal(have.id, want.id, reason, code, dict(args or {})))


def match(
    flows: Sequence[Flow],
    *,
    factors: Factors | None = None,
    model: ReceiverModel | None = None,
    encoder: TextEncoder | None = None,
    options: MatchOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
    pairable: Callable[[Flow, Sequence[Flow]], npt.NDArray[np.bool_]] | None = None,
) -> MatchResult:
    """Proposals for every have among ``flows``, best first per have, at most ``top_per_have`` each.

    ``pairable(have, wants)``, where given, says for each of ``wants`` (a list of one kind) whether the
    two may be paired at all: the caller's confidentiality rule (each side's owner may see the other's
    flow). Pairs it refuses are left out before anything else, so they never take a proposal's place.
    """
    factors = factors or Factors()
    options = options or MatchOptions()
    circuity = factors["road_circuity"]
    result = MatchResult()
    haves = [f for f in flows if f.direction is Direction.HAVE]
    wants = [f for f in flows if f.direction is Direction.WANT]
    vectors: dict[str, npt.NDArray[np.float32]] = {}
    if encoder is not None:
        texted = [f for f in flows if f.description.strip()]
        if texted:
            encoded = encoder.encode([f.description for f in texted])
            vectors = {f.id: encoded[i] for i, f in enumerate(texted)}
    done = 0
    for kind in FlowKind:
        kh = [h for h in haves if h.kind is kind]
        kw = [w for w in wants if w.kind is kind]
        if not kh or not kw:
            done += len(kh)
            continue
        w_lat = np.array([w.latitude for w in kw])
        w_lon = np.array([w.longitude for w in kw])
        w_max = np.array([w.max_distance_km or DEFAULT_MAX_KM[kind] for w in kw])
        w_dim = np.array([(w.dimension.value if w.dimension else "") for w in kw])
        w_from = np.array([w.available_from.toordinal() if w.available_from else -1 for w in kw])
        w_until = np.array([w.available_until.toordinal() if w.available_until else 10**9 for w in kw])
        w_haz = np.array([w.hazardous for w in kw])
        w_q = np.array([w.per_year for w in kw])
        w_codes = _code_matrix([w.ewc for w in kw])
        w_vec = None
        if vectors:
            dim = next(iter(vectors.values())).shape[0]
            w_vec = np.stack([vectors.get(w.id, np.zeros(dim, dtype=np.float32)) for w in kw])
        w_has_vec = np.array([w.id in vectors for w in kw])
        label_sets: list[list[int]] = []
        if model is not None and kind is FlowKind.MATERIAL:
            label_sets = [model.labels_for(w.nace) for w in kw]
        label_matrix = _pad(label_sets) if label_sets else None
        for start in range(0, len(kh), options.chunk):
            block = kh[start : start + options.chunk]
            km = circuity * great_circle_matrix(
                np.array([h.latitude for h in block]), np.array([h.longitude for h in block]), w_lat, w_lon
            )
            for bi, have in enumerate(block):
                row = km[bi]
                limit = np.minimum(w_max, have.max_distance_km or DEFAULT_MAX_KM[kind])
                h_dim = have.dimension.value if have.dimension else ""
                h_from = have.available_from.toordinal() if have.available_from else -1
                h_until = have.available_until.toordinal() if have.available_until else 10**9
                ok = (row <= limit) & (w_from <= h_until) & (h_from <= w_until)
                ok &= (w_dim == h_dim) | (w_dim == "") | (h_dim == "")
                if have.hazardous:
                    ok &= w_haz
                hidden: npt.NDArray[np.bool_] | None = None
                if pairable is not None:
                    hidden = ok & ~np.asarray(pairable(have, kw), dtype=bool)
                    ok &= ~hidden
                result.pairs_considered += len(kw)
                if options.keep_refused:
                    if hidden is not None:
                        for j in np.flatnonzero(hidden):
                            text = "the owners may not see each other's flow"
                            _refuse(result, options, have, kw[j], text, "hidden")
                    for j in np.flatnonzero(~ok & ~hidden if hidden is not None else ~ok):
                        code, args, text = _why_not(have, kw[j], float(row[j]), float(limit[j]))
                        _refuse(result, options, have, kw[j], text, code, args)
                candidates = np.flatnonzero(ok)
                if not len(candidates):
                    continue
                learned: npt.NDArray[np.float64] | None = None
                if label_sets and (have.ewc or have.description or have.nace):
                    q = WasteQuery(provider_nace=have.nace, ewc=have.ewc, description=have.description)
                    qv = vectors.get(have.id) if model is not None and model.encoder is encoder else None
                    probs = model.scores(q, query_vector=qv) if model else None
                    if probs is not None and probs.max() > 0:
                        learned = probs / probs.max()
                if not options.keep_refused and len(candidates) > 3 * options.top_per_have:
                    candidates = _pre_rank(
                        have,
                        candidates,
                        row,
                        limit,
                        w_q,
                        w_codes,
                        w_vec,
                        w_has_vec,
                        vectors,
                        learned,
                        label_matrix,
                        3 * options.top_per_have,
                    )
                own: list[Proposal] = []
                for j in candidates:
                    want = kw[j]
                    if have.owner == want.owner and have.owner:
                        _refuse(result, options, have, want, "the same organisation", "same_organisation")
                        continue
                    proposal = _propose(
                        have,
                        want,
                        float(row[j]),
                        factors,
                        vectors,
                        learned,
                        label_sets[j] if label_sets else None,
                        result,
                        options,
                    )
                    if proposal is not None:
                        own.append(proposal)
                own.sort(key=lambda p: (-p.score, p.road_km, p.want))
                result.proposals.extend(own[: options.top_per_have])
            done += len(block)
            if progress is not None:
                progress(done, len(haves))
    return result


def _why_not(have: Flow, want: Flow, km: float, limit: float) -> tuple[str, dict[str, object], str]:
    """Why a pair fails the hard rules checked for all wants at once: (code, arguments, English text)."""
    if have.dimension and want.dimension and have.dimension is not want.dimension:
        have_unit, want_unit = BASE_UNIT[have.dimension], BASE_UNIT[want.dimension]
        return (
            "unit_mismatch",
            {"have_unit": have_unit, "want_unit": want_unit},
            f"quantities do not compare: {have_unit} ({have.dimension.value}) "
            f"against {want_unit} ({want.dimension.value})",
        )
    if have.hazardous and not want.hazardous:
        return "hazardous", {}, "hazardous waste, and the receiving site does not accept hazardous waste"
    if km > limit:
        text = f"{km:,.0f} km by road, beyond the {limit:,.0f} km limit"
        return "too_far", {"km": km, "limit": limit}, text
    return "not_same_time", {}, "not available at the same time"


def _propose(
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
        _refuse(result, options, have, want, text, "quality", {"problems": [[c, a] for c, a, _t in problems]})
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
            _refuse(result, options, have, want, verdict.reasons[0], "too_cold", dict(verdict.codes[0][1]))
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
        _refuse(result, options, have, want, text, "low_compatibility", {"share": compatibility})
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


@dataclass(frozen=True)
class Unmatched:
    """One reason why a flow has no proposal, and how many counterparts it concerns."""

    code: str  # "no_counterpart", "would_match", or a refusal code (REFUSAL_CODES)
    count: int
    args: dict[str, object] = field(default_factory=dict)


def explain_unmatched(
    flow: Flow,
    flows: Sequence[Flow],
    *,
    factors: Factors | None = None,
    pairable: Callable[[Flow, Sequence[Flow]], npt.NDArray[np.bool_]] | None = None,
    min_compatibility: float = MatchOptions.min_compatibility,
) -> list[Unmatched]:
    """Why ``flow`` gets no proposal: its counterparts among ``flows`` (the other direction, the same
    kind) put through the matcher's rules, the refusals counted by reason, most frequent first.

    Counterparts that ``pairable`` refuses are left out as if they did not exist: telling that a flow
    nobody may see was refused would tell that it exists. No counterpart left: ``no_counterpart``.
    Counterparts that pass every rule: ``would_match`` (the proposals are not computed yet, or the
    offers went to needs they serve better). Without an encoder or a learned model, compatibility rests
    on the codes alone, as the matcher's rules do where those are missing."""
    others = [
        f for f in flows if f.kind is flow.kind and f.direction is not flow.direction and f.id != flow.id
    ]
    if pairable is not None and others:
        if flow.direction is Direction.HAVE:
            keep = np.asarray(pairable(flow, others), dtype=bool)
            others = [o for o, k in zip(others, keep, strict=True) if k]
        else:
            others = [o for o in others if bool(np.asarray(pairable(o, [flow]), dtype=bool)[0])]
    opposite = "want" if flow.direction is Direction.HAVE else "have"
    if not others:
        return [Unmatched("no_counterpart", 0, {"kind": flow.kind.value, "direction": opposite})]
    options = MatchOptions(
        top_per_have=len(others) + 1, min_compatibility=min_compatibility, keep_refused=True
    )
    result = match([flow, *others], factors=factors, options=options)
    mine = flow.id
    grouped: dict[str, list[Refusal]] = {}
    for r in result.refusals:
        if mine in (r.have, r.want) and r.code != "hidden":
            grouped.setdefault(r.code, []).append(r)
    reasons: list[Unmatched] = []
    fitting = [p for p in result.proposals if mine in (p.have, p.want)]
    if fitting:
        best = max(fitting, key=lambda p: p.score)
        reasons.append(Unmatched("would_match", len(fitting), {"km": best.road_km}))
    for code, refusals in grouped.items():
        args: dict[str, object] = {}
        if code == "too_far":
            nearest = min(refusals, key=lambda r: _number(r.args.get("km")))
            args = {"km": nearest.args.get("km", 0.0), "limit": nearest.args.get("limit", 0.0)}
        elif code == "unit_mismatch":
            side = "want_unit" if flow.direction is Direction.HAVE else "have_unit"
            own = "have_unit" if flow.direction is Direction.HAVE else "want_unit"
            args = {
                "units": ", ".join(sorted({str(r.args.get(side, "")) for r in refusals})),
                "unit": refusals[0].args.get(own, ""),
            }
        elif code == "quality":
            names: set[str] = set()
            for r in refusals:
                problems = r.args.get("problems", [])
                assert isinstance(problems, list)
                for problem_code, problem_args in problems:
                    is_form = str(problem_code).startswith("quality.form")
                    names.add("form" if is_form else str(problem_args["name"]))
            args = {"names": ", ".join(sorted(names))}
        reasons.append(Unmatched(code, len(refusals), args))
    order = {code: i for i, code in enumerate(("would_match", *REFUSAL_CODES))}
    reasons.sort(key=lambda u: (u.code != "would_match", -u.count, order.get(u.code, 99)))
    return reasons


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _code_matrix(codes: Sequence[tuple[str, ...]], width: int = 3) -> npt.NDArray[np.int64]:
    out = np.full((len(codes), width), -1, dtype=np.int64)
    for i, cs in enumerate(codes):
        for k, c in enumerate(cs[:width]):
            if c.isdigit() and len(c) == 6:
                out[i, k] = int(c)
    return out


def _pad(rows: Sequence[Sequence[int]]) -> npt.NDArray[np.int64]:
    width = max([len(r) for r in rows] + [1])
    out = np.full((len(rows), width), -1, dtype=np.int64)
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return out


def _pre_rank(
    have: Flow,
    candidates: npt.NDArray[np.int64],
    km: npt.NDArray[np.float64],
    limit: npt.NDArray[np.float64],
    want_q: npt.NDArray[np.float64],
    want_codes: npt.NDArray[np.int64],
    want_vectors: npt.NDArray[np.float32] | None,
    want_has_vector: npt.NDArray[np.bool_],
    vectors: dict[str, npt.NDArray[np.float32]],
    learned: npt.NDArray[np.float64] | None,
    label_matrix: npt.NDArray[np.int64] | None,
    keep: int,
) -> npt.NDArray[np.int64]:
    """The ``keep`` candidates with the best approximate score, computed for all at once; the exact
    proposal (quality limits, heat rules, impact) is then built for these only."""
    n = len(candidates)
    num = np.zeros(n)
    den = np.zeros(n)
    if have.kind is FlowKind.MATERIAL and have.ewc:
        codes = want_codes[candidates]
        present = (codes >= 0).any(axis=1)
        code = np.zeros(n)
        for c in _code_matrix([have.ewc])[0]:
            if c < 0:
                continue
            valid = codes >= 0
            code = np.maximum(code, np.where(valid & (codes == c), 1.0, 0.0).max(axis=1))
            code = np.maximum(code, np.where(valid & (codes // 100 == c // 100), 0.6, 0.0).max(axis=1))
            code = np.maximum(code, np.where(valid & (codes // 10000 == c // 10000), 0.3, 0.0).max(axis=1))
        num += CODE_WEIGHT * code * present
        den += CODE_WEIGHT * present
    if learned is not None and label_matrix is not None:
        labels = label_matrix[candidates]
        extended = np.append(learned, 0.0)
        value = extended[np.where(labels >= 0, labels, len(learned))].max(axis=1)
        present = (labels >= 0).any(axis=1)
        num += LEARNED_WEIGHT * value * present
        den += LEARNED_WEIGHT * present
    hv = vectors.get(have.id)
    if hv is not None and want_vectors is not None:
        sim = np.clip(want_vectors[candidates] @ hv, 0.0, None)
        present = want_has_vector[candidates]
        num += TEXT_WEIGHT * sim * present
        den += TEXT_WEIGHT * present
    compat = np.where(den > 0, num / np.maximum(den, 1e-12), 0.5)
    have_q = have.per_year
    wq = want_q[candidates]
    if have_q > 0:
        fit = np.where(wq > 0, np.minimum(have_q, wq) / np.maximum(np.maximum(have_q, wq), 1e-12), 0.5)
    else:
        fit = np.full(n, 0.5)
    score = compat * (0.5 + 0.5 * fit) * np.exp(-km[candidates] / limit[candidates])
    best = np.argsort(-score, kind="stable")[:keep]
    return candidates[best]
