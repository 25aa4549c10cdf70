"""Unit: `helix consortia recommend` learns from a participations file and ranks partners for queries,
without the database; bad input names the file, line and column, exits 2 and writes nothing."""

import csv

import pytest
from click.testing import CliRunner

from helix.cli import main

pytestmark = pytest.mark.unit

HEADER = "project_id,organisation_id,role,organisation_type,country,programme_part,start_year\n"
PARTICIPATIONS = HEADER + (
    "P1,A,coordinator,HES,BE,LEIT,2016\n"
    "P1,B,participant,PRC,BE,LEIT,2016\n"
    "P1,C,participant,REC,DE,LEIT,2016\n"
    "P2,A,coordinator,HES,BE,LEIT;Innovation in SMEs,2017\n"
    "P2,B,participant,prc,be,LEIT;Innovation in SMEs,2017\n"
    "P2,D,participant,PRC,NL,LEIT;Innovation in SMEs,2017\n"
    "\n"
    "P3,E,coordinator,PUB,FR,SC1,2017\n"
    "P3,F,participant,OTH,FR,SC1,2017\n"
)
QUERIES = "query_id,programme_part,partners\nq1,LEIT,A\nq2,SC1,E\nq3,,unknown-org\n"


def run(tmp_path, participations=PARTICIPATIONS, queries=QUERIES, top="3"):  # type: ignore[no-untyped-def]
    (tmp_path / "participations.csv").write_text(participations, encoding="utf-8")
    (tmp_path / "queries.csv").write_text(queries, encoding="utf-8")
    out = tmp_path / "ranks.csv"
    args = [
        "consortia", "recommend",
        "--learn-from", str(tmp_path / "participations.csv"),
        "--queries", str(tmp_path / "queries.csv"),
        "--top", top,
        "--output", str(out),
    ]  # fmt: skip
    return CliRunner().invoke(main, args), out


def read(out):  # type: ignore[no-untyped-def]
    with out.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_recommend_writes_the_top_organisations_per_query_never_a_partner(tmp_path):
    result, out = run(tmp_path)
    assert result.exit_code == 0, result.output
    rows = read(out)
    assert list(rows[0]) == ["query_id", "rank", "organisation_id", "score"]
    by_query: dict[str, list[str]] = {}
    for row in rows:
        by_query.setdefault(row["query_id"], []).append(row["organisation_id"])
    assert [(r["query_id"], r["rank"]) for r in rows] == [
        (q, str(k)) for q in ("q1", "q2", "q3") for k in (1, 2, 3)
    ]
    assert by_query["q1"][0] == "B"  # A's partner twice
    assert by_query["q2"][0] == "F"  # E's only partner
    assert "A" not in by_query["q1"]
    assert "E" not in by_query["q2"]
    assert all(len(set(found)) == 3 for found in by_query.values())
    for query_id in by_query:
        scores = [float(r["score"]) for r in rows if r["query_id"] == query_id]
        assert scores == sorted(scores, reverse=True)
    assert (
        "Ranked 6 organisations for 3 queries (top 3; 1 with no partner in the participations)"
        in result.output
    )


def test_the_same_input_gives_the_same_file(tmp_path):
    _, out = run(tmp_path)
    first = out.read_bytes()
    run(tmp_path)
    assert out.read_bytes() == first


@pytest.mark.parametrize(
    ("participations", "queries", "message"),
    [
        (
            "project_id,organisation_id,role,organisation_type,country,programme_part\nP1,A,coordinator,HES,BE,LEIT\n",
            QUERIES,
            "participations.csv, line 1: missing column(s) start_year",
        ),
        (
            PARTICIPATIONS + "P4,G,participant,PRC,BE,LEIT,twenty\n",
            QUERIES,
            "participations.csv, line 11, column start_year: 'twenty' is not a year",
        ),
        (
            PARTICIPATIONS + "P4,,participant,PRC,BE,LEIT,2017\n",
            QUERIES,
            "participations.csv, line 11, column organisation_id: empty",
        ),
        (
            PARTICIPATIONS + "P4,G,participant,SME,BE,LEIT,2017\n",
            QUERIES,
            "participations.csv, line 11, column organisation_type: 'SME' is not one of "
            "PRC, HES, REC, PUB, OTH",
        ),
        (
            PARTICIPATIONS + "P4,G,participant\n",
            QUERIES,
            "participations.csv, line 11, column organisation_type: missing (3 cell(s), the header has 7)",
        ),
        (HEADER, QUERIES, "participations.csv: no participations (only a header)"),
        ("", QUERIES, "participations.csv: the file is empty"),
        (
            PARTICIPATIONS,
            "query_id,programme_part,partners\nq1,LEIT,A\nq2,LEIT, ; \n",
            "queries.csv, line 3, column partners: empty (give organisation ids separated by ;)",
        ),
        (
            PARTICIPATIONS,
            "query_id,programme_part,partners\nq1,LEIT,A\nq1,LEIT,B\n",
            "queries.csv, line 3, column query_id: 'q1' occurs more than once",
        ),
        (
            PARTICIPATIONS,
            "query_id,partners\nq1,A\n",
            "queries.csv, line 1: missing column(s) programme_part",
        ),
    ],
)
def test_bad_input_names_file_line_and_column_exits_2_and_writes_nothing(
    tmp_path, participations, queries, message
):
    (tmp_path / "ranks.csv").write_text("kept\n", encoding="utf-8")
    result, out = run(tmp_path, participations, queries)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert out.read_text(encoding="utf-8") == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["participations.csv", "queries.csv", "ranks.csv"]


def test_non_utf8_input_is_reported_with_its_line(tmp_path):
    (tmp_path / "participations.csv").write_bytes(
        (PARTICIPATIONS + "P4,Gé,participant,PRC,BE,LEIT,2017\n").encode("latin-1")
    )
    (tmp_path / "queries.csv").write_text(QUERIES, encoding="utf-8")
    result = CliRunner().invoke(main, [
        "consortia", "recommend", "--learn-from", str(tmp_path / "participations.csv"),
        "--queries", str(tmp_path / "queries.csv"), "--output", str(tmp_path / "ranks.csv"),
    ])  # fmt: skip
    assert result.exit_code == 2
    assert "participations.csv, line 11: not UTF-8" in result.output
    assert not (tmp_path / "ranks.csv").exists()


def test_an_output_folder_that_does_not_exist_is_refused(tmp_path):
    (tmp_path / "participations.csv").write_text(PARTICIPATIONS, encoding="utf-8")
    (tmp_path / "queries.csv").write_text(QUERIES, encoding="utf-8")
    result = CliRunner().invoke(main, [
        "consortia", "recommend", "--learn-from", str(tmp_path / "participations.csv"),
        "--queries", str(tmp_path / "queries.csv"), "--output", str(tmp_path / "nowhere" / "ranks.csv"),
    ])  # fmt: skip
    assert result.exit_code == 2
    assert "nowhere" in result.output
