"""Unit and integration: an amount typed the way the reader's language writes it (a decimal comma in
Dutch, French and German, digits grouped by dots, spaces or commas) reaches the form's check as the
number the reader meant (helix.calls.views.answers.typed_number)."""

from __future__ import annotations

import pytest

from helix.calls.views.answers import typed_number


@pytest.mark.unit
@pytest.mark.parametrize(
    ("typed", "mark", "read"),
    [
        ("12500,50", ",", "12500.50"),  # fr/nl/de decimal comma
        ("12.500,50", ",", "12500.50"),  # de/nl grouping dots
        ("12 500,50", ",", "12500.50"),  # fr grouping space
        ("12\u202f500", ",", "12500"),  # fr narrow no-break space
        ("12.500", ",", "12500"),  # grouped by three in a comma-decimal language
        ("12500.50", ",", "12500.50"),  # a point that groups nothing is a decimal point anywhere
        ("1,250.50", ".", "1250.50"),  # en
        ("12,500", ".", "12500"),  # en grouping comma
        ("12500,5", ".", "12500.5"),  # a comma that groups nothing is a decimal comma anywhere
        ("-3,5", ",", "-3.5"),
        ("150000", ".", "150000"),
        ("twelve", ",", "twelve"),  # no number: as typed, for the form to say so
        ("1,2,3", ",", "1,2,3"),
    ],
)
def test_an_amount_is_read_as_the_reader_meant_it(typed, mark, read):  # type: ignore[no-untyped-def]
    assert typed_number(typed, mark) == read


@pytest.mark.integration
@pytest.mark.parametrize(
    ("language", "typed"), [("fr", "150 000,50"), ("de", "150.000,50"), ("en", "150,000.50")]
)
def test_a_posted_amount_is_read_in_the_readers_language(language, typed):  # type: ignore[no-untyped-def]
    from django.http import QueryDict
    from django.utils import translation

    from helix.calls.views.answers import posted_changes
    from helix.core.calls.definition import seed_calls

    stage = seed_calls()["factory-of-the-future-precluster"].stages[0]
    data = QueryDict(mutable=True)
    data["requested"] = typed
    with translation.override(language):
        assert posted_changes(stage, data)["requested"] == "150000.50"
