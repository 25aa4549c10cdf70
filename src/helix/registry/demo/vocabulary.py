"""What the synthetic ecosystem generator (``generate``) draws from, read from the files in ``data/``:
real Flemish and Luxembourg towns (``places.csv``), lines of business (``profiles.csv``), words for names
and streets (``name_words.csv``), job titles per kind (``job_titles.csv``), the profiles each demo cluster
takes (``cluster_profiles.csv``) and the domains each profile prefers (``profile_domains.csv``), and the
invented clusters (``synthetic_clusters.csv``). The dataclasses are the files' schema.

Pure: no Django and no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helix.core.registry.ladder import EngagementLevel
from helix.registry.demo.records import read_csv


@dataclass(frozen=True)
class BoundingBox:
    south: float
    north: float
    west: float
    east: float

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


BELGIUM = BoundingBox(49.49, 51.51, 2.54, 6.41)
LUXEMBOURG = BoundingBox(49.44, 50.19, 5.73, 6.53)
JITTER = 0.02  # degrees around the town centre (about 2 km)


@dataclass(frozen=True)
class Place:
    city: str
    postcode: str
    region: str  # a helix.registry.models.Region value
    country: str
    latitude: float
    longitude: float
    weight: int = 1  # roughly the town's economic weight
    is_city: bool = True  # "Stad"/"Ville" rather than "Gemeente"/"Commune"


PROVINCES = {
    "antwerpen": "Antwerpen",
    "limburg": "Limburg",
    "oost-vlaanderen": "Oost-Vlaanderen",
    "vlaams-brabant": "Vlaams-Brabant",
    "west-vlaanderen": "West-Vlaanderen",
}


@dataclass(frozen=True)
class Profile:
    """A line of business: sectors, keywords, words for names, and what such an organisation does."""

    key: str
    sectors: tuple[str, ...]
    keywords: tuple[str, ...]
    words_nl: tuple[str, ...]
    words_fr: tuple[str, ...]
    words_de: tuple[str, ...]
    topic_en: str
    topic_nl: str
    topic_fr: str
    topic_de: str
    activity_en: str
    activity_nl: str
    activity_fr: str
    activity_de: str
    weight_be: int
    weight_lu: int


@dataclass(frozen=True)
class WordList:
    """A named list of words: name parts, streets, areas, job titles of a kind, domains of a profile."""

    name: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class ClusterProfiles:
    """The country and the profiles of the generated organisations that join a cluster."""

    cluster: str  # cluster slug
    country: str  # "BE", "LU" or "" for both
    profiles: tuple[str, ...]


@dataclass(frozen=True)
class SyntheticClusterSpec:
    """An invented cluster ``synthetic_clusters`` makes: its name, country, profiles and domain names."""

    name: str
    country: str  # "BE", "LU" or "" for both
    profiles: tuple[str, ...]
    domains: tuple[str, ...]


DATA_DIR = Path(__file__).parent / "data"
PLACES: tuple[Place, ...] = read_csv(DATA_DIR / "places.csv", Place)
PROFILES: tuple[Profile, ...] = read_csv(DATA_DIR / "profiles.csv", Profile)
PROFILE_BY_KEY = {p.key: p for p in PROFILES}
LOCAL_GOVERNMENT = "local_government"  # the pseudo-profile of municipalities

_WORDS = {w.name: w.words for w in read_csv(DATA_DIR / "name_words.csv", WordList)}
CODENAME_HEADS = _WORDS["codename_heads"]
CODENAME_TAILS = _WORDS["codename_tails"]
ENGLISH_WORDS = _WORDS["english_words"]
FORMS_BE = _WORDS["forms_be"]
FORMS_LU = _WORDS["forms_lu"]
STREETS_NL = _WORDS["streets_nl"]
STREETS_LU = _WORDS["streets_lu"]
AREAS_BE = _WORDS["areas_be"]  # for names such as "Kempen Energietechniek"
AREAS_LU = _WORDS["areas_lu"]
JOB_TITLES = {w.name: w.words for w in read_csv(DATA_DIR / "job_titles.csv", WordList)}  # per kind

KIND_WEIGHTS = (  # (kind, size class, share)
    ("company", "sme", 0.83),
    ("company", "large", 0.06),
    ("knowledge_institution", "", 0.05),
    ("government", "", 0.04),
    ("federation", "", 0.02),
)
LEVEL_WEIGHTS = (
    (EngagementLevel.INTERESTED, 30),
    (EngagementLevel.LOI_SIGNED, 20),
    (EngagementLevel.MEMBER, 38),
    (EngagementLevel.STRATEGIC_PARTNER, 5),
    (EngagementLevel.LEFT, 7),
)


# Where the generated organisations of each profile go in the demo clusters.
DEMO_CLUSTER_PROFILES: dict[str, tuple[str, tuple[str, ...]]] = {
    c.cluster: (c.country, c.profiles) for c in read_csv(DATA_DIR / "cluster_profiles.csv", ClusterProfiles)
}
PROFILE_DOMAINS: dict[str, tuple[str, ...]] = {
    w.name: w.words for w in read_csv(DATA_DIR / "profile_domains.csv", WordList)
}
SYNTHETIC_CLUSTERS = tuple(
    (c.name, c.country, c.profiles, c.domains)
    for c in read_csv(DATA_DIR / "synthetic_clusters.csv", SyntheticClusterSpec)
)
