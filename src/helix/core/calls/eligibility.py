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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from helix.core.funding.caps import (
    DE_MINIMIS_CEILING_EUR,
    DE_MINIMIS_YEARS,
    Cap,
    CapKind,
    CapOutcome,
    check_commitment,
)
from helix.core.funding.ledger import Entry, EntryKind, Ledger
from helix.core.funding.sme import SizeClass
from helix.core.registry.ladder import LADDER, rung
from helix.core.specs import SpecError, SpecProblem, SpecReader

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


# ---- the rules ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Verdict:
    passed: bool
    code: str  # "passed", "failed" or a more precise word ("unknown", "no_applicant", ...)
    params: dict[str, object]
    text: str


def _who(
    applicants: tuple[ApplicantFacts, ...], who: str, facts: ApplicationFacts
) -> tuple[ApplicantFacts, ...]:
    if who == "lead":
        return (facts.lead,) if facts.lead is not None else ()
    return applicants


def _per_applicant(
    facts: ApplicationFacts,
    who: str,
    test: Callable[[ApplicantFacts], bool | None],
    value: Callable[[ApplicantFacts], object],
    what: str,
) -> _Verdict:
    """Ask ``test`` of the applicants ``who`` names; None from ``test`` means the fact is not known."""
    asked = _who(facts.applicants, who, facts)
    if not asked:
        return _Verdict(False, "no_applicant", {"who": who}, "No applicant to judge")
    results = {a.organisation: test(a) for a in asked}
    values = {a.organisation: value(a) for a in asked}
    unknown = sorted(name for name, ok in results.items() if ok is None)
    failing = sorted(name for name, ok in results.items() if ok is False)
    params: dict[str, object] = {"who": who, "values": values}
    if who == "any":
        if any(ok for ok in results.values()):
            return _Verdict(True, "passed", params, f"At least one applicant {what}")
        if unknown:
            return _Verdict(
                False, "unknown", {**params, "unknown": unknown}, f"Not known whether any applicant {what}"
            )
        return _Verdict(False, "failed", {**params, "failing": failing}, f"No applicant {what}")
    if failing:
        return _Verdict(
            False,
            "failed",
            {**params, "failing": failing},
            f"Not every applicant asked {what}: {', '.join(failing)}",
        )
    if unknown:
        return _Verdict(
            False, "unknown", {**params, "unknown": unknown}, f"Not known for {', '.join(unknown)}"
        )
    return _Verdict(
        True, "passed", params, f"{'The lead applicant' if who == 'lead' else 'Every applicant'} {what}"
    )


@dataclass(frozen=True)
class ApplicantKindRule:
    kinds: tuple[str, ...]
    who: str = "every"

    def params(self) -> dict[str, object]:
        return {"kinds": list(self.kinds), "who": self.who}

    def judge(self, facts: ApplicationFacts) -> _Verdict:
        return _per_applicant(
            facts,
            self.who,
            lambda a: a.kind in self.kinds,
            lambda a: a.kind,
            f"is a {' or '.join(self.kinds)}",
        )


@dataclass(frozen=True)
class SmeStatusRule:
    classes: tuple[str, ...]
    who: str = "every"

    def params(self) -> dict[str, object]:
        return {"classes": list(self.classes), "who": self.who}

    def judge(self, facts: ApplicationFacts) -> _Verdict:
        return _per_applicant(
            facts,
            self.who,
            lambda a: None if a.sme is SizeClass.UNKNOWN else a.sme in self.classes,
            lambda a: str(a.sme),
            f"is {' or '.join(self.classes)}",
        )


@dataclass(frozen=True)
class MembershipLevelRule:
    at_least: str
    who: str = "every"
    cluster: str = ""  # empty: the call's cluster

    def params(self) -> dict[str, object]:
        return {"at_least": self.at_least, "who": self.who, "cluster": self.cluster}

    def judge(self, facts: ApplicationFacts) -> _Verdict:
        cluster = self.cluster or facts.cluster
        if not cluster:
            return _Verdict(False, "unknown", {"missing": "cluster"}, "The call names no cluster")
        verdict = _per_applicant(
            facts,
            self.who,
            lambda a: rung(a.membership.get(cluster, "")) >= rung(self.at_least),
            lambda a: a.membership.get(cluster, ""),
            f"is at least {self.at_least} of {cluster}",
        )
        return _Verdict(verdict.passed, verdict.code, {**verdict.params, "cluster": cluster}, verdict.text)


