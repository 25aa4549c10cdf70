"""Integration: programme cycles (seed 003). Staff start a programme and plan cycles with work domains
proposed from the open needs; a cycle moves phase by phase with dated steps, refused with every reason
while a phase misses what it exists for; phases link needs, events and projects of the cluster that the
user may see; outputs of a working table are reused by other cities; pages show each visitor only what
they may see; the cycle's report names its phases and public outputs (HTML and the PDF's text)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from helix.core.insights import Period
from helix.insights import programmes as services
from helix.insights import reports
from helix.insights.models import CycleStep, OutputReuse, PhaseLink
from helix.insights.services import InsightsError
from helix.registry.models import Domain, OrganisationKind
from tests.factories import EventFactory, ListingFactory, OrganisationFactory, ProjectFactory
from tests.factories.projects import ProjectMemberFactory
from tests.factories.registry import MembershipFactory, member_user
from tests.insights.test_report import needs_pdftotext, pdf_text
from tests.insights.world import build

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

TODAY = dt.date.today()


@pytest.fixture
def world():
    w = build()
    w.heat = Domain.objects.create(cluster=w.cluster, name="Green heat", slug="green-heat")
    w.lighting = Domain.objects.create(cluster=w.cluster, name="Public lighting", slug="lighting")
    w.city = OrganisationFactory(name="City of Genk", kind=OrganisationKind.GOVERNMENT, size_class="")
    w.city2 = OrganisationFactory(name="City of Kortrijk", kind=OrganisationKind.GOVERNMENT, size_class="")
    for org in (w.city, w.city2):
        MembershipFactory(organisation=org, cluster=w.cluster, level="member")
    w.city_user = member_user(w.city, "genk")
    w.city2_user = member_user(w.city2, "kortrijk")
    return w


def _need(world, org, domains, title="A need", **extra):
    need = ListingFactory(organisation=org, side="need", title=title, published_on=TODAY, **extra)
    need.domains.set(domains)
    return need


def _programme(world, visibility="public"):
    return services.start_programme(
        world.staff, world.cluster, {"name": "Smart Energy Cities", "visibility": visibility}
    )


def _cycle(world, programme, domains=()):
    return services.start_cycle(
        world.staff,
        programme,
        {"starts_on": dt.date(2026, 1, 1), "ends_on": dt.date(2027, 12, 31), "work_domains": list(domains)},
    )


def test_work_domains_are_proposed_from_the_open_needs(world):
    _need(world, world.city, [world.heat])
    _need(world, world.city2, [world.heat, world.lighting])
    _need(world, world.orgs["beta"], [world.lighting])  # a company: counts once, cities twice
    _need(world, world.city, [world.heat], status="draft")  # not open: not counted
    programme = _programme(world)
    found = services.propose_domains(programme)
    assert [(p.domain.name, p.found.score, p.found.public_bodies) for p in found] == [
        ("Green heat", 4.0, 2),
        ("Public lighting", 3.0, 1),
    ]
    cycle = _cycle(world, programme, [world.heat])
    assert [p.found.previous for p in services.propose_domains(programme)] == [True, False]
    assert cycle.number == 1
    assert _cycle(world, programme).number == 2


def test_a_cycle_moves_phase_by_phase_and_says_what_it_misses(world):
    programme = _programme(world)
    cycle = _cycle(world, programme)
    cycle = services.move_cycle(world.staff, cycle, "needs_inventory")
    with pytest.raises(InsightsError) as refused:
        services.move_cycle(world.staff, cycle, "deepening")
    assert [r.code for r in refused.value.params["refusals"]] == [
        "cycle_needs_missing",
        "cycle_domains_missing",
    ]
    cycle.refresh_from_db()
    assert cycle.state == "needs_inventory"
    need = _need(world, world.city, [world.heat])
    services.link(world.staff, cycle, "needs_inventory", "need", need.pk)
    cycle.work_domains.set([world.heat])
    cycle = services.move_cycle(world.staff, cycle, "deepening")
    with pytest.raises(InsightsError) as refused:
        services.move_cycle(world.staff, cycle, "trajectories")
    assert refused.value.code == "cycle_event_missing"
    event = EventFactory(cluster=world.cluster)
    services.link(world.staff, cycle, "deepening", "event", event.pk)
    cycle = services.move_cycle(world.staff, cycle, "trajectories")
    table = ProjectFactory(cluster=world.cluster, kind="working_table", visibility="public")
    ProjectMemberFactory(project=table, organisation=world.city, role="coordinator")
    services.link(world.staff, cycle, "trajectories", "project", table.pk)
    cycle = services.move_cycle(world.staff, cycle, "dissemination")
    with pytest.raises(InsightsError) as refused:
        services.move_cycle(world.staff, cycle, "closed")
    assert refused.value.code == "cycle_output_missing"
    _output(world, cycle, table, phase="dissemination")
    cycle = services.move_cycle(world.staff, cycle, "closed")
    steps = list(CycleStep.objects.filter(cycle=cycle).values_list("state", flat=True))
    assert steps == ["planned", "needs_inventory", "deepening", "trajectories", "dissemination", "closed"]
    assert set(services.phase_dates(cycle)) == {
        "needs_inventory",
        "deepening",
        "trajectories",
        "dissemination",
    }
    with pytest.raises(InsightsError) as refused:
        services.link(world.staff, cycle, "dissemination", "event", event.pk)
    assert refused.value.code == "cycle_closed"


def _output(world, cycle, project, phase="trajectories", visibility="public", title=None):
    return services.add_output(
        world.staff,
        cycle,
        {
            "phase": phase,
            "kind": "specification",
            "title": title or "Tender template for heat networks",
            "summary": "A tender specification for a district heat network, for any city.",
            "language": "en",
            "project": project,
            "domains": [world.heat],
            "visibility": visibility,
        },
    )


def test_only_staff_run_a_cycle_and_only_records_they_may_see_of_the_cluster(world):
    programme = _programme(world)
    cycle = _cycle(world, programme)
    cycle = services.move_cycle(world.staff, cycle, "needs_inventory")
    need = _need(world, world.city, [world.heat])
    for user in (world.member, world.city_user, world.other_staff):
        with pytest.raises(InsightsError) as refused:
            services.link(user, cycle, "needs_inventory", "need", need.pk)
        assert refused.value.code == "programme_not_allowed"
        with pytest.raises(InsightsError):
            services.move_cycle(user, cycle, "deepening")
    other_event = EventFactory(cluster=world.other)  # open, so anyone sees it: but not this cluster's
    with pytest.raises(InsightsError) as refused:
        services.link(world.staff, cycle, "needs_inventory", "event", other_event.pk)
    assert refused.value.code == "record_of_another_cluster"
    # a draft of an organisation outside the cluster: only its own people see it
    hidden = _need(world, OrganisationFactory(), [world.heat], status="draft")
    with pytest.raises(InsightsError) as refused:
        services.link(world.staff, cycle, "needs_inventory", "need", hidden.pk)
    assert refused.value.code == "no_such_record"
    foreign = _need(world, world.city, [])  # a need in none of the cluster's domains
    with pytest.raises(InsightsError) as refused:
        services.link(world.staff, cycle, "needs_inventory", "need", foreign.pk)
    assert refused.value.code == "record_of_another_cluster"
    with pytest.raises(InsightsError) as refused:
        services.link(
            world.staff, cycle, "needs_inventory", "project", ProjectFactory(cluster=world.cluster).pk
        )
    assert refused.value.code == "cycle_link_kind"
    services.link(world.staff, cycle, "needs_inventory", "need", need.pk)
    with pytest.raises(InsightsError) as refused:
        services.link(world.staff, cycle, "needs_inventory", "need", need.pk)
    assert refused.value.code == "linked_already"
    assert PhaseLink.objects.filter(cycle=cycle).count() == 1


def test_another_city_reuses_a_working_tables_output_and_finds_it_from_its_need(world):
    programme = _programme(world)
    cycle = _cycle(world, programme, [world.heat])
    for state in ("needs_inventory", "deepening", "trajectories"):
        cycle.state = state
    cycle.save()
    table = ProjectFactory(cluster=world.cluster, kind="working_table", visibility="public")
    ProjectMemberFactory(project=table, organisation=world.city, role="coordinator")
    with pytest.raises(InsightsError) as refused:
        _output(world, cycle, table)
    assert refused.value.code == "project_not_in_cycle"
    services.link(world.staff, cycle, "trajectories", "project", table.pk)
    output = _output(world, cycle, table)
    # the city that made it does not "reuse" it; Kortrijk, with the same problem, does
    with pytest.raises(InsightsError) as refused:
        services.record_reuse(world.city_user, output, "ours")
    assert refused.value.code == "own_output"
    need = _need(world, world.city2, [world.heat], title="Tender for a district heat network")
    assert [o.pk for o, _why in services.outputs_for_need(world.city2_user, need)] == [output.pk]
    assert [n.pk for n, _why in services.needs_for_output(world.city2_user, output)] == [need.pk]
    services.record_reuse(world.city2_user, output, "Our 2027 heat network tender")
    services.record_reuse(world.city2_user, output, "Our 2028 heat network tender")  # changes the note
    assert list(OutputReuse.objects.values_list("organisation__name", "note")) == [
        ("City of Kortrijk", "Our 2028 heat network tender")
    ]
    staff_only = _output(world, cycle, table, visibility="staff", title="Internal notes")
    assert services.outputs_for_need(world.city2_user, need) == [
        (output, services.outputs_for_need(world.staff, need)[0][1])
    ]
    assert staff_only.pk in {o.pk for o, _why in services.outputs_for_need(world.staff, need)}


def test_pages_show_a_programme_as_far_as_its_visibility_reaches(world):
    public = _programme(world)
    staff_only = _programme(world, visibility="staff")
    cycle = _cycle(world, public, [world.heat])
    anonymous, staff = Client(), Client()
    staff.force_login(world.staff)
    listing = anonymous.get("/programmes/").content.decode()
    assert f"/programmes/{public.pk}/" in listing
    assert f"/programmes/{staff_only.pk}/" not in listing
    assert anonymous.get(f"/programmes/{staff_only.pk}/").status_code == 404
    page = anonymous.get(f"/programmes/cycles/{cycle.pk}/").content.decode()
    assert "Green heat" in page
    assert 'id="move-cycle"' not in page
    page = staff.get(f"/programmes/cycles/{cycle.pk}/").content.decode()
    assert 'id="move-cycle"' in page
    response = staff.post(f"/programmes/cycles/{cycle.pk}/move/", {"target": "needs_inventory"})
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.state == "needs_inventory"
    page = staff.get(f"/programmes/cycles/{cycle.pk}/").content.decode()
    assert 'id="cycle-missing"' in page
    assert "Link at least one need" in page
    need = _need(world, world.city, [world.heat], title="Heat for 1,200 homes", visibility="staff")
    staff.post(f"/programmes/cycles/{cycle.pk}/link/", {"record": f"need:{need.pk}"})
    assert PhaseLink.objects.filter(cycle=cycle, need=need).exists()
    # the staff-only need is linked, but an anonymous visitor does not see it on the cycle's page
    assert "Heat for 1,200 homes" in staff.get(f"/programmes/cycles/{cycle.pk}/").content.decode()
    assert "Heat for 1,200 homes" not in anonymous.get(f"/programmes/cycles/{cycle.pk}/").content.decode()
    response = staff.post(
        f"/programmes/{public.pk}/cycles/new/",
        {"starts_on": "2028-01-01", "ends_on": "2027-01-01", "work_domains": [world.heat.pk]},
    )
    assert response.status_code == 400
    assert "The cycle ends before it starts." in response.content.decode()


def _cycle_report(world, language="nl"):
    programme = _programme(world)
    cycle = _cycle(world, programme, [world.heat])
    cycle.state = "trajectories"
    cycle.save()
    CycleStep.objects.create(cycle=cycle, state="needs_inventory", on=dt.date(2026, 1, 1))
    CycleStep.objects.create(cycle=cycle, state="deepening", on=dt.date(2026, 3, 1))
    CycleStep.objects.create(cycle=cycle, state="trajectories", on=dt.date(2026, 6, 1))
    table = ProjectFactory(cluster=world.cluster, kind="working_table", visibility="public")
    services.link(world.staff, cycle, "trajectories", "project", table.pk)
    public = _output(world, cycle, table, title="Heat network tender template")
    _output(world, cycle, table, visibility="staff", title="Confidential price list")
    OutputReuse.objects.create(output=public, organisation=world.city2)
    return reports.build(
        world.cluster, Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31)), language, cycle_id=cycle.pk
    )


def test_the_cycle_report_names_its_phases_and_public_outputs(world):
    report = _cycle_report(world)
    assert report.title == "Smart Energy Cities: verslag van cyclus 1"
    cycle = report.sections[0]
    assert cycle.key == "cycle"
    phases = cycle.tables[0].rows
    assert [row[:3] for row in phases] == [
        ("Inventaris van de noden", "1-1-2026", "1-3-2026"),
        ("Uitdieping en matchmaking", "1-3-2026", "1-6-2026"),
        ("Innovatietrajecten en werktafels", "1-6-2026", ""),
    ]
    assert phases[2][3:] == ("0", "0", "1", "2")  # one working table, two outputs (one staff-only)
    html = reports.as_html(report)
    assert "Heat network tender template" in html
    assert "City of Kortrijk" in html
    assert "Confidential price list" not in html


@needs_pdftotext
def test_the_cycle_reports_pdf_reads_back_its_outputs(world, tmp_path):
    report = _cycle_report(world, "fr")
    text = " ".join(pdf_text(reports.as_pdf(report), tmp_path).split())  # table cells wrap in the PDF
    assert "Smart Energy Cities : rapport du cycle 1" in text
    assert "Heat network tender template" in text
    assert "Le cycle 1 a duré du 1 janvier 2026 au 31 décembre 2027." in text
    assert "Confidential price list" not in text


def test_the_command_writes_a_cycles_report_for_its_staff_only(world, tmp_path):
    from click.testing import CliRunner

    from helix.cli import main

    programme = _programme(world)
    cycle = _cycle(world, programme, [world.heat])
    out = tmp_path / "cycle.html"
    args = ["insights", "report", "--cluster", "energy", "--cycle", str(cycle.pk), "--output", str(out)]
    result = CliRunner().invoke(main, [*args, "--language", "de", "--as", "energy_staff"])
    assert result.exit_code == 0, result.output
    assert "Smart Energy Cities: Bericht zu Zyklus 1 written to" in result.output
    assert "Arbeitsfelder: Green heat." in out.read_text(encoding="utf-8")
    refused = CliRunner().invoke(main, [*args, "--as", "wood_staff"])
    assert refused.exit_code != 0
    both = CliRunner().invoke(main, [*args, "--year", "2026", "--as", "energy_staff"])
    assert both.exit_code == 2
    assert "give one of --year, --from/--to or --cycle" in both.output


def test_open_data_lists_public_outputs_with_their_reuse(world):
    import csv
    import io

    programme = _programme(world)
    hidden = _programme(world, visibility="staff")
    cycle = _cycle(world, programme, [world.heat])
    cycle.state = "trajectories"
    cycle.save()
    table = ProjectFactory(cluster=world.cluster, kind="working_table", visibility="public")
    services.link(world.staff, cycle, "trajectories", "project", table.pk)
    public = _output(world, cycle, table, title="Heat network tender template")
    _output(world, cycle, table, visibility="staff", title="Confidential price list")
    OutputReuse.objects.create(output=public, organisation=world.city2)
    OutputReuse.objects.create(output=public, organisation=world.city)
    assert hidden.cycles.count() == 0
    rows = list(csv.DictReader(io.StringIO(Client().get("/open-data/outputs.csv").content.decode())))
    assert [(r["title"], r["reused_by"], r["cycle"], r["domains"]) for r in rows] == [
        ("Heat network tender template", "2", "1", "green-heat")
    ]
    assert rows[0]["url"].endswith(f"/programmes/outputs/{public.pk}/")
