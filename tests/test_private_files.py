"""Integration: letters of intent and export workbooks are private files. They live outside MEDIA_ROOT,
no /media/ URL serves them in any mode, and only permission-checked views send them."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import Resolver404, resolve

from helix.jobs.models import Job
from helix.registry import services
from helix.registry.tasks import export_path
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    member_user,
    staff_user,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PDF = b"%PDF-1.4 signed letter of intent"


@pytest.fixture
def letter(settings):  # type: ignore[no-untyped-def]
    """A letter of intent of organisation "Signer" to cluster "Home", with its signed document."""
    home = ClusterFactory(name="Home", slug="home")
    organisation = OrganisationFactory(name="Signer")
    MembershipFactory(organisation=organisation, cluster=home, level="interested")
    return services.record_letter_of_intent(
        organisation,
        home,
        user=UserFactory(username="recorder", is_superuser=True, is_staff=True),
        signed_on=dt.date(2026, 3, 1),
        signatory_name="Anna Peeters",
        document=ContentFile(PDF, name="loi-signer.pdf"),
    )


def test_the_document_is_stored_outside_media_root_and_has_no_url(letter, settings):
    stored = Path(settings.PRIVATE_ROOT) / letter.document.name
    assert stored.read_bytes() == PDF
    assert letter.document.name.startswith("letters-of-intent/")
    assert not (Path(settings.MEDIA_ROOT) / letter.document.name).exists()
    with pytest.raises(ValueError, match="private files have no URL"):
        letter.document.url  # noqa: B018


def test_the_old_media_path_answers_404(letter, client, settings):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(f"/media/{letter.document.name}").status_code == 404
    assert client.get(f"/letters-of-intent/{letter.pk}/document/").status_code == 200


def test_no_media_route_even_in_debug_mode(settings):
    import helix.urls

    settings.DEBUG = True
    try:
        debug_urls = importlib.reload(helix.urls)
        with pytest.raises(Resolver404):
            resolve("/media/letters-of-intent/2026/loi-signer.pdf", urlconf=debug_urls)
    finally:
        settings.DEBUG = False
        importlib.reload(helix.urls)


def test_the_checked_view_sends_the_document_to_the_allowed_and_404_to_others(letter, client):
    url = f"/letters-of-intent/{letter.pk}/document/"
    elsewhere = ClusterFactory(name="Elsewhere", slug="elsewhere")
    other_organisation = OrganisationFactory(name="Other")
    MembershipFactory(organisation=other_organisation, cluster=letter.cluster, level="member")
    users = {
        "own people": member_user(letter.organisation, "own"),
        "staff of the letter's cluster": staff_user(letter.cluster, "home-staff"),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
        "staff of another cluster": staff_user(elsewhere, "other-staff"),
        "member of another organisation in the cluster": member_user(other_organisation, "neighbour"),
        "signed-in user": UserFactory(username="someone"),
    }
    answers = {}
    for role, user in users.items():
        client.force_login(user)
        response = client.get(url)
        answers[role] = response.status_code
        if response.status_code == 200:
            assert b"".join(response.streaming_content) == PDF
            assert (
                response["Content-Type"],
                response["Cache-Control"],
                response["X-Content-Type-Options"],
            ) == (
                "application/pdf",
                "private, no-store",
                "nosniff",
            )
            assert response["Content-Disposition"].startswith("attachment;")
    client.logout()
    answers["anonymous"] = client.get(url).status_code
    assert answers == {
        "own people": 200,
        "staff of the letter's cluster": 200,
        "superuser": 200,
        "staff of another cluster": 404,
        "member of another organisation in the cluster": 404,
        "signed-in user": 404,
        "anonymous": 404,
    }


def test_the_profile_links_the_checked_view(letter, client):
    client.force_login(staff_user(letter.cluster, "home-staff"))
    page = client.get(f"/organisations/{letter.organisation.slug}/").content.decode()
    assert f'href="/letters-of-intent/{letter.pk}/document/"' in page
    assert "/media/" not in page


def test_an_export_is_written_to_private_storage_and_only_its_creator_and_superusers_download_it(
    client, settings
):
    cluster = ClusterFactory()
    creator = staff_user(cluster, username="first")
    client.force_login(creator)
    client.post("/registry/export/")
    job = Job.objects.get(kind="registry.export")
    path = export_path(job.pk)
    assert path.is_relative_to(Path(settings.PRIVATE_ROOT))
    assert path.is_file()
    assert job.output_files == [str(path)]
    assert client.get(f"/media/exports/job-{job.pk}/helix-registry.xlsx").status_code == 404
    answers = {"creator": client.get(f"/registry/export/{job.pk}/download/").status_code}
    for name, user in (
        ("other staff of the cluster", staff_user(cluster, username="second")),
        ("superuser", UserFactory(username="root", is_superuser=True, is_staff=True)),
    ):
        client.force_login(user)
        answers[name] = client.get(f"/registry/export/{job.pk}/download/").status_code
    assert answers == {"creator": 200, "other staff of the cluster": 404, "superuser": 200}


def test_the_migration_moves_old_media_files_to_private_storage(letter, settings):
    from django.apps import apps

    migration = importlib.import_module("helix.registry.migrations.0005_private_letter_documents")
    media, private = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_ROOT)
    old_letter = media / letter.document.name
    old_letter.parent.mkdir(parents=True, exist_ok=True)
    (private / letter.document.name).rename(old_letter)  # as it was before: under MEDIA_ROOT
    old_export = media / "exports" / "job-7" / "helix-registry.xlsx"
    old_export.parent.mkdir(parents=True)
    old_export.write_bytes(b"PK")
    old_upload = media / "imports" / "import-x" / "people.csv"
    old_upload.parent.mkdir(parents=True)
    old_upload.write_text("personal data")

    migration.move_private_files(apps, None)

    assert (private / letter.document.name).read_bytes() == PDF
    assert (private / "exports" / "job-7" / "helix-registry.xlsx").read_bytes() == b"PK"
    assert [p for p in media.rglob("*") if p.is_file()] == []  # nothing left to serve, the upload gone
