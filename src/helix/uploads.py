"""What a page accepts as an uploaded file: its size, and its type by extension and by content.

Every upload passes :class:`SizeLimitHandler` first (settings.FILE_UPLOAD_HANDLERS): once a file passes
HELIX_UPLOAD_MAX_BYTES its further bytes are dropped as they arrive, so neither memory nor the disk
fills, and the form gets a placeholder that :func:`check_size` refuses naming the limit. The type
checks read the first bytes (and, for a workbook, the zip directory), never the whole file.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

SNIFF_BYTES = 64 * 1024
# The parts every XLSX workbook has (ECMA-376 Open Packaging: the content types, the workbook).
XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# Files that are not text whatever their name: zip (XLSX, ODS), PDF, OLE2 (XLS, DOC), gzip, PNG, JPEG.
BINARY_MAGIC = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"\x89PNG", b"\xff\xd8\xff")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class OversizedUpload(UploadedFile):
    """Stands in for a file that passed the size limit: its name and the bytes received, no content."""

    def __init__(self, name: str, content_type: str, size: int, charset: str | None) -> None:
        import io

        super().__init__(io.BytesIO(), name, content_type, size, charset)


class SizeLimitHandler(FileUploadHandler):
    """Passes an upload's bytes on to the next handlers until it passes HELIX_UPLOAD_MAX_BYTES; from then
    on drops them and, at the end, answers an :class:`OversizedUpload` instead of the file."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.HELIX_UPLOAD_MAX_BYTES:
            self.too_large = True
        return None if self.too_large else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.too_large:
            return None  # the next handler holds the file
        return OversizedUpload(self.file_name or "", self.content_type or "", self.received, self.charset)


def check_size(upload: UploadedFile) -> None:
    limit = settings.HELIX_UPLOAD_MAX_BYTES
    if isinstance(upload, OversizedUpload) or (upload.size or 0) > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s, the most a page accepts (HELIX_UPLOAD_MAX_BYTES).")
            % {"limit": filesizeformat(limit)},
            code="too_large",
        )


def check_suffix(upload: UploadedFile, suffixes: tuple[str, ...], message: str) -> str:
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in suffixes:
        raise ValidationError(message, code="file_type")
    return suffix


def _head(upload: UploadedFile) -> bytes:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


def check_xlsx(handle: IO[bytes], unpacked_limit: int | None = None) -> None:
    """An XLSX workbook is a zip holding the workbook parts, unpacking to at most ``unpacked_limit``."""
    limit = settings.HELIX_IMPORT_MAX_UNPACKED_BYTES if unpacked_limit is None else unpacked_limit
    not_xlsx = ValidationError(_("The file is not an XLSX workbook."), code="not_xlsx")
    try:
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_xlsx from None
    finally:
        handle.seek(0)
    names = {part.filename for part in parts}
    if not all(name in names for name in XLSX_PARTS):
        raise not_xlsx
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limit:
        raise ValidationError(
            _("The workbook unpacks to %(size)s; an import reads at most %(limit)s.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(limit)},
            code="too_large",
        )


def check_text(head: bytes) -> None:
    """The start of a CSV file is text: no zero bytes, no known binary header, not UTF-16 (the import
    then names each cell whose bytes are not UTF-8)."""
    if head.startswith(UTF16_BOMS):
        raise ValidationError(_("The file is UTF-16 text; save it as CSV UTF-8."), code="not_text")
    if head.startswith(BINARY_MAGIC) or b"\x00" in head:
        raise ValidationError(
            _("The file is not CSV text; save the sheet as CSV UTF-8 (or upload the .xlsx workbook)."),
            code="not_text",
        )


def check_table_upload(upload: UploadedFile) -> UploadedFile:
    """A registry import: a .csv file of text or an .xlsx workbook, within the size limit."""
    check_size(upload)
    suffix = check_suffix(upload, (".csv", ".xlsx"), _("Upload a .csv or .xlsx file."))
    if suffix == ".xlsx":
        check_xlsx(upload)
    else:
        check_text(_head(upload))
    return upload


def check_pdf_upload(upload: UploadedFile) -> UploadedFile:
    """A signed document (letter of intent): a .pdf file that starts as a PDF does, within the size limit."""
    check_size(upload)
    check_suffix(upload, (".pdf",), _("Upload a PDF file."))
    if not _head(upload).startswith(b"%PDF-"):
        raise ValidationError(_("The file is not a PDF document."), code="not_pdf")
    return upload
