"""Integration: the dashboard's loader (dashboard_ecosystem) reads less than the indicators' ecosystem but
gives the dashboard the same figures, for the cluster and for a domain, over several periods (the small
world of tests/insights/world.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from helix.core.insights import Ecosystem, Period
from helix.core.insights import dashboards as d
from helix.insights.services import dashboard_ecosystem, ecosystem
from tests.insights.world import build

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PERIODS = (
    Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    Period(dt.date(2025, 6, 1), dt.date(2026, 3, 31)),
)


def figures(eco: Ecosystem, period: Period, domains: list[int]) -> dict[str, object]:
    first = d.first_year(eco) or period.start.year
    return {
        "series": d.members_series(eco, period),
        "growth": d.growth_per_year(eco, max(first, period.end.year - 9), period.end.year),
        "funnel": d.engagement_funnel(eco, period),
        "outcomes": d.outcome_funnel(eco, period),
        "activity": d.activity_per_domain(eco, period, domains),
        "network": d.network(eco, period),
    }


@pytest.mark.parametrize("period", PERIODS, ids=str)
@pytest.mark.parametrize("in_domain", [False, True], ids=["cluster", "domain"])
def test_the_dashboard_loader_gives_the_figures_of_the_whole_ecosystem(period, in_domain):
    world = build()
    domain = world.domain if in_domain else None
    domains = [world.domain.pk]
    lean = dashboard_ecosystem(world.cluster, period, domain)
    assert figures(lean, period, domains) == figures(ecosystem(world.cluster, domain), period, domains)


def test_the_dashboard_loader_leaves_out_what_only_the_indicators_read():
    world = build()
    year = PERIODS[0]
    lean = dashboard_ecosystem(world.cluster, year)
    whole = ecosystem(world.cluster)
    assert (lean.events, lean.listings, lean.roadmaps, lean.staff_values) == ((), (), (), ())
    assert all((whole.events, whole.listings, whole.roadmaps, whole.staff_values))  # the world has each
    assert lean.contacts == tuple(c for c in whole.contacts if year.holds(c.on))
    assert lean.organisations.keys() == whole.organisations.keys()
