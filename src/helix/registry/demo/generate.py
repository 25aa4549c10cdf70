"""The synthetic ecosystem generator: thousands of plausible organisations, invented and marked as such.

Pure: no Django and no database. :func:`generate_ecosystem` returns plain dataclasses that
``helix.registry.demo.load`` writes in bulk. Everything here is deterministic for a given seed, so a
demo or a benchmark can be rebuilt exactly.

Names come from the person-name lists of Faker's nl_BE, fr_BE, de_LU (Luxembourgish surnames), fr_FR
and de_DE locales (Faker has no fr_LU locale), combined with sector words; places are real Flemish and
Luxembourg towns with coordinates scattered around their centre; legal identifiers carry valid check
digits (Belgian enterprise numbers) or the valid form (Luxembourg RCS numbers).
"""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from unidecode import unidecode

from helix.core.registry.identifiers import belgian_enterprise_number
from helix.core.registry.ladder import LADDER, EngagementLevel

END_DATE = dt.date(2025, 6, 30)  # fixed, not today, so that a seed always gives the same ecosystem


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


def _be(
    city: str, postcode: str, region: str, lat: float, lon: float, weight: int = 1, is_city: bool = True
) -> Place:
    return Place(city, postcode, region, "BE", lat, lon, weight, is_city)


def _lu(city: str, postcode: str, lat: float, lon: float, weight: int = 1, is_city: bool = True) -> Place:
    return Place(city, postcode, "luxembourg", "LU", lat, lon, weight, is_city)


PLACES: tuple[Place, ...] = (
    # Antwerpen
    _be("Antwerpen", "2000", "antwerpen", 51.2194, 4.4025, 12),
    _be("Mechelen", "2800", "antwerpen", 51.0259, 4.4776, 4),
    _be("Turnhout", "2300", "antwerpen", 51.3227, 4.9447, 3),
    _be("Geel", "2440", "antwerpen", 51.1617, 4.9900, 2),
    _be("Lier", "2500", "antwerpen", 51.1313, 4.5700, 2),
    _be("Mol", "2400", "antwerpen", 51.1911, 5.1166, 2, is_city=False),
    _be("Kontich", "2550", "antwerpen", 51.1336, 4.4464, 2, is_city=False),
    # Limburg
    _be("Hasselt", "3500", "limburg", 50.9307, 5.3325, 5),
    _be("Genk", "3600", "limburg", 50.9650, 5.5008, 4),
    _be("Sint-Truiden", "3800", "limburg", 50.8167, 5.1863, 2),
    _be("Tongeren", "3700", "limburg", 50.7806, 5.4648, 1),
    _be("Lommel", "3920", "limburg", 51.2303, 5.3133, 2),
    _be("Beringen", "3580", "limburg", 51.0494, 5.2261, 2),
    _be("Houthalen-Helchteren", "3530", "limburg", 51.0327, 5.3750, 1, is_city=False),
    # Oost-Vlaanderen
    _be("Gent", "9000", "oost-vlaanderen", 51.0543, 3.7174, 10),
    _be("Aalst", "9300", "oost-vlaanderen", 50.9378, 4.0403, 3),
    _be("Sint-Niklaas", "9100", "oost-vlaanderen", 51.1650, 4.1437, 3),
    _be("Dendermonde", "9200", "oost-vlaanderen", 51.0286, 4.1010, 2),
    _be("Oudenaarde", "9700", "oost-vlaanderen", 50.8448, 3.6050, 1),
    _be("Eeklo", "9900", "oost-vlaanderen", 51.1856, 3.5660, 1),
    _be("Lokeren", "9160", "oost-vlaanderen", 51.1036, 3.9930, 2),
    _be("Melle", "9090", "oost-vlaanderen", 51.0031, 3.7969, 1, is_city=False),
    # Vlaams-Brabant
    _be("Leuven", "3000", "vlaams-brabant", 50.8798, 4.7005, 6),
    _be("Vilvoorde", "1800", "vlaams-brabant", 50.9281, 4.4245, 3),
    _be("Halle", "1500", "vlaams-brabant", 50.7339, 4.2345, 2),
    _be("Zaventem", "1930", "vlaams-brabant", 50.8836, 4.4728, 3, is_city=False),
    _be("Tienen", "3300", "vlaams-brabant", 50.8076, 4.9378, 1),
    _be("Diest", "3290", "vlaams-brabant", 50.9891, 5.0506, 1),
    _be("Aarschot", "3200", "vlaams-brabant", 50.9847, 4.8367, 1),
    # West-Vlaanderen
    _be("Brugge", "8000", "west-vlaanderen", 51.2093, 3.2247, 5),
    _be("Kortrijk", "8500", "west-vlaanderen", 50.8280, 3.2649, 5),
    _be("Oostende", "8400", "west-vlaanderen", 51.2300, 2.9200, 3),
    _be("Roeselare", "8800", "west-vlaanderen", 50.9465, 3.1227, 3),
    _be("Ieper", "8900", "west-vlaanderen", 50.8503, 2.8856, 1),
    _be("Waregem", "8790", "west-vlaanderen", 50.8892, 3.4272, 2),
    _be("Torhout", "8820", "west-vlaanderen", 51.0650, 3.1019, 1),
    # Luxembourg
    _lu("Luxembourg", "L-1140", 49.6116, 6.1319, 12),
    _lu("Esch-sur-Alzette", "L-4002", 49.4958, 5.9806, 4),
    _lu("Differdange", "L-4501", 49.5242, 5.8914, 2),
    _lu("Dudelange", "L-3401", 49.4806, 6.0875, 2),
    _lu("Ettelbruck", "L-9001", 49.8475, 6.1042, 1),
    _lu("Diekirch", "L-9201", 49.8672, 6.1556, 1),
    _lu("Wiltz", "L-9501", 49.9661, 5.9322, 1),
    _lu("Echternach", "L-6401", 49.8117, 6.4214, 1),
    _lu("Grevenmacher", "L-6701", 49.6808, 6.4406, 1),
    _lu("Mersch", "L-7501", 49.7489, 6.1061, 1, is_city=False),
    _lu("Bettembourg", "L-3201", 49.5186, 6.1028, 2, is_city=False),
    _lu("Strassen", "L-8001", 49.6206, 6.0733, 2, is_city=False),
    _lu("Contern", "L-5310", 49.5856, 6.2267, 1, is_city=False),
    _lu("Mamer", "L-8201", 49.6275, 6.0231, 1, is_city=False),
)

