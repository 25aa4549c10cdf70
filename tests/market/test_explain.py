"""Reasons of a match in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from helix.core.matching.fit import Listing, structured_factors
from helix.market.explain import MESSAGES, translated_detail

pytestmark = pytest.mark.unit  # no database: translations of the match reasons

NEED = Listing(
    key=1,
    side="need",
    owner=1,
    owner_kind="government",
    category="solution",
    title="n",
    trl=7,
    locations=((51.0543, 3.7174),),
    keywords=frozenset({"led"}),
    budget_max=100_000.0,
)
OFFER = Listing(
    key=2,
    side="offer",
    owner=2,
    owner_kind="company",
    category="solution",
    title="o",
    trl=5,
    locations=((50.8280, 3.2649),),
    keywords=frozenset({"led"}),
    budget_min=120_000.0,
)


def test_every_coded_reason_has_a_message_and_renders_in_dutch_french_german() -> None:
    factors = {f.name: f for f in structured_factors(NEED, OFFER)}
    with translation.override("en"):
        assert translated_detail(factors["distance"]) == factors["distance"].detail
        assert translated_detail(factors["trl"]) == "TRL 5, 2 below the TRL 7 asked"
    expected = {"nl": "km van elkaar", "fr": "km l’un de l’autre", "de": "km voneinander entfernt"}
    for language, words in expected.items():
        with translation.override(language):
            assert words in translated_detail(factors["distance"])
            kind = translated_detail(factors["kind"])
            assert "%(" not in kind
    with translation.override("nl"):
        budget = translated_detail(factors["budget"])
        assert budget == "prijs vanaf € 120\u202f000 boven het budget van € 100\u202f000"
        assert translated_detail(factors["kind"]).endswith("bedrijf")
    coded = {f.code for f in factors.values()} - {"domain.unknown", "sector.unknown"}
    assert coded <= set(MESSAGES)
