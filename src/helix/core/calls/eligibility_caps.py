"""The eligibility rules over the ledger: per-beneficiary, co-financing, de minimis and budget caps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from helix.core.funding.caps import (
    DE_MINIMIS_CEILING_EUR,
    DE_MINIMIS_YEARS,
    Cap,
    CapKind,
    CapOutcome,
    check_commitment,
)
from helix.core.funding.ledger import Entry, EntryKind, Ledger

from .eligibility_facts import ApplicationFacts, Verdict


def _no_ledger(facts: ApplicationFacts) -> Verdict | None:
    if facts.ledger is None:
        return Verdict(False, "unknown", {"missing": "ledger"}, "The ledger of the instruments is not known")
    if facts.instrument not in facts.ledger.instruments:
        return Verdict(
            False,
            "unknown",
            {"missing": "instrument", "instrument": facts.instrument},
            "The call's instrument is not in the ledger",
        )
    return None


def _caps_verdict(outcomes: Sequence[CapOutcome], extra: dict[str, object], what: str) -> Verdict:
    checks = [{"code": o.code, **o.params} for o in outcomes]
    failed = [o for o in outcomes if not o.passed]
    params = {**extra, "checks": checks}
    if failed:
        return Verdict(False, "failed", params, "; ".join(o.text for o in failed))
    return Verdict(True, "passed", params, "; ".join(o.text for o in outcomes) or what)


def _check_applicants(
    facts: ApplicationFacts, cap: Cap, ledger: Ledger, equivalents: bool
) -> list[CapOutcome]:
    """Check each applicant's commitment in turn, each on the ledger holding the ones before it."""
    outcomes: list[CapOutcome] = []
    for a in facts.applicants:
        if a.requested_eur <= 0:
            continue
        entry = Entry(
            facts.instrument,
            EntryKind.COMMITTED,
            a.requested_eur,
            facts.on,
            a.organisation,
            facts.cluster,
            facts.project,
            a.grant_equivalent_eur if equivalents else None,
        )
        outcomes += check_commitment(ledger, entry, [cap], facts.undertaking_of).outcomes
        ledger = ledger.with_entry(entry)
    return outcomes


@dataclass(frozen=True)
class PerBeneficiaryCapRule:
    limit_eur: Decimal
    instruments: tuple[str, ...] = ()  # empty: the call's instrument

    def params(self) -> dict[str, object]:
        return {"limit_eur": str(self.limit_eur), "instruments": list(self.instruments)}

    def judge(self, facts: ApplicationFacts) -> Verdict:
        if (missing := _no_ledger(facts)) is not None:
            return missing
        assert facts.ledger is not None
        instruments = tuple(sorted(set(self.instruments) | {facts.instrument}))
        cap = Cap("per_beneficiary", CapKind.PER_BENEFICIARY_PER_YEAR, self.limit_eur, instruments)
        outcomes = _check_applicants(facts, cap, facts.ledger, equivalents=False)
        return _caps_verdict(outcomes, {"year": facts.on.year}, "Nothing requested")


@dataclass(frozen=True)
class CoFinancingCapRule:
    limit_eur: Decimal
    max_rate: Decimal | None = None  # the largest share of the project's total cost the call pays

    def params(self) -> dict[str, object]:
        return {
            "limit_eur": str(self.limit_eur),
            "max_rate": None if self.max_rate is None else str(self.max_rate),
        }

    def judge(self, facts: ApplicationFacts) -> Verdict:
        if (missing := _no_ledger(facts)) is not None:
            return missing
        assert facts.ledger is not None
        requested = facts.requested_eur
        if not facts.project:
            return Verdict(False, "unknown", {"missing": "project"}, "The application names no project")
        cap = Cap("co_financing", CapKind.PER_PROJECT, self.limit_eur, (facts.instrument,))
        entry = Entry(
            facts.instrument,
            EntryKind.COMMITTED,
            requested,
            facts.on,
            facts.project,
            facts.cluster,
            facts.project,
        )
        outcomes = list(check_commitment(facts.ledger, entry, [cap]).outcomes)
        verdict = _caps_verdict(outcomes, {"requested_eur": str(requested)}, "")
        if self.max_rate is None or not verdict.passed:
            return verdict
        if facts.total_cost_eur is None or facts.total_cost_eur <= 0:
            return Verdict(
                False,
                "unknown",
                {**verdict.params, "missing": "total_cost_eur"},
                "The project's total cost is not known",
            )
        rate = requested / facts.total_cost_eur
        params = {
            **verdict.params,
            "max_rate": str(self.max_rate),
            "total_cost_eur": str(facts.total_cost_eur),
        }
        if rate > self.max_rate:
            return Verdict(
                False,
                "over_rate",
                params,
                f"{requested} is more than {self.max_rate} of the {facts.total_cost_eur} total cost",
            )
        return Verdict(True, "passed", params, verdict.text)


@dataclass(frozen=True)
class DeMinimisHeadroomRule:
    limit_eur: Decimal = DE_MINIMIS_CEILING_EUR
    years: int = DE_MINIMIS_YEARS

    def params(self) -> dict[str, object]:
        return {"limit_eur": str(self.limit_eur), "years": self.years}

    def judge(self, facts: ApplicationFacts) -> Verdict:
        if (missing := _no_ledger(facts)) is not None:
            return missing
        assert facts.ledger is not None
        # Every de minimis instrument of the ledger counts, and the call's own.
        counted = {i.id for i in facts.ledger.instruments.values() if i.de_minimis} | {facts.instrument}
        cap = Cap("de_minimis", CapKind.DE_MINIMIS, self.limit_eur, tuple(sorted(counted)), self.years)
        outcomes = _check_applicants(facts, cap, facts.ledger, equivalents=True)
        return _caps_verdict(outcomes, {}, "Nothing requested")


@dataclass(frozen=True)
class BudgetHeadroomRule:
    limit_eur: Decimal

    def params(self) -> dict[str, object]:
        return {"limit_eur": str(self.limit_eur)}

    def judge(self, facts: ApplicationFacts) -> Verdict:
        if (missing := _no_ledger(facts)) is not None:
            return missing
        assert facts.ledger is not None
        cap = Cap("budget", CapKind.INSTRUMENT_BUDGET, self.limit_eur, (facts.instrument,))
        requested = facts.requested_eur
        entry = Entry(
            facts.instrument,
            EntryKind.COMMITTED,
            requested,
            facts.on,
            facts.project,
            facts.cluster,
            facts.project,
        )
        return _caps_verdict(check_commitment(facts.ledger, entry, [cap]).outcomes, {}, "")
