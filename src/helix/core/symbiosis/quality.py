"""The quality attributes a flow states, as the compatibility rules read them.

A have states what its resource *is* (``moisture_pct``: 12); a want states the *limit* it accepts
(``moisture_pct_max``: 15), and :func:`helix.core.symbiosis.flows.quality_problems` refuses a pair where
the have breaks a limit or does not state the attribute. The catalogue below names the attributes
forms offer, with their unit, range and which limit a want states; flows may carry others (imported or
from the API), read by the same rule.

The physical form (solid, powder, sludge, liquid, gas) is a word, not a number: a have states its
form, a want the one form it can take; a want that names a form refuses a have of another form or of
none stated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Limit(StrEnum):
    MAX = "max"  # the want accepts at most this
    MIN = "min"  # the want needs at least this


@dataclass(frozen=True)
class QualityAttribute:
    name: str  # the key a have stores; a want stores name + "_max" or "_min"
    label: str  # English; pages translate it
    unit: str
    low: float
    high: float
    limit: Limit

    @property
    def want_key(self) -> str:
        return f"{self.name}_{self.limit.value}"


QUALITY_ATTRIBUTES: tuple[QualityAttribute, ...] = (
    QualityAttribute("moisture_pct", "moisture", "%", 0.0, 100.0, Limit.MAX),
    QualityAttribute("purity_pct", "purity", "%", 0.0, 100.0, Limit.MIN),
    QualityAttribute("contamination_pct", "contamination (impurities)", "%", 0.0, 100.0, Limit.MAX),
    QualityAttribute("temperature_c", "temperature", "°C", -273.15, 2000.0, Limit.MIN),
)
BY_NAME: Mapping[str, QualityAttribute] = {a.name: a for a in QUALITY_ATTRIBUTES}


class PhysicalForm(StrEnum):
    SOLID = "solid"  # lumps, pieces, bulk
    GRANULAR = "granular"  # powder, granules, chips
    SLUDGE = "sludge"  # sludge, paste, slurry
    LIQUID = "liquid"
    GAS = "gas"


def attribute_of(key: str) -> tuple[QualityAttribute | None, str, str]:
    """(the catalogue attribute or None, the attribute's name, "max", "min" or "") of a stored key."""
    for suffix in ("_max", "_min"):
        if key.endswith(suffix):
            name = key[: -len(suffix)]
            return BY_NAME.get(name), name, suffix[1:]
    return BY_NAME.get(key), key, ""


def out_of_range(key: str, value: float) -> QualityAttribute | None:
    """The catalogue attribute whose range ``value`` leaves, or None (within range, or not catalogued)."""
    attribute, _name, _limit = attribute_of(key)
    if attribute is not None and not attribute.low <= value <= attribute.high:
        return attribute
    return None


__all__ = [
    "BY_NAME",
    "QUALITY_ATTRIBUTES",
    "Limit",
    "PhysicalForm",
    "QualityAttribute",
    "attribute_of",
    "out_of_range",
]
