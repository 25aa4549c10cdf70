"""Integration: `helix roadmap list|show|validate|whatif|export|import|move` over the database, as a user:
each reads what the user may see, writes through the services, and says refusals as the pages do."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from helix.cli import main
from helix.roadmaps.models import Roadmap
from tests.roadmaps import conftest as roadmaps_world
from tests.roadmaps.conftest import build_roadmap

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

rw = roadmaps_world.rw  # the roadmaps' world (tests/roadmaps/conftest.py), as a fixture here too


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["roadmap", *args])


@pytest.fixture
def roadmap(rw):  # type: ignore[no-untyped-def]
    return build_roadmap(rw, starts_on=dt.date(2030, 1, 7))


def test_a_draft_is_listed_for_its_staff_and_not_for_an_outsider(roadmap):  # type: ignore[no-untyped-def]
    staff = run("list", "--as", "h2_staff")
    outsider = run("list", "--as", "far_person")
    assert staff.exit_code == 0
    assert staff.output.splitlines() == ["h2-roadmap\th2-valley\tdraft\t2030-01-07\tHydrogen roadmap"]
    assert outsider.output == ""


def test_show_and_whatif_give_the_forecast_and_what_a_slip_moves(roadmap):  # type: ignore[no-untyped-def]
    shown = run("show", "h2-roadmap", "--as", "h2_staff")
    slipped = run("whatif", "h2-roadmap", "a-study", "--days", "10", "--as", "h2_staff")
    assert shown.exit_code == 0
    assert "critical path: a-study -> m-go -> d-pilot -> m-market" in shown.output
    assert slipped.exit_code == 0
    assert "(+10 days)" in slipped.output.splitlines()[0]
    assert [line.split("\t")[0] for line in slipped.output.splitlines()[1:5]] == [
        "a-study",
        "m-go",
        "d-pilot",
        "m-market",
    ]


def test_validate_exits_with_1_while_something_blocks_adoption(roadmap):  # type: ignore[no-untyped-def]
    roadmap.items.filter(key="a-permits").update(owner=None)
    result = run("validate", "h2-roadmap", "--as", "h2_staff")
    assert result.exit_code == 1
    assert "error\ta-permits\troadmap.owner_missing" in result.output
    assert run("move", "h2-roadmap", "adopted", "--as", "h2_staff").exit_code == 1  # not from draft


def test_an_export_imports_back_and_a_participant_may_not_import(roadmap, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "roadmap.xlsx"
    exported = run("export", "h2-roadmap", "--format", "xlsx", "-o", str(path), "--as", "h2_staff")
    refused = run("import", "h2-roadmap", str(path), "--as", "acme_person")
    imported = run("import", "h2-roadmap", str(path), "--as", "h2_staff")
    assert exported.exit_code == 0
    assert refused.exit_code == 1
    assert "may not edit" in refused.output
    assert imported.exit_code == 0
    assert imported.output.strip() == "h2-roadmap: 5 items imported"
    assert Roadmap.objects.get(key="h2-roadmap").items.count() == 5
