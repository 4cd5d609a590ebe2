"""The registry in the Django admin: FR/NL tabs, search, filters, autocomplete and history.

Every list page costs a fixed number of queries (list_select_related, annotations instead of
per-row M2M reads) and change pages use autocomplete widgets, which render only the selected
rows, so neither grows with the size of the registry (tests/registry/test_admin.py).
"""

from django.contrib import admin
from django.db import models as db_models
from django.db.models import Count
from django.urls import path
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from aim_privacy.admin_history import ReadableHistoryAdmin
from registry import models
from registry.admin_activity import ActivityLifecycleMixin
from registry.admin_channels import (
    ChannelChecksMixin,
    ChannelSourceInline,
    ChannelsToCheckFilter,
    CheckedFilter,
)


class RegistryAdmin(ReadableHistoryAdmin, TabbedTranslationAdmin):
    """Translated fields as FR/NL tabs, and a "History" page per object (who, when, what)."""

    list_per_page = 50
    # A web address typed without scheme is taken as https (Django 6's default, today).
    formfield_overrides = {db_models.URLField: {"assume_scheme": "https"}}


class DataProtectionOfficerInline(TranslationStackedInline):
    model = models.DataProtectionOfficer
    extra = 0
    max_num = 1


@admin.register(models.Organisation)
class OrganisationAdmin(ChannelChecksMixin, RegistryAdmin):
    list_display = [
        "name",
        "kind",
        "insurer_code",
        "enterprise_number_column",
        "country",
        "rights_channel_column",
        "channels_to_check_column",
    ]
    list_filter = ["kind", ChannelsToCheckFilter, "country"]
    search_fields = ["name_fr", "name_nl", "short_name_fr", "short_name_nl", "enterprise_number"]
    prepopulated_fields = {"slug": ["name_fr"]}
    inlines = [DataProtectionOfficerInline, ChannelSourceInline]
    fieldsets = [
        (None, {"fields": ["slug", "kind", "name", "short_name", "insurer_code"]}),
        (
            _("Identity and contact"),
            {"fields": ["enterprise_number", "country", "address", "website", "email"]},
        ),
        (
            _("How it takes rights requests"),
            {
                "fields": [
                    "rights_web_form",
                    "rights_email",
                    "rights_postal_address",
                    "rights_phone",
                    "privacy_statement_url",
                    "contact_directory_url",
                ],
                "description": _(
                    "Each channel is optional, and each one given needs its source below. An "
                    "insurer without any is shown with its privacy statement and its head "
                    "office, and the official list of insurers' contacts."
                ),
            },
        ),
        (_("Internal"), {"fields": ["notes"]}),
    ]

    @admin.display(description=_("enterprise number"), ordering="enterprise_number")
    def enterprise_number_column(self, obj):
        return obj.enterprise_number_display

    @admin.display(description=_("rights channel"), boolean=True)
    def rights_channel_column(self, obj):
        return obj.has_rights_channel


