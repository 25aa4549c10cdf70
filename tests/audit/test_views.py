"""Integration: the staff page of the audit trail (/audit/): who may see it, what each cluster's staff
see, the filters, and a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helix.audit.context import acting_as
from helix.registry.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

URL = "/audit/"


def shown(response) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(model, object) of each row on the page."""
    assert response.status_code == 200
    return [(row["entry"].content_type.model, row["entry"].object_repr) for row in response.context["rows"]]


def rename(org: Organisation, name: str, user) -> None:  # type: ignore[no-untyped-def]
    with acting_as(user, "web"):
        org.name = name
        org.save()


# --- who may see it ---------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(URL)
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/audit/")


def test_member_users_are_refused(client, world):
    client.force_login(world.acme_user)
    assert client.get(URL).status_code == 403


def test_the_menu_links_the_page_for_cluster_staff_only(client, world):
    client.force_login(world.tech_staff)
    assert 'href="/audit/"' in client.get("/").content.decode()
    client.force_login(world.acme_user)
    assert 'href="/audit/"' not in client.get("/").content.decode()


# --- scope ------------------------------------------------------------------------------------------------


def test_staff_see_the_changes_of_their_clusters_objects_only(client, world):
    rename(world.acme, "Acme Robotics", world.tech_staff)
    rename(world.bakery, "Bakery Deluxe", world.food_staff)

    client.force_login(world.tech_staff)
    tech_rows = shown(client.get(URL, {"model": "registry.organisation"}))
    client.force_login(world.food_staff)
    food_rows = shown(client.get(URL, {"model": "registry.organisation"}))
    client.force_login(world.admin)
    all_rows = shown(client.get(URL, {"model": "registry.organisation", "action": "1"}))

    assert tech_rows == [("organisation", "Acme Robotics"), ("organisation", "Acme")]
    assert food_rows == [("organisation", "Bakery Deluxe"), ("organisation", "Bakery")]
    assert all_rows == [("organisation", "Bakery Deluxe"), ("organisation", "Acme Robotics")]


def test_staff_cannot_pick_another_clusters_filter(client, world):
    rename(world.bakery, "Bakery Deluxe", world.food_staff)
    client.force_login(world.tech_staff)

    response = client.get(URL, {"cluster": str(world.food.pk), "model": "registry.organisation"})

    assert "cluster" in response.context["form"].errors
    assert shown(response) == [("organisation", "Acme")]


def test_a_row_shows_who_when_what_and_the_fields_from_old_to_new(client, world):
    rename(world.acme, "Acme Robotics", world.tech_staff)
    client.force_login(world.tech_staff)

    [row] = client.get(URL, {"model": "registry.organisation", "action": "1"}).context["rows"]

    assert (row["who"], row["via"], row["what"], row["link"]) == (
        "tess",
        "page",
        "organisation",
        f"/admin/registry/organisation/{world.acme.pk}/change/",
    )
    assert row["changes"] == [{"field": "name", "old": "Acme", "new": "Acme Robotics"}]
    page = client.get(URL, {"model": "registry.organisation", "action": "1"}).content.decode()
    assert "<del>Acme</del> → <ins>Acme Robotics</ins>" in page


def test_foreign_keys_and_choices_are_shown_by_name(client, world):
    client.force_login(world.tech_staff)

    rows = client.get(URL, {"model": "registry.membership"}).context["rows"]

    [row] = rows
    assert row["changes"] == [
        {"field": "cluster", "old": "—", "new": f"tech (#{world.tech.pk})"},
        {"field": "engagement level", "old": "—", "new": "Member"},
        {"field": "organisation", "old": "—", "new": f"Acme (#{world.acme.pk})"},
        {"field": "at this level since", "old": "—", "new": "2020-01-01"},
    ]


def test_objects_the_viewer_may_not_open_are_shown_without_a_link(client, world):
    # Cluster staff have no admin permission on staff assignments: the row shows, unlinked.
    client.force_login(world.tech_staff)

    rows = client.get(URL, {"model": "registry.staffassignment"}).context["rows"]

    assert [(row["entry"].object_repr, row["link"]) for row in rows] == [("tess staff of Tech Cluster", None)]