@dataclass(frozen=True)
class ClusterHasRoadmapRule:
    def params(self) -> dict[str, object]:
        return {}

    def judge(self, facts: ApplicationFacts) -> _Verdict:
        params: dict[str, object] = {"cluster": facts.cluster}
        if facts.cluster_has_roadmap is None:
            return _Verdict(
                False, "unknown", params, f"Not known whether {facts.cluster or 'the cluster'} has a roadmap"
            )
        if facts.cluster_has_roadmap:
            return _Verdict(True, "passed", params, f"{facts.cluster} has a cluster roadmap")
        return _Verdict(False, "failed", params, f"{facts.cluster} has no cluster roadmap yet")


@dataclass(frozen=True)
class ConsortiumSizeRule:
    min: int | None = None
    max: int | None = None

    def params(self) -> dict[str, object]:
        return {"min": self.min, "max": self.max}

    def judge(self, facts: ApplicationFacts) -> _Verdict:
        organisations = {a.organisation for a in facts.applicants}
        size = len(organisations)
        params: dict[str, object] = {"min": self.min, "max": self.max, "size": size}
        if len(organisations) != len(facts.applicants):
            return _Verdict(False, "duplicate", params, "An organisation applies twice")
        if self.min is not None and size < self.min:
            return _Verdict(False, "too_few", params, f"{size} applicants; at least {self.min} needed")
        if self.max is not None and size > self.max:
            return _Verdict(False, "too_many", params, f"{size} applicants; at most {self.max} allowed")
        return _Verdict(True, "passed", params, f"{size} applicants")


@dataclass(frozen=True)
class ApplicantCountryRule:
    countries: tuple[str, ...]
    who: str = "every"

    def params(self) -> dict[str, object]:
        return {"countries": list(self.countries), "who": self.who}

    def judge(self, facts: ApplicationFacts) -> _Verdict:
        return _per_applicant(
            facts,
            self.who,
            lambda a: None if not a.country else a.country in self.countries,
            lambda a: a.country,
            f"is established in {' or '.join(self.countries)}",
        )


def _no_ledger(facts: ApplicationFacts) -> _Verdict | None:
    if facts.ledger is None:
        return _Verdict(False, "unknown", {"missing": "ledger"}, "The ledger of the instruments is not known")
    if facts.instrument not in facts.ledger.instruments:
        return _Verdict(
            False,
            "unknown",
            {"missing": "instrument", "instrument": facts.instrument},
            "The call's instrument is not in the ledger",
        )
    return None


def _caps_verdict(outcomes: Sequence[CapOutcome], extra: dict[str, object], what: str) -> _Verdict:
    checks = [{"code": o.code, **o.params} for o in outcomes]
    failed = [o for o in outcomes if not o.passed]
    params = {**extra, "checks": checks}
    if failed:
        return _Verdict(False, "failed", params, "; ".join(o.text for o in failed))
    return _Verdict(True, "passed", params, "; ".join(o.text for o in outcomes) or what)


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

    def judge(self, facts: ApplicationFacts) -> _Verdict:
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

    def judge(self, facts: ApplicationFacts) -> _Verdict:
        if (missing := _no_ledger(facts)) is not None:
            return missing
        assert facts.ledger is not None
        requested = facts.requested_eur
        if not facts.project:
            return _Verdict(False, "unknown", {"missing": "project"}, "The application names no project")
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
            return _Verdict(
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
            return _Verdict(
                False,
                "over_rate",
                params,
                f"{requested} is more than {self.max_rate} of the {facts.total_cost_eur} total cost",
            )
        return _Verdict(True, "passed", params, verdict.text)


@dataclass(frozen=True)
class DeMinimisHeadroomRule:
    limit_eur: Decimal = DE_MINIMIS_CEILING_EUR
    years: int = DE_MINIMIS_YEARS

    def params(self) -> dict[str, object]:
        return {"limit_eur": str(self.limit_eur), "years": self.years}

    def judge(self, facts: ApplicationFacts) -> _Verdict:
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

    def judge(self, facts: ApplicationFacts) -> _Verdict:
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
