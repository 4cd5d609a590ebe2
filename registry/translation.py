"""FR/NL fields of the registry (django-modeltranslation), then change history.

simple_history is registered here, after the translation registration: a HistoricalRecords()
field on a translated model breaks its saves (see DESIGN.md, known pitfalls).
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from registry import models


@register(models.Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = (
        "name",
        "short_name",
        "address",
        "website",
        "rights_web_form",
        "rights_postal_address",
        "privacy_statement_url",
        "contact_directory_url",
    )


@register(models.DataProtectionOfficer)
class DataProtectionOfficerTranslation(TranslationOptions):
    fields = ("postal_address",)


@register(models.LegalBasis)
class LegalBasisTranslation(TranslationOptions):
    fields = ("name", "description", "national_law", "national_law_articles")


@register(models.DataCategory)
class DataCategoryTranslation(TranslationOptions):
    fields = ("name", "description")


@register(models.DataSubjectCategory)
class DataSubjectCategoryTranslation(TranslationOptions):
    fields = ("name", "description")


@register(models.Recipient)
class RecipientTranslation(TranslationOptions):
    fields = ("name", "condition")


@register(models.RetentionRule)
class RetentionRuleTranslation(TranslationOptions):
    fields = ("name", "starts_at")


@register(models.ProcessingActivity)
class ProcessingActivityTranslation(TranslationOptions):
    fields = (
        "name",
        "purposes",
        "security_measures",
        "profiling_description",
        "automated_decisions_description",
    )


@register(models.Transfer)
class TransferTranslation(TranslationOptions):
    fields = ("reference",)


# The history of every change (who, when, what), shown per object in the admin.
for model in (
    models.Organisation,
    models.ChannelSource,
    models.DataProtectionOfficer,
    models.LegalBasis,
    models.DataCategory,
    models.DataSubjectCategory,
    models.Recipient,
    models.RetentionRule,
    models.Transfer,
):
    simple_history.register(model)

simple_history.register(
    models.ProcessingActivity,
    m2m_fields=[
        "legal_bases",
        "data_categories",
        "subject_categories",
        "sources",
        "recipients",
        "processors",
        "retention_rules",
    ],
)
