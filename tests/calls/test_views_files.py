"""Integration: an application's files, uploaded per file field when the draft is saved (refusals said
beside the field) and downloaded only after the permission tables say yes: its applicants and the call's
staff; a reviewer through an assignment without a declared conflict; anyone else a 404
(helix.calls.views.files)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from helix.calls import services
from helix.calls.models import Attachment
from tests.factories.calls import DeclaredConflictFactory, ReviewAssignmentFactory, ReviewerFactory
from tests.factories.registry import OrganisationFactory, member_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PDF = b"%PDF-1.4 the budget"


@pytest.fixture
def with_file(calls_world):  # type: ignore[no-untyped-def]
    """A draft to the Luxembourg call (its form asks for a budget sheet) with the sheet uploaded by the
    lead through the page."""
    call = calls_world.open_call("luxembourg_bpf_2024.json", "lux-2024")
    application = services.start_application(calls_world.users["robo"], call, calls_world.orgs["robo"], "Sun")
    services.add_co_applicant(calls_world.users["robo"], application, calls_world.orgs["uni"])
    robo = calls_world.client("robo")
    _save_with(robo, application, SimpleUploadedFile("budget.pdf", PDF))
    return application, Attachment.objects.get()


def _save_with(client, application, upload):  # type: ignore[no-untyped-def]
    page = client.get(reverse("calls:application", args=[application.pk])).content.decode()
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    return client.post(
        reverse("calls:save", args=[application.pk]),
        {"revision": revision, "title": "Sun", "budget_sheet": upload},
    )


def _download(client, attachment):  # type: ignore[no-untyped-def]
    return client.get(reverse("calls:attachment", args=[attachment.pk]))


def test_an_upload_answers_its_field_and_the_applicants_download_it(calls_world, with_file):
    application, attachment = with_file
    application.refresh_from_db()
    assert application.answers["proposal"]["budget_sheet"]["name"] == "budget.pdf"
    page = calls_world.client("uni").get(reverse("calls:application", args=[application.pk])).content.decode()
    assert reverse("calls:attachment", args=[attachment.pk]) in page
    for who in ("robo", "uni", "staff"):
        response = _download(calls_world.client(who), attachment)
        assert (who, response.status_code, b"".join(response.streaming_content)) == (who, 200, PDF)
    assert response["Content-Disposition"] == 'attachment; filename="budget.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_an_outsider_gets_a_404_for_the_file(client, calls_world, with_file):
    _application, attachment = with_file
    assert _download(calls_world.client("city"), attachment).status_code == 404
    assert _download(client, attachment).status_code == 404  # not signed in
    assert client.get(reverse("calls:attachment", args=[999999])).status_code == 404


def test_a_file_of_a_type_the_form_refuses_is_said_beside_its_field(calls_world, with_file):
    application, _attachment = with_file
    response = _save_with(calls_world.client("robo"), application, SimpleUploadedFile("budget.exe", b"MZ"))
    page = response.content.decode()
    field = page[page.index('id="field-budget_sheet-field"') :]
    assert response.status_code == 200
    assert "A file of the type .exe is not accepted here; send .xlsx, .pdf." in field[: field.index("</div>")]
    assert Attachment.objects.count() == 1  # the refused file is not kept


def test_a_file_over_the_sites_upload_limit_is_refused_by_name(calls_world, with_file, settings):
    settings.HELIX_UPLOAD_MAX_BYTES = 10
    application, _attachment = with_file
    page = _save_with(
        calls_world.client("robo"), application, SimpleUploadedFile("big.pdf", PDF * 10)
    ).content.decode()
    assert "The file is larger than 10\xa0bytes, the most a page accepts" in page
    assert Attachment.objects.count() == 1


def _reviewer(calls_world, application, username):  # type: ignore[no-untyped-def]
    user = member_user(OrganisationFactory(name=f"Expert {username}"), username)
    reviewer = ReviewerFactory(call=application.call, person=user.person)
    return user, reviewer, ReviewAssignmentFactory(reviewer=reviewer, application=application)


def test_a_reviewer_downloads_through_an_assignment_but_not_after_declaring_a_conflict(
    calls_world, with_file
):
    from django.test import Client

    application, attachment = with_file
    user, _reviewer_row, assignment = _reviewer(calls_world, application, "fair")
    conflicted_user, conflicted, conflicted_assignment = _reviewer(calls_world, application, "biased")
    DeclaredConflictFactory(reviewer=conflicted, application=application)
    fair, biased = Client(), Client()
    fair.force_login(user)
    biased.force_login(conflicted_user)
    url = reverse("calls:assignment_attachment", args=[assignment.pk, attachment.pk])
    response = fair.get(url)
    assert (response.status_code, b"".join(response.streaming_content)) == (200, PDF)
    assert _download(fair, attachment).status_code == 404  # not an applicant: only through the assignment
    conflicted_url = reverse("calls:assignment_attachment", args=[conflicted_assignment.pk, attachment.pk])
    assert biased.get(conflicted_url).status_code == 404
    assert biased.get(url).status_code == 404  # another reviewer's assignment
    assert _download(biased, attachment).status_code == 404


def test_an_assignment_shows_only_the_files_of_its_own_application(calls_world, with_file):
    from django.test import Client

    application, _attachment = with_file
    user, _row, assignment = _reviewer(calls_world, application, "fair")
    other = calls_world.application()
    services.save_answers(calls_world.users["robo"], other, {"synergies": "x"})
    foreign = Attachment.objects.create(
        application=other, stage="proposal", field="budget_sheet", file=SimpleUploadedFile("x.pdf", PDF),
        name="x.pdf", size=len(PDF), sha256="0" * 64,
    )  # fmt: skip
    fair = Client()
    fair.force_login(user)
    assert (
        fair.get(reverse("calls:assignment_attachment", args=[assignment.pk, foreign.pk])).status_code == 404
    )
