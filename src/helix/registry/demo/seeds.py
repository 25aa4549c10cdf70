"""The demo ecosystem, built from the source documents in /work/shared/seeds/: the shapes of its data
(the dataclasses below, the schema of the files in ``data/``) and the ecosystem read from those files.

Three ecosystems:

- Flux50, the Flemish energy cluster (seed 000): its nine founding organisations, the companies that took
  up the highest level of engagement in 2016, its names over time and five innovator zones;
- the Luxembourg Cluster Initiative run by Luxinnovation (seed 002): seven clusters and their renames,
  sectoral advisory groups of about ten people, relationship managers and logged interactions;
- Smart Energy Cities (seed 003): cities and industry in four work domains, with four organising partners.

What the sources say is recorded as they say it (names, kinds, the founding and naming dates of Flux50,
the founding years and names of the Luxembourg clusters, the four work domains). What they do not say
is invented and marked, never in a public text: people, invented organisations and clusters carry
``is_sample=True`` (their pages show a "Sample data" badge); what is invented about a cluster or a domain
is its ``provenance`` in the data files (listed in README.md beside this file, never loaded into a
description); invented dates and steps say "sample" only in staff-only notes (a membership's history, a
letter of intent, an interaction).
Real organisations get a legal identifier only where it is certain; otherwise it stays empty. Sites
are at city level and only where the city is known.

The files: ``organisations.csv`` (one row per organisation, its head office in the ``site.*`` columns),
``clusters.json`` (with their names over time and domains), ``memberships.json`` (with their steps on the
engagement ladder), ``letters.json``, ``advisory_groups.json``, ``interactions.json`` and ``users.json``
(people are written out where they appear, matched on organisation, first and last name).

No Django here: ``helix.registry.demo.load`` writes this to the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from helix.registry.demo.records import read_csv, read_json

# A fixed password is fine for demo data; `helix demo load` prints it.
DEMO_PASSWORD = "helix-demo"  # noqa: S105 (public demo password)

# --- the shapes of the data -------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteSeed:
    city: str
    region: str  # a helix.registry.models.Region value
    latitude: float
    longitude: float
    postcode: str = ""
    country: str = "BE"
    name: str = "Head office"


@dataclass(frozen=True)
class OrganisationSeed:
    slug: str
    name: str
    kind: str  # a helix.registry.models.OrganisationKind value
    size_class: str = ""
    government_level: str = ""
    identifier_scheme: str = ""
    legal_identifier: str = ""
    website: str = ""
    languages: str = "nl,en"
    sectors: tuple[str, ...] = ()  # NACE Rev. 2.1 codes
    keywords: tuple[str, ...] = ()
    description_en: str = ""
    description_nl: str = ""
    description_fr: str = ""
    description_de: str = ""
    site: SiteSeed | None = None
    is_sample: bool = False


@dataclass(frozen=True)
class PersonSeed:
    """An invented person (never a real one). No e-mail: an invented address at a real domain could reach
    someone."""

    organisation: str  # organisation slug
    first_name: str
    last_name: str
    job_title: str = ""
    roles: str = ""


@dataclass(frozen=True)
class ClusterNameSeed:
    name: str
    valid_from: dt.date


@dataclass(frozen=True)
class DomainSeed:
    slug: str
    name: str
    kind: str  # a helix.registry.models.DomainKind value
    description: str  # public: what the domain is about, never where the data comes from
    provenance: str = ""  # what the source says and what is invented; kept out of every public text


@dataclass(frozen=True)
class ClusterSeed:
    slug: str
    operator: str  # organisation slug
    founded_on: dt.date
    names: tuple[ClusterNameSeed, ...]
    description: str  # public: what the cluster is about, never where the data comes from
    domains: tuple[DomainSeed, ...] = ()
    is_sample: bool = False
    provenance: str = ""  # what the source says and what is invented; kept out of every public text


@dataclass(frozen=True)
class LadderStep:
    """One step on the engagement ladder; the first step of a membership starts from nothing."""

    level: str  # a helix.core.registry.ladder.EngagementLevel value
    on: dt.date
    note: str = ""


@dataclass(frozen=True)
class MembershipSeed:
    organisation: str
    cluster: str
    steps: tuple[LadderStep, ...]
    domains: tuple[str, ...] = ()  # domain slugs within the cluster
    manager: str = ""  # username of the relationship manager

    @property
    def level(self) -> str:
        return self.steps[-1].level

    @property
    def since(self) -> dt.date:
        return self.steps[-1].on


@dataclass(frozen=True)
class LetterSeed:
    organisation: str
    cluster: str
    signed_on: dt.date
    signatory: PersonSeed
    note: str = ""


@dataclass(frozen=True)
class AdvisorySeatSeed:
    person: PersonSeed
    is_chair: bool = False


@dataclass(frozen=True)
class AdvisoryGroupSeed:
    cluster: str
    name: str
    seats: tuple[AdvisorySeatSeed, ...]


@dataclass(frozen=True)
class InteractionSeed:
    organisation: str
    cluster: str
    kind: str  # a helix.registry.models.InteractionKind value
    happened_on: dt.date
    logged_by: str  # username
    summary: str
    people: tuple[PersonSeed, ...] = ()
    needs_identified: str = ""
    follow_up_on: dt.date | None = None
    follow_up_done: bool = False


@dataclass(frozen=True)
class UserSeed:
    username: str
    is_staff: bool = False
    is_superuser: bool = False
    staff_of: tuple[str, ...] = ()  # cluster slugs (StaffAssignment)
    person: PersonSeed | None = None


@dataclass(frozen=True)
class DemoEcosystem:
    organisations: tuple[OrganisationSeed, ...]
    clusters: tuple[ClusterSeed, ...]
    memberships: tuple[MembershipSeed, ...]
    letters: tuple[LetterSeed, ...]
    advisory_groups: tuple[AdvisoryGroupSeed, ...]
    interactions: tuple[InteractionSeed, ...]
    users: tuple[UserSeed, ...]
    people: tuple[PersonSeed, ...] = field(default=())

    def all_people(self) -> tuple[PersonSeed, ...]:
        """Every person, each once, in a stable order."""
        found: dict[tuple[str, str, str], PersonSeed] = {}
        for person in (
            *self.people,
            *(letter.signatory for letter in self.letters),
            *(seat.person for group in self.advisory_groups for seat in group.seats),
            *(p for interaction in self.interactions for p in interaction.people),
            *(user.person for user in self.users if user.person),
        ):
            found.setdefault((person.organisation, person.first_name, person.last_name), person)
        return tuple(found.values())

    def organisation(self, slug: str) -> OrganisationSeed:
        for org in self.organisations:
            if org.slug == slug:
                return org
        raise KeyError(slug)

    def cluster(self, slug: str) -> ClusterSeed:
        for cluster in self.clusters:
            if cluster.slug == slug:
                return cluster
        raise KeyError(slug)


# --- the data files -------------------------------------------------------------------------------

DATA_DIR = Path(__file__).parent / "data"


def read_demo(data_dir: Path = DATA_DIR) -> DemoEcosystem:
    """The demo ecosystem from the data files in ``data_dir`` (one file per part, read into the
    dataclasses above; a record that does not fit raises ``DataFileError`` naming its file and line)."""
    return DemoEcosystem(
        organisations=read_csv(data_dir / "organisations.csv", OrganisationSeed),
        clusters=read_json(data_dir / "clusters.json", ClusterSeed),
        memberships=read_json(data_dir / "memberships.json", MembershipSeed),
        letters=read_json(data_dir / "letters.json", LetterSeed),
        advisory_groups=read_json(data_dir / "advisory_groups.json", AdvisoryGroupSeed),
        interactions=read_json(data_dir / "interactions.json", InteractionSeed),
        users=read_json(data_dir / "users.json", UserSeed),
    )


DEMO = read_demo()
DEMO_CLUSTER_SLUGS = tuple(c.slug for c in DEMO.clusters)

# What the sources say about Flux50 (seed 000): its nine founders and the companies that took up the
# highest level of engagement in September 2016. The tests check the data files against these lists.
FOUNDERS = (
    "agoria",
    "voka",
    "pixii",
    "vcb",
    "living-tomorrow",
    "energyville",
    "iminds",
    "ghent-university",
    "smart-grids-flanders",
)
HIGHEST_ENGAGEMENT = (
    "abb",
    "niko",
    "havenbedrijf-antwerpen",
    "proximus",
    "havenbedrijf-gent",
    "actility-benelux",
    "fluvius",
    "condugo",
    "enervalis",
    "fifthplay",
    "ferranti-computer-systems",
    "volta",
    "esas",
)

# Smart Energy Cities (seed 003): its four work domains and the five (invented) cities taking part.
SEC_DOMAINS = DEMO.cluster("smart-energy-cities").domains
SEC_CITIES = tuple(o for o in DEMO.organisations if o.government_level == "local")
