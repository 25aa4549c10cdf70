"""What the synthetic ecosystem generator (``generate``) returns: plain dataclasses, no Django, that
``helix.registry.demo.load`` writes to the database in bulk.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class GeneratedSite:
    name: str
    street: str
    postcode: str
    city: str
    country: str
    region: str
    latitude: float
    longitude: float
    is_headquarters: bool


@dataclass(frozen=True)
class GeneratedPerson:
    first_name: str
    last_name: str
    email: str
    job_title: str
    roles: str
    consent_contact: bool
    consent_newsletter: bool
    consent_public: bool
    consent_recorded_on: dt.date | None


@dataclass(frozen=True)
class LadderChange:
    from_level: str
    to_level: str
    on: dt.date


@dataclass(frozen=True)
class GeneratedMembership:
    cluster: str  # cluster slug
    level: str
    since: dt.date
    domains: tuple[str, ...]  # domain slugs in the cluster
    history: tuple[LadderChange, ...]


@dataclass(frozen=True)
class GeneratedOrganisation:
    name: str
    kind: str
    size_class: str
    government_level: str
    identifier_scheme: str
    legal_identifier: str
    website: str
    working_languages: str
    sectors: tuple[str, ...]
    keywords: tuple[str, ...]
    description_en: str
    description_nl: str
    description_fr: str
    description_de: str
    is_published: bool
    sites: tuple[GeneratedSite, ...]
    people: tuple[GeneratedPerson, ...]
    memberships: tuple[GeneratedMembership, ...]
    profile: str

    @property
    def country(self) -> str:
        return self.sites[0].country if self.sites else ""


@dataclass(frozen=True)
class ClusterTarget:
    """A cluster the generated organisations may join."""

    slug: str
    country: str  # "BE", "LU" or "" for both
    founded_on: dt.date
    domains: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ()  # empty: any profile


@dataclass(frozen=True)
class GeneratedDomain:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class GeneratedCluster:
    slug: str
    name: str
    founded_on: dt.date
    description: str
    domains: tuple[GeneratedDomain, ...]
    operator: GeneratedOrganisation
    target: ClusterTarget
