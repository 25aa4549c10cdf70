"""Integration: the symbiosis app asks the one permission model (helix.symbiosis.permissions), and the
confidentiality leaks of issue 11 stay closed:

* matching and allocation pair a have and a want only where each side's organisation may see the other's
  flow; a synergy shows each flow to a party only as far as the party may view it (pages, API, CLI);
* staff responsible for one side cannot make contact and so reveal the other side's anonymous owner;
* /symbiosis/flows.csv asks for sign-in and is bounded.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from dataclasses import dataclass
from typing import Any

import pytest
from click.testing import CliRunner
from django.core.exceptions import ValidationError
from django.test import Client

from helix.cli import main
from helix.registry.models import Region
from helix.registry.permissions import can
from helix.symbiosis import allocation, matching, synergy_workflow
from helix.symbiosis.models import ResourceFlow, Synergy
from helix.symbiosis.permissions import Pairing
from helix.symbiosis.views import flows as flow_views
from tests.factories import ClusterFactory, member_user, staff_user
from tests.helpers.clients import api_client, page_client
from tests.symbiosis.helpers import World, flow, organisation, world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PORT = "Haven Warmte"  # an anonymous owner in the second cluster


@dataclass
class TwoClusters:
    """The helpers' world (cluster A, "Circular Flanders") and a second cluster B near Ghent with a port
    company offering heat anonymously to anyone and a dairy wanting heat from members only."""

    a: World
    cluster_b: Any
    staff_b: Any
    port: Any
    dock: Any
    port_user: Any
    dock_user: Any
    grower_user: Any
    port_heat: ResourceFlow
    dock_heat: ResourceFlow
    steel_heat: ResourceFlow


def two_clusters() -> TwoClusters:
    a = world()
    cluster_b = ClusterFactory(name="Haven Cluster")
    port = organisation(PORT, "20.14", "Gent", 51.09, 3.76, Region.OOST_VLAANDEREN, cluster_b)
    dock = organisation("Zuivel Dok", "01.13", "Gent", 51.095, 3.77, Region.OOST_VLAANDEREN, cluster_b)
    heat = {"kind": "heat", "return_temperature_c": 40, "confidentiality": "public"}
    port_heat = flow(
        port,
        direction="have",
        title="Quay heat",
        supply_temperature_c=95,
        return_temperature_c=50,
        power_mw=10,
        hours_per_year=8000,
        kind="heat",
        confidentiality="public",
        anonymous=True,
    )
    dock_heat = flow(
        dock,
        direction="want",
        title="Pasteuriser heat",
        supply_temperature_c=70,
        power_mw=1,
        hours_per_year=4000,
        **{**heat, "confidentiality": "members"},
    )
    steel_heat = flow(
        a.steel,
        direction="want",
        title="Pickling line heat",
        supply_temperature_c=70,
        power_mw=1,
        hours_per_year=4000,
        **heat,
    )
    return TwoClusters(
        a,
        cluster_b,
        staff_user(cluster_b, "officer_b"),
        port,
        dock,
        member_user(port, "port"),
        member_user(dock, "dock"),
        member_user(a.grower, "grower"),
        port_heat,
        dock_heat,
        steel_heat,
    )


def pairs() -> set[tuple[int, int]]:
    return set(Synergy.objects.values_list("have_id", "want_id"))


# -- a. matching pairs only what each side may see -------------------------------------------------------


def test_matching_never_pairs_a_flow_the_other_side_may_not_see():
    w = two_clusters()
    secret_slag = flow(
        w.a.steel,
        direction="have",
        kind="material",
        title="Confidential slag",
        ewc_code="10 02 02",
        quantity=900,
        unit="t",
        confidentiality="staff",
    )

    matching.run_matching()

    found = pairs()
    assert (w.a.heat.pk, w.dock_heat.pk) not in found  # members of A only -> a member of B
    assert (w.a.heat.pk, w.a.heat_want.pk) in found  # members of A -> a member of A
    assert (w.port_heat.pk, w.a.heat_want.pk) not in found  # B's company may not see A's members-only want
    assert (w.port_heat.pk, w.dock_heat.pk) in found  # public -> members of B, both in B
    assert (w.port_heat.pk, w.steel_heat.pk) in found  # public both ways, across clusters
    assert not Synergy.objects.filter(have=secret_slag).exists()  # staff only: paired with nobody
    assert (w.a.slag.pk, w.a.slag_want.pk) in found


def test_the_matched_party_never_sees_a_members_only_flow_of_another_cluster_on_page_or_api():
    w = two_clusters()
    matching.run_matching()
    mine = Synergy.objects.filter(want=w.dock_heat).values_list("have_id", flat=True)

    listed = api_client(w.dock_user).get("/api/symbiosis/synergies").json()
    page = page_client(w.dock_user).get("/symbiosis/synergies/").content.decode()

    assert set(mine) == {w.port_heat.pk}
    assert [(s["have"]["title"], s["want"]["title"]) for s in listed] == [("Quay heat", "Pasteuriser heat")]
    assert "Cooling water heat" not in page  # chem's members-only heat, in cluster A
    assert "Quay heat" in page


def test_the_allocation_pairs_only_what_matching_may_pair():
    w = two_clusters()
    run = allocation.allocate_now(w.a.staff, "")
    assigned = {(a["have"], a["want"]) for a in run.result["optimal"]["assignments"]}
    proposed = {(a["have"], a["want"]) for a in run.result["greedy"]["assignments"]} | assigned

    assert (w.a.heat.pk, w.dock_heat.pk) not in proposed
    assert (w.port_heat.pk, w.a.heat_want.pk) not in proposed
    assert (w.port_heat.pk, w.dock_heat.pk) in assigned


def test_a_synergy_withholds_a_flow_its_party_may_no_longer_see_on_page_and_api():
    """A synergy proposed while both flows were public keeps its state when the steelworks makes its
    slag "staff only": the cement plant still sees the synergy, but not the slag in it."""
    w = world()
    matching.run_matching()
    s = Synergy.objects.get(have=w.slag, want=w.slag_want)
    synergy_workflow.accept_contact(w.cement_user, s)  # accepted: not withdrawn as a stale proposal
    synergy_workflow.accept_contact(w.steel_user, s)
    ResourceFlow.objects.filter(pk=w.slag.pk).update(confidentiality="staff")

    one = api_client(w.cement_user).get(f"/api/symbiosis/synergies/{s.pk}").json()
    listed = api_client(w.cement_user).get("/api/symbiosis/synergies").json()
    page = page_client(w.cement_user).get(f"/symbiosis/synergies/{s.pk}/").content.decode()
    table = page_client(w.cement_user).get("/symbiosis/synergies/").content.decode()

    assert listed == [one]
    have = one["have"]
    assert (have["id"], have["withheld"], have["title"], have["owner"], have["ewc_code"]) == (
        w.slag.pk,
        True,
        "A flow you may not see",
        "Withheld",
        "",
    )
    assert (have["quantity"], have["latitude"], have["organisation_id"]) == (None, None, None)
    assert (one["reasons"], one["flags"]) == ([], [])  # they name the slag's waste code
    assert one["want"]["title"] == "Slag for clinker"
    assert one["want"]["withheld"] is False
    for body in (page, table):
        assert "Blast furnace slag" not in body
        assert "Staalwerk Gent" not in body
        assert "10 02 02" not in body
    assert 'id="withheld"' in page
    # its own people and its cluster's staff still see it in full
    mine = api_client(w.steel_user).get(f"/api/symbiosis/synergies/{s.pk}").json()
    assert (mine["have"]["title"], mine["have"]["withheld"]) == ("Blast furnace slag", False)
    assert (
        page_client(w.staff).get(f"/symbiosis/synergies/{s.pk}/").content.decode().count("Blast furnace slag")
        >= 1
    )


def test_a_proposal_whose_flow_turned_staff_only_is_withdrawn_even_if_one_side_accepted():
    w = world()
    matching.run_matching()
    s = Synergy.objects.get(have=w.slag, want=w.slag_want)
    synergy_workflow.accept_contact(w.cement_user, s)
    ResourceFlow.objects.filter(pk=w.slag.pk).update(confidentiality="staff")

    summary = matching.run_matching()

    assert summary["removed"] == 1
    assert not Synergy.objects.filter(pk=s.pk).exists()


def test_the_pairing_rule_agrees_with_can_for_a_person_of_each_side():
    """Pairing reads the flow's "match" grants without a query per pair; it must say what can() says
    for a person of the other organisation, and "match" never reaches beyond "view"."""
    w = two_clusters()
    ResourceFlow.objects.filter(pk=w.a.slag_want.pk).update(confidentiality="members")
    ResourceFlow.objects.filter(pk=w.a.secret.pk).update(confidentiality="staff")
    people = {
        w.a.steel.pk: w.a.steel_user,
        w.a.cement.pk: w.a.cement_user,
        w.a.chem.pk: w.a.chem_user,
        w.a.grower.pk: w.grower_user,
        w.port.pk: w.port_user,
        w.dock.pk: w.dock_user,
    }
    flows = list(ResourceFlow.objects.select_related("organisation", "site"))
    pairing = Pairing(flows)
    checked = 0
    for have, want in itertools.product(flows, flows):
        if (
            have.direction != "have"
            or want.direction != "want"
            or have.organisation_id == want.organisation_id
        ):
            continue
        expected = can(people[want.organisation_id], "match", have) and can(
            people[have.organisation_id], "match", want
        )
        assert pairing.allows(have.pk, want.pk) == expected, (have.title, want.title)
        for person, other in ((people[want.organisation_id], have), (people[have.organisation_id], want)):
            if can(person, "match", other):
                assert can(person, "view", other)
        checked += 1
    assert checked == 4 * 4 - 1  # 4 haves x 4 wants, less the steelworks' own slag x pickling heat


# -- b. making contact reveals an anonymous owner only with its consent or by its own staff ------------


def test_staff_of_one_side_cannot_reveal_the_other_sides_anonymous_owner():
    w = two_clusters()
    matching.run_matching()
    s = Synergy.objects.get(have=w.port_heat, want=w.steel_heat)  # port: cluster B, anonymous

    with pytest.raises(ValidationError, match="staff_for_every_hidden_side"):
        synergy_workflow.move(w.a.staff, s, "contacted")  # staff of the steelworks' cluster only
    page = page_client(w.a.staff).post(f"/symbiosis/synergies/{s.pk}/move/", {"target": "contacted"})
    moved = api_client(w.a.staff).post(
        f"/api/symbiosis/synergies/{s.pk}/move",
        json.dumps({"target": "contacted"}),
        content_type="application/json",
    )

    assert (page.status_code, moved.status_code) == (302, 422)
    s.refresh_from_db()
    assert s.state == "proposed"
    assert PORT not in page_client(w.a.steel_user).get(f"/symbiosis/synergies/{s.pk}/").content.decode()
    assert api_client(w.a.steel_user).get(f"/api/symbiosis/synergies/{s.pk}").json()["have"]["owner"] != PORT
    detail = page_client(w.a.staff).get(f"/symbiosis/synergies/{s.pk}/").content.decode()
    assert "Contact made (staff)" not in detail  # the page offers only the moves the actor may make


def test_the_anonymous_owners_own_staff_may_make_contact():
    w = two_clusters()
    matching.run_matching()
    s = Synergy.objects.get(have=w.port_heat, want=w.steel_heat)
    detail = page_client(w.staff_b).get(f"/symbiosis/synergies/{s.pk}/").content.decode()

    synergy_workflow.move(w.staff_b, s, "contacted")  # staff of the hidden side's cluster

    s.refresh_from_db()
    assert ("Contact made (staff)" in detail, s.state) == (True, "contacted")
    assert api_client(w.a.steel_user).get(f"/api/symbiosis/synergies/{s.pk}").json()["have"]["owner"] == PORT


def test_staff_of_the_other_side_may_make_contact_once_the_anonymous_owner_accepted():
    w = two_clusters()
    matching.run_matching()
    s = Synergy.objects.get(have=w.port_heat, want=w.steel_heat)
    synergy_workflow.accept_contact(w.port_user, s)

    synergy_workflow.move(w.a.staff, s, "contacted")

    s.refresh_from_db()
    assert s.state == "contacted"


# -- c. the flows CSV: signed in, bounded, inert ----------------------------------------------------------


def test_the_flows_csv_asks_anonymous_visitors_to_sign_in():
    world()
    response = Client().get("/symbiosis/flows.csv")
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/symbiosis/flows.csv",
    )


def test_the_flows_csv_is_cut_at_its_row_cap_and_says_so(monkeypatch):
    w = world()
    monkeypatch.setattr(flow_views, "CSV_MAX_ROWS", 2)

    response = page_client(w.outsider_user).get("/symbiosis/flows.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["X-Helix-Truncated"] == "2 of 3"  # the outsider may export the 3 public flows
    assert len(rows) == 1 + 2 + 1
    assert rows[-1][0] == "Cut at 2 of 3 flows; narrow the filters to download the rest."
    assert set(rows[-1][1:]) == {""}
    whole = page_client(w.outsider_user).get("/symbiosis/flows.csv?kind=material&direction=have")
    assert "X-Helix-Truncated" not in whole
    assert [r["Title"] for r in csv.DictReader(io.StringIO(whole.content.decode()))] == [
        "Spent solvent",
        "Blast furnace slag",
    ]


def test_the_flows_csv_holds_only_the_flows_the_user_may_export():
    w = two_clusters()
    titles = {
        user.username: {
            r["Title"]
            for r in csv.DictReader(
                io.StringIO(page_client(user).get("/symbiosis/flows.csv").content.decode())
            )
        }
        for user in (w.dock_user, w.a.steel_user)
    }
    assert "Pasteuriser heat" in titles["dock"]
    assert "Cooling water heat" not in titles["dock"]  # A's members only
    assert {"Cooling water heat", "Greenhouse heating"} <= titles["steel"]
    assert "Pasteuriser heat" not in titles["steel"]  # B's members only


# -- the CLI outputs ask the same rules ----------------------------------------------------------------


def test_the_cli_outputs_withhold_flows_the_user_may_not_see(tmp_path):
    w = two_clusters()
    runner = CliRunner()
    proposals, allocation = tmp_path / "proposals.csv", tmp_path / "allocation.csv"
    matching.run_matching()
    s = Synergy.objects.get(have=w.port_heat, want=w.steel_heat)
    synergy_workflow.move(w.staff_b, s, "contacted")
    ResourceFlow.objects.filter(pk=w.steel_heat.pk).update(confidentiality="staff")  # A's staff only

    matched = runner.invoke(main, ["symbiosis", "match", "--as", "officer_b", "--output", str(proposals)])
    allocated = runner.invoke(main, ["symbiosis", "allocate", "--as", "officer", "--output", str(allocation)])

    assert (matched.exit_code, allocated.exit_code) == (0, 0), matched.output + allocated.output
    rows = {r["synergy"]: r for r in csv.DictReader(io.StringIO(proposals.read_text()))}
    mine = rows[str(s.pk)]
    assert (mine["have"], mine["want"], mine["want_owner"], mine["reasons"]) == (
        "Quay heat",
        "A flow you may not see",
        "Withheld",
        "",
    )
    assert "Pickling line heat" not in proposals.read_text()
    # cluster A's officer allocates every region: B's members-only want is in the run, withheld from them
    assigned = list(csv.DictReader(io.StringIO(allocation.read_text())))
    assert ("Quay heat", "A flow you may not see") in {(a["have"], a["want"]) for a in assigned}
    assert "Pasteuriser heat" not in allocation.read_text()
    assert PORT not in allocation.read_text()  # public but anonymous: B's company is not A's to name


def test_the_allocation_page_withholds_other_clusters_flows():
    w = two_clusters()
    run = allocation.allocate_now(w.a.staff, "")
    page = page_client(w.a.staff).get(f"/symbiosis/allocations/{run.pk}/").content.decode()
    theirs = page_client(w.staff_b).get(f"/symbiosis/allocations/{run.pk}/").content.decode()
    assert "Pasteuriser heat" not in page
    assert "A flow you may not see" in page
    assert "Pasteuriser heat" in theirs
    assert page_client(w.dock_user).get(f"/symbiosis/allocations/{run.pk}/").status_code == 403
