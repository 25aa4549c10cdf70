"""The dashboards' figures on the hand-built ecosystem (tests/core/insights/world.py), with the expected
values worked out by hand in the comments; the charts are well-formed, self-contained SVG."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest

from helix.core.insights.charts import bars_svg, line_svg, network_svg
from helix.core.insights.dashboards import (
    activity_per_domain,
    engagement_funnel,
    growth_per_year,
    members_series,
    network,
    outcome_funnel,
)
from tests.core.insights.world import YEAR, world

pytestmark = pytest.mark.unit


def test_growth_per_year():
    # 2024: 3 on its eve (1, 3, 6), 5 at its end (+2 and +5); 2025: 5 -> 6 (+4, +8, 6 left)
    rows = [(g.year, g.members, g.joined, g.left, g.growth) for g in growth_per_year(world(), 2024, 2025)]
    assert rows == [(2024, 5, 2, 0, Decimal("66.7")), (2025, 6, 2, 1, Decimal("20.0"))]


def test_members_series_runs_from_the_start_to_the_end():
    series = members_series(world(), YEAR, points=3)
    assert series == [(date(2025, 1, 1), 5), (date(2025, 7, 2), 5), (date(2025, 12, 31), 6)]


def test_the_engagement_funnel():
    # top rung reached by the end of 2025: 1 member, 2 loi, 3 strategic, 4 loi, 5 loi, 6 member (then left),
    # 7 interested, 8 loi. Waits before moving up: interested 92 days (1) and 92 (4); loi 670 (1); member
    # 1,219 (3).
    steps = [
        (s.level, s.reached, s.conversion, s.median_days, s.now) for s in engagement_funnel(world(), YEAR)
    ]
    assert steps == [
        ("interested", 8, None, 92, 1),
        ("loi_signed", 7, Decimal("87.5"), 670, 4),
        ("member", 3, Decimal("42.9"), 1219, 1),
        ("strategic_partner", 1, Decimal("33.3"), None, 1),
    ]


def test_the_funnel_reads_history_only_up_to_the_end_of_the_period():
    early = type(YEAR)(date(2023, 1, 1), date(2023, 12, 31))
    steps = {s.level: s.reached for s in engagement_funnel(world(), early)}
    assert steps == {"interested": 3, "loi_signed": 3, "member": 2, "strategic_partner": 0}  # 1, 3, 6


def test_the_outcome_funnel():
    # requests 51, 52, 53; meetings: 51 accepted and 41 held; no follow-up rated; 81 agreed; project 71
    # came from a match; impact: 81 and 82 realised
    got = [(s.stage, s.count) for s in outcome_funnel(world(), YEAR)]
    assert got == [
        ("match", 3),
        ("meeting", 2),
        ("follow_up", 0),
        ("agreement", 1),
        ("project", 1),
        ("impact", 2),
    ]
    impact = outcome_funnel(world(), YEAR)[-1]
    assert sorted(r.id for r in impact.records) == [81, 82]


def test_activity_per_domain():
    eco = world()
    tagged = tuple(
        dataclasses.replace(m, domains=frozenset({5})) if m.organisation_id in (1, 4) else m
        for m in eco.memberships
    )
    projects = tuple(
        dataclasses.replace(p, domains=frozenset({5})) if p.id == 71 else p for p in eco.projects
    )
    eco = dataclasses.replace(eco, memberships=tagged, projects=projects)
    (row, empty) = activity_per_domain(eco, YEAR, [5, 6])
    assert (row.members, row.new_members, row.projects, row.contacts) == (
        2,
        1,
        1,
        2,
    )  # 1 and 4; 4; 71; 21, 22
    assert (empty.members, empty.projects) == (0, 0)


def test_the_collaboration_network():
    # ties up to the end of 2025: project 71 (1-3, 3), synergies 81 (1-6), 82 (2-4), 83 (3-5) (2 each),
    # meetings 41 (1-2) and 43 (3-4) (1 each), accepted requests 51 (3-2) and 54 (1-2) (1 each)
    net = network(world(), YEAR)
    assert (net.organisations, net.ties) == (6, 7)
    assert sorted(net.edges) == [
        (1, 2, 2.0),
        (1, 3, 3.0),
        (1, 6, 2.0),
        (2, 3, 1.0),
        (2, 4, 2.0),
        (3, 4, 1.0),
        (3, 5, 2.0),
    ]
    # the university (3, research) ties industry and the city together and lies on most shortest paths
    top = net.brokers[0]
    assert (top.id, top.helix, top.bridges) == (3, "research", 2)
    assert net == network(world(), YEAR)  # the same data, the same layout


def test_an_empty_network():
    eco = dataclasses.replace(world(), projects=(), synergies=(), meetings=(), match_contacts=())
    net = network(eco, YEAR)
    assert (net.nodes, net.organisations, net.brokers) == ((), 0, [])


def test_the_charts_are_well_formed_svg():
    eco = world()
    net = network(eco, YEAR)
    names = {"industry": "Industry", "research": "Research & <education>", "public": "Public"}
    for svg in (
        line_svg(members_series(eco, YEAR), "Members"),
        bars_svg([("Interested", 8, ""), ("Letter of intent", 7, "87.5 %")], "Funnel"),
        network_svg(net, "Who works with whom", names),
        line_svg([], "Nothing yet"),
    ):
        root = ET.fromstring(svg)  # noqa: S314 - our own output
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.get("role") == "img"
        assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing fetched
    drawn = network_svg(net, "Who", names)
    assert drawn.count("<circle") == 6 + 3  # six organisations and the legend's three helices
    assert "Research &amp; &lt;education&gt;" in drawn
