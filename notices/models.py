"""The privacy declaration: a notice, its versions and their sections.

A version is a draft until published; publishing (notices.services.notice_version_publish)
or recording it as historical (notices.services.notice_version_record_historical: a text that
was already in force before, possibly since a date nobody recorded) freezes a snapshot
(rendered HTML per language, the registry data it showed, a SHA-256 of it all). From then on
the version and its sections never change: save() and delete() raise, and so do queryset
update() and delete() that would touch a published row.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notices.querysets import (
    NoticeVersionQuerySet,
    PublishedVersionIsImmutable,
    SectionQuerySet,
)


class Notice(models.Model):
    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["pk"]

    def __str__(self):
        return self.title


class NoticeVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class ChangeKind(models.TextChoices):
        MINOR = "minor", _("Minor change")
        MATERIAL = "material", _("Material change")

    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, related_name="versions", verbose_name=_("notice")
    )
    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("copied from"),
    )
    change_summary = models.TextField(_("change summary"), blank=True)
    change_kind = models.CharField(
        _("kind of change"),
        max_length=10,
        choices=ChangeKind.choices,
        default=ChangeKind.MINOR,
        help_text=_(
            "After a material change, the current page announces it for 30 days with a link to "
            "what changed."
        ),
    )
    effective_from = models.DateField(
        _("takes effect on"),
        null=True,
        blank=True,
        help_text=_("Empty on a historical version whose start was not recorded."),
    )
    historical = models.BooleanField(
        _("recorded as historical"),
        default=False,
        editable=False,
        help_text=_(
            "Already in force before it was recorded here (historical import), not published "
            "through the portal."
        ),
    )
    historical_note = models.TextField(
        _("source of the historical record"), blank=True, editable=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = NoticeVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice version")
        verbose_name_plural = _("notice versions")
        ordering = ["notice", "-number"]
        get_latest_by = "number"
        permissions = [("publish_noticeversion", _("Can publish a version"))]
        constraints = [
            models.UniqueConstraint(fields=["notice", "number"], name="notices_unique_number"),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(effective_from__isnull=False) | Q(historical=True))
                & Q(published_at__isnull=False, snapshot__isnull=False)
                & ~Q(sha256=""),
                name="notices_published_version_is_complete",
            ),
            models.CheckConstraint(
                condition=Q(historical=False) | Q(status="published") & ~Q(historical_note=""),
                name="notices_historical_record_is_published_with_its_source",
            ),
        ]

    def __str__(self):
        return f"{self.notice} - v{self.number}"

    def save(self, *args, **kwargs):
        if self._stored_is_published():
            raise PublishedVersionIsImmutable(_("A published version never changes."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_is_published():
            raise PublishedVersionIsImmutable(_("A published version is never deleted."))
        return super().delete(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def effective_from_known(self):
        return self.effective_from is not None

    def _stored_is_published(self):
        return (
            self.pk is not None
            and type(self).objects.filter(pk=self.pk, status=self.Status.PUBLISHED).exists()
        )

    def _touches_published(self):
        return self._stored_is_published()


class Section(models.Model):
    class Block(models.TextChoices):
        CONTROLLER = "controller", _("Controller and data protection officer")
        PURPOSES = "purposes", _("Purposes and legal bases")
        DATA = "data", _("Data categories and data subjects")
        SOURCES = "sources", _("Sources")
        RECIPIENTS = "recipients", _("Recipients")
        PROCESSORS = "processors", _("Processors")
        TRANSFERS = "transfers", _("Transfers outside the EEA")
        RETENTION = "retention", _("Retention")
        PROFILING = "profiling", _("Profiling and automated decisions")
        RIGHTS = "rights", _("Your rights and where to exercise them")
        DIAGRAM = "diagram", _("Diagram: where data comes from and goes to")

    version = models.ForeignKey(
        NoticeVersion, on_delete=models.CASCADE, related_name="sections", verbose_name=_("version")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    anchor = models.SlugField(
        _("anchor"), max_length=60, help_text=_("The section's address on the page (#anchor).")
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "Markdown: paragraphs, **bold**, *italic*, lists, links and ### sub-headings. "
            "Anything else is removed."
        ),
    )
    registry_block = models.CharField(
        _("registry block"),
        max_length=20,
        choices=Block.choices,
        blank=True,
        help_text=_("Shown after the text, rendered from the registry."),
    )

    # The DPO's word that the other language is still right although only one changed since
    # the version this draft copies (notices.services.section_mark_translation_checked). It
    # holds for the texts it was given on: the digest of both languages' title and text.
    translation_checked_at = models.DateTimeField(
        _("translation checked at"), null=True, blank=True, editable=False
    )
    translation_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("translation checked by"),
    )
    translation_checked_digest = models.CharField(max_length=64, blank=True, editable=False)

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "anchor"], name="notices_unique_anchor"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self._version_is_published():
            raise PublishedVersionIsImmutable(_("A published version never changes."))
        if self.translation_checked_digest and not self.translation_checked:
            # A text changed after the check: the check said nothing about the new text.
            self.translation_checked_at = None
            self.translation_checked_by = None
            self.translation_checked_digest = ""
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._version_is_published():
            raise PublishedVersionIsImmutable(_("A published version never changes."))
        return super().delete(*args, **kwargs)

    def texts_digest(self):
        """SHA-256 of the title and text in both languages, as they are now."""
        texts = [
            getattr(self, f"{name}_{language}") or ""
            for language in ("fr", "nl")
            for name in ("title", "body")
        ]
        return hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode()).hexdigest()

    @property
    def translation_checked(self):
        """Marked checked, and no text changed since (whatever path changed it)."""
        return bool(
            self.translation_checked_at
            and self.translation_checked_digest
            and self.translation_checked_digest == self.texts_digest()
        )

    def _version_is_published(self):
        """The section's version, and the version it is stored under (moving a section out of
        a published version changes that version too)."""
        versions = {self.version_id}
        if self.pk is not None:
            stored = Section.objects.filter(pk=self.pk).values_list("version_id", flat=True)
            versions.update(stored)
        return NoticeVersion.objects.filter(
            pk__in=versions, status=NoticeVersion.Status.PUBLISHED
        ).exists()

    def _touches_published(self):
        return self._version_is_published()


class NoticePdf(models.Model):
    """The stored PDF of a published version in one language (rendered once, then served)."""

    class Language(models.TextChoices):
        FR = "fr", _("French")
        NL = "nl", _("Dutch")

    version = models.ForeignKey(
        NoticeVersion, on_delete=models.PROTECT, related_name="pdfs", verbose_name=_("version")
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    file = models.FileField(_("file"), upload_to="notices/pdf/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    render_seconds = models.FloatField(_("render time in seconds"))
    rendered_at = models.DateTimeField(_("rendered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored PDF")
        verbose_name_plural = _("stored PDFs")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language"], name="notices_one_pdf_per_language"
            )
        ]

    def __str__(self):
        return self.file.name

    @property
    def filename(self):
        return f"{self.version.notice.slug}-v{self.version.number}-{self.language}.pdf"
