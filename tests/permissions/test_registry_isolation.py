"""Regression tests: one cluster's staff cannot read or change another cluster's registry (issue 11,
found 1, 3 and 4), through the import and export, the admin and the pages.

Each asserts the behaviour that leaked before the permission tables: staff of any cluster could
change other clusters' rows by import, download everyone's people, pick other clusters in admin forms,
and read other clusters' unpublished organisations, notes, letters and advisory seats.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from django.test import Client

from helix.registry.models import Interaction, LetterOfIntent, Membership, Organisation, Person
from helix.registry.transfer import export_registry, import_file
from tests.permissions.world import build_world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world()


def client_for(world, role):  # type: ignore[no-untyped-def]
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# -- found 1: import and export ------------------------------------------------------------------------


ORG_HEADER = ["identifier_scheme", "legal_identifier", "slug", "name", "kind"]


def org_row(world, key: str, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    org = world.orgs[key]
    return [org.identifier_scheme, org.legal_identifier, org.slug, name, org.kind]


def test_staff_cannot_change_another_clusters_organisation_by_import(world, tmp_path):  # type: ignore[no-untyped-def]
    path = write_csv(
        tmp_path / "organisations.csv",
        ORG_HEADER,
        [org_row(world, "a1", "Org A1 renamed"), org_row(world, "b1", "Org B1 taken over")],
    )
    report = import_file(path, user=world.users["staff_a"], kind="organisations")
    assert [(e.row, e.column) for e in report.errors] == [(3, "organisation")]
    assert "clusters you are not staff of" in report.errors[0].message
    assert Organisation.objects.get(slug="org-a1").name == "Org A1"  # nothing written: atomic
    assert Organisation.objects.get(slug="org-b1").name == "Org B1"


def test_staff_cannot_add_people_or_memberships_in_another_cluster_by_import(world, tmp_path):  # type: ignore[no-untyped-def]
    people = write_csv(
        tmp_path / "people.csv",
        ["organisation", "first_name", "last_name", "email"],
        [["org-b2", "Eve", "Intruder", "eve@example.org"]],
    )
    report = import_file(people, user=world.users["staff_a"], kind="people")
    assert [(e.row, e.column) for e in report.errors] == [(2, "organisation")]
    assert not Person.objects.filter(last_name="Intruder").exists()
    memberships = write_csv(
        tmp_path / "memberships.csv",
        ["organisation", "cluster", "level"],
        [["org-a1", "beta", "member"], ["org-a3", "alpha", "member"]],
    )
    report = import_file(memberships, user=world.users["staff_a"], kind="memberships")
    assert [(e.row, e.column) for e in report.errors] == [(2, "cluster")]
    assert not Membership.objects.filter(organisation__slug="org-a1", cluster__slug="beta").exists()
    assert Membership.objects.get(organisation__slug="org-a3", cluster__slug="alpha").level == "interested"


def test_staff_import_their_own_clusters_rows_and_onboard_new_organisations(world, tmp_path):  # type: ignore[no-untyped-def]
    path = write_csv(
        tmp_path / "organisations.csv",
        ORG_HEADER,
        [
            org_row(world, "a2", "Org A2 renamed"),
            org_row(world, "loose", "Loose renamed"),
            ["", "", "org-new", "Brand New", "company"],
        ],
    )
    report = import_file(path, user=world.users["staff_a"], kind="organisations")
    assert report.errors == []
    names = Organisation.objects.filter(slug__in=["org-a2", "org-loose", "org-new"]).values_list(
        "name", flat=True
    )
    assert sorted(names) == ["Brand New", "Loose renamed", "Org A2 renamed"]


def _sheet(path: Path, name: str) -> list[dict]:  # type: ignore[type-arg]
    book = openpyxl.load_workbook(path, read_only=True)
    header, *rows = list(book[name].iter_rows(values_only=True))
    book.close()
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_staff_export_only_their_clusters_organisations_people_and_memberships(world, tmp_path):  # type: ignore[no-untyped-def]
    target = tmp_path / "export.xlsx"
    export_registry(target, user=world.users["staff_a"])
    organisations = sorted(row["slug"] for row in _sheet(target, "organisations"))
    assert organisations == ["office", "org-a1", "org-a2", "org-a3", "org-ab"]  # and alpha's operator
    key = {f"{o.identifier_scheme}:{o.legal_identifier}": k for k, o in world.orgs.items()}
    emails = sorted(row["email"] for row in _sheet(target, "people"))
    assert emails == [
        "member_a1@example.org",
        "member_a2@example.org",
        "member_a3@example.org",
        "member_ab@example.org",
    ]
    memberships = sorted((key[row["organisation"]], row["cluster"]) for row in _sheet(target, "memberships"))
    assert memberships == [("a1", "alpha"), ("a2", "alpha"), ("a3", "alpha"), ("ab", "alpha")]


def test_the_operator_cli_export_still_writes_everything(world, tmp_path):  # type: ignore[no-untyped-def]
    target = tmp_path / "export.xlsx"
    export_registry(target)
    assert len(_sheet(target, "organisations")) == Organisation.objects.count()


# -- found 3: the admin -----------------------------------------------------------------------------------


def _choices(html: str, field: str) -> str:
    start = html.index(f'name="{field}"')
    return html[start : html.index("</select>", start)]


def test_admin_forms_offer_only_the_staff_members_clusters_and_organisations(world):  # type: ignore[no-untyped-def]
    client = client_for(world, "staff_a")
    html = client.get("/admin/registry/membership/add/").content.decode()
    managers = _choices(html, "relationship_manager")
    assert "staff_a" in managers
    assert "staff_b" not in managers
    assert "member_b1" not in managers
    found = {}
    for field, model in (("cluster", "membership"), ("organisation", "membership")):
        answer = client.get(
            "/admin/autocomplete/",
            {"app_label": "registry", "model_name": model, "field_name": field, "term": ""},
        ).json()
        found[field] = sorted(item["text"] for item in answer["results"])
    assert found["cluster"] == ["Alpha Cluster"]
    # alpha's members, its operator, and "loose", in no cluster yet (onboarding)
    assert found["organisation"] == ["Cluster Office", "Org A1", "Org A2", "Org A3", "Org AB", "Org LOOSE"]


@pytest.mark.parametrize(
    ("url", "fields", "model"),
    [
        (
            "/admin/registry/membership/add/",
            {"organisation": "org-a1", "cluster": "beta", "level": "member", "since": "2024-01-01"},
            Membership,
        ),
        (
            "/admin/registry/letterofintent/add/",
            {"organisation": "org-a1", "cluster": "beta", "signed_on": "2024-01-01"},
            LetterOfIntent,
        ),
        (
            "/admin/registry/person/add/",
            {"organisation": "org-b1", "first_name": "Eve", "last_name": "Intruder", "roles": ""},
            Person,
        ),
        (
            "/admin/registry/interaction/add/",
            {
                "organisation": "org-b2",
                "cluster": "beta",
                "kind": "call",
                "happened_on": "2024-01-01",
                "summary": "x",
            },
            Interaction,
        ),
    ],
)
def test_staff_cannot_add_rows_in_another_cluster_through_the_admin(world, url, fields, model):  # type: ignore[no-untyped-def]
    data = dict(fields)
    data["organisation"] = str(world.orgs[data["organisation"].removeprefix("org-")].pk)
    if "cluster" in data:
        data["cluster"] = str(world.clusters[data["cluster"]].pk)
    before = model.objects.count()
    response = client_for(world, "staff_a").post(url, data)
    assert response.status_code == 200  # the form again, with its error
    assert "Select a valid choice" in response.content.decode()
    assert model.objects.count() == before


# -- found 4: pages ----------------------------------------------------------------------------------------


def test_staff_of_another_cluster_do_not_see_an_unpublished_organisation(world):  # type: ignore[no-untyped-def]
    assert client_for(world, "staff_b").get("/organisations/org-a2/").status_code == 404
    assert client_for(world, "staff_a").get("/organisations/org-a2/").status_code == 200
    directory = client_for(world, "staff_b").get("/directory/?q=org").content.decode()
    assert "Org A2" not in directory
    assert "Org B2" in directory


def test_staff_read_only_their_own_clusters_notes_and_letters_on_a_shared_member(world):  # type: ignore[no-untyped-def]
    page = client_for(world, "staff_b").get("/organisations/org-ab/").content.decode()
    assert "Confidential note on ab for beta" in page
    assert "Confidential note on ab for alpha" not in page
    letters = page[page.index('id="letters"') :]
    letters = letters[: letters.index("</section>")]
    assert "Beta Cluster" in letters
    assert "Alpha Cluster" not in letters


def test_advisory_seats_of_people_who_did_not_consent_are_named_to_the_groups_staff_only(world):  # type: ignore[no-untyped-def]
    named = "Member_B2"
    assert named in client_for(world, "staff_a").get("/clusters/alpha/").content.decode()
    assert named not in client_for(world, "staff_b").get("/clusters/alpha/").content.decode()
    assert named not in client_for(world, "member_a1").get("/clusters/alpha/").content.decode()
    assert "Member_A1" in client_for(world, "anonymous").get("/clusters/alpha/").content.decode()


def test_staff_see_contact_data_only_of_their_clusters_organisations(world):  # type: ignore[no-untyped-def]
    assert (
        "member_b1@example.org"
        not in client_for(world, "staff_a").get("/organisations/org-b1/").content.decode()
    )
    assert (
        "member_b1@example.org" in client_for(world, "staff_b").get("/organisations/org-b1/").content.decode()
    )


def test_a_refused_page_is_a_helix_page_that_says_what_happened(world):  # type: ignore[no-untyped-def]
    hidden = client_for(world, "staff_b").get("/organisations/org-a2/")
    assert hidden.status_code == 404
    assert "This page does not exist, or it is not shared with you." in hidden.content.decode()
    assert 'href="/"' in hidden.content.decode()  # the site's own navigation, not a bare server page
