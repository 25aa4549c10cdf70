"""Integration: a letter of intent's document is a PDF within the upload limit, in the admin and
through the service: another file type, a file named .pdf that is not one, or a file too large is
refused and nothing is stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from helix.registry import services
from helix.registry.models import LetterOfIntent
from tests.factories import ClusterFactory, OrganisationFactory, UserFactory, staff_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def record(document):  # type: ignore[no-untyped-def]
    cluster = ClusterFactory()
    return services.record_letter_of_intent(
        OrganisationFactory(),
        cluster,
        user=staff_user(cluster),
        signed_on=dt.date(2016, 9, 12),
        signatory_name="An Peeters",
        document=document,
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("loi.pdf", b"<html>not a pdf</html>", "The file is not a PDF document."),
        ("loi.docx", b"%PDF-1.4 but named .docx", "Upload a PDF file."),
        ("loi.pdf", b"%PDF-1.4" + b"x" * 3000, "The file is larger than 2.0\xa0KB, the most a page accepts"),
    ],
)
def test_the_service_refuses_a_document_that_is_not_a_pdf_within_the_limit(settings, name, data, message):
    settings.HELIX_UPLOAD_MAX_BYTES = 2048

    with pytest.raises(ValidationError) as refused:
        record(SimpleUploadedFile(name, data))

    assert refused.value.messages[0].startswith(message)
    assert LetterOfIntent.objects.count() == 0


def test_the_admin_refuses_a_document_that_is_not_a_pdf(client):
    cluster = ClusterFactory()
    organisation = OrganisationFactory()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    fields = {"organisation": organisation.pk, "cluster": cluster.pk, "signed_on": "2016-09-12", "note": ""}

    refused = client.post(
        "/admin/registry/letterofintent/add/",
        {**fields, "document": SimpleUploadedFile("loi.pdf", b"MZ\x90\x00")},
    )
    accepted = client.post(
        "/admin/registry/letterofintent/add/",
        {**fields, "document": SimpleUploadedFile("loi.pdf", b"%PDF-1.7 ok")},
    )

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["document"] == ["The file is not a PDF document."]
    assert accepted.status_code == 302
    assert list(LetterOfIntent.objects.values_list("organisation", flat=True)) == [organisation.pk]
