"""Integration: `helix insights indicators` writes a cluster's indicators for a period as JSON or CSV
(code, label, value, unit, period, records, missing), in the language asked, for the cluster's staff
only; bad dates and unknown clusters name the option; nothing is left half-written."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from helix.cli import main
from tests.insights.world import EXPECTED_2026, build

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

YEAR = ["--from", "2026-01-01", "--to", "2026-12-31"]


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["insights", "indicators", *args])


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build()


def test_json_holds_every_indicator_with_its_figure(world, tmp_path):
    out = tmp_path / "indicators.json"
    result = run("--cluster", "energy", *YEAR, "--output", str(out), "--as", "energy_staff")
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["period"] == {"start": "2026-01-01", "end": "2026-12-31"}
    rows = {r["code"]: r for r in document["indicators"]}
    for code, expected in EXPECTED_2026.items():
        assert Decimal(rows[code]["value"]) == expected, code
    assert rows["committed_members"]["records"] == 4
    assert rows["committed_members"]["label"] == "Committed members"
    assert rows["press_mentions"]["value"] is None
    assert rows["press_mentions"]["missing"] == "needs_staff_value"
    assert not (tmp_path / "indicators.json.part").exists()


def test_csv_in_dutch_and_for_one_domain(world, tmp_path):
    out = tmp_path / "indicators.csv"
    result = run(
        "--cluster",
        "energy",
        "--domain",
        "heat",
        *YEAR,
        "--output",
        str(out),
        "--language",
        "nl",
        "--as",
        "energy_staff",
    )
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8") as fh:
        rows = {r["code"]: r for r in csv.DictReader(fh)}
    assert list(next(iter(rows.values())).keys()) == [
        "code",
        "label",
        "value",
        "unit",
        "period_start",
        "period_end",
        "records",
        "missing",
        "source",
    ]
    assert rows["committed_members"]["value"] == "2"
    assert rows["committed_members"]["label"] == "Geëngageerde leden"


def test_only_the_clusters_staff(world, tmp_path):
    out = tmp_path / "x.json"
    refused = run("--cluster", "energy", "--output", str(out), "--as", "wood_staff")
    assert refused.exit_code != 0
    assert "Only the cluster's staff" in refused.output
    assert not out.exists()
    anonymous = run("--cluster", "energy")
    assert anonymous.exit_code == 2
    assert "--as USERNAME" in anonymous.output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--cluster", "nope"], "--cluster"),
        (["--cluster", "energy", "--domain", "nope"], "--domain"),
        (["--cluster", "energy", "--from", "2026-02-30"], "--from"),
        (["--cluster", "energy", "--from", "2026-02-01", "--to", "2026-01-01"], "--to"),
        (["--cluster", "energy", "--output", "x.xlsx"], "--output"),
    ],
)
def test_bad_options_are_named(world, args, says):
    result = run(*args, "--as", "energy_staff")
    assert result.exit_code == 2
    assert says in result.output
