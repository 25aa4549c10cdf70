"""Structured fit between a need and an offer: the factors beside text similarity.

Each factor maps a (need, offer) pair to a value in [0, 1] with a sentence a person can read. A factor
whose data is missing on either side is *neutral* (0.5): a listing without a site is neither near nor
far. The tables below are data, not code, so a cluster can read (and later tune) what they say.

Factors:

- ``domain``: the pair shares a cluster domain (innovator zone, work domain) -> 1, no shared domain -> 0.
- ``sector``: NACE sections of the need's owner (the buyer) against the offer's sectors: a supplier
  section of the buyer's section (table ``SUPPLIER_SECTIONS``) -> 1, the same section -> 0.6, else 0.2.
- ``trl``: the offer's technology readiness against the minimum the need asks: 1 when it reaches it,
  0.25 less for each level short.
- ``distance``: kilometres between the nearest sites of the two owners (great circle, a proxy for road
  distance): 1 / (1 + km / 50), so 50 km gives 0.5.
- ``kind``: who meets whom, by the owners' organisation kinds and the need's category (``KIND_FIT``):
  a city's need is best met by companies, a company's research need by knowledge institutions.
- ``category``: what is asked against what is offered (``CATEGORY_FIT``): a research need by a
  competence, a test need by a test facility.
- ``keywords``: shared technology keywords; two or more count fully.
- ``budget``: the offer's lowest price within the need's budget -> 1; above it, less by the excess.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from helix.core.registry.nace import UnknownNaceCode, nace_entry

Side = Literal["need", "offer"]
Visibility = Literal["public", "members", "staff"]
NEUTRAL = 0.5

NEED_CATEGORIES = ("solution", "research", "partner", "infrastructure")
OFFER_CATEGORIES = ("solution", "competence", "infrastructure", "test_facility")

FACTORS = ("domain", "sector", "trl", "distance", "kind", "category", "keywords", "budget")

# Buyer section -> the NACE sections that typically supply it (NACE Rev. 2.1 letters).
SUPPLIER_SECTIONS: Mapping[str, frozenset[str]] = {
    "P": frozenset("CDFHKNO"),  # public administration buys works, energy, ICT, engineering, services
    "F": frozenset("CDKN"),  # construction: materials, energy, ICT, engineering
    "D": frozenset("CFKN"),  # energy: equipment, works, ICT, engineering
    "C": frozenset("CDEKN"),  # manufacturing: parts, energy, recycling, ICT, R&D
    "E": frozenset("CDKN"),  # water and waste
    "H": frozenset("CDGKN"),  # transport and storage: vehicles, energy, trade, ICT, engineering
    "M": frozenset("CDFKN"),  # real estate: works, energy, ICT, engineering
    "R": frozenset("CKN"),  # health: devices, ICT, research
    "Q": frozenset("KN"),  # education
    "G": frozenset("CHK"),  # trade: goods, logistics, ICT
    "K": frozenset("CKN"),  # ICT
    "N": frozenset("CKN"),  # professional and scientific activities
    "A": frozenset("CDKN"),  # agriculture and forestry
}

# (need owner's kind, need category) -> offer owner's kind -> fit. Unlisted combinations: NEUTRAL.
KIND_FIT: Mapping[tuple[str, str], Mapping[str, float]] = {
    ("government", "solution"): {"company": 1.0, "knowledge_institution": 0.5, "government": 0.3},
    ("government", "research"): {"knowledge_institution": 1.0, "company": 0.7, "government": 0.3},
    ("government", "partner"): {"company": 0.9, "knowledge_institution": 0.8, "government": 0.8},
    ("government", "infrastructure"): {"company": 0.9, "knowledge_institution": 0.7, "government": 0.5},
    ("company", "solution"): {"company": 1.0, "knowledge_institution": 0.6, "government": 0.2},
    ("company", "research"): {"knowledge_institution": 1.0, "company": 0.6, "government": 0.2},
    ("company", "partner"): {"company": 0.9, "knowledge_institution": 0.9, "government": 0.6},
    ("company", "infrastructure"): {"knowledge_institution": 1.0, "company": 0.8, "government": 0.4},
    ("knowledge_institution", "solution"): {"company": 1.0, "knowledge_institution": 0.6},
    ("knowledge_institution", "research"): {"knowledge_institution": 0.9, "company": 0.8},
    ("knowledge_institution", "partner"): {"company": 1.0, "knowledge_institution": 0.8, "government": 0.7},
    ("knowledge_institution", "infrastructure"): {"knowledge_institution": 0.9, "company": 0.8},
}

# need category -> offer category -> fit.
CATEGORY_FIT: Mapping[str, Mapping[str, float]] = {
    "solution": {"solution": 1.0, "competence": 0.6, "infrastructure": 0.3, "test_facility": 0.3},
    "research": {"competence": 1.0, "test_facility": 0.7, "solution": 0.5, "infrastructure": 0.5},
    "partner": {"competence": 1.0, "solution": 0.8, "infrastructure": 0.5, "test_facility": 0.5},
    "infrastructure": {"infrastructure": 1.0, "test_facility": 1.0, "competence": 0.4, "solution": 0.4},
}

KIND_LABELS = {
    "company": "company",
    "knowledge_institution": "knowledge institution",
    "government": "government body",
    "federation": "federation",
    "cluster_organisation": "cluster organisation",
}


@dataclass(frozen=True)
class Listing:
    """A need or an offer as the matcher sees it: plain data, no database."""

    key: int
    side: Side
    owner: int
    owner_kind: str
    category: str
    title: str
    description: str = ""
    language: str = "en"
    domains: frozenset[int] = frozenset()
    sectors: frozenset[str] = frozenset()  # NACE codes: the listing's own, else its owner's
    owner_sectors: frozenset[str] = frozenset()
    keywords: frozenset[str] = frozenset()  # lower case
    trl: int | None = None  # offer: its readiness; need: the minimum readiness it asks
    locations: tuple[tuple[float, float], ...] = ()  # (latitude, longitude) of the owner's relevant sites
    budget_min: float | None = None  # need: its budget range; offer: its price range (EUR)
    budget_max: float | None = None
    visibility: Visibility = "public"
    clusters: frozenset[int] = frozenset()  # the owner's clusters: audience of a members/staff listing
    owner_name: str = ""
    domain_names: Mapping[int, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def text(self) -> str:
        return f"{self.title}. {self.description}".strip() if self.description else self.title


@dataclass(frozen=True)
class Viewer:
    """Who is looking: their organisation and the clusters they are a member or staff of."""

    organisation: int | None = None
    member_of: frozenset[int] = frozenset()
    staff_of: frozenset[int] = frozenset()
    is_superuser: bool = False


ANONYMOUS = Viewer()


def can_see(listing: Listing, viewer: Viewer) -> bool:
    """Whether ``viewer`` may see ``listing`` by its visibility (status is the caller's concern)."""
    if viewer.is_superuser or (viewer.organisation is not None and viewer.organisation == listing.owner):
        return True
    if listing.visibility == "public":
        return True
    if listing.visibility == "members":
        return bool(listing.clusters & (viewer.member_of | viewer.staff_of))
    return bool(listing.clusters & viewer.staff_of)


@dataclass(frozen=True)
class Factor:
    """One factor's value with its reason: ``detail`` in English, and ``code`` with ``args`` so a page
    can say the same in its own language."""

    name: str
    value: float
    detail: str
    code: str = ""
    args: tuple[tuple[str, str], ...] = ()

    @property
    def arguments(self) -> dict[str, str]:
        return dict(self.args)


def _f(name: str, value: float, detail: str, code: str, **args: object) -> Factor:
    return Factor(name, value, detail, f"{name}.{code}", tuple((k, str(v)) for k, v in args.items()))


def _section(code: str) -> str | None:
    try:
        return nace_entry(code).section
    except UnknownNaceCode:
        return None


@lru_cache(maxsize=4096)
def _sections(codes: frozenset[str]) -> frozenset[str]:
    return frozenset(s for s in (_section(c) for c in codes) if s)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def nearest_km(left: Iterable[tuple[float, float]], right: Iterable[tuple[float, float]]) -> float | None:
    right = list(right)
    distances = [haversine_km(a, b) for a in left for b in right]
    return min(distances) if distances else None


def _domain(need: Listing, offer: Listing) -> Factor:
    if not need.domains or not offer.domains:
        return _f("domain", NEUTRAL, "no domain on one side", "unknown")
    shared = need.domains & offer.domains
    if shared:
        names = sorted(need.domain_names.get(d) or offer.domain_names.get(d) or str(d) for d in shared)
        return _f("domain", 1.0, "same domain: " + ", ".join(names), "shared", names=", ".join(names))
    return _f("domain", 0.0, "different domains", "different")


def _sector(need: Listing, offer: Listing) -> Factor:
    buyer = _sections(need.owner_sectors or need.sectors)
    seller = _sections(offer.sectors or offer.owner_sectors)
    if not buyer or not seller:
        return _f("sector", NEUTRAL, "sector unknown on one side", "unknown")
    supplying = sorted(s for s in seller if any(s in SUPPLIER_SECTIONS.get(b, ()) for b in buyer))
    if supplying:
        seller_text, buyer_text = "/".join(supplying), "/".join(sorted(buyer))
        detail = f"NACE {seller_text} supplies {buyer_text}"
        return _f("sector", 1.0, detail, "supplies", seller=seller_text, buyer=buyer_text)
    if buyer & seller:
        same = "/".join(sorted(buyer & seller))
        return _f("sector", 0.6, f"same NACE section {same}", "same", sections=same)
    return _f("sector", 0.2, "sectors do not usually trade", "far")


def _trl(need: Listing, offer: Listing) -> Factor:
    if need.trl is None or offer.trl is None:
        return _f("trl", NEUTRAL, "readiness not given on one side", "unknown")
    if offer.trl >= need.trl:
        return _f(
            "trl",
            1.0,
            f"TRL {offer.trl} meets the TRL {need.trl} asked",
            "meets",
            offer=offer.trl,
            asked=need.trl,
        )
    short = need.trl - offer.trl
    detail = f"TRL {offer.trl}, {short} below the TRL {need.trl} asked"
    value = max(0.0, 1.0 - 0.25 * short)
    return _f("trl", value, detail, "short", offer=offer.trl, short=short, asked=need.trl)


def _distance(need: Listing, offer: Listing) -> Factor:
    km = nearest_km(need.locations, offer.locations)
    if km is None:
        return _f("distance", NEUTRAL, "no site on one side", "unknown")
    return _f("distance", 1.0 / (1.0 + km / 50.0), f"{km:.0f} km apart", "km", km=f"{km:.0f}")


def _kind(need: Listing, offer: Listing) -> Factor:
    table = KIND_FIT.get((need.owner_kind, need.category))
    if table is None or offer.owner_kind not in table:
        detail = f"{KIND_LABELS.get(offer.owner_kind, offer.owner_kind)} offer"
        return _f("kind", NEUTRAL, detail, "other", offer_kind=offer.owner_kind)
    value = table[offer.owner_kind]
    who = KIND_LABELS.get(need.owner_kind, need.owner_kind)
    detail = f"a {who}'s {need.category} need met by a {KIND_LABELS.get(offer.owner_kind, offer.owner_kind)}"
    return _f(
        "kind",
        value,
        detail,
        "fit",
        need_kind=need.owner_kind,
        category=need.category,
        offer_kind=offer.owner_kind,
    )


def _category(need: Listing, offer: Listing) -> Factor:
    value = CATEGORY_FIT.get(need.category, {}).get(offer.category)
    if value is None:
        return _f("category", NEUTRAL, "categories not compared", "unknown")
    detail = f"{need.category} asked, {offer.category.replace('_', ' ')} offered"
    return _f("category", value, detail, "fit", asked=need.category, offered=offer.category)


def _keywords(need: Listing, offer: Listing) -> Factor:
    if not need.keywords or not offer.keywords:
        return _f("keywords", NEUTRAL, "no keywords on one side", "unknown")
    shared = sorted(need.keywords & offer.keywords)
    if not shared:
        return _f("keywords", 0.0, "no shared keyword", "none")
    words = ", ".join(shared)
    return _f("keywords", min(1.0, len(shared) / 2), "shared keywords: " + words, "shared", words=words)


def _budget(need: Listing, offer: Listing) -> Factor:
    ceiling = need.budget_max
    price = offer.budget_min
    if ceiling is None or price is None:
        return _f("budget", NEUTRAL, "budget or price not given", "unknown")
    if price <= ceiling:
        detail = f"price from €{price:,.0f} within the budget of €{ceiling:,.0f}"
        return _f("budget", 1.0, detail, "within", price=f"{price:.0f}", budget=f"{ceiling:.0f}")
    excess = (price - ceiling) / ceiling if ceiling > 0 else 1.0
    detail = f"price from €{price:,.0f} above the budget of €{ceiling:,.0f}"
    return _f(
        "budget", max(0.0, 1.0 - excess), detail, "above", price=f"{price:.0f}", budget=f"{ceiling:.0f}"
    )


_RULES = (_domain, _sector, _trl, _distance, _kind, _category, _keywords, _budget)


def structured_factors(need: Listing, offer: Listing) -> tuple[Factor, ...]:
    """Every structured factor of the pair, in ``FACTORS`` order."""
    if need.side != "need" or offer.side != "offer":
        raise ValueError(
            f"expected a need and an offer, got {need.side} {need.key} and {offer.side} {offer.key}"
        )
    return tuple(rule(need, offer) for rule in _RULES)
