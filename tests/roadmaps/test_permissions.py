"""Integration: the roadmap pages the permission matrix exempts (tests/permissions/routes.py), asked of
every role of the two-cluster world on every world roadmap's milestone ``m1`` (owned by the roadmap's
first participant):

- accepting (POST): a person of the owner's organisation, once the roadmap is out of draft; no one else,
  not even the superuser (who acts for no organisation);
- reporting progress (GET): a person of the owner's organisation or the cluster's staff, out of draft
  (the superuser always, as everywhere);
- deleting the item (POST): the cluster's staff while the roadmap is editable; on a roadmap in
  consultation or adopted they are sent back with the refusal and the item stays. (A deleted item is
  saved back before the next role asks.)

The expected answers come from the world's relations, not from the engine."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from helix.core.access import Role
from helix.roadmaps.models import Item
from tests.permissions.world import ROLES, World, build_world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

EDITABLE = {"draft", "revised"}


@pytest.fixture
def world() -> World:
    return build_world()


def _client(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def _roadmaps(world: World) -> list[str]:
    keys = [k for k in world.things if k.startswith("roadmap:")]
    assert len(keys) == 7
    return keys


def _owns_m1(world: World, role: str, key: str) -> bool:
    item = Item.objects.select_related("owner").get(roadmap=world.things[key].obj, key="m1")
    org = world.user_org.get(role)
    return org is not None and world.orgs[org].pk == item.owner.organisation_id


def _staff(world: World, role: str, key: str) -> bool:
    return role == "root" or Role.STAFF in world.roles(role, world.things[key])


def _refused(response: Any, role: str) -> bool:
    if response.status_code in (403, 404):
        return True
    return role == "anonymous" and response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_only_a_person_of_the_owner_accepts_a_milestone_out_of_draft(world):  # type: ignore[no-untyped-def]
    wrong, allowed_cells = [], 0
    for key in _roadmaps(world):
        roadmap = world.things[key].obj
        url = reverse("roadmaps:accept", kwargs={"key": roadmap.key, "item": "m1"})
        for role in ROLES:
            allowed = roadmap.status != "draft" and _owns_m1(world, role, key)
            allowed_cells += allowed

            response = _client(world, role).post(url)

            accepted = Item.objects.get(roadmap=roadmap, key="m1").accepted_on is not None
            if allowed:
                good = response.status_code == 302 and response["Location"].endswith("#item-m1") and accepted
                Item.objects.filter(roadmap=roadmap, key="m1").update(accepted_on=None, accepted_by=None)
            else:
                good = _refused(response, role) and not accepted
            if not good:
                wrong.append(
                    (key, role, response.status_code, "should accept" if allowed else "should refuse")
                )
    assert wrong == []


def test_the_owners_people_and_the_clusters_staff_report_progress_out_of_draft(world):  # type: ignore[no-untyped-def]
    wrong, allowed_cells = [], 0
    for key in _roadmaps(world):
        roadmap = world.things[key].obj
        url = reverse("roadmaps:progress", kwargs={"key": roadmap.key, "item": "m1"})
        for role in ROLES:
            allowed = role == "root" or (
                roadmap.status != "draft" and (_owns_m1(world, role, key) or _staff(world, role, key))
            )
            allowed_cells += allowed

            response = _client(world, role).get(url)

            good = response.status_code == 200 if allowed else _refused(response, role)
            if not good:
                wrong.append((key, role, response.status_code, "should show" if allowed else "should refuse"))
    assert wrong == []
    assert allowed_cells == 7 + 5 * 2  # root everywhere; the owner's person and the staff out of draft


def test_the_owner_reports_progress_through_the_page(world):  # type: ignore[no-untyped-def]
    roadmap = world.things["roadmap:alpha-members-adopted"].obj  # m1 is a1's
    url = reverse("roadmaps:progress", kwargs={"key": roadmap.key, "item": "m1"})

    response = _client(world, "member_a1").post(url, {"actual_finish": "2026-02-01", "percent_complete": "0"})

    assert response.status_code == 302
    item = Item.objects.get(roadmap=roadmap, key="m1")
    assert (str(item.actual_start), str(item.actual_finish), item.percent_complete) == (
        "2026-02-01",
        "2026-02-01",
        100,
    )


def test_only_the_clusters_staff_delete_an_item_and_only_while_the_roadmap_is_editable(world):  # type: ignore[no-untyped-def]
    wrong, deleted = [], 0
    for key in _roadmaps(world):
        roadmap = world.things[key].obj
        url = reverse("roadmaps:item_delete", kwargs={"key": roadmap.key, "item": "m1"})
        for role in ROLES:
            staff = _staff(world, role, key)
            before = Item.objects.get(roadmap=roadmap, key="m1")

            response = _client(world, role).post(url)

            kept = Item.objects.filter(roadmap=roadmap, key="m1").exists()
            said = [str(m) for m in get_messages(response.wsgi_request) if m.level == messages.ERROR]
            if staff and roadmap.status in EDITABLE:
                good = response.status_code == 302 and not kept and said == []
                deleted += 1
                before.save()  # back as it was, for the next role
            elif staff:
                good = (
                    response.status_code == 302
                    and response["Location"] == roadmap.get_absolute_url()
                    and kept
                    and len(said) == 1
                    and "cannot be changed" in said[0]
                )
            else:
                good = _refused(response, role) and kept
            if not good:
                wrong.append((key, role, response.status_code, kept, said))
    assert wrong == []
    assert deleted == 6  # two drafts of alpha (staff_a, root), beta's revised roadmap (staff_b, root)
