"""B2B meeting scheduling: the problem as data, readers of the published benchmark format, an
independent checker, a greedy baseline and exact solvers (see docs/decisions/0004-b2b-scheduling.md)."""

from .check import CheckReport, check_schedule
from .dzn import DznError, parse_dzn, read_dzn, read_schedule_json, schedule_json
from .greedy import greedy_schedule
from .problem import (
    InvalidProblem,
    Meeting,
    Mode,
    Problem,
    Result,
    Status,
    breaks_of,
    fairness_spread,
    participant_breaks,
    uniform_tables,
)
from .solve import event_mode, schedule_found, solve_event, solve_schedule

__all__ = [
    "CheckReport",
    "DznError",
    "InvalidProblem",
    "Meeting",
    "Mode",
    "Problem",
    "Result",
    "Status",
    "breaks_of",
    "check_schedule",
    "event_mode",
    "fairness_spread",
    "greedy_schedule",
    "parse_dzn",
    "participant_breaks",
    "read_dzn",
    "read_schedule_json",
    "schedule_found",
    "schedule_json",
    "solve_event",
    "solve_schedule",
    "uniform_tables",
]
