"""Response and request bodies of the funds API (``/api/funds/``). Amounts are euros and cents, sent and
received as decimal strings (``"15000.00"``) so that no amount is ever rounded by a float."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from helix.api.schemas.base import Input
from helix.funds.models import Instrument, LedgerEntry

CENT = Decimal("0.01")


def cents(value: Decimal | None) -> Decimal | None:
    """An amount as euros and cents ("300000.00", never "3E+5" or "0"), as the ledger stores them."""
    return None if value is None else value.quantize(CENT)


class InstrumentOut(Schema):
    key: str
    name: str
    kind: str = Field(description="subsidy, loan, equity or voucher")
    cluster: str | None = Field(description="The cluster's slug; null for a programme-wide instrument")
    budget_eur: Decimal | None
    de_minimis: bool = Field(
        description="Its commitments count towards each beneficiary's de minimis ceiling"
    )

    @staticmethod
    def resolve_cluster(obj: Instrument | dict[str, Any]) -> str | None:
        if isinstance(obj, dict):  # an instrument's detail, built by its handler
            return obj["cluster"]
        return obj.cluster.slug if obj.cluster_id is not None else None


class CapOut(Schema):
    id: str
    kind: str = Field(description="de_minimis, per_beneficiary_per_year, per_project or instrument_budget")
    limit_eur: Decimal
    instruments: list[str] = Field(description="The instruments whose commitments it counts (their keys)")
    years: int | None = Field(description="The rolling window of a de minimis cap, in years")
    text: str = Field(description="The cap in words, in your language")


class BalanceOut(Schema):
    committed_eur: Decimal
    disbursed_eur: Decimal
    repaid_eur: Decimal
    leveraged_eur: Decimal

    @staticmethod
    def of(balance: Any) -> dict[str, Decimal]:
        return {
            "committed_eur": cents(balance.committed),
            "disbursed_eur": cents(balance.disbursed),
            "repaid_eur": cents(balance.repaid),
            "leveraged_eur": cents(balance.leveraged),
        }


class BeneficiaryBalanceOut(BalanceOut):
    organisation: str = Field(description="The beneficiary's slug")
    name: str


class LedgerOut(Schema):
    total: BalanceOut
    budget_headroom_eur: Decimal | None = Field(description="What the budget has left to commit")
    beneficiaries: list[BeneficiaryBalanceOut]


class InstrumentDetailOut(InstrumentOut):
    caps: list[CapOut] = Field(description="Every cap a commitment on it must pass: its terms")
    ledger: LedgerOut | None = Field(
        description="Its balances, for those who may see its whole ledger (its cluster's staff); null else"
    )


class EntryOut(Schema):
    id: int
    instrument: str = Field(description="The instrument's key")
    beneficiary: str = Field(description="The beneficiary's slug")
    beneficiary_name: str
    kind: str = Field(description="committed, disbursed, repaid or leveraged")
    amount_eur: Decimal
    gross_grant_equivalent_eur: Decimal | None
    on: date
    project_ref: str
    note: str

    @staticmethod
    def resolve_instrument(obj: LedgerEntry) -> str:
        return obj.instrument.key

    @staticmethod
    def resolve_beneficiary(obj: LedgerEntry) -> str:
        return obj.beneficiary.slug

    @staticmethod
    def resolve_beneficiary_name(obj: LedgerEntry) -> str:
        return obj.beneficiary.name


class EntryFilters(Input):
    beneficiary: str = Field("", max_length=80, description="A beneficiary's slug: its entries only")


class BookingIn(Input):
    beneficiary: str = Field(max_length=80, description="The beneficiary organisation's slug")
    amount_eur: Decimal = Field(
        max_digits=14, decimal_places=2, description='Euros and cents, e.g. "15000.00"'
    )
    on: date = Field(description="The day of the entry (of a commitment: the day the right to it is given)")
    project_ref: str = Field("", max_length=60, description="The project the money is for")
    note: str = Field("", max_length=300)


class CommitIn(BookingIn):
    gross_grant_equivalent_eur: Decimal | None = Field(
        None,
        max_digits=14,
        decimal_places=2,
        description="What the commitment counts for under de minimis (a de minimis loan or equity needs it)",
    )


class ProblemOut(Schema):
    code: str
    field: str | None = Field(description="The body's field it is about; null: the booking as a whole")
    text: str = Field(description="The reason, in your language")


class FundsRefusal(Schema):
    """409: the ledger's rules or a cap refuse the booking; nothing was written."""

    detail: str
    code: str = Field(description="funds.entry_refused, funds.over_cap, funds.amount_not_cents, ...")
    problems: list[ProblemOut] = Field([], description="Each reason: each cap it would go over, ...")


class CapOutcomeOut(Schema):
    cap: str
    kind: str
    passed: bool
    code: str
    text: str = Field(description="What is used of the cap and what is left, in your language")
    limit_eur: Decimal | None
    used_eur: Decimal | None
    headroom_eur: Decimal | None


class CheckOut(Schema):
    """Would the commitment be booked? Nothing is written."""

    allowed: bool
    problems: list[ProblemOut] = Field(description="The ledger's rules it breaks")
    caps: list[CapOutcomeOut] = Field(description="Every cap that applies, passed or exceeded")