PROVINCES = {
    "antwerpen": "Antwerpen",
    "limburg": "Limburg",
    "oost-vlaanderen": "Oost-Vlaanderen",
    "vlaams-brabant": "Vlaams-Brabant",
    "west-vlaanderen": "West-Vlaanderen",
}
AREAS_BE = (
    "Kempen",
    "Waasland",
    "Meetjesland",
    "Pajottenland",
    "Hageland",
    "Westhoek",
    "Haspengouw",
    "Leiestreek",
    "Denderstreek",
    "Rupelstreek",
    "Maasland",
    "Noorderkempen",
)
AREAS_LU = ("Minett", "Éislek", "Moselle", "Mullerthal", "Gutland", "Nordstad", "Alzette")


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


PROFILES: tuple[Profile, ...] = (
    Profile(
        key="energy_installation",
        sectors=("43.21", "43.22"),
        keywords=("heat pumps", "solar panels", "charging points", "ventilation", "home batteries", "hvac"),
        words_nl=("Energietechniek", "Installaties", "Elektro", "Warmtetechniek"),
        words_fr=("Énergie", "Installations"),
        words_de=("Haustechnik", "Energietechnik"),
        topic_en="energy installations",
        topic_nl="energie-installaties",
        topic_fr="installations énergétiques",
        topic_de="Energieinstallationen",
        activity_en="installs heat pumps, solar panels and charging points",
        activity_nl="installeert warmtepompen, zonnepanelen en laadpunten",
        activity_fr="installe des pompes à chaleur, des panneaux solaires et des bornes de recharge",
        activity_de="installiert Wärmepumpen, Solaranlagen und Ladepunkte",
        weight_be=14,
        weight_lu=3,
    ),
    Profile(
        key="energy_software",
        sectors=("62.10", "62.20"),
        keywords=(
            "energy management",
            "smart charging",
            "flexibility",
            "internet of things",
            "digital twin",
            "forecasting",
            "demand response",
        ),
        words_nl=("Software", "Data", "Digital"),
        words_fr=("Logiciels", "Numérique"),
        words_de=("Software", "Digital"),
        topic_en="energy software",
        topic_nl="energiesoftware",
        topic_fr="logiciels pour l'énergie",
        topic_de="Energiesoftware",
        activity_en="builds software for energy management and flexibility",
        activity_nl="bouwt software voor energiebeheer en flexibiliteit",
        activity_fr="développe des logiciels de gestion de l'énergie et de flexibilité",
        activity_de="entwickelt Software für Energiemanagement und Flexibilität",
        weight_be=10,
        weight_lu=3,
    ),
    Profile(
        key="grid_equipment",
        sectors=("27.12", "27.90", "26.51"),
        keywords=("power electronics", "smart meters", "transformers", "grid sensors", "switchgear"),
        words_nl=("Elektrotechniek", "Power", "Meettechniek"),
        words_fr=("Électrotechnique", "Mesures"),
        words_de=("Elektrotechnik", "Messtechnik"),
        topic_en="grid equipment",
        topic_nl="netcomponenten",
        topic_fr="équipements de réseau",
        topic_de="Netztechnik",
        activity_en="makes power electronics, meters and grid components",
        activity_nl="maakt vermogenselektronica, meters en netcomponenten",
        activity_fr="fabrique de l'électronique de puissance, des compteurs et des composants de réseau",
        activity_de="fertigt Leistungselektronik, Zähler und Netzkomponenten",
        weight_be=5,
        weight_lu=1,
    ),
    Profile(
        key="energy_storage",
        sectors=("27.20", "35.16"),
        keywords=("batteries", "energy storage", "second-life batteries", "battery management"),
        words_nl=("Batterijen", "Opslag", "Storage"),
        words_fr=("Stockage", "Batteries"),
        words_de=("Speicher", "Batterien"),
        topic_en="energy storage",
        topic_nl="energieopslag",
        topic_fr="stockage d'énergie",
        topic_de="Energiespeicherung",
        activity_en="builds and operates battery storage systems",
        activity_nl="bouwt en beheert batterijopslag",
        activity_fr="construit et exploite des systèmes de stockage par batteries",
        activity_de="baut und betreibt Batteriespeicher",
        weight_be=4,
        weight_lu=1,
    ),
    Profile(
        key="renewable_production",
        sectors=("35.12", "35.15"),
        keywords=("wind energy", "solar parks", "energy communities", "power purchase agreements"),
        words_nl=("Wind", "Zonnepark", "Energie"),
        words_fr=("Éolien", "Solaire"),
        words_de=("Windkraft", "Solarpark"),
        topic_en="renewable energy",
        topic_nl="hernieuwbare energie",
        topic_fr="énergies renouvelables",
        topic_de="erneuerbare Energien",
        activity_en="develops and operates wind and solar projects",
        activity_nl="ontwikkelt en exploiteert wind- en zonneprojecten",
        activity_fr="développe et exploite des projets éoliens et solaires",
        activity_de="entwickelt und betreibt Wind- und Solarprojekte",
        weight_be=5,
        weight_lu=2,
    ),
    Profile(
        key="heat_networks",
        sectors=("35.30", "43.22"),
        keywords=("district heating", "residual heat", "geothermal energy", "heat networks", "waste heat"),
        words_nl=("Warmtenet", "Warmte", "Thermie"),
        words_fr=("Chaleur", "Réseaux de chaleur"),
        words_de=("Fernwärme", "Wärme"),
        topic_en="heat networks",
        topic_nl="warmtenetten",
        topic_fr="réseaux de chaleur",
        topic_de="Wärmenetze",
        activity_en="designs and runs heat networks fed by residual heat",
        activity_nl="ontwerpt en beheert warmtenetten op restwarmte",
        activity_fr="conçoit et exploite des réseaux de chaleur alimentés par la chaleur fatale",
        activity_de="plant und betreibt Wärmenetze mit Abwärme",
        weight_be=4,
        weight_lu=2,
    ),
    Profile(
        key="building_renovation",
        sectors=("41.00", "43.23", "43.32", "71.11"),
        keywords=(
            "deep renovation",
            "insulation",
            "prefab facades",
            "energy performance",
            "collective renovation",
        ),
        words_nl=("Bouw", "Renovatie", "Bouwprojecten", "Isolatie"),
        words_fr=("Construction", "Rénovation"),
        words_de=("Bau", "Sanierung"),
        topic_en="building renovation",
        topic_nl="renovatie",
        topic_fr="rénovation des bâtiments",
        topic_de="Gebäudesanierung",
        activity_en="renovates homes and buildings to low energy use",
        activity_nl="renoveert woningen en gebouwen tot laag energieverbruik",
        activity_fr="rénove des logements et des bâtiments à basse consommation",
        activity_de="saniert Wohnungen und Gebäude energetisch",
        weight_be=12,
        weight_lu=3,
    ),
    Profile(
        key="engineering_consulting",
        sectors=("71.12", "70.20"),
        keywords=("energy audits", "feasibility studies", "process engineering", "permitting"),
        words_nl=("Engineering", "Studiebureau", "Advies"),
        words_fr=("Ingénierie", "Conseil"),
        words_de=("Ingenieurbüro", "Beratung"),
        topic_en="engineering",
        topic_nl="engineering",
        topic_fr="ingénierie",
        topic_de="Ingenieurwesen",
        activity_en="offers engineering studies and energy audits",
        activity_nl="levert studies en energie-audits",
        activity_fr="réalise des études d'ingénierie et des audits énergétiques",
        activity_de="erstellt Ingenieurstudien und Energieaudits",
        weight_be=8,
        weight_lu=3,
    ),
    Profile(
        key="materials_coatings",
        sectors=("25.51", "25.53", "22.21", "20.30"),
        keywords=("surface treatment", "coatings", "composites", "machining", "additive manufacturing"),
        words_nl=("Metaalbewerking", "Coatings", "Composieten"),
        words_fr=("Traitement de surface", "Matériaux"),
        words_de=("Oberflächentechnik", "Werkstoffe"),
        topic_en="materials and manufacturing",
        topic_nl="materialen en productie",
        topic_fr="matériaux et fabrication",
        topic_de="Werkstoffe und Fertigung",
        activity_en="treats surfaces and makes precision parts",
        activity_nl="behandelt oppervlakken en maakt precisieonderdelen",
        activity_fr="traite les surfaces et fabrique des pièces de précision",
        activity_de="veredelt Oberflächen und fertigt Präzisionsteile",
        weight_be=5,
        weight_lu=6,
    ),
    Profile(
        key="health_tech",
        sectors=("32.50", "26.60", "21.20"),
        keywords=("medical devices", "diagnostics", "telemedicine", "health data", "biosensors"),
        words_nl=("Medical", "Diagnostics", "Health"),
        words_fr=("Santé", "Diagnostic", "Médical"),
        words_de=("Medizintechnik", "Diagnostik"),
        topic_en="health technology",
        topic_nl="gezondheidstechnologie",
        topic_fr="technologies de la santé",
        topic_de="Gesundheitstechnologie",
        activity_en="develops medical devices and diagnostics",
        activity_nl="ontwikkelt medische hulpmiddelen en diagnostica",
        activity_fr="développe des dispositifs médicaux et des diagnostics",
        activity_de="entwickelt Medizinprodukte und Diagnostik",
        weight_be=3,
        weight_lu=6,
    ),
    Profile(
        key="mobility",
        sectors=("29.31", "29.32"),
        keywords=("electric vehicles", "charging infrastructure", "automotive sensors", "shared mobility"),
        words_nl=("Mobility", "Automotive", "Mobiliteit"),
        words_fr=("Mobilité", "Automobile"),
        words_de=("Mobilität", "Fahrzeugtechnik"),
        topic_en="mobility",
        topic_nl="mobiliteit",
        topic_fr="mobilité",
        topic_de="Mobilität",
        activity_en="supplies components and services for electric mobility",
        activity_nl="levert onderdelen en diensten voor elektrische mobiliteit",
        activity_fr="fournit des composants et des services pour la mobilité électrique",
        activity_de="liefert Komponenten und Dienste für Elektromobilität",
        weight_be=4,
        weight_lu=4,
    ),
    Profile(
        key="circular_water",
        sectors=("38.21", "38.11", "36.00", "39.00"),
        keywords=("recycling", "materials recovery", "water treatment", "circular economy"),
        words_nl=("Recycling", "Water", "Circulair"),
        words_fr=("Recyclage", "Eau"),
        words_de=("Recycling", "Wassertechnik"),
        topic_en="circular economy and water",
        topic_nl="circulaire economie en water",
        topic_fr="économie circulaire et eau",
        topic_de="Kreislaufwirtschaft und Wasser",
        activity_en="recovers materials and treats water",
        activity_nl="recupereert materialen en zuivert water",
        activity_fr="valorise des matériaux et traite l'eau",
        activity_de="gewinnt Werkstoffe zurück und bereitet Wasser auf",
        weight_be=5,
        weight_lu=4,
    ),
    Profile(
        key="wood",
        sectors=("16.23", "16.21", "16.25", "16.26"),
        keywords=("timber construction", "wood pellets", "cross-laminated timber", "wood"),
        words_nl=("Houtbouw", "Schrijnwerkerij", "Hout"),
        words_fr=("Bois", "Menuiserie"),
        words_de=("Holzbau", "Schreinerei"),
        topic_en="wood",
        topic_nl="hout",
        topic_fr="bois",
        topic_de="Holz",
        activity_en="builds with wood and processes timber",
        activity_nl="bouwt met hout en verwerkt hout",
        activity_fr="construit en bois et transforme le bois",
        activity_de="baut mit Holz und verarbeitet Holz",
        weight_be=3,
        weight_lu=4,
    ),
    Profile(
        key="creative",
        sectors=("74.12", "59.11", "73.11", "58.29"),
        keywords=("design", "video production", "game development", "advertising", "immersive media"),
        words_nl=("Studio", "Design", "Media"),
        words_fr=("Studio", "Création"),
        words_de=("Studio", "Design"),
        topic_en="creative industries",
        topic_nl="creatieve industrie",
        topic_fr="industries créatives",
        topic_de="Kreativwirtschaft",
        activity_en="designs, films and builds digital experiences",
        activity_nl="ontwerpt, filmt en bouwt digitale ervaringen",
        activity_fr="conçoit, filme et crée des expériences numériques",
        activity_de="gestaltet, filmt und baut digitale Erlebnisse",
        weight_be=4,
        weight_lu=5,
    ),
    Profile(
        key="ict_data",
        sectors=("62.20", "63.10", "62.90"),
        keywords=("cloud", "cybersecurity", "data centres", "artificial intelligence"),
        words_nl=("ICT", "Cloud", "IT"),
        words_fr=("Informatique", "Cloud"),
        words_de=("IT", "Cloud"),
        topic_en="ICT and data",
        topic_nl="ICT en data",
        topic_fr="informatique et données",
        topic_de="IT und Daten",
        activity_en="runs cloud, data and security services",
        activity_nl="levert cloud-, data- en beveiligingsdiensten",
        activity_fr="fournit des services cloud, de données et de sécurité",
        activity_de="betreibt Cloud-, Daten- und Sicherheitsdienste",
        weight_be=6,
        weight_lu=7,
    ),
    Profile(
        key="lighting",
        sectors=("27.40", "43.21"),
        keywords=("led lighting", "street lighting", "lighting control"),
        words_nl=("Verlichting", "Lighting"),
        words_fr=("Éclairage",),
        words_de=("Beleuchtung", "Lichttechnik"),
        topic_en="lighting",
        topic_nl="verlichting",
        topic_fr="éclairage",
        topic_de="Beleuchtung",
        activity_en="designs and installs efficient lighting",
        activity_nl="ontwerpt en plaatst zuinige verlichting",
        activity_fr="conçoit et installe un éclairage économe",
        activity_de="plant und installiert sparsame Beleuchtung",
        weight_be=3,
        weight_lu=1,
    ),
)
PROFILE_BY_KEY = {p.key: p for p in PROFILES}
LOCAL_GOVERNMENT = "local_government"  # the pseudo-profile of municipalities

