"""Integration: `helix funds` as a user: list the instruments one may see, the balances of a ledger (all of
it for its staff, a beneficiary's own for its people), and commitments booked or refused as the pages say
it, with nothing written on a refusal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from click.testing import CliRunner

from helix.cli import main
from helix.funds import services
from helix.funds.models import Instrument, LedgerEntry
from tests.factories.registry import ClusterFactory, OrganisationFactory, member_user, staff_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

D = Decimal


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["funds", *args])


@pytest.fixture
def flux(db):  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(slug="flux", name="Flux")
    staff = staff_user(cluster, "flux_staff")
    heat = OrganisationFactory(name="Smart Heat", slug="smart-heat", is_published=True)
    grid = OrganisationFactory(name="Grid Works", slug="grid-works", is_published=True)
    member_user(heat, "heat_person")
    subsidy = Instrument.objects.create(
        cluster=cluster, key="flux-subsidy", name="Flux subsidy", kind="subsidy", budget_eur=D("100000")
    )
    Instrument.objects.create(
        key="sme-portfolio",
        name="SME portfolio",
        kind="voucher",
        de_minimis=True,
        caps=[
            {
                "id": "per-entrepreneur",
                "kind": "per_beneficiary_per_year",
                "limit_eur": 15000,
                "instruments": ["sme-portfolio"],
            }
        ],
    )
    day = dt.date(2026, 3, 2)
    services.commit(staff, subsidy, heat, "40000.00", day, project_ref="HEAT-1")
    services.disburse(staff, subsidy, heat, "10000.00", day, project_ref="HEAT-1")
    services.commit(staff, subsidy, grid, "25000.00", day, project_ref="GRID-1")
    return cluster


def test_list_shows_the_instruments_to_a_signed_in_user_and_none_to_an_anonymous_caller(flux):  # type: ignore[no-untyped-def]
    listed = run("list", "--as", "heat_person")
    assert listed.exit_code == 0, listed.output
    assert listed.output == (
        "flux-subsidy\tflux\tsubsidy\t100000.00\t-\tFlux subsidy\n"
        "sme-portfolio\tprogramme-wide\tvoucher\t-\tde minimis\tSME portfolio\n"
    )
    anonymous = run("list")
    assert (anonymous.exit_code, anonymous.stdout) == (0, "")


def test_staff_see_every_balance_and_the_budget_left(flux):  # type: ignore[no-untyped-def]
    answer = run("balance", "--as", "flux_staff", "flux-subsidy")
    assert answer.exit_code == 0, answer.output
    assert answer.output == (
        "beneficiary\tcommitted\tdisbursed\trepaid\tleveraged\n"
        "grid-works\t25000.00\t0.00\t0.00\t0.00\n"
        "smart-heat\t40000.00\t10000.00\t0.00\t0.00\n"
        "total\t65000.00\t10000.00\t0.00\t0.00\n"
        "Left in the budget: 35000.00\n"
    )
    one = run("balance", "--as", "flux_staff", "flux-subsidy", "--beneficiary", "grid-works")
    assert one.output == (
        "beneficiary\tcommitted\tdisbursed\trepaid\tleveraged\n"
        "grid-works\t25000.00\t0.00\t0.00\t0.00\n"
        "total\t25000.00\t0.00\t0.00\t0.00\n"
    )


def test_a_beneficiarys_person_sees_only_its_own_balance(flux):  # type: ignore[no-untyped-def]
    answer = run("balance", "--as", "heat_person", "flux-subsidy")
    assert answer.output == (
        "beneficiary\tcommitted\tdisbursed\trepaid\tleveraged\n"
        "smart-heat\t40000.00\t10000.00\t0.00\t0.00\n"
        "total\t40000.00\t10000.00\t0.00\t0.00\n"
    )
    theirs = run("balance", "--as", "heat_person", "flux-subsidy", "--beneficiary", "grid-works")
    assert (theirs.exit_code, theirs.output) == (
        1,
        "Error: heat_person may not see the ledger of flux-subsidy, and has no entry on it\n",
    )
    assert run("balance", "flux-subsidy").exit_code == 2  # the ledger is read as a user


def test_staff_commit_and_a_commitment_over_a_cap_is_refused_whole(flux):  # type: ignore[no-untyped-def]
    booked = run(
        "commit", "sme-portfolio", "--as", "flux_staff", "--beneficiary", "smart-heat",
        "--amount", "12000.00", "--on", "2026-03-05",
    )  # fmt: skip
    entry = LedgerEntry.objects.order_by("pk").last()
    assert (
        booked.output
        == f"Committed 12000.00 EUR of sme-portfolio for smart-heat on 2026-03-05 (entry {entry.pk}).\n"
    )
    before = LedgerEntry.objects.count()
    refused = run(
        "commit", "sme-portfolio", "--as", "flux_staff", "--beneficiary", "smart-heat",
        "--amount", "4000", "--on", "2026-06-01",
    )  # fmt: skip
    assert (refused.exit_code, refused.output) == (
        1,
        "Error: The commitment of EUR 4,000.00 is refused whole: it would go over a cap. At most EUR "
        "15,000.00 a year per beneficiary: EUR 12,000.00 is committed in 2026 already, so EUR 4,000.00 is "
        "over the EUR 3,000.00 left.\n",
    )
    assert LedgerEntry.objects.count() == before


def test_only_those_who_may_book_commit(flux):  # type: ignore[no-untyped-def]
    before = LedgerEntry.objects.count()
    denied = run(
        "commit", "flux-subsidy", "--as", "heat_person", "--beneficiary", "smart-heat",
        "--amount", "100", "--on", "2026-03-05",
    )  # fmt: skip
    assert (denied.exit_code, denied.output) == (1, "Error: heat_person may not book on flux-subsidy\n")
    anonymous = run(
        "commit", "flux-subsidy", "--beneficiary", "smart-heat", "--amount", "1", "--on", "2026-03-05"
    )
    assert anonymous.exit_code == 2
    assert LedgerEntry.objects.count() == before


def test_a_payout_over_what_was_committed_is_refused(flux):  # type: ignore[no-untyped-def]
    refused = run(
        "disburse", "flux-subsidy", "--as", "flux_staff", "--beneficiary", "grid-works",
        "--amount", "30000.00", "--on", "2026-04-01", "--project", "GRID-1",
    )  # fmt: skip
    assert refused.output == (
        "Error: The entry cannot be booked: Paying out EUR 30,000.00 would be more than the EUR 25,000.00 "
        "committed (EUR 0.00 paid out already).\n"
    )