# --- filters ----------------------------------------------------------------------------------------------


@pytest.fixture
def history(world):  # type: ignore[no-untyped-def]
    """Acme renamed twice by Tess (once last year), a person added to Acme by the system."""
    rename(world.acme, "Acme Robotics", world.tech_staff)
    old = LogEntry.objects.get(action=LogEntry.Action.UPDATE, object_repr="Acme Robotics")
    old.timestamp = timezone.make_aware(dt.datetime(2024, 5, 1, 12, 0))
    old.save(update_fields=["timestamp"])
    rename(world.acme, "Acme Systems", world.tech_staff)
    PersonFactory(organisation=world.acme, first_name="Jan", last_name="Smit")
    return world


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"model": "registry.organisation", "user": "tess"}, ["Acme Systems", "Acme Robotics"]),
        ({"model": "registry.person"}, ["Jan Smit", "Mia Mia"]),
        ({"object": "robotics"}, ["Acme Robotics"]),
        ({"user": "-", "model": "registry.person"}, ["Jan Smit", "Mia Mia"]),
        ({"user": "TESS", "action": "1"}, ["Acme Systems", "Acme Robotics"]),
        ({"action": "0", "model": "registry.organisation"}, ["Acme"]),
        ({"since": "2024-04-30", "until": "2024-05-01"}, ["Acme Robotics"]),
        ({"until": "2024-12-31"}, ["Acme Robotics"]),
        (
            {"cluster": "tech", "model": "registry.organisation", "action": "1"},
            ["Acme Systems", "Acme Robotics"],
        ),
    ],
)
def test_filters(client, history, query, expected):
    if query.get("cluster") == "tech":
        query = {**query, "cluster": str(history.tech.pk)}
    client.force_login(history.tech_staff)
    assert [repr_ for _model, repr_ in shown(client.get(URL, query))] == expected


def test_the_object_filter_takes_a_number(client, history):
    client.force_login(history.tech_staff)
    found = shown(client.get(URL, {"model": "registry.organisation", "object": str(history.acme.pk)}))
    assert found == [
        ("organisation", "Acme Systems"),
        ("organisation", "Acme"),
        ("organisation", "Acme Robotics"),
    ]


def test_an_end_before_the_start_is_refused_and_ignored(client, history):
    client.force_login(history.tech_staff)
    response = client.get(
        URL, {"since": "2025-01-02", "until": "2025-01-01", "model": "registry.organisation"}
    )
    assert list(response.context["form"].errors) == ["until"]
    assert shown(response) == [("organisation", "Acme Systems"), ("organisation", "Acme")]


def test_the_page_is_paginated(client, world, settings):
    for n in range(55):
        rename(world.acme, f"Acme {n}", world.tech_staff)
    client.force_login(world.tech_staff)

    first = client.get(URL, {"model": "registry.organisation"})
    second = client.get(URL, {"model": "registry.organisation", "page": "2"})

    assert (len(shown(first)), len(shown(second)), first.context["page_obj"].paginator.count) == (50, 6, 56)
    assert shown(first)[0] == ("organisation", "Acme 54")
    assert shown(second)[-1] == ("organisation", "Acme")


# --- queries ----------------------------------------------------------------------------------------------


def page_queries(client, world, organisations: int) -> int:  # type: ignore[no-untyped-def]
    """Queries of the page after ``organisations`` more organisations joined tech, each created,
    given a membership (foreign keys to show by name) and renamed by a user of its own."""
    for _n in range(organisations):
        user = UserFactory()
        with acting_as(user, "web"):
            org = OrganisationFactory(name=f"Grown {user.pk}")
            MembershipFactory(organisation=org, cluster=world.tech, relationship_manager=user)
            rename(org, f"Grown {user.pk} NV", user)
    client.force_login(world.tech_staff)
    client.get(URL)  # sessions, content types and the like warm up once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.context["page_obj"].paginator.count < 50  # one page
    return len(queries), len(response.context["rows"])


def test_the_page_needs_the_same_number_of_queries_for_few_and_many_rows(client, world):
    few, few_rows = page_queries(client, world, 2)
    many, many_rows = page_queries(client, world, 8)
    assert (many_rows - few_rows, many) == (24, few)