CODENAME_HEADS = (
    "Ener",
    "Volt",
    "Therm",
    "Grid",
    "Sol",
    "Eco",
    "Nova",
    "Terra",
    "Aqua",
    "Circu",
    "Lumi",
    "Hydro",
    "Vent",
    "Ampe",
    "Kine",
    "Flexi",
    "Calo",
    "Lign",
    "Medi",
    "Quanta",
    "Petra",
    "Ori",
)
CODENAME_TAILS = (
    "is",
    "ix",
    "ion",
    "ware",
    "tec",
    "lab",
    "ly",
    "o",
    "ra",
    "via",
    "nova",
    "sys",
    "ent",
    "ica",
    "ium",
    "ora",
    "ex",
)
ENGLISH_WORDS = ("Solutions", "Systems", "Technologies", "Engineering", "Labs", "Services", "Works", "Group")
FORMS_BE = ("BV", "BV", "BV", "NV", "CV", "VOF")
FORMS_LU = ("S.à r.l.", "S.à r.l.", "S.A.")
STREETS_NL = (
    "Kerkstraat",
    "Stationsstraat",
    "Industrieweg",
    "Molenstraat",
    "Nijverheidsstraat",
    "Dorpsstraat",
    "Ambachtsweg",
    "Kapelstraat",
    "Schoolstraat",
    "Zandstraat",
    "Brugsesteenweg",
    "Energielaan",
    "Researchpark",
    "Havenlaan",
    "Technologiepark",
    "Kanaaldijk",
    "Hoogstraat",
    "Veldstraat",
)
STREETS_LU = (
    "rue de la Gare",
    "route d'Arlon",
    "rue du Parc",
    "rue de l'Industrie",
    "avenue de la Liberté",
    "rue Principale",
    "Zone industrielle",
    "rue du Moulin",
    "route de Luxembourg",
    "rue de l'Église",
    "boulevard Royal",
    "rue des Artisans",
)
JOB_TITLES = {
    "company": (
        "Chief executive",
        "Managing director",
        "Business developer",
        "Innovation manager",
        "Sales manager",
        "Project engineer",
        "Chief technology officer",
        "Operations manager",
    ),
    "knowledge_institution": ("Research manager", "Professor", "Business developer", "Valorisation manager"),
    "government": (
        "Energy coordinator",
        "Climate officer",
        "Head of environment department",
        "Policy officer",
    ),
    "federation": ("Director", "Policy adviser", "Network manager"),
    "cluster_organisation": ("Cluster manager", "Innovation adviser"),
}

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


