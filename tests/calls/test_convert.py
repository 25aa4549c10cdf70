"""Integration: a call's definition as the core reads it (helix.calls.convert.definition) follows the row:
an edit of the definition is read anew though the call's revision did not change, and a call whose row
id comes back after a delete is not read as the call deleted."""

from __future__ import annotations

import pytest

from helix.calls import convert
from helix.calls.models import Call
from tests.factories.calls import CallFactory, seed_definition

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_an_edited_definition_is_read_anew_though_the_revision_stays():
    call = CallFactory(key="fotf-2027")
    assert convert.definition(call).stages[0].label["en"] == "Project proposal"
    edited = seed_definition(key="fotf-2027")
    edited["stages"][0]["label"]["en"] = "Precluster proposal"
    call.definition = edited
    call.save()
    call = Call.objects.get(pk=call.pk)
    assert call.revision == 1
    assert convert.definition(call).stages[0].label["en"] == "Precluster proposal"


def test_a_row_id_that_comes_back_is_not_read_as_the_call_deleted():
    first = CallFactory(key="first")
    pk = first.pk
    assert convert.definition(first).id == "first"
    first.delete()
    second = CallFactory(pk=pk, key="second", definition=seed_definition("sme_portfolio.json", key="second"))
    assert (second.pk, second.revision, convert.definition(second).id) == (pk, 1, "second")
