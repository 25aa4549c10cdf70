"""Integration: every code of the core's ledger and caps, of a cap spec and of the funds services is said
in one place (helix.funds.explain), in the reader's language and number format."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

import helix.core.funding as core_funding
import helix.core.specs as core_specs
from helix.core.funding.caps import CapKind
from helix.funds import explain, services, validation
from helix.funds.models import Instrument
from helix.funds.services import FundsRefused
from tests.factories.registry import ClusterFactory, OrganisationFactory, staff_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

CORE = Path(core_funding.__file__).parent


def _codes_in(path: Path, pattern: str) -> set[str]:
    return set(re.findall(pattern, path.read_text(encoding="utf-8")))


def test_every_code_the_ledger_the_caps_the_specs_and_the_app_give_is_said():
    ledger = _codes_in(CORE / "ledger.py", r'LedgerProblem\(\s*"([a-z_.]+)"')
    caps = _codes_in(CORE / "caps.py", r'"(cap\.[a-z_]+\.[a-z_]+)"')
    outcomes = {f"cap.{kind}.{how}" for kind in CapKind for how in ("within", "exceeded")}
    assert "f\"cap.{cap.kind}.{'within' if passed else 'exceeded'}\"" in (CORE / "caps.py").read_text()
    specs = _codes_in(Path(core_specs.__file__), r'problem\(\s*"(spec\.[a-z_]+)"') | _codes_in(
        CORE / "caps.py", r'SpecProblem\(\s*"(spec\.[a-z_]+)"'
    )
    app = _codes_in(Path(services.__file__), r'"(funds\.[a-z_]+)"') | _codes_in(
        Path(validation.__file__), r'"(funds\.[a-z_]+)"'
    )
    found = ledger | caps | outcomes | specs | app
    assert (len(ledger), len(caps), len(specs), len(app)) == (7, 2, 8, 9)  # the scan finds them
    assert found - explain.TRANSLATED == set()


def test_a_refused_commitment_says_the_refusal_and_the_cap_with_its_figures():
    cluster = ClusterFactory(slug="flux")
    staff = staff_user(cluster, "flux_staff")
    sme = OrganisationFactory(slug="smart-heat")
    caps = [{"id": "portfolio", "kind": "per_beneficiary_per_year", "limit_eur": 15000, "instruments": ["p"]}]
    vouchers = Instrument.objects.create(key="p", name="SME portfolio", kind="voucher", caps=caps)
    services.commit(staff, vouchers, sme, Decimal("9000"), dt.date(2026, 2, 1))
    with pytest.raises(FundsRefused) as refused:
        services.commit(staff, vouchers, sme, Decimal("7000"), dt.date(2026, 6, 1))
    assert explain.refusal_text(refused.value) == (
        "The commitment of EUR 7,000.00 is refused whole: it would go over a cap. "
        "At most EUR 15,000.00 a year per beneficiary: EUR 9,000.00 is committed in 2026 already, "
        "so EUR 7,000.00 is over the EUR 6,000.00 left."
    )


def test_a_de_minimis_refusal_names_its_window_and_the_reader_gets_their_number_format():
    params = {
        "cap": "de_minimis",
        "limit_eur": "300000",
        "used_eur": "290000.00",
        "amount_eur": "20000",
        "headroom_eur": "10000.00",
        "window_after": "2024-02-28",
        "window_until": "2027-02-28",
    }
    assert explain.say("cap.de_minimis.exceeded", params) == (
        "De minimis aid is at most EUR 300,000.00 per single undertaking over 3 years: it received "
        "EUR 290,000.00 from 29 February 2024 to 28 February 2027, so EUR 20,000.00 is over the "
        "EUR 10,000.00 left."
    )
    with translation.override("de"):
        german = explain.say("cap.de_minimis.exceeded", params)
    assert ("300.000,00" in german, "290.000,00" in german, "28. Februar 2027" in german) == (
        True,
        True,
        True,
    )


def test_the_kind_of_instrument_is_named_by_its_label():
    assert [
        explain.say("ledger.repaid_not_a_loan", {"instrument": "aid", "kind": "voucher"}),
        explain.say("cap.de_minimis.equivalent_unknown", {"cap": "de_minimis", "kind": "equity"}),
    ] == [
        "Only a loan is repaid; this instrument is of the kind “Vouchers”.",
        "Under de minimis, aid of the kind “Equity” counts at its gross grant equivalent: give it with the "
        "commitment.",
    ]


def test_a_code_not_said_here_falls_back_to_the_core_english_text():
    assert explain.say("cap.per_month.exceeded", {}, "per-month: over") == "per-month: over"
    assert explain.say("cap.per_month.exceeded", {}) == "cap.per_month.exceeded"
