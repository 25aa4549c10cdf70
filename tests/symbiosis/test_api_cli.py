"""The symbiosis API (flows, waste codes, synergies, factors, runs) and the CLI (rank-receivers on
MAESTRI-layout files, import, match, allocate, waste codes)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from django.test import Client

from helix.api.models import ApiToken
from helix.cli import main
from helix.symbiosis import matching, receivers, visibility
from helix.symbiosis.models import AllocationRun, DocumentedExchange, ResourceFlow, Synergy
from tests.core.symbiosis.test_receivers import corpus
from tests.factories import UserFactory
from tests.symbiosis.helpers import world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def api(user) -> Client:
    _, token = ApiToken.objects.issue(user, "t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_post_a_flow_and_get_field_errors() -> None:
    w = world()
    c = api(w.cement_user)
    site = w.cement.sites.first()
    ok = c.post(
        "/api/symbiosis/flows",
        json.dumps(
            {
                "site_id": site.pk,
                "direction": "want",
                "kind": "water",
                "title": "Cooling water",
                "quantity": 20000,
                "unit": "m3",
                "period": "year",
            }
        ),
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["owner"] == "Cement Antwerpen"
    assert ok.json()["per_year"] == 20000
    bad = c.post(
        "/api/symbiosis/flows",
        json.dumps(
            {
                "site_id": site.pk,
                "direction": "have",
                "kind": "material",
                "title": "x",
                "ewc_code": "12",
                "quantity": 5,
                "unit": "MWh",
            }
        ),
        content_type="application/json",
    )
    assert bad.status_code == 422
    fields = {e["loc"][-1] for e in bad.json()["detail"]}
    assert {"ewc_code", "unit"} <= fields
    other = c.post(
        "/api/symbiosis/flows",
        json.dumps(
            {
                "organisation_id": w.steel.pk,
                "site_id": w.steel.sites.first().pk,
                "direction": "want",
                "kind": "water",
                "title": "y",
                "quantity": 1,
                "unit": "m3",
            }
        ),
        content_type="application/json",
    )
    assert other.status_code == 403
    assert Client().post("/api/symbiosis/flows", "{}", content_type="application/json").status_code == 401


def test_waste_code_tree_and_suggestions() -> None:
    c = Client()
    chapters = c.get("/api/symbiosis/waste-codes").json()
    assert len(chapters) == 20
    assert chapters[0]["code"] == "01"
    entries = c.get("/api/symbiosis/waste-codes?parent=10 02").json()
    assert {
        "code": "100202",
        "printed": "10 02 02",
        "level": 3,
        "title": "Unprocessed slag",
        "hazardous": False,
        "parent": "1002",
    } in entries
    assert c.get("/api/symbiosis/waste-codes?parent=zz").status_code == 422
    found = c.get("/api/symbiosis/waste-codes/suggest?q=vliegas van biomassa").json()
    assert any(s["code"].startswith("1001") and "fly ash" in s["title"].lower() for s in found)


def test_synergy_workflow_through_the_api() -> None:
    w = world()
    matching.run_matching()
    s = Synergy.objects.get(have=w.slag, want=w.slag_want)
    steel, cement = api(w.steel_user), api(w.cement_user)
    listed = steel.get("/api/symbiosis/synergies").json()
    assert [x["id"] for x in listed] == [s.pk]
    assert api(w.outsider_user).get(f"/api/symbiosis/synergies/{s.pk}").status_code == 404
    assert steel.post(f"/api/symbiosis/synergies/{s.pk}/accept").json()["have_accepted"]
    assert cement.post(f"/api/symbiosis/synergies/{s.pk}/accept").json()["state"] == "contacted"
    refused = cement.post(
        f"/api/symbiosis/synergies/{s.pk}/move",
        json.dumps({"target": "realised"}),
        content_type="application/json",
    )
    assert refused.status_code == 422
    for target in ("under_study", "agreed", "realised"):
        r = cement.post(
            f"/api/symbiosis/synergies/{s.pk}/move",
            json.dumps({"target": target}),
            content_type="application/json",
        )
        assert r.json()["state"] == target
    report = cement.post(
        f"/api/symbiosis/synergies/{s.pk}/reports",
        json.dumps({"period_end": "2026-09-30", "quantity": 1.5, "unit": "kt"}),
        content_type="application/json",
    )
    assert report.status_code == 201
    assert report.json()["quantity"] == pytest.approx(1500)
    wrong = cement.post(
        f"/api/symbiosis/synergies/{s.pk}/reports",
        json.dumps({"period_end": "2026-09-30", "quantity": 1, "unit": "MWh"}),
        content_type="application/json",
    )
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"][-1] == "unit"
    totals = cement.get("/api/symbiosis/totals?period=year").json()
    assert totals[0]["quantity"] == pytest.approx(1500)


def test_factors_and_runs_through_the_api(django_capture_on_commit_callbacks) -> None:
    w = world()
    factors = Client().get("/api/symbiosis/impact-factors").json()
    assert {f["key"] for f in factors} >= {"transport_cost_eur_per_tkm", "truck_kgco2e_per_tkm"}
    assert (
        api(w.steel_user)
        .put(
            "/api/symbiosis/impact-factors/road_circuity",
            json.dumps({"value": 1.2}),
            content_type="application/json",
        )
        .status_code
        == 403
    )
    staff = api(w.staff)
    factor = {"value": 1.2, "source": "own GIS"}
    put = "/api/symbiosis/impact-factors/road_circuity"
    # every cluster's estimates use the factors: one cluster's staff may not change them (before issue 11
    # they could), the superuser may
    assert staff.put(put, json.dumps(factor), content_type="application/json").status_code == 403
    admin = api(UserFactory(username="admin", is_superuser=True))
    set_ = admin.put(put, json.dumps(factor), content_type="application/json")
    assert set_.json()["value"] == 1.2
    assert set_.json()["source"] == "own GIS"
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post("/api/symbiosis/match", "{}", content_type="application/json").status_code == 202
    assert Synergy.objects.filter(have=w.slag, want=w.slag_want).exists()
    with django_capture_on_commit_callbacks(execute=True):
        started = staff.post(
            "/api/symbiosis/allocations",
            json.dumps({"region": "", "fixed_cost_per_link": 1000}),
            content_type="application/json",
        )
    assert started.status_code == 202
    run = staff.get(f"/api/symbiosis/allocations/{started.json()['run_id']}").json()
    assert run["status"] == "succeeded"
    assert run["result"]["optimal"]["optimal"]
    assert api(w.steel_user).get(f"/api/symbiosis/allocations/{run['id']}").status_code == 403


# -- CLI ---------------------------------------------------------------------------------------------


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
    result = CliRunner().invoke(
        main,
        [
            "symbiosis",
            "rank-receivers",
            "--learn-from",
            str(learn),
            "--queries",
            str(queries),
            "--top",
            "3",
            "--output",
            str(out),
            "--encoder",
            "hashing",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert list(rows[0]) == ["query_index", "rank", "nace_code", "score"]
    assert len(rows) == 9  # three queries (even the empty one keeps its index) x top 3
    assert [(r["query_index"], r["rank"]) for r in rows[:3]] == [("0", "1"), ("0", "2"), ("0", "3")]
    assert rows[0]["nace_code"] == "2351"
    assert rows[3]["nace_code"] == "3511"
    assert float(rows[0]["score"]) >= float(rows[1]["score"])
    assert {r["query_index"] for r in rows} == {"0", "1", "2"}


def test_rank_receivers_names_a_missing_column(tmp_path) -> None:
    learn = tmp_path / "exchanges.csv"
    learn.write_text("Case Number,Waste description\n1,slag\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["symbiosis", "rank-receivers", "--learn-from", str(learn), "--queries", str(learn)],
    )
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


def test_a_members_cli_export_withholds_anonymous_owners(tmp_path) -> None:
    w = world()
    matching.run_matching()
    s = Synergy.objects.get(have=w.heat, want=w.heat_want)
    from tests.factories import member_user

    grower = member_user(w.grower, "grower")
    assert visibility.owner_label(grower, s.have) != "Geheim Chemie"
    flows = ResourceFlow.objects.filter(pk=w.heat.pk)
    assert all("withheld" in visibility.flow_public_dict(grower, f)["owner"] for f in flows)


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
    result = CliRunner().invoke(
        main,
        [
            "symbiosis",
            "rank-receivers",
            "--learn-from",
            str(learn),
            "--queries",
            str(queries),
            "--top",
            "1",
            "--encoder",
            "none",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "1 rows without a receiving industry or a waste left out (lines 30)" in result.output
    assert "0,1,2351," in result.output


def test_the_receiver_model_is_learned_once_and_again_when_its_sources_change(tmp_path) -> None:
    from unittest import mock

    from helix.core.symbiosis.receivers import ReceiverModel

    receivers.reset_model()
    assert receivers.receiver_model() is None  # nothing documented yet
    receivers.import_exchanges(corpus(), "corpus.csv")
    with mock.patch.object(ReceiverModel, "learn", wraps=ReceiverModel.learn) as learn:
        first = receivers.receiver_model()
        assert receivers.receiver_model() is first
        assert learn.call_count == 1
        # another process (the admin, a worker) adds a row: no reset here, the summary notices it
        DocumentedExchange.objects.create(source="admin", case="x", ewc="100202", receiver_nace="4212")
        assert receivers.receiver_model() is not first
        assert "4212" in receivers.receiver_model().labels
        assert learn.call_count == 2


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
