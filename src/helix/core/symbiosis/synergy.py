"""A synergy's life, declared as data, and the totals a cluster sees over time.

proposed -> contacted -> under study -> agreed -> realised, or dropped (with a reason) from any
state before realised. "contacted" is reached when both parties have accepted the contact: that is
the moment an anonymous flow's owner becomes visible to the other party. Staff may move a synergy
on behalf of the parties; a dropped synergy can be reopened by staff.

Making contact reveals anonymous owners, so staff make it on the parties' behalf only where no owner is
revealed against its will: every anonymous side either accepted contact already or is an organisation
of the acting staff's own clusters (:func:`contact_roles`). Staff of one side alone never reveal the
other side's anonymous owner.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from helix.core.workflow import Transition, Workflow

PROPOSED, CONTACTED, UNDER_STUDY, AGREED, REALISED, DROPPED = (
    "proposed",
    "contacted",
    "under_study",
    "agreed",
    "realised",
    "dropped",
)
STATES = (PROPOSED, CONTACTED, UNDER_STUDY, AGREED, REALISED, DROPPED)
PARTY, STAFF = "party", "staff"
BOTH_PARTIES = "both_parties"  # held when the offering and the wanting party have both accepted contact
# held by staff responsible for every side whose owner is anonymous and has not accepted contact
STAFF_FOR_HIDDEN = "staff_for_every_hidden_side"
HAVE_SIDE, WANT_SIDE = "have", "want"
_BOTH = frozenset({PARTY, STAFF})

SYNERGY_WORKFLOW = Workflow(
    name="synergy",
    states=STATES,
    initial=PROPOSED,
    transitions=(
        Transition(PROPOSED, CONTACTED, frozenset({STAFF_FOR_HIDDEN, BOTH_PARTIES}), "Contact made"),
        Transition(CONTACTED, UNDER_STUDY, _BOTH, "Start the study"),
        Transition(UNDER_STUDY, AGREED, _BOTH, "Agreed"),
        Transition(AGREED, REALISED, _BOTH, "Realised"),
        Transition(PROPOSED, DROPPED, _BOTH, "Drop"),
        Transition(CONTACTED, DROPPED, _BOTH, "Drop"),
        Transition(UNDER_STUDY, DROPPED, _BOTH, "Drop"),
        Transition(AGREED, DROPPED, _BOTH, "Drop"),
        Transition(DROPPED, PROPOSED, frozenset({STAFF}), "Reopen"),
    ),
)
NEEDS_REASON = frozenset({DROPPED})
REVEALS_OWNERS = frozenset({CONTACTED, UNDER_STUDY, AGREED, REALISED})


def contact_roles(staff_of: Iterable[str], hidden: Iterable[str]) -> frozenset[str]:
    """The role staff hold for making contact on the parties' behalf.

    ``staff_of``: the sides (:data:`HAVE_SIDE`, :data:`WANT_SIDE`) whose organisation is in the actor's
    clusters; ``hidden``: the sides whose owner is anonymous and has not accepted contact. Staff may make
    contact only if they are staff of some side and of every hidden one: an anonymous owner is revealed
    when it accepted, or by its own cluster's staff, never by the other side's.
    """
    responsible, withheld = set(staff_of), set(hidden)
    if responsible and withheld <= responsible:
        return frozenset({STAFF_FOR_HIDDEN})
    return frozenset()


@dataclass(frozen=True)
class Report:
    """Actual quantities of a realised synergy in a period (e.g. a quarter)."""

    synergy: str
    period_end: date
    quantity: float
    unit: str
    co2e_avoided_t: float = 0.0
    money_saved_eur: float = 0.0


@dataclass(frozen=True)
class TotalsRow:
    period_end: date
    unit: str
    quantity: float
    cumulative_quantity: float
    co2e_avoided_t: float
    cumulative_co2e_t: float
    money_saved_eur: float
    cumulative_money_eur: float
    synergies: int


def totals_over_time(reports: Iterable[Report], period: str = "quarter") -> list[TotalsRow]:
    """Reported quantities summed per period (``month``, ``quarter`` or ``year``) and unit, with the
    running totals, oldest first."""
    if period not in ("month", "quarter", "year"):
        raise ValueError(f"period must be month, quarter or year, not {period!r}")
    buckets: dict[tuple[date, str], list[Report]] = {}
    for r in reports:
        buckets.setdefault((_period_end(r.period_end, period), r.unit), []).append(r)
    rows = []
    running: dict[str, tuple[float, float, float]] = {}
    for (end, unit), items in sorted(buckets.items()):
        q = sum(r.quantity for r in items)
        c = sum(r.co2e_avoided_t for r in items)
        m = sum(r.money_saved_eur for r in items)
        cq, cc, cm = running.get(unit, (0.0, 0.0, 0.0))
        running[unit] = (cq + q, cc + c, cm + m)
        rows.append(TotalsRow(end, unit, q, cq + q, c, cc + c, m, cm + m, len({r.synergy for r in items})))
    return rows


def _period_end(day: date, period: str) -> date:
    if period == "year":
        return date(day.year, 12, 31)
    months = 1 if period == "month" else 3
    last_month = ((day.month - 1) // months + 1) * months
    if last_month == 12:
        return date(day.year, 12, 31)
    first_next = date(day.year, last_month + 1, 1)
    return date.fromordinal(first_next.toordinal() - 1)
