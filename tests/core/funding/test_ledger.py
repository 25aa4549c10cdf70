"""Unit: the ledger of funding instruments: balances from entries, per beneficiary, cluster and
project, and the entries it refuses (helix.core.funding.ledger)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from helix.core.funding.ledger import (
    Balance,
    Entry,
    EntryKind,
    Instrument,
    InstrumentKind,
    Ledger,
    LedgerProblem,
    balance,
    balances_by,
    entry_problems,
)

pytestmark = pytest.mark.unit

C, P, R, L = EntryKind.COMMITTED, EntryKind.DISBURSED, EntryKind.REPAID, EntryKind.LEVERAGED
INSTRUMENTS = {
    "grant": Instrument("grant", InstrumentKind.SUBSIDY, de_minimis=True),
    "loan": Instrument("loan", InstrumentKind.LOAN),
    "tina": Instrument("tina", InstrumentKind.EQUITY),
}


def e(instrument, kind, amount, on, who, cluster="flux50", project="p1", **kw):
    return Entry(instrument, kind, Decimal(amount), date.fromisoformat(on), who, cluster, project, **kw)


LEDGER = Ledger(
    INSTRUMENTS,
    (
        e("grant", C, 100_000, "2024-01-10", "acme"),
        e("grant", P, 40_000, "2024-03-01", "acme"),
        e("loan", C, 500_000, "2024-02-01", "acme", project="p2", gross_grant_equivalent_eur=Decimal(60_000)),
        e("loan", P, 500_000, "2024-02-15", "acme", project="p2"),
        e("loan", R, 120_000, "2025-02-15", "acme", project="p2"),
        e("tina", C, 2_000_000, "2024-06-01", "beta", cluster="blue", project="p3"),
        e("tina", L, 3_000_000, "2024-06-01", "beta", cluster="blue", project="p3"),
    ),
)


def test_balances_are_sums_of_the_matching_entries():
    assert balance(LEDGER) == Balance(
        Decimal(2_600_000), Decimal(540_000), Decimal(120_000), Decimal(3_000_000)
    )
    loan = balance(LEDGER, instruments=["loan"])
    assert (loan.undisbursed, loan.outstanding) == (Decimal(0), Decimal(380_000))
    assert balance(LEDGER, instruments=["grant"]).undisbursed == Decimal(60_000)
    assert balance(LEDGER, until=date(2024, 12, 31)).repaid == Decimal(0)
    assert balance(LEDGER, after=date(2024, 6, 1)) == Balance(repaid=Decimal(120_000))


def test_balances_per_beneficiary_and_per_cluster():
    assert balances_by(LEDGER.entries, "beneficiary") == {
        "acme": Balance(Decimal(600_000), Decimal(540_000), Decimal(120_000), Decimal(0)),
        "beta": Balance(Decimal(2_000_000), Decimal(0), Decimal(0), Decimal(3_000_000)),
    }
    assert balances_by(LEDGER.select(kind=C), "cluster") == {
        "blue": Balance(committed=Decimal(2_000_000)),
        "flux50": Balance(committed=Decimal(600_000)),
    }
    with pytest.raises(ValueError, match="cannot group by 'amount_eur'"):
        balances_by(LEDGER.entries, "amount_eur")


def test_a_new_entry_changes_the_balance_without_a_stored_total():
    more = LEDGER.with_entry(e("grant", P, 60_000, "2024-09-01", "acme"))
    assert balance(more, instruments=["grant"]).undisbursed == Decimal(0)
    assert balance(LEDGER, instruments=["grant"]).undisbursed == Decimal(
        60_000
    )  # the old ledger is unchanged


@pytest.mark.parametrize(
    ("entry", "problems"),
    [
        (e("grant", P, 60_000, "2024-09-01", "acme"), []),
        (
            e("grant", P, 60_001, "2024-09-01", "acme"),
            [
                LedgerProblem(
                    "ledger.disbursed_over_committed",
                    {"committed_eur": "100000", "disbursed_eur": "40000", "amount_eur": "60001"},
                    "Paying out 60001 would exceed the 100000 committed (40000 already paid)",
                )
            ],
        ),
        (
            e("grant", R, 1_000, "2024-09-01", "acme"),
            [
                LedgerProblem(
                    "ledger.repaid_not_a_loan",
                    {"instrument": "grant", "kind": "subsidy"},
                    "Only a loan is repaid; grant is a subsidy",
                )
            ],
        ),
        (
            e("loan", R, 380_001, "2025-09-01", "acme", project="p2"),
            [
                LedgerProblem(
                    "ledger.repaid_over_disbursed",
                    {"disbursed_eur": "500000", "repaid_eur": "120000", "amount_eur": "380001"},
                    "Repaying 380001 would exceed the 500000 paid out (120000 already repaid)",
                )
            ],
        ),
        (
            e("grant", C, 0, "2024-09-01", "acme"),
            [
                LedgerProblem(
                    "ledger.amount_not_positive", {"amount_eur": "0"}, "An amount must be more than zero"
                )
            ],
        ),
        (
            e("nope", C, 10, "2024-09-01", "acme"),
            [LedgerProblem("ledger.unknown_instrument", {"instrument": "nope"}, "No instrument 'nope'")],
        ),
        (
            e("grant", P, 10, "2024-09-01", "acme", gross_grant_equivalent_eur=Decimal(10)),
            [
                LedgerProblem(
                    "ledger.equivalent_not_a_commitment",
                    {"kind": "disbursed"},
                    "Only a commitment has a gross grant equivalent",
                )
            ],
        ),
    ],
)
def test_entry_problems_say_why_an_entry_cannot_be_booked(entry, problems):
    assert entry_problems(LEDGER, entry) == problems


def test_a_payment_counts_only_commitments_made_by_its_date():
    early = e("grant", P, 10, "2024-01-09", "acme")  # the commitment came the day after
    assert [p.code for p in entry_problems(LEDGER, early)] == ["ledger.disbursed_over_committed"]


def test_grant_equivalent_defaults_to_the_amount_for_grants_and_vouchers_only():
    assert e("grant", C, 10, "2024-01-01", "a").grant_equivalent(InstrumentKind.VOUCHER) == Decimal(10)
    assert e("loan", C, 10, "2024-01-01", "a").grant_equivalent(InstrumentKind.LOAN) is None
    with_equivalent = e("loan", C, 10, "2024-01-01", "a", gross_grant_equivalent_eur=Decimal(2))
    assert with_equivalent.grant_equivalent(InstrumentKind.LOAN) == Decimal(2)
