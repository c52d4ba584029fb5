"""Checks for uploaded files: size, real type by magic bytes (never the name or the browser's
word), the SHA-256 that names the stored file, and an antivirus scan by clamd when one is
configured (core/virus_scan.py, fail closed)."""

import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lotse.core import virus_scan

log = logging.getLogger("lotse.core.uploads")

ALLOWED_UPLOAD_TYPES = {"application/pdf": b"%PDF-", "image/png": b"\x89PNG", "image/jpeg": b"\xff\xd8\xff"}


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str


def check_upload(upload, max_bytes: int, *, field: str) -> CheckedUpload:
    if upload.size == 0:
        raise ValidationError({field: _("The file is empty.")})
    if upload.size > max_bytes:
        raise ValidationError({field: _("The file is too large (at most %(mb)s MB).") % {
            "mb": max_bytes // (1024 * 1024)}})
    head = upload.read(8)
    upload.seek(0)
    content_type = next(
        (kind for kind, magic in ALLOWED_UPLOAD_TYPES.items() if head.startswith(magic)), None
    )
    if content_type is None:
        raise ValidationError({field: _("Only PDF, PNG or JPEG files can be uploaded.")})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    checked = CheckedUpload(content_type, upload.size, digest.hexdigest())
    _scan(upload, checked, field)
    return checked


def _scan(upload, checked: CheckedUpload, field: str) -> None:
    """Refuse an infected file, and any file when the configured scanner gives no verdict.

    The log names the file by its SHA-256 only: an uploaded file's name may be personal data.
    """
    if not virus_scan.scanner_configured():
        return
    try:
        result = virus_scan.scan_upload(upload)
    except virus_scan.ScannerUnavailable as exc:
        log.error("Upload refused: the virus scanner gave no verdict for sha256 %s: %s",
                  checked.sha256, exc)
        raise ValidationError({field: _(
            "The file could not be checked for viruses; please try again later or tell the "
            "administrator.")}) from exc
    if result.infected:
        log.warning("Upload refused: the virus scanner found %s in sha256 %s",
                    result.signature, checked.sha256)
        raise ValidationError({field: _(
            "The file was refused: the virus scanner found %(name)s.") % {"name": result.signature}})
