"""Booking on an instrument's ledger: commit, disburse, repay, record leverage; and balances.

Each write asks the permission table (``book`` on the instrument: its cluster's staff, any cluster's
staff for a programme-wide one) and the core's rules (helix.core.funding), and writes one entry in one
transaction. A commitment passes every cap that applies to it or is refused whole, never cut to fit:

- the instrument's own caps (its cap specs, its budget, and for de minimis aid the ceiling of EUR 300,000
  over any rolling three years across every de minimis instrument, per single undertaking), and the
  spec caps of other instruments that name it (helix.funds.convert.caps_for);
- a single undertaking is, for now, the beneficiary alone (helix.funds.convert.single_undertaking): the
  registry holds no ownership links between organisations yet.

Before reading the ledger, a write locks (SELECT ... FOR UPDATE, in a fixed order: instruments by id,
then organisations by id) every instrument whose commitments a cap of it counts and the organisations of
the beneficiary's undertaking, so two commitments that could both pass a cap alone never both pass it
together: the second reads the ledger after the first is committed. The de minimis ceiling counts every
de minimis instrument but locks none of the others: it is the undertaking's ceiling, so the lock on the
beneficiary serialises every commitment that counts towards it. (SQLite has no row locks; Helix opens
its transactions IMMEDIATE there, so one writes at a time.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet

from helix.core.funding import caps as core_caps
from helix.core.funding import ledger as core
from helix.funds import convert
from helix.funds.models import EntryKind, Instrument, LedgerEntry
from helix.registry.models import Organisation
from helix.registry.permissions import can

CENT = Decimal("0.01")


class FundsRefused(Exception):
    """The core said no: ``code`` and ``params`` for the page to translate (helix.funds.explain),
    ``problems`` the core's coded reasons (cap outcomes over their limit, ledger problems)."""

    def __init__(self, code: str, params: dict[str, object] | None = None, problems: tuple[Any, ...] = ()):
        super().__init__(code, *(p.code for p in problems))
        self.code, self.params, self.problems = code, params or {}, problems


@dataclass(frozen=True)
class Proposal:
    """What the core judges a commitment on: the ledger the caps read, the caps, the entry."""

    ledger: core.Ledger
    caps: tuple[core_caps.Cap, ...]
    entry: core.Entry
    undertaking_of: dict[str, str]


def _refuse_amount(code: str, name: str, value: Any, text: str) -> FundsRefused:
    problem = core.LedgerProblem(code, {"field": name, "value": str(value)}, text)
    return FundsRefused("funds.entry_refused", {"field": name}, (problem,))


def _amount(value: Any, name: str = "amount_eur") -> Decimal:
    """``value`` as euros and cents; refused when it is no number or has fractions of a cent (money is
    never rounded here)."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise _refuse_amount(
            "funds.amount_not_cents", name, value, f"{value} is not an amount in euros and cents"
        )
    return amount


def _equivalent(value: Any) -> Decimal | None:
    if value is None:
        return None
    amount = _amount(value, "gross_grant_equivalent_eur")
    if amount < 0:
        raise _refuse_amount(
            "funds.equivalent_negative",
            "gross_grant_equivalent_eur",
            value,
            "A gross grant equivalent cannot be negative",
        )
    return amount


def _entry(
    instrument: Instrument,
    kind: EntryKind,
    beneficiary: Organisation,
    amount: Any,
    on: date,
    project_ref: str,
    gross_grant_equivalent: Any = None,
) -> core.Entry:
    return core.Entry(
        instrument=instrument.key,
        kind=core.EntryKind(kind),
        amount_eur=_amount(amount),
        on=on,
        beneficiary=convert.beneficiary_id(beneficiary),
        cluster="" if instrument.cluster_id is None else str(instrument.cluster_id),
        project=project_ref,
        gross_grant_equivalent_eur=_equivalent(gross_grant_equivalent),
    )


# -- what a commitment is judged on ----------------------------------------------------------------------


def _capped_instruments(instrument: Instrument) -> tuple[tuple[core_caps.Cap, ...], dict[str, Instrument]]:
    """The caps of a commitment on ``instrument``, and every instrument they count, by key."""
    with_specs = [i for i in Instrument.objects.all() if i.caps and i.pk != instrument.pk]
    caps = convert.caps_for(instrument, with_specs)
    keys = {key for cap in caps for key in cap.instruments} | {instrument.key}
    rows = {i.key: i for i in Instrument.objects.filter(key__in=keys)}
    rows[instrument.key] = instrument
    if any(cap.kind is core_caps.CapKind.DE_MINIMIS and not cap.instruments for cap in caps):
        rows |= {i.key: i for i in Instrument.objects.filter(de_minimis=True) if i.key not in rows}
    return caps, rows


def _proposal(
    instrument: Instrument,
    beneficiary: Organisation,
    amount: Any,
    on: date,
    project_ref: str,
    gross_grant_equivalent: Any,
) -> Proposal:
    caps, rows = _capped_instruments(instrument)
    members = convert.single_undertaking(beneficiary)
    entry = _entry(
        instrument, EntryKind.COMMITTED, beneficiary, amount, on, project_ref, gross_grant_equivalent
    )
    entries: Q | None = None
    for cap in caps:
        q = convert.counted_entries(cap, rows, entry, members)
        entries = q if entries is None else entries | q
    return Proposal(convert.ledger(rows.values(), entries), caps, entry, convert.undertaking_of(members))


def check_commitment(
    instrument: Instrument,
    beneficiary: Organisation,
    amount: Any,
    on: date,
    *,
    project_ref: str = "",
    gross_grant_equivalent: Any = None,
) -> core_caps.CommitResult:
    """Would the commitment be booked? The core's answer (every cap that applies, passed or exceeded, and
    the ledger's problems) without writing or locking anything: for a call deciding what to fund. It asks
    no permission, and its outcomes tell what the beneficiary has received: show them to those who may
    book on the instrument."""
    proposal = _proposal(instrument, beneficiary, amount, on, project_ref, gross_grant_equivalent)
    return core_caps.commit(proposal.ledger, proposal.entry, proposal.caps, proposal.undertaking_of)


# -- locks --------------------------------------------------------------------------------------------------


def locks(
    instrument: Instrument, beneficiary: Organisation
) -> tuple[QuerySet[Instrument], QuerySet[Organisation]]:
    """The rows a booking on ``instrument`` for ``beneficiary`` locks, as SELECT ... FOR UPDATE querysets
    in the order they are taken: every instrument a cap of the instrument counts by name (itself
    included), then the organisations of the beneficiary's single undertaking."""
    caps, _rows = _capped_instruments(instrument)
    keys = {key for cap in caps for key in cap.instruments} | {instrument.key}
    instruments = Instrument.objects.select_for_update().filter(key__in=keys).order_by("pk")
    members = convert.single_undertaking(beneficiary)
    organisations = Organisation.objects.select_for_update().filter(pk__in=members).order_by("pk")
    return instruments, organisations


