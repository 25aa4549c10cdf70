"""Integration: the insights pages as the cluster's staff use them: the indicators for a period and a
domain, one indicator with the records behind it, entering a figure with its source (and the error that
names the field), the label self-assessment, and the downloads."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from helix.insights.models import StaffValue
from tests.insights.world import build

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

YEAR = "from=2026-01-01&to=2026-12-31"


@pytest.fixture
def world():
    return build()


@pytest.fixture
def staff(world):
    client = Client()
    client.force_login(world.staff)
    return client


def test_the_indicators_page_shows_the_figures_of_the_period(staff):
    page = staff.get(f"/insights/energy/?{YEAR}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="indicator-committed_members"' in html
    row = html.split('id="indicator-committed_members"')[1].split("</tr>")[0]
    assert "<strong>4</strong>" in row  # alpha, beta, uni, lux
    sme = html.split('id="indicator-sme_share"')[1].split("</tr>")[0]
    assert "66.7" in sme
    assert "At least 15 committed members" in row  # the criterion it serves


def test_a_domain_narrows_the_page(staff):
    html = staff.get(f"/insights/energy/?{YEAR}&domain=heat").content.decode()
    row = html.split('id="indicator-committed_members"')[1].split("</tr>")[0]
    assert "<strong>2</strong>" in row


def test_a_bad_date_is_named_and_the_page_still_answers(staff):
    page = staff.get("/insights/energy/?from=2026-02-30")
    assert page.status_code == 400
    assert "is not a date" in page.content.decode()


def test_an_indicator_lists_the_records_it_was_computed_from(staff, world):
    html = staff.get(f"/insights/energy/committed_members/?{YEAR}").content.decode()
    records = html.split('id="indicator-records"')[1].split("</ul>")[0]
    for name in ("Alpha", "Beta", "Uni", "Lux"):
        assert f">{name}</a>" in records
    assert "Gone" not in records  # it left in September
    helices = staff.get(f"/insights/energy/helices_represented/?{YEAR}").content.decode()
    assert "Industry" in helices.split('id="indicator-detail"')[1].split("</dl>")[0]


def test_staff_enter_a_figure_and_see_it_counted(staff):
    page = staff.get("/insights/energy/press_mentions/")
    assert 'id="enter-form"' in page.content.decode()
    answer = staff.post(
        "/insights/energy/press_mentions/enter/",
        {"value": "7", "from": "2026-01-01", "to": "2026-12-31", "source": "Press book", "evidence_url": ""},
    )
    assert answer.status_code == 302
    html = staff.get(answer["Location"]).content.decode()
    assert 'id="indicator-value">7<' in html
    assert "Press book" in html.split('id="indicator-entries"')[1]


def test_a_figure_without_a_source_is_refused_with_the_field_named(staff):
    answer = staff.post(
        "/insights/energy/press_mentions/enter/", {"value": "7", "from": "2026-01-01", "to": "2026-12-31"}
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert 'href="#enter-source"' in html
    assert 'value="7"' in html  # what was typed stays
    assert not StaffValue.objects.filter(code="press_mentions").exists()


def test_the_self_assessment_shows_where_the_cluster_stands(staff):
    html = staff.get(f"/insights/energy/self-assessment/?{YEAR}&label=eccp").content.decode()
    table = html.split('id="assessment"')[1]
    assert table.count('data-standing="not_met"') == 1  # four of the fifteen members
    assert table.count('data-standing="met"') == 2  # two helices, two FTE
    assert 'id="count-met">2<' in html
    gold = staff.get(f"/insights/energy/self-assessment/?{YEAR}&label=gold").content.decode()
    assert 'data-standing="missing"' in gold  # what staff have not entered


def test_the_downloads(staff):
    data = staff.get(f"/insights/energy/indicators.json?{YEAR}")
    document = json.loads(data.content)
    assert {r["code"]: r["value"] for r in document["indicators"]}["committed_members"] == "4"
    table = staff.get(f"/insights/energy/indicators.csv?{YEAR}")
    rows = list(csv.DictReader(io.StringIO(table.content.decode())))
    assert {r["code"]: r["value"] for r in rows}["retention"] == "66.67"
    assert "attachment" in table["Content-Disposition"]
    assert staff.get(f"/insights/energy/indicators.xml?{YEAR}").status_code == 404


def test_the_dashboard_draws_its_charts_on_the_server(staff):
    page = staff.get(f"/insights/energy/dashboard/?{YEAR}")
    assert page.status_code == 200
    html = page.content.decode()
    for chart in ("members-chart", "funnel-chart", "outcome-chart", "network-chart"):
        block = html.split(f'id="{chart}"')[1].split("</div>")[0]
        assert "<svg" in block
    assert "<script" not in html.split('id="members-chart"')[1].split("</section>")[0]
    growth = html.split('id="growth"')[1].split("</table>")[0]
    row = growth.split('<th scope="row">2026</th>')[1].split("</tr>")[0]
    assert [cell.split(">")[1].split("<")[0] for cell in row.split("<td")[1:4]] == ["4", "2", "1"]
    # ties: Heat grid (alpha-uni), the synergy (beta-gone), the meeting (alpha-lux), the request (uni-beta)
    assert "5 organisations tied by 4 collaborations" in html
    assert 'id="domain-activity"' in html  # the heat domain's row


def test_the_dashboard_for_a_domain(staff):
    html = staff.get(f"/insights/energy/dashboard/?{YEAR}&domain=heat").content.decode()
    growth = html.split('id="growth"')[1].split("</table>")[0]
    row = growth.split('<th scope="row">2026</th>')[1].split("</tr>")[0]
    assert row.split("<td")[1].split(">")[1].startswith("2<")  # alpha and uni
