"""Integration: booking on an instrument's ledger (helix.funds.services): caps refuse a commitment whole
and write nothing, de minimis counts across instruments over a rolling three years, the ledger's rules
refuse what cannot be booked, balances come from the entries, and each booking locks what its caps read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from helix.core.funding.ledger import Balance
from helix.funds import services
from helix.funds.models import Instrument, LedgerEntry
from helix.funds.services import FundsRefused
from tests.factories.registry import ClusterFactory, OrganisationFactory, member_user, staff_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

D = Decimal


@pytest.fixture
def cluster():  # type: ignore[no-untyped-def]
    return ClusterFactory(slug="flux", name="Flux")


@pytest.fixture
def staff(cluster):  # type: ignore[no-untyped-def]
    return staff_user(cluster, "flux_staff")


@pytest.fixture
def sme():  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Smart Heat", slug="smart-heat")


def portfolio(key: str = "sme-portfolio", **fields):  # type: ignore[no-untyped-def]
    """The Flemish SME portfolio: programme-wide de minimis vouchers, EUR 15,000 per entrepreneur a year."""
    caps = [
        {
            "id": "per-entrepreneur",
            "kind": "per_beneficiary_per_year",
            "limit_eur": 15000,
            "instruments": [key],
        }
    ]
    return Instrument.objects.create(
        key=key, name="SME portfolio", kind="voucher", de_minimis=True, caps=caps, **fields
    )


def _problems(refused: FundsRefused) -> list[tuple[str, dict[str, object]]]:
    return [(p.code, p.params) for p in refused.problems]


# -- caps ----------------------------------------------------------------------------------------------------


def test_a_commitment_over_the_portfolio_cap_is_refused_whole_and_nothing_is_written(staff, sme):  # type: ignore[no-untyped-def]
    vouchers = portfolio()
    services.commit(staff, vouchers, sme, D("9000"), dt.date(2026, 2, 1))
    with pytest.raises(FundsRefused) as refused:
        services.commit(staff, vouchers, sme, D("7000"), dt.date(2026, 6, 1))
    assert (refused.value.code, refused.value.params) == ("funds.over_cap", {"amount_eur": "7000"})
    assert _problems(refused.value) == [
        (
            "cap.per_beneficiary_per_year.exceeded",
            {
                "cap": "per-entrepreneur",
                "limit_eur": "15000",
                "used_eur": "9000.00",
                "amount_eur": "7000",
                "headroom_eur": "6000.00",
                "beneficiary": str(sme.pk),
                "year": 2026,
            },
        )
    ]
    # refused whole, never cut to the EUR 6,000 left: the ledger holds the first commitment only
    assert list(LedgerEntry.objects.values_list("kind", "amount_eur", "on")) == [
        ("committed", D("9000.00"), dt.date(2026, 2, 1))
    ]
    # what is left fits exactly; the next calendar year starts again
    services.commit(staff, vouchers, sme, D("6000"), dt.date(2026, 12, 31))
    services.commit(staff, vouchers, sme, D("15000"), dt.date(2027, 1, 1))
    assert services.balance(vouchers, sme).committed == D("30000")


def test_de_minimis_counts_every_de_minimis_instrument_of_the_undertaking_over_a_rolling_three_years(
    cluster, staff, sme
):  # type: ignore[no-untyped-def]
    subsidy = Instrument.objects.create(
        cluster=cluster, key="flux-innovation", name="Innovation aid", kind="subsidy", de_minimis=True
    )
    loan = Instrument.objects.create(key="win-loan", name="Winwin loan", kind="loan", de_minimis=True)
    outside = Instrument.objects.create(cluster=cluster, key="flux-research", name="Research", kind="subsidy")
    neighbour = OrganisationFactory(name="Neighbour", slug="neighbour")
    services.commit(staff, subsidy, sme, D("200000"), dt.date(2024, 3, 1))
    # a loan counts at its gross grant equivalent, not its amount
    services.commit(staff, loan, sme, D("500000"), dt.date(2025, 6, 1), gross_grant_equivalent=D("90000"))
    # neither aid outside de minimis nor another undertaking's counts
    services.commit(staff, outside, sme, D("1000000"), dt.date(2025, 7, 1))
    services.commit(staff, subsidy, neighbour, D("250000"), dt.date(2025, 7, 1))

    with pytest.raises(FundsRefused) as refused:
        services.commit(staff, subsidy, sme, D("20000"), dt.date(2027, 2, 28))
    assert _problems(refused.value) == [
        (
            "cap.de_minimis.exceeded",
            {
                "cap": "de_minimis",
                "limit_eur": "300000",
                "used_eur": "290000.00",
                "amount_eur": "20000",
                "headroom_eur": "10000.00",
                "undertaking": str(sme.pk),
                "members": [str(sme.pk)],
                "window_after": "2024-02-28",
                "window_until": "2027-02-28",
            },
        )
    ]
    # a day later the three years no longer hold the grant of 1 March 2024
    services.commit(staff, subsidy, sme, D("20000"), dt.date(2027, 3, 1))
    # and a grant booked late, dated before others, may not overfill a later window
    with pytest.raises(FundsRefused) as late:
        services.commit(staff, subsidy, sme, D("200000"), dt.date(2025, 1, 1))
    assert [code for code, _params in _problems(late.value)] == ["cap.de_minimis.exceeded"]
    assert services.balance(subsidy, sme).committed == D("220000")


def test_a_de_minimis_loan_needs_its_gross_grant_equivalent(staff, sme):  # type: ignore[no-untyped-def]
    loan = Instrument.objects.create(key="win-loan", name="Winwin loan", kind="loan", de_minimis=True)
    with pytest.raises(FundsRefused) as refused:
        services.commit(staff, loan, sme, D("50000"), dt.date(2026, 1, 5))
    assert _problems(refused.value) == [
        (
            "cap.de_minimis.equivalent_unknown",
            {"cap": "de_minimis", "instrument": "win-loan", "kind": "loan"},
        )
    ]
    assert LedgerEntry.objects.count() == 0


def test_an_instruments_budget_is_a_cap_across_its_beneficiaries(cluster, staff, sme):  # type: ignore[no-untyped-def]
    fund = Instrument.objects.create(
        cluster=cluster, key="tina", name="TINA fund", kind="equity", budget_eur=D("50000")
    )
    other = OrganisationFactory(name="Other", slug="other")
    services.commit(staff, fund, sme, D("30000"), dt.date(2026, 1, 5))
    with pytest.raises(FundsRefused) as refused:
        services.commit(staff, fund, other, D("25000"), dt.date(2026, 1, 6))
    assert _problems(refused.value) == [
        (
            "cap.instrument_budget.exceeded",
            {
                "cap": "budget",
                "limit_eur": "50000.00",
                "used_eur": "30000.00",
                "amount_eur": "25000",
                "headroom_eur": "20000.00",
                "instruments": ["tina"],
            },
        )
    ]


def test_a_per_project_cap_needs_the_project_and_counts_each_project_apart(cluster, staff, sme):  # type: ignore[no-untyped-def]
    caps = [{"id": "per-project", "kind": "per_project", "limit_eur": "200000", "instruments": ["lu-bpf"]}]
    facility = Instrument.objects.create(
        cluster=cluster, key="lu-bpf", name="Business Partnership Facility", kind="subsidy", caps=caps
    )
    with pytest.raises(FundsRefused) as unnamed:
        services.commit(staff, facility, sme, D("1000"), dt.date(2024, 5, 2))
    assert _problems(unnamed.value) == [("cap.per_project.no_project", {"cap": "per-project"})]
    services.commit(staff, facility, sme, D("150000"), dt.date(2024, 5, 2), project_ref="BPF-11-007")
    with pytest.raises(FundsRefused):
        services.commit(staff, facility, sme, D("60000"), dt.date(2024, 6, 2), project_ref="BPF-11-007")
    services.commit(staff, facility, sme, D("60000"), dt.date(2024, 6, 2), project_ref="BPF-11-008")
    assert services.balance(facility).committed == D("210000")


def test_a_cap_declared_on_one_instrument_binds_every_instrument_it_names(staff, sme):  # type: ignore[no-untyped-def]
    older = Instrument.objects.create(key="portfolio-2025", name="Portfolio 2025", kind="voucher")
    both = ["portfolio-2025", "portfolio-2026"]
    newer = Instrument.objects.create(
        key="portfolio-2026",
        name="Portfolio 2026",
        kind="voucher",
        caps=[
            {"id": "portfolio", "kind": "per_beneficiary_per_year", "limit_eur": 15000, "instruments": both}
        ],
    )
    services.commit(staff, older, sme, D("10000"), dt.date(2026, 1, 10))
    with pytest.raises(FundsRefused) as on_newer:
        services.commit(staff, newer, sme, D("10000"), dt.date(2026, 2, 10))
    # the cap lives on the newer instrument, yet a commitment on the older one is checked against it too
    with pytest.raises(FundsRefused) as on_older:
        services.commit(staff, older, sme, D("10000"), dt.date(2026, 3, 10))
    assert [p.params["used_eur"] for p in (*on_newer.value.problems, *on_older.value.problems)] == [
        "10000.00",
        "10000.00",
    ]


def test_checking_a_commitment_says_every_cap_and_writes_nothing(staff, sme):  # type: ignore[no-untyped-def]
    vouchers = portfolio()
    result = services.check_commitment(vouchers, sme, D("15000"), dt.date(2026, 4, 1))
    assert (result.allowed, [(o.cap, o.code) for o in result.caps.outcomes]) == (
        True,
        [
            ("per-entrepreneur", "cap.per_beneficiary_per_year.within"),
            ("de_minimis", "cap.de_minimis.within"),
        ],
    )
    over = services.check_commitment(vouchers, sme, D("15000.01"), dt.date(2026, 4, 1))
    assert [o.code for o in over.caps.problems] == ["cap.per_beneficiary_per_year.exceeded"]
    assert LedgerEntry.objects.count() == 0


# -- the ledger's rules --------------------------------------------------------------------------------------


def test_a_repayment_on_a_subsidy_is_refused(cluster, staff, sme):  # type: ignore[no-untyped-def]
    subsidy = Instrument.objects.create(cluster=cluster, key="flux-aid", name="Aid", kind="subsidy")
    services.commit(staff, subsidy, sme, D("10000"), dt.date(2026, 1, 5))
    services.disburse(staff, subsidy, sme, D("10000"), dt.date(2026, 2, 5))
    with pytest.raises(FundsRefused) as refused:
        services.repay(staff, subsidy, sme, D("1000"), dt.date(2026, 3, 5))
    assert (refused.value.code, _problems(refused.value)) == (
        "funds.entry_refused",
        [("ledger.repaid_not_a_loan", {"instrument": "flux-aid", "kind": "subsidy"})],
    )
    assert LedgerEntry.objects.count() == 2


def test_a_loan_pays_out_what_was_committed_and_takes_back_what_was_paid(cluster, staff, sme):  # type: ignore[no-untyped-def]
    loan = Instrument.objects.create(cluster=cluster, key="flux-loan", name="Loan", kind="loan")
    services.commit(staff, loan, sme, D("100000"), dt.date(2026, 1, 5))
    services.disburse(staff, loan, sme, D("60000"), dt.date(2026, 2, 5))
    with pytest.raises(FundsRefused) as over_paid:
        services.disburse(staff, loan, sme, D("50000"), dt.date(2026, 3, 5))
    services.repay(staff, loan, sme, D("20000"), dt.date(2026, 6, 5))
    with pytest.raises(FundsRefused) as over_repaid:
        services.repay(staff, loan, sme, D("50000"), dt.date(2026, 7, 5))
    services.record_leverage(staff, loan, sme, D("30000"), dt.date(2026, 7, 5), note="bank co-financing")
    assert _problems(over_paid.value) + _problems(over_repaid.value) == [
        (
            "ledger.disbursed_over_committed",
            {"committed_eur": "100000.00", "disbursed_eur": "60000.00", "amount_eur": "50000"},
        ),
        (
            "ledger.repaid_over_disbursed",
            {"disbursed_eur": "60000.00", "repaid_eur": "20000.00", "amount_eur": "50000"},
        ),
    ]
    assert services.balance(loan, sme) == Balance(D("100000"), D("60000"), D("20000"), D("30000"))
    assert services.balance(loan, sme, until=dt.date(2026, 3, 1)) == Balance(D("100000"), D("60000"))


def test_a_payment_is_judged_on_the_same_projects_commitments(cluster, staff, sme):  # type: ignore[no-untyped-def]
    subsidy = Instrument.objects.create(cluster=cluster, key="flux-aid", name="Aid", kind="subsidy")
    services.commit(staff, subsidy, sme, D("10000"), dt.date(2026, 1, 5), project_ref="P-1")
    with pytest.raises(FundsRefused):
        services.disburse(staff, subsidy, sme, D("5000"), dt.date(2026, 2, 5), project_ref="P-2")
    services.disburse(staff, subsidy, sme, D("5000"), dt.date(2026, 2, 5), project_ref="P-1")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("10.005", [("funds.amount_not_cents", {"field": "amount_eur", "value": "10.005"})]),
        ("lots", [("funds.amount_not_cents", {"field": "amount_eur", "value": "lots"})]),
        ("-5", [("ledger.amount_not_positive", {"amount_eur": "-5"})]),
    ],
)
def test_an_amount_is_positive_euros_and_cents(cluster, staff, sme, amount, expected):  # type: ignore[no-untyped-def]
    subsidy = Instrument.objects.create(cluster=cluster, key="flux-aid", name="Aid", kind="subsidy")
    with pytest.raises(FundsRefused) as refused:
        services.commit(staff, subsidy, sme, amount, dt.date(2026, 1, 5))
    assert (refused.value.code, _problems(refused.value)) == ("funds.entry_refused", expected)


def test_the_balances_of_an_instrument_per_beneficiary_and_in_all(cluster, staff, sme):  # type: ignore[no-untyped-def]
    subsidy = Instrument.objects.create(cluster=cluster, key="flux-aid", name="Aid", kind="subsidy")
    other_fund = Instrument.objects.create(cluster=cluster, key="flux-other", name="Other", kind="subsidy")
    other = OrganisationFactory(name="Other", slug="other")
    services.commit(staff, subsidy, sme, D("10000"), dt.date(2026, 1, 5))
    services.disburse(staff, subsidy, sme, D("4000.50"), dt.date(2026, 2, 5))
    services.commit(staff, subsidy, other, D("2500"), dt.date(2026, 1, 6))
    services.commit(staff, other_fund, sme, D("999"), dt.date(2026, 1, 6))
    assert services.balance(subsidy) == Balance(committed=D("12500"), disbursed=D("4000.50"))
    assert services.balance(subsidy).undisbursed == D("8499.50")
    assert services.balances_by_beneficiary(subsidy) == {
        sme.pk: Balance(committed=D("10000"), disbursed=D("4000.50")),
        other.pk: Balance(committed=D("2500")),
    }


# -- who books -----------------------------------------------------------------------------------------------


def test_only_staff_book_and_a_programme_wide_instrument_any_clusters_staff(cluster, staff, sme):  # type: ignore[no-untyped-def]
    subsidy = Instrument.objects.create(cluster=cluster, key="flux-aid", name="Aid", kind="subsidy")
    vouchers = portfolio()
    elsewhere = staff_user(ClusterFactory(slug="lux", name="Lux"), "lux_staff")
    member = member_user(sme, "smart_heat_person")
    for user, instrument in ((member, subsidy), (member, vouchers), (elsewhere, subsidy)):
        with pytest.raises(PermissionDenied):
            services.commit(user, instrument, sme, D("100"), dt.date(2026, 1, 5))
    entry = services.commit(elsewhere, vouchers, sme, D("100"), dt.date(2026, 1, 5), note="first voucher")
    assert (entry.created_by, entry.note, entry.kind) == (elsewhere, "first voucher", "committed")


# -- locks ---------------------------------------------------------------------------------------------------


def test_a_booking_locks_every_instrument_its_caps_count_then_the_beneficiary(staff, sme):  # type: ignore[no-untyped-def]
    older = Instrument.objects.create(key="portfolio-2025", name="Portfolio 2025", kind="voucher")
    newer = Instrument.objects.create(
        key="portfolio-2026",
        name="Portfolio 2026",
        kind="voucher",
        caps=[
            {
                "id": "portfolio",
                "kind": "per_beneficiary_per_year",
                "limit_eur": 15000,
                "instruments": ["portfolio-2025", "portfolio-2026"],
            }
        ],
    )
    Instrument.objects.create(key="unrelated", name="Unrelated", kind="voucher")
    for instrument in (older, newer):
        instruments, organisations = services.locks(instrument, sme)
        assert (instruments.query.select_for_update, organisations.query.select_for_update) == (True, True)
        assert (list(instruments), list(organisations)) == ([older, newer], [sme])
