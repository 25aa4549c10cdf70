"""Flows are validated field by field; matching proposes synergies with reasons and impact; the
synergy workflow moves through its states with roles, reasons and history; realised synergies report
quantities in compatible units only, and the dashboard sums them over time."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, TestCase

from helix.jobs.models import Job
from helix.symbiosis import allocation, impact, matching, synergy_workflow
from helix.symbiosis.models import AllocationRun, ResourceFlow, Synergy, SynergyEvent
from tests.factories import UserFactory, member_user
from tests.symbiosis.helpers import flow, world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_flow_errors_name_their_fields() -> None:
    w = world()
    bad = ResourceFlow(
        organisation=w.steel,
        site=w.steel.sites.first(),
        direction="have",
        kind="material",
        title="x",
        ewc_code="99 99 99",
        quantity=10,
        unit="MWh",
    )
    with pytest.raises(ValidationError) as info:
        bad.full_clean()
    errors = info.value.message_dict
    assert "is not an entry of the European List of Waste" in errors["ewc_code"][0]
    assert "measured in mass, volume, not in MWh" in errors["unit"][0]
    heat = ResourceFlow(
        organisation=w.chem,
        site=w.chem.sites.first(),
        direction="have",
        kind="heat",
        title="h",
        supply_temperature_c=50,
        return_temperature_c=70,
        hours_per_year=9000,
    )
    with pytest.raises(ValidationError) as info:
        heat.full_clean()
    errors = info.value.message_dict
    # no power and no energy: the heat is not stated (under the quantity, where power or energy goes)
    assert set(errors) >= {"quantity", "hours_per_year", "return_temperature_c"}
    assert "as a power (MW or kW" in errors["quantity"][0]
    other_site = ResourceFlow(
        organisation=w.steel,
        site=w.cement.sites.first(),
        direction="want",
        kind="water",
        title="w",
        quantity=5,
        unit="m3",
    )
    with pytest.raises(ValidationError, match="another organisation"):
        other_site.full_clean()


def test_codes_are_stored_normalised_and_hazardous_codes_mark_the_flow() -> None:
    w = world()
    assert w.slag.ewc_code == "100202"
    assert w.secret.ewc_code == "070104"
    assert w.secret.hazardous


def test_matching_proposes_with_reasons_and_impact() -> None:
    w = world()
    summary = matching.run_matching()
    assert summary["created"] >= 2
    slag = Synergy.objects.get(have=w.slag, want=w.slag_want)
    assert slag.quantity == pytest.approx(3000)  # 250 t/month against 4,000 t/year
    assert slag.unit == "t"
    assert any("the same waste code 10 02 02" in r for r in slag.reasons)
    assert slag.impact["tonnes_diverted"] == pytest.approx(3000)
    assert slag.impact["money_saved_eur"] > 0
    heat = Synergy.objects.get(have=w.heat, want=w.heat_want)
    assert heat.heat["fit"] == "direct"
    assert heat.unit == "MWh"
    assert not Synergy.objects.filter(have=w.secret).exists()  # hazardous: nobody accepts it
    # running again changes nothing and keeps the proposals
    again = matching.run_matching()
    assert again["created"] == 0
    assert again["removed"] == 0


def test_a_flow_closed_withdraws_its_open_proposals_but_not_ongoing_ones() -> None:
    w = world()
    matching.run_matching()
    heat = Synergy.objects.get(have=w.heat, want=w.heat_want)
    synergy_workflow.move(w.staff, heat, "contacted")
    w.slag.status = "closed"
    w.slag.save()
    w.heat.status = "closed"
    w.heat.save()
    result = matching.run_matching()
    assert result["removed"] == 1
    assert not Synergy.objects.filter(have=w.slag).exists()
    assert Synergy.objects.filter(pk=heat.pk, state="contacted").exists()


def test_the_workflow_with_roles_reasons_and_history() -> None:
    w = world()
    matching.run_matching()
    s = Synergy.objects.get(have=w.slag, want=w.slag_want)
    with pytest.raises(PermissionDenied):
        synergy_workflow.move(w.outsider_user, s, "dropped", "no")
    with pytest.raises(ValidationError, match="both_parties"):
        synergy_workflow.move(w.steel_user, s, "contacted")  # one party cannot make contact alone
    synergy_workflow.accept_contact(w.steel_user, s)
    s.refresh_from_db()
    assert s.state == "proposed"
    assert s.have_accepted
    assert not s.want_accepted
    synergy_workflow.accept_contact(w.cement_user, s)
    s.refresh_from_db()
    assert s.state == "contacted"
    with pytest.raises(ValidationError, match="no transition from 'contacted' to 'realised'"):
        synergy_workflow.move(w.steel_user, s, "realised")
    synergy_workflow.move(w.steel_user, s, "under_study")
    synergy_workflow.move(w.cement_user, s, "agreed")
    with pytest.raises(ValidationError, match="Say why"):
        synergy_workflow.move(w.cement_user, s, "dropped", "  ")
    synergy_workflow.move(w.cement_user, s, "realised")
    history = list(SynergyEvent.objects.filter(synergy=s).values_list("from_state", "to_state"))
    assert history == [
        ("proposed", "contacted"),
        ("contacted", "under_study"),
        ("under_study", "agreed"),
        ("agreed", "realised"),
    ]


def test_dropping_needs_a_reason_and_staff_can_reopen() -> None:
    w = world()
    matching.run_matching()
    s = Synergy.objects.get(have=w.slag, want=w.slag_want)
    synergy_workflow.move(w.cement_user, s, "dropped", "quality too variable")
    s.refresh_from_db()
    assert (s.state, s.dropped_reason) == ("dropped", "quality too variable")
    with pytest.raises(ValidationError):
        synergy_workflow.move(w.cement_user, s, "proposed")
    synergy_workflow.move(w.staff, s, "proposed")
    s.refresh_from_db()
    assert s.state == "proposed"
    assert s.dropped_reason == ""


def realised(w) -> Synergy:
    matching.run_matching()
    s = Synergy.objects.get(have=w.slag, want=w.slag_want)
    for target in ("contacted", "under_study", "agreed", "realised"):
        synergy_workflow.move(w.staff, s, target)
    s.refresh_from_db()
    return s


def test_reports_convert_units_and_refuse_other_dimensions() -> None:
    w = world()
    s = realised(w)
    end = dt.date(2026, 3, 31)
    r = synergy_workflow.report(w.cement_user, s, period_end=end, quantity=700_000, unit="kg")
    assert (r.quantity, r.unit) == (pytest.approx(700), "t")
    assert r.money_saved_eur == pytest.approx(s.impact["money_saved_eur"] * 700 / s.quantity)
    with pytest.raises(ValidationError, match=r"cannot convert MWh \(energy\) to t \(mass\)"):
        synergy_workflow.report(w.cement_user, s, period_end=dt.date(2026, 3, 31), quantity=5, unit="MWh")
    with pytest.raises(PermissionDenied):
        synergy_workflow.report(w.outsider_user, s, period_end=dt.date(2026, 3, 31), quantity=5, unit="t")


def test_only_realised_synergies_report() -> None:
    w = world()
    matching.run_matching()
    s = Synergy.objects.get(have=w.slag, want=w.slag_want)
    with pytest.raises(ValidationError, match="Only a realised synergy"):
        synergy_workflow.report(w.cement_user, s, period_end=dt.date(2026, 3, 31), quantity=5, unit="t")


def test_totals_over_time_on_the_dashboard() -> None:
    w = world()
    s = realised(w)
    synergy_workflow.report(
        w.cement_user, s, period_end=dt.date(2026, 2, 28), quantity=200, unit="t", co2e_avoided_t=80
    )
    synergy_workflow.report(
        w.cement_user, s, period_end=dt.date(2026, 3, 31), quantity=300, unit="t", co2e_avoided_t=120
    )
    synergy_workflow.report(
        w.cement_user, s, period_end=dt.date(2026, 5, 31), quantity=250, unit="t", co2e_avoided_t=100
    )
    rows = synergy_workflow.totals(w.staff)
    assert [(r["period_end"], r["quantity"], r["cumulative_quantity"]) for r in rows] == [
        (dt.date(2026, 3, 31), 500, 500),
        (dt.date(2026, 6, 30), 250, 750),
    ]
    assert rows[-1]["cumulative_co2e_t"] == 300
    assert synergy_workflow.totals(w.outsider_user) == []
    c = Client()
    c.force_login(w.staff)
    page = c.get("/symbiosis/dashboard/").content.decode()
    assert "<td>30 June 2026</td>" in page  # English as read in Belgium: day first


def test_impact_factors_are_edited_by_the_superuser_and_used() -> None:
    """One table of factors feeds every cluster's estimates: a member or one cluster's staff may not
    change it (staff could, before issue 11), the superuser may."""
    w = world()
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    matching.run_matching()
    before = Synergy.objects.get(have=w.slag, want=w.slag_want).impact["transport_cost_eur"]
    for user in (w.steel_user, w.staff):
        with pytest.raises(PermissionDenied):
            impact.set_factor(user, "transport_cost_eur_per_tkm", 0.24)
    impact.set_factor(admin, "transport_cost_eur_per_tkm", 0.24, "haulier quote 2026")
    matching.run_matching()
    after = Synergy.objects.get(have=w.slag, want=w.slag_want).impact["transport_cost_eur"]
    assert after == pytest.approx(2 * before)
    row = next(r for r in impact.factor_table() if r["key"] == "transport_cost_eur_per_tkm")
    assert (row["value"], row["default"], row["source"], row["edited"]) == (
        0.24,
        0.12,
        "haulier quote 2026",
        True,
    )
    with pytest.raises(ValidationError):
        impact.set_factor(admin, "nonsense", 1)
    c = Client()
    c.force_login(w.staff)
    page = c.get("/symbiosis/impact-factors/").content.decode()
    assert "haulier quote 2026" in page
    assert 'name="value"' not in page  # no form for staff
    for user in (w.steel_user, w.staff):
        c.force_login(user)
        assert c.post("/symbiosis/impact-factors/", {"key": "road_circuity", "value": "2"}).status_code == 403
    c.force_login(admin)
    assert 'name="value"' in c.get("/symbiosis/impact-factors/").content.decode()


class BackgroundRuns(TestCase):
    def test_matching_and_allocation_run_as_jobs_and_keep_their_result(self) -> None:
        w = world()
        with self.captureOnCommitCallbacks(execute=True):
            job = matching.start_matching(w.staff, "")
        job.refresh_from_db()
        assert job.status == "succeeded"
        assert job.result["proposals"] >= 2
        with self.captureOnCommitCallbacks(execute=True):
            run = allocation.start_allocation(w.staff, "")
        run.refresh_from_db()
        best, greedy = run.result["optimal"], run.result["greedy"]
        assert best["optimal"]
        assert best["cost_eur"] <= greedy["cost_eur"] < 0
        assert {(a["have"], a["want"]) for a in best["assignments"]} >= {(w.slag.pk, w.slag_want.pk)}
        c = Client()
        c.force_login(w.staff)
        page = c.get(f"/symbiosis/allocations/{run.pk}/").content.decode()
        assert "Greedy nearest match" in page
        assert "Blast furnace slag" in page
        with pytest.raises(PermissionDenied):
            allocation.start_allocation(w.steel_user, "")

    def test_a_failed_allocation_leaves_the_last_good_one(self) -> None:
        w = world()
        with self.captureOnCommitCallbacks(execute=True):
            good = allocation.start_allocation(w.staff, "")
        good.refresh_from_db()
        from helix.core.symbiosis import AllocationError
        from helix.jobs.services import run_job

        def crashing_solver(*args: object, **kwargs: object) -> None:
            raise AllocationError("solver crashed")

        run = allocation.start_allocation(w.staff, "")  # queued; its job runs here with a solver that fails
        with pytest.raises(AllocationError):
            run_job(run.job_id, lambda progress: allocation.run_allocation(run.pk, progress, crashing_solver))
        failed = AllocationRun.objects.exclude(pk=good.pk).get()
        assert failed.job.status == "failed"
        assert "solver crashed" in failed.job.error
        assert failed.result == {}
        good.refresh_from_db()
        assert good.result["optimal"]["assignments"]


def test_member_can_describe_a_flow_through_the_form(django_capture_on_commit_callbacks) -> None:
    w = world()
    c = Client()
    c.force_login(w.cement_user)
    site = w.cement.sites.first()
    fields = {
        "direction": "want",
        "kind": "material",
        "title": "Fly ash",
        "description": "fly ash for cement",
        "site": site.pk,
        "ewc_code": "10 01 02",
        "quantity": "1200",
        "unit": "t",
        "period": "year",
        "confidentiality": "members",
        "status": "active",
        "quality_moisture_pct": "5",  # a want: the most it accepts
        "physical_form": "granular",
    }
    flow(
        w.steel,
        direction="have",
        kind="material",
        title="Boiler fly ash",
        ewc_code="100102",
        quantity=800,
        unit="t",
        confidentiality="public",
        quality={"moisture_pct": 3},
        physical_form="granular",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post("/symbiosis/flows/new/", fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    f = ResourceFlow.objects.get(title="Fly ash")
    assert (f.organisation, f.ewc_code, f.quality) == (w.cement, "100102", {"moisture_pct_max": 5})
    # saving the flow refreshed the proposals in the background: no staff needed, across regions
    assert Synergy.objects.filter(want=f, have__title="Boiler fly ash").exists()
    assert Job.objects.filter(kind="symbiosis-match:auto", status="succeeded").exists()
    bad = c.post(
        "/symbiosis/flows/new/",
        {
            "direction": "have",
            "kind": "material",
            "title": "x",
            "site": site.pk,
            "quantity": "1",
            "unit": "MWh",
            "period": "year",
            "confidentiality": "members",
            "status": "active",
            "quality_moisture_pct": "120",
        },
    )
    body = bad.content.decode()
    assert bad.status_code == 200
    assert "less than or equal to 100" in body
    assert "European List of Waste code" in body
    assert c.get(f"/symbiosis/flows/{w.slag.pk}/edit/").status_code == 403


def test_ewc_pages_and_suggestions() -> None:
    c = Client()
    assert "Wastes from thermal processes" in c.get("/symbiosis/waste-codes/").content.decode()
    page = c.get("/symbiosis/waste-codes/?code=1002").content.decode()
    assert "10 02 02" in page
    assert "Unprocessed slag" in page
    assert "Unprocessed slag" in c.get("/symbiosis/waste-codes/?q=unprocessed+slag").content.decode()
    assert "16 01 03" in c.get("/symbiosis/waste-codes/suggest/?description=Altreifen").content.decode()
    assert c.get("/symbiosis/waste-codes/?code=99").status_code == 404


def test_map_draws_sites_and_exchanges_without_tiles() -> None:
    w = world()
    matching.run_matching()
    c = Client()
    c.force_login(w.staff)
    page = c.get("/symbiosis/map/").content.decode()
    assert page.count("<circle") == 5
    assert page.count("<line") >= 3  # two proposals and the scale bar
    # nothing is fetched from elsewhere: no external address anywhere on the page, no images
    assert re.findall(r"(?:src|href)=\"(https?:)?//", page) == []
    assert "<img" not in page


def test_map_coordinates_are_not_localised() -> None:
    """A Dutch or French page writes 218,9 for 218.9; inside SVG that would break every position."""
    w = world()
    matching.run_matching()
    c = Client()
    c.force_login(w.staff)
    for language in ("nl", "fr", "de"):
        page = c.get("/symbiosis/map/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
        positions = re.findall(r'\b(?:cx|cy|x1|y1|x2|y2|x|y)="([^"]*)"', svg)
        assert positions
        assert all(re.fullmatch(r"-?\d+(\.\d+)?", p) for p in positions), positions[:5]


def test_synergy_page_explains_and_acts() -> None:
    w = world()
    matching.run_matching()
    s = Synergy.objects.get(have=w.slag, want=w.slag_want)
    c = Client()
    c.force_login(w.steel_user)
    page = c.get(f"/symbiosis/synergies/{s.pk}/").content.decode()
    assert "the same waste code 10 02 02" in page
    assert "Diverted from landfill" in page
    assert 'id="accept-contact"' in page
    c.post(f"/symbiosis/synergies/{s.pk}/accept/")
    s.refresh_from_db()
    assert s.have_accepted
    c.post(f"/symbiosis/synergies/{s.pk}/move/", {"target": "dropped", "note": ""})
    s.refresh_from_db()
    assert s.state == "proposed"  # refused: no reason
    outsider = Client()
    outsider.force_login(member_user(w.outsider, "other"))
    assert outsider.get(f"/symbiosis/synergies/{s.pk}/").status_code == 404


def test_a_new_want_in_tonnes_is_not_matched_with_heat() -> None:
    w = world()
    flow(
        w.grower, direction="want", kind="material", title="Compost", ewc_code="190503", quantity=50, unit="t"
    )
    matching.run_matching()
    assert not Synergy.objects.filter(have=w.heat, want__title="Compost").exists()


def test_reasons_are_shown_in_the_readers_language() -> None:
    w = world()
    matching.run_matching()
    s = Synergy.objects.get(have=w.slag, want=w.slag_want)
    c = Client()
    c.force_login(w.steel_user)
    dutch = c.get(f"/symbiosis/synergies/{s.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "afvalcode: dezelfde afvalcode 10 02 02" in dutch
    assert "km over de weg: transport EUR" in dutch
    assert "afvalstatus: toets de criteria" in dutch
    german = c.get(f"/symbiosis/synergies/{s.pk}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Menge: 3.000 t/Jahr austauschbar, 75% des Angebots und 100% des Bedarfs" in german


def test_an_unknown_reason_code_falls_back_to_english() -> None:
    from helix.symbiosis.explain import translated

    assert translated([["no.such.code", {}]], ["plain English"]) == ["plain English"]
    assert translated([["road", {"wrong": 1}]], ["12 km by road"]) == ["12 km by road"]
    assert translated([], ["mismatched"]) == ["mismatched"]


def test_flow_list_filters_by_words_kind_and_direction() -> None:
    w = world()
    c = Client()
    c.force_login(w.staff)
    page = c.get("/symbiosis/?q=slag").content.decode()
    assert "Blast furnace slag" in page
    assert "Slag for clinker" in page
    assert "Spent solvent" not in page
    page = c.get("/symbiosis/?kind=heat&direction=have").content.decode()
    assert "Cooling water heat" in page
    assert "Greenhouse heating" not in page
    # searching by an anonymous owner's name finds nothing: names are not searchable
    assert "Spent solvent" not in client_page(w.outsider_user, "/symbiosis/?q=Geheim")


def client_page(user, url: str) -> str:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c.get(url).content.decode()


def test_the_allocation_leaves_out_pairs_their_parties_dropped() -> None:
    w = world()
    matching.run_matching()
    slag = Synergy.objects.get(have=w.slag, want=w.slag_want)
    run = AllocationRun.objects.create(region="")
    allocation.run_allocation(run.pk)
    run.refresh_from_db()
    pairs = {(a["have"], a["want"]) for a in run.result["optimal"]["assignments"]}
    assert (w.slag.pk, w.slag_want.pk) in pairs
    synergy_workflow.move(w.cement_user, slag, "dropped", "chloride content too high")
    again = AllocationRun.objects.create(region="")
    allocation.run_allocation(again.pk)
    again.refresh_from_db()
    pairs = {(a["have"], a["want"]) for a in again.result["optimal"]["assignments"]}
    assert (w.slag.pk, w.slag_want.pk) not in pairs
    assert (w.heat.pk, w.heat_want.pk) in pairs
