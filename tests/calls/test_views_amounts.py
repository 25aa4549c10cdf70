"""Integration: an amount typed the way the reader's language writes it (a decimal comma in Dutch,
French and German, digits grouped by dots, spaces or commas) reaches the form's check as the number the
reader meant (helix.params.typed_decimal, tested in tests/test_params.py)."""

from __future__ import annotations

import pytest


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
