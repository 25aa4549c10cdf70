"""Integration: an over-booked commitment is corrected by a release (helix.funds.services.release): the
ledger stays append-only, the beneficiary's room under the caps comes back in the commitment's year, and
no more than what is committed and unpaid can be released."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from helix.funds import services
from helix.funds.explain import refusal_text
from helix.funds.models import LedgerEntry
from helix.funds.services import FundsRefused
from tests.factories.registry import ClusterFactory, OrganisationFactory, staff_user
from tests.funds.test_services import portfolio

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_a_release_corrects_an_over_booked_voucher_and_frees_the_entrepreneurs_room_that_year():
    cluster = ClusterFactory(slug="flux")
    staff = staff_user(cluster, "flux_staff")
    sme = OrganisationFactory(slug="smart-heat")
    vouchers = portfolio()
    services.commit(staff, vouchers, sme, "15000", dt.date(2026, 3, 1), project_ref="audit")
    with pytest.raises(FundsRefused):
        services.commit(staff, vouchers, sme, "4000", dt.date(2026, 9, 1), project_ref="coaching")
    # the audit cost 11,000, not 15,000: the 4,000 over-booked are released in January of the next year
    services.release(staff, vouchers, sme, "4000", dt.date(2027, 1, 15), project_ref="audit")
    assert services.balance(vouchers, sme).net_committed == Decimal("11000")
    # ... which frees 2026's room (a commitment dated in 2026 fits now), not 2027's
    services.commit(staff, vouchers, sme, "4000", dt.date(2026, 12, 1), project_ref="coaching")
    assert list(LedgerEntry.objects.order_by("pk").values_list("kind", flat=True)) == [
        "committed",
        "released",
        "committed",
    ]


def test_releasing_more_than_is_committed_and_unpaid_is_refused_whole():
    cluster = ClusterFactory(slug="flux")
    staff = staff_user(cluster, "flux_staff")
    sme = OrganisationFactory(slug="smart-heat")
    vouchers = portfolio()
    services.commit(staff, vouchers, sme, "10000", dt.date(2026, 3, 1), project_ref="audit")
    services.disburse(staff, vouchers, sme, "7000", dt.date(2026, 4, 1), project_ref="audit")
    with pytest.raises(FundsRefused) as caught:
        services.release(staff, vouchers, sme, "3000.01", dt.date(2026, 5, 1), project_ref="audit")
    assert [p.code for p in caught.value.problems] == ["ledger.released_over_undisbursed"]
    assert "3,000.01" in refusal_text(caught.value)
    assert LedgerEntry.objects.filter(kind="released").count() == 0
    services.release(staff, vouchers, sme, "3000", dt.date(2026, 5, 1), project_ref="audit")
    assert services.balance(vouchers, sme).undisbursed == Decimal(0)