# --- what the generator returns -------------------------------------------------------------------


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


# Where the generated organisations of each profile go in the demo clusters.
_ENERGY = (
    "energy_installation",
    "energy_software",
    "grid_equipment",
    "energy_storage",
    "renewable_production",
    "heat_networks",
    "engineering_consulting",
    "building_renovation",
    "mobility",
    "ict_data",
)
DEMO_CLUSTER_PROFILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "flux50": ("BE", _ENERGY),
    "smart-energy-cities": (
        "BE",
        (
            "energy_installation",
            "heat_networks",
            "building_renovation",
            "mobility",
            "lighting",
            "energy_software",
            LOCAL_GOVERNMENT,
        ),
    ),
    "lu-materials-manufacturing": ("LU", ("materials_coatings", "engineering_consulting")),
    "lu-ict": ("LU", ("ict_data", "energy_software")),
    "lu-healthtech": ("LU", ("health_tech",)),
    "lu-cleantech": (
        "LU",
        (
            "renewable_production",
            "heat_networks",
            "circular_water",
            "energy_installation",
            "energy_storage",
            LOCAL_GOVERNMENT,
        ),
    ),
    "lu-automobility": ("LU", ("mobility", "grid_equipment")),
    "lu-wood": ("LU", ("wood", "building_renovation")),
    "lu-creative-industries": ("LU", ("creative",)),
}
PROFILE_DOMAINS: dict[str, tuple[str, ...]] = {
    "energy_installation": ("smart-buildings-renovation", "groene-warmte", "e-mobility-hubs"),
    "energy_software": ("energy-data-ict", "flexible-grids-storage"),
    "grid_equipment": ("flexible-grids-storage",),
    "energy_storage": ("flexible-grids-storage",),
    "renewable_production": ("multi-energy-districts",),
    "heat_networks": ("multi-energy-districts", "groene-warmte"),
    "building_renovation": ("smart-buildings-renovation", "collectieve-renovatie"),
    "engineering_consulting": ("industrial-energy-efficiency",),
    "mobility": ("e-mobility-hubs", "flexible-grids-storage"),
    "ict_data": ("energy-data-ict",),
    "lighting": ("openbare-verlichting",),
}


