"""The eligibility rules on the applicants and the consortium: kind, SME status, membership, country."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from helix.core.funding.sme import SizeClass
from helix.core.registry.ladder import rung

from .eligibility_facts import ApplicantFacts, ApplicationFacts, Verdict


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
) -> Verdict:
    """Ask ``test`` of the applicants ``who`` names; None from ``test`` means the fact is not known."""
    asked = _who(facts.applicants, who, facts)
    if not asked:
        return Verdict(False, "no_applicant", {"who": who}, "No applicant to judge")
    results = {a.organisation: test(a) for a in asked}
    values = {a.organisation: value(a) for a in asked}
    unknown = sorted(name for name, ok in results.items() if ok is None)
    failing = sorted(name for name, ok in results.items() if ok is False)
    params: dict[str, object] = {"who": who, "values": values}
    if who == "any":
        if any(ok for ok in results.values()):
            return Verdict(True, "passed", params, f"At least one applicant {what}")
        if unknown:
            return Verdict(
                False, "unknown", {**params, "unknown": unknown}, f"Not known whether any applicant {what}"
            )
        return Verdict(False, "failed", {**params, "failing": failing}, f"No applicant {what}")
    if failing:
        return Verdict(
            False,
            "failed",
            {**params, "failing": failing},
            f"Not every applicant asked {what}: {', '.join(failing)}",
        )
    if unknown:
        return Verdict(
            False, "unknown", {**params, "unknown": unknown}, f"Not known for {', '.join(unknown)}"
        )
    return Verdict(
        True, "passed", params, f"{'The lead applicant' if who == 'lead' else 'Every applicant'} {what}"
    )


@dataclass(frozen=True)
class ApplicantKindRule:
    kinds: tuple[str, ...]
    who: str = "every"

    def params(self) -> dict[str, object]:
        return {"kinds": list(self.kinds), "who": self.who}

    def judge(self, facts: ApplicationFacts) -> Verdict:
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

    def judge(self, facts: ApplicationFacts) -> Verdict:
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

    def judge(self, facts: ApplicationFacts) -> Verdict:
        cluster = self.cluster or facts.cluster
        if not cluster:
            return Verdict(False, "unknown", {"missing": "cluster"}, "The call names no cluster")
        verdict = _per_applicant(
            facts,
            self.who,
            lambda a: rung(a.membership.get(cluster, "")) >= rung(self.at_least),
            lambda a: a.membership.get(cluster, ""),
            f"is at least {self.at_least} of {cluster}",
        )
        return Verdict(verdict.passed, verdict.code, {**verdict.params, "cluster": cluster}, verdict.text)


@dataclass(frozen=True)
class ClusterHasRoadmapRule:
    def params(self) -> dict[str, object]:
        return {}

    def judge(self, facts: ApplicationFacts) -> Verdict:
        params: dict[str, object] = {"cluster": facts.cluster}
        if facts.cluster_has_roadmap is None:
            return Verdict(
                False, "unknown", params, f"Not known whether {facts.cluster or 'the cluster'} has a roadmap"
            )
        if facts.cluster_has_roadmap:
            return Verdict(True, "passed", params, f"{facts.cluster} has a cluster roadmap")
        return Verdict(False, "failed", params, f"{facts.cluster} has no cluster roadmap yet")


@dataclass(frozen=True)
class ConsortiumSizeRule:
    min: int | None = None
    max: int | None = None

    def params(self) -> dict[str, object]:
        return {"min": self.min, "max": self.max}

    def judge(self, facts: ApplicationFacts) -> Verdict:
        organisations = {a.organisation for a in facts.applicants}
        size = len(organisations)
        params: dict[str, object] = {"min": self.min, "max": self.max, "size": size}
        if len(organisations) != len(facts.applicants):
            return Verdict(False, "duplicate", params, "An organisation applies twice")
        if self.min is not None and size < self.min:
            return Verdict(False, "too_few", params, f"{size} applicants; at least {self.min} needed")
        if self.max is not None and size > self.max:
            return Verdict(False, "too_many", params, f"{size} applicants; at most {self.max} allowed")
        return Verdict(True, "passed", params, f"{size} applicants")


@dataclass(frozen=True)
class ApplicantCountryRule:
    countries: tuple[str, ...]
    who: str = "every"

    def params(self) -> dict[str, object]:
        return {"countries": list(self.countries), "who": self.who}

    def judge(self, facts: ApplicationFacts) -> Verdict:
        return _per_applicant(
            facts,
            self.who,
            lambda a: None if not a.country else a.country in self.countries,
            lambda a: a.country,
            f"is established in {' or '.join(self.countries)}",
        )