@admin.register(models.ChannelSource)
class ChannelSourceAdmin(ReadableHistoryAdmin):
    """Every recorded channel source, with when it was last checked."""

    list_display = ["organisation", "channel", "source_url", "checked_on_column"]
    list_filter = [CheckedFilter, "channel", "organisation__kind"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name_fr", "organisation__name_nl", "source_url", "source_note"]
    autocomplete_fields = ["organisation"]
    list_per_page = 50
    formfield_overrides = RegistryAdmin.formfield_overrides

    @admin.display(description=_("last checked on"), ordering="checked_on")
    def checked_on_column(self, obj):
        return obj.checked_on or _("never")


@admin.register(models.DataProtectionOfficer)
class DataProtectionOfficerAdmin(RegistryAdmin):
    list_display = ["name", "organisation", "email"]
    list_select_related = ["organisation"]
    search_fields = ["name", "email", "organisation__name_fr", "organisation__name_nl"]
    autocomplete_fields = ["organisation"]


@admin.register(models.LegalBasis)
class LegalBasisAdmin(RegistryAdmin):
    list_display = ["name", "article_6", "article_9", "rests_on_deliberation"]
    list_filter = ["article_6", "article_9", "rests_on_deliberation"]
    search_fields = ["name_fr", "name_nl", "national_law_fr", "national_law_nl"]
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(models.DataCategory)
class DataCategoryAdmin(RegistryAdmin):
    list_display = ["name", "kind", "is_special_category"]
    list_filter = ["kind", "is_special_category"]
    search_fields = ["name_fr", "name_nl"]
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(models.DataSubjectCategory)
class DataSubjectCategoryAdmin(RegistryAdmin):
    list_display = ["name"]
    search_fields = ["name_fr", "name_nl"]
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(models.Recipient)
class RecipientAdmin(RegistryAdmin):
    list_display = ["name", "organisation_count"]
    search_fields = ["name_fr", "name_nl"]
    autocomplete_fields = ["organisations"]
    prepopulated_fields = {"slug": ["name_fr"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_organisation_count=Count("organisations"))

    @admin.display(description=_("organisations"), ordering="_organisation_count")
    def organisation_count(self, obj):
        return obj._organisation_count


@admin.register(models.RetentionRule)
class RetentionRuleAdmin(RegistryAdmin):
    list_display = ["name", "duration_column", "starts_at", "fixed_by_deliberation"]
    list_filter = ["fixed_by_deliberation", "until_event", "unit"]
    fieldsets = [
        (None, {"fields": ["slug", "name"]}),
        (
            _("How long"),
            {
                "fields": [
                    "duration",
                    "unit",
                    "starts_at",
                    "fixed_by_deliberation",
                    "until_event",
                ],
                "description": _(
                    "Either a maximum duration from a starting point, or the duration each "
                    "deliberation fixes, or until an event, with the duration after it if the "
                    "data are kept longer."
                ),
            },
        ),
    ]
    search_fields = ["name_fr", "name_nl"]
    prepopulated_fields = {"slug": ["name_fr"]}

    @admin.display(description=_("maximum duration"), ordering="duration")
    def duration_column(self, obj):
        return obj.duration_display


class TransferInline(TranslationStackedInline):
    model = models.Transfer
    extra = 0
    autocomplete_fields = ["recipient_organisation"]


@admin.register(models.ProcessingActivity)
class ProcessingActivityAdmin(ActivityLifecycleMixin, RegistryAdmin):
    list_display = [
        "name",
        "status",
        "aim_role",
        "controller",
        "rights_handled_by",
        "legal_basis_count",
        "ended_on",
    ]
    list_filter = ["status", "aim_role", "rights_handled_by", "profiling", "automated_decisions"]
    list_select_related = ["controller"]
    search_fields = ["name_fr", "name_nl", "purposes_fr", "purposes_nl"]
    prepopulated_fields = {"slug": ["name_fr"]}
    autocomplete_fields = [
        "controller",
        "rights_organisation",
        "legal_bases",
        "data_categories",
        "subject_categories",
        "sources",
        "recipients",
        "processors",
        "retention_rules",
        "replaced_by",
    ]
    inlines = [TransferInline]
    readonly_fields = ["completeness"]
    fieldsets = [
        (None, {"fields": ["slug", "name", "purposes", "status", "position", "completeness"]}),
        (
            _("Roles"),
            {"fields": ["aim_role", "controller", "rights_handled_by", "rights_organisation"]},
        ),
        (
            _("What, about whom, on which basis"),
            {
                "fields": [
                    "legal_bases",
                    "data_categories",
                    "subject_categories",
                    "pseudonymisation",
                ]
            },
        ),
        (
            _("Where data comes from and goes to"),
            {"fields": ["sources", "recipients", "no_recipients", "processors"]},
        ),
        (_("Retention and security"), {"fields": ["retention_rules", "security_measures"]}),
        (
            _("Profiling and automated decisions"),
            {
                "fields": [
                    "profiling",
                    "profiling_description",
                    "automated_decisions",
                    "automated_decisions_description",
                ]
            },
        ),
        (_("End of the activity"), {"fields": ["ended_on", "replaced_by"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_legal_basis_count=Count("legal_bases"))

    @admin.display(description=_("legal bases"), ordering="_legal_basis_count")
    def legal_basis_count(self, obj):
        return obj._legal_basis_count

    def get_urls(self):
        from registry.admin_export import registry_export
        from registry.admin_overview import registry_overview

        own = [
            path(
                "overview/",
                self.admin_site.admin_view(registry_overview),
                name="registry_overview",
            ),
            path(
                "export/<str:fmt>/",
                self.admin_site.admin_view(registry_export),
                name="registry_export",
            ),
        ]
        return own + super().get_urls()


@admin.register(models.Transfer)
class TransferAdmin(RegistryAdmin):
    """Transfers are edited with their activity; this list shows them all in one place."""

    list_display = ["activity", "country", "any_country", "recipient_organisation", "safeguard"]
    list_filter = ["safeguard", "any_country"]
    list_select_related = ["activity", "recipient_organisation"]
    search_fields = ["activity__name_fr", "activity__name_nl", "reference_fr", "reference_nl"]
    autocomplete_fields = ["activity", "recipient_organisation"]
