"""Files kept with a request: the letter that brought it in, the copy sent in answer.

They live in the private storage (settings.STORAGES["private"], PRIVATE_MEDIA_ROOT), which no
URL serves: staff open them through the admin, the requester through an expiring download link
(DownloadLink) that also asks for the reference and the e-mail address. They are deleted with
the request and when it is anonymised (requests/attachments.py).
"""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def private_storage():
    return storages["private"]


def attachment_path(instance, filename):
    """requests/<request id>/<random>: never the uploaded name, which may hold personal data
    (kept in original_name, cleared on anonymisation with the file itself)."""
    return f"requests/{instance.request_id}/{uuid.uuid4().hex}"


class RequestAttachment(models.Model):
    class Direction(models.TextChoices):
        RECEIVED = "received", _("Received from the requester")
        ANSWER = "answer", _("Sent in answer")

    request = models.ForeignKey(
        "rights_requests.DataSubjectRequest",
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("request"),
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=attachment_path, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["added_at", "pk"]

    def __str__(self):
        return self.original_name


class DownloadLink(models.Model):
    """The link an answer e-mail carries to its attachments. Only the token's SHA-256 is kept;
    the link opens a page that asks for the reference and the e-mail address, and works until
    expires_at."""

    request = models.ForeignKey(
        "rights_requests.DataSubjectRequest",
        on_delete=models.CASCADE,
        related_name="download_links",
        verbose_name=_("request"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    downloads = models.PositiveIntegerField(_("downloads"), default=0)
    last_download_at = models.DateTimeField(_("last download at"), null=True, blank=True)

    class Meta:
        verbose_name = _("download link")
        verbose_name_plural = _("download links")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.request} · {self.expires_at:%Y-%m-%d}"
