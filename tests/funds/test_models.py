"""Integration: the ledger is append-only (helix.funds.models): an entry is never changed or deleted, by
the object, its queryset or a related manager; and the kinds are the core's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import ProtectedError

from helix.core.funding import ledger as core
from helix.funds.models import AppendOnly, EntryKind, Instrument, InstrumentKind, LedgerEntry
from tests.factories.registry import OrganisationFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def entry(db):  # type: ignore[no-untyped-def]
    instrument = Instrument.objects.create(key="aid", name="Aid", kind="subsidy")
    return LedgerEntry.objects.create(
        instrument=instrument,
        beneficiary=OrganisationFactory(slug="smart-heat"),
        kind=EntryKind.COMMITTED,
        amount_eur=Decimal("1000"),
        on=dt.date(2026, 1, 5),
    )


def test_an_entry_is_never_changed_or_deleted(entry):  # type: ignore[no-untyped-def]
    entry.amount_eur = Decimal("1")
    attempts = [
        entry.save,
        entry.delete,
        lambda: LedgerEntry.objects.filter(pk=entry.pk).update(amount_eur=Decimal("1")),
        lambda: LedgerEntry.objects.all().delete(),
        lambda: entry.instrument.entries.all().delete(),
    ]
    for attempt in attempts:
        with pytest.raises(AppendOnly):
            attempt()
    assert list(LedgerEntry.objects.values_list("amount_eur", flat=True)) == [Decimal("1000.00")]


def test_an_instrument_or_a_beneficiary_with_entries_is_not_deleted(entry):  # type: ignore[no-untyped-def]
    with pytest.raises(ProtectedError):
        entry.instrument.delete()
    with pytest.raises(ProtectedError):
        entry.beneficiary.delete()
    assert LedgerEntry.objects.count() == 1


@pytest.mark.unit
def test_the_kinds_are_the_cores():
    assert [k.value for k in InstrumentKind] == [k.value for k in core.InstrumentKind]
    assert [k.value for k in EntryKind] == [k.value for k in core.EntryKind]
