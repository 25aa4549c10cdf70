"""Integration: rows to the core's types (helix.calls.convert): a call's definition follows the row (an
edit is read anew though the call's revision did not change; a row id that comes back after a delete is
not read as the call deleted), and the facts an application is judged on are those of the day it is
judged on (an organisation's engagement level from the dated history of its membership)."""

from __future__ import annotations

import datetime as dt

import pytest

from helix.calls import convert
from helix.calls.convert import levels_on
from helix.calls.models import Call
from helix.registry.models import MembershipChange
from tests.factories.calls import CallFactory, seed_definition
from tests.factories.registry import ClusterFactory, MembershipFactory, OrganisationFactory

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


def test_the_level_on_a_day_is_the_last_step_of_the_ladder_taken_by_then():
    cluster = ClusterFactory(slug="flux")
    org = OrganisationFactory(slug="heat")
    membership = MembershipFactory(
        organisation=org, cluster=cluster, level="member", since=dt.date(2018, 5, 1)
    )
    for day, source, target in (
        (dt.date(2016, 5, 26), "", "interested"),
        (dt.date(2017, 8, 1), "interested", "loi_signed"),
        (dt.date(2018, 5, 1), "loi_signed", "member"),
    ):
        MembershipChange.objects.create(
            membership=membership, from_level=source, to_level=target, changed_on=day
        )
    assert levels_on([org], dt.date(2016, 1, 1)) == {}
    assert levels_on([org], dt.date(2017, 7, 31)) == {org.pk: {"flux": "interested"}}
    assert levels_on([org], dt.date(2017, 8, 1)) == {org.pk: {"flux": "loi_signed"}}
    assert levels_on([org], dt.date(2026, 1, 1)) == {org.pk: {"flux": "member"}}


def test_a_membership_without_history_counts_from_its_since_date():
    cluster = ClusterFactory(slug="flux")
    org = OrganisationFactory(slug="heat")
    MembershipFactory(organisation=org, cluster=cluster, level="loi_signed", since=dt.date(2020, 1, 1))
    assert levels_on([org], dt.date(2019, 12, 31)) == {}
    assert levels_on([org], dt.date(2020, 1, 1)) == {org.pk: {"flux": "loi_signed"}}
