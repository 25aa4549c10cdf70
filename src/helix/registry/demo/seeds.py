"""The demo ecosystem as plain data, built from the source documents in /work/shared/seeds/.

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
is its ``provenance`` here (listed in README.md beside this file, never loaded into a description);
invented dates and steps say "sample" only in staff-only notes (a membership's history, a letter of
intent, an interaction).
Real organisations get a legal identifier only where it is certain; otherwise it stays empty. Sites
are at city level and only where the city is known.

No Django here: ``helix.registry.demo.load`` writes this to the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# A fixed password is fine for demo data; `helix demo load` prints it.
DEMO_PASSWORD = "helix-demo"  # noqa: S105 (public demo password)

D = dt.date


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


# --- places (city centroids) ------------------------------------------------------------------------

BRUSSEL = SiteSeed("Brussel", "brussels", 50.8467, 4.3525, "1000")
GENT = SiteSeed("Gent", "oost-vlaanderen", 51.0543, 3.7174, "9000")
ANTWERPEN = SiteSeed("Antwerpen", "antwerpen", 51.2194, 4.4025, "2000")
LEUVEN = SiteSeed("Leuven", "vlaams-brabant", 50.8798, 4.7005, "3000")
KORTRIJK = SiteSeed("Kortrijk", "west-vlaanderen", 50.8280, 3.2649, "8500")
GENK = SiteSeed("Genk", "limburg", 50.9650, 5.5008, "3600")
LUXEMBOURG = SiteSeed("Luxembourg", "luxembourg", 49.6116, 6.1319, country="LU", name="Siège")
BELVAL = SiteSeed("Esch-sur-Alzette", "luxembourg", 49.5016, 5.9472, "L-4362", country="LU", name="Siège")


def _lu(city: str, latitude: float, longitude: float) -> SiteSeed:
    return SiteSeed(city, "luxembourg", latitude, longitude, country="LU", name="Siège")


# --- Flux50 (seed 000) ------------------------------------------------------------------------------

SAMPLE_NOTE = "sample: date approximate"
ZONE_NOTE = (
    "The source says five innovator zones were selected but does not name them; the name and the "
    "description are invented."
)

FLUX50_ORGANISATIONS = (
    OrganisationSeed(
        "flux50",
        "Flux50",
        "cluster_organisation",
        website="https://www.flux50.com",
        sectors=("94.11",),
        keywords=("smart energy", "energy transition", "innovation cluster"),
        description_en=(
            "Flux50 is the Flemish energy cluster, supported by Flanders Innovation & Entrepreneurship. It "
            "grew out of the Flemish Energy Cluster initiative headed by Smart Grids Flanders and took its "
            "name on 10 May 2017. It brings together energy, ICT and construction to make Flanders a Smart "
            "Energy Region."
        ),
        description_nl=(
            "Flux50 is de Vlaamse energiecluster, gesteund door het Agentschap Innoveren & Ondernemen. De "
            "cluster groeide uit het initiatief voor een Vlaamse Energiecluster onder leiding van Smart "
            "Grids Flanders en kreeg zijn naam op 10 mei 2017. Flux50 verbindt energie, ICT en bouw."
        ),
        site=BRUSSEL,
    ),
    OrganisationSeed(
        "smart-grids-flanders",
        "Smart Grids Flanders",
        "federation",
        sectors=("94.11",),
        keywords=("smart grids", "energy transition"),
        description_en=(
            "Platform for smart grids in Flanders; it headed the nine organisations behind the Flemish "
            "Energy Cluster and ceased to exist in May 2017, when its articles of association were amended "
            "to found Flux50."
        ),
        description_nl=(
            "Platform voor slimme netten in Vlaanderen; het leidde de negen organisaties achter de Vlaamse "
            "Energiecluster en hield in mei 2017 op te bestaan, toen zijn statuten werden gewijzigd om "
            "Flux50 op te richten."
        ),
    ),
    OrganisationSeed(
        "agoria",
        "Agoria",
        "federation",
        website="https://www.agoria.be",
        sectors=("94.11",),
        keywords=("technology industry", "digitalisation", "energy transition"),
        description_en=(
            "The Belgian federation of the technology industry; one of the nine founders of Flux50."
        ),
        description_nl=(
            "De Belgische federatie van de technologische industrie; een van de negen stichters van Flux50."
        ),
        site=BRUSSEL,
    ),
    OrganisationSeed(
        "voka",
        "Voka",
        "federation",
        website="https://www.voka.be",
        sectors=("94.11",),
        keywords=("entrepreneurship", "business network"),
        description_en="The Flemish network of enterprises; one of the nine founders of Flux50.",
        description_nl="Het Vlaams netwerk van ondernemingen; een van de negen stichters van Flux50.",
        site=BRUSSEL,
    ),
    OrganisationSeed(
        "pixii",
        "Pixii – Kennisplatform Energieneutraal Bouwen",
        "federation",
        sectors=("94.99",),
        keywords=("energy-neutral building", "renovation"),
        description_en="Knowledge platform for energy-neutral building; one of the nine founders of Flux50.",
        description_nl="Kennisplatform voor energieneutraal bouwen; een van de negen stichters van Flux50.",
    ),
    OrganisationSeed(
        "vcb",
        "VCB",
        "federation",
        sectors=("94.11",),
        keywords=("construction", "renovation"),
        description_en=(
            "Vlaamse Confederatie Bouw, the Flemish construction federation; one of the nine founders of "
            "Flux50."
        ),
        description_nl=(
            "Vlaamse Confederatie Bouw, de Vlaamse bouwfederatie; een van de negen stichters van Flux50."
        ),
        site=BRUSSEL,
    ),
    OrganisationSeed(
        "living-tomorrow",
        "Living Tomorrow",
        "company",
        size_class="sme",
        sectors=("82.30",),
        keywords=("smart home", "innovation showcase", "living lab"),
        description_en=(
            "Innovation platform and showcase for the home and city of the future; one of the nine founders "
            "of Flux50."
        ),
        description_nl=(
            "Innovatieplatform en toonzaal voor de woning en de stad van morgen; een van de negen stichters "
            "van Flux50."
        ),
        site=SiteSeed("Vilvoorde", "vlaams-brabant", 50.9281, 4.4245, "1800"),
    ),
    OrganisationSeed(
        "energyville",
        "EnergyVille",
        "knowledge_institution",
        website="https://www.energyville.be",
        sectors=("72.10",),
        keywords=("energy systems", "photovoltaics", "batteries", "district heating"),
        description_en=(
            "Research collaboration on sustainable energy and intelligent energy systems (KU Leuven, VITO, "
            "imec and UHasselt) in Genk; one of the nine founders of Flux50."
        ),
        description_nl=(
            "Onderzoekssamenwerking rond duurzame energie en slimme energiesystemen (KU Leuven, VITO, imec "
            "en UHasselt) in Genk; een van de negen stichters van Flux50."
        ),
        site=GENK,
    ),
    OrganisationSeed(
        "iminds",
        "iMinds",
        "knowledge_institution",
        sectors=("72.10",),
        keywords=("digital research", "internet of things", "data"),
        description_en=(
            "Flemish digital research institute; one of the nine founders of Flux50. It merged into imec in "
            "2016."
        ),
        description_nl=(
            "Vlaams onderzoeksinstituut voor digitale technologie; een van de negen stichters van Flux50. "
            "Het fuseerde in 2016 met imec."
        ),
        site=GENT,
    ),
    OrganisationSeed(
        "ghent-university",
        "Ghent University",
        "knowledge_institution",
        identifier_scheme="be",
        legal_identifier="0248.015.142",
        website="https://www.ugent.be",
        sectors=("85.40", "72.10"),
        keywords=("electrical energy", "power electronics", "building physics"),
        description_en="University in Ghent; one of the nine founders of Flux50.",
        description_nl="Universiteit Gent; een van de negen stichters van Flux50.",
        site=GENT,
    ),
    # The companies that took up the highest level of engagement (seed 000, September 2016).
    OrganisationSeed(
        "abb",
        "ABB",
        "company",
        size_class="large",
        website="https://www.abb.com",
        sectors=("27.12", "27.11"),
        keywords=("electrification", "automation", "power grids"),
        description_en=(
            "Electrification and automation technology; a strategic partner of Flux50 since its launch."
        ),
        description_nl=(
            "Elektrificatie- en automatiseringstechnologie; strategische partner van Flux50 sinds de start."
        ),
        site=SiteSeed("Zaventem", "vlaams-brabant", 50.8836, 4.4728, "1930"),
    ),
    OrganisationSeed(
        "niko",
        "Niko",
        "company",
        size_class="large",
        website="https://www.niko.eu",
        sectors=("27.33", "27.90"),
        keywords=("home automation", "switches", "smart buildings"),
        description_en="Switches, home automation and building control from Sint-Niklaas.",
        description_nl="Schakelmateriaal, domotica en gebouwbesturing uit Sint-Niklaas.",
        site=SiteSeed("Sint-Niklaas", "oost-vlaanderen", 51.1650, 4.1437, "9100"),
    ),
    OrganisationSeed(
        "havenbedrijf-antwerpen",
        "Havenbedrijf Antwerpen",
        "company",
        size_class="large",
        sectors=("52.22",),
        keywords=("port", "industrial symbiosis", "residual heat"),
        description_en=(
            "The port authority of Antwerp; it co-organised the Energy Vision seminar at the Antwerp harbour "
            "(October 2015) that started industry engagement in the energy cluster."
        ),
        description_nl=(
            "Het havenbedrijf van Antwerpen; mee-organisator van het seminarie Energy Vision in de Antwerpse "
            "haven (oktober 2015), de start van de betrokkenheid van de industrie bij de energiecluster."
        ),
        site=ANTWERPEN,
    ),
    OrganisationSeed(
        "proximus",
        "Proximus",
        "company",
        size_class="large",
        identifier_scheme="be",
        legal_identifier="0202.239.951",
        website="https://www.proximus.com",
        sectors=("61.10",),
        keywords=("telecommunications", "internet of things", "connectivity"),
        description_en=(
            "Belgian telecommunications company; it hosted the event at which Flux50 revealed its name (10 "
            "May 2017)."
        ),
        description_nl=(
            "Belgisch telecombedrijf; gastheer van het evenement waarop Flux50 zijn naam onthulde (10 mei "
            "2017)."
        ),
        site=BRUSSEL,
    ),
    OrganisationSeed(
        "havenbedrijf-gent",
        "Havenbedrijf Gent",
        "company",
        size_class="large",
        sectors=("52.22",),
        keywords=("port", "residual heat", "hydrogen"),
        description_en="The port authority of Ghent; a strategic partner of the Flemish energy cluster.",
        description_nl="Het havenbedrijf van Gent; strategische partner van de Vlaamse energiecluster.",
        site=GENT,
    ),
    OrganisationSeed(
        "actility-benelux",
        "Actility Benelux",
        "company",
        sectors=("61.90", "62.10"),
        keywords=("internet of things", "lpwan", "smart metering"),
        description_en=(
            "Benelux branch of Actility, internet-of-things networks; a strategic partner of Flux50."
        ),
        description_nl=(
            "Benelux-vestiging van Actility, netwerken voor het internet der dingen; strategische partner "
            "van Flux50."
        ),
    ),
    OrganisationSeed(
        "fluvius",
        "Fluvius",
        "company",
        size_class="large",
        website="https://www.fluvius.be",
        sectors=("35.14", "35.22"),
        keywords=("distribution grid", "smart meters", "flexibility"),
        description_en=(
            "The Flemish distribution system operator for electricity and gas, formed in 2018 from Eandis "
            "and Infrax (the source uses today's name)."
        ),
        description_nl=(
            "De Vlaamse distributienetbeheerder voor elektriciteit en aardgas, in 2018 ontstaan uit Eandis "
            "en Infrax (de bron gebruikt de huidige naam)."
        ),
        site=SiteSeed("Melle", "oost-vlaanderen", 51.0031, 3.7969, "9090"),
    ),
    OrganisationSeed(
        "condugo",
        "Condugo",
        "company",
        size_class="sme",
        sectors=("71.12",),
        keywords=("energy efficiency", "industrial processes"),
        description_en=(
            "Named in the source among the companies with the highest engagement in the Flemish energy "
            "cluster (2016)."
        ),
        description_nl=(
            "In de bron genoemd bij de bedrijven met het hoogste engagement in de Vlaamse energiecluster "
            "(2016)."
        ),
    ),
    OrganisationSeed(
        "enervalis",
        "Enervalis",
        "company",
        size_class="sme",
        website="https://www.enervalis.com",
        sectors=("62.10",),
        keywords=("smart charging", "energy management", "flexibility", "software"),
        description_en=(
            "Software for smart charging of electric vehicles and energy management at sites and homes."
        ),
        description_nl=(
            "Software voor slim laden van elektrische voertuigen en energiebeheer op sites en in woningen."
        ),
        site=SiteSeed("Houthalen-Helchteren", "limburg", 51.0327, 5.3750, "3530"),
    ),
    OrganisationSeed(
        "fifthplay",
        "Fifthplay",
        "company",
        sectors=("62.10",),
        keywords=("smart home", "energy management", "software"),
        description_en=(
            "Named in the source among the companies with the highest engagement in the Flemish energy "
            "cluster (2016)."
        ),
        description_nl=(
            "In de bron genoemd bij de bedrijven met het hoogste engagement in de Vlaamse energiecluster "
            "(2016)."
        ),
    ),
    OrganisationSeed(
        "ferranti-computer-systems",
        "Ferranti Computer Systems",
        "company",
        sectors=("62.10",),
        keywords=("utility software", "metering data", "software"),
        description_en="Software for energy and utility companies.",
        description_nl="Software voor energie- en nutsbedrijven.",
    ),
    OrganisationSeed(
        "volta",
        "VOLTA",
        "federation",
        sectors=("94.11",),
        keywords=("electrotechnics", "installers", "training"),
        description_en=(
            "Organisation of the electrotechnical sector; a strategic partner of the Flemish energy cluster."
        ),
        description_nl=(
            "Organisatie van de elektrotechnische sector; strategische partner van de Vlaamse energiecluster."
        ),
    ),
    OrganisationSeed(
        "esas",
        "ESAS",
        "company",
        description_en=(
            "Named in the source among the companies with the highest engagement in the Flemish energy "
            "cluster (2016)."
        ),
        description_nl=(
            "In de bron genoemd bij de bedrijven met het hoogste engagement in de Vlaamse energiecluster "
            "(2016)."
        ),
    ),
    # Invented SMEs, so that the lower rungs of the ladder are not empty.
    OrganisationSeed(
        "warmtenet-waasland",
        "Warmtenet Waasland BV",
        "company",
        size_class="sme",
        sectors=("35.30",),
        keywords=("district heating", "residual heat", "heat networks"),
        description_en="Designs and operates small district heating networks fed by residual heat.",
        description_nl="Ontwerpt en beheert kleine warmtenetten die gevoed worden met restwarmte.",
        site=SiteSeed("Sint-Niklaas", "oost-vlaanderen", 51.1650, 4.1437, "9100"),
        is_sample=True,
    ),
    OrganisationSeed(
        "kempen-batterijen",
        "Kempen Batterijen BV",
        "company",
        size_class="sme",
        sectors=("27.20",),
        keywords=("batteries", "energy storage", "second-life batteries"),
        description_en="Assembles stationary battery systems from second-life cells.",
        description_nl="Bouwt stationaire batterijsystemen met tweedehands cellen.",
        site=SiteSeed("Geel", "antwerpen", 51.1617, 4.9900, "2440"),
        is_sample=True,
    ),
    OrganisationSeed(
        "leie-smart-buildings",
        "Leie Smart Buildings BV",
        "company",
        size_class="sme",
        sectors=("43.21", "71.12"),
        keywords=("building automation", "renovation", "heat pumps"),
        description_en="Engineering and installation for smart, deep-renovated buildings.",
        description_nl="Studie en installatie voor slimme, diepgerenoveerde gebouwen.",
        site=KORTRIJK,
        is_sample=True,
    ),
    OrganisationSeed(
        "demer-data-labs",
        "Demer Data Labs BV",
        "company",
        size_class="sme",
        sectors=("62.10",),
        keywords=("energy data", "forecasting", "machine learning"),
        description_en="Forecasts of energy demand and production from meter data.",
        description_nl="Voorspellingen van energievraag en -productie op basis van meterdata.",
        site=SiteSeed("Diest", "vlaams-brabant", 50.9891, 5.0506, "3290"),
        is_sample=True,
    ),
)

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

FLUX50_ZONES = (
    DomainSeed(
        "multi-energy-districts",
        "Multi-energy districts",
        "innovator_zone",
        "Districts and business parks that share heat, electricity and storage.",
        ZONE_NOTE,
    ),
    DomainSeed(
        "smart-buildings-renovation",
        "Smart buildings and renovation",
        "innovator_zone",
        "Energy-neutral renovation and smart control of buildings.",
        ZONE_NOTE,
    ),
    DomainSeed(
        "flexible-grids-storage",
        "Flexible grids and storage",
        "innovator_zone",
        "Flexibility, batteries and smart charging on the distribution grid.",
        ZONE_NOTE,
    ),
    DomainSeed(
        "energy-data-ict",
        "Energy data and ICT",
        "innovator_zone",
        "Metering data, internet of things and energy services.",
        ZONE_NOTE,
    ),
    DomainSeed(
        "industrial-energy-efficiency",
        "Industrial energy efficiency",
        "innovator_zone",
        "Residual heat, electrification and efficiency in industry and ports.",
        ZONE_NOTE,
    ),
)

FLUX50 = ClusterSeed(
    "flux50",
    "flux50",
    D(2017, 5, 10),
    (ClusterNameSeed("Flemish Energy Cluster", D(2016, 5, 26)), ClusterNameSeed("Flux50", D(2017, 5, 10))),
    "The Flemish energy cluster. Presented as the Flemish Energy Cluster with its white paper on 26 May "
    "2016, supported by the Flemish Government from 16 December 2016 in the 'Clusters for Growth' programme "
    "and founded as Flux50 on 10 May 2017. Driven until then by Smart Grids Flanders.",
    FLUX50_ZONES,
)

# Signing dates are invented within what the source says: the first letters arrived from the launch on
# 26 May 2016; the companies with the highest engagement were known by the proposal of 30 September 2016.
_LOI = {
    "abb": (
        D(2016, 1, 21),
        D(2016, 6, 14),
        PersonSeed("abb", "Pieter", "Wouters", "Business development manager"),
    ),
    "niko": (D(2016, 1, 21), D(2016, 6, 2), PersonSeed("niko", "Els", "Maes", "Innovation manager")),
    "havenbedrijf-antwerpen": (
        D(2015, 10, 15),
        D(2016, 5, 30),
        PersonSeed("havenbedrijf-antwerpen", "Koen", "Janssens", "Energy transition manager"),
    ),
    "proximus": (
        D(2016, 1, 21),
        D(2016, 6, 21),
        PersonSeed("proximus", "Sofie", "Claes", "Internet of things lead"),
    ),
    "havenbedrijf-gent": (
        D(2016, 5, 12),
        D(2016, 7, 5),
        PersonSeed("havenbedrijf-gent", "Bart", "De Vos", "Strategy advisor"),
    ),
    "actility-benelux": (
        D(2016, 5, 12),
        D(2016, 8, 23),
        PersonSeed("actility-benelux", "Nathalie", "Dubois", "Country manager"),
    ),
    "fluvius": (
        D(2016, 1, 21),
        D(2016, 6, 28),
        PersonSeed("fluvius", "Tom", "Willems", "Grid innovation manager"),
    ),
    "condugo": (D(2016, 5, 12), D(2016, 7, 12), PersonSeed("condugo", "Jan", "Hermans", "Managing director")),
    "enervalis": (
        D(2016, 1, 21),
        D(2016, 6, 9),
        PersonSeed("enervalis", "Lotte", "Vermeulen", "Business developer", "main contact, signatory"),
    ),
    "fifthplay": (
        D(2016, 1, 21),
        D(2016, 7, 19),
        PersonSeed("fifthplay", "Wim", "Goossens", "Product manager"),
    ),
    "ferranti-computer-systems": (
        D(2016, 5, 12),
        D(2016, 9, 6),
        PersonSeed("ferranti-computer-systems", "Hilde", "Jacobs", "Account manager"),
    ),
    "volta": (D(2016, 5, 26), D(2016, 9, 13), PersonSeed("volta", "Dirk", "Mertens", "Director")),
    "esas": (D(2016, 5, 26), D(2016, 9, 27), PersonSeed("esas", "Ann", "Peeters", "Chief executive")),
}
_ZONES_OF = {
    "abb": ("flexible-grids-storage", "industrial-energy-efficiency"),
    "niko": ("smart-buildings-renovation",),
    "havenbedrijf-antwerpen": ("multi-energy-districts", "industrial-energy-efficiency"),
    "proximus": ("energy-data-ict",),
    "havenbedrijf-gent": ("multi-energy-districts", "industrial-energy-efficiency"),
    "actility-benelux": ("energy-data-ict",),
    "fluvius": ("flexible-grids-storage", "multi-energy-districts"),
    "condugo": ("industrial-energy-efficiency",),
    "enervalis": ("flexible-grids-storage", "energy-data-ict"),
    "fifthplay": ("smart-buildings-renovation", "energy-data-ict"),
    "ferranti-computer-systems": ("energy-data-ict",),
    "volta": ("smart-buildings-renovation",),
    "esas": ("flexible-grids-storage",),
    "agoria": ("energy-data-ict",),
    "voka": ("industrial-energy-efficiency",),
    "pixii": ("smart-buildings-renovation",),
    "vcb": ("smart-buildings-renovation",),
    "living-tomorrow": ("smart-buildings-renovation",),
    "energyville": ("multi-energy-districts", "flexible-grids-storage"),
    "iminds": ("energy-data-ict",),
    "ghent-university": ("flexible-grids-storage", "industrial-energy-efficiency"),
    "smart-grids-flanders": ("flexible-grids-storage",),
}


def _partner_steps(slug: str) -> tuple[LadderStep, ...]:
    interested_on, signed_on, _person = _LOI[slug]
    return (
        LadderStep("interested", interested_on, SAMPLE_NOTE),
        LadderStep("loi_signed", signed_on, "letter of intent signed (sample date)"),
        LadderStep("member", D(2017, 5, 10), "Flux50 founded"),
        LadderStep("strategic_partner", D(2017, 5, 10), "highest level of engagement, as committed in 2016"),
    )


def _founder_steps(slug: str) -> tuple[LadderStep, ...]:
    steps = [
        LadderStep(
            "interested",
            D(2015, 10, 1),
            "one of the nine founding organisations (October 2015; day approximate)",
        ),
        LadderStep("loi_signed", D(2016, 5, 26), "white paper supported by the nine organisations"),
    ]
    if slug == "iminds":
        steps.append(LadderStep("left", D(2016, 10, 1), "merged into imec (sample: date approximate)"))
        return tuple(steps)
    steps.append(LadderStep("member", D(2017, 5, 10), "Flux50 founded"))
    if slug == "smart-grids-flanders":
        steps.append(
            LadderStep("left", D(2017, 5, 10), "ceased to exist; its articles were amended to found Flux50")
        )
    return tuple(steps)


FLUX50_MEMBERSHIPS = (
    *(MembershipSeed(s, "flux50", _founder_steps(s), _ZONES_OF[s], "staff") for s in FOUNDERS),
    *(MembershipSeed(s, "flux50", _partner_steps(s), _ZONES_OF[s], "staff") for s in HIGHEST_ENGAGEMENT),
    MembershipSeed(
        "warmtenet-waasland",
        "flux50",
        (LadderStep("interested", D(2016, 5, 26), SAMPLE_NOTE),),
        ("multi-energy-districts",),
    ),
    MembershipSeed(
        "kempen-batterijen",
        "flux50",
        (
            LadderStep("interested", D(2016, 5, 26), SAMPLE_NOTE),
            LadderStep("loi_signed", D(2016, 7, 1), SAMPLE_NOTE),
        ),
        ("flexible-grids-storage",),
    ),
    MembershipSeed(
        "leie-smart-buildings",
        "flux50",
        (
            LadderStep("interested", D(2016, 1, 21), SAMPLE_NOTE),
            LadderStep("loi_signed", D(2016, 8, 10), SAMPLE_NOTE),
            LadderStep("member", D(2017, 5, 10), "Flux50 founded"),
        ),
        ("smart-buildings-renovation",),
        "staff",
    ),
    MembershipSeed(
        "demer-data-labs",
        "flux50",
        (
            LadderStep("interested", D(2017, 9, 15), SAMPLE_NOTE),
            LadderStep("left", D(2019, 3, 1), SAMPLE_NOTE),
        ),
        ("energy-data-ict",),
    ),
)

FLUX50_LETTERS = tuple(
    LetterSeed(
        slug,
        "flux50",
        signed_on,
        person,
        "Sample: signatory and signing date invented; the source names the company among those with the "
        "highest engagement by September 2016.",
    )
    for slug, (_interested, signed_on, person) in _LOI.items()
)


# --- The Luxembourg Cluster Initiative (seed 002) ----------------------------------------------------

LUX_ORGANISATIONS = (
    OrganisationSeed(
        "luxinnovation",
        "Luxinnovation",
        "cluster_organisation",
        website="https://www.luxinnovation.lu",
        languages="fr,de,en",
        sectors=("70.20", "94.11"),
        keywords=("innovation agency", "clusters", "funding"),
        description_en=(
            "The national innovation agency of Luxembourg. The government entrusted it with the management "
            "of the Luxembourg Cluster Initiative, launched at the beginning of the 2000s."
        ),
        description_fr=(
            "L'agence nationale de promotion de l'innovation du Luxembourg, qui gère la Luxembourg Cluster "
            "Initiative lancée par le gouvernement au début des années 2000."
        ),
        description_de=(
            "Die nationale Innovationsagentur Luxemburgs; sie leitet die Anfang der 2000er Jahre von der "
            "Regierung gestartete Luxembourg Cluster Initiative."
        ),
    ),
    OrganisationSeed(
        "list",
        "Luxembourg Institute of Science and Technology (LIST)",
        "knowledge_institution",
        website="https://www.list.lu",
        languages="fr,de,en",
        sectors=("72.10",),
        keywords=("materials", "environment", "digital twins"),
        description_en="Research and technology organisation in materials, environment and IT.",
        description_fr="Organisme de recherche et de technologie : matériaux, environnement et informatique.",
        description_de="Forschungs- und Technologieorganisation für Werkstoffe, Umwelt und IT.",
        site=BELVAL,
    ),
    OrganisationSeed(
        "university-of-luxembourg",
        "Université du Luxembourg",
        "knowledge_institution",
        website="https://www.uni.lu",
        languages="fr,de,en",
        sectors=("85.40", "72.10"),
        keywords=("research", "higher education"),
        description_en="The University of Luxembourg, on the Belval campus.",
        description_fr="L'Université du Luxembourg, sur le campus de Belval.",
        description_de="Die Universität Luxemburg auf dem Campus Belval.",
        site=BELVAL,
    ),
    OrganisationSeed(
        "luxembourg-institute-of-health",
        "Luxembourg Institute of Health (LIH)",
        "knowledge_institution",
        languages="fr,de,en",
        sectors=("72.10",),
        keywords=("biomedical research", "clinical studies"),
        description_en="Public biomedical research institute.",
        description_fr="Institut public de recherche biomédicale.",
        description_de="Öffentliches Institut für biomedizinische Forschung.",
        site=_lu("Strassen", 49.6206, 6.0733),
    ),
    OrganisationSeed(
        "ministere-economie",
        "Ministère de l'Économie",
        "government",
        government_level="national",
        languages="fr,de,en",
        sectors=("84.13",),
        keywords=("economic policy", "industry"),
        description_en="The Ministry of the Economy of Luxembourg.",
        description_fr="Le ministère de l'Économie du Grand-Duché de Luxembourg.",
        description_de="Das Wirtschaftsministerium des Großherzogtums Luxemburg.",
        site=LUXEMBOURG,
    ),
    OrganisationSeed(
        "ministere-sante",
        "Ministère de la Santé",
        "government",
        government_level="national",
        languages="fr,de,en",
        sectors=("84.12",),
        keywords=("health policy",),
        description_en="The Ministry of Health of Luxembourg.",
        description_fr="Le ministère de la Santé du Grand-Duché de Luxembourg.",
        description_de="Das Gesundheitsministerium des Großherzogtums Luxemburg.",
        site=LUXEMBOURG,
    ),
    OrganisationSeed(
        "ministere-environnement",
        "Ministère de l'Environnement, du Climat et de la Biodiversité",
        "government",
        government_level="national",
        languages="fr,de,en",
        sectors=("84.11",),
        keywords=("climate policy", "environment"),
        description_en="The Ministry of the Environment, Climate and Biodiversity of Luxembourg.",
        description_fr="Le ministère de l'Environnement, du Climat et de la Biodiversité.",
        description_de="Das Ministerium für Umwelt, Klima und Biodiversität.",
        site=LUXEMBOURG,
    ),
)


def _lu_company(
    slug: str,
    name: str,
    sectors: tuple[str, ...],
    keywords: tuple[str, ...],
    site: SiteSeed,
    en: str,
    fr: str,
    de: str,
) -> OrganisationSeed:
    return OrganisationSeed(
        slug,
        name,
        "company",
        size_class="sme",
        languages="fr,de,en",
        sectors=sectors,
        keywords=keywords,
        description_en=en,
        description_fr=fr,
        description_de=de,
        site=site,
        is_sample=True,
    )


DIFFERDANGE = _lu("Differdange", 49.5242, 5.8914)
WILTZ = _lu("Wiltz", 49.9661, 5.9322)
ETTELBRUCK = _lu("Ettelbruck", 49.8475, 6.1042)

LUX_COMPANIES = (
    _lu_company(
        "alzette-surface-coatings",
        "Alzette Surface Coatings S.à r.l.",
        ("25.51",),
        ("surface treatment", "coatings", "thin films"),
        DIFFERDANGE,
        "vacuum and plasma coatings for tools and components.",
        "revêtements sous vide et plasma pour outils et composants.",
        "Vakuum- und Plasmabeschichtungen für Werkzeuge und Bauteile.",
    ),
    _lu_company(
        "minett-additive-works",
        "Minett Additive Works S.A.",
        ("25.53", "25.99"),
        ("additive manufacturing", "3d printing", "titanium"),
        BELVAL,
        "metal additive manufacturing of spare parts.",
        "fabrication additive métallique de pièces de rechange.",
        "additive Fertigung von Ersatzteilen aus Metall.",
    ),
    _lu_company(
        "eislek-composites",
        "Éislek Composites S.à r.l.",
        ("22.21",),
        ("composites", "lightweight materials"),
        WILTZ,
        "fibre-reinforced composite panels.",
        "panneaux composites renforcés de fibres.",
        "faserverstärkte Verbundplatten.",
    ),
    _lu_company(
        "moselle-precision-parts",
        "Moselle Precision Parts S.A.",
        ("25.53",),
        ("machining", "precision engineering"),
        _lu("Grevenmacher", 49.6808, 6.4406),
        "precision machining for the automotive and aerospace industries.",
        "usinage de précision pour l'automobile et l'aéronautique.",
        "Präzisionsbearbeitung für Automobil- und Luftfahrtindustrie.",
    ),
    _lu_company(
        "gutland-polymer-solutions",
        "Gutland Polymer Solutions S.à r.l.",
        ("20.16",),
        ("polymers", "recycling"),
        _lu("Bettembourg", 49.5186, 6.1028),
        "recycled engineering polymers.",
        "polymères techniques recyclés.",
        "recycelte technische Polymere.",
    ),
    _lu_company(
        "kirchberg-biosensors",
        "Kirchberg Biosensors S.A.",
        ("26.51", "32.50"),
        ("biosensors", "diagnostics", "medical devices"),
        LUXEMBOURG,
        "biosensors for point-of-care diagnostics.",
        "biocapteurs pour le diagnostic au chevet du patient.",
        "Biosensoren für patientennahe Diagnostik.",
    ),
    _lu_company(
        "sure-diagnostics",
        "Sûre Diagnostics S.à r.l.",
        ("32.50",),
        ("diagnostics", "laboratory automation"),
        ETTELBRUCK,
        "diagnostic kits and laboratory automation.",
        "kits de diagnostic et automatisation de laboratoire.",
        "Diagnosekits und Laborautomation.",
    ),
    _lu_company(
        "mamer-meddata",
        "Mamer MedData S.A.",
        ("62.10",),
        ("health data", "interoperability", "software"),
        _lu("Mamer", 49.6275, 6.0231),
        "software for the exchange of health data.",
        "logiciels d'échange de données de santé.",
        "Software für den Austausch von Gesundheitsdaten.",
    ),
    _lu_company(
        "petrusse-telecare",
        "Pétrusse Telecare S.à r.l.",
        ("62.90",),
        ("telemedicine", "remote monitoring"),
        LUXEMBOURG,
        "remote monitoring of patients at home.",
        "télésurveillance des patients à domicile.",
        "Fernüberwachung von Patienten zu Hause.",
    ),
    _lu_company(
        "strassen-bio-labs",
        "Strassen Bio Labs S.A.",
        ("72.10",),
        ("biotechnology", "cell culture"),
        _lu("Strassen", 49.6206, 6.0733),
        "contract research in cell culture.",
        "recherche sous contrat en culture cellulaire.",
        "Auftragsforschung in der Zellkultur.",
    ),
    _lu_company(
        "nordstad-heat-solutions",
        "Nordstad Heat Solutions S.à r.l.",
        ("43.22", "35.30"),
        ("heat pumps", "district heating", "waste heat"),
        ETTELBRUCK,
        "heat pumps and small heat networks.",
        "pompes à chaleur et petits réseaux de chaleur.",
        "Wärmepumpen und kleine Wärmenetze.",
    ),
    _lu_company(
        "mullerthal-water-technologies",
        "Mullerthal Water Technologies S.A.",
        ("36.00",),
        ("water treatment", "membranes"),
        _lu("Echternach", 49.8117, 6.4214),
        "membrane water treatment for industry.",
        "traitement de l'eau par membranes pour l'industrie.",
        "Membran-Wasseraufbereitung für die Industrie.",
    ),
    _lu_company(
        "belval-circular-materials",
        "Belval Circular Materials S.A.",
        ("38.21",),
        ("circular economy", "materials recovery"),
        BELVAL,
        "recovery of materials from construction waste.",
        "valorisation des matériaux issus des déchets de construction.",
        "Rückgewinnung von Werkstoffen aus Bauabfällen.",
    ),
    _lu_company(
        "osling-wood-energy",
        "Ösling Wood Energy S.à r.l.",
        ("16.26",),
        ("wood pellets", "biomass", "wood"),
        WILTZ,
        "wood pellets from local forestry residues.",
        "granulés de bois issus de résidus forestiers locaux.",
        "Holzpellets aus lokalen Forstresten.",
    ),
    _lu_company(
        "contern-solar-systems",
        "Contern Solar Systems S.A.",
        ("43.21", "35.12"),
        ("photovoltaics", "solar", "energy storage"),
        _lu("Contern", 49.5856, 6.2267),
        "design and installation of photovoltaic plants.",
        "conception et installation de centrales photovoltaïques.",
        "Planung und Bau von Photovoltaikanlagen.",
    ),
    _lu_company(
        "clervaux-timber-frames",
        "Clervaux Timber Frames S.à r.l.",
        ("16.23",),
        ("timber construction", "wood"),
        _lu("Clervaux", 50.0547, 6.0314),
        "timber-frame houses and extensions.",
        "maisons et extensions à ossature bois.",
        "Holzrahmenhäuser und Anbauten.",
    ),
    _lu_company(
        "bascharage-automotive-sensors",
        "Bascharage Automotive Sensors S.A.",
        ("29.31",),
        ("automotive", "sensors", "electric vehicles"),
        _lu("Bascharage", 49.5714, 5.9097),
        "sensors for electric vehicles.",
        "capteurs pour véhicules électriques.",
        "Sensoren für Elektrofahrzeuge.",
    ),
    _lu_company(
        "hollerich-design-studio",
        "Hollerich Design Studio S.à r.l.",
        ("74.12",),
        ("design", "visual communication"),
        LUXEMBOURG,
        "graphic and product design.",
        "design graphique et design produit.",
        "Grafik- und Produktdesign.",
    ),
    _lu_company(
        "cloche-dor-cloud-services",
        "Cloche d'Or Cloud Services S.A.",
        ("63.10",),
        ("cloud", "data centre", "cybersecurity"),
        LUXEMBOURG,
        "hosting and cloud services.",
        "hébergement et services cloud.",
        "Hosting und Cloud-Dienste.",
    ),
)

# The source gives each cluster's founding year and its current name, not the day of founding nor the date
# of the rename. Founding days are set to 1 January of the year; rename dates are plausible guesses.
_FOUNDING_NOTE = "Founding year from the source; the day (1 January) is invented."
_RENAME_NOTE = f"{_FOUNDING_NOTE} The date of the rename is invented."


def _lux_cluster(
    slug: str, first: str, founded: int, current: str | None, renamed: dt.date | None, about: str
) -> ClusterSeed:
    names = [ClusterNameSeed(first, D(founded, 1, 1))]
    if current and renamed:
        names.append(ClusterNameSeed(current, renamed))
        about = f"{about} Renamed from {first} to {current}."
    return ClusterSeed(
        slug,
        "luxinnovation",
        D(founded, 1, 1),
        tuple(names),
        f"Part of the Luxembourg Cluster Initiative run by Luxinnovation. {about}",
        provenance=_RENAME_NOTE if current and renamed else _FOUNDING_NOTE,
    )


LUX_CLUSTERS = (
    _lux_cluster(
        "lu-materials-manufacturing",
        "SurfMat",
        2001,
        "Materials & Manufacturing",
        D(2016, 1, 1),
        "The very first cluster (2001), dedicated to new materials, surface treatments and coatings.",
    ),
    _lux_cluster(
        "lu-ict",
        "InfoComm",
        2002,
        "ICT",
        D(2010, 1, 1),
        "Information and communication technologies; now connected to the Luxembourg Digital Innovation Hub.",
    ),
    _lux_cluster(
        "lu-healthtech",
        "BioHealth",
        2008,
        "HealthTech",
        D(2017, 1, 1),
        "Health technologies: medical devices, diagnostics and health data.",
    ),
    _lux_cluster(
        "lu-cleantech",
        "EcoInnovation",
        2009,
        "CleanTech",
        D(2014, 1, 1),
        "Clean technologies: energy, water, circular economy.",
    ),
    _lux_cluster(
        "lu-automobility",
        "Automotive Components",
        2013,
        "AutoMobility",
        D(2016, 1, 1),
        "Automotive components and mobility.",
    ),
    _lux_cluster("lu-wood", "Wood", 2016, None, None, "The wood value chain, from forest to building."),
    _lux_cluster(
        "lu-creative-industries",
        "Creative Industries",
        2017,
        None,
        None,
        "Design, media and the creative economy.",
    ),
)


def _seat(org: str, first: str, last: str, title: str, chair: bool = False) -> AdvisorySeatSeed:
    return AdvisorySeatSeed(PersonSeed(org, first, last, title, "advisory group"), chair)


# About ten stakeholders per sector, from industry, research and public administrations (seed 002).
LUX_ADVISORY_GROUPS = (
    AdvisoryGroupSeed(
        "lu-materials-manufacturing",
        "Materials & Manufacturing advisory group",
        (
            _seat("alzette-surface-coatings", "Marc", "Schmit", "Chief executive", chair=True),
            _seat("minett-additive-works", "Anne", "Weber", "Head of production"),
            _seat("eislek-composites", "Luc", "Hoffmann", "Managing director"),
            _seat("moselle-precision-parts", "Sandra", "Muller", "Engineering manager"),
            _seat("gutland-polymer-solutions", "Paul", "Kieffer", "Managing director"),
            _seat("list", "Claire", "Reuter", "Head of materials research"),
            _seat("list", "Jérôme", "Wagner", "Research engineer"),
            _seat("university-of-luxembourg", "Nadine", "Thill", "Professor of engineering"),
            _seat("ministere-economie", "Georges", "Majerus", "Adviser, industry"),
            _seat("ministere-economie", "Carole", "Schroeder", "Adviser, research and innovation"),
        ),
    ),
    AdvisoryGroupSeed(
        "lu-healthtech",
        "HealthTech advisory group",
        (
            _seat("kirchberg-biosensors", "Tessy", "Schiltz", "Chief executive", chair=True),
            _seat("sure-diagnostics", "Yves", "Becker", "Managing director"),
            _seat("mamer-meddata", "Martine", "Welter", "Chief technology officer"),
            _seat("petrusse-telecare", "Patrick", "Klein", "Founder"),
            _seat("strassen-bio-labs", "Sophie", "Theis", "Head of laboratory"),
            _seat("luxembourg-institute-of-health", "Laurent", "Frisch", "Head of clinical research"),
            _seat("list", "Julie", "Schaus", "Research scientist"),
            _seat("university-of-luxembourg", "Michel", "Krier", "Professor of systems biomedicine"),
            _seat("ministere-economie", "Isabelle", "Hansen", "Adviser, health technologies"),
            _seat("ministere-sante", "Serge", "Feller", "Adviser, e-health"),
        ),
    ),
    AdvisoryGroupSeed(
        "lu-cleantech",
        "CleanTech advisory group",
        (
            _seat("nordstad-heat-solutions", "Jeff", "Kremer", "Managing director", chair=True),
            _seat("mullerthal-water-technologies", "Monique", "Lentz", "Chief executive"),
            _seat("belval-circular-materials", "Christophe", "Meyer", "Operations manager"),
            _seat("osling-wood-energy", "Lynn", "Steffen", "Managing director"),
            _seat("contern-solar-systems", "Tom", "Bausch", "Founder"),
            _seat("list", "Joëlle", "Mangen", "Head of environmental research"),
            _seat("list", "Sarah", "Goedert", "Research engineer"),
            _seat("university-of-luxembourg", "Pierre", "Gales", "Professor of energy systems"),
            _seat("ministere-economie", "Frank", "Ries", "Adviser, energy"),
            _seat("ministere-environnement", "Diane", "Wirtz", "Adviser, climate"),
        ),
    ),
)

LEA = PersonSeed(
    "luxinnovation", "Léa", "Hoffmann", "Sectoral company relationship manager", "relationship manager"
)
BEN = PersonSeed(
    "luxinnovation", "Ben", "Weis", "Sectoral company relationship manager", "relationship manager"
)
_MANAGER_OF = {
    "lu-materials-manufacturing": "lea.hoffmann",
    "lu-cleantech": "lea.hoffmann",
    "lu-wood": "lea.hoffmann",
    "lu-healthtech": "ben.weis",
    "lu-ict": "ben.weis",
    "lu-automobility": "ben.weis",
    "lu-creative-industries": "ben.weis",
}


def _lux_membership(org: str, cluster: str, joined: dt.date, level: str = "member") -> MembershipSeed:
    return MembershipSeed(org, cluster, (LadderStep(level, joined, SAMPLE_NOTE),), (), _MANAGER_OF[cluster])


def _advisory_memberships() -> tuple[MembershipSeed, ...]:
    """Every organisation with a seat in an advisory group is a member of that cluster: companies since
    2019, research and public bodies since the advisory groups replaced the steering committees (dates
    approximate, sample)."""
    found: dict[tuple[str, str], MembershipSeed] = {}
    for group in LUX_ADVISORY_GROUPS:
        for seat in group.seats:
            org = seat.person.organisation
            joined = D(2019, 1, 15) if org in _LUX_COMPANY_SLUGS else D(2020, 3, 2)
            found.setdefault((org, group.cluster), _lux_membership(org, group.cluster, joined))
    return tuple(found.values())


_LUX_COMPANY_SLUGS = frozenset(org.slug for org in LUX_COMPANIES)

LUX_MEMBERSHIPS = (
    *_advisory_memberships(),
    _lux_membership("osling-wood-energy", "lu-wood", D(2016, 9, 1)),
    _lux_membership("clervaux-timber-frames", "lu-wood", D(2017, 3, 20)),
    _lux_membership("bascharage-automotive-sensors", "lu-automobility", D(2018, 6, 4)),
    _lux_membership("hollerich-design-studio", "lu-creative-industries", D(2021, 2, 10), "interested"),
    _lux_membership("cloche-dor-cloud-services", "lu-ict", D(2015, 11, 5)),
    _lux_membership("list", "lu-ict", D(2012, 4, 1)),
)

LUX_INTERACTIONS = (
    InteractionSeed(
        "alzette-surface-coatings",
        "lu-materials-manufacturing",
        "visit",
        D(2023, 3, 14),
        "lea.hoffmann",
        "Company visit: new plasma coating line; discussed a flagship project with LIST on "
        "corrosion-resistant coatings (sample).",
        (PersonSeed("alzette-surface-coatings", "Marc", "Schmit", "Chief executive", "advisory group"),),
        "A research partner for pilot-scale tests; co-financing for the flagship project.",
        D(2023, 4, 14),
        True,
    ),
    InteractionSeed(
        "minett-additive-works",
        "lu-materials-manufacturing",
        "event",
        D(2023, 11, 21),
        "lea.hoffmann",
        "Met at the cluster networking event; looking for a partner to print titanium spare parts (sample).",
        (PersonSeed("minett-additive-works", "Anne", "Weber", "Head of production", "advisory group"),),
        "Customers for titanium spare parts.",
    ),
    InteractionSeed(
        "kirchberg-biosensors",
        "lu-healthtech",
        "call",
        D(2023, 5, 2),
        "ben.weis",
        "Call about clinical validation; introduced the company to the Luxembourg Institute of Health "
        "(sample).",
        (PersonSeed("kirchberg-biosensors", "Tessy", "Schiltz", "Chief executive", "advisory group"),),
        "Access to clinical samples; advice on the EU medical device regulation.",
        D(2023, 6, 1),
    ),
    InteractionSeed(
        "mamer-meddata",
        "lu-healthtech",
        "visit",
        D(2024, 2, 8),
        "ben.weis",
        "Visite de l'entreprise : projet d'échange de données entre hôpitaux (exemple / sample).",
        (PersonSeed("mamer-meddata", "Martine", "Welter", "Chief technology officer", "advisory group"),),
        "Un hôpital pilote ; conseil sur la protection des données.",
        D(2024, 3, 8),
        True,
    ),
    InteractionSeed(
        "nordstad-heat-solutions",
        "lu-cleantech",
        "meeting",
        D(2024, 3, 26),
        "lea.hoffmann",
        "Met at the workshop on waste heat of 26 March 2024; wants to recover industrial waste heat for a "
        "small heat network (sample).",
        (PersonSeed("nordstad-heat-solutions", "Jeff", "Kremer", "Managing director", "advisory group"),),
        "A waste heat source within 5 km; funding for a feasibility study.",
        D(2024, 4, 30),
    ),
    InteractionSeed(
        "mullerthal-water-technologies",
        "lu-cleantech",
        "email",
        D(2024, 3, 15),
        "lea.hoffmann",
        "Sent the Business Partnership Facility call (co-financing up to EUR 200,000; deadline 30 April "
        "2024) (sample).",
        (
            PersonSeed(
                "mullerthal-water-technologies", "Monique", "Lentz", "Chief executive", "advisory group"
            ),
        ),
        "A partner in a developing country for a water treatment pilot.",
        D(2024, 4, 20),
        True,
    ),
)


# --- Smart Energy Cities (seed 003) ------------------------------------------------------------------

SEC_ORGANISATIONS = (
    OrganisationSeed(
        "vito",
        "VITO",
        "knowledge_institution",
        website="https://www.vito.be",
        sectors=("72.10",),
        keywords=("energy technology", "environment", "materials"),
        description_en=(
            "Flemish institute for technological research; with EnergyVille an organising partner of Smart "
            "Energy Cities."
        ),
        description_nl=(
            "Vlaamse Instelling voor Technologisch Onderzoek; met EnergyVille organiserende partner van "
            "Smart Energy Cities."
        ),
        site=SiteSeed("Mol", "antwerpen", 51.1911, 5.1166, "2400"),
    ),
    OrganisationSeed(
        "vvsg",
        "VVSG",
        "federation",
        website="https://www.vvsg.be",
        sectors=("94.99",),
        keywords=("local government", "cities and municipalities"),
        description_en=(
            "Association of Flemish Cities and Municipalities; an organising partner of Smart Energy Cities."
        ),
        description_nl=(
            "Vereniging van Vlaamse Steden en Gemeenten; organiserende partner van Smart Energy Cities."
        ),
        site=BRUSSEL,
    ),
)


def _city(slug: str, name: str, site: SiteSeed, website: str) -> OrganisationSeed:
    """A city of Smart Energy Cities. The source names no city: which ones take part, and their needs (the
    demo's needs and offers, helix.market.demo), are invented; the description says only what it is."""
    return OrganisationSeed(
        slug,
        name,
        "government",
        government_level="local",
        website=website,
        sectors=("84.11",),
        keywords=("energy transition", "local government"),
        description_nl="Lokaal bestuur in Smart Energy Cities.",
        description_en="Local government in Smart Energy Cities.",
        site=site,
    )


SEC_CITIES = (
    _city("stad-gent", "Stad Gent", GENT, "https://stad.gent"),
    _city("stad-antwerpen", "Stad Antwerpen", ANTWERPEN, "https://www.antwerpen.be"),
    _city("stad-leuven", "Stad Leuven", LEUVEN, "https://leuven.be"),
    _city("stad-kortrijk", "Stad Kortrijk", KORTRIJK, "https://www.kortrijk.be"),
    _city("stad-genk", "Stad Genk", GENK, "https://www.genk.be"),
)

SEC_DOMAINS = (
    DomainSeed(
        "collectieve-renovatie",
        "Collectieve renovatie",
        "work_domain",
        "Collective renovation: renovating whole streets and districts together, with one approach for many "
        "owners.",
    ),
    DomainSeed(
        "groene-warmte",
        "Groene warmte",
        "work_domain",
        "Green heat: heat networks, heat pumps and residual heat instead of gas and heating oil.",
    ),
    DomainSeed(
        "e-mobility-hubs",
        "E-mobility hubs",
        "work_domain",
        "E-mobility hubs: places where shared electric cars, bikes and charging come together.",
    ),
    DomainSeed(
        "openbare-verlichting",
        "Openbare verlichting",
        "work_domain",
        "Public lighting: efficient, smart street lighting owned or managed by the city.",
    ),
)

SMART_ENERGY_CITIES = ClusterSeed(
    "smart-energy-cities",
    "flux50",
    D(2018, 7, 1),
    (ClusterNameSeed("Smart Energy Cities", D(2018, 7, 1)),),
    "A project that brings Flemish cities and municipalities together with industry around urban energy "
    "projects, organised by Agoria, Flux50, VITO-EnergyVille and VVSG with the support of VLAIO. Phase 1 "
    "(July 2018) inventoried the needs of local governments; phase 2 (autumn 2018) held workshops and "
    "speed-dating matchmaking; phase 3 (from May 2019) runs innovation trajectories and working tables; "
    "phase 4 (spring 2020) disseminates the results.",
    SEC_DOMAINS,
    provenance="The source names four organisers; Helix records Flux50 as the operator. The start day is "
    "invented (the source says July 2018).",
)

_ORGANISING = "organising partner"
SEC_MEMBERSHIPS = (
    MembershipSeed(
        "agoria", "smart-energy-cities", (LadderStep("strategic_partner", D(2018, 7, 1), _ORGANISING),)
    ),
    MembershipSeed(
        "flux50", "smart-energy-cities", (LadderStep("strategic_partner", D(2018, 7, 1), _ORGANISING),)
    ),
    MembershipSeed(
        "vito",
        "smart-energy-cities",
        (LadderStep("strategic_partner", D(2018, 7, 1), f"{_ORGANISING} (VITO-EnergyVille)"),),
    ),
    MembershipSeed(
        "energyville",
        "smart-energy-cities",
        (LadderStep("strategic_partner", D(2018, 7, 1), f"{_ORGANISING} (VITO-EnergyVille)"),),
    ),
    MembershipSeed(
        "vvsg", "smart-energy-cities", (LadderStep("strategic_partner", D(2018, 7, 1), _ORGANISING),)
    ),
    *(
        MembershipSeed(
            slug,
            "smart-energy-cities",
            (
                LadderStep(
                    "interested", D(2018, 7, 1), "phase 1: needs inventory (sample: date approximate)"
                ),
                LadderStep("loi_signed", D(2018, 11, 15), "phase 2: workshops (sample)"),
                *(
                    (LadderStep("member", D(2019, 5, 6), "phase 3: innovation trajectory (sample)"),)
                    if member
                    else ()
                ),
            ),
            domains,
            "staff",
        )
        for slug, member, domains in (
            ("stad-gent", True, ("collectieve-renovatie", "groene-warmte")),
            ("stad-antwerpen", True, ("groene-warmte", "openbare-verlichting")),
            ("stad-leuven", True, ("collectieve-renovatie", "e-mobility-hubs")),
            ("stad-kortrijk", False, ("openbare-verlichting", "e-mobility-hubs")),
            ("stad-genk", False, ("groene-warmte", "e-mobility-hubs")),
        )
    ),
    MembershipSeed(
        "warmtenet-waasland",
        "smart-energy-cities",
        (LadderStep("interested", D(2018, 11, 15), "speed-dating matchmaking (sample)"),),
        ("groene-warmte",),
    ),
    MembershipSeed(
        "leie-smart-buildings",
        "smart-energy-cities",
        (LadderStep("interested", D(2018, 11, 15), "speed-dating matchmaking (sample)"),),
        ("collectieve-renovatie",),
    ),
    MembershipSeed(
        "enervalis",
        "smart-energy-cities",
        (LadderStep("interested", D(2019, 5, 6), "working table e-mobility hubs (sample)"),),
        ("e-mobility-hubs",),
    ),
)

FLUX50_INTERACTIONS = (
    InteractionSeed(
        "enervalis",
        "flux50",
        "meeting",
        D(2017, 6, 20),
        "staff",
        "Feasibility Study Call: discussed a living lab on smart charging at a business park (sample).",
        (_LOI["enervalis"][2],),
        "Partners for a living lab; a site with twenty charging points.",
        D(2017, 9, 1),
        True,
    ),
    InteractionSeed(
        "stad-gent",
        "smart-energy-cities",
        "meeting",
        D(2018, 10, 16),
        "staff",
        "Workshop collectieve renovatie: de stad stelde haar wijkrenovatieproject voor (sample).",
        (),
        "Een renovatiebegeleider per straat; financiering voor eigenaars met een klein inkomen.",
    ),
)


# --- users ------------------------------------------------------------------------------------------

ALL_CLUSTERS = (FLUX50.slug, SMART_ENERGY_CITIES.slug, *(c.slug for c in LUX_CLUSTERS))
MEMBER_PERSON = _LOI["enervalis"][2]

DEMO_USERS = (
    UserSeed("admin", is_staff=True, is_superuser=True),
    UserSeed("staff", is_staff=True, staff_of=ALL_CLUSTERS),
    UserSeed(
        "lea.hoffmann",
        is_staff=True,
        staff_of=tuple(slug for slug, user in _MANAGER_OF.items() if user == "lea.hoffmann"),
        person=LEA,
    ),
    UserSeed(
        "ben.weis",
        is_staff=True,
        staff_of=tuple(slug for slug, user in _MANAGER_OF.items() if user == "ben.weis"),
        person=BEN,
    ),
    UserSeed("member", person=MEMBER_PERSON),
)


DEMO = DemoEcosystem(
    organisations=(
        *FLUX50_ORGANISATIONS,
        *LUX_ORGANISATIONS,
        *LUX_COMPANIES,
        *SEC_ORGANISATIONS,
        *SEC_CITIES,
    ),
    clusters=(FLUX50, SMART_ENERGY_CITIES, *LUX_CLUSTERS),
    memberships=(*FLUX50_MEMBERSHIPS, *LUX_MEMBERSHIPS, *SEC_MEMBERSHIPS),
    letters=FLUX50_LETTERS,
    advisory_groups=LUX_ADVISORY_GROUPS,
    interactions=(*FLUX50_INTERACTIONS, *LUX_INTERACTIONS),
    users=DEMO_USERS,
)

DEMO_CLUSTER_SLUGS = ALL_CLUSTERS
