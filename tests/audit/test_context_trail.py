"""Integration: every way of changing data leaves an audit entry with the right actor, door, fields and
clusters: a page, the API with a token, an import (command line and staff page, as a background job),
the admin, a background job, and writes that bypass model signals."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from click.testing import CliRunner
from django.utils import timezone

from helix.api.models import ApiToken
from helix.audit.context import TASK, acting_as
from helix.audit.models import AuditScope
from helix.cli import main
from helix.events.meeting_requests import expire_requests
from helix.events.models import Event, EventMeetingRequest, Registration
from helix.market.models import Listing
from helix.registry.models import Interaction, Membership, Organisation, Person, Sector
from helix.registry.services import complete_follow_up
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, SiteFactory
from tests.helpers.forms import editor_payload, form_data

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

CREATE, UPDATE, DELETE = LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE


def entries_of(obj, action=None):  # type: ignore[no-untyped-def]
    found = LogEntry.objects.get_for_object(obj).order_by("pk")
    return list(found if action is None else found.filter(action=action))


def scope_of(entry) -> list[int]:  # type: ignore[no-untyped-def]
    return sorted(AuditScope.objects.filter(entry=entry).values_list("cluster_id", flat=True))


def summary(entry) -> tuple:  # type: ignore[no-untyped-def]
    return (entry.actor, entry.action, entry.additional_data, scope_of(entry))


# --- pages ----------------------------------------------------------------------------------------------


def test_an_edit_on_a_page_records_the_logged_in_user_and_the_fields(client, world):
    client.force_login(world.tech_staff)
    url = f"/organisations/{world.acme.slug}/edit/"
    payload = editor_payload(client.get(url))
    payload["name"] = "Acme Robotics"

    assert client.post(url, payload).status_code == 302

    [entry] = entries_of(world.acme, UPDATE)
    assert entry.changes == {"name": ["Acme", "Acme Robotics"]}
    assert summary(entry) == (
        world.tech_staff,
        UPDATE,
        {"clusters": [world.tech.pk], "via": "web"},
        [world.tech.pk],
    )
    assert entry.remote_addr == "127.0.0.1"


def test_a_follow_up_closed_on_a_page_is_recorded(client, world):
    # complete_follow_up used a queryset update, which no signal sees.
    interaction = Interaction.objects.create(
        organisation=world.acme,
        cluster=world.tech,
        kind="call",
        summary="Called",
        follow_up_on=dt.date(2025, 1, 1),
    )
    with acting_as(world.tech_staff, "web"):
        complete_follow_up(interaction, user=world.tech_staff)

    [entry] = entries_of(interaction, UPDATE)
    assert entry.changes == {"follow_up_done": ["False", "True"]}
    assert summary(entry) == (
        world.tech_staff,
        UPDATE,
        {"clusters": [world.tech.pk], "via": "web"},
        [world.tech.pk],
    )


# --- API --------------------------------------------------------------------------------------------------


def test_an_api_write_with_a_token_records_the_token_user(world):
    from django.test import Client

    _token, secret = ApiToken.objects.issue(world.acme_user, name="tests")
    api = Client(headers={"Authorization": f"Bearer {secret}"})

    response = api.patch(
        "/api/registry/organisations/acme",
        {"website": "https://acme.example"},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    [entry] = entries_of(world.acme, UPDATE)
    assert entry.changes == {"website": ["", "https://acme.example"]}
    assert summary(entry) == (
        world.acme_user,
        UPDATE,
        {"clusters": [world.tech.pk], "via": "api"},
        [world.tech.pk],
    )
    assert (entry.actor_email, entry.remote_addr) == ("mia@example.org", "127.0.0.1")


def test_the_token_user_does_not_stay_on_for_later_requests(client, world):
    from django.test import Client

    _token, secret = ApiToken.objects.issue(world.acme_user, name="tests")
    Client(headers={"Authorization": f"Bearer {secret}"}).get("/api/registry/organisations/acme")
    client.force_login(world.tech_staff)
    url = f"/organisations/{world.acme.slug}/edit/"
    payload = editor_payload(client.get(url))
    payload["name"] = "Acme Two"
    client.post(url, payload)

    [entry] = entries_of(world.acme, UPDATE)
    assert (entry.actor, entry.additional_data["via"]) == (world.tech_staff, "web")


# --- imports ----------------------------------------------------------------------------------------------


ORGANISATIONS = (
    "slug,name,kind,size_class,description_en,sectors\n"
    "acme,Acme,company,sme,Welding robots,62.10\n"
    "newco,Newco,company,sme,Brand new,\n"
)


def test_a_command_line_import_is_recorded_in_bulk_with_fields_sets_and_clusters(world, tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_text(ORGANISATIONS, encoding="utf-8")

    result = CliRunner().invoke(main, ["registry", "import", str(path)])

    assert result.exit_code == 0, result.output
    [update] = entries_of(world.acme, UPDATE)
    assert update.changes == {
        "description_en": ["Builds things.", "Welding robots"],
        "sectors": {"type": "m2m", "operation": "add", "objects": [str(Sector.objects.get(code="62.10"))]},
    }
    assert summary(update) == (None, UPDATE, {"clusters": [world.tech.pk], "via": "cli"}, [world.tech.pk])
    newco = Organisation.objects.get(slug="newco")
    [create] = entries_of(newco)
    assert (create.action, create.object_repr, create.changes["name"]) == (CREATE, "Newco", ["None", "Newco"])
    assert summary(create) == (None, CREATE, {"clusters": [], "via": "cli"}, [])


def test_an_import_by_staff_on_the_page_runs_as_a_job_and_records_the_staff_member(client, world):
    client.force_login(world.tech_staff)
    upload = io.BytesIO(b"organisation,name,city,country\nacme,Lab,Gent,BE\n")
    upload.name = "sites.csv"

    response = client.post("/registry/import/", {"file": upload, "kind": "sites"})

    assert response.status_code == 302
    site = world.acme.sites.get(name="Lab")
    [entry] = entries_of(site)
    assert entry.object_repr == "Acme – Lab"
    assert (entry.changes["city"], entry.changes["organisation"]) == (
        ["None", "Gent"],
        ["None", str(world.acme.pk)],
    )
    assert summary(entry) == (
        world.tech_staff,
        CREATE,
        {"clusters": [world.tech.pk], "via": "task"},
        [world.tech.pk],
    )


def test_an_import_that_changes_nothing_records_nothing(world, tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_text("slug,name,kind,size_class\nacme,Acme,company,sme\n", encoding="utf-8")
    before = LogEntry.objects.count()

    result = CliRunner().invoke(main, ["registry", "import", str(path)])

    assert result.exit_code == 0, result.output
    assert LogEntry.objects.count() == before


def test_memberships_imported_with_their_organisation_give_its_entries_their_cluster(world, tmp_path):
    (tmp_path / "organisations.csv").write_text("slug,name,kind,size_class\nnewco,Newco,company,sme\n")
    (tmp_path / "memberships.csv").write_text("organisation,cluster,level\nnewco,food,interested\n")

    result = CliRunner().invoke(main, ["registry", "import", str(tmp_path)])

    assert result.exit_code == 0, result.output
    newco = Organisation.objects.get(slug="newco")
    membership = Membership.objects.get(organisation=newco)
    assert [scope_of(e) for e in entries_of(newco) + entries_of(membership)] == [
        [world.food.pk],
        [world.food.pk],
    ]


def test_a_command_run_as_a_user_records_that_user(world):
    result = CliRunner().invoke(
        main,
        ["listings", "create", "--organisation", "acme", "--side", "offer", "--category", "competence",
         "--title", "Welding audits", "--description", "We audit welding lines.", "--as", "mia"],
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    listing = Listing.objects.get()
    [entry] = entries_of(listing, CREATE)
    assert (entry.changes["title"], entry.changes["created_by"]) == (
        ["None", "Welding audits"],
        ["None", str(world.acme_user.pk)],
    )
    assert summary(entry) == (
        world.acme_user,
        CREATE,
        {"clusters": [world.tech.pk], "via": "cli"},
        [world.tech.pk],
    )


# --- admin ------------------------------------------------------------------------------------------------


def test_an_edit_in_the_admin_records_the_staff_member(client, world):
    person = PersonFactory(
        organisation=world.acme, first_name="An", last_name="Peeters", email="an@acme.example"
    )
    client.force_login(world.tech_staff)
    url = f"/admin/registry/person/{person.pk}/change/"
    data = form_data(client.get(url).context["adminform"].form)
    data["email"] = "an.peeters@acme.example"

    response = client.post(url, data)

    assert response.status_code == 302
    [entry] = entries_of(person, UPDATE)
    assert entry.changes == {"email": ["an@acme.example", "an.peeters@acme.example"]}
    assert summary(entry) == (
        world.tech_staff,
        UPDATE,
        {"clusters": [world.tech.pk], "via": "web"},
        [world.tech.pk],
    )


# --- background jobs --------------------------------------------------------------------------------------


def test_a_background_job_records_its_creator(django_capture_on_commit_callbacks):
    from helix.symbiosis import matching
    from helix.symbiosis.models import Synergy
    from tests.symbiosis.helpers import world as symbiosis_world

    w = symbiosis_world()
    with django_capture_on_commit_callbacks(execute=True):
        matching.start_matching(w.staff, "")

    synergy = Synergy.objects.get(have=w.slag, want=w.slag_want)
    [entry] = entries_of(synergy)
    assert (entry.object_repr, entry.changes["have"], entry.changes["want"]) == (
        "Blast furnace slag -> " + w.slag_want.title,
        ["None", str(w.slag.pk)],
        ["None", str(w.slag_want.pk)],
    )
    assert summary(entry) == (w.staff, CREATE, {"clusters": [w.cluster.pk], "via": "task"}, [w.cluster.pk])


def test_a_job_without_a_creator_is_recorded_as_the_system():
    with acting_as(None, TASK):
        org = OrganisationFactory(name="Quiet")

    [entry] = entries_of(org)
    assert (entry.actor, entry.additional_data) == (None, {"clusters": [], "via": "task"})


# --- writes that bypass signals ---------------------------------------------------------------------------


def test_requests_expired_at_the_deadline_are_recorded_one_by_one(world):
    now = timezone.now()
    event = Event.objects.create(
        cluster=world.tech, title="Demo day", request_deadline=now - dt.timedelta(hours=1)
    )
    one, two = (
        Registration.objects.create(
            event=event, person=PersonFactory(organisation=world.acme), organisation=world.acme
        )
        for _ in range(2)
    )
    request = EventMeetingRequest.objects.create(event=event, requester=one, requested=two)

    with acting_as(None, TASK):
        assert expire_requests(event, now) == 1

    [entry] = entries_of(request, UPDATE)
    assert entry.changes == {"status": ["requested", "expired"]}
    assert summary(entry) == (None, UPDATE, {"clusters": [world.tech.pk], "via": "task"}, [world.tech.pk])


# --- deletions and scope ----------------------------------------------------------------------------------


def test_a_deleted_organisation_keeps_its_clusters_on_its_last_entries(world):
    site = SiteFactory(organisation=world.acme)
    gone = {
        "membership": Membership.objects.get(organisation=world.acme).pk,
        "organisation": world.acme.pk,
        "person": Person.objects.get(organisation=world.acme).pk,
        "site": site.pk,
    }

    world.acme.delete()

    deletions = LogEntry.objects.filter(action=DELETE).order_by("content_type__model")
    assert [(e.content_type.model, e.object_id, scope_of(e)) for e in deletions] == [
        (model, pk, [world.tech.pk]) for model, pk in gone.items()
    ]


def test_an_organisation_created_before_its_first_membership_joins_its_cluster_history(world):
    org = OrganisationFactory(name="Later")
    person = PersonFactory(organisation=org)
    assert [scope_of(e) for e in entries_of(org) + entries_of(person)] == [[], []]

    MembershipFactory(organisation=org, cluster=world.food)

    assert [scope_of(e) for e in entries_of(org) + entries_of(person)] == [[world.food.pk], [world.food.pk]]


def test_a_person_belongs_to_the_clusters_of_their_organisation(world):
    MembershipFactory(organisation=world.acme, cluster=world.food)

    person = PersonFactory(organisation=world.acme)

    assert scope_of(entries_of(person)[0]) == sorted([world.tech.pk, world.food.pk])
    assert Person.objects.count() == 2  # Mia (member user) and this one


def test_a_forged_forwarded_address_is_not_recorded(client, world):
    client.force_login(world.tech_staff)
    url = f"/organisations/{world.acme.slug}/edit/"
    payload = editor_payload(client.get(url))
    payload["name"] = "Acme Forged"

    client.post(url, payload, headers={"X-Forwarded-For": "not an address, 10.0.0.1"})

    [entry] = entries_of(world.acme, UPDATE)
    assert (entry.changes, entry.remote_addr) == ({"name": ["Acme", "Acme Forged"]}, "127.0.0.1")
