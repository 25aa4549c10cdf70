"""Integration: the audit trail in the Django admin, limited to the viewer's clusters."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from helix.audit.context import acting_as

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

LIST = "/admin/auditlog/logentry/"


def renamed(world):  # type: ignore[no-untyped-def]
    with acting_as(world.tech_staff, "web"):
        world.acme.name = "Acme Robotics"
        world.acme.save()
    with acting_as(world.food_staff, "web"):
        world.bakery.name = "Bakery Deluxe"
        world.bakery.save()
    return world


def listed(response) -> set[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return {entry.object_repr for entry in response.context["cl"].result_list}


def test_staff_list_only_the_entries_of_their_clusters(client, world):
    renamed(world)
    client.force_login(world.tech_staff)

    seen = listed(client.get(LIST))

    assert {"Acme", "Acme Robotics"} <= seen
    assert not seen & {"Bakery", "Bakery Deluxe", "Food Cluster", "Cluster food"}
    assert seen == {e.object_repr for e in LogEntry.objects.filter(audit_scopes__cluster_id=world.tech.pk)}


def test_superusers_list_every_entry(client, world):
    renamed(world)
    client.force_login(world.admin)
    assert listed(client.get(LIST)) == set(LogEntry.objects.values_list("object_repr", flat=True))


def test_staff_cannot_open_an_entry_of_another_cluster(client, world):
    renamed(world)
    theirs = LogEntry.objects.get(object_repr="Bakery Deluxe")
    ours = LogEntry.objects.get(object_repr="Acme Robotics")
    client.force_login(world.tech_staff)
    assert client.get(f"{LIST}{ours.pk}/change/").status_code == 200
    assert client.get(f"{LIST}{theirs.pk}/change/").status_code == 302  # "no such object"


def test_member_users_have_no_access(client, world):
    world.acme_user.is_staff = True  # even with the admin open to them
    world.acme_user.save()
    client.force_login(world.acme_user)
    assert client.get(LIST).status_code == 403


def test_the_history_of_an_object_in_the_admin_is_its_audit_trail(client, world):
    renamed(world)
    client.force_login(world.tech_staff)

    response = client.get(f"/admin/registry/organisation/{world.acme.pk}/history/")

    assert response.status_code == 200
    assert [(e.action, e.actor) for e in response.context["log_entries"]] == [
        (LogEntry.Action.UPDATE, world.tech_staff),
        (LogEntry.Action.CREATE, None),
    ]
    assert "Acme Robotics" in response.content.decode()


def test_the_history_of_another_clusters_object_stays_closed(client, world):
    renamed(world)
    client.force_login(world.tech_staff)
    response = client.get(f"/admin/registry/organisation/{world.bakery.pk}/history/")
    assert response.status_code == 302  # the admin's "no such object" redirect
    assert "Bakery Deluxe" not in client.get(response["Location"]).content.decode()
