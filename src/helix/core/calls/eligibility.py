"""Eligibility rules declared as data, evaluated against plain facts with one coded reason per rule.

A call's rules are a list of specs, each a ``kind`` and its parameters, as JSON gives them::

    [{"kind": "applicant_kind", "kinds": ["company"], "who": "lead"},
     {"kind": "sme_status", "classes": ["micro", "small", "medium"]},
     {"kind": "co_financing_cap", "limit_eur": 200000}]

:func:`load_rules` reads them (a malformed spec raises :class:`helix.core.specs.SpecError` naming the
rule's index and field); :func:`evaluate` applies them to :class:`ApplicationFacts` (the applicants, the
date, the call's cluster, the ledger of the instruments) and returns an :class:`Eligibility`: eligible
or not, and per rule a :class:`RuleOutcome` (passed or failed, its code and parameters), so an applicant
sees exactly why. A fact that is not known (an SME status, whether the cluster has a roadmap, the
ledger) fails its rule with a ``.unknown`` code rather than being guessed.

``who`` says which applicants a rule asks about: ``every`` one (the default), the ``lead`` applicant
(the one marked lead, else the first), or ``any`` one of them.

The cap rules (``per_beneficiary_cap``, ``co_financing_cap``, ``de_minimis_headroom``,
``budget_headroom``) ask :func:`helix.core.funding.caps.check_commitment` about the commitments the
application would make, one per applicant in turn, so two applicants of one undertaking add up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from helix.core.funding.caps import DE_MINIMIS_CEILING_EUR, DE_MINIMIS_YEARS
from helix.core.funding.sme import SizeClass
from helix.core.registry.ladder import LADDER
from helix.core.specs import SpecError, SpecProblem, SpecReader

from .eligibility_caps import (
    BudgetHeadroomRule,
    CoFinancingCapRule,
    DeMinimisHeadroomRule,
    PerBeneficiaryCapRule,
)
from .eligibility_facts import (
    ORGANISATION_KINDS,
    WHO,
    ApplicantFacts,
    ApplicationFacts,
    Eligibility,
    RuleKind,
    RuleOutcome,
)
from .eligibility_rules import (
    ApplicantCountryRule,
    ApplicantKindRule,
    ClusterHasRoadmapRule,
    ConsortiumSizeRule,
    MembershipLevelRule,
    SmeStatusRule,
)

__all__ = [
    "LEVEL_NAMES",
    "ORGANISATION_KINDS",
    "SIZE_NAMES",
    "WHO",
    "ApplicantCountryRule",
    "ApplicantFacts",
    "ApplicantKindRule",
    "ApplicationFacts",
    "BudgetHeadroomRule",
    "ClusterHasRoadmapRule",
    "CoFinancingCapRule",
    "ConsortiumSizeRule",
    "DeMinimisHeadroomRule",
    "Eligibility",
    "MembershipLevelRule",
    "PerBeneficiaryCapRule",
    "Rule",
    "RuleKind",
    "RuleOutcome",
    "RuleSpec",
    "SmeStatusRule",
    "evaluate",
    "load_rules",
]


Rule = (
    ApplicantKindRule
    | SmeStatusRule
    | MembershipLevelRule
    | ClusterHasRoadmapRule
    | ConsortiumSizeRule
    | ApplicantCountryRule
    | PerBeneficiaryCapRule
    | CoFinancingCapRule
    | DeMinimisHeadroomRule
    | BudgetHeadroomRule
)


@dataclass(frozen=True)
class RuleSpec:
    kind: RuleKind
    rule: Rule


# ---- reading specs -----------------------------------------------------------------------------------

SIZE_NAMES = tuple(s.value for s in SizeClass if s is not SizeClass.UNKNOWN)
LEVEL_NAMES = tuple(level.value for level in LADDER)


def _read_rule(kind: RuleKind, r: SpecReader) -> Rule | None:
    if kind is RuleKind.APPLICANT_KIND:
        kinds = r.strings("kinds", allowed=ORGANISATION_KINDS)
        who = r.choice("who", WHO, required=False, default="every")
        return ApplicantKindRule(kinds, who) if kinds and who else None
    if kind is RuleKind.SME_STATUS:
        classes = r.strings("classes", allowed=SIZE_NAMES)
        who = r.choice("who", WHO, required=False, default="every")
        return SmeStatusRule(classes, who) if classes and who else None
    if kind is RuleKind.MEMBERSHIP_LEVEL:
        at_least = r.choice("at_least", LEVEL_NAMES)
        who = r.choice("who", WHO, required=False, default="every")
        cluster = r.text("cluster", required=False)
        return MembershipLevelRule(at_least, who, cluster) if at_least and who else None
    if kind is RuleKind.CLUSTER_HAS_ROADMAP:
        return ClusterHasRoadmapRule()
    if kind is RuleKind.CONSORTIUM_SIZE:
        low = r.integer("min", required=False, minimum=1)
        high = r.integer("max", required=False, minimum=1)
        if not r.has("min") and not r.has("max"):
            r.problem("spec.missing_field", "min", "min or max is required")
            return None
        if low is not None and high is not None and low > high:
            r.problem("spec.bad_value", "max", f"is less than min {low}", min=low, value=high)
            return None
        return ConsortiumSizeRule(low, high)
    if kind is RuleKind.APPLICANT_COUNTRY:
        countries = r.strings("countries")
        who = r.choice("who", WHO, required=False, default="every")
        return ApplicantCountryRule(countries, who) if countries and who else None
    if kind is RuleKind.PER_BENEFICIARY_CAP:
        limit = r.number("limit_eur", minimum=Decimal(0))
        instruments = r.strings("instruments", required=False)
        return PerBeneficiaryCapRule(limit, instruments) if limit is not None else None
    if kind is RuleKind.CO_FINANCING_CAP:
        limit = r.number("limit_eur", minimum=Decimal(0))
        rate = r.number("max_rate", required=False, minimum=Decimal(0))
        if rate is not None and rate > 1:
            r.problem("spec.bad_value", "max_rate", "is a share of the cost: at most 1", value=str(rate))
            return None
        return CoFinancingCapRule(limit, rate) if limit is not None else None
    if kind is RuleKind.DE_MINIMIS_HEADROOM:
        limit = r.number("limit_eur", required=False, minimum=Decimal(0))
        years = r.integer("years", required=False, minimum=1)
        return DeMinimisHeadroomRule(
            DE_MINIMIS_CEILING_EUR if limit is None else limit, DE_MINIMIS_YEARS if years is None else years
        )
    limit = r.number("limit_eur", minimum=Decimal(0))
    return BudgetHeadroomRule(limit) if limit is not None else None


def load_rules(data: object, path: str = "rules") -> tuple[RuleSpec, ...]:
    """Rule specs from plain data (a list of dicts); :class:`SpecError` names each bad rule's index and
    field."""
    if not isinstance(data, list):
        raise SpecError([SpecProblem("spec.not_a_list", {"path": path}, f"{path} must be a list of rules")])
    problems: list[SpecProblem] = []
    rules: list[RuleSpec] = []
    for index, item in enumerate(data):
        reader = SpecReader(item, f"{path}[{index}]", problems, {"index": index})
        if not reader.ok:
            continue
        kind_name = reader.choice("kind", [k.value for k in RuleKind])
        if not kind_name:
            continue
        kind = RuleKind(kind_name)
        rule = _read_rule(kind, reader)
        reader.done()
        if rule is not None:
            rules.append(RuleSpec(kind, rule))
    if problems:
        raise SpecError(problems)
    return tuple(rules)


def evaluate(rules: Sequence[RuleSpec], facts: ApplicationFacts) -> Eligibility:
    """Every rule judged on ``facts``: eligible when all pass; one outcome per rule, in order."""
    outcomes = []
    for index, spec in enumerate(rules):
        verdict = spec.rule.judge(facts)
        outcomes.append(
            RuleOutcome(
                index,
                spec.kind,
                verdict.passed,
                f"eligibility.{spec.kind}.{verdict.code}",
                {**spec.rule.params(), **verdict.params},
                verdict.text,
            )
        )
    return Eligibility(tuple(outcomes))
