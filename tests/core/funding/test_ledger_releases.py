"""Unit: a commitment given back in part (a release) corrects an over-booked commitment on the
append-only ledger: it lowers the balance, never beyond what is committed and unpaid, and the caps count
the net commitment at the commitment's own date (helix.core.funding.ledger.net_commitments)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helix.core.funding.caps import Cap, CapKind, check_commitment
from helix.core.funding.ledger import (
    Entry,
    EntryKind,
    Instrument,
    InstrumentKind,
    Ledger,
    balance,
    entry_problems,
    net_commitments,
)

pytestmark = pytest.mark.unit

C, R, D = EntryKind.COMMITTED, EntryKind.RELEASED, EntryKind.DISBURSED
INSTRUMENTS = {
    "feasibility": Instrument("feasibility", InstrumentKind.SUBSIDY, de_minimis=True),
    "loan": Instrument("loan", InstrumentKind.LOAN, de_minimis=True),
}
DE_MINIMIS = Cap("de-minimis", CapKind.DE_MINIMIS, Decimal(300_000))
PORTFOLIO = Cap("per-year", CapKind.PER_BENEFICIARY_PER_YEAR, Decimal(15_000), ("feasibility",))


def e(kind, amount, on, beneficiary="acme", instrument="feasibility", project="p1", gge=None):  # type: ignore[no-untyped-def]
    return Entry(instrument, kind, Decimal(amount), on, beneficiary, "", project, gge)


def test_a_release_lowers_the_net_commitment_and_what_may_still_be_paid():
    ledger = Ledger(INSTRUMENTS, (e(C, 100_000, date(2026, 1, 10)), e(D, 30_000, date(2026, 2, 1))))
    release = e(R, 50_000, date(2026, 3, 1))
    assert entry_problems(ledger, release) == []
    after = ledger.with_entry(release)
    b = balance(after, beneficiaries=["acme"])
    assert (b.committed, b.released, b.net_committed, b.undisbursed) == (
        Decimal(100_000),
        Decimal(50_000),
        Decimal(50_000),
        Decimal(20_000),
    )
    # paying more than the net commitment is refused
    assert [p.code for p in entry_problems(after, e(D, 25_000, date(2026, 4, 1)))] == [
        "ledger.disbursed_over_committed"
    ]
    assert entry_problems(after, e(D, 20_000, date(2026, 4, 1))) == []


def test_no_more_may_be_released_than_is_committed_and_unpaid_for_that_project():
    ledger = Ledger(
        INSTRUMENTS,
        (
            e(C, 100_000, date(2026, 1, 10)),
            e(D, 70_000, date(2026, 2, 1)),
            e(C, 9_000, date(2026, 1, 1), project="p2"),
        ),
    )
    problems = entry_problems(ledger, e(R, 30_001, date(2026, 3, 1)))
    assert [p.code for p in problems] == ["ledger.released_over_undisbursed"]
    assert problems[0].params["amount_eur"] == "30001"
    # nothing committed before the release's date: nothing to release
    assert [p.code for p in entry_problems(ledger, e(R, 1, date(2025, 12, 1)))] == [
        "ledger.released_over_undisbursed"
    ]


def test_a_release_frees_room_under_a_yearly_cap_in_the_commitments_year():
    ledger = Ledger(INSTRUMENTS, (e(C, 15_000, date(2026, 3, 1)), e(R, 5_000, date(2027, 2, 1))))
    # the release, made in 2027, frees 2026's room, not 2027's
    in_2026 = check_commitment(ledger, e(C, 5_000, date(2026, 11, 1), project="p9"), [PORTFOLIO])
    assert in_2026.allowed
    too_much = check_commitment(ledger, e(C, 5_001, date(2026, 11, 1), project="p9"), [PORTFOLIO])
    assert not too_much.allowed


def test_de_minimis_counts_a_release_at_the_commitments_date_never_in_a_window_without_the_grant():
    # granted 290,000 in January 2023, released 200,000 in June 2025
    ledger = Ledger(INSTRUMENTS, (e(C, 290_000, date(2023, 1, 10)), e(R, 200_000, date(2025, 6, 1))))
    # in 2026-02 the window (2023-02, 2026-02] holds neither the grant nor should it subtract the release
    later = check_commitment(ledger, e(C, 300_000, date(2026, 2, 1), project="p5"), [DE_MINIMIS])
    assert later.allowed
    # in 2025-12 the window holds the grant, net 90,000: 210,000 more fits, 210,001 does not
    assert check_commitment(ledger, e(C, 210_000, date(2025, 12, 1), project="p5"), [DE_MINIMIS]).allowed
    assert not check_commitment(ledger, e(C, 210_001, date(2025, 12, 1), project="p5"), [DE_MINIMIS]).allowed


def test_a_release_of_a_loan_shrinks_its_grant_equivalent_in_proportion():
    ledger = (
        e(C, 200_000, date(2026, 1, 1), instrument="loan", gge=Decimal(20_000)),
        e(R, 50_000, date(2026, 6, 1), instrument="loan"),
    )
    [net] = net_commitments(ledger)
    assert (net.amount_eur, net.gross_grant_equivalent_eur, net.on) == (
        Decimal(150_000),
        Decimal(15_000),
        date(2026, 1, 1),
    )


amounts = st.integers(min_value=1, max_value=50_000)


@settings(max_examples=200, deadline=None)
@given(
    commitments=st.lists(
        st.tuples(st.integers(0, 720), amounts, st.sampled_from(["p1", "p2"])), min_size=1, max_size=6
    ),
    releases=st.lists(st.tuples(st.integers(0, 720), amounts, st.sampled_from(["p1", "p2"])), max_size=6),
)
def test_net_commitments_never_go_negative_and_total_what_was_granted_less_what_was_released(
    commitments, releases
):  # type: ignore[no-untyped-def]
    start = date(2024, 1, 1).toordinal()
    ledger = Ledger(INSTRUMENTS)
    for day, amount, project in commitments:
        ledger = ledger.with_entry(e(C, amount, date.fromordinal(start + day), project=project))
    for day, amount, project in sorted(releases):
        release = e(R, amount, date.fromordinal(start + day), project=project)
        if not entry_problems(ledger, release):  # only releases the ledger accepts
            ledger = ledger.with_entry(release)
    net = net_commitments(ledger.entries)
    assert all(n.amount_eur > 0 for n in net)
    for project in ("p1", "p2"):
        b = balance(ledger, project=project)
        assert sum((n.amount_eur for n in net if n.project == project), Decimal(0)) == b.net_committed
