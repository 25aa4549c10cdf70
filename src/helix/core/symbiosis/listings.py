"""Needs and offers of the market that are resource flows, read as symbiosis reads flows.

A city posts "Restwarmte gezocht voor ons warmtenet" under Needs & offers, not as a resource flow: the
market is where it looks. :func:`read_listing` says whether a listing's words describe a resource that
symbiosis matches (residual heat, waste or by-products, process or waste water, captured CO2), in
Dutch, French, German or English, and reads the figures it states (a temperature, a power, an energy
or a mass per period). The listing then becomes a *provisional* flow: matched like any other, with the
figures it lacks to be confirmed by its owner.

The words are resource words ("residual heat", "Abwärme", "chaleur fatale", "by-product"), never the
technology around them: an offer that sells heat pumps or a study is not a flow of heat.
A need for research, and an offer of a solution or of competence, are never read as flows: the
market's categories say that they seek or sell knowledge, products and services.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .flows import Direction, FlowKind

# Resource words by kind; matched on accent-free, lower-case text, at the start of a word.
RESOURCE_WORDS: dict[FlowKind, tuple[str, ...]] = {
    FlowKind.HEAT: (
        # English
        "waste heat",
        "residual heat",
        "excess heat",
        "surplus heat",
        "heat supply",
        "heat source",
        # Dutch
        "restwarmte",
        "afvalwarmte",
        "overtollige warmte",
        "warmteoverschot",
        "warmtebron",
        "warmtelevering",
        # French
        "chaleur fatale",
        "chaleur residuelle",
        "chaleur perdue",
        "source de chaleur",
        "fourniture de chaleur",
        # German
        "abwarme",
        "restwarme",
        "warmequelle",
        "warmelieferung",
    ),
    FlowKind.MATERIAL: (
        "by-product",
        "by-products",
        "byproduct",
        "residual stream",
        "waste stream",
        "secondary raw material",
        "bijproduct",
        "bijproducten",
        "reststroom",
        "reststromen",
        "reststof",
        "reststoffen",
        "afvalstroom",
        "afvalstromen",
        "secundaire grondstof",
        "secundaire grondstoffen",
        "sous-produit",
        "sous-produits",
        "dechets industriels",
        "matiere premiere secondaire",
        "nebenprodukt",
        "nebenprodukte",
        "reststoffstrom",
        "sekundarrohstoff",
        "sekundarrohstoffe",
    ),
    FlowKind.WATER: (
        "process water",
        "cooling water",
        "waste water",
        "wastewater",
        "proceswater",
        "koelwater",
        "afvalwater",
        "eau de process",
        "eaux usees",
        "eau de refroidissement",
        "prozesswasser",
        "kuhlwasser",
        "abwasser",
    ),
    FlowKind.CO2: (
        "captured co2",
        "co2 stream",
        "co2 source",
        "biogenic co2",
        "afgevangen co2",
        "co2-stroom",
        "co2-bron",
        "co2 capte",
        "flux de co2",
        "abgeschiedenes co2",
        "co2-quelle",
    ),
}

# Words of a technology, a service or a study: with them, an offer sells the means, not the resource,
# unless it states a figure of the resource itself. (A need may mention them as context: "a
# feasibility study is planned"; what it seeks is still the resource its words name.)
TECHNOLOGY_WORDS = (
    "heat pump",
    "warmtepomp",
    "pompe a chaleur",
    "warmepumpe",
    "software",
    "consultancy",
    "consulting",
    "advies",
    "feasibility study",
    "haalbaarheidsstudie",
    "etude de faisabilite",
    "machbarkeitsstudie",
    "training",
    "opleiding",
    "formation",
    "schulung",
)

# Categories whose listings are never resource flows, by side (the market's own categories): a need for
# research; an offer of a solution (a product or a service: heat networks built, heat pumps sold) or of
# competence. A company offering its residual heat or a by-product posts it as infrastructure.
NOT_A_RESOURCE: dict[str, frozenset[str]] = {
    "need": frozenset({"research"}),
    "offer": frozenset({"solution", "competence", "research", "partner"}),
}

_NUMBER = r"(\d{1,3}(?:[.,\s]\d{3})+|\d+(?:[.,]\d+)?)"
_TEMPERATURE = re.compile(_NUMBER + r"\s*°\s*c\b")
_POWER = re.compile(_NUMBER + r"\s*(mw|kw)(?![a-z])")
_ENERGY = re.compile(_NUMBER + r"\s*(twh|gwh|mwh|kwh|tj|gj)\b")
_MASS = re.compile(_NUMBER + r"\s*(kt|ton|tons|tonnes|tonnen|t)\b")
_VOLUME = re.compile(_NUMBER + r"\s*(m3|m³|kubieke meter)")
_PER_MONTH = re.compile(r"(per|/|a|par|pro)\s*(month|maand|mois|monat)\b|monthly|maandelijks|mensuel")
_UNITS = {"twh": "GWh", "gwh": "GWh", "mwh": "MWh", "kwh": "kWh", "tj": "TJ", "gj": "GJ"}
_MASS_UNITS = {"kt": "kt", "ton": "t", "tons": "t", "tonnes": "t", "tonnen": "t", "t": "t"}


@dataclass(frozen=True)
class ListingResource:
    """What a listing says as a flow: its kind and direction, and the figures it states (None: not)."""

    kind: FlowKind
    direction: Direction
    supply_temperature_c: float | None = None
    power_mw: float | None = None
    quantity: float | None = None
    unit: str = ""
    period: str = "year"


def plain(text: str) -> str:
    """Lower case without accents ("Abwärme" -> "abwarme"), spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", stripped)


