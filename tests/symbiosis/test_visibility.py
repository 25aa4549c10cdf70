"""An anonymous flow's owner is never visible to others (helix.symbiosis.visibility): not in pages, the API,
the CSV export, the map or the CLI's files; its own people and the cluster staff see it, and the
counterpart does once both parties accepted contact. Confidentiality levels decide who sees a flow at all."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from helix.api.models import ApiToken
from helix.symbiosis import matching, synergy_workflow, visibility
from helix.symbiosis.models import ResourceFlow, Synergy
from tests.factories import member_user
from tests.helpers.clients import page_client
from tests.symbiosis.helpers import world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

NAME = "Geheim Chemie"


def every_view_of_the_secret(c: Client, flow_id: int) -> list[str]:
    pages = [
        c.get("/symbiosis/").content.decode(),
        c.get(f"/symbiosis/flows/{flow_id}/").content.decode(),
        c.get("/symbiosis/flows.csv").content.decode(),
        c.get("/symbiosis/map/").content.decode(),
        c.get("/api/symbiosis/flows").content.decode(),
        c.get(f"/api/symbiosis/flows/{flow_id}").content.decode(),
    ]
    return pages


def test_anonymous_owner_is_withheld_from_visitors_members_and_outsiders() -> None:
    w = world()
    for user in (None, w.steel_user, w.outsider_user, w.cement_user):
        for body in every_view_of_the_secret(page_client(user), w.secret.pk):
            assert NAME not in body
            assert "Geheim Chemie plant" not in body
    # what they do see: the flow itself and a placeholder
    page = page_client(w.outsider_user).get(f"/symbiosis/flows/{w.secret.pk}/").content.decode()
    assert "Spent solvent" in page
    assert "name withheld" in page
    api = page_client(w.outsider_user).get(f"/api/symbiosis/flows/{w.secret.pk}").json()
    assert api["organisation_id"] is None
    assert api["site"] is None
    # the position is rounded to 0.05 degrees (about 5 km)
    assert api["latitude"] == pytest.approx(51.10)
    assert api["longitude"] == pytest.approx(3.75)


def test_the_owner_and_the_cluster_staff_see_the_name() -> None:
    w = world()
    for user in (w.chem_user, w.staff):
        page = page_client(user).get(f"/symbiosis/flows/{w.secret.pk}/").content.decode()
        assert NAME in page
        api = page_client(user).get(f"/api/symbiosis/flows/{w.secret.pk}").json()
        assert api["owner"] == NAME
        assert api["latitude"] == pytest.approx(51.08)


def test_the_counterpart_sees_the_name_only_after_both_accepted_contact() -> None:
    w = world()
    matching.run_matching()
    synergy = Synergy.objects.get(have=w.heat, want=w.heat_want)
    grower_user = member_user(w.grower, "grower")
    c = page_client(grower_user)
    detail = c.get(f"/symbiosis/synergies/{synergy.pk}/").content.decode()
    assert NAME not in detail
    assert NAME not in c.get(f"/api/symbiosis/synergies/{synergy.pk}").content.decode()
    synergy_workflow.accept_contact(grower_user, synergy)
    assert NAME not in c.get(f"/symbiosis/synergies/{synergy.pk}/").content.decode()  # one side only
    synergy_workflow.accept_contact(w.chem_user, synergy)
    synergy.refresh_from_db()
    assert synergy.state == "contacted"
    assert NAME in c.get(f"/symbiosis/synergies/{synergy.pk}/").content.decode()
    assert c.get(f"/api/symbiosis/synergies/{synergy.pk}").json()["have"]["owner"] == NAME
    # an unrelated member still does not see it
    assert NAME not in page_client(w.steel_user).get(f"/symbiosis/flows/{w.heat.pk}/").content.decode()


def test_confidentiality_levels_decide_who_sees_a_flow() -> None:
    w = world()
    members_only = w.heat_want  # "members": people of organisations sharing a cluster
    assert page_client(w.steel_user).get(f"/symbiosis/flows/{members_only.pk}/").status_code == 200
    assert page_client(w.outsider_user).get(f"/symbiosis/flows/{members_only.pk}/").status_code == 404
    assert page_client().get(f"/symbiosis/flows/{members_only.pk}/").status_code == 404
    members_only.confidentiality = "staff"
    members_only.save()
    assert page_client(w.steel_user).get(f"/symbiosis/flows/{members_only.pk}/").status_code == 404
    assert page_client(w.staff).get(f"/symbiosis/flows/{members_only.pk}/").status_code == 200
    grower_user = member_user(w.grower, "grower")
    assert page_client(grower_user).get(f"/symbiosis/flows/{members_only.pk}/").status_code == 200
    ids = {f["id"] for f in page_client().get("/api/symbiosis/flows").json()}
    assert ids == {w.slag.pk, w.slag_want.pk, w.secret.pk}  # the public ones


def test_csv_export_withholds_like_the_page() -> None:
    w = world()
    rows = list(
        csv.DictReader(io.StringIO(page_client(w.outsider_user).get("/symbiosis/flows.csv").content.decode()))
    )
    by_title = {r["Title"]: r for r in rows}
    assert by_title["Blast furnace slag"]["Organisation"] == "Staalwerk Gent"
    assert "name withheld" in by_title["Spent solvent"]["Organisation"]


def test_api_token_users_get_the_same_rules() -> None:
    w = world()
    _, token = ApiToken.objects.issue(w.outsider_user, "test")
    c = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = c.get("/api/symbiosis/flows").content.decode()
    assert "Spent solvent" in body
    assert NAME not in body


def test_listing_flows_takes_a_fixed_number_of_queries(django_assert_max_num_queries) -> None:
    from tests.symbiosis.helpers import flow

    w = world()
    for i in range(30):
        flow(
            w.steel,
            direction="have",
            kind="water",
            title=f"Water {i}",
            quantity=100 + i,
            unit="m3",
            confidentiality="public",
        )
    c = page_client(w.outsider_user)
    with django_assert_max_num_queries(12):
        rows = c.get("/api/symbiosis/flows").json()
    assert len(rows) == 33  # 30 + the public slag pair + the anonymous solvent (one reveal check)


@pytest.mark.parametrize(
    ("level", "sees"), [("interested", False), ("left", False), ("loi_signed", True), ("member", True)]
)
def test_members_only_means_a_letter_of_intent_or_more(level: str, sees: bool) -> None:
    """As for needs and offers: an organisation that left the cluster, or is only interested, is no member."""
    from tests.factories import MembershipFactory

    w = world()
    MembershipFactory(organisation=w.outsider, cluster=w.cluster, level=level)
    status = page_client(w.outsider_user).get(f"/symbiosis/flows/{w.heat_want.pk}/").status_code
    assert status == (200 if sees else 404)


def test_a_members_cli_export_withholds_anonymous_owners(tmp_path) -> None:
    w = world()
    matching.run_matching()
    s = Synergy.objects.get(have=w.heat, want=w.heat_want)
    from tests.factories import member_user

    grower = member_user(w.grower, "grower")
    assert visibility.owner_label(grower, s.have) != "Geheim Chemie"
    flows = ResourceFlow.objects.filter(pk=w.heat.pk)
    assert all("withheld" in visibility.flow_public_dict(grower, f)["owner"] for f in flows)