def cluster_targets(
    clusters: Iterable[tuple[str, dt.date, tuple[str, ...]]],
) -> tuple[ClusterTarget, ...]:
    """Targets for clusters given as (slug, founded on, domain slugs). Demo and synthetic clusters take
    the profiles they are about; other clusters take any profile from any country."""
    targets = []
    for slug, founded_on, domains in clusters:
        country, profiles = DEMO_CLUSTER_PROFILES.get(slug) or SYNTHETIC_CLUSTER_PROFILES.get(slug, ("", ()))
        targets.append(ClusterTarget(slug, country, founded_on, tuple(domains), profiles))
    return tuple(targets)


# --- names ----------------------------------------------------------------------------------------


def _faker_names(module: str, attribute: str) -> tuple[str, ...]:
    values = getattr(importlib.import_module(f"faker.providers.person.{module}").Provider, attribute)
    return tuple(dict.fromkeys(values))  # weighted dicts and tuples alike, duplicates dropped


@cache
def _name_pools() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """(first names, last names) per locale, read once from Faker's locale data."""
    return {
        "nl_BE": (_faker_names("nl_BE", "first_names"), _faker_names("nl_BE", "last_names")),
        "fr_BE": (_faker_names("fr_BE", "first_names"), _faker_names("fr_BE", "last_names")),
        "de_LU": (_faker_names("fr_FR", "first_names"), _faker_names("de_LU", "last_names")),
        "de_DE": (_faker_names("de_DE", "first_names"), _faker_names("de_DE", "last_names")),
    }


def ascii_slug(text: str) -> str:
    """ASCII words, hyphenated: 'Éislek Composites S.à r.l.' → 'eislek-composites-s-a-r-l'."""
    return re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-")


def _locale_for(rng: random.Random, country: str) -> str:
    if country == "LU":
        return "de_LU" if rng.random() < 0.7 else "de_DE"
    return "nl_BE" if rng.random() < 0.85 else "fr_BE"


class _Names:
    """Draws names and keeps them unique within one generated ecosystem."""

    def __init__(self, rng: random.Random, used: Iterable[str] = ()) -> None:
        self.rng = rng
        self.used = {n.lower() for n in used}

    def claim(self, name: str) -> bool:
        key = name.lower()
        if key in self.used:
            return False
        self.used.add(key)
        return True

    def surname(self, country: str) -> str:
        return self.rng.choice(_name_pools()[_locale_for(self.rng, country)][1])

    def codename(self) -> str:
        return self.rng.choice(CODENAME_HEADS) + self.rng.choice(CODENAME_TAILS)

    def company(self, profile: Profile, place: Place, large: bool) -> str:
        rng, lu = self.rng, place.country == "LU"
        forms = FORMS_LU if lu else FORMS_BE
        words = profile.words_fr + profile.words_de if lu else profile.words_nl
        areas = AREAS_LU if lu else AREAS_BE
        for attempt in range(12):
            pattern = rng.random()
            if pattern < 0.40:
                base = f"{self.surname(place.country)} {rng.choice(words)}"
            elif pattern < 0.70:
                base = self.codename()
            elif pattern < 0.88:
                base = f"{self.codename()} {rng.choice(ENGLISH_WORDS)}"
            else:
                base = f"{rng.choice(areas)} {rng.choice(words)}"
            if large and rng.random() < 0.5:
                base = f"{base.split()[0]} {'Group' if rng.random() < 0.5 else 'Industries'}"
            name = f"{base} {rng.choice(forms)}"
            if attempt >= 8:
                name = f"{base} {place.city} {rng.choice(forms)}"
            if self.claim(name):
                return name
        return self._numbered(f"{base} {place.city}")

    def _numbered(self, base: str) -> str:
        n = 2
        while not self.claim(f"{base} {n}"):
            n += 1
        return f"{base} {n}"

    def knowledge_institution(self, profile: Profile, place: Place) -> str:
        rng = self.rng
        if place.country == "LU":
            options = (
                f"Centre de recherche {profile.topic_fr} {place.city}",
                f"Laboratoire {profile.topic_fr} {place.city}",
                f"Forschungslabor {profile.topic_de} {place.city}",
            )
        else:
            options = (
                f"Kenniscentrum {profile.topic_nl.capitalize()} {place.city}",
                f"Onderzoekslab {profile.topic_nl.capitalize()} {place.city}",
                f"Living Lab {profile.topic_en.capitalize()} {place.city}",
            )
        for name in rng.sample(options, len(options)):
            if self.claim(name):
                return name
        return self._numbered(options[0])


def _government_names(places: Sequence[Place]) -> list[tuple[str, str, Place]]:
    """Every local (and provincial) government name available: (name, level, place)."""
    names: list[tuple[str, str, Place]] = []
    seen_provinces: set[str] = set()
    for place in places:
        if place.country == "LU":
            names.append((f"{'Ville' if place.is_city else 'Commune'} de {place.city}", "local", place))
            names.append((f"Office social de {place.city}", "local", place))
        else:
            names.append((f"{'Stad' if place.is_city else 'Gemeente'} {place.city}", "local", place))
            names.append((f"OCMW {place.city}", "local", place))
            names.append((f"Autonoom Gemeentebedrijf {place.city}", "local", place))
            if place.region not in seen_provinces:
                seen_provinces.add(place.region)
                names.append((f"Provincie {PROVINCES[place.region]}", "regional", place))
    return names


def _federation_names(places: Sequence[Place]) -> list[tuple[str, Profile, Place]]:
    names: list[tuple[str, Profile, Place]] = []
    capital_lu = next(p for p in places if p.city == "Luxembourg")
    by_region = {p.region: p for p in sorted(places, key=lambda p: -p.weight) if p.country == "BE"}
    for profile in PROFILES:
        names.append((f"Fédération luxembourgeoise {profile.topic_fr}", profile, capital_lu))
        names.append((f"Beroepsvereniging {profile.topic_nl}", profile, by_region["vlaams-brabant"]))
        for region, place in by_region.items():
            names.append((f"Netwerk {profile.topic_nl} {PROVINCES[region]}", profile, place))
    return names


