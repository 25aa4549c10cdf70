"""A ledger of funding instruments: dated entries, and balances computed from them (no stored totals).

An :class:`Instrument` is a subsidy (grant), a loan, an equity fund (such as the TINA fund's EUR 200
million) or vouchers of a portfolio (the Flemish SME portfolio). Each :class:`Entry` records money
**committed** (granted, on the date the right to it was given), **released** (part of a commitment given
back before it was paid: a project that spent less, a decision corrected; the ledger is append-only, so
an over-booked commitment is corrected by a release, never by an edit), **disbursed** (paid out),
**repaid** (back from a loan) or **leveraged** (private money the aid brought in), for one beneficiary,
in a cluster, for a project. Balances (:func:`balance`) are sums over the entries that match a filter
(instrument, beneficiary, cluster, project, a date range), so a total is never out of step with its
entries. :func:`entry_problems` says, as coded problems, why an entry cannot be booked (a repayment on a
grant, paying out more than was committed, repaying more than was paid out).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum


class InstrumentKind(StrEnum):
    SUBSIDY = "subsidy"
    LOAN = "loan"
    EQUITY = "equity"
    VOUCHER = "voucher"


class EntryKind(StrEnum):
    COMMITTED = "committed"
    RELEASED = "released"
    DISBURSED = "disbursed"
    REPAID = "repaid"
    LEVERAGED = "leveraged"


@dataclass(frozen=True)
class Instrument:
    id: str
    kind: InstrumentKind
    name: str = ""
    # Aid under the de minimis Regulation: its commitments count towards each single undertaking's
    # ceiling, at their gross grant equivalent.
    de_minimis: bool = False


@dataclass(frozen=True)
class Entry:
    instrument: str
    kind: EntryKind
    amount_eur: Decimal
    on: date
    beneficiary: str
    cluster: str = ""
    project: str = ""
    # The gross grant equivalent of a commitment (a loan's or a guarantee's is less than its amount);
    # None: the amount itself for a subsidy or a voucher, not known for a loan or equity.
    gross_grant_equivalent_eur: Decimal | None = None

    def grant_equivalent(self, kind: InstrumentKind) -> Decimal | None:
        """What this commitment counts for under de minimis; None when it cannot be known."""
        if self.gross_grant_equivalent_eur is not None:
            return self.gross_grant_equivalent_eur
        if kind in (InstrumentKind.SUBSIDY, InstrumentKind.VOUCHER):
            return self.amount_eur
        return None


@dataclass(frozen=True)
class LedgerProblem:
    code: str
    params: dict[str, object] = field(default_factory=dict)
    text: str = ""  # English, for readers without a translation of ``code``


@dataclass(frozen=True)
class Balance:
    committed: Decimal = Decimal(0)  # as granted, before releases
    disbursed: Decimal = Decimal(0)
    repaid: Decimal = Decimal(0)
    leveraged: Decimal = Decimal(0)
    released: Decimal = Decimal(0)

    @property
    def net_committed(self) -> Decimal:
        """Committed less what was released: what the beneficiary has a right to."""
        return self.committed - self.released

    @property
    def undisbursed(self) -> Decimal:
        """Committed, not released and not yet paid out."""
        return self.committed - self.released - self.disbursed

    @property
    def outstanding(self) -> Decimal:
        """Paid out and not yet repaid (a loan's principal still owed; for a grant, all it paid)."""
        return self.disbursed - self.repaid


@dataclass(frozen=True)
class Ledger:
    instruments: Mapping[str, Instrument]
    entries: tuple[Entry, ...] = ()

    def with_entry(self, entry: Entry) -> Ledger:
        """This ledger with one more entry (the caller has checked it: :func:`entry_problems`)."""
        return replace(self, entries=(*self.entries, entry))

    def select(
        self,
        *,
        instruments: Iterable[str] | None = None,
        beneficiaries: Iterable[str] | None = None,
        cluster: str | None = None,
        project: str | None = None,
        kind: EntryKind | None = None,
        after: date | None = None,
        until: date | None = None,
    ) -> list[Entry]:
        """The entries matching every filter given (``after`` exclusive, ``until`` inclusive)."""
        wanted_instruments = None if instruments is None else set(instruments)
        wanted_beneficiaries = None if beneficiaries is None else set(beneficiaries)
        return [
            e
            for e in self.entries
            if (wanted_instruments is None or e.instrument in wanted_instruments)
            and (wanted_beneficiaries is None or e.beneficiary in wanted_beneficiaries)
            and (cluster is None or e.cluster == cluster)
            and (project is None or e.project == project)
            and (kind is None or e.kind is kind)
            and (after is None or e.on > after)
            and (until is None or e.on <= until)
        ]


def balance(
    ledger: Ledger,
    *,
    instruments: Iterable[str] | None = None,
    beneficiaries: Iterable[str] | None = None,
    cluster: str | None = None,
    project: str | None = None,
    after: date | None = None,
    until: date | None = None,
) -> Balance:
    """The sums of the entries matching every filter given."""
    sums = {kind: Decimal(0) for kind in EntryKind}
    for e in ledger.select(
        instruments=instruments,
        beneficiaries=beneficiaries,
        cluster=cluster,
        project=project,
        after=after,
        until=until,
    ):
        sums[e.kind] += e.amount_eur
    return Balance(
        committed=sums[EntryKind.COMMITTED],
        disbursed=sums[EntryKind.DISBURSED],
        repaid=sums[EntryKind.REPAID],
        leveraged=sums[EntryKind.LEVERAGED],
        released=sums[EntryKind.RELEASED],
    )


def balances_by(entries: Iterable[Entry], key: str) -> dict[str, Balance]:
    """Balances of ``entries`` (say ``ledger.select(...)``) per beneficiary, cluster, project or
    instrument (``key``)."""
    if key not in ("beneficiary", "cluster", "project", "instrument"):
        raise ValueError(f"cannot group by {key!r}")
    sums: dict[str, dict[EntryKind, Decimal]] = {}
    for e in entries:
        group = sums.setdefault(str(getattr(e, key)), {kind: Decimal(0) for kind in EntryKind})
        group[e.kind] += e.amount_eur
    return {
        name: Balance(
            s[EntryKind.COMMITTED],
            s[EntryKind.DISBURSED],
            s[EntryKind.REPAID],
            s[EntryKind.LEVERAGED],
            s[EntryKind.RELEASED],
        )
        for name, s in sorted(sums.items())
    }


def entry_problems(ledger: Ledger, entry: Entry) -> list[LedgerProblem]:
    """Why ``entry`` cannot be booked in ``ledger``; empty when it can. Caps are checked apart
    (:func:`helix.core.funding.caps.check_commitment`)."""
    instrument = ledger.instruments.get(entry.instrument)
    if instrument is None:
        return [
            LedgerProblem(
                "ledger.unknown_instrument",
                {"instrument": entry.instrument},
                f"No instrument {entry.instrument!r}",
            )
        ]
    problems: list[LedgerProblem] = []
    if entry.amount_eur <= 0:
        problems.append(
            LedgerProblem(
                "ledger.amount_not_positive",
                {"amount_eur": str(entry.amount_eur)},
                "An amount must be more than zero",
            )
        )
    if entry.kind is EntryKind.REPAID and instrument.kind is not InstrumentKind.LOAN:
        problems.append(
            LedgerProblem(
                "ledger.repaid_not_a_loan",
                {"instrument": instrument.id, "kind": str(instrument.kind)},
                f"Only a loan is repaid; {instrument.id} is a {instrument.kind}",
            )
        )
    if entry.gross_grant_equivalent_eur is not None and entry.kind is not EntryKind.COMMITTED:
        problems.append(
            LedgerProblem(
                "ledger.equivalent_not_a_commitment",
                {"kind": str(entry.kind)},
                "Only a commitment has a gross grant equivalent",
            )
        )
    if entry.kind in (EntryKind.DISBURSED, EntryKind.REPAID, EntryKind.RELEASED):
        so_far = balance(
            ledger,
            instruments=[entry.instrument],
            beneficiaries=[entry.beneficiary],
            project=entry.project,
            until=entry.on,
        )
        if entry.kind is EntryKind.DISBURSED and so_far.disbursed + entry.amount_eur > so_far.net_committed:
            problems.append(
                LedgerProblem(
                    "ledger.disbursed_over_committed",
                    {
                        "committed_eur": str(so_far.net_committed),
                        "disbursed_eur": str(so_far.disbursed),
                        "amount_eur": str(entry.amount_eur),
                    },
                    f"Paying out {entry.amount_eur} would exceed the {so_far.net_committed} committed "
                    f"({so_far.disbursed} already paid)",
                )
            )
        if entry.kind is EntryKind.RELEASED and entry.amount_eur > so_far.undisbursed:
            problems.append(
                LedgerProblem(
                    "ledger.released_over_undisbursed",
                    {
                        "committed_eur": str(so_far.net_committed),
                        "disbursed_eur": str(so_far.disbursed),
                        "amount_eur": str(entry.amount_eur),
                    },
                    f"Releasing {entry.amount_eur} would exceed the {so_far.undisbursed} committed and not "
                    f"yet paid ({so_far.net_committed} committed, {so_far.disbursed} paid)",
                )
            )
        if entry.kind is EntryKind.REPAID and so_far.repaid + entry.amount_eur > so_far.disbursed:
            problems.append(
                LedgerProblem(
                    "ledger.repaid_over_disbursed",
                    {
                        "disbursed_eur": str(so_far.disbursed),
                        "repaid_eur": str(so_far.repaid),
                        "amount_eur": str(entry.amount_eur),
                    },
                    f"Repaying {entry.amount_eur} would exceed the {so_far.disbursed} paid out "
                    f"({so_far.repaid} already repaid)",
                )
            )
    return problems


@dataclass
class _Left:
    commitment: Entry
    amount: Decimal


def net_commitments(entries: Iterable[Entry]) -> list[Entry]:
    """The commitments among ``entries`` less the releases among them, each release taken from the
    commitments of its instrument, beneficiary and project dated on or before it, the latest first; a
    commitment keeps its own date, and its gross grant equivalent shrinks in proportion. Caps count these,
    so a release never lowers what a window counts below what was granted in it. A release with no
    commitment to take from (the caller did not pass it) is ignored: never less counted than granted."""
    ordered = sorted(entries, key=lambda e: (e.on, e.kind is EntryKind.RELEASED))
    remaining: list[_Left] = []
    for e in ordered:
        if e.kind is EntryKind.COMMITTED:
            remaining.append(_Left(e, e.amount_eur))
        elif e.kind is EntryKind.RELEASED:
            left = e.amount_eur
            for item in reversed(remaining):
                c = item.commitment
                if left <= 0:
                    break
                if (c.instrument, c.beneficiary, c.project) != (e.instrument, e.beneficiary, e.project):
                    continue
                taken = min(item.amount, left)
                item.amount -= taken
                left -= taken
    net: list[Entry] = []
    for item in remaining:
        c = item.commitment
        if item.amount <= 0:
            continue
        equivalent = c.gross_grant_equivalent_eur
        if equivalent is not None and item.amount != c.amount_eur:
            equivalent = equivalent * item.amount / c.amount_eur
        net.append(replace(c, amount_eur=item.amount, gross_grant_equivalent_eur=equivalent))
    return net
