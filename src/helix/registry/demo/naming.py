"""Names and texts for the synthetic ecosystem generator (``generate``): organisation names drawn from
Faker's person-name lists and the words of ``vocabulary``, kept unique within one ecosystem; names of
local governments and federations; templated descriptions in English, Dutch, French and German.

Pure: no Django and no database. Every draw comes from the ``random.Random`` the generator passes in, so
the same seed gives the same names.
"""

from __future__ import annotations

import importlib
import random
import re
from collections.abc import Iterable, Sequence
from functools import cache

from unidecode import unidecode

from helix.registry.demo.vocabulary import (
    AREAS_BE,
    AREAS_LU,
    CODENAME_HEADS,
    CODENAME_TAILS,
    ENGLISH_WORDS,
    FORMS_BE,
    FORMS_LU,
    PROFILES,
    PROVINCES,
    Place,
    Profile,
)

# --- names ----------------------------------------------------------------------------------------


def _faker_names(module: str, attribute: str) -> tuple[str, ...]:
    values = getattr(importlib.import_module(f"faker.providers.person.{module}").Provider, attribute)
    return tuple(dict.fromkeys(values))  # weighted dicts and tuples alike, duplicates dropped


@cache
def name_pools() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
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


def locale_for(rng: random.Random, country: str) -> str:
    if country == "LU":
        return "de_LU" if rng.random() < 0.7 else "de_DE"
    return "nl_BE" if rng.random() < 0.85 else "fr_BE"


class Names:
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
        return self.rng.choice(name_pools()[locale_for(self.rng, country)][1])

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


def government_names(places: Sequence[Place]) -> list[tuple[str, str, Place]]:
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


def federation_names(places: Sequence[Place]) -> list[tuple[str, Profile, Place]]:
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
