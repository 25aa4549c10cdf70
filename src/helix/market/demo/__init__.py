"""Needs and offers of the demo ecosystem, read from ``data/``, and the loader that writes them through the
market services.

Every listing here is invented (``is_sample=True``): the source documents in /work/shared/seeds/ say what
cities and clusters work on (the four Smart Energy Cities work domains in ``helix.registry.demo.seeds``,
the waste heat workshop and the company needs of the Luxembourg clusters, the innovator zones of Flux50)
but list no concrete needs or offers. Real organisations appear as owners
of plausible, made-up listings; the figures, prices and places in the texts are invented too.

Each listing is written in the language its owner would use: Flemish cities and companies in Dutch,
Luxembourg companies in French or German, research institutes and international firms often in English.
Every published need has an offer written in another language that genuinely answers it
(``INTENDED_MATCHES``, from ``data/intended_matches.csv``); a few offers are near-misses (same words,
other problem: indoor lighting for a street lighting need, wood pellets for a heat pump need), so the
demo shows what matching gets right and where people still judge.

``load_demo_listings`` is called by ``helix demo load`` after the registry demo is loaded. It finds each
listing by (organisation, title), saves new or changed ones through ``services.save_listing`` (language,
search text, indexing) and stores every vector at once, so the demo needs no worker to match.

The files: ``data/listings.csv``, one row per need or offer (a ``ListingSeed``; ``domains`` holds
``cluster/domain`` pairs separated by ``;``), needs first: the five Smart Energy Cities cities (what they
asked for in phase 1, seed 003, made concrete), Flemish companies (Flux50), Luxembourg companies (seed 002:
company needs, the waste heat workshop of March 2024) and one unpublished need of the member user
(Enervalis); then the offers, the near-misses and one expired offer the member user can renew.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from helix.core.registry.nace import normalise_nace
from helix.market import services
from helix.market.models import LISTING_LIFETIME_DAYS, Listing, Side, Status, Visibility
from helix.registry.demo.records import read_csv
from helix.registry.demo.seeds import DEMO
from helix.registry.models import Domain, Organisation, Sector, Site

# --- the shape of the data --------------------------------------------------------------------------


@dataclass(frozen=True)
class ListingSeed:
    key: str  # a handle for INTENDED_MATCHES; not stored
    organisation: str  # organisation slug in helix.registry.demo.seeds
    side: str  # a helix.market.models.Side value
    category: str  # a helix.market.models.Category value
    language: str  # the language it is written in; Helix detects it (the tests check they agree)
    title: str
    description: str
    domains: tuple[tuple[str, str], ...] = ()  # (cluster slug, domain slug)
    sectors: tuple[str, ...] = ()  # NACE Rev. 2.1 codes
    keywords: tuple[str, ...] = ()
    trl: int | None = None
    budget_min: int | None = None  # need: budget; offer: price (EUR)
    budget_max: int | None = None
    deadline_in: int | None = None  # days after loading
    published_ago: int = 14  # days before loading
    expires_in: int | None = None  # days after loading; default: LISTING_LIFETIME_DAYS after publication
    visibility: str = Visibility.PUBLIC
    status: str = Status.PUBLISHED


@dataclass(frozen=True)
class IntendedMatch:
    """A published need and the offer written to answer it (in another language)."""

    need: str  # ListingSeed.key
    offer: str  # ListingSeed.key


NEED, OFFER = Side.NEED.value, Side.OFFER.value

DATA_DIR = Path(__file__).parent / "data"
DEMO_LISTINGS: tuple[ListingSeed, ...] = read_csv(DATA_DIR / "listings.csv", ListingSeed)

# For each published need, the offer written to answer it (in another language). The test of the demo
# checks that matching with the multilingual model puts it among the top three suggestions.
INTENDED_MATCHES: dict[str, str] = {
    m.need: m.offer for m in read_csv(DATA_DIR / "intended_matches.csv", IntendedMatch)
}


def listing_seed(key: str) -> ListingSeed:
    for seed in DEMO_LISTINGS:
        if seed.key == key:
            return seed
    raise KeyError(key)


# --- loading ----------------------------------------------------------------------------------------

# What a seed sets on a listing and a later load restores; dates are set once, when it is created.
_FIELDS = ("side", "category", "description", "trl", "budget_min", "budget_max", "visibility", "status")


# The name of each demo organisation's site: a listing is placed at its owner's demo site.
_SITE_NAMES = {o.slug: o.site.name for o in DEMO.organisations if o.site}


def _dates(seed: ListingSeed, today: dt.date) -> dict[str, Any]:
    published_on = today - dt.timedelta(days=seed.published_ago)
    if seed.expires_in is not None:
        expires_on = today + dt.timedelta(days=seed.expires_in)
    else:
        expires_on = published_on + dt.timedelta(days=LISTING_LIFETIME_DAYS)
    return {
        "published_on": published_on if seed.status == Status.PUBLISHED else None,
        "expires_on": expires_on,
        "deadline": today + dt.timedelta(days=seed.deadline_in) if seed.deadline_in is not None else None,
    }


def _unchanged(
    listing: Listing, seed: ListingSeed, site: Site | None, domains: set[int], sectors: set[str]
) -> bool:
    return (
        all(getattr(listing, name) == getattr(seed, name) for name in _FIELDS)
        and listing.site_id == (site.pk if site else None)
        and listing.is_sample
        and {d.pk for d in listing.domains.all()} == domains
        and {s.code for s in listing.sectors.all()} == sectors
        and {k.name for k in listing.keywords.all()} == {k.lower() for k in seed.keywords}
    )


@transaction.atomic
def load_demo_listings(
    listings: Sequence[ListingSeed] = DEMO_LISTINGS, *, today: dt.date | None = None
) -> dict[str, int]:
    """Create or update the demo needs and offers and store their vectors; returns counts.

    Listings are found by (organisation, title): loading twice creates nothing new and saves nothing
    unchanged. The registry demo must be loaded first (``helix.demo.load_demo`` calls this after it).
    """
    from helix.market.engine import reindex

    today = today or timezone.localdate()
    organisations = Organisation.objects.in_bulk({s.organisation for s in listings}, field_name="slug")
    missing = sorted({s.organisation for s in listings} - organisations.keys())
    if missing:
        raise LookupError(f"organisations not loaded (run `helix demo load`): {', '.join(missing)}")
    sites = {
        (site.organisation_id, site.name): site
        for site in Site.objects.filter(organisation__in=organisations.values())
    }
    domains = {
        (d.cluster.slug, d.slug): d
        for d in Domain.objects.select_related("cluster").filter(
            cluster__slug__in={c for s in listings for c, _ in s.domains}
        )
    }
    codes = {normalise_nace(c) for s in listings for c in s.sectors}
    sectors = {s.code: s for s in Sector.objects.filter(code__in=codes)}
    existing = {
        (x.organisation_id, x.title): x
        for x in Listing.objects.filter(
            organisation__in=organisations.values(), title__in={s.title for s in listings}
        ).prefetch_related("domains", "sectors", "keywords")
    }

    created = updated = 0
    for seed in listings:
        organisation = organisations[seed.organisation]
        site = sites.get((organisation.pk, _SITE_NAMES.get(seed.organisation, "")))
        wanted_domains = [domains[d] for d in seed.domains]
        wanted_sectors = [sectors[normalise_nace(c)] for c in seed.sectors]
        listing = existing.get((organisation.pk, seed.title))
        if listing is None:
            listing = Listing(organisation=organisation, title=seed.title, **_dates(seed, today))
            created += 1
        elif _unchanged(
            listing, seed, site, {d.pk for d in wanted_domains}, {s.code for s in wanted_sectors}
        ):
            continue
        else:
            updated += 1
        for name in _FIELDS:
            setattr(listing, name, getattr(seed, name))
        listing.site = site
        listing.is_sample = True
        services.save_listing(listing, domains=wanted_domains, sectors=wanted_sectors, keywords=seed.keywords)

    embedded = reindex()["embedded"]
    return {
        "needs": sum(1 for s in listings if s.side == NEED),
        "offers": sum(1 for s in listings if s.side == OFFER),
        "created": created,
        "updated": updated,
        "embedded": embedded,
    }
