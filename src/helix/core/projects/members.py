"""A consortium's members: organisations, their kinds and roles, severities and a rule's outcome."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .problems import OrganisationId, Problem


class OrganisationKind(StrEnum):
    """What an organisation is, as the consortium rules see it (the registry's federations and cluster
    organisations are ``other``)."""

    COMPANY = "company"
    KNOWLEDGE_INSTITUTION = "knowledge_institution"
    GOVERNMENT = "government"
    OTHER = "other"


KIND_WORDS: dict[OrganisationKind, str] = {
    OrganisationKind.COMPANY: "company",
    OrganisationKind.KNOWLEDGE_INSTITUTION: "knowledge institution",
    OrganisationKind.GOVERNMENT: "government body",
    OrganisationKind.OTHER: "other organisation",
}

TRIPLE_HELIX = frozenset(
    {OrganisationKind.COMPANY, OrganisationKind.KNOWLEDGE_INSTITUTION, OrganisationKind.GOVERNMENT}
)


# Knowledge institutions count as public in a public-private partnership unless a rule says otherwise.
PUBLIC_KINDS = frozenset({OrganisationKind.GOVERNMENT, OrganisationKind.KNOWLEDGE_INSTITUTION})
PRIVATE_KINDS = frozenset({OrganisationKind.COMPANY})


class Role(StrEnum):
    COORDINATOR = "coordinator"
    PARTNER = "partner"
    SUBCONTRACTOR = "subcontractor"
    CITY_HOST = "city_host"
    KNOWLEDGE_PARTNER = "knowledge_partner"


ROLE_WORDS: dict[Role, str] = {
    Role.COORDINATOR: "coordinator",
    Role.PARTNER: "partner",
    Role.SUBCONTRACTOR: "subcontractor",
    Role.CITY_HOST: "city host",
    Role.KNOWLEDGE_PARTNER: "knowledge partner",
}

COUNTED_ROLES = frozenset(Role) - {Role.SUBCONTRACTOR}


class Severity(StrEnum):
    HARD = "hard"  # blocks the submission
    ADVISORY = "advisory"  # favoured: shown as advice


# Codes some sources use for a country instead of ISO 3166 alpha-2 (CORDIS and the EU's own lists).
COUNTRY_ALIASES = {"EL": "GR", "UK": "GB"}


def normalise_country(code: str) -> str:
    """ISO 3166 alpha-2 in capitals (``el`` -> ``GR``, ``UK`` -> ``GB``); "" stays unknown."""
    code = code.strip().upper()
    return COUNTRY_ALIASES.get(code, code)


@dataclass(frozen=True)
class Organisation:
    """An organisation as the rules and the composer read it: plain values, no ORM object."""

    id: OrganisationId
    kind: OrganisationKind
    sme: bool | None = None  # None: unknown
    country: str = ""  # ISO alpha-2; "" unknown
    sectors: frozenset[str] = frozenset()  # NACE codes
    domains: frozenset[str] = frozenset()
    competences: frozenset[str] = frozenset()
    value_chain: frozenset[str] = frozenset()  # the positions it holds in the value chain
    group: str = ""  # the corporate group it belongs to ("" none): one group counts once where asked
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", OrganisationKind(self.kind))
        object.__setattr__(self, "country", normalise_country(self.country))


@dataclass(frozen=True)
class Member:
    organisation: Organisation
    role: Role

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", Role(self.role))

    @property
    def id(self) -> OrganisationId:
        return self.organisation.id


@dataclass(frozen=True)
class RuleOutcome:
    rule: str  # the rule's kind (``min_organisations``)
    severity: Severity
    passed: bool
    code: str
    params: dict[str, object]
    text: str
    shortfall: int = 0  # how many more it needs (organisations, SMEs, countries, kinds, holders)

    def problem(self) -> Problem:
        return Problem(self.code, self.params, self.text)