# --- texts ----------------------------------------------------------------------------------------


def _join(words: Sequence[str], conjunction: str) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


AND = {"en": "and", "nl": "en", "fr": "et", "de": "und"}
TEMPLATES = {  # the first sentence of a description, per kind and language
    "company": {
        "en": "{name}, based in {city}, {activity}. Founded in {year}; focus on {keywords}.",
        "nl": "{name} uit {city} {activity}. Opgericht in {year}; focus op {keywords}.",
        "fr": "{name} ({city}) {activity}. Création : {year} ; domaines : {keywords}.",
        "de": "{name} ({city}) {activity}. Gegründet {year}; Schwerpunkte: {keywords}.",
    },
    "knowledge_institution": {
        "en": "{name} does applied research on {keywords} with companies and cities.",
        "nl": "{name} doet toegepast onderzoek naar {keywords} met bedrijven en steden.",
        "fr": "{name} mène une recherche appliquée sur {keywords} avec les entreprises.",
        "de": "{name} forscht anwendungsnah zu {keywords} mit Unternehmen und Gemeinden.",
    },
    "government": {
        "en": "{name}: local authority working on {keywords} in its energy and climate plan.",
        "nl": "{name}: lokaal bestuur dat werkt aan {keywords} in het energie- en klimaatplan.",
        "fr": "{name} : autorité locale qui travaille sur {keywords} dans son plan climat.",
        "de": "{name}: Gemeinde, die im Klimaplan an {keywords} arbeitet.",
    },
    "federation": {
        "en": "{name} brings together organisations active in {topic}.",
        "nl": "{name} verenigt organisaties actief in {topic}.",
        "fr": "{name} rassemble les organisations actives dans le domaine suivant : {topic}.",
        "de": "{name} vereint Organisationen aus dem Bereich {topic}.",
    },
}
WISHES = {
    "en": "Looking for partners in {keyword}.",
    "nl": "Zoekt partners rond {keyword}.",
    "fr": "Recherche des partenaires pour {keyword}.",
    "de": "Sucht Partner für {keyword}.",
}


def describe(
    org_name: str,
    kind: str,
    profile: Profile,
    place: Place,
    keywords: Sequence[str],
    year: int,
    language: str,
    rng: random.Random,
) -> str:
    """A templated description of an organisation in ``language`` (en, nl, fr or de)."""
    kws = list(keywords[:3])
    first = TEMPLATES.get(kind, TEMPLATES["federation"])[language].format(
        name=org_name,
        city=place.city,
        year=year,
        keywords=_join(kws, AND[language]),
        activity=getattr(profile, f"activity_{language}"),
        topic=getattr(profile, f"topic_{language}"),
    )
    wish = WISHES[language].format(keyword=rng.choice(kws))
    return f"{first} {wish}" if rng.random() < 0.6 else first


def _languages(rng: random.Random, country: str) -> tuple[str, ...]:
    if country == "LU":
        return rng.choices(
            (("fr", "de", "en"), ("fr", "en"), ("de", "fr", "en"), ("en", "fr")), (40, 25, 20, 15)
        )[0]
    return rng.choices((("nl", "en"), ("nl", "en", "fr"), ("nl",)), (70, 20, 10))[0]


# --- the generator --------------------------------------------------------------------------------


class _Identifiers:
    """Valid legal identifiers, unique, avoiding those already taken. A separate random stream, so that
    what is already in the database changes identifiers only, never names."""

    def __init__(self, seed: int, taken: Iterable[tuple[str, str]]) -> None:
        self.rng = random.Random(f"identifiers-{seed}")
        self.taken = set(taken)

    def _claim(self, scheme: str, draw: Callable[[], str]) -> str:
        while True:
            value = draw()
            if (scheme, value) not in self.taken:
                self.taken.add((scheme, value))
                return value

    def belgian(self) -> str:
        return self._claim("be", lambda: belgian_enterprise_number(self.rng.randrange(10**7)))

    def luxembourg(self, letter: str) -> str:
        upper = 300_000 if letter == "B" else 15_000
        return self._claim("lu_rcs", lambda: f"{letter}{self.rng.randrange(1_000, upper)}")


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    span = max((end - start).days, 0)
    return start + dt.timedelta(days=rng.randint(0, span))


_LEVELS = [level for level, _weight in LEVEL_WEIGHTS]
_LEVEL_CUMULATIVE = list(itertools.accumulate(weight for _level, weight in LEVEL_WEIGHTS))


def _membership(rng: random.Random, target: ClusterTarget, profile: str) -> GeneratedMembership:
    level = rng.choices(_LEVELS, cum_weights=_LEVEL_CUMULATIVE)[0]
    if level is EngagementLevel.LEFT:
        path = [*LADDER[: rng.randint(1, 3)], EngagementLevel.LEFT]
    else:
        path = list(LADDER[: LADDER.index(level) + 1])
    start = max(target.founded_on, dt.date(2010, 1, 1))
    day = _date_between(rng, start, END_DATE - dt.timedelta(days=60 * len(path)))
    history, previous = [], ""
    for step in path:
        history.append(LadderChange(previous, step.value, day))
        previous = step.value
        day = min(day + dt.timedelta(days=rng.randint(20, 400)), END_DATE)
    domains: tuple[str, ...] = ()
    if target.domains:
        preferred = [d for d in PROFILE_DOMAINS.get(profile, ()) if d in target.domains]
        pool = preferred or list(target.domains)
        domains = tuple(sorted(rng.sample(pool, min(len(pool), rng.choice((1, 1, 2))))))
    return GeneratedMembership(target.slug, history[-1].to_level, history[-1].on, domains, tuple(history))


