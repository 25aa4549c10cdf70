"""An application's files, sent only after asking the permission tables (helix.private_files): its
applicants and the call's staff through the attachment itself, a reviewer through an assignment of that
application they may see (none once they declared a conflict). Whoever may not gets a 404, as for a file
that does not exist."""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest

from helix.calls.models import Attachment, ReviewAssignment
from helix.private_files import send_private_file
from helix.registry.permissions import can


def _send(attachment: Attachment) -> FileResponse:
    try:
        path = Path(attachment.file.path)
    except (ValueError, NotImplementedError):
        raise Http404 from None
    return send_private_file(path, attachment.name)


def attachment(request: HttpRequest, pk: int) -> FileResponse:
    found = Attachment.objects.select_related("application", "application__call").filter(pk=pk).first()
    if found is None or not can(request.user, "view", found):
        raise Http404
    return _send(found)


def assignment_attachment(request: HttpRequest, pk: int, attachment: int) -> FileResponse:
    assignment = (
        ReviewAssignment.objects.select_related("reviewer", "application", "application__call")
        .filter(pk=pk)
        .first()
    )
    if assignment is None or not can(request.user, "view", assignment):
        raise Http404
    found = Attachment.objects.filter(application_id=assignment.application_id, pk=attachment).first()
    if found is None:
        raise Http404
    return _send(found)
