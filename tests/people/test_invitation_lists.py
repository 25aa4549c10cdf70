"""Integration: staff invite people from a CSV or XLSX list: a preview, then all are invited, or none."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from helix.people import invitations
from helix.people.models import Invitation
from helix.spreadsheets import write_workbook

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HEADER = "email,first_name,last_name,organisation,new_organisation,cluster,language\n"


def upload(client, text: str, name: str = "people.csv"):  # type: ignore[no-untyped-def]
    data = text.encode() if isinstance(text, str) else text
    return client.post("/people/invite/file/", {"file": SimpleUploadedFile(name, data), "language": "en"})


def test_a_list_is_previewed_then_everyone_is_invited(client, eco, django_capture_on_commit_callbacks):
    client.force_login(eco.staff)
    preview = upload(
        client,
        HEADER
        + "ann@example.org,Ann,Peeters,enervalis,,,nl\n"
        + "bo@example.org,Bo,Maes,Enervalis,,,\n"
        + "cy@example.org,Cy,Dewit,,Newco,alpha,fr\n",
    )
    assert preview.status_code == 200
    assert [p.email for p in preview.context["planned"]] == [
        "ann@example.org",
        "bo@example.org",
        "cy@example.org",
    ]
    assert Invitation.objects.count() == 0
    assert mail.outbox == []
    page = preview.content.decode()
    assert "Send 3 invitations" in page
    assert "Newco" in page
    plan = re.search(r'name="plan" value="([^"]+)"', page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/people/invite/file/", {"plan": plan, "language": "en"})
    assert response.status_code == 302
    assert response["Location"] == "/people/invitations/"
    invitations = {i.email: i for i in Invitation.objects.all()}
    assert set(invitations) == {"ann@example.org", "bo@example.org", "cy@example.org"}
    assert (invitations["ann@example.org"].organisation, invitations["ann@example.org"].language) == (
        eco.enervalis,
        "nl",
    )
    assert invitations["bo@example.org"].language == "en"  # the page's choice for an empty cell
    assert (invitations["cy@example.org"].organisation_name, invitations["cy@example.org"].cluster) == (
        "Newco",
        eco.alpha,
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "bo@example.org", "cy@example.org"]


def test_one_bad_row_invites_nobody_and_names_row_and_field(client, eco):
    client.force_login(eco.staff)
    response = upload(
        client,
        HEADER
        + "ann@example.org,Ann,Peeters,enervalis,,,\n"
        + "bo@example.org,Bo,Maes,niko,,,\n"  # Niko is in another cluster
        + "cy@example,Cy,Dewit,enervalis,,,\n",
    )
    assert response.status_code == 200
    errors = [str(e) for e in response.context["errors"]]
    assert errors == ["people.csv, row 4, column email: 'cy@example' is not an e-mail address"]
    # The syntax is right: the registry checks follow.
    response = upload(
        client, HEADER + "ann@example.org,Ann,Peeters,enervalis,,,\n" + "bo@example.org,Bo,Maes,niko,,,\n"
    )
    errors = [str(e) for e in response.context["errors"]]
    assert len(errors) == 1
    assert errors[0].startswith("people.csv, row 3, column organisation: no organisation")
    assert "nobody was invited" in response.content.decode()
    assert response.context["planned"] == []
    assert 'name="plan"' not in response.content.decode()
    assert Invitation.objects.count() == 0


def test_an_xlsx_workbook_is_read_from_its_first_sheet(client, eco):
    buffer = io.BytesIO()
    write_workbook(
        buffer,
        {
            "People": (
                ["Email", "First name", "Last name", "Organisation"],
                [["ann@example.org", "Ann", "Peeters", "enervalis"]],
            )
        },
    )
    client.force_login(eco.staff)
    response = upload(client, buffer.getvalue(), "people.xlsx")
    assert response.context["errors"] == []
    assert [(p.email, p.organisation_id) for p in response.context["planned"]] == [
        ("ann@example.org", eco.enervalis.pk)
    ]


def test_a_row_that_became_wrong_since_the_preview_invites_nobody(
    client, eco, django_capture_on_commit_callbacks
):
    client.force_login(eco.staff)
    preview = upload(
        client, HEADER + "ann@example.org,Ann,Peeters,enervalis,,,\nbo@example.org,Bo,Maes,enervalis,,,\n"
    )
    plan = re.search(r'name="plan" value="([^"]+)"', preview.content.decode()).group(1)
    invitations.invite(
        by=eco.staff, email="bo@example.org", first_name="Bo", last_name="Maes", organisation=eco.enervalis
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/people/invite/file/", {"plan": plan, "language": "en"}, follow=True)
    assert "Row 3:" in response.content.decode()
    assert "Nobody was invited." in response.content.decode()
    assert list(Invitation.objects.values_list("email", flat=True)) == ["bo@example.org"]
    assert mail.outbox == []


def test_a_tampered_or_foreign_preview_is_refused(client, eco):
    client.force_login(eco.staff)
    preview = upload(client, HEADER + "ann@example.org,Ann,Peeters,enervalis,,,\n")
    plan = re.search(r'name="plan" value="([^"]+)"', preview.content.decode()).group(1)
    response = client.post("/people/invite/file/", {"plan": plan[:-3] + "abc", "language": "en"}, follow=True)
    assert "upload the file again" in response.content.decode()
    client.force_login(eco.staff_beta)
    assert client.post("/people/invite/file/", {"plan": plan, "language": "en"}).status_code == 403
    assert Invitation.objects.count() == 0


def test_a_new_organisation_needs_a_cluster_when_the_staff_member_has_several(client, eco):
    from helix.registry.services import assign_cluster_staff

    assign_cluster_staff(eco.staff, eco.beta)
    client.force_login(eco.staff)
    response = upload(client, HEADER + "cy@example.org,Cy,Dewit,,Newco,,\n")
    errors = [str(e) for e in response.context["errors"]]
    assert len(errors) == 1
    assert "row 2, column cluster: which cluster" in errors[0]


def test_a_member_cannot_open_the_file_invitation(client, eco):
    client.force_login(eco.member)
    assert client.get("/people/invite/file/").status_code == 403
