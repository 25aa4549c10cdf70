"""Integration: the open-data files hold what anyone may see and nothing more (published organisations,
public stories, only the open indicators), as CSV and JSON with the documented columns, and the DCAT-AP
catalogue lists each dataset with its two distributions."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from helix.core.insights import OPEN_INDICATORS
from helix.insights.opendata import SCHEMAS
from helix.insights.services import move_story, save_story
from tests.factories import OrganisationFactory
from tests.insights.world import build

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def world():
    return build()


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_registry_holds_published_organisations_only(world):
    OrganisationFactory(name="Hidden Works", is_published=False)
    answer = Client().get("/open-data/organisations.csv")
    assert answer.status_code == 200
    table = rows(answer)
    names = {r["name"] for r in table}
    assert {"Alpha", "Beta", "Uni", "Lux"} <= names
    assert "Hidden Works" not in names
    assert list(table[0]) == [c for c, _, _ in SCHEMAS["organisations"][2]]
    lux = next(r for r in table if r["name"] == "Lux")
    assert (lux["country"], lux["helix"], lux["clusters"]) == ("LU", "industry", "energy")
    gone = next(r for r in table if r["name"] == "Gone")
    assert gone["clusters"] == ""  # it left


def test_stories_only_once_public(world):
    story = save_story(
        world.staff,
        world.cluster,
        {"kind": "news", "title": "Open call", "summary": "Register.", "language": "en", "featured": []},
    )
    assert json.loads(Client().get("/open-data/stories.json").content)["rows"] == []
    move_story(world.staff, story, "published")
    data = json.loads(Client().get("/open-data/stories.json").content)
    assert [r["title"] for r in data["rows"]] == ["Open call"]
    assert data["licence"].startswith("https://creativecommons.org/")


def test_only_the_open_indicators_of_the_year(world):
    data = json.loads(Client().get("/open-data/indicators.json?year=2026").content)
    energy = {r["code"]: r["value"] for r in data["rows"] if r["cluster"] == "energy"}
    assert set(energy) == set(OPEN_INDICATORS)
    assert energy["committed_members"] == "4"
    assert "sme_share" not in energy  # a share of a few members can be read back to them
    assert "staff_fte" not in energy
    assert Client().get("/open-data/indicators.csv?year=1850").status_code == 404
    assert Client().get("/open-data/nothing.csv").status_code == 404


def test_the_dcat_ap_catalogue(world):
    catalogue = json.loads(Client().get("/open-data/catalog.jsonld").content)
    assert catalogue["@type"] == "dcat:Catalog"
    datasets = {d["dct:title"]: d for d in catalogue["dcat:dataset"]}
    assert set(datasets) == {title for title, _, _ in SCHEMAS.values()}
    formats = [d["dcat:mediaType"] for d in datasets["Organisations"]["dcat:distribution"]]
    assert formats == ["text/csv", "application/json"]
    download = datasets["Organisations"]["dcat:distribution"][0]["dcat:downloadURL"]["@id"]
    assert download.endswith("/open-data/organisations.csv")


def test_the_page_documents_every_column(world):
    html = Client().get("/open-data/").content.decode()
    for _, _, columns in SCHEMAS.values():
        for column, _, _ in columns:
            assert f"<code>{column}</code>" in html
