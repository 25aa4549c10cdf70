"""Why a flow gets no proposal: its counterparts put through the matcher, the refusals counted by reason."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .flows import Direction, Flow
from .impact import Factors
from .matching import match
from .proposals import REFUSAL_CODES, MatchOptions, Refusal


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
