"""The demo data files (each app's ``demo/data/``): every file loads through its dataclass, and a record
that does not fit names its file and line. Plain files and dataclasses: no database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from helix.market import demo as market_demo
from helix.projects import demo as projects_demo
from helix.registry.demo import seeds, vocabulary
from helix.registry.demo.records import DataFileError, read_csv, read_json
from helix.symbiosis import demo as symbiosis_demo

pytestmark = pytest.mark.unit

REGISTRY = seeds.DATA_DIR  # the generator's files too (vocabulary.DATA_DIR)
MARKET = market_demo.DATA_DIR
SYMBIOSIS = symbiosis_demo.DATA_DIR
PROJECTS = projects_demo.DATA_DIR

# Every data file, the reader for its format and the dataclass that is its schema.
FILES: dict[Path, tuple[Callable[[Path, type[Any]], tuple[Any, ...]], type[Any]]] = {
    REGISTRY / "organisations.csv": (read_csv, seeds.OrganisationSeed),
    REGISTRY / "clusters.json": (read_json, seeds.ClusterSeed),
    REGISTRY / "memberships.json": (read_json, seeds.MembershipSeed),
    REGISTRY / "letters.json": (read_json, seeds.LetterSeed),
    REGISTRY / "advisory_groups.json": (read_json, seeds.AdvisoryGroupSeed),
    REGISTRY / "interactions.json": (read_json, seeds.InteractionSeed),
    REGISTRY / "users.json": (read_json, seeds.UserSeed),
    REGISTRY / "places.csv": (read_csv, vocabulary.Place),
    REGISTRY / "profiles.csv": (read_csv, vocabulary.Profile),
    REGISTRY / "name_words.csv": (read_csv, vocabulary.WordList),
    REGISTRY / "job_titles.csv": (read_csv, vocabulary.WordList),
    REGISTRY / "cluster_profiles.csv": (read_csv, vocabulary.ClusterProfiles),
    REGISTRY / "profile_domains.csv": (read_csv, vocabulary.WordList),
    REGISTRY / "synthetic_clusters.csv": (read_csv, vocabulary.SyntheticClusterSpec),
    MARKET / "listings.csv": (read_csv, market_demo.ListingSeed),
    MARKET / "intended_matches.csv": (read_csv, market_demo.IntendedMatch),
    SYMBIOSIS / "flows.json": (read_json, symbiosis_demo.FlowSeed),
    PROJECTS / "projects.json": (read_json, projects_demo.ProjectSeed),
}


def test_every_data_file_is_listed_here():
    found = {p for folder in (REGISTRY, MARKET, SYMBIOSIS, PROJECTS) for p in folder.iterdir()}
    assert found == set(FILES)


@pytest.mark.parametrize("path", sorted(FILES), ids=lambda p: f"{p.parent.parent.parent.name}/{p.name}")
def test_every_data_file_loads_through_its_dataclass(path):
    reader, schema = FILES[path]
    records = reader(path, schema)
    assert records
    assert all(type(r) is schema for r in records)


def test_the_demo_is_what_its_files_hold():
    assert seeds.read_demo() == seeds.DEMO
    assert tuple(c.slug for c in seeds.DEMO.clusters) == seeds.DEMO_CLUSTER_SLUGS
    assert read_csv(MARKET / "listings.csv", market_demo.ListingSeed) == market_demo.DEMO_LISTINGS
    assert read_json(SYMBIOSIS / "flows.json", symbiosis_demo.FlowSeed) == symbiosis_demo.FLOWS


@dataclass(frozen=True)
class Row:
    name: str
    count: int
    when: Any = None
    tags: tuple[str, ...] = ()
    ok: bool = False


def test_a_csv_row_is_converted_to_the_types_of_its_dataclass(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text('name,count,tags,ok\n"two\nlines",3,a;b,true\nplain,4,,\n', encoding="utf-8")

    assert read_csv(path, Row) == (Row("two\nlines", 3, tags=("a", "b"), ok=True), Row("plain", 4))


def test_a_csv_row_that_does_not_fit_names_the_file_and_line(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text('name,count\n"two\nlines",3\nthird,three\n', encoding="utf-8")

    with pytest.raises(DataFileError) as raised:
        read_csv(path, Row)

    assert (raised.value.path, raised.value.line) == (path, 4)
    assert str(raised.value).startswith(f"{path}, line 4: Row.count:")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,count,colour\nx,1,red\n", "unknown field(s) for Row: colour"),
        ("name\nx\n", "Row.count is missing"),
        ("name,count,ok\nx,1,yes\n", "Row.ok: true or false was expected, not 'yes'"),
        ("name,count\nx,1,extra\n", "the row does not have as many cells as the header"),
    ],
)
def test_a_csv_row_that_does_not_fit_says_why(tmp_path, text, message):
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(DataFileError) as raised:
        read_csv(path, Row)

    assert str(raised.value) == f"{path}, line 2: {message}"


def test_a_json_record_that_does_not_fit_names_the_file_and_line(tmp_path):
    path = tmp_path / "rows.json"
    path.write_text('[\n  {"name": "a", "count": 1},\n  {\n    "name": "b",\n    "count": "2"\n  }\n]\n')

    with pytest.raises(DataFileError) as raised:
        read_json(path, Row)

    assert str(raised.value) == f"{path}, line 3: Row.count: a whole number was expected, not '2'"


def test_a_json_file_that_is_not_json_names_the_file_and_line(tmp_path):
    path = tmp_path / "rows.json"
    path.write_text('[\n  {"name": "a", "count": 1},\n  {"name": "b" "count": 2}\n]\n')

    with pytest.raises(DataFileError) as raised:
        read_json(path, Row)

    assert raised.value.line == 3


def test_a_malformed_row_of_a_demo_file_names_that_file_and_line(tmp_path):
    lines = (REGISTRY / "places.csv").read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",BE,", ",BE,north,", 1)  # a latitude that is not a number
    path = tmp_path / "places.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(DataFileError) as raised:
        read_csv(path, vocabulary.Place)

    assert str(raised.value).startswith(f"{path}, line 6: ")
