"""Matching scale benchmark: top-10 offers for every need, exact search against approximate indexes.

Data. Real multilingual business texts are composed from domain vocabulary (energy, renovation, heat,
mobility, materials, health, ICT; in nl/fr/de/en, with the activities, topics and keywords of
``helix.registry.demo.generate``) and embedded with the real encoder (USE multilingual, dim 512). The
first ``anchors`` embeddings seed the synthetic vectors; the others are held out as the "real" reference.
A synthetic vector is a random anchor, moved part of the way towards a second random anchor (half of
the time), plus Gaussian noise in the 64-dimensional principal subspace of the anchors, plus smaller
isotropic noise, renormalised. The noise scale is calibrated in the run: the scale whose synthetic set
has the nearest-neighbour cosine quantiles closest to those of the held-out real embeddings (same set
size) is used; both distributions are printed. Offers and needs are drawn alike, from different seeds.

Measured, with the same-run baseline being exact search (``ExactIndex``, numpy float32 blocked matrix
products) over all needs:

- embedding throughput of the real encoder (texts/s, the texts above, after a warm-up);
- for each candidate (faiss HNSW-Flat, IVF-Flat, IVF-SQ8, IVF-PQ; usearch HNSW f32/f16/i8): build
  time, memory (RSS increase over the build, and the index's own bytes), time to get the top-10 of all
  needs at a few search settings (efSearch / nprobe) with recall@10 against exact, and single-query
  latency p50/p95 at the fastest setting reaching recall@10 >= 0.95 (or the best one);
- all candidates at the screening size (100k offers); at the full size (1M offers) Helix's ``AnnIndex``
  (faiss HNSW, the choice) and faiss IVF-Flat (the fastest alternative at 100k), since building every
  candidate on 1M vectors would take about an hour here (usearch HNSW alone took 6 to 11 minutes);
  ``--quick`` measures one candidate of each family only, at 100k;
- the crossover: single-query p50 of ``ExactIndex`` and ``AnnIndex`` grown to 3k, 10k, 30k, 100k, 300k
  vectors; the first size at which HNSW is faster is where ``ANN_THRESHOLD`` comes from.

Times are also given as ratios to exact search, so they compare across machines.

    python -m bench --only matching_scale [--quick]      # quick: 100k offers, 1k needs
    python -m bench.matching_scale.bench_matching_scale [--quick]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from helix.core.matching.vector_index import ANN_THRESHOLD, AnnIndex, ExactIndex

K = 10
DIM = 512
TARGET_RECALL = 0.95
SEED = 20250601
QUANTILES = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)


@dataclass(frozen=True)
class Sizes:
    offers: int
    needs: int
    texts: int  # embedded with the real encoder (the throughput figure)
    anchors: int  # of those, the ones synthetic vectors are drawn around; the rest are held out
    screening: int  # offers for the all-candidates round
    crossover: tuple[int, ...]
    latency_queries: int  # single queries timed one by one


FULL = Sizes(1_000_000, 10_000, 10_000, 4_000, 100_000, (3_000, 10_000, 30_000, 100_000, 300_000), 300)
QUICK = Sizes(100_000, 1_000, 3_000, 1_500, 100_000, (3_000, 10_000, 30_000, 100_000), 200)


# --- texts ------------------------------------------------------------------------------------------------

# (en, nl, fr, de) phrases per domain; a text is composed in one language from these.
DOMAINS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "energy": (
        (
            "solar panels on industrial roofs",
            "zonnepanelen op bedrijfsdaken",
            "des panneaux solaires sur toitures industrielles",
            "Solaranlagen auf Industriedächern",
        ),
        ("home batteries", "thuisbatterijen", "des batteries domestiques", "Heimspeicher"),
        (
            "an energy management system",
            "een energiebeheersysteem",
            "un système de gestion de l'énergie",
            "ein Energiemanagementsystem",
        ),
        (
            "demand response for industrial sites",
            "vraagsturing voor industriële sites",
            "l'effacement de consommation industrielle",
            "Lastmanagement für Industriestandorte",
        ),
        (
            "a local energy community",
            "een lokale energiegemeenschap",
            "une communauté énergétique locale",
            "eine lokale Energiegemeinschaft",
        ),
        (
            "green hydrogen production",
            "productie van groene waterstof",
            "la production d'hydrogène vert",
            "die Erzeugung von grünem Wasserstoff",
        ),
        ("smart meters", "slimme meters", "des compteurs intelligents", "intelligente Stromzähler"),
        ("wind turbines", "windturbines", "des éoliennes", "Windkraftanlagen"),
        (
            "grid congestion forecasting",
            "voorspelling van netcongestie",
            "la prévision de congestion du réseau",
            "Prognosen für Netzengpässe",
        ),
        (
            "power purchase agreements",
            "stroomafnamecontracten",
            "des contrats d'achat d'électricité",
            "Stromabnahmeverträge",
        ),
    ),
    "renovation": (
        (
            "deep renovation of terraced houses",
            "diepgaande renovatie van rijwoningen",
            "la rénovation profonde de maisons mitoyennes",
            "die Tiefensanierung von Reihenhäusern",
        ),
        (
            "roof and facade insulation",
            "dak- en gevelisolatie",
            "l'isolation des toitures et façades",
            "Dach- und Fassadendämmung",
        ),
        (
            "prefabricated facade elements",
            "geprefabriceerde gevelelementen",
            "des éléments de façade préfabriqués",
            "vorgefertigte Fassadenelemente",
        ),
        (
            "triple glazing and window frames",
            "driedubbele beglazing en raamkaders",
            "du triple vitrage et des châssis",
            "Dreifachverglasung und Fensterrahmen",
        ),
        (
            "collective renovation of social housing",
            "collectieve renovatie van sociale woningen",
            "la rénovation groupée de logements sociaux",
            "die gemeinsame Sanierung von Sozialwohnungen",
        ),
        (
            "energy performance certificates",
            "energieprestatiecertificaten",
            "des certificats de performance énergétique",
            "Energieausweise",
        ),
        ("asbestos removal", "asbestverwijdering", "le désamiantage", "Asbestsanierung"),
        (
            "ventilation with heat recovery",
            "ventilatie met warmteterugwinning",
            "la ventilation avec récupération de chaleur",
            "Lüftung mit Wärmerückgewinnung",
        ),
        (
            "renovation of school buildings",
            "renovatie van schoolgebouwen",
            "la rénovation de bâtiments scolaires",
            "die Sanierung von Schulgebäuden",
        ),
    ),
    "heat": (
        ("heat pumps", "warmtepompen", "des pompes à chaleur", "Wärmepumpen"),
        ("a district heating network", "een warmtenet", "un réseau de chaleur", "ein Fernwärmenetz"),
        (
            "industrial waste heat recovery",
            "recuperatie van industriële restwarmte",
            "la récupération de chaleur fatale industrielle",
            "industrielle Abwärmenutzung",
        ),
        ("geothermal wells", "geothermische boringen", "des forages géothermiques", "Geothermiebohrungen"),
        (
            "seasonal heat storage",
            "seizoensopslag van warmte",
            "le stockage saisonnier de chaleur",
            "saisonale Wärmespeicherung",
        ),
        ("biomass boilers", "biomassaketels", "des chaudières biomasse", "Biomassekessel"),
        (
            "solar thermal collectors",
            "zonneboilers",
            "des capteurs solaires thermiques",
            "Solarthermie-Kollektoren",
        ),
        (
            "cooling for data centres",
            "koeling van datacenters",
            "le refroidissement des centres de données",
            "die Kühlung von Rechenzentren",
        ),
    ),
    "mobility": (
        (
            "charging stations for electric vehicles",
            "laadpalen voor elektrische voertuigen",
            "des bornes de recharge pour véhicules électriques",
            "Ladestationen für Elektrofahrzeuge",
        ),
        ("electric buses", "elektrische bussen", "des bus électriques", "Elektrobusse"),
        ("shared bicycles", "deelfietsen", "des vélos partagés", "Leihfahrräder"),
        ("mobility hubs", "mobiliteitshubs", "des pôles de mobilité", "Mobilitätsstationen"),
        (
            "fleet electrification",
            "elektrificatie van wagenparken",
            "l'électrification de flottes",
            "die Flottenelektrifizierung",
        ),
        (
            "last-mile delivery by cargo bike",
            "levering op de laatste kilometer met bakfietsen",
            "la livraison du dernier kilomètre en vélo cargo",
            "Letzte-Meile-Logistik mit Lastenrädern",
        ),
        (
            "smart charging software",
            "software voor slim laden",
            "un logiciel de recharge intelligente",
            "Software für intelligentes Laden",
        ),
        ("hydrogen trucks", "waterstoftrucks", "des camions à hydrogène", "Wasserstoff-Lkw"),
        ("traffic sensors", "verkeerssensoren", "des capteurs de trafic", "Verkehrssensoren"),
    ),
    "materials": (
        (
            "corrosion-resistant coatings",
            "corrosiebestendige coatings",
            "des revêtements anticorrosion",
            "Korrosionsschutzbeschichtungen",
        ),
        (
            "recycled concrete aggregates",
            "gerecycleerde betongranulaten",
            "des granulats de béton recyclé",
            "recycelte Betonzuschläge",
        ),
        (
            "bio-based insulation materials",
            "biogebaseerde isolatiematerialen",
            "des isolants biosourcés",
            "biobasierte Dämmstoffe",
        ),
        ("cross-laminated timber", "kruislaaghout", "du bois lamellé-croisé", "Brettsperrholz"),
        (
            "3D printing of metal parts",
            "3D-printen van metalen onderdelen",
            "l'impression 3D de pièces métalliques",
            "3D-Druck von Metallteilen",
        ),
        (
            "lightweight composites",
            "lichtgewicht composieten",
            "des composites légers",
            "Leichtbau-Verbundwerkstoffe",
        ),
        ("battery recycling", "recyclage van batterijen", "le recyclage des batteries", "Batterierecycling"),
        ("low-carbon cement", "koolstofarm cement", "du ciment bas carbone", "CO2-armer Zement"),
        (
            "plastic waste sorting",
            "sortering van plastic afval",
            "le tri des déchets plastiques",
            "die Sortierung von Kunststoffabfällen",
        ),
    ),
    "health": (
        (
            "remote monitoring of heart patients",
            "telemonitoring van hartpatiënten",
            "la télésurveillance des patients cardiaques",
            "die Fernüberwachung von Herzpatienten",
        ),
        (
            "fall detection for elderly care",
            "valdetectie voor de ouderenzorg",
            "la détection de chute pour les seniors",
            "Sturzerkennung für die Altenpflege",
        ),
        (
            "medical imaging software",
            "software voor medische beeldvorming",
            "un logiciel d'imagerie médicale",
            "Software für medizinische Bildgebung",
        ),
        (
            "point-of-care diagnostics",
            "diagnostiek aan het bed",
            "le diagnostic délocalisé",
            "patientennahe Diagnostik",
        ),
        (
            "a secure health data platform",
            "een beveiligd platform voor gezondheidsgegevens",
            "une plateforme sécurisée de données de santé",
            "eine sichere Gesundheitsdatenplattform",
        ),
        (
            "clinical trials for medical devices",
            "klinische studies voor medische hulpmiddelen",
            "des essais cliniques pour dispositifs médicaux",
            "klinische Studien für Medizinprodukte",
        ),
        (
            "energy savings in hospitals",
            "energiebesparing in ziekenhuizen",
            "les économies d'énergie à l'hôpital",
            "Energieeinsparung in Krankenhäusern",
        ),
        (
            "rehabilitation robotics",
            "revalidatierobotica",
            "la robotique de rééducation",
            "Rehabilitationsrobotik",
        ),
    ),
    "ict": (
        (
            "a cybersecurity audit",
            "een cybersecurity-audit",
            "un audit de cybersécurité",
            "ein Cybersicherheitsaudit",
        ),
        (
            "an IoT sensor platform",
            "een IoT-sensorplatform",
            "une plateforme de capteurs IoT",
            "eine IoT-Sensorplattform",
        ),
        (
            "a digital twin of the city",
            "een digitale tweeling van de stad",
            "un jumeau numérique de la ville",
            "einen digitalen Zwilling der Stadt",
        ),
        (
            "machine learning for predictive maintenance",
            "machine learning voor voorspellend onderhoud",
            "l'apprentissage automatique pour la maintenance prédictive",
            "maschinelles Lernen für vorausschauende Wartung",
        ),
        (
            "cloud hosting in Europe",
            "cloudhosting in Europa",
            "l'hébergement cloud en Europe",
            "Cloud-Hosting in Europa",
        ),
        (
            "an open data portal",
            "een open dataportaal",
            "un portail de données ouvertes",
            "ein Open-Data-Portal",
        ),
        (
            "phishing awareness training",
            "opleiding rond phishing",
            "une formation contre l'hameçonnage",
            "Phishing-Schulungen",
        ),
        (
            "building management software",
            "gebouwbeheersoftware",
            "un logiciel de gestion technique du bâtiment",
            "Gebäudeleittechnik-Software",
        ),
        (
            "a mobile app for citizens",
            "een mobiele app voor burgers",
            "une application mobile pour les citoyens",
            "eine mobile App für Bürger",
        ),
    ),
}
AUDIENCES: tuple[tuple[str, str, str, str], ...] = (
    (
        "for social housing companies",
        "voor sociale huisvestingsmaatschappijen",
        "pour les sociétés de logement social",
        "für Wohnungsbaugesellschaften",
    ),
    ("for SMEs", "voor kmo's", "pour les PME", "für KMU"),
    ("for hospitals", "voor ziekenhuizen", "pour les hôpitaux", "für Krankenhäuser"),
    ("for municipalities", "voor gemeenten", "pour les communes", "für Gemeinden"),
    (
        "for industrial sites",
        "voor industriële sites",
        "pour les sites industriels",
        "für Industriestandorte",
    ),
    ("for schools", "voor scholen", "pour les écoles", "für Schulen"),
    (
        "for logistics companies",
        "voor logistieke bedrijven",
        "pour les entreprises de logistique",
        "für Logistikunternehmen",
    ),
    ("for homeowners", "voor particuliere eigenaars", "pour les propriétaires", "für Hausbesitzer"),
    ("for greenhouses", "voor serres", "pour les serres", "für Gewächshäuser"),
    ("for office buildings", "voor kantoorgebouwen", "pour les immeubles de bureaux", "für Bürogebäude"),
    ("for care homes", "voor woonzorgcentra", "pour les maisons de repos", "für Pflegeheime"),
    ("for business parks", "voor bedrijventerreinen", "pour les parcs d'activités", "für Gewerbegebiete"),
)
LANGUAGES = ("en", "nl", "fr", "de")
NEEDS: dict[str, tuple[str, ...]] = {
    "en": (
        "We are looking for a partner for {obj} {aud}.",
        "Wanted: a supplier of {obj} {aud}, ideally combined with {obj2}.",
        "Our organisation in {city} needs {obj}.",
        "Who can help us with {obj} and {obj2}?",
        "Seeking expertise in {obj} for a pilot project in {city}.",
    ),
    "nl": (
        "Wij zoeken een partner voor {obj} {aud}.",
        "Gezocht: een leverancier van {obj} {aud}, liefst samen met {obj2}.",
        "Onze organisatie in {city} heeft nood aan {obj}.",
        "Wie kan ons helpen met {obj} en {obj2}?",
        "Op zoek naar expertise in {obj} voor een proefproject in {city}.",
    ),
    "fr": (
        "Nous cherchons un partenaire pour {obj} {aud}.",
        "Recherche un fournisseur : {obj} {aud}, idéalement avec {obj2}.",
        "Notre organisation à {city} a besoin de {obj}.",
        "Qui peut nous aider pour {obj} et {obj2} ?",
        "Recherche d'expertise : {obj}, pour un projet pilote à {city}.",
    ),
    "de": (
        "Wir suchen einen Partner für {obj} {aud}.",
        "Gesucht: ein Lieferant für {obj} {aud}, idealerweise mit {obj2}.",
        "Unsere Organisation in {city} braucht {obj}.",
        "Wer kann uns bei {obj} und {obj2} helfen?",
        "Wir suchen Fachwissen zu {obj} für ein Pilotprojekt in {city}.",
    ),
}
OFFERS: dict[str, tuple[str, ...]] = {
    "en": (
        "We supply {obj} {aud}.",
        "Our company designs and installs {obj}, and also offers {obj2}.",
        "{name} from {city} {activity}; we offer {obj} {aud}.",
        "Ten years of experience with {obj} {aud}.",
        "Research group offering expertise in {obj} and {obj2}.",
    ),
    "nl": (
        "Wij leveren {obj} {aud}.",
        "Ons bedrijf ontwerpt en installeert {obj} en biedt ook {obj2} aan.",
        "{name} uit {city} {activity}; wij bieden {obj} {aud}.",
        "Tien jaar ervaring met {obj} {aud}.",
        "Onderzoeksgroep met expertise in {obj} en {obj2}.",
    ),
    "fr": (
        "Nous fournissons {obj} {aud}.",
        "Notre entreprise conçoit et installe {obj}, et propose aussi {obj2}.",
        "{name} ({city}) {activity} ; nous proposons {obj} {aud}.",
        "Dix ans d'expérience : {obj} {aud}.",
        "Groupe de recherche avec une expertise en {obj} et {obj2}.",
    ),
    "de": (
        "Wir liefern {obj} {aud}.",
        "Unser Unternehmen plant und installiert {obj} und bietet auch {obj2} an.",
        "{name} aus {city} {activity}; wir bieten {obj} {aud}.",
        "Zehn Jahre Erfahrung mit {obj} {aud}.",
        "Forschungsgruppe mit Expertise zu {obj} und {obj2}.",
    ),
}
EXTRAS: dict[str, tuple[str, ...]] = {
    "en": (
        "We are active in {topic}.",
        "Planned start: {year}.",
        "Budget around {amount} euro.",
        "Based in {city}.",
        "Looking for partners in {keyword}.",
    ),
    "nl": (
        "Wij zijn actief in {topic}.",
        "Geplande start: {year}.",
        "Budget rond {amount} euro.",
        "Gevestigd in {city}.",
        "Zoekt partners rond {keyword}.",
    ),
    "fr": (
        "Nous sommes actifs dans : {topic}.",
        "Démarrage prévu : {year}.",
        "Budget d'environ {amount} euros.",
        "Basé à {city}.",
        "Recherche des partenaires pour {keyword}.",
    ),
    "de": (
        "Wir sind im Bereich {topic} tätig.",
        "Geplanter Start: {year}.",
        "Budget etwa {amount} Euro.",
        "Sitz in {city}.",
        "Sucht Partner für {keyword}.",
    ),
}


def compose_texts(count: int, seed: int) -> list[str]:
    """``count`` distinct needs and offers, each in one of four languages."""
    from helix.registry.demo import vocabulary  # pure: no Django

    rng = random.Random(seed)
    domains = list(DOMAINS)
    cities = [place.city for place in vocabulary.PLACES]
    texts: list[str] = []
    seen: set[str] = set()
    while len(texts) < count:
        index = rng.randrange(len(LANGUAGES))
        language = LANGUAGES[index]
        domain = rng.choice(domains)
        other = domain if rng.random() < 0.6 else rng.choice(domains)
        profile = rng.choice(vocabulary.PROFILES)
        values = {
            "obj": rng.choice(DOMAINS[domain])[index],
            "obj2": rng.choice(DOMAINS[other])[index],
            "aud": rng.choice(AUDIENCES)[index],
            "city": rng.choice(cities),
            "name": rng.choice(vocabulary.CODENAME_HEADS) + rng.choice(vocabulary.CODENAME_TAILS),
            "activity": getattr(profile, f"activity_{language}"),
            "topic": getattr(profile, f"topic_{language}"),
            "keyword": rng.choice(profile.keywords),
            "year": rng.randrange(2025, 2029),
            "amount": f"{rng.randrange(2, 80) * 5_000:,}",
        }
        parts = [rng.choice((NEEDS if rng.random() < 0.5 else OFFERS)[language])]
        parts += rng.sample(EXTRAS[language], rng.choice((0, 1, 1, 2)))
        text = " ".join(parts).format(**values)
        if text not in seen:
            seen.add(text)
            texts.append(text)
    return texts


def embed(texts: list[str]) -> tuple[np.ndarray, dict[str, Any]]:
    from helix.core.matching.embedding import default_encoder

    encoder = default_encoder()
    started = time.perf_counter()
    encoder.encode(["warm-up: load the model"])
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    vectors = encoder.encode(texts)
    seconds = time.perf_counter() - started
    figures = {
        "encoder": encoder.name,
        "version": encoder.version,
        "texts": len(texts),
        "mean_words": round(statistics.fmean(len(t.split()) for t in texts), 1),
        "load_s": round(load_s, 2),
        "seconds": round(seconds, 2),
        "texts_per_s": round(len(texts) / seconds, 1),
    }
    return vectors, figures


# --- synthetic vectors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Perturbation:
    anchors: np.ndarray
    basis: np.ndarray  # (rank, dim): principal directions of the anchors, scaled by their spread
    scale: float  # norm of the subspace noise; the isotropic noise is half of it
    mix: float = 0.5  # at most this share of the way to a second anchor, for half of the vectors

    @classmethod
    def fit(cls, anchors: np.ndarray, scale: float, rank: int = 64) -> Perturbation:
        centred = anchors - anchors.mean(axis=0)
        _, spread, directions = np.linalg.svd(centred, full_matrices=False)
        weights = spread[:rank] / np.sqrt(np.mean(spread[:rank] ** 2))
        return cls(anchors, (directions[:rank] * weights[:, None]).astype(np.float32), scale)

    def with_scale(self, scale: float) -> Perturbation:
        return Perturbation(self.anchors, self.basis, scale, self.mix)

    def draw(self, count: int, seed: int, out: np.ndarray | None = None, chunk: int = 50_000) -> np.ndarray:
        """``count`` unit vectors, written into ``out`` (allocated when not given) chunk by chunk."""
        rng = np.random.default_rng(seed)
        anchors, basis = self.anchors, self.basis
        rank, dim = basis.shape
        out = np.empty((count, dim), dtype=np.float32) if out is None else out
        for start in range(0, count, chunk):
            size = min(chunk, count - start)
            first = rng.integers(0, len(anchors), size)
            second = rng.integers(0, len(anchors), size)
            share = rng.random(size, dtype=np.float32) * self.mix * (rng.random(size) < 0.5)
            rows = anchors[first] + share[:, None] * (anchors[second] - anchors[first])
            rows += (self.scale / np.sqrt(rank)) * (
                rng.standard_normal((size, rank), dtype=np.float32) @ basis
            )
            rows += (self.scale / 2 / np.sqrt(dim)) * rng.standard_normal((size, dim), dtype=np.float32)
            rows /= np.linalg.norm(rows, axis=1, keepdims=True)
            out[start : start + size] = rows
        return out


def nearest_neighbour_quantiles(vectors: np.ndarray) -> list[float]:
    """Quantiles of each vector's best cosine to another vector of the same set."""
    scores = vectors @ vectors.T
    np.fill_diagonal(scores, -np.inf)
    return [round(float(q), 3) for q in np.quantile(scores.max(axis=1), QUANTILES)]


