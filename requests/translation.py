"""FR/NL fields of the request desk (django-modeltranslation): the DPO's e-mail templates."""

from modeltranslation.translator import TranslationOptions, register

from requests.models import EmailTemplate


@register(EmailTemplate)
class EmailTemplateTranslation(TranslationOptions):
    fields = ("subject", "body")
    required_languages = ("fr", "nl")
