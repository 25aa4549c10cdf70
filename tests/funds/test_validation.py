"""Integration: an instrument is saved only with caps the core reads and the app accepts
(helix.funds.validation); each refusal is a coded error under its field, its path in the message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from helix.funds.models import Instrument, LedgerEntry
from tests.factories.registry import OrganisationFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _refusal(**fields):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        Instrument.objects.create(**{"key": "aid", "name": "Aid", "kind": "subsidy", **fields})
    return {
        name: [(error.code, error.message) for error in errors]
        for name, errors in refused.value.error_dict.items()
    }


def test_caps_the_core_cannot_read_are_refused_with_every_reason_named():
    caps = [
        {"id": "a", "kind": "per_year", "limit_eur": -1},
        {"id": "b", "kind": "per_project", "limit_eur": 5},
    ]
    assert _refusal(caps=caps) == {
        "caps": [
            (
                "spec.bad_value",
                "caps[0].kind must be one of: de_minimis, instrument_budget, per_beneficiary_per_year, "
                "per_project.",
            ),
            ("spec.bad_value", "caps[0].limit_eur must be at least 0."),
            ("spec.missing_field", "caps[1].instruments is required."),
        ]
    }
    assert _refusal(caps={"kind": "de_minimis"}) == {"caps": [("spec.not_a_list", "caps must be a list.")]}
    assert Instrument.objects.count() == 0


def test_an_unknown_kind_or_a_key_that_is_no_slug_is_refused_whichever_path_saves_it():
    assert {
        name: [code for code, _message in errors]
        for name, errors in _refusal(kind="grant", key="a b").items()
    } == {
        "key": ["invalid"],
        "kind": ["invalid_choice"],
    }


def test_caps_that_would_not_bind_or_would_clash_with_the_instruments_own_are_refused():
    Instrument.objects.create(key="portfolio-2025", name="Portfolio 2025", kind="voucher")
    caps = [
        {"id": "budget", "kind": "instrument_budget", "limit_eur": 10, "instruments": ["aid"]},
        {"id": "dm", "kind": "de_minimis", "limit_eur": 100000},
        {"id": "other", "kind": "per_project", "limit_eur": 10, "instruments": ["portfolio-2025"]},
        {"id": "typo", "kind": "per_project", "limit_eur": 10, "instruments": ["aid", "portfolio-2052"]},
    ]
    assert _refusal(caps=caps) == {
        "caps": [
            (
                "funds.cap_id_reserved",
                "caps[0].id: “budget” names a cap the instrument's own fields set (its budget, de minimis); "
                "choose another.",
            ),
            (
                "funds.de_minimis_cap_not_de_minimis",
                "caps[1].kind: a de minimis cap needs an instrument marked as de minimis aid.",
            ),
            (
                "funds.cap_not_this_instrument",
                "caps[2].instruments must name this instrument (aid) among those it counts.",
            ),
            ("funds.cap_unknown_instruments", "caps[3].instruments: there is no instrument portfolio-2052."),
        ]
    }


def test_caps_shared_with_existing_instruments_are_kept_as_given():
    Instrument.objects.create(key="portfolio-2025", name="Portfolio 2025", kind="voucher")
    caps = [
        {
            "id": "portfolio",
            "kind": "per_beneficiary_per_year",
            "limit_eur": "15000",
            "instruments": ["portfolio-2025", "aid"],
        },
        {"id": "lower", "kind": "de_minimis", "limit_eur": 100000, "years": 2},
    ]
    Instrument.objects.create(key="aid", name="Aid", kind="voucher", de_minimis=True, caps=caps)
    assert Instrument.objects.get(key="aid").caps == caps


def test_what_the_entries_were_booked_under_is_fixed_once_the_ledger_has_entries():
    aid = Instrument.objects.create(key="aid", name="Aid", kind="subsidy")
    aid.kind, aid.name = "loan", "Aid as a loan"
    aid.save()  # no entry yet: anything may change
    LedgerEntry.objects.create(
        instrument=aid,
        beneficiary=OrganisationFactory(slug="smart-heat"),
        kind="committed",
        amount_eur=Decimal("1000"),
        on=dt.date(2026, 1, 5),
    )
    aid.kind, aid.key, aid.de_minimis, aid.name, aid.budget_eur = (
        "subsidy",
        "aid-2",
        True,
        "Renamed",
        Decimal(9),
    )
    with pytest.raises(ValidationError) as refused:
        aid.save()
    fixed = "This cannot change any more: the instrument's ledger has entries."
    assert {
        name: [(e.code, e.message) for e in errors] for name, errors in refused.value.error_dict.items()
    } == {
        "key": [("funds.fixed_once_booked", fixed)],
        "kind": [("funds.fixed_once_booked", fixed)],
        "de_minimis": [("funds.fixed_once_booked", fixed)],
    }
    aid.kind, aid.key, aid.de_minimis = "loan", "aid", False
    aid.save()  # its name and budget may change
    assert Instrument.objects.values_list("name", "budget_eur").get() == ("Renamed", Decimal("9.00"))
