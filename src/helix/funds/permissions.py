"""Who sees an instrument and its ledger, and who books on it.

An instrument's terms (its name, kind, budget, caps and whether it is de minimis aid) are seen by anyone
signed in: they are what an applicant reads before applying, and no figure of anyone's ledger is in
them. They are not public: the pages that show them come with the calls (which decide their own reach),
and an anonymous visitor has nothing to apply with. The ledger is staff only (docs/decisions/0006): the
staff of the instrument's cluster see every entry and balance and book on it; a programme-wide
instrument (no cluster) is booked and seen by the staff of any cluster, since a programme's vouchers or
de minimis aid reach the members of every cluster. Only a cluster's staff change a cluster's
instrument; a programme-wide one binds every cluster, so only a superuser changes it.

A beneficiary's own people see its own entries (``owner`` through ``beneficiary_id``), never the
instrument's other entries or its totals. Entries are never edited or deleted (the ledger is
append-only), so no such action is declared.
"""

from __future__ import annotations

from django.db.models import Q

from helix.core.access import ANY_STAFF, OWNER, SIGNED_IN, STAFF, Grant, Policy
from helix.funds.models import Instrument, LedgerEntry
from helix.registry.permissions import Fact, Subject, register

PROGRAMME_WIDE = "programme-wide: of no one cluster"

INSTRUMENT = Policy(
    subject="funds.instrument",
    label="Funding instrument",
    actions={
        "view": "see the instrument's terms: name, kind, budget, caps, whether it is de minimis aid",
        "view_ledger": "see every entry of its ledger and its balances, per beneficiary and in all",
        "book": "commit, pay out, record repayments and leverage on its ledger",
        "create": "add an instrument to a cluster (a programme-wide one: the superuser)",
        "edit": "change its name, budget and caps",
    },
    conditions={"programme_wide": PROGRAMME_WIDE},
    grants=(
        Grant("view", SIGNED_IN),
        Grant("view_ledger", STAFF),
        Grant("view_ledger", ANY_STAFF, frozenset({"programme_wide"})),
        Grant("book", STAFF),
        Grant("book", ANY_STAFF, frozenset({"programme_wide"})),
        Grant("create", STAFF, note="asked of the new instrument, with its cluster"),
        Grant("edit", STAFF),
    ),
)

LEDGER_ENTRY = Policy(
    subject="funds.ledgerentry",
    label="Ledger entry",
    actions={"view": "see the entry: its instrument, beneficiary, kind, amount, date and note"},
    conditions={"programme_wide": PROGRAMME_WIDE},
    grants=(
        Grant("view", OWNER | STAFF),
        Grant("view", ANY_STAFF, frozenset({"programme_wide"})),
    ),
)

register(
    Subject(
        INSTRUMENT,
        Instrument,
        cluster="cluster_id",
        facts={
            "programme_wide": Fact(lambda i: i.cluster_id is None, lambda: Q(cluster__isnull=True)),
        },
    ),
    Subject(
        LEDGER_ENTRY,
        LedgerEntry,
        organisations=("beneficiary_id",),
        cluster="instrument__cluster_id",
        facts={
            "programme_wide": Fact(
                lambda e: e.instrument.cluster_id is None, lambda: Q(instrument__cluster__isnull=True)
            ),
        },
    ),
)
