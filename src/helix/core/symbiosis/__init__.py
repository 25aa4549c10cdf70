"""Industrial symbiosis: resource flows, the European List of Waste, matching learned from documented
exchanges, network-wide allocation with a solver, impact estimates and the synergy workflow."""

from .allocation import Allocation, AllocationError, Assignment, allocate, check_allocation, greedy_nearest
from .ewc import UnknownWasteCode, WasteList, normalise_code, printed_code, waste_list
from .exchanges import Exchange, ExchangeFileError, WasteQuery, read_exchange_file, read_exchanges
from .flows import DEFAULT_MAX_KM, Direction, Flow, FlowKind, InvalidFlow
from .heat import HeatAmount, HeatAmountError, HeatFit, HeatSide, HeatVerdict, heat_amount, heat_fit
from .impact import DEFAULT_FACTORS, Factor, Factors, Impact
from .matching import MatchOptions, MatchResult, Proposal, Refusal, match
from .receivers import ReceiverModel
from .units import Dimension, Quantity, UnitError, UnitMismatch
from .unmatched import Unmatched, explain_unmatched

__all__ = [
    "DEFAULT_FACTORS",
    "DEFAULT_MAX_KM",
    "Allocation",
    "AllocationError",
    "Assignment",
    "Dimension",
    "Direction",
    "Exchange",
    "ExchangeFileError",
    "Factor",
    "Factors",
    "Flow",
    "FlowKind",
    "HeatAmount",
    "HeatAmountError",
    "HeatFit",
    "HeatSide",
    "HeatVerdict",
    "Impact",
    "InvalidFlow",
    "MatchOptions",
    "MatchResult",
    "Proposal",
    "Quantity",
    "ReceiverModel",
    "Refusal",
    "UnitError",
    "UnitMismatch",
    "UnknownWasteCode",
    "Unmatched",
    "WasteList",
    "WasteQuery",
    "allocate",
    "check_allocation",
    "explain_unmatched",
    "greedy_nearest",
    "heat_amount",
    "heat_fit",
    "match",
    "normalise_code",
    "printed_code",
    "read_exchange_file",
    "read_exchanges",
    "waste_list",
]
