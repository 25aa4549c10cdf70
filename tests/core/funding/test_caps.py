"""Unit: caps enforced across instruments and over time: de minimis per single undertaking over a
rolling three-year window, the SME portfolio per entrepreneur and year, a per-project cap, an
instrument's budget; caps read from data (helix.core.funding.caps)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helix.core.funding.caps import (
    Cap,
    CapCheck,
    CapKind,
    CapOutcome,
    check_commitment,
    commit,
    load_caps,
    years_before,
)
from helix.core.funding.ledger import Entry, EntryKind, Instrument, InstrumentKind, Ledger
from helix.core.funding.sme import Holding, undertaking_ids
from helix.core.specs import SpecError, SpecProblem

pytestmark = pytest.mark.unit

C = EntryKind.COMMITTED
INSTRUMENTS = {
    "feasibility": Instrument("feasibility", InstrumentKind.SUBSIDY, de_minimis=True),
    "portfolio": Instrument("portfolio", InstrumentKind.VOUCHER, de_minimis=True),
    "loan": Instrument("loan", InstrumentKind.LOAN, de_minimis=True),
    "lux": Instrument("lux", InstrumentKind.SUBSIDY),
    "tina": Instrument("tina", InstrumentKind.EQUITY),
}
DE_MINIMIS = Cap("de-minimis", CapKind.DE_MINIMIS, Decimal(300_000))
PORTFOLIO = Cap("portfolio", CapKind.PER_BENEFICIARY_PER_YEAR, Decimal(15_000), ("portfolio",))
LUX = Cap("lux", CapKind.PER_PROJECT, Decimal(200_000), ("lux",))
TINA = Cap("tina", CapKind.INSTRUMENT_BUDGET, Decimal(200_000_000), ("tina",))
CAPS = (DE_MINIMIS, PORTFOLIO, LUX, TINA)


def grant(instrument, amount, on, who, project="", **kw):
    return Entry(instrument, C, Decimal(amount), date.fromisoformat(on), who, "", project, **kw)


def ledger(*entries):
    return Ledger(INSTRUMENTS, tuple(entries))


def test_de_minimis_counts_every_de_minimis_instrument_over_three_rolling_years():
    book = ledger(
        grant("feasibility", 200_000, "2021-06-01", "acme"),  # out of the window ending 2024-06-01
        grant("feasibility", 150_000, "2022-01-15", "acme"),
        grant("portfolio", 15_000, "2023-03-01", "acme"),
        grant("lux", 200_000, "2023-04-01", "acme", project="x"),  # not de minimis aid
    )
    check = check_commitment(book, grant("feasibility", 135_000, "2024-06-01", "acme"), CAPS)
    assert check == CapCheck(
        (
            CapOutcome(
                "de-minimis",
                CapKind.DE_MINIMIS,
                True,
                "cap.de_minimis.within",
                {
                    "cap": "de-minimis",
                    "limit_eur": "300000",
                    "used_eur": "165000",
                    "amount_eur": "135000",
                    "headroom_eur": "135000",
                    "undertaking": "acme",
                    "members": ["acme"],
                    "window_after": "2021-06-01",
                    "window_until": "2024-06-01",
                },
                "de-minimis: 165000 of 300000 used by the single undertaking acme (undertaking acme, "
                "members ['acme'], window_after 2021-06-01, window_until 2024-06-01); 135000 fits in the "
                "135000 left",
            ),
        )
    )
    assert check.allowed
    over = check_commitment(book, grant("feasibility", 135_001, "2024-06-01", "acme"), CAPS)
    assert (over.allowed, [p.code for p in over.problems]) == (False, ["cap.de_minimis.exceeded"])
    # A day earlier the 2021 grant is still in the window.
    earlier = check_commitment(book, grant("feasibility", 1, "2024-05-31", "acme"), CAPS)
    assert earlier.problems[0].params["used_eur"] == "365000"


def test_de_minimis_adds_up_the_enterprises_of_one_single_undertaking():
    holdings = [
        Holding("parent", "acme", Decimal("0.6")),
        Holding("parent", "sister", Decimal("0.3"), control=True),
    ]
    groups = undertaking_ids(holdings, 2024)
    book = ledger(
        grant("feasibility", 200_000, "2023-01-01", "sister"),
        grant("portfolio", 90_000, "2023-06-01", "parent"),
    )
    check = check_commitment(book, grant("feasibility", 20_000, "2024-01-01", "acme"), [DE_MINIMIS], groups)
    assert (check.allowed, check.outcomes[0].params["used_eur"], check.outcomes[0].params["members"]) == (
        False,
        "290000",
        ["acme", "parent", "sister"],
    )
    # Alone, acme has its whole ceiling.
    assert check_commitment(book, grant("feasibility", 20_000, "2024-01-01", "acme"), [DE_MINIMIS]).allowed


def test_de_minimis_checks_the_windows_after_a_backdated_grant():
    book = ledger(grant("feasibility", 250_000, "2025-01-01", "acme"))
    # Booked late, dated 2024: the window ending 2025-01-01 would hold both.
    check = check_commitment(book, grant("feasibility", 60_000, "2024-03-01", "acme"), [DE_MINIMIS])
    assert (
        check.allowed,
        check.outcomes[0].params["window_until"],
        check.outcomes[0].params["used_eur"],
    ) == (
        False,
        "2025-01-01",
        "250000",
    )


def test_a_loan_counts_at_its_gross_grant_equivalent_and_needs_one():
    book = ledger(grant("feasibility", 250_000, "2024-01-01", "acme"))
    loan = grant("loan", 1_000_000, "2024-06-01", "acme", gross_grant_equivalent_eur=Decimal(50_000))
    assert check_commitment(book, loan, [DE_MINIMIS]).allowed
    unknown = grant("loan", 1_000_000, "2024-06-01", "acme")
    assert check_commitment(book, unknown, [DE_MINIMIS]).outcomes == (
        CapOutcome(
            "de-minimis",
            CapKind.DE_MINIMIS,
            False,
            "cap.de_minimis.equivalent_unknown",
            {"cap": "de-minimis", "instrument": "loan", "kind": "loan"},
            "de-minimis: a loan needs its gross grant equivalent to count under de minimis",
        ),
    )


def test_the_portfolio_cap_is_per_entrepreneur_and_calendar_year():
    book = ledger(
        grant("portfolio", 10_000, "2024-02-01", "acme"),
        grant("portfolio", 15_000, "2023-12-31", "acme"),
        grant("portfolio", 15_000, "2024-03-01", "beta"),
    )
    check = check_commitment(book, grant("portfolio", 5_001, "2024-11-01", "acme"), [PORTFOLIO])
    assert check.outcomes == (
        CapOutcome(
            "portfolio",
            CapKind.PER_BENEFICIARY_PER_YEAR,
            False,
            "cap.per_beneficiary_per_year.exceeded",
            {
                "cap": "portfolio",
                "limit_eur": "15000",
                "used_eur": "10000",
                "amount_eur": "5001",
                "headroom_eur": "5000",
                "beneficiary": "acme",
                "year": 2024,
            },
            "portfolio: 10000 of 15000 used by acme in 2024 (beneficiary acme, year 2024); "
            "5001 is over the 5000 left",
        ),
    )
    assert check_commitment(book, grant("portfolio", 5_000, "2024-11-01", "acme"), [PORTFOLIO]).allowed
    assert check_commitment(book, grant("portfolio", 15_000, "2025-01-01", "acme"), [PORTFOLIO]).allowed


def test_the_co_financing_cap_is_per_project():
    book = ledger(
        grant("lux", 150_000, "2024-05-10", "acme", project="p"),
        grant("lux", 200_000, "2024-05-10", "x", project="q"),
    )
    assert check_commitment(book, grant("lux", 50_000, "2024-06-01", "beta", project="p"), [LUX]).allowed
    over = check_commitment(book, grant("lux", 50_001, "2024-06-01", "beta", project="p"), [LUX])
    assert (over.problems[0].code, over.problems[0].params["headroom_eur"]) == (
        "cap.per_project.exceeded",
        "50000",
    )
    nameless = check_commitment(book, grant("lux", 1, "2024-06-01", "beta"), [LUX])
    assert [p.code for p in nameless.problems] == ["cap.per_project.no_project"]


def test_the_instrument_budget_holds_across_beneficiaries():
    book = ledger(
        grant("tina", 150_000_000, "2019-01-01", "a", project="1"),
        grant("tina", 45_000_000, "2021-01-01", "b", project="2"),
    )
    assert check_commitment(book, grant("tina", 5_000_000, "2024-01-01", "c", project="3"), [TINA]).allowed
    refused = check_commitment(book, grant("tina", 5_000_001, "2024-01-01", "c", project="3"), [TINA])
    assert refused.problems[0].params == {
        "cap": "tina",
        "limit_eur": "200000000",
        "used_eur": "195000000",
        "amount_eur": "5000001",
        "headroom_eur": "5000000",
        "instruments": ["tina"],
    }


def test_caps_apply_only_to_their_instruments():
    assert (
        check_commitment(ledger(), grant("lux", 10, "2024-01-01", "a", project="p"), CAPS).outcomes[0].cap
        == "lux"
    )
    assert (
        check_commitment(
            ledger(), grant("tina", 10, "2024-01-01", "a", project="p"), [DE_MINIMIS, LUX]
        ).outcomes
        == ()
    )


def test_commit_refuses_a_grant_over_a_cap_whole_and_books_one_within():
    book = ledger(grant("portfolio", 10_000, "2024-02-01", "acme"))
    refused = commit(book, grant("portfolio", 6_000, "2024-03-01", "acme"), CAPS)
    assert (refused.allowed, refused.ledger) == (False, book)
    booked = commit(book, grant("portfolio", 5_000, "2024-03-01", "acme"), CAPS)
    assert (booked.allowed, booked.ledger.entries[-1].amount_eur) == (True, Decimal(5_000))
    bad = commit(book, grant("nope", 1, "2024-03-01", "acme"), CAPS)
    assert (bad.allowed, [p.code for p in bad.problems], bad.ledger) == (
        False,
        ["ledger.unknown_instrument"],
        book,
    )


def test_check_commitment_takes_only_commitments_of_known_instruments():
    with pytest.raises(ValueError, match="caps are checked on commitments"):
        check_commitment(ledger(), Entry("lux", EntryKind.DISBURSED, Decimal(1), date(2024, 1, 1), "a"), CAPS)
    with pytest.raises(ValueError, match="no instrument 'nope'"):
        check_commitment(ledger(), grant("nope", 1, "2024-01-01", "a"), CAPS)


def test_years_before_handles_29_february():
    assert years_before(date(2024, 2, 29), 3) == date(2021, 2, 28)
    assert years_before(date(2024, 3, 1), 3) == date(2021, 3, 1)


def test_caps_load_from_plain_data():
    assert load_caps(
        [
            {"id": "dm", "kind": "de_minimis", "limit_eur": 300000},
            {
                "id": "pf",
                "kind": "per_beneficiary_per_year",
                "limit_eur": "15000.00",
                "instruments": ["portfolio"],
            },
        ]
    ) == (
        Cap("dm", CapKind.DE_MINIMIS, Decimal(300000)),
        Cap("pf", CapKind.PER_BENEFICIARY_PER_YEAR, Decimal("15000.00"), ("portfolio",)),
    )


def test_malformed_caps_name_the_index_and_field():
    with pytest.raises(SpecError) as caught:
        load_caps(
            [
                {"id": "a", "kind": "per_project", "limit_eur": 5},
                {"id": "b", "kind": "budget", "limit_eur": -1, "colour": "red"},
                {"id": "a", "kind": "de_minimis", "limit_eur": 1, "years": 0},
                {"id": "c", "kind": "de_minimis", "limit_eur": True},
            ]
        )
    assert [(p.code, p.params["path"]) for p in caught.value.problems] == [
        ("spec.missing_field", "caps[0].instruments"),
        ("spec.bad_value", "caps[1].kind"),
        ("spec.bad_value", "caps[1].limit_eur"),
        ("spec.unknown_field", "caps[1].colour"),
        ("spec.bad_value", "caps[2].years"),
        ("spec.wrong_type", "caps[3].limit_eur"),
    ]
    assert caught.value.problems[1] == SpecProblem(
        "spec.bad_value",
        {
            "index": 1,
            "path": "caps[1].kind",
            "field": "kind",
            "allowed": ["de_minimis", "instrument_budget", "per_beneficiary_per_year", "per_project"],
            "value": "budget",
        },
        "caps[1].kind: must be one of "
        "['de_minimis', 'instrument_budget', 'per_beneficiary_per_year', 'per_project']",
    )
    with pytest.raises(SpecError) as twice:
        load_caps([{"id": "a", "kind": "de_minimis", "limit_eur": 1}] * 2)
    assert [(p.code, p.params["index"]) for p in twice.value.problems] == [("spec.duplicate_id", 1)]


# ---- de minimis on random grant streams --------------------------------------------------------------

START = date(2020, 1, 1)
BENEFICIARIES = ("a", "b", "c", "d")
# a and b are one single undertaking; c and d are on their own.
GROUPS = undertaking_ids([Holding("a", "b", Decimal("0.75"))], 2024, BENEFICIARIES)

proposals = st.lists(
    st.tuples(
        st.sampled_from(BENEFICIARIES),
        st.sampled_from(("feasibility", "portfolio")),
        st.integers(min_value=0, max_value=6 * 365),  # days after START, in any order
        st.integers(min_value=1, max_value=20).map(lambda k: k * 10_000),
    ),
    max_size=25,
)


def worst_window(entries: list[Entry], undertaking: str) -> Decimal:
    """The most granted to ``undertaking`` in any three-year window, by trying every day as its end."""
    mine = [e for e in entries if GROUPS[e.beneficiary] == undertaking]
    if not mine:
        return Decimal(0)
    worst = Decimal(0)
    day = min(e.on for e in mine)
    while day <= max(e.on for e in mine):
        after = years_before(day, 3)
        worst = max(worst, sum((e.amount_eur for e in mine if after < e.on <= day), Decimal(0)))
        day += timedelta(days=1)
    return worst


@settings(max_examples=60, deadline=None)
@given(proposals)
def test_no_three_year_window_of_a_single_undertaking_passes_the_ceiling(stream):
    book = ledger()
    for who, instrument, days, amount in stream:
        proposal = Entry(instrument, C, Decimal(amount), START + timedelta(days=days), who)
        result = commit(book, proposal, [DE_MINIMIS], GROUPS)
        if result.allowed:
            assert result.ledger.entries == (*book.entries, proposal)
        else:
            # Refused whole: nothing booked, and booking it would indeed have crossed the ceiling.
            assert result.ledger is book
            crossed = worst_window([*book.entries, proposal], GROUPS[who])
            assert crossed > DE_MINIMIS.limit_eur
            assert Decimal(result.caps.problems[0].params["headroom_eur"]) < proposal.amount_eur
        book = result.ledger
    for undertaking in set(GROUPS.values()):
        assert worst_window(list(book.entries), undertaking) <= DE_MINIMIS.limit_eur
