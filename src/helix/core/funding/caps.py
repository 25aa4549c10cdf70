"""Caps on funding, declared as data and enforced across instruments and over time.

Four kinds of :class:`Cap`:

- ``de_minimis``: at most ``limit_eur`` (EUR 300,000, Regulation (EU) 2023/2831) per *single
  undertaking* (enterprises linked by majority voting rights or control:
  :func:`helix.core.funding.sme.undertaking_ids`) over any rolling period of ``years`` (three) years,
  counted at the gross grant equivalent on the date granted, across every de minimis instrument of the
  ledger (or the instruments it names). A grant is checked against every window that would hold it,
  those ending after it too, so a grant booked late (dated before others) cannot overfill a later window;
- ``per_beneficiary_per_year``: at most ``limit_eur`` committed to one beneficiary in a calendar year
  by the named instruments (the Flemish SME portfolio: EUR 15,000 per entrepreneur per year);
- ``per_project``: at most ``limit_eur`` committed to one project by the named instruments (the
  Luxembourg co-financing facility: EUR 200,000 per project);
- ``instrument_budget``: at most ``limit_eur`` committed in all by the named instruments (the TINA
  fund: EUR 200 million).

:func:`check_commitment` checks a proposed commitment against each cap that applies to it and says, per
cap, what is already used in which window and the headroom left. A commitment over a cap is refused as
a whole, never cut to fit (:func:`commit`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from helix.core.specs import SpecError, SpecProblem, SpecReader

from .ledger import Entry, EntryKind, Ledger, LedgerProblem, entry_problems, net_commitments


class CapKind(StrEnum):
    DE_MINIMIS = "de_minimis"
    PER_BENEFICIARY_PER_YEAR = "per_beneficiary_per_year"
    PER_PROJECT = "per_project"
    INSTRUMENT_BUDGET = "instrument_budget"


DE_MINIMIS_CEILING_EUR = Decimal(300_000)
DE_MINIMIS_YEARS = 3


@dataclass(frozen=True)
class Cap:
    id: str
    kind: CapKind
    limit_eur: Decimal
    # The instruments whose commitments count; for de minimis, empty means every instrument of the
    # ledger marked de minimis. Every other kind needs at least one.
    instruments: tuple[str, ...] = ()
    years: int = DE_MINIMIS_YEARS  # the rolling window of de minimis

    def applies_to(self, ledger: Ledger, instrument: str) -> bool:
        if self.instruments:
            return instrument in self.instruments
        known = ledger.instruments.get(instrument)
        return self.kind is CapKind.DE_MINIMIS and known is not None and known.de_minimis

    def counted(self, ledger: Ledger) -> set[str]:
        if self.instruments:
            return set(self.instruments)
        return {i.id for i in ledger.instruments.values() if i.de_minimis}


@dataclass(frozen=True)
class CapOutcome:
    cap: str
    kind: CapKind
    passed: bool
    code: str
    params: dict[str, object] = field(default_factory=dict)
    text: str = ""  # English, for readers without a translation of ``code``


@dataclass(frozen=True)
class CapCheck:
    outcomes: tuple[CapOutcome, ...]

    @property
    def allowed(self) -> bool:
        return all(o.passed for o in self.outcomes)

    @property
    def problems(self) -> tuple[CapOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.passed)


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _outcome(cap: Cap, used: Decimal, amount: Decimal, what: str, **window: object) -> CapOutcome:
    headroom = cap.limit_eur - used
    passed = used + amount <= cap.limit_eur
    params: dict[str, object] = {
        "cap": cap.id,
        "limit_eur": str(cap.limit_eur),
        "used_eur": str(used),
        "amount_eur": str(amount),
        "headroom_eur": str(headroom),
        **window,
    }
    where = ", ".join(f"{k} {v}" for k, v in window.items())
    if passed:
        text = (
            f"{cap.id}: {used} of {cap.limit_eur} used {what} ({where}); {amount} fits in the {headroom} left"
        )
    else:
        text = (
            f"{cap.id}: {used} of {cap.limit_eur} used {what} ({where}); {amount} is over the {headroom} left"
        )
    return CapOutcome(
        cap.id, cap.kind, passed, f"cap.{cap.kind}.{'within' if passed else 'exceeded'}", params, text
    )


def _de_minimis(ledger: Ledger, proposal: Entry, cap: Cap, undertaking_of: Mapping[str, str]) -> CapOutcome:
    instrument = ledger.instruments[proposal.instrument]
    amount = proposal.grant_equivalent(instrument.kind)
    if amount is None:
        return CapOutcome(
            cap.id,
            cap.kind,
            False,
            "cap.de_minimis.equivalent_unknown",
            {"cap": cap.id, "instrument": instrument.id, "kind": str(instrument.kind)},
            f"{cap.id}: a {instrument.kind} needs its gross grant equivalent to count under de minimis",
        )
    undertaking = undertaking_of.get(proposal.beneficiary, proposal.beneficiary)
    counted = cap.counted(ledger)
    grants: list[tuple[date, Decimal]] = []
    for e in net_commitments(ledger.entries):
        if e.instrument in counted and undertaking_of.get(e.beneficiary, e.beneficiary) == undertaking:
            kind = ledger.instruments[e.instrument].kind
            # An old commitment without its equivalent counts at its amount: never less than it is.
            equivalent = e.grant_equivalent(kind)
            grants.append((e.on, e.amount_eur if equivalent is None else equivalent))
    day = proposal.on
    horizon = years_after(day, cap.years)
    # Windows (end - years, end] that would hold the grant: ending on its day, or on a later grant's.
    ends = sorted({day} | {on for on, _ in grants if day < on < horizon})
    best_used, best_end = Decimal(-1), day
    for end in ends:
        start = years_before(end, cap.years)
        used = sum((amount for on, amount in grants if start < on <= end), Decimal(0))
        if used > best_used:
            best_used, best_end = used, end
    members = sorted({b for b, u in undertaking_of.items() if u == undertaking} | {proposal.beneficiary})
    return _outcome(
        cap,
        best_used,
        amount,
        f"by the single undertaking {undertaking}",
        undertaking=undertaking,
        members=members,
        window_after=years_before(best_end, cap.years).isoformat(),
        window_until=best_end.isoformat(),
    )


def _check_one(ledger: Ledger, proposal: Entry, cap: Cap, undertaking_of: Mapping[str, str]) -> CapOutcome:
    if cap.kind is CapKind.DE_MINIMIS:
        return _de_minimis(ledger, proposal, cap, undertaking_of)
    amount = proposal.amount_eur
    committed = net_commitments(ledger.select(instruments=cap.instruments))
    if cap.kind is CapKind.PER_BENEFICIARY_PER_YEAR:
        year = proposal.on.year
        used = sum(
            (e.amount_eur for e in committed if e.beneficiary == proposal.beneficiary and e.on.year == year),
            Decimal(0),
        )
        return _outcome(
            cap,
            used,
            amount,
            f"by {proposal.beneficiary} in {year}",
            beneficiary=proposal.beneficiary,
            year=year,
        )
    if cap.kind is CapKind.PER_PROJECT:
        if not proposal.project:
            return CapOutcome(
                cap.id,
                cap.kind,
                False,
                "cap.per_project.no_project",
                {"cap": cap.id},
                f"{cap.id}: the commitment names no project",
            )
        used = sum((e.amount_eur for e in committed if e.project == proposal.project), Decimal(0))
        return _outcome(cap, used, amount, f"by the project {proposal.project}", project=proposal.project)
    used = sum((e.amount_eur for e in committed), Decimal(0))
    return _outcome(cap, used, amount, "of the budget", instruments=list(cap.instruments))


def check_commitment(
    ledger: Ledger, proposal: Entry, caps: Sequence[Cap], undertaking_of: Mapping[str, str] | None = None
) -> CapCheck:
    """Each cap that applies to the proposed commitment, passed or exceeded, with what is used where.

    ``undertaking_of`` maps a beneficiary to its single undertaking (de minimis); a beneficiary not in
    it is an undertaking on its own."""
    if proposal.kind is not EntryKind.COMMITTED:
        raise ValueError("caps are checked on commitments")
    if proposal.instrument not in ledger.instruments:
        raise ValueError(f"no instrument {proposal.instrument!r} in the ledger")
    groups = undertaking_of or {}
    return CapCheck(
        tuple(
            _check_one(ledger, proposal, cap, groups)
            for cap in caps
            if cap.applies_to(ledger, proposal.instrument)
        )
    )


@dataclass(frozen=True)
class CommitResult:
    ledger: Ledger  # with the commitment when allowed, unchanged when refused
    allowed: bool
    caps: CapCheck
    problems: tuple[LedgerProblem, ...] = ()


def commit(
    ledger: Ledger, proposal: Entry, caps: Sequence[Cap], undertaking_of: Mapping[str, str] | None = None
) -> CommitResult:
    """Book the commitment if the ledger and every cap allow it; else refuse it whole."""
    problems = tuple(entry_problems(ledger, proposal))
    if problems:
        return CommitResult(ledger, False, CapCheck(()), problems)
    check = check_commitment(ledger, proposal, caps, undertaking_of)
    if not check.allowed:
        return CommitResult(ledger, False, check)
    return CommitResult(ledger.with_entry(proposal), True, check)


def read_cap(reader: SpecReader) -> Cap | None:
    """One cap from its spec: {"id", "kind", "limit_eur", "instruments"?, "years"?}."""
    cap_id = reader.text("id")
    kind = reader.choice("kind", [k.value for k in CapKind])
    limit = reader.number("limit_eur", minimum=Decimal(0))
    instruments = reader.strings("instruments", required=bool(kind) and kind != CapKind.DE_MINIMIS)
    years = reader.integer("years", required=False, minimum=1) if kind == CapKind.DE_MINIMIS else None
    reader.done()
    if not (cap_id and kind and limit is not None) or (kind != CapKind.DE_MINIMIS and not instruments):
        return None
    return Cap(cap_id, CapKind(kind), limit, instruments, years or DE_MINIMIS_YEARS)


def load_caps(data: object, path: str = "caps") -> tuple[Cap, ...]:
    """Caps from a list of plain dicts; :class:`SpecError` names the index and field of each bad one."""
    problems: list[SpecProblem] = []
    if not isinstance(data, list):
        raise SpecError([SpecProblem("spec.not_a_list", {"path": path}, f"{path} must be a list")])
    caps = [read_cap(SpecReader(item, f"{path}[{i}]", problems, {"index": i})) for i, item in enumerate(data)]
    seen: set[str] = set()
    for i, cap in enumerate(caps):
        if cap is not None and cap.id in seen:
            problems.append(
                SpecProblem(
                    "spec.duplicate_id",
                    {"path": f"{path}[{i}].id", "index": i, "field": "id", "value": cap.id},
                    f"{path}[{i}].id: {cap.id!r} twice",
                )
            )
        if cap is not None:
            seen.add(cap.id)
    if problems:
        raise SpecError(problems)
    return tuple(cap for cap in caps if cap is not None)
