"""Integration: clusters, memberships and the engagement ladder through the API."""

from __future__ import annotations

import datetime as dt

import pytest

from helix.registry.models import ClusterName, Membership, MembershipChange
from tests.factories import DomainFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

URL = "/api/registry"


def level(client, membership: Membership, target: str, note: str = ""):
    return client.post(
        f"{URL}/memberships/{membership.pk}/level",
        {"level": target, "note": note},
        content_type="application/json",
    )


# --- clusters -----------------------------------------------------------------------------------------


def test_clusters_are_listed_with_their_current_name(registry, call_as):
    response = call_as(None).get(f"{URL}/clusters")
    assert response.json() == {
        "count": 2,
        "items": [
            {
                "slug": "food",
                "name": "Food Cluster",
                "operator": {"slug": "cluster-office", "name": "Cluster Office"},
                "founded_on": "2017-05-10",
                "description": "",
                "url": "/clusters/food/",
            },
            {
                "slug": "tech",
                "name": "Tech Cluster",
                "operator": {"slug": "cluster-office", "name": "Cluster Office"},
                "founded_on": "2017-05-10",
                "description": "",
                "url": "/clusters/tech/",
            },
        ],
    }


def test_a_cluster_shows_its_name_history_domains_and_triple_helix(registry, call_as):
    ClusterName.objects.create(
        cluster=registry.tech, name="Tech & Data Cluster", valid_from=dt.date(2021, 1, 1)
    )
    domain = DomainFactory(cluster=registry.tech, name="Robotics", slug="robotics", kind="work_domain")
    lab = OrganisationFactory(name="Lab", slug="lab", kind="knowledge_institution", size_class="")
    MembershipFactory(organisation=lab, cluster=registry.tech, level="loi_signed")
    MembershipFactory(organisation=OrganisationFactory(slug="gone"), cluster=registry.tech, level="left")
    data = call_as(None).get(f"{URL}/clusters/tech").json()
    assert data == {
        "slug": "tech",
        "name": "Tech & Data Cluster",
        "operator": {"slug": "cluster-office", "name": "Cluster Office"},
        "founded_on": "2017-05-10",
        "description": "",
        "url": "/clusters/tech/",
        "names": [
            {"name": "Tech Cluster", "valid_from": "2017-05-10"},
            {"name": "Tech & Data Cluster", "valid_from": "2021-01-01"},
        ],
        "domains": [
            {
                "id": domain.pk,
                "slug": "robotics",
                "name": "Robotics",
                "kind": "work_domain",
                "description": "",
            }
        ],
        # acme and the unpublished hidden-works are companies; lab is research; gone has left.
        "composition": {"industry": 2, "research": 1, "public": 0, "intermediary": 0},
    }


def test_an_unknown_cluster_is_not_found(call_as):
    assert call_as(None).get(f"{URL}/clusters/nope").status_code == 404


# --- memberships --------------------------------------------------------------------------------------


def test_memberships_of_hidden_organisations_are_hidden(registry, call_as):
    public = call_as(None).get(f"{URL}/memberships").json()
    staff = call_as(registry.staff).get(f"{URL}/memberships?cluster=tech").json()
    assert [(m["cluster"]["slug"], m["organisation"]["slug"], m["level"]) for m in public["items"]] == [
        ("food", "bakery", "member"),
        ("tech", "acme", "member"),
    ]
    assert [m["organisation"]["slug"] for m in staff["items"]] == ["acme", "hidden-works"]
    hidden = registry.hidden.memberships.get()
    assert call_as(None).get(f"{URL}/memberships/{hidden.pk}").status_code == 404


def test_memberships_filter_by_organisation_and_level(registry, call_as):
    client = call_as(registry.staff)
    by_org = client.get(f"{URL}/memberships?organisation=bakery").json()["items"]
    by_level = client.get(f"{URL}/memberships?level=interested&level=strategic_partner").json()["items"]
    assert [m["organisation"]["slug"] for m in by_org] == ["bakery"]
    assert [m["organisation"]["slug"] for m in by_level] == ["hidden-works"]


def test_a_member_user_registers_interest_of_its_organisation(registry, call_as):
    response = call_as(registry.acme_user).post(
        f"{URL}/memberships",
        {"organisation": "acme", "cluster": "food", "note": "met at the fair"},
        content_type="application/json",
    )
    assert response.status_code == 201
    membership = Membership.objects.get(pk=response.json()["id"])
    assert (membership.level, membership.changes.get().note) == ("interested", "met at the fair")


def test_only_staff_start_a_membership_above_interested(registry, call_as):
    body = {"organisation": "acme", "cluster": "food", "level": "member"}
    response = call_as(registry.acme_user).post(f"{URL}/memberships", body, content_type="application/json")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "only cluster staff may add an organisation to this cluster at that level"},
    )