def _memberships(
    rng: random.Random, kind: str, profile: str, country: str, targets: Sequence[ClusterTarget]
) -> tuple[GeneratedMembership, ...]:
    share = 0.6 if kind == "company" else 0.75
    if not targets or rng.random() >= share:
        return ()
    fitting = [t for t in targets if t.country in ("", country) and (not t.profiles or profile in t.profiles)]
    if not fitting:
        return ()
    count = min(len(fitting), 2 if rng.random() < 0.2 else 1)
    return tuple(
        _membership(rng, t, profile) for t in sorted(rng.sample(fitting, count), key=lambda t: t.slug)
    )


def _site(rng: random.Random, place: Place, name: str, headquarters: bool) -> GeneratedSite:
    number = rng.randint(1, 220)
    street = (
        f"{number}, {rng.choice(STREETS_LU)}"
        if place.country == "LU"
        else f"{rng.choice(STREETS_NL)} {number}"
    )
    return GeneratedSite(
        name=name,
        street=street,
        postcode=place.postcode,
        city=place.city,
        country=place.country,
        region=place.region,
        latitude=round(place.latitude + rng.uniform(-JITTER, JITTER), 5),
        longitude=round(place.longitude + rng.uniform(-JITTER, JITTER), 5),
        is_headquarters=headquarters,
    )


def _sites(
    rng: random.Random, place: Place, kind: str, size: str, places: Sequence[Place]
) -> tuple[GeneratedSite, ...]:
    lu = place.country == "LU"
    sites = [_site(rng, place, "Siège social" if lu else "Hoofdzetel", True)]
    extra = rng.choice((1, 2)) if size == "large" else (1 if kind == "company" and rng.random() < 0.1 else 0)
    others = [p for p in places if p.country == place.country and p.city != place.city]
    for other in rng.sample(others, extra):
        sites.append(_site(rng, other, f"{'Site de' if lu else 'Vestiging'} {other.city}", False))
    return tuple(sites)


def _people(rng: random.Random, kind: str, country: str, domain: str) -> tuple[GeneratedPerson, ...]:
    people: list[GeneratedPerson] = []
    seen: set[str] = set()
    for i in range(2 if rng.random() < 0.3 else 1):
        locale = _locale_for(rng, country)
        first_names, last_names = _name_pools()[locale]
        first, last = rng.choice(first_names), rng.choice(last_names)
        email = f"{ascii_slug(first).replace('-', '')}.{ascii_slug(last).replace('-', '')}@{domain}"
        if email in seen:
            continue
        seen.add(email)
        contact, newsletter, public = rng.random() < 0.8, rng.random() < 0.5, rng.random() < 0.3
        people.append(
            GeneratedPerson(
                first_name=first,
                last_name=last,
                email=email,
                job_title=rng.choice(JOB_TITLES[kind]),
                roles="main contact" if i == 0 else "technical contact",
                consent_contact=contact,
                consent_newsletter=newsletter,
                consent_public=public,
                consent_recorded_on=_date_between(rng, dt.date(2019, 1, 1), END_DATE)
                if contact or newsletter or public
                else None,
            )
        )
    return tuple(people)


def _organisation(
    rng: random.Random,
    ids: _Identifiers,
    name: str,
    kind: str,
    size: str,
    level: str,
    profile: Profile,
    place: Place,
    targets: Sequence[ClusterTarget],
    membership_profile: str,
) -> GeneratedOrganisation:
    lu = place.country == "LU"
    if kind == "knowledge_institution":
        sectors: tuple[str, ...] = ("72.10", "85.40") if rng.random() < 0.3 else ("72.10",)
    elif kind == "government":
        sectors = ("84.11",)
    elif kind == "federation":
        sectors = ("94.11",)
    else:
        sectors = tuple(sorted(rng.sample(profile.sectors, rng.choice((1, 1, 2)))))
    keywords = tuple(rng.sample(profile.keywords, min(len(profile.keywords), rng.randint(2, 4))))
    if kind == "government":
        keywords = tuple(
            rng.sample(
                (
                    "energy transition",
                    "climate plan",
                    "renovation",
                    "heat networks",
                    "public lighting",
                    "charging points",
                    "sustainable mobility",
                ),
                3,
            )
        )
    languages = _languages(rng, place.country)
    year = rng.randint(1965, 2023)
    texts = {
        lang: describe(name, kind, profile, place, keywords, year, lang, rng)
        for lang in ("en", "nl", "fr", "de")
        if lang in languages
    }
    domain = f"{ascii_slug(name)[:50].strip('-')}.example"
    if lu:
        letter = {"company": "B", "federation": "F"}.get(kind)
        scheme, identifier = ("lu_rcs", ids.luxembourg(letter)) if letter else ("", "")
    else:
        scheme, identifier = "be", ids.belgian()
    return GeneratedOrganisation(
        name=name,
        kind=kind,
        size_class=size,
        government_level=level,
        identifier_scheme=scheme,
        legal_identifier=identifier,
        website=f"https://www.{domain}" if rng.random() < 0.85 else "",
        working_languages=",".join(languages),
        sectors=sectors,
        keywords=tuple(sorted(set(keywords))),
        description_en=texts.get("en", ""),
        description_nl=texts.get("nl", ""),
        description_fr=texts.get("fr", ""),
        description_de=texts.get("de", ""),
        is_published=rng.random() < 0.93,
        sites=_sites(rng, place, kind, size, PLACES),
        people=_people(rng, kind, place.country, domain),
        memberships=_memberships(rng, kind, membership_profile, place.country, targets),
        profile=profile.key,
    )


_PROFILE_CUMULATIVE = {
    "BE": list(itertools.accumulate(p.weight_be for p in PROFILES)),
    "LU": list(itertools.accumulate(p.weight_lu for p in PROFILES)),
}


def _pick_profile(rng: random.Random, country: str) -> Profile:
    return rng.choices(PROFILES, cum_weights=_PROFILE_CUMULATIVE[country])[0]


