"""Staff pages to import and export the registry. The import runs as a background job."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from helix.jobs.models import Job, JobStatus
from helix.jobs.permissions import can_download_job_files
from helix.jobs.services import create_job, uploads_folder
from helix.private_files import send_private_file
from helix.registry.models import Organisation
from helix.registry.permissions import may
from helix.registry.tasks import export_path, export_registry_file, import_registry_file
from helix.uploads import check_table_upload

KINDS = [
    ("", _("Detect from the header")),
    ("organisations", _("Organisations")),
    ("sites", _("Sites")),
    ("people", _("People")),
    ("memberships", _("Memberships")),
]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    kind = forms.ChoiceField(label=_("What the CSV file holds"), choices=KINDS, required=False)
    dry_run = forms.BooleanField(
        label=_("Dry run: preview only, write nothing"), required=False, initial=True
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        return check_table_upload(self.cleaned_data["file"])  # size, extension and content


def _imports_folder() -> Path:
    folder = uploads_folder()  # private storage: never served, purged after HELIX_FILE_RETENTION_DAYS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@login_required
def import_registry(request: HttpRequest) -> HttpResponse:
    if not may(request.user, "transfer", Organisation):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # A folder of its own per upload, so the file keeps the name the user knows: errors name it.
        folder = Path(tempfile.mkdtemp(prefix="import-", dir=_imports_folder()))
        target = folder / (get_valid_filename(Path(upload.name).name) or f"upload{Path(upload.name).suffix}")
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        dry_run = form.cleaned_data["dry_run"]
        title = (_("Preview of %(file)s") if dry_run else _("Import of %(file)s")) % {"file": target.name}
        job = create_job("registry.import", str(title), request.user)
        kind = form.cleaned_data["kind"] or None
        import_registry_file.enqueue(job.pk, str(target), request.user.pk, dry_run, kind)
        return redirect("jobs:detail", job.pk)
    return render(request, "registry/transfer/import.html", {"form": form})


@login_required
def export_registry_view(request: HttpRequest) -> HttpResponse:
    """Start an export job (a large registry takes seconds to write); its page offers the download."""
    if not may(request.user, "transfer", Organisation):
        raise PermissionDenied
    if request.method != "POST":
        return render(request, "registry/transfer/export.html")
    job = create_job("registry.export", str(_("Export of the registry")), request.user)
    export_registry_file.enqueue(job.pk, request.user.pk)
    return redirect("jobs:detail", job.pk)


@login_required
def download_export(request: HttpRequest, job_id: int) -> HttpResponse:
    """The workbook of a finished export job, for the staff member who started it."""
    job = get_object_or_404(Job, pk=job_id, kind="registry.export", status=JobStatus.SUCCEEDED)
    if not can_download_job_files(request.user, job) or not may(request.user, "transfer", Organisation):
        raise Http404
    return send_private_file(export_path(job.pk), "helix-registry.xlsx")