def test_a_second_membership_in_the_same_cluster_is_a_conflict(registry, call_as):
    body = {"organisation": "acme", "cluster": "tech"}
    response = call_as(registry.staff).post(f"{URL}/memberships", body, content_type="application/json")
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Acme already has a membership in Tech Cluster"},
    )


def test_an_unknown_cluster_or_organisation_names_the_field(registry, call_as):
    body = {"organisation": "hidden-works", "cluster": "space"}
    response = call_as(registry.acme_user).post(f"{URL}/memberships", body, content_type="application/json")
    assert response.status_code == 422
    assert [(e["loc"], e["msg"]) for e in response.json()["detail"]] == [
        (["body", "payload", "organisation"], "no organisation 'hidden-works'"),
        (["body", "payload", "cluster"], "no cluster 'space'"),
    ]


# --- the engagement ladder ----------------------------------------------------------------------------


def test_staff_move_a_membership_up_the_ladder_and_the_step_is_logged(registry, call_as):
    hidden = registry.hidden.memberships.get()
    response = level(call_as(registry.staff), hidden, "loi_signed", note="signed at the board")
    assert (response.status_code, response.json()["level"]) == (200, "loi_signed")
    step = MembershipChange.objects.get(membership=hidden)
    assert (step.from_level, step.to_level, step.changed_by, step.note) == (
        "interested",
        "loi_signed",
        registry.staff,
        "signed at the board",
    )
    history = call_as(registry.staff).get(f"{URL}/memberships/{hidden.pk}").json()["changes"]
    assert [(c["from_level"], c["to_level"], c["note"]) for c in history] == [
        ("interested", "loi_signed", "signed at the board")
    ]


def test_the_history_of_a_membership_is_for_its_cluster_staff_and_organisation(registry, call_as):
    acme = registry.acme.memberships.get()
    MembershipChange.objects.create(
        membership=acme,
        from_level="loi_signed",
        to_level="member",
        changed_on=dt.date(2021, 3, 4),
        note="board",
    )
    expected = [
        {"from_level": "loi_signed", "to_level": "member", "changed_on": "2021-03-04", "note": "board"}
    ]
    seen_by = {
        who: call_as(user).get(f"{URL}/memberships/{acme.pk}").json()["changes"]
        for who, user in [
            ("staff", registry.staff),
            ("acme", registry.acme_user),
            ("bakery", registry.bakery_user),
            ("anonymous", None),
        ]
    }
    assert seen_by == {"staff": expected, "acme": expected, "bakery": None, "anonymous": None}


def test_a_member_user_may_take_the_first_step_itself(registry, call_as):
    membership = MembershipFactory(organisation=registry.acme, cluster=registry.food, level="interested")
    response = level(call_as(registry.acme_user), membership, "loi_signed")
    assert (response.status_code, response.json()["level"]) == (200, "loi_signed")


def test_a_member_user_may_not_promote_itself_to_member(registry, call_as):
    membership = MembershipFactory(organisation=registry.acme, cluster=registry.food, level="loi_signed")
    response = level(call_as(registry.acme_user), membership, "member")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Only cluster staff may move Acme to member."},
    )
    membership.refresh_from_db()
    assert membership.level == "loi_signed"


def test_skipping_rungs_is_a_conflict(registry, call_as):
    hidden = registry.hidden.memberships.get()
    response = level(call_as(registry.staff), hidden, "strategic_partner")
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "The engagement ladder has no step from interested to strategic_partner."},
    )
    hidden.refresh_from_db()
    assert (hidden.level, hidden.changes.count()) == ("interested", 0)


def test_outsiders_may_not_touch_the_ladder(registry, call_as):
    bakery = registry.bakery.memberships.get()
    by_other_member = level(call_as(registry.acme_user), bakery, "strategic_partner")
    by_stranger = level(call_as(UserFactory(username="stranger")), bakery, "left")
    anonymous = level(call_as(None), bakery, "left")
    assert (by_other_member.status_code, by_other_member.json()) == (
        403,
        {"detail": "You may not change the engagement of Bakery."},
    )
    assert (by_stranger.status_code, anonymous.status_code) == (403, 401)


def test_an_unknown_level_is_a_422(registry, call_as):
    response = level(call_as(registry.staff), registry.acme.memberships.get(), "champion")
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "payload", "level"]]


def test_sectors_are_looked_up_by_code_or_words(call_as):
    by_code = call_as(None).get(f"{URL}/sectors?q=62.1").json()
    by_words = call_as(None).get(f"{URL}/sectors?q=computer programming&level=4").json()
    assert [(s["code"], s["level"], s["parent"]) for s in by_code["items"]] == [
        ("62.1", 3, "62"),
        ("62.10", 4, "62.1"),
    ]
    assert [s["code"] for s in by_words["items"]] == ["62.10"]