def generate_ecosystem(
    count: int,
    *,
    seed: int = 1,
    clusters: Sequence[ClusterTarget] = (),
    taken_identifiers: Iterable[tuple[str, str]] = (),
    taken_names: Iterable[str] = (),
    lu_share: float = 0.2,
    progress: Callable[[int], None] | None = None,
) -> tuple[GeneratedOrganisation, ...]:
    """``count`` synthetic organisations, the same for the same ``seed`` (and the same names taken).

    ``taken_identifiers`` ((scheme, value) pairs) are never reused; ``taken_names`` are never reused.
    ``progress`` is called with the number of organisations made since its last call.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    rng = random.Random(seed)
    ids = _Identifiers(seed, taken_identifiers)
    names = _Names(rng, taken_names)
    be_places = [p for p in PLACES if p.country == "BE"]
    lu_places = [p for p in PLACES if p.country == "LU"]
    governments = _government_names(PLACES)
    rng.shuffle(governments)
    federations = _federation_names(PLACES)
    rng.shuffle(federations)
    kinds = [(k, s) for k, s, _w in KIND_WEIGHTS]
    shares = list(itertools.accumulate(w for _k, _s, w in KIND_WEIGHTS))
    place_weights = {
        "BE": list(itertools.accumulate(p.weight for p in be_places)),
        "LU": list(itertools.accumulate(p.weight for p in lu_places)),
    }
    made: list[GeneratedOrganisation] = []
    for i in range(count):
        kind, size = rng.choices(kinds, cum_weights=shares)[0]
        level, membership_profile = "", ""
        country = "LU" if rng.random() < lu_share else "BE"
        pool = lu_places if country == "LU" else be_places
        place = rng.choices(pool, cum_weights=place_weights[country])[0]
        profile = _pick_profile(rng, country)
        name = ""
        if kind == "government":
            while governments and not name:
                candidate, level, place = governments.pop()
                name = candidate if names.claim(candidate) else ""
            if not name:
                kind, size, level = "company", "sme", ""
            membership_profile = LOCAL_GOVERNMENT
        elif kind == "federation":
            while federations and not name:
                candidate, profile, place = federations.pop()
                name = candidate if names.claim(candidate) else ""
            if not name:
                kind, size = "company", "sme"
        if kind == "knowledge_institution":
            name = names.knowledge_institution(profile, place)
        elif kind == "company":
            name = names.company(profile, place, size == "large")
            membership_profile = ""
        made.append(
            _organisation(
                rng, ids, name, kind, size, level, profile, place, clusters, membership_profile or profile.key
            )
        )
        if progress and (i + 1) % 500 == 0:
            progress(500)
    if progress and count % 500:
        progress(count % 500)
    return tuple(made)


SYNTHETIC_CLUSTERS = (
    (
        "Circular Plastics Network",
        "BE",
        ("materials_coatings", "circular_water"),
        ("Recycling", "Bio-based plastics", "Design for recycling"),
    ),
    (
        "Hydrogen Network",
        "BE",
        ("renewable_production", "engineering_consulting", "energy_storage"),
        ("Production", "Port logistics", "Industrial use"),
    ),
    (
        "Digital Manufacturing Network",
        "",
        ("materials_coatings", "ict_data", "grid_equipment"),
        ("Robotics", "Digital twins", "Additive manufacturing"),
    ),
    (
        "Water Technology Network",
        "",
        ("circular_water", "engineering_consulting"),
        ("Water reuse", "Smart water grids", "Heat from wastewater"),
    ),
    (
        "Sustainable Mobility Network",
        "",
        ("mobility", "energy_software", "lighting"),
        ("Charging", "City logistics", "Shared mobility"),
    ),
    (
        "Bio-based Building Network",
        "",
        ("building_renovation", "wood"),
        ("Timber construction", "Bio-based insulation", "Renovation"),
    ),
    (
        "Health Data Network",
        "LU",
        ("health_tech", "ict_data"),
        ("Interoperability", "Remote care", "Artificial intelligence in diagnostics"),
    ),
    ("Creative Tech Network", "", ("creative", "ict_data"), ("Games", "Immersive media", "Design")),
)


def synthetic_clusters(
    count: int, *, seed: int = 1, taken_identifiers: Iterable[tuple[str, str]] = ()
) -> tuple[GeneratedCluster, ...]:
    """``count`` invented clusters, each with its operator (a cluster organisation) and three domains."""
    rng = random.Random(f"clusters-{seed}")
    ids = _Identifiers(seed + 7919, taken_identifiers)
    made = []
    for i in range(count):
        if i < len(SYNTHETIC_CLUSTERS):
            name, country, profiles, domain_names = SYNTHETIC_CLUSTERS[i]
        else:
            name, country, profiles, domain_names = (
                f"Synthetic Cluster {i + 1}",
                "",
                (),
                ("Theme A", "Theme B"),
            )
        slug = f"synthetic-{ascii_slug(name)}"
        founded_on = dt.date(rng.randint(2012, 2022), rng.randint(1, 12), 1)
        place = next(p for p in PLACES if p.city == ("Luxembourg" if country == "LU" else "Leuven"))
        operator_name = f"{name} {'a.s.b.l.' if country == 'LU' else 'vzw'}"
        identifier = ids.luxembourg("F") if country == "LU" else ids.belgian()
        operator = GeneratedOrganisation(
            name=operator_name,
            kind="cluster_organisation",
            size_class="",
            government_level="",
            identifier_scheme="lu_rcs" if country == "LU" else "be",
            legal_identifier=identifier,
            website="",
            working_languages="en",
            sectors=("94.11",),
            keywords=("innovation cluster",),
            description_en=f"The organisation that runs the {name}.",
            description_nl="",
            description_fr="",
            description_de="",
            is_published=True,
            sites=(_site(rng, place, "Head office", True),),
            people=(),
            memberships=(),
            profile="",
        )
        themes = ", ".join(d.lower() if d[1:2].islower() else d for d in domain_names)
        domains = tuple(
            GeneratedDomain(ascii_slug(d), d, f"{d}: a theme of the {name}.") for d in domain_names
        )
        made.append(
            GeneratedCluster(
                slug=slug,
                name=name,
                founded_on=founded_on,
                # Invented (is_sample: its page says "Sample data"); no provenance note in public text.
                description=f"A network of companies, research centres and public bodies: {themes}.",
                domains=domains,
                operator=operator,
                target=ClusterTarget(slug, country, founded_on, tuple(d.slug for d in domains), profiles),
            )
        )
    return tuple(made)


SYNTHETIC_CLUSTER_PROFILES: dict[str, tuple[str, tuple[str, ...]]] = {
    f"synthetic-{ascii_slug(name)}": (country, profiles)
    for name, country, profiles, _domains in SYNTHETIC_CLUSTERS
}
