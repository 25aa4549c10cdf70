"""The facts an application's eligibility is judged on, the rule kinds, and the outcomes of judging."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from helix.core.funding.ledger import Ledger
from helix.core.funding.sme import SizeClass

# The kinds of organisation of the registry (helix.registry.models.OrganisationKind).
ORGANISATION_KINDS = ("company", "knowledge_institution", "government", "federation", "cluster_organisation")
WHO = ("every", "lead", "any")


class RuleKind(StrEnum):
    APPLICANT_KIND = "applicant_kind"
    SME_STATUS = "sme_status"
    MEMBERSHIP_LEVEL = "membership_level"
    CLUSTER_HAS_ROADMAP = "cluster_has_roadmap"
    CONSORTIUM_SIZE = "consortium_size"
    APPLICANT_COUNTRY = "applicant_country"
    PER_BENEFICIARY_CAP = "per_beneficiary_cap"
    CO_FINANCING_CAP = "co_financing_cap"
    DE_MINIMIS_HEADROOM = "de_minimis_headroom"
    BUDGET_HEADROOM = "budget_headroom"


@dataclass(frozen=True)
class ApplicantFacts:
    organisation: str
    kind: str  # one of ORGANISATION_KINDS
    sme: SizeClass = SizeClass.UNKNOWN  # from helix.core.funding.sme.sme_status at the call's date
    membership: Mapping[str, str] = field(default_factory=dict)  # cluster -> engagement level
    country: str = ""  # ISO 3166 alpha-2
    lead: bool = False
    requested_eur: Decimal = Decimal(0)  # what this applicant would receive
    # Its gross grant equivalent when the instrument is a loan or equity (de minimis).
    grant_equivalent_eur: Decimal | None = None


@dataclass(frozen=True)
class ApplicationFacts:
    on: date  # the date the rules are judged at (the aid would be granted on it)
    applicants: tuple[ApplicantFacts, ...]
    cluster: str = ""  # the call's cluster
    cluster_has_roadmap: bool | None = None
    instrument: str = ""  # the instrument the call funds from
    project: str = ""
    total_cost_eur: Decimal | None = None
    ledger: Ledger | None = None
    undertaking_of: Mapping[str, str] = field(default_factory=dict)  # organisation -> single undertaking

    @property
    def lead(self) -> ApplicantFacts | None:
        leads = [a for a in self.applicants if a.lead]
        return leads[0] if leads else (self.applicants[0] if self.applicants else None)

    @property
    def requested_eur(self) -> Decimal:
        return sum((a.requested_eur for a in self.applicants), Decimal(0))


@dataclass(frozen=True)
class RuleOutcome:
    index: int  # the rule's place in the call's list
    kind: RuleKind
    passed: bool
    code: str
    params: dict[str, object] = field(default_factory=dict)
    text: str = ""  # English, for readers without a translation of ``code``


@dataclass(frozen=True)
class Eligibility:
    outcomes: tuple[RuleOutcome, ...]

    @property
    def eligible(self) -> bool:
        return all(o.passed for o in self.outcomes)

    @property
    def failed(self) -> tuple[RuleOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.passed)


@dataclass(frozen=True)
class Verdict:
    """One rule's judgement before :func:`helix.core.calls.eligibility.evaluate` codes it."""

    passed: bool
    code: str  # "passed", "failed" or a more precise word ("unknown", "no_applicant", ...)
    params: dict[str, object]
    text: str