def calibrate(anchors: np.ndarray, held_out: np.ndarray) -> tuple[Perturbation, dict[str, Any]]:
    real = nearest_neighbour_quantiles(held_out)
    base = Perturbation.fit(anchors, scale=0.5)
    tried = {}
    for scale in np.arange(0.30, 0.801, 0.05):
        synthetic = nearest_neighbour_quantiles(base.with_scale(float(scale)).draw(len(held_out), SEED + 1))
        tried[round(float(scale), 2)] = (
            max(abs(a - b) for a, b in zip(real, synthetic, strict=True)),
            synthetic,
        )
    scale, (gap, synthetic) = min(tried.items(), key=lambda item: item[1][0])
    figures = {
        "quantiles": list(QUANTILES),
        "real_held_out": real,
        "synthetic_same_size": synthetic,
        "set_size": len(held_out),
        "scale": scale,
        "max_quantile_gap": round(gap, 3),
        "tried": {str(s): round(g, 3) for s, (g, _q) in tried.items()},
    }
    return base.with_scale(scale), figures


# --- measuring ------------------------------------------------------------------------------------------


def rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    hits = sum(len(set(a.tolist()) & set(b.tolist())) for a, b in zip(found, truth, strict=True))
    return hits / truth.size


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def settle() -> None:
    """Let OpenMP / OpenBLAS worker threads that spin after a parallel call go to sleep before timing."""
    time.sleep(0.5)


