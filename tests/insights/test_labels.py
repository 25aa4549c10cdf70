"""The indicators' labels and definitions written out for gettext (helix.insights.labels) say in English
what the core declares, for every indicator, criterion, unit and area; and Dutch, French and German have
each of them."""

from __future__ import annotations

import pytest
from django.utils import translation

from helix.core.insights import INDICATORS, Area, Label, Standing, Unit
from helix.insights import labels

pytestmark = pytest.mark.integration


def test_the_english_texts_are_the_cores():
    with translation.override("en"):
        for ind in INDICATORS:
            assert labels.label(ind) == ind.label
            assert labels.definition(ind) == ind.definition
            for criterion in ind.criteria:
                assert str(labels.CRITERIA[criterion.text]) == criterion.text
    assert set(labels.UNITS) == set(Unit)
    assert set(labels.AREAS) == set(Area)
    assert set(labels.LABELS) == set(Label)
    assert set(labels.STANDINGS) == set(Standing)


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_indicator_is_translated(language):
    with translation.override(language):
        untranslated = [
            ind.code
            for ind in INDICATORS
            if labels.label(ind) == ind.label and ind.code != "roadmap_coverage"
        ]
        assert untranslated == []
        assert all(labels.definition(ind) != ind.definition for ind in INDICATORS)
