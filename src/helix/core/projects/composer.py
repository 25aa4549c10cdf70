"""The consortium composer: what a draft consortium still misses, and who would complete it.

:func:`compose` checks the draft against its project type's rules and lists the *gaps*: every rule that
fails (hard or advisory, with what it lacks: helix kinds, SMEs, countries, a city host...) and every
competence, sector, value-chain position or domain the project's needs name that no member covers. Then
it ranks the candidates: each is tried in the draft, in the role that helps most (a government as city
host where one is expected, else as partner), and scores by the gaps it closes:

- a failing rule: its weight (hard 2, advisory 1 by default) times the part of its shortfall the candidate
  makes up (a draft missing a knowledge institution and a government: a university makes up one of two);
- a need: its weight (1 by default) for each competence, sector, position or domain it covers;
- plus, when given, an external *affinity* per candidate (the co-participation recommender's score, which
  the app joins here; this module does not import it), times its weight.

A candidate is never a member of the draft; one that would break a rule the draft keeps (in every role
allowed) is left out; one that closes nothing and has no affinity is left out. The order is by score,
then by the number of gaps closed, then by id: the same input gives the same list whatever the order of
the candidates. Every closing is a coded :class:`~helix.core.projects.problems.Reason`.

Sectors are NACE codes: a member's ``62.01`` covers a need for ``62`` or ``62.0`` (a code covers every code
it starts with). Competences and value-chain positions are compared without case, domains as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .consortium import (
    KIND_WORDS,
    ROLE_WORDS,
    ConsortiumCheck,
    Member,
    Organisation,
    OrganisationKind,
    Role,
    RuleOutcome,
    Severity,
    check_consortium,
)
from .problems import OrganisationId, Reason, id_key
from .types import ProjectType

# The roles a candidate may be suggested in, most generic first (ties go to the earlier).
SUGGESTED_ROLES = (Role.PARTNER, Role.KNOWLEDGE_PARTNER, Role.CITY_HOST, Role.SUBCONTRACTOR)


class NeedKind(StrEnum):
    COMPETENCE = "competence"
    SECTOR = "sector"
    VALUE_CHAIN = "value_chain"
    DOMAIN = "domain"


NEED_WORDS = {
    NeedKind.COMPETENCE: "competence",
    NeedKind.SECTOR: "sector",
    NeedKind.VALUE_CHAIN: "value-chain position",
    NeedKind.DOMAIN: "domain",
}


@dataclass(frozen=True)
class ProjectNeeds:
    """What the project needs its consortium to cover (from its needs and offers, its description)."""

    competences: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()  # NACE codes
    value_chain: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()  # the cluster's domains (innovator zones, work domains)


@dataclass(frozen=True)
class Weights:
    hard: float = 2.0  # per unit of a hard rule's shortfall made up
    advisory: float = 1.0  # per unit of an advisory rule's shortfall
    need: float = 1.0  # per competence, sector, value-chain position or domain covered
    affinity: float = 1.0  # times the external affinity score


@dataclass(frozen=True)
class Affinity:
    """An external score for a candidate (the co-participation recommender's), with its reasons."""

    score: float
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Gap:
    """Something the draft misses: a failing rule (``outcome`` set) or an uncovered need."""

    code: str
    params: dict[str, object]
    text: str
    severity: str  # "hard", "advisory" or "need"
    weight: float
    outcome: RuleOutcome | None = None


@dataclass(frozen=True)
class Suggestion:
    organisation: OrganisationId
    role: Role
    score: float
    closes: tuple[Reason, ...]  # each gap it closes, or narrows
    gap_score: float
    affinity: float = 0.0
    affinity_reasons: tuple[Reason, ...] = field(default=())


@dataclass(frozen=True)
class Composition:
    check: ConsortiumCheck
    gaps: tuple[Gap, ...]
    suggestions: tuple[Suggestion, ...]

    @property
    def missing_kinds(self) -> tuple[OrganisationKind, ...]:
        """The helix kinds a failing rule asks for (helix mix, or a public-private partnership's missing
        side), in the enum's order."""
        wanted: set[str] = set()
        for o in self.check.outcomes:
            if o.passed:
                continue
            if o.rule == "helix_mix":
                wanted.update(_strings(o.params["missing"]))
            elif o.rule == "public_private":
                for side in _strings(o.params["missing"]):
                    wanted.update(_strings(o.params[f"{side}_kinds"]))
        return tuple(k for k in OrganisationKind if k.value in wanted)


def _strings(value: object) -> list[str]:
    assert isinstance(value, list)
    return [str(v) for v in value]


def _covers(organisations: Sequence[Organisation], kind: NeedKind, value: str) -> bool:
    """Whether one of ``organisations`` covers the need ``value`` of ``kind``."""
    if kind is NeedKind.SECTOR:
        return any(code.strip().startswith(value) for o in organisations for code in o.sectors)
    if kind is NeedKind.DOMAIN:
        return any(value in {d.strip() for d in o.domains} for o in organisations)
    held = (o.competences if kind is NeedKind.COMPETENCE else o.value_chain for o in organisations)
    return value.casefold() in {word.strip().casefold() for words in held for word in words}


def _need_gaps(
    needs: ProjectNeeds, members: Sequence[Member], weight: float
) -> list[tuple[NeedKind, str, Gap]]:
    """The needs no member covers, each a gap, in kind then alphabetical order."""
    organisations = [m.organisation for m in members]
    wanted = {
        NeedKind.COMPETENCE: needs.competences,
        NeedKind.SECTOR: needs.sectors,
        NeedKind.VALUE_CHAIN: needs.value_chain,
        NeedKind.DOMAIN: needs.domains,
    }
    out: list[tuple[NeedKind, str, Gap]] = []
    for kind in NeedKind:
        for value in sorted({w.strip() for w in wanted[kind] if w.strip()}):
            if not _covers(organisations, kind, value):
                text = f"No member covers the {NEED_WORDS[kind]} {value}."
                gap = Gap(f"composer.{kind.value}_uncovered", {kind.value: value}, text, "need", weight)
                out.append((kind, value, gap))
    return out


def _closing_reason(before: RuleOutcome, after: RuleOutcome, candidate: Organisation, role: Role) -> Reason:
    """Why adding ``candidate`` in ``role`` makes up (part of) a failing rule's shortfall."""
    made_up = before.shortfall - after.shortfall
    params: dict[str, object] = {
        "rule": before.rule,
        "severity": before.severity.value,
        "closed": after.passed,
        "made_up": made_up,
        "shortfall": before.shortfall,
    }
    still = "" if after.passed else f" ({after.shortfall} still missing)"
    kind = KIND_WORDS[candidate.kind]
    if before.rule == "helix_mix":
        params["kind"] = candidate.kind.value
        text = f"As a {kind}, it adds a kind the mix misses{still}."
    elif before.rule == "public_private":
        params["kind"] = candidate.kind.value
        side = "private" if candidate.kind.value in _strings(before.params["private_kinds"]) else "public"
        params["side"] = side
        text = f"As a {kind}, it is the {side} partner a public-private partnership needs{still}."
    elif before.rule == "role_present":
        params["role"] = role.value
        text = f"It takes the role of {ROLE_WORDS[role]}, which the project expects{still}."
    elif before.rule == "min_smes":
        text = f"As an SME, it adds to the SMEs the consortium needs{still}."
    elif before.rule in {"min_countries", "country_in"}:
        params["country"] = candidate.country
        text = f"Established in {candidate.country}, it adds a country the rule asks for{still}."
    else:  # min_organisations: no other rule has a shortfall a new partner makes up (no coordinator...)
        text = f"It adds an independent organisation to the consortium{still}."
    return Reason(f"composer.closes.{before.rule}", params, text)


def _try(
    project_type: ProjectType,
    members: Sequence[Member],
    baseline: ConsortiumCheck,
    candidate: Organisation,
    weights: Weights,
) -> tuple[Role, float, list[Reason]] | None:
    """The role in which ``candidate`` helps the draft most, the score of the rules it helps and why; None
    when every role it could take breaks a rule the draft keeps."""
    best: tuple[Role, float, list[Reason]] | None = None
    for role in SUGGESTED_ROLES:
        if role not in project_type.roles:
            continue
        after = check_consortium([*members, Member(candidate, role)], project_type.rules)
        score, reasons, broken = 0.0, [], False
        for was, now in zip(baseline.outcomes, after.outcomes, strict=True):
            if was.passed and not now.passed:
                broken = True
                break
            if not was.passed and now.shortfall < was.shortfall:
                weight = weights.hard if was.severity is Severity.HARD else weights.advisory
                score += weight * (was.shortfall - now.shortfall)
                reasons.append(_closing_reason(was, now, candidate, role))
        if not broken and (best is None or score > best[1]):
            best = (role, score, reasons)
    return best


def compose(
    project_type: ProjectType,
    draft: Sequence[Member],
    candidates: Iterable[Organisation],
    needs: ProjectNeeds | None = None,
    affinity: Mapping[OrganisationId, Affinity] | None = None,
    weights: Weights | None = None,
    top: int | None = None,
) -> Composition:
    """The draft's check, its gaps and the candidates that complete it, best first (at most ``top``).

    ``candidates`` must not repeat an id (:class:`ValueError`); members of the draft among them are
    skipped. ``affinity`` scores candidates from outside (absent: 0).
    """
    weights = weights or Weights()
    needs = needs or ProjectNeeds()
    affinity = affinity or {}
    baseline = check_consortium(draft, project_type.rules)
    rule_gaps = [
        Gap(
            o.code,
            o.params,
            o.text,
            o.severity.value,
            weights.hard if o.severity is Severity.HARD else weights.advisory,
            o,
        )
        for o in baseline.outcomes
        if not o.passed
    ]
    need_gaps = _need_gaps(needs, draft, weights.need)
    members = {m.id for m in draft}

    seen: set[OrganisationId] = set()
    suggestions: list[Suggestion] = []
    # What a candidate does to the rules depends only on these facts of it (its id is new to the draft):
    # the candidates that share them are tried once (20,000 candidates make a few dozen kinds).
    tried_by_facts: dict[tuple[str, bool | None, str, str], tuple[Role, float, list[Reason]] | None] = {}
    for candidate in candidates:
        if candidate.id in seen:
            raise ValueError(f"candidate {candidate.id!r} is listed twice")
        seen.add(candidate.id)
        if candidate.id in members:
            continue
        facts = (candidate.kind.value, candidate.sme, candidate.country, candidate.group)
        if facts not in tried_by_facts:
            tried_by_facts[facts] = _try(project_type, draft, baseline, candidate, weights)
        tried = tried_by_facts[facts]
        if tried is None:
            continue
        role, score, reasons = tried[0], tried[1], list(tried[2])
        for kind, value, gap in need_gaps:
            if _covers([candidate], kind, value):
                score += gap.weight
                reasons.append(
                    Reason(
                        f"composer.covers.{kind.value}",
                        {kind.value: value},
                        f"It covers the {NEED_WORDS[kind]} {value}, which no member covers.",
                    )
                )
        external = affinity.get(candidate.id, Affinity(0.0))
        total = score + weights.affinity * external.score
        if not reasons and external.score <= 0:
            continue
        suggestions.append(
            Suggestion(candidate.id, role, total, tuple(reasons), score, external.score, external.reasons)
        )
    suggestions.sort(key=lambda s: (-s.score, -len(s.closes), id_key(s.organisation)))
    if top is not None:
        suggestions = suggestions[:top]
    return Composition(baseline, (*rule_gaps, *(g for _, _, g in need_gaps)), tuple(suggestions))