def _lock(instrument: Instrument, beneficiary: Organisation) -> Instrument:
    """Take the locks of a booking; the instrument as it is now (its caps may have changed)."""
    instruments, organisations = locks(instrument, beneficiary)
    fresh = {row.pk: row for row in instruments}
    list(organisations.values_list("pk", flat=True))
    return fresh.get(instrument.pk) or Instrument.objects.get(pk=instrument.pk)


def _may_book(user: Any, instrument: Instrument) -> None:
    if not can(user, "book", instrument):
        raise PermissionDenied


def _write(
    user: Any, entry: core.Entry, instrument: Instrument, beneficiary: Organisation, note: str
) -> LedgerEntry:
    return LedgerEntry.objects.create(
        instrument=instrument,
        beneficiary=beneficiary,
        project_ref=entry.project,
        kind=str(entry.kind),
        amount_eur=entry.amount_eur,
        gross_grant_equivalent_eur=entry.gross_grant_equivalent_eur,
        on=entry.on,
        note=note,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


# -- the writes -------------------------------------------------------------------------------------------


@transaction.atomic
def commit(
    user: Any,
    instrument: Instrument,
    beneficiary: Organisation,
    amount: Any,
    on: date,
    *,
    project_ref: str = "",
    gross_grant_equivalent: Any = None,
    note: str = "",
) -> LedgerEntry:
    """Commit ``amount`` euros of ``instrument`` to ``beneficiary`` on ``on`` (the date the right to it is
    given). Refused whole (:class:`FundsRefused`, nothing written) when the core's ledger rules or any cap
    say no: ``funds.entry_refused`` with the ledger's problems, ``funds.over_cap`` with each cap
    exceeded. ``gross_grant_equivalent``: what it counts for under de minimis (required for a de minimis
    loan or equity; a subsidy or voucher counts at its amount)."""
    _may_book(user, instrument)
    instrument = _lock(instrument, beneficiary)
    proposal = _proposal(instrument, beneficiary, amount, on, project_ref, gross_grant_equivalent)
    result = core_caps.commit(proposal.ledger, proposal.entry, proposal.caps, proposal.undertaking_of)
    if result.problems:
        raise FundsRefused("funds.entry_refused", {"kind": EntryKind.COMMITTED}, result.problems)
    if not result.allowed:
        raise FundsRefused(
            "funds.over_cap", {"amount_eur": str(proposal.entry.amount_eur)}, result.caps.problems
        )
    return _write(user, proposal.entry, instrument, beneficiary, note)


def _book(
    kind: EntryKind,
    user: Any,
    instrument: Instrument,
    beneficiary: Organisation,
    amount: Any,
    on: date,
    project_ref: str,
    note: str,
) -> LedgerEntry:
    _may_book(user, instrument)
    instrument = _lock(instrument, beneficiary)
    entry = _entry(instrument, kind, beneficiary, amount, on, project_ref)
    mine = Q(beneficiary=beneficiary, project_ref=project_ref)
    ledger = convert.ledger([instrument], mine)
    problems = core.entry_problems(ledger, entry)
    if problems:
        raise FundsRefused("funds.entry_refused", {"kind": kind}, tuple(problems))
    return _write(user, entry, instrument, beneficiary, note)


@transaction.atomic
def disburse(
    user: Any,
    instrument: Instrument,
    beneficiary: Organisation,
    amount: Any,
    on: date,
    *,
    project_ref: str = "",
    note: str = "",
) -> LedgerEntry:
    """Pay out ``amount`` of what was committed to ``beneficiary`` (for ``project_ref``): never more than
    the commitments up to ``on``."""
    return _book(EntryKind.DISBURSED, user, instrument, beneficiary, amount, on, project_ref, note)


@transaction.atomic
def release(
    user: Any,
    instrument: Instrument,
    beneficiary: Organisation,
    amount: Any,
    on: date,
    *,
    project_ref: str = "",
    note: str = "",
) -> LedgerEntry:
    """Give back ``amount`` of what was committed to ``beneficiary`` for ``project_ref`` and not yet paid
    out (a project that spent less, an over-booked commitment corrected): the ledger stays append-only,
    and every cap counts the commitment net of it from then on."""
    return _book(EntryKind.RELEASED, user, instrument, beneficiary, amount, on, project_ref, note)


@transaction.atomic
def repay(
    user: Any,
    instrument: Instrument,
    beneficiary: Organisation,
    amount: Any,
    on: date,
    *,
    project_ref: str = "",
    note: str = "",
) -> LedgerEntry:
    """Record ``amount`` repaid by ``beneficiary``: only on a loan, never more than was paid out."""
    return _book(EntryKind.REPAID, user, instrument, beneficiary, amount, on, project_ref, note)


@transaction.atomic
def record_leverage(
    user: Any,
    instrument: Instrument,
    beneficiary: Organisation,
    amount: Any,
    on: date,
    *,
    project_ref: str = "",
    note: str = "",
) -> LedgerEntry:
    """Record ``amount`` of private money the instrument's aid brought in for ``beneficiary``."""
    return _book(EntryKind.LEVERAGED, user, instrument, beneficiary, amount, on, project_ref, note)


# -- balances -----------------------------------------------------------------------------------------------


def balance(
    instrument: Instrument, beneficiary: Organisation | None = None, *, until: date | None = None
) -> core.Balance:
    """Committed, disbursed, repaid and leveraged on ``instrument`` (for ``beneficiary``; up to ``until``),
    computed by the core from the entries. It asks no permission: a page shows it to those who may see
    the instrument's ledger (``view_ledger``), or a beneficiary its own (the entries it may ``view``)."""
    selected = Q() if beneficiary is None else Q(beneficiary=beneficiary)
    ledger = convert.ledger([instrument], selected)
    return core.balance(ledger, until=until)


def balances_by_beneficiary(instrument: Instrument) -> dict[int, core.Balance]:
    """The instrument's balance per beneficiary organisation id."""
    ledger = convert.ledger([instrument], Q())
    return {int(k): v for k, v in core.balances_by(ledger.entries, "beneficiary").items()}


@dataclass(frozen=True)
class LedgerSummary:
    """An instrument's ledger summed: in all, per beneficiary organisation id, and what its budget has
    left to commit (None without a budget, or when only some entries were summed)."""

    total: core.Balance
    by_beneficiary: dict[int, core.Balance]
    budget_headroom: Decimal | None


def summary(instrument: Instrument, among: Q | None = None) -> LedgerSummary:
    """The instrument's balances from one read of its ledger: every entry, or those ``among`` selects (a
    beneficiary's own: then no budget headroom, which is a figure of the whole ledger). It asks no
    permission: show the whole ledger to those who may ``view_ledger``, and to a beneficiary's people only
    the entries they may ``view``."""
    ledger = convert.ledger([instrument], Q() if among is None else among)
    total = core.balance(ledger)
    by = {int(k): v for k, v in core.balances_by(ledger.entries, "beneficiary").items()}
    headroom = None
    if among is None and instrument.budget_eur is not None:
        headroom = instrument.budget_eur - total.committed
    return LedgerSummary(total, by, headroom)


def caps_of(instrument: Instrument) -> tuple[core_caps.Cap, ...]:
    """Every cap a commitment on ``instrument`` must pass: its own (its cap specs, its budget, de minimis)
    and the spec caps of other instruments that count it: the instrument's terms."""
    caps, _rows = _capped_instruments(instrument)
    return caps
