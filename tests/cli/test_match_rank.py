"""Unit: `helix match rank` ranks a corpus for queries from CSV files, outside the database."""

import csv

import pytest
from click.testing import CliRunner

from helix.cli import main

pytestmark = pytest.mark.unit

CORPUS = """id,text
o1,Nous proposons la rénovation énergétique groupée de logements sociaux avec pompes à chaleur
o2,Wir bieten LED-Straßenbeleuchtung mit Fernsteuerung für Gemeinden
o3,We install fast chargers and mobility hubs at park-and-ride sites
o4,Wij leveren restwarmte uit de industrie aan stedelijke warmtenetten
"""
QUERIES = """id,text
n1,Wij zoeken een partner voor collectieve renovatie van sociale woningen met warmtepompen
n2,Commune cherche éclairage public LED pilotable à distance
"""


def rank(tmp_path, *options: str):  # type: ignore[no-untyped-def]
    """``helix match rank`` on the corpus.csv and queries.csv written in ``tmp_path``."""
    args = ["--corpus", str(tmp_path / "corpus.csv"), "--queries", str(tmp_path / "queries.csv"), *options]
    return CliRunner().invoke(main, ["match", "rank", *args])


def run(tmp_path, corpus=CORPUS, queries=QUERIES, top="2"):  # type: ignore[no-untyped-def]
    (tmp_path / "corpus.csv").write_text(corpus, encoding="utf-8")
    (tmp_path / "queries.csv").write_text(queries, encoding="utf-8")
    out = tmp_path / "ranks.csv"
    return rank(tmp_path, "--top", top, "--output", str(out)), out


def test_rank_writes_top_rows_per_query_and_finds_cross_lingual_counterparts(tmp_path):
    result, out = run(tmp_path)
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["query_id"], r["rank"]) for r in rows] == [("n1", "1"), ("n1", "2"), ("n2", "1"), ("n2", "2")]
    assert (rows[0]["corpus_id"], rows[2]["corpus_id"]) == ("o1", "o2")
    assert float(rows[0]["score"]) >= float(rows[1]["score"])


def test_missing_column_is_reported_with_file_and_row(tmp_path):
    result, _ = run(tmp_path, corpus="key,body\na,b\n")
    assert result.exit_code == 1
    assert "corpus.csv, row 1: the header must name the columns id and text" in result.output


def test_duplicate_id_is_reported_with_row(tmp_path):
    result, _ = run(tmp_path, queries="id,text\nq,one\nq,two\n")
    assert result.exit_code == 1
    assert "queries.csv, row 3, column id: 'q' occurs more than once" in result.output


def test_non_utf8_input_is_reported(tmp_path):
    (tmp_path / "corpus.csv").write_bytes("id,text\na,rénovation\n".encode("latin-1"))
    (tmp_path / "queries.csv").write_text(QUERIES, encoding="utf-8")
    result = rank(tmp_path, "--output", str(tmp_path / "o.csv"))
    assert result.exit_code == 1
    assert "corpus.csv, line 2: not UTF-8" in result.output
