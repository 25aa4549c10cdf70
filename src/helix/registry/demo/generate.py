"""The synthetic ecosystem generator: thousands of plausible organisations, invented and marked as such.

Pure: no Django and no database. :func:`generate_ecosystem` returns plain dataclasses that
``helix.registry.demo.load`` writes in bulk. Everything here is deterministic for a given seed, so a
demo or a benchmark can be rebuilt exactly.

Names come from the person-name lists of Faker's nl_BE, fr_BE, de_LU (Luxembourgish surnames), fr_FR
and de_DE locales (Faker has no fr_LU locale), combined with sector words (``naming``); places are real
Flemish and Luxembourg towns (``vocabulary``, read from ``data/``) with coordinates scattered around their
centre; legal identifiers carry valid check digits (Belgian enterprise numbers) or the valid form
(Luxembourg RCS numbers).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterable, Sequence

from helix.core.registry.identifiers import belgian_enterprise_number
from helix.core.registry.ladder import LADDER, EngagementLevel
from helix.registry.demo.generated import (
    ClusterTarget,
    GeneratedCluster,
    GeneratedDomain,
    GeneratedMembership,
    GeneratedOrganisation,
    GeneratedPerson,
    GeneratedSite,
    LadderChange,
)
from helix.registry.demo.naming import (
    Names,
    ascii_slug,
    describe,
    federation_names,
    government_names,
    locale_for,
    name_pools,
)
from helix.registry.demo.vocabulary import (
    DEMO_CLUSTER_PROFILES,
    JITTER,
    JOB_TITLES,
    KIND_WEIGHTS,
    LEVEL_WEIGHTS,
    LOCAL_GOVERNMENT,
    PLACES,
    PROFILE_DOMAINS,
    PROFILES,
    STREETS_LU,
    STREETS_NL,
    SYNTHETIC_CLUSTERS,
    Place,
    Profile,
)

END_DATE = dt.date(2025, 6, 30)  # fixed, not today, so that a seed always gives the same ecosystem


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
        locale = locale_for(rng, country)
        first_names, last_names = name_pools()[locale]
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
    names = Names(rng, taken_names)
    be_places = [p for p in PLACES if p.country == "BE"]
    lu_places = [p for p in PLACES if p.country == "LU"]
    governments = government_names(PLACES)
    rng.shuffle(governments)
    federations = federation_names(PLACES)
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
