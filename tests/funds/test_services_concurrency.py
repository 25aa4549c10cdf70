"""Integration, PostgreSQL: two commitments that would each pass a cap alone never both pass it together.

One transaction books a commitment and holds it open; a second commitment, started in another thread,
must wait for the first one's row locks (helix.funds.services), then read the ledger with the first
commitment in it and be refused. Without the locks the second would read the ledger without the first
(uncommitted) row, pass the cap and finish while the first is still open.

SQLite has no row locks (Django leaves FOR UPDATE out; Helix opens its transactions IMMEDIATE, so one
writes at a time, and the tests' shared in-memory database fails a second writer at once instead of
making it wait), so these tests skip there; run them with DATABASE_URL pointing at PostgreSQL, as CI does.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from helix.funds import services
from helix.funds.models import Instrument, LedgerEntry
from helix.funds.services import FundsRefused
from tests.factories.registry import ClusterFactory, OrganisationFactory, staff_user

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    # skipped before any database set-up on SQLite: a transactional test skipped inside its fixtures
    # leaves the test database half torn down for the serialized-rollback tests that follow it
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL: SQLite has no SELECT ... FOR UPDATE; CI runs this on PostgreSQL",
    ),
    # serialized rollback as every other transactional test: a plain one flushes and re-creates the
    # content types with new ids, which breaks the serialized tests after it in the same worker (and a
    # serialized one before it leaves the database empty for it)
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

D = Decimal
WAIT = 1.0  # seconds the second booking is given to (wrongly) finish while the first holds its locks


def _in_thread(work: Callable[[], Any], outcome: dict[str, Any]) -> threading.Thread:
    def run() -> None:
        try:
            outcome["result"] = work()
        except Exception as error:  # the refusal is the outcome looked for
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _race(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[bool, dict[str, Any]]:
    """Run ``first`` in an open transaction, then ``second`` in another thread; say whether ``second`` was
    still waiting after WAIT seconds, and how it ended once ``first`` committed."""
    booked, release = threading.Event(), threading.Event()

    def hold() -> None:
        with transaction.atomic():
            first()
            booked.set()
            release.wait(10)

    held: dict[str, Any] = {}
    holder = _in_thread(hold, held)
    assert booked.wait(10), held
    outcome: dict[str, Any] = {}
    other = _in_thread(second, outcome)
    other.join(WAIT)
    waited = other.is_alive()
    release.set()
    holder.join(10)
    other.join(10)
    assert "error" not in held, held
    return waited, outcome


def test_two_commitments_cannot_both_pass_the_portfolio_cap():  # type: ignore[no-untyped-def]
    staff = staff_user(ClusterFactory(slug="flux"), "flux_staff")
    sme = OrganisationFactory(slug="smart-heat")
    caps = [
        {
            "id": "per-entrepreneur",
            "kind": "per_beneficiary_per_year",
            "limit_eur": 15000,
            "instruments": ["p"],
        }
    ]
    vouchers = Instrument.objects.create(key="p", name="SME portfolio", kind="voucher", caps=caps)

    def book() -> Any:
        return services.commit(staff, vouchers, sme, D("10000"), dt.date(2026, 3, 1))

    waited, outcome = _race(book, book)
    assert waited is True
    assert isinstance(outcome.get("error"), FundsRefused), outcome
    assert [p.code for p in outcome["error"].problems] == ["cap.per_beneficiary_per_year.exceeded"]
    assert LedgerEntry.objects.count() == 1


def test_two_de_minimis_grants_on_different_instruments_wait_for_each_other():  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(slug="flux")
    staff = staff_user(cluster, "flux_staff")
    sme = OrganisationFactory(slug="smart-heat")
    aid = Instrument.objects.create(cluster=cluster, key="aid", name="Aid", kind="subsidy", de_minimis=True)
    vouchers = Instrument.objects.create(key="vouchers", name="Vouchers", kind="voucher", de_minimis=True)

    waited, outcome = _race(
        lambda: services.commit(staff, aid, sme, D("200000"), dt.date(2026, 3, 1)),
        lambda: services.commit(staff, vouchers, sme, D("150000"), dt.date(2026, 3, 2)),
    )
    # the instruments differ: only the beneficiary's lock makes the second wait
    assert waited is True
    assert isinstance(outcome.get("error"), FundsRefused), outcome
    assert [p.code for p in outcome["error"].problems] == ["cap.de_minimis.exceeded"]
    assert LedgerEntry.objects.count() == 1


def test_a_commitment_selects_its_instruments_and_beneficiary_for_update():  # type: ignore[no-untyped-def]
    staff = staff_user(ClusterFactory(slug="flux"), "flux_staff")
    sme = OrganisationFactory(slug="smart-heat")
    vouchers = Instrument.objects.create(key="vouchers", name="Vouchers", kind="voucher", de_minimis=True)
    with CaptureQueriesContext(connection) as queries:
        services.commit(staff, vouchers, sme, D("100"), dt.date(2026, 3, 1))
    locking = [q["sql"] for q in queries.captured_queries if q["sql"].endswith("FOR UPDATE")]
    assert [sql.split(" FROM ")[1].split()[0] for sql in locking] == [
        '"funds_instrument"',
        '"registry_organisation"',
    ]