def _has(text: str, phrase: str) -> bool:
    """``phrase`` starts a word of ``text`` (compounds: "restwarmtenet", "Abwärmenutzung")."""
    return re.search(r"(?<![a-z0-9])" + re.escape(phrase), text) is not None


def number(text: str) -> float:
    """A number as listings write it: "12.000" and "12,000" are twelve thousand, "1,5" is one and a half."""
    text = text.replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        return float(re.sub(r"[.,]", "", text))
    return float(text.replace(",", "."))


def resource_kind(text: str, category: str = "", side: str = "need") -> FlowKind | None:
    """The kind of resource the words describe, or None (no resource words, a technology or a study
    without a figure of the resource, or a category that is never a resource on that side)."""
    if category in NOT_A_RESOURCE.get(side, frozenset()):
        return None
    words = plain(text)
    found = [kind for kind, phrases in RESOURCE_WORDS.items() if any(_has(words, p) for p in phrases)]
    if not found:
        return None
    kind = found[0]  # heat before material before water before CO2: the first words are the most specific
    if (
        side == "offer"
        and any(_has(words, p) for p in TECHNOLOGY_WORDS)
        and not _states_a_figure(words, kind)
    ):
        return None  # sells the means (heat pumps, software, studies), not the resource
    return kind


def _states_a_figure(words: str, kind: FlowKind) -> bool:
    if kind is FlowKind.HEAT:
        return bool(_TEMPERATURE.search(words) or _POWER.search(words) or _ENERGY.search(words))
    return bool(_MASS.search(words) or _VOLUME.search(words))


def read_listing(side: str, category: str, title: str, description: str) -> ListingResource | None:
    """A need (``side`` "need") or an offer ("offer") as a resource flow, with the figures it states;
    None where it is not one."""
    text = f"{title}. {description}"
    kind = resource_kind(text, category, side)
    if kind is None:
        return None
    direction = Direction.WANT if side == "need" else Direction.HAVE
    words = plain(text)
    period = "month" if _PER_MONTH.search(words) else "year"
    if kind is FlowKind.HEAT:
        temperature = _TEMPERATURE.search(words)
        power = _POWER.search(words)
        energy = _ENERGY.search(words)
        power_mw = None
        if power:
            power_mw = number(power.group(1)) * (0.001 if power.group(2) == "kw" else 1.0)
        quantity, unit = None, ""
        if energy:
            quantity = number(energy.group(1)) * (1000.0 if energy.group(2) == "twh" else 1.0)
            unit = _UNITS[energy.group(2)]
        return ListingResource(
            kind,
            direction,
            supply_temperature_c=number(temperature.group(1)) if temperature else None,
            power_mw=power_mw,
            quantity=quantity,
            unit=unit,
            period=period,
        )
    mass = _MASS.search(words)
    volume = _VOLUME.search(words)
    if kind is FlowKind.WATER and volume:
        return ListingResource(kind, direction, quantity=number(volume.group(1)), unit="m3", period=period)
    if mass and kind is not FlowKind.WATER:
        unit = _MASS_UNITS[mass.group(2)]
        return ListingResource(kind, direction, quantity=number(mass.group(1)), unit=unit, period=period)
    return ListingResource(kind, direction)


__all__ = ["ListingResource", "number", "plain", "read_listing", "resource_kind"]