def single_query_ms(search: Callable[[np.ndarray], object], queries: np.ndarray) -> dict[str, float]:
    settle()
    for row in queries[:10]:  # warm-up
        search(row[None, :])
    times = []
    for row in queries:
        started = time.perf_counter()
        search(row[None, :])
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(percentile(times, 0.5), 3), "p95_ms": round(percentile(times, 0.95), 3)}


@dataclass
class Candidate:
    """One library configuration: how to build it, how to search it at each setting, its own bytes."""

    name: str
    library: str
    build: Callable[[np.ndarray], Any]
    settings: dict[str, Callable[[Any], None]]  # label -> applies that search setting
    search: Callable[[Any, np.ndarray, int], np.ndarray]  # -> (Q, k) keys
    nbytes: Callable[[Any], int]
    params: dict[str, Any] = field(default_factory=dict)
    latency_setting: str | None = None  # single queries at this setting; default: fastest reaching the target


def _threads() -> int:
    return os.cpu_count() or 1


def faiss_candidates(dim: int, count: int) -> list[Candidate]:
    import faiss

    nlist = 1024 if count <= 200_000 else 4096  # ~ 3-4 sqrt(n) (faiss suggests 4 to 16 sqrt(n))

    def ivf(kind: str) -> Callable[[np.ndarray], Any]:
        def build(vectors: np.ndarray) -> Any:
            quantiser = faiss.IndexFlatIP(dim)
            if kind == "flat":
                index = faiss.IndexIVFFlat(quantiser, dim, nlist, faiss.METRIC_INNER_PRODUCT)
            elif kind == "sq8":
                index = faiss.IndexIVFScalarQuantizer(
                    quantiser, dim, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
                )
            else:  # 64 sub-quantisers of 8 bits: 64 bytes a vector
                index = faiss.IndexIVFPQ(quantiser, dim, nlist, 64, 8, faiss.METRIC_INNER_PRODUCT)
            rng = np.random.default_rng(SEED)
            sample = np.sort(rng.choice(len(vectors), min(len(vectors), 40 * nlist), replace=False))
            index.train(vectors[sample])
            index.add(vectors)
            index.own_fields = True  # keep the quantiser alive with the index
            quantiser.this.disown()
            return index

        return build

    def ivf_bytes(index: Any) -> int:
        lists = index.invlists
        return int(index.ntotal * (index.code_size + 8) + index.nlist * dim * 4 + lists.nlist * 64)

    def hnsw_build(vectors: np.ndarray) -> Any:
        index = faiss.IndexHNSWFlat(dim, 16, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 40
        index.add(vectors)
        return index

    def hnsw_bytes(index: Any) -> int:
        h = index.hnsw
        return int(
            index.ntotal * dim * 4 + h.neighbors.size() * 4 + h.offsets.size() * 8 + h.levels.size() * 4
        )

    def faiss_search(index: Any, queries: np.ndarray, k: int) -> np.ndarray:
        return np.asarray(index.search(queries, k)[1])

    def ef(value: int) -> Callable[[Any], None]:
        def apply(index: Any) -> None:
            index.hnsw.efSearch = value

        return apply

    def nprobe(value: int) -> Callable[[Any], None]:
        def apply(index: Any) -> None:
            index.nprobe = value

        return apply

    ivf_settings = {f"nprobe={n}": nprobe(n) for n in (8, 16, 32)}
    return [
        Candidate(
            "faiss HNSW-Flat",
            "faiss-cpu",
            hnsw_build,
            {f"ef={e}": ef(e) for e in (64, 128, 256)},
            faiss_search,
            hnsw_bytes,
            {"M": 16, "efConstruction": 40},
        ),
        Candidate(
            "faiss IVF-Flat",
            "faiss-cpu",
            ivf("flat"),
            ivf_settings,
            faiss_search,
            ivf_bytes,
            {"nlist": nlist},
        ),
        Candidate(
            "faiss IVF-SQ8", "faiss-cpu", ivf("sq8"), ivf_settings, faiss_search, ivf_bytes, {"nlist": nlist}
        ),
        Candidate(
            "faiss IVF-PQ64",
            "faiss-cpu",
            ivf("pq"),
            ivf_settings,
            faiss_search,
            ivf_bytes,
            {"nlist": nlist, "m": 64, "nbits": 8},
        ),
    ]


def usearch_candidates(dim: int) -> list[Candidate]:
    """usearch HNSW, compared only where it is installed: it is not a Helix dependency (decision 0002)."""
    try:
        from usearch.index import Index
    except ImportError:
        print("  usearch is not installed: its candidates are skipped (pip install usearch to compare)")
        return []

    def build(dtype: str) -> Callable[[np.ndarray], Any]:
        def make(vectors: np.ndarray) -> Any:
            index = Index(ndim=dim, metric="ip", dtype=dtype, connectivity=16, expansion_add=40)
            index.add(np.arange(len(vectors), dtype=np.uint64), vectors, threads=_threads())
            return index

        return make

    def search(index: Any, queries: np.ndarray, k: int) -> np.ndarray:
        threads = _threads() if len(queries) > 1 else 1
        return (
            np.asarray(index.search(queries, k, threads=threads).keys)
            .astype(np.int64)
            .reshape(len(queries), k)
        )

    def ef(value: int) -> Callable[[Any], None]:
        def apply(index: Any) -> None:
            index.expansion_search = value

        return apply

    settings = {f"ef={e}": ef(e) for e in (64, 128, 256)}
    return [
        Candidate(
            f"usearch HNSW {dtype}",
            "usearch",
            build(dtype),
            settings,
            search,
            lambda index: int(index.memory_usage),
            {"connectivity": 16, "expansion_add": 40, "dtype": dtype},
        )
        for dtype in ("f32", "f16", "i8")
    ]


def helix_candidate(dim: int) -> Candidate:
    """Helix's own AnnIndex (faiss HNSW behind the VectorIndex interface), as the product uses it."""

    def build(vectors: np.ndarray) -> Any:
        index = AnnIndex(dim)
        index.add(np.arange(len(vectors), dtype=np.int64), vectors)
        return index

    def ef(value: int) -> Callable[[Any], None]:
        def apply(index: Any) -> None:
            index.ef_search = value

        return apply

    probe = AnnIndex(dim)
    return Candidate(
        "helix AnnIndex (faiss HNSW)",
        "faiss-cpu",
        build,
        {f"ef={e}": ef(e) for e in (64, 128, 256)},
        lambda index, queries, k: index.search(queries, k)[0],
        lambda index: index.nbytes,
        {"m": probe.m, "ef_construction": probe.ef_construction, "ef_search": probe.ef_search},
        latency_setting=f"ef={probe.ef_search}",  # as the product searches
    )


def measure(
    candidate: Candidate,
    offers: np.ndarray,
    needs: np.ndarray,
    truth: np.ndarray,
    exact_s: float,
    sizes: Sizes,
) -> dict[str, Any]:
    gc.collect()
    before = rss_bytes()
    started = time.perf_counter()
    index = candidate.build(offers)
    build_s = time.perf_counter() - started
    figures: dict[str, Any] = {
        "library": candidate.library,
        "params": candidate.params,
        "build_s": round(build_s, 2),
        "rss_increase_mb": round((rss_bytes() - before) / 2**20),
        "index_mb": round(candidate.nbytes(index) / 2**20),
        "settings": {},
    }
    for label, apply in candidate.settings.items():
        apply(index)
        started = time.perf_counter()
        found = candidate.search(index, needs, K)
        seconds = time.perf_counter() - started
        figures["settings"][label] = {
            "all_needs_s": round(seconds, 2),
            "x_exact": round(seconds / exact_s, 3),
            "recall_at_10": round(recall_at_k(found, truth), 4),
        }
    good = [
        (f["all_needs_s"], label)
        for label, f in figures["settings"].items()
        if f["recall_at_10"] >= TARGET_RECALL
    ]
    chosen = candidate.latency_setting or (
        min(good)[1]
        if good
        else max(figures["settings"], key=lambda s: figures["settings"][s]["recall_at_10"])
    )
    candidate.settings[chosen](index)
    figures["chosen_setting"] = chosen
    figures["single_query"] = single_query_ms(
        lambda row: candidate.search(index, row, K), needs[: sizes.latency_queries]
    )
    return figures


def exact_baseline(offers: np.ndarray, needs: np.ndarray, sizes: Sizes) -> tuple[np.ndarray, dict[str, Any]]:
    gc.collect()
    before = rss_bytes()
    index = ExactIndex(offers.shape[1])
    started = time.perf_counter()
    index.add(np.arange(len(offers), dtype=np.int64), offers)
    build_s = time.perf_counter() - started
    rss_mb = (rss_bytes() - before) / 2**20
    started = time.perf_counter()
    truth, scores = index.search(needs, K)
    seconds = time.perf_counter() - started
    figures = {
        "offers": len(offers),
        "needs": len(needs),
        "build_s": round(build_s, 2),
        "rss_increase_mb": round(rss_mb),
        "index_mb": round(index.nbytes / 2**20),
        "all_needs_s": round(seconds, 2),
        "single_query": single_query_ms(lambda row: index.search(row, K), needs[: sizes.latency_queries]),
        "best_offer_cosine_quantiles": [round(float(q), 3) for q in np.quantile(scores[:, 0], QUANTILES)],
        "tenth_offer_cosine_quantiles": [
            round(float(q), 3) for q in np.quantile(scores[:, K - 1], QUANTILES)
        ],
    }
    return truth, figures


def crossover(offers: np.ndarray, needs: np.ndarray, sizes: Sizes) -> dict[str, Any]:
    """Single-query latency of ExactIndex, then of AnnIndex, each grown through the sizes.

    The two are timed in separate passes so that one library's idle worker threads do not slow the other.
    """
    queries = needs[: sizes.latency_queries]
    rows: dict[str, Any] = {str(size): {} for size in sizes.crossover}
    truths = {}
    exact, done = ExactIndex(offers.shape[1]), 0
    for size in sizes.crossover:
        exact.add(np.arange(done, size, dtype=np.int64), offers[done:size])
        done = size
        truths[size] = exact.search(queries, K)[0]
        rows[str(size)]["exact"] = single_query_ms(lambda row: exact.search(row, K), queries)
    ann, done, build_s = AnnIndex(offers.shape[1]), 0, 0.0
    for size in sizes.crossover:
        started = time.perf_counter()
        ann.add(np.arange(done, size, dtype=np.int64), offers[done:size])
        build_s += time.perf_counter() - started
        done = size
        rows[str(size)]["hnsw"] = single_query_ms(lambda row: ann.search(row, K), queries)
        rows[str(size)]["hnsw_recall_at_10"] = round(recall_at_k(ann.search(queries, K)[0], truths[size]), 4)
        rows[str(size)]["hnsw_build_s_cumulative"] = round(build_s, 2)
    faster = [
        size
        for size in sizes.crossover
        if rows[str(size)]["hnsw"]["p50_ms"] < rows[str(size)]["exact"]["p50_ms"]
    ]
    return {
        "sizes": rows,
        "hnsw_params": {"m": ann.m, "ef_construction": ann.ef_construction, "ef_search": ann.ef_search},
        "first_size_hnsw_faster_p50": min(faster) if faster else None,
        "crossover_estimate": _interpolate_crossover(rows),
    }


def _interpolate_crossover(rows: dict[str, Any]) -> int | None:
    """Where exact p50 - hnsw p50 changes sign, interpolated on log(size); None if it never does."""
    points = [(int(size), r["exact"]["p50_ms"] - r["hnsw"]["p50_ms"]) for size, r in rows.items()]
    for (size_a, gap_a), (size_b, gap_b) in itertools.pairwise(points):
        if gap_a <= 0 < gap_b:
            share = -gap_a / (gap_b - gap_a)
            return round(float(np.exp(np.log(size_a) + share * (np.log(size_b) - np.log(size_a)))))
    if points and points[0][1] > 0:
        return points[0][0]  # faster already at the smallest size measured
    return None


# --- running --------------------------------------------------------------------------------------------


def run(quick: bool = False) -> dict[str, Any]:
    sizes = QUICK if quick else FULL
    started = time.perf_counter()
    results: dict[str, Any] = {"sizes": sizes.__dict__, "k": K, "dim": DIM, "threads": _threads()}
    results["load_average_at_start"] = os.getloadavg()
    print(
        f"matching_scale: {sizes.offers:,} offers, {sizes.needs:,} needs, dim {DIM}, top-{K}; "
        f"{sizes.texts:,} real texts embedded; {_threads()} threads",
        flush=True,
    )

    texts = compose_texts(sizes.texts, SEED)
    real, results["encoder"] = embed(texts)
    e = results["encoder"]
    print(
        f"encoder {e['encoder']} {e['version']}: {e['texts']:,} texts (mean {e['mean_words']} words) in "
        f"{e['seconds']:.1f} s = {e['texts_per_s']:,.0f} texts/s (model load {e['load_s']:.1f} s)",
        flush=True,
    )

    perturbation, results["similarity"] = calibrate(real[: sizes.anchors], real[sizes.anchors :])
    offers = perturbation.draw(sizes.offers, SEED + 2)
    needs = perturbation.draw(sizes.needs, SEED + 3)
    del real
    _print_similarity(results["similarity"])

    truth, results["exact"] = exact_baseline(offers, needs, sizes)
    _print_exact(results["exact"])

    results["candidates"] = {}
    screening = min(sizes.screening, sizes.offers)
    if screening < sizes.offers:
        small_truth, small_exact = exact_baseline(offers[:screening], needs, sizes)
        results["exact_screening"] = small_exact
        _print_exact(small_exact)
    else:
        small_truth, small_exact = truth, results["exact"]
    candidates = [helix_candidate(DIM), *faiss_candidates(DIM, screening), *usearch_candidates(DIM)]
    if quick:  # a fast check: one of each family (full runs measure them all)
        keep = {"helix AnnIndex (faiss HNSW)", "faiss IVF-Flat", "faiss IVF-SQ8", "usearch HNSW f16"}
        candidates = [c for c in candidates if c.name in keep]
    round_ = results["candidates"][str(screening)] = {}
    for candidate in candidates:
        round_[candidate.name] = measure(
            candidate, offers[:screening], needs, small_truth, small_exact["all_needs_s"], sizes
        )
        _print_candidate(candidate.name, round_[candidate.name], small_exact)
    if screening < sizes.offers:
        print(f"-- full size: {sizes.offers:,} offers", flush=True)
        round_ = results["candidates"][str(sizes.offers)] = {}
        finalists = [
            helix_candidate(DIM),
            *[c for c in faiss_candidates(DIM, sizes.offers) if c.name == "faiss IVF-Flat"],
        ]
        for candidate in finalists:
            round_[candidate.name] = measure(
                candidate, offers, needs, truth, results["exact"]["all_needs_s"], sizes
            )
            _print_candidate(candidate.name, round_[candidate.name], results["exact"])

    results["crossover"] = crossover(offers, needs, sizes)
    results["ann_threshold_in_code"] = ANN_THRESHOLD
    _print_crossover(results["crossover"])
    results["total_s"] = round(time.perf_counter() - started, 1)
    results["load_average_at_end"] = os.getloadavg()
    print(  # other work on the machine during the run shows here (this run alone keeps it near 2)
        f"load average (1/5/15 min) at start {results['load_average_at_start']}, "
        f"at end {results['load_average_at_end']}"
    )
    return results


def _print_similarity(s: dict[str, Any]) -> None:
    print(f"nearest-neighbour cosine within a set of {s['set_size']:,} (quantiles {s['quantiles']}):")
    print(f"  real embeddings (held out)  {s['real_held_out']}")
    print(
        f"  synthetic, same size        {s['synthetic_same_size']}   (noise scale {s['scale']}, "
        f"largest quantile gap {s['max_quantile_gap']})",
        flush=True,
    )


def _print_exact(e: dict[str, Any]) -> None:
    q = e["single_query"]
    print(
        f"exact (ExactIndex, numpy) {e['offers']:,} offers: top-{K} of {e['needs']:,} needs "
        f"in {e['all_needs_s']:.1f} s; "
        f"single query p50 {q['p50_ms']:.2f} ms, p95 {q['p95_ms']:.2f} ms; {e['index_mb']:,} MB",
        flush=True,
    )
    print(f"  best offer's cosine per need, quantiles: {e['best_offer_cosine_quantiles']}")
    print(f"  10th offer's cosine per need, quantiles: {e['tenth_offer_cosine_quantiles']}", flush=True)


def _print_candidate(name: str, c: dict[str, Any], exact: dict[str, Any]) -> None:
    q = c["single_query"]
    print(
        f"{name:<30} build {c['build_s']:>7.1f} s  RSS +{c['rss_increase_mb']:>6,} MB  "
        f"index {c['index_mb']:>6,} MB  "
        f"single query ({c['chosen_setting']}) p50 {q['p50_ms']:.3f} ms p95 {q['p95_ms']:.3f} ms "
        f"(exact p50 {exact['single_query']['p50_ms']:.2f} ms)"
    )
    for label, s in c["settings"].items():
        print(
            f"  {label:<12} all needs {s['all_needs_s']:>7.2f} s = x{s['x_exact']:.3f} exact   "
            f"recall@10 {s['recall_at_10']:.4f}"
        )
    sys.stdout.flush()


def _print_crossover(c: dict[str, Any]) -> None:
    print("crossover, single query (ms):   size    exact p50/p95     hnsw p50/p95   hnsw recall@10")
    for size, row in c["sizes"].items():
        e, h = row["exact"], row["hnsw"]
        print(
            f"  {int(size):>30,} {e['p50_ms']:>8.3f}/{e['p95_ms']:<8.3f} "
            f"{h['p50_ms']:>7.3f}/{h['p95_ms']:<7.3f} {row['hnsw_recall_at_10']:.4f}"
        )
    first, estimate = c["first_size_hnsw_faster_p50"], c["crossover_estimate"]
    print(
        f"  HNSW faster from the measured size {first} (interpolated crossover {estimate}); "
        f"ANN_THRESHOLD in code: {ANN_THRESHOLD:,}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    print(json.dumps(run(quick=args.quick), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
