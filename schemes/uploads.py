"""Checking uploaded evidence: size, type by content (not by the name's ending), and a safe name to show."""

import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# What the first bytes of a file must look like, for each type we accept (scans, photos from a phone camera).
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
HEIF_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"heif")
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg", "image/heic": "heic"}


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    display_name: str  # the person's own file name, made safe to show and to offer as a download name
    storage_name: str  # a random name: nothing the uploader typed reaches the file system


def sniff(head: bytes) -> str | None:
    for content_type, prefixes in SIGNATURES.items():
        if head.startswith(prefixes):
            return content_type
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "image/heic"
    return None


def check_upload(upload, *, folder: str) -> CheckedUpload:
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is too big. The largest we accept is 10 MB."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise ValidationError(_("Please upload a PDF, or a photo (JPEG, PNG or HEIC)."))
    stem = PurePath(upload.name.replace("\\", "/")).name  # no folders from the uploader's machine
    display = get_valid_filename(stem)[:100] or "evidence"
    extension = EXTENSIONS[content_type]
    if not display.lower().endswith(f".{extension}"):
        display = f"{display.rsplit('.', 1)[0]}.{extension}"
    return CheckedUpload(content_type, display, f"{folder}/{uuid.uuid4().hex}.{extension}")
