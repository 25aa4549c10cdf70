"""Integration: the indicators read from the database match the figures written out for the small world
of tests/insights/world.py; the domain narrows them; only the cluster's staff get them; figures staff
enter are checked field by field and never half-written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from helix.core.insights import Period
from helix.insights.models import StaffValue
from helix.insights.services import InsightsError, enter_value, indicator_values, parse_period, record_links
from tests.insights.world import EXPECTED_2026, build

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

YEAR = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture
def world():
    return build()


def test_the_indicators_of_2026_from_the_database(world):
    got = {v.code: v.value for v in indicator_values(world.staff, world.cluster, YEAR)}
    assert {code: got[code] for code in EXPECTED_2026} == EXPECTED_2026


def test_a_domain_counts_its_members_and_projects_only(world):
    got = {v.code: v for v in indicator_values(world.staff, world.cluster, YEAR, world.domain)}
    assert got["committed_members"].value == 2  # alpha and uni work in the heat domain
    assert got["projects_started"].value == 1  # Heat grid is filed under it
    assert got["contacts_logged"].value == 1  # with alpha
    assert got["international_share"].value == 0  # lux is not in the domain


def test_only_the_clusters_staff_see_its_indicators(world):
    for user in (world.other_staff, world.member):
        with pytest.raises(InsightsError) as refused:
            indicator_values(user, world.cluster, YEAR)
        assert refused.value.code == "not_allowed"
    assert indicator_values(world.other_staff, world.other, YEAR)[0].value == 1  # its own cluster


def test_a_domain_of_another_cluster_is_refused(world):
    from tests.factories import DomainFactory

    elsewhere = DomainFactory(cluster=world.other)
    with pytest.raises(InsightsError) as refused:
        indicator_values(world.staff, world.cluster, YEAR, elsewhere)
    assert refused.value.field == "domain"


def test_the_records_behind_a_figure_link_to_their_pages(world):
    values = {v.code: v for v in indicator_values(world.staff, world.cluster, YEAR)}
    links = record_links(world.staff, values["committed_members"].records)
    assert sorted(link.text for link in links) == ["Alpha", "Beta", "Lux", "Uni"]
    assert all(link.url.startswith("/organisations/") for link in links)
    project = record_links(world.staff, values["projects_started"].records)
    assert [(p.text, p.url) for p in project] == [
        ("Heat grid", f"/projects/{values['projects_started'].records[0].id}/")
    ]
    assert [link.kind for link in record_links(world.staff, values["staff_fte"].records)] == ["staff_value"]


def test_staff_enter_a_figure_with_its_source(world):
    value = enter_value(world.staff, world.cluster, "press_mentions", "12", YEAR, "Press book 2026")
    assert value.value == Decimal("12.00")
    got = {v.code: v for v in indicator_values(world.staff, world.cluster, YEAR)}
    assert got["press_mentions"].value == 12
    assert got["press_mentions"].source == "Press book 2026"
    # a correction is a new entry; the latest one counts, the first stays on record
    enter_value(world.staff, world.cluster, "press_mentions", "14,0", YEAR, "Press book 2026, corrected")
    got = {v.code: v for v in indicator_values(world.staff, world.cluster, YEAR)}
    assert got["press_mentions"].value == 14
    assert StaffValue.objects.filter(code="press_mentions").count() == 2


@pytest.mark.parametrize(
    ("code", "value", "source", "error", "field"),
    [
        ("committed_members", "3", "x", "not_a_staff_indicator", "code"),
        ("press_mentions", "many", "x", "bad_number", "value"),
        ("press_mentions", "-1", "x", "bad_number", "value"),
        ("management_private_funding", "120", "x", "percent_over_100", "value"),
        ("strategy_reviewed", "2", "x", "yes_no", "value"),
        ("press_mentions", "3", "  ", "source_required", "source"),
    ],
)
def test_bad_figures_name_the_field_and_write_nothing(world, code, value, source, error, field):
    with pytest.raises(InsightsError) as refused:
        enter_value(world.staff, world.cluster, code, value, YEAR, source)
    assert (refused.value.code, refused.value.field) == (error, field)
    assert StaffValue.objects.filter(cluster=world.cluster).count() == 1  # the staff plan only


def test_others_may_not_enter_figures(world):
    with pytest.raises(InsightsError):
        enter_value(world.other_staff, world.cluster, "press_mentions", "1", YEAR, "x")
    assert not StaffValue.objects.filter(code="press_mentions").exists()


def test_periods_are_read_with_errors_that_name_the_field():
    today = dt.date(2026, 7, 4)
    assert parse_period(None, None, today=today) == Period(dt.date(2026, 1, 1), today)
    assert parse_period("2025-01-01", "2025-12-31") == Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    with pytest.raises(InsightsError) as bad:
        parse_period("2025-02-30", None)
    assert bad.value.field == "from"
    with pytest.raises(InsightsError) as reversed_:
        parse_period("2025-02-01", "2025-01-01")
    assert reversed_.value.field == "to"
