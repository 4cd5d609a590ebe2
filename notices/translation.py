"""FR/NL fields of the notice (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from notices import models


@register(models.Notice)
class NoticeTranslation(TranslationOptions):
    fields = ("title",)


@register(models.NoticeVersion)
class NoticeVersionTranslation(TranslationOptions):
    fields = ("change_summary",)


@register(models.Section)
class SectionTranslation(TranslationOptions):
    fields = ("title", "body")
