"""What the symbiosis matcher takes and returns: its options, a proposal, a refusal and its codes.

:func:`helix.core.symbiosis.matching.match` fills a :class:`MatchResult`; :mod:`.scoring` builds each
:class:`Proposal`; :func:`refuse` records a :class:`Refusal` when the options keep them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .flows import Flow, FlowKind
from .heat import HeatVerdict
from .impact import Impact


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


def refuse(
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
