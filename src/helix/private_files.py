"""Private files: stored under ``settings.PRIVATE_ROOT``, outside ``MEDIA_ROOT``, and sent only by views
that first ask a permission rule (letters of intent, export workbooks). Nothing here has a URL of its own:
``PrivateStorage.url()`` refuses, so a template cannot link a private file by mistake.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible


@deconstructible(path="helix.private_files.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """A file system storage rooted at ``settings.PRIVATE_ROOT`` (read on each use, so tests can move
    it), with no base URL."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("location", None)
        kwargs.pop("base_url", None)
        super().__init__(**kwargs)

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.PRIVATE_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return str(Path(settings.PRIVATE_ROOT).resolve())

    @property  # type: ignore[override]
    def base_url(self) -> None:
        return None

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL; link the permission-checked view instead")


private_storage = PrivateStorage()


def private_path(*parts: str) -> Path:
    """A path under ``PRIVATE_ROOT``."""
    return Path(settings.PRIVATE_ROOT).joinpath(*parts)


def send_private_file(path: Path, filename: str) -> FileResponse:
    """Send ``path`` as a download the browser neither caches nor runs; 404 when it is gone. Callers
    check permissions first."""
    if not path.is_file():
        raise Http404
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(path.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
