"""ORM <-> core for funds: instruments, their caps and their ledger entries as helix.core.funding reads
them. The one place these mappings live.

In the core an instrument is named by its ``key`` (cap specs name instruments by it), a beneficiary by
its organisation's id (as text), a project by ``project_ref``, a cluster by its id (as text, empty for a
programme-wide instrument).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Q

from helix.core.funding import caps as core_caps
from helix.core.funding import ledger as core
from helix.funds.models import EntryKind, Instrument, LedgerEntry
from helix.funds.validation import BUDGET_CAP, DE_MINIMIS_CAP
from helix.registry.models import Organisation


def instrument(row: Instrument) -> core.Instrument:
    return core.Instrument(
        id=row.key, kind=core.InstrumentKind(row.kind), name=row.name, de_minimis=row.de_minimis
    )


def beneficiary_id(organisation: Organisation | int) -> str:
    return str(organisation if isinstance(organisation, int) else organisation.pk)


def single_undertaking(organisation: Organisation) -> list[int]:
    """The organisations of ``organisation``'s single undertaking (de minimis counts them together).

    For now the organisation alone: the registry holds no ownership links between organisations yet.
    When it does, this returns the linked enterprises of helix.core.funding.sme.undertaking_ids, and
    every cap check and lock follows."""
    return [organisation.pk]


def undertaking_of(members: Iterable[int]) -> dict[str, str]:
    """The core's map from beneficiary to single undertaking for ``members`` of one undertaking."""
    ids = sorted(members)
    return {beneficiary_id(m): beneficiary_id(ids[0]) for m in ids}


def own_caps(row: Instrument) -> tuple[core_caps.Cap, ...]:
    """The instrument's caps: its specs (validated on save) and those its fields imply: the budget
    (``budget``) and, for de minimis aid, the ceiling of Regulation (EU) 2023/2831 across every de
    minimis instrument (``de_minimis``)."""
    caps = list(spec_caps(row))
    if row.budget_eur is not None:
        caps.append(
            core_caps.Cap(BUDGET_CAP, core_caps.CapKind.INSTRUMENT_BUDGET, row.budget_eur, (row.key,))
        )
    if row.de_minimis:
        caps.append(
            core_caps.Cap(
                DE_MINIMIS_CAP,
                core_caps.CapKind.DE_MINIMIS,
                core_caps.DE_MINIMIS_CEILING_EUR,
                (),
                core_caps.DE_MINIMIS_YEARS,
            )
        )
    return tuple(caps)


def spec_caps(row: Instrument) -> tuple[core_caps.Cap, ...]:
    return core_caps.load_caps(row.caps, "caps")


def caps_for(row: Instrument, others: Iterable[Instrument]) -> tuple[core_caps.Cap, ...]:
    """The caps a commitment of ``row`` must pass: its own, and the spec caps of ``others`` that name it
    (a cap shared by several instruments binds each of them wherever it is declared); a cap declared the
    same on several instruments counts once."""
    found = list(own_caps(row))
    for other in others:
        if other.pk == row.pk:
            continue
        for cap in spec_caps(other):
            if row.key in cap.instruments and cap not in found:
                found.append(cap)
    return tuple(found)


def entry(row: Any, keys: Mapping[int, str], clusters: Mapping[int, int | None]) -> core.Entry:
    """A ledger entry as the core reads it; ``row`` is a LedgerEntry or a ``values()`` dict of its
    fields (``keys`` and ``clusters``: each instrument id's key and cluster id)."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    instrument_id = get("instrument_id")
    cluster = clusters.get(instrument_id)
    return core.Entry(
        instrument=keys[instrument_id],
        kind=core.EntryKind(get("kind")),
        amount_eur=Decimal(get("amount_eur")),
        on=get("on"),
        beneficiary=beneficiary_id(get("beneficiary_id")),
        cluster="" if cluster is None else str(cluster),
        project=get("project_ref"),
        gross_grant_equivalent_eur=get("gross_grant_equivalent_eur"),
    )


ENTRY_FIELDS = (
    "instrument_id",
    "kind",
    "amount_eur",
    "on",
    "beneficiary_id",
    "project_ref",
    "gross_grant_equivalent_eur",
)


def ledger(instruments: Iterable[Instrument], entries: Q | None) -> core.Ledger:
    """The core's ledger of ``instruments`` holding the entries of theirs that ``entries`` selects
    (None: none), in date order."""
    rows = list(instruments)
    keys = {i.pk: i.key for i in rows}
    clusters = {i.pk: i.cluster_id for i in rows}
    selected: list[core.Entry] = []
    if entries is not None and rows:
        found = (
            LedgerEntry.objects.filter(entries, instrument_id__in=list(keys))
            .order_by("on", "pk")
            .values(*ENTRY_FIELDS)
        )
        selected = [entry(values, keys, clusters) for values in found]
    return core.Ledger({i.key: instrument(i) for i in rows}, tuple(selected))


def counted_entries(
    cap: core_caps.Cap, rows: Mapping[str, Instrument], proposal: core.Entry, members: Iterable[int]
) -> Q:
    """The commitment and release entries ``cap`` reads to judge ``proposal`` (``rows``: the instruments
    by key; ``members``: the beneficiary's single undertaking), as a filter."""
    if cap.kind is core_caps.CapKind.DE_MINIMIS:
        counted = cap.instruments or tuple(key for key, row in rows.items() if row.de_minimis)
    else:
        counted = cap.instruments
    ids = [rows[key].pk for key in counted if key in rows]
    # commitments and the releases taken from them (core.net_commitments): a release counts against the
    # commitment it came from, whatever its own date, so both are read without a date filter
    q = Q(kind__in=[EntryKind.COMMITTED, EntryKind.RELEASED], instrument_id__in=ids)
    if cap.kind is core_caps.CapKind.DE_MINIMIS:
        return q & Q(beneficiary_id__in=list(members))
    if cap.kind is core_caps.CapKind.PER_BENEFICIARY_PER_YEAR:
        return q & Q(beneficiary_id=int(proposal.beneficiary))
    if cap.kind is core_caps.CapKind.PER_PROJECT:
        return q & Q(project_ref=proposal.project) if proposal.project else Q(pk__in=[])
    return q
