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

The hard rules that hold for a have against all wants of its kind at once (kind, dimension, time,
hazard, distance, the caller's confidentiality rule), and a first ranking of the candidates, are here;
the rest is in :mod:`.scoring` (one pair's rules, compatibility, score, impact and reasons), the types
in :mod:`.proposals` (re-exported here), and why a flow gets no proposal in :mod:`.unmatched`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from helix.core.matching.embedding import TextEncoder

from .exchanges import WasteQuery
from .flows import DEFAULT_MAX_KM, Direction, Flow, FlowKind
from .geo import great_circle_matrix
from .impact import Factors
from .proposals import REFUSAL_CODES, MatchOptions, MatchResult, Proposal, Refusal, refuse
from .receiver_counts import CountReceiverModel
from .receivers import ReceiverModel
from .scoring import CODE_WEIGHT, LEARNED_WEIGHT, TEXT_WEIGHT, propose
from .units import BASE_UNIT

__all__ = ["REFUSAL_CODES", "MatchOptions", "MatchResult", "Proposal", "Refusal", "match"]


def match(
    flows: Sequence[Flow],
    *,
    factors: Factors | None = None,
    model: ReceiverModel | CountReceiverModel | None = None,
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
                            refuse(result, options, have, kw[j], text, "hidden")
                    for j in np.flatnonzero(~ok & ~hidden if hidden is not None else ~ok):
                        code, args, text = _why_not(have, kw[j], float(row[j]), float(limit[j]))
                        refuse(result, options, have, kw[j], text, code, args)
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
                        refuse(result, options, have, want, "the same organisation", "same_organisation")
                        continue
                    proposal = propose(
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
