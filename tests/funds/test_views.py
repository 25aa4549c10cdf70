"""Integration: the funds pages as their users use them: the instruments one may see and their terms in
words; the whole ledger for the instrument's staff, only its own entries for a beneficiary's people; the
staff's booking form, whose refusals are said field by field and cap by cap with nothing written, and its
check before committing that shows each cap's use and headroom."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from helix.funds import services
from helix.funds.models import Instrument, LedgerEntry
from tests.factories.registry import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    member_user,
    staff_user,
)
from tests.helpers.clients import messages_of, page_client

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

D = Decimal
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def flux():  # type: ignore[no-untyped-def]
    """Flux's subsidy (a budget of EUR 100,000) and the programme's SME portfolio (EUR 15,000 per
    entrepreneur a year, de minimis), with commitments to two SMEs of the cluster."""
    cluster = ClusterFactory(slug="flux", name="Flux")
    staff = staff_user(cluster, "flux_staff")
    heat = OrganisationFactory(name="Smart Heat", slug="smart-heat", is_published=True)
    grid = OrganisationFactory(name="Grid Works", slug="grid-works", is_published=True)
    for org in (heat, grid):
        MembershipFactory(organisation=org, cluster=cluster, level="member")
    subsidy = Instrument.objects.create(
        cluster=cluster, key="flux-subsidy", name="Flux subsidy", kind="subsidy", budget_eur=D("100000")
    )
    portfolio = Instrument.objects.create(
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
    services.commit(staff, subsidy, heat, "40000.00", DAY, project_ref="HEAT-1")
    services.disburse(staff, subsidy, heat, "10000.00", DAY, project_ref="HEAT-1")
    services.commit(staff, subsidy, grid, "25000.00", DAY, project_ref="GRID-1")
    services.commit(staff, portfolio, heat, "12000.00", DAY)
    return {
        "cluster": cluster,
        "staff": staff,
        "heat": heat,
        "grid": grid,
        "subsidy": subsidy,
        "portfolio": portfolio,
        "heat_person": member_user(heat, "heat_person"),
    }


def test_the_list_shows_the_instruments_to_anyone_signed_in_and_sends_visitors_to_log_in(flux):  # type: ignore[no-untyped-def]
    page = page_client(flux["heat_person"]).get("/funds/").content.decode()
    assert ("Flux subsidy" in page, "SME portfolio" in page, "Programme-wide" in page) == (True, True, True)
    anonymous = page_client().get("/funds/")
    assert (anonymous.status_code, anonymous["Location"].startswith("/accounts/login/")) == (302, True)


def test_the_instrument_page_says_its_caps_in_words(flux):  # type: ignore[no-untyped-def]
    page = page_client(flux["heat_person"]).get("/funds/sme-portfolio/").content.decode()
    assert "At most EUR 15,000.00 a year per beneficiary." in page
    assert (
        "De minimis aid: at most EUR 300,000.00 per single undertaking over any 3 years, across every "
        "de minimis instrument." in page
    )
    subsidy = page_client(flux["heat_person"]).get("/funds/flux-subsidy/").content.decode()
    assert "A budget of EUR 100,000.00 committed in all." in subsidy


def test_staff_see_the_totals_the_budget_left_each_beneficiary_and_every_entry(flux):  # type: ignore[no-untyped-def]
    response = page_client(flux["staff"]).get("/funds/flux-subsidy/")
    context = response.context
    assert (context["summary"].total.committed, context["summary"].total.disbursed) == (
        D("65000.00"),
        D("10000.00"),
    )
    assert context["summary"].budget_headroom == D("35000.00")
    assert [(row["organisation"].slug, row["balance"].committed) for row in context["balances"]] == [
        ("grid-works", D("25000.00")),
        ("smart-heat", D("40000.00")),
    ]
    assert [(e.beneficiary.slug, e.kind) for e in context["entries"]] == [
        ("grid-works", "committed"),
        ("smart-heat", "disbursed"),
        ("smart-heat", "committed"),
    ]
    page = response.content.decode()
    assert ('id="budget-headroom">EUR 35,000.00' in page, 'id="book-link"' in page) == (True, True)


def test_a_beneficiarys_people_see_only_their_own_entries_and_balance(flux):  # type: ignore[no-untyped-def]
    response = page_client(flux["heat_person"]).get("/funds/flux-subsidy/")
    context = response.context
    assert (context["whole_ledger"], context["may_book"]) == (False, False)
    assert [(e.beneficiary.slug, e.kind) for e in context["entries"]] == [
        ("smart-heat", "disbursed"),
        ("smart-heat", "committed"),
    ]
    assert (context["summary"].total.committed, context["summary"].budget_headroom) == (D("40000.00"), None)
    page = response.content.decode()
    assert ("Grid Works" in page, "Your entries" in page, 'id="budget-headroom"' in page) == (
        False,
        True,
        False,
    )


def test_someone_with_no_entry_sees_the_terms_and_no_ledger(flux):  # type: ignore[no-untyped-def]
    grid_person = member_user(flux["grid"], "grid_person")
    page = page_client(grid_person).get("/funds/sme-portfolio/").content.decode()
    assert ('id="instrument-caps"' in page, 'id="ledger"' in page) == (True, False)


def test_the_booking_form_is_staff_only(flux):  # type: ignore[no-untyped-def]
    assert page_client(flux["heat_person"]).get("/funds/flux-subsidy/book/").status_code == 403
    other = staff_user(ClusterFactory(slug="other"), "other_staff")
    assert page_client(other).get("/funds/flux-subsidy/book/").status_code == 403
    page = page_client(flux["staff"]).get("/funds/flux-subsidy/book/").content.decode()
    # without a search, the beneficiaries of the instrument so far are offered
    assert ('value="grid-works"' in page, 'value="smart-heat"' in page) == (True, True)


def test_staff_find_a_beneficiary_by_name(flux):  # type: ignore[no-untyped-def]
    OrganisationFactory(name="Heat Pumps United", slug="heat-pumps", is_published=True)
    page = page_client(flux["staff"]).get("/funds/flux-subsidy/book/", {"q": "heat"}).content.decode()
    assert ('value="heat-pumps"' in page, 'value="smart-heat"' in page, 'value="grid-works"' in page) == (
        True,
        True,
        False,
    )


def _book(client, key, **fields):  # type: ignore[no-untyped-def]
    data = {
        "action": "commit",
        "beneficiary": "smart-heat",
        "amount_eur": "1000.00",
        "on": "2026-05-04",
        "project_ref": "",
        "gross_grant_equivalent_eur": "",
        "note": "",
        **fields,
    }
    return client.post(f"/funds/{key}/book/", data)


def test_staff_book_a_commitment_and_are_told_so(flux):  # type: ignore[no-untyped-def]
    client = page_client(flux["staff"])
    response = _book(client, "flux-subsidy", project_ref="HEAT-2", note="second phase")
    assert (response.status_code, response["Location"]) == (302, "/funds/flux-subsidy/")
    entry = LedgerEntry.objects.order_by("pk").last()
    assert (entry.kind, entry.amount_eur, entry.project_ref, entry.note, entry.created_by) == (
        "committed",
        D("1000.00"),
        "HEAT-2",
        "second phase",
        flux["staff"],
    )
    page = client.get("/funds/flux-subsidy/")
    assert messages_of(page) == ["Booked: Committed, EUR 1,000.00 to Smart Heat on 4 May 2026."]


def test_a_commitment_over_a_cap_is_refused_cap_by_cap_and_nothing_is_written(flux):  # type: ignore[no-untyped-def]
    before = LedgerEntry.objects.count()
    response = _book(page_client(flux["staff"]), "sme-portfolio", amount_eur="4000.00", on="2026-03-10")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The commitment of EUR 4,000.00 is refused whole: it would go over a cap.",
        "At most EUR 15,000.00 a year per beneficiary: EUR 12,000.00 is committed in 2026 already, so "
        "EUR 4,000.00 is over the EUR 3,000.00 left.",
    ]
    assert LedgerEntry.objects.count() == before


def test_a_refused_payment_is_said_under_the_amount(flux):  # type: ignore[no-untyped-def]
    before = LedgerEntry.objects.count()
    response = _book(
        page_client(flux["staff"]),
        "flux-subsidy",
        action="disburse",
        amount_eur="50000.00",
        project_ref="HEAT-1",
    )
    form = response.context["form"]
    assert form.errors["amount_eur"] == [
        "Paying out EUR 50,000.00 would be more than the EUR 40,000.00 committed (EUR 10,000.00 paid out "
        "already)."
    ]
    assert form.non_field_errors() == ["The entry cannot be booked:"]
    assert LedgerEntry.objects.count() == before


def test_a_loan_under_de_minimis_asks_for_its_gross_grant_equivalent(flux):  # type: ignore[no-untyped-def]
    Instrument.objects.create(
        cluster=flux["cluster"], key="flux-loan", name="Flux loan", kind="loan", de_minimis=True
    )
    response = _book(page_client(flux["staff"]), "flux-loan", amount_eur="50000.00")
    assert response.context["form"].errors["gross_grant_equivalent_eur"] == [
        "Under de minimis, aid of the kind “Loan” counts at its gross grant equivalent: give it with the "
        "commitment."
    ]
    booked = _book(
        page_client(flux["staff"]), "flux-loan", amount_eur="50000.00", gross_grant_equivalent_eur="4000"
    )
    assert booked.status_code == 302
    assert LedgerEntry.objects.get(instrument__key="flux-loan").gross_grant_equivalent_eur == D("4000.00")


def test_amounts_in_fractions_of_a_cent_or_below_zero_are_refused_under_the_amount(flux):  # type: ignore[no-untyped-def]
    client = page_client(flux["staff"])
    before = LedgerEntry.objects.count()
    cents = _book(client, "flux-subsidy", amount_eur="10.005").context["form"].errors["amount_eur"]
    negative = _book(client, "flux-subsidy", amount_eur="-5").context["form"].errors["amount_eur"]
    assert (cents, negative) == (
        ["Ensure that there are no more than 2 decimal places."],
        ["An amount must be more than zero."],
    )
    assert LedgerEntry.objects.count() == before


def test_checking_a_commitment_shows_each_cap_and_writes_nothing(flux):  # type: ignore[no-untyped-def]
    before = LedgerEntry.objects.count()
    response = _book(page_client(flux["staff"]), "sme-portfolio", amount_eur="2000.00", check="1")
    checked = response.context["checked"]
    assert checked["allowed"] is True
    assert [(c["cap"], c["passed"], c["used"], c["headroom"]) for c in checked["caps"]] == [
        ("per-entrepreneur", True, "12000.00", "3000.00"),
        ("de_minimis", True, "12000.00", "288000.00"),
    ]
    assert LedgerEntry.objects.count() == before
    over = _book(page_client(flux["staff"]), "sme-portfolio", amount_eur="4000.00", check="1")
    assert [c["passed"] for c in over.context["checked"]["caps"]] == [False, True]
    assert "The commitment would be refused" in over.content.decode()
