"""Checks for uploaded files: size, real type by magic bytes (never the name or the browser's
word), and the SHA-256 that names the stored file."""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
    return CheckedUpload(content_type, upload.size, digest.hexdigest())
