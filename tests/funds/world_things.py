"""Instruments and ledger entries for the permission test world (tests/permissions): a subsidy of alpha, a
loan of beta and programme-wide de minimis vouchers, with entries for organisations of each cluster, of
both (ab) and of none (loose)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


def add_funds(w: Any) -> None:
    from helix.funds.models import Instrument, LedgerEntry
    from tests.permissions.world import Thing

    instruments = {
        "alpha": Instrument.objects.create(
            cluster=w.clusters["alpha"],
            key="alpha-subsidy",
            name="Alpha innovation subsidy",
            kind="subsidy",
            budget_eur=Decimal("500000"),
        ),
        "beta": Instrument.objects.create(
            cluster=w.clusters["beta"], key="beta-loan", name="Beta transformation loan", kind="loan"
        ),
        "programme": Instrument.objects.create(
            cluster=None,
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
        ),
    }
    for where, instrument in instruments.items():
        programme = where == "programme"
        w.things[f"instrument:{where}"] = Thing(
            instrument,
            clusters=frozenset() if programme else frozenset({where}),
            audience=frozenset() if programme else frozenset({where}),
            facts=frozenset({"programme_wide"}) if programme else frozenset(),
        )

    cases = [
        ("alpha", "a1", "committed"),
        ("alpha", "ab", "committed"),
        ("beta", "b1", "committed"),
        ("beta", "b1", "disbursed"),
        ("beta", "ab", "committed"),
        ("programme", "a2", "committed"),
        ("programme", "b2", "committed"),
        ("programme", "loose", "committed"),
    ]
    for where, org, kind in cases:
        entry = LedgerEntry.objects.create(
            instrument=instruments[where],
            beneficiary=w.orgs[org],
            kind=kind,
            amount_eur=Decimal("5000"),
            on=dt.date(2026, 3, 1),
        )
        key = f"ledger:{where}-{org}-{kind}"
        if where == "programme":
            # no cluster of its own: its staff are those of the beneficiary's clusters (and any staff)
            w.things[key] = w.org_thing(org, obj=entry, facts=frozenset({"programme_wide"}))
        else:
            w.things[key] = Thing(
                entry,
                owners=frozenset({org}),
                clusters=frozenset({where}),
                audience=frozenset({where}),
            )
