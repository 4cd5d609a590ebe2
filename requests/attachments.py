"""Files kept with a request, and the requester's expiring link to the answer's files.

A file's type is decided from its content (its first bytes, the inside of a ZIP container, or
that it is text), never from the name or the content type the browser sent: the type served
back with it (staff download, requester's download) is the one found here. The uploaded name is
kept as original_name for the download, and stored under a random name
(models/attachments.attachment_path); both the file and the name go with the request's
anonymisation (attachments_delete). Files leave the disk when their row is deleted, whatever
deletes it (requests/signals.py).
"""

import codecs
import hashlib
import json
import secrets
import unicodedata
import zipfile
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from requests import services
from requests.models import DownloadLink, RequestAttachment, RequestEvent

Direction = RequestAttachment.Direction

# What an Art. 15 copy or a scanned letter is made of. Text is recognised as valid UTF-8
# without NUL bytes; its name then says whether it is CSV (the content would not tell).
PDF, PNG, JPEG, TIFF = "application/pdf", "image/png", "image/jpeg", "image/tiff"
TEXT, CSV, JSON = "text/plain", "text/csv", "application/json"
ZIP = "application/zip"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SIGNATURES = [
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
]
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
OPEN_DOCUMENT_TYPES = {ODT, ODS}
CHUNK = 64 * 1024


def _types_message():
    return _(
        "This type of file cannot be attached. Attach a PDF, an image (PNG, JPEG or TIFF), a "
        "text file (TXT, CSV or JSON), an OpenDocument or Office document (ODT, ODS, DOCX or "
        "XLSX) or a ZIP archive."
    )


def _zip_type(uploaded_file):
    """The type of a ZIP container: OpenDocument (its "mimetype" entry), Office Open XML (its
    parts), or a plain archive; None when it is not a readable ZIP. Only the directory and
    the small "mimetype" entry are read, nothing is extracted."""
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared in OPEN_DOCUMENT_TYPES:
                    return declared
            if "[Content_Types].xml" in names:
                if any(name.startswith("word/") for name in names):
                    return DOCX
                if any(name.startswith("xl/") for name in names):
                    return XLSX
            return ZIP
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError):
        return None


def _text_type(uploaded_file, name):
    """text/plain, text/csv or application/json when the whole file is UTF-8 text, else None."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    parts = []
    try:
        for chunk in uploaded_file.chunks(CHUNK):
            if b"\x00" in chunk:
                return None
            parts.append(decoder.decode(chunk))
        parts.append(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        return None
    text = "".join(parts)
    lower = name.lower()
    if lower.endswith(".json"):
        try:
            json.loads(text)
        except ValueError:
            return None
        return JSON
    return CSV if lower.endswith(".csv") else TEXT


def detected_type(uploaded_file):
    """The content type found in the file's content, or None when it is none of the allowed."""
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    try:
        for signature, content_type in SIGNATURES:
            if head.startswith(signature):
                return content_type
        if head.startswith(ZIP_SIGNATURES):
            return _zip_type(uploaded_file)
        return _text_type(uploaded_file, uploaded_file.name or "")
    finally:
        uploaded_file.seek(0)


def attachment_validate(uploaded_file):
    """The file's content type, or ValidationError with what to do: the one rule for the admin
    form (attachment_forms.MultipleFileField) and for attachment_add."""
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": uploaded_file.name})
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file %(name)s is %(size)s; a file may be %(max)s at most.")
            % {
                "name": uploaded_file.name,
                "size": filesizeformat(size),
                "max": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            },
            code="too_big",
        )
    content_type = detected_type(uploaded_file)
    if content_type is None:
        raise ValidationError(f"{uploaded_file.name}: {_types_message()}", code="type_not_allowed")
    return content_type


def safe_original_name(name):
    """The uploaded name as shown and offered again on download: no folder, no control or
    invisible character, at most 200 characters with its extension kept."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip()
    name = name or "file"
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        extension = extension[:20] if dot else ""
        name = f"{(stem if dot else name)[: 199 - len(extension)]}.{extension}".rstrip(".")
    return name


@transaction.atomic
def attachment_add(*, subject_request, uploaded_file, direction, by) -> RequestAttachment:
    """Keep a file with the request: refused on an anonymised request, for a file too big or
    of a type not allowed (attachment_validate); the timeline names it."""
    if direction not in Direction.values:
        raise ValidationError({"direction": _("Choose whether the file was received or sent.")})
    subject_request = services.locked_request(subject_request)
    services.require_not_anonymised(subject_request)
    try:
        content_type = attachment_validate(uploaded_file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    attachment = RequestAttachment(
        request=subject_request,
        direction=direction,
        original_name=safe_original_name(uploaded_file.name),
        content_type=content_type,
        size=uploaded_file.size,
        added_by=by,
    )
    attachment.file.save("upload", uploaded_file, save=False)
    try:
        attachment.full_clean()
        attachment.save()
        services.event_add(
            subject_request,
            RequestEvent.Kind.ATTACHMENT,
            by=by,
            text=f"{attachment.get_direction_display()}: {attachment.original_name}",
        )
    except BaseException:
        # Not kept: nor is its file (a row deleted later takes its file, requests/signals.py).
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def download_link_create(*, subject_request, now=None) -> tuple[str, datetime]:
    """A new link to the answer's files: (its absolute URL in the requester's language, when
    it expires). Only the token's SHA-256 is stored: the URL exists only in the e-mail."""
    now = now or timezone.now()
    services.require_not_anonymised(subject_request)
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(days=settings.DOWNLOAD_LINK_DAYS)
    DownloadLink.objects.create(
        request=subject_request, token_hash=token_hash(token), created_at=now, expires_at=expires_at
    )
    with translation.override(subject_request.language):
        path = reverse("rights:download", kwargs={"token": token})
    return settings.SITE_URL.rstrip("/") + path, expires_at


@transaction.atomic
def attachments_delete(*, subject_request) -> int:
    """Delete the request's files (from the disk once committed, requests/signals.py), their
    rows and its download links; the number of files deleted."""
    subject_request.download_links.all().delete()
    _total, deleted = subject_request.attachments.all().delete()
    return deleted.get(RequestAttachment._meta.label, 0)
