"""The signed document of a letter of intent, sent only to those the registry's rules allow to download it
(``LETTER_OF_INTENT`` "download" in registry.permissions: the organisation's own people, staff of the
letter's cluster, superusers). The file lives in private storage, never under MEDIA_ROOT."""

from __future__ import annotations

from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from helix.private_files import private_storage, send_private_file
from helix.registry.models import LetterOfIntent
from helix.registry.permissions import can


def letter_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The document of letter ``pk``; 404 to anyone else (even signed out), so ids do not leak."""
    letter = get_object_or_404(LetterOfIntent.objects.select_related("organisation"), pk=pk)
    if not letter.document or not can(request.user, "download", letter):
        raise Http404
    path = Path(private_storage.path(letter.document.name))
    return send_private_file(path, Path(letter.document.name).name)
