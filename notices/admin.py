"""The declaration in the admin: drafts edited side by side in FR/NL, previewed, published.

A published version is shown read-only (no change, no delete); a new text starts as a draft
copied from the latest version ("Start a new draft"). Publishing here never backdates: a text
already in force before is recorded with `manage.py record_historical_version`, and the admin
shows which versions were recorded that way and from what source.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from notices.admin_publish import PublishWithGapsForm, acknowledged_gaps_html, problem_context
from notices.models import Notice, NoticeVersion, Section
from notices.registry_data import registry_data
from notices.rendering import render_document, section_parts
from notices.services import (
    keyed_gaps,
    notice_version_create_draft,
    notice_version_publish,
    section_mark_translation_checked,
)
from notices.templatetags.dates import long_date
from registry.completeness import registry_gaps


@admin.register(Notice)
class NoticeAdmin(TabbedTranslationAdmin):
    list_display = ["title", "slug", "version_count"]
    search_fields = ["title_fr", "title_nl", "slug"]
    actions = ["start_draft"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_version_count=Count("versions"))

    @admin.display(description=_("versions"), ordering="_version_count")
    def version_count(self, obj):
        return obj._version_count

    @admin.action(description=_("Start a new draft, copied from the latest version"))
    def start_draft(self, request, queryset):
        if not request.user.has_perm("notices.add_noticeversion"):
            raise PermissionDenied
        for notice in queryset:
            draft = notice_version_create_draft(notice=notice)
            messages.success(
                request,
                gettext("Draft version %(number)s of “%(notice)s” created.")
                % {"number": draft.number, "notice": notice},
            )


class SectionInline(TranslationStackedInline):
    model = Section
    extra = 0
    fields = ["position", "anchor", "title", "body", "registry_block", "translation_check"]
    readonly_fields = ["translation_check"]

    @admin.display(description=_("translation checked"))
    def translation_check(self, obj):
        if obj is None or not obj.translation_checked:
            return "-"
        return gettext("By %(user)s on %(date)s") % {
            "user": obj.translation_checked_by,
            "date": long_date(timezone.localdate(obj.translation_checked_at)),
        }

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(NoticeVersion)
class NoticeVersionAdmin(TabbedTranslationAdmin):
    list_display = [
        "__str__",
        "status",
        "effective_from",
        "historical",
        "change_kind",
        "published_at",
        "published_by",
        "tools",
    ]
    list_filter = ["status", "historical", "change_kind", "notice"]
    list_select_related = ["notice", "published_by"]
    search_fields = ["notice__title_fr", "notice__title_nl", "sha256"]
    inlines = [SectionInline]
    fields = ["notice", "number", "change_kind", "change_summary", "based_on"]
    readonly_fields = ["based_on"]
    published_fields = [
        "notice",
        "number",
        "status",
        "change_kind",
        "change_summary",
        "effective_from",
        "historical",
        "historical_note",
        "published_at",
        "published_by",
        "sha256",
        "based_on",
        "gaps_acknowledged",
    ]

    @admin.display(description=_("registry gaps acknowledged"))
    def gaps_acknowledged(self, obj):
        return acknowledged_gaps_html(obj)

    def get_queryset(self, request):
        # The snapshot is large and never shown in lists.
        return super().get_queryset(request).defer("snapshot")

    def get_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return self.published_fields
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return self.published_fields
        if obj is not None:
            return ["notice", "number", "based_on"]
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    actions = ["export_pdf_fr", "export_pdf_nl", "export_pdf_both"]

    def _pdf_action(self, request, queryset, languages):
        if queryset.count() != 1:
            messages.warning(request, gettext("Select exactly one version to export as PDF."))
            return None
        return self.pdf_view(request, queryset.get().pk, "-".join(languages))

    @admin.action(description=_("Export as PDF (French)"))
    def export_pdf_fr(self, request, queryset):
        return self._pdf_action(request, queryset, ("fr",))

    @admin.action(description=_("Export as PDF (Dutch)"))
    def export_pdf_nl(self, request, queryset):
        return self._pdf_action(request, queryset, ("nl",))

    @admin.action(description=_("Export as PDF (French and Dutch in one document)"))
    def export_pdf_both(self, request, queryset):
        return self._pdf_action(request, queryset, ("fr", "nl"))

    def pdf_view(self, request, pk, languages):
        """Any version as PDF for staff; a draft carries a watermark and is never stored."""
        from django.http import Http404, HttpResponse

        from notices.pdf import notice_pdf
        from notices.pdf_store import notice_pdf_stored

        version = get_object_or_404(NoticeVersion.objects.select_related("notice"), pk=pk)
        if not self.has_view_permission(request, version):
            raise PermissionDenied
        chosen = tuple(languages.split("-"))
        if chosen not in {("fr",), ("nl",), ("fr", "nl")}:
            raise Http404
        if version.is_published and len(chosen) == 1:
            stored = notice_pdf_stored(version=version, language=chosen[0])
            with stored.file.open("rb") as pdf_file:
                content = pdf_file.read()
        else:
            content = notice_pdf(version=version, languages=chosen)
        state = "" if version.is_published else "-draft"
        filename = f"{version.notice.slug}-v{version.number}{state}-{'-'.join(chosen)}.pdf"
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response

    def get_actions(self, request):
        # Bulk deletion would bypass the per-object check; drafts are deleted one by one.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("tools"))
    def tools(self, obj):
        pdfs = format_html(
            'PDF: <a href="{}">FR</a> · <a href="{}">NL</a> · <a href="{}">FR+NL</a>',
            *(
                reverse("admin:notices_noticeversion_pdf", args=[obj.pk, languages])
                for languages in ("fr", "nl", "fr-nl")
            ),
        )
        if obj.is_published:
            return format_html(
                '<a href="{}">{}</a> · {}',
                reverse("notices:version", kwargs={"number": obj.number}),
                gettext("Public page"),
                pdfs,
            )
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · {}',
            reverse("admin:notices_noticeversion_preview", args=[obj.pk]),
            gettext("Preview"),
            reverse("admin:notices_noticeversion_publish", args=[obj.pk]),
            gettext("Publish"),
            pdfs,
        )

    def get_urls(self):
        own = [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="notices_noticeversion_preview",
            ),
            path(
                "<int:pk>/pdf/<str:languages>/",
                self.admin_site.admin_view(self.pdf_view),
                name="notices_noticeversion_pdf",
            ),
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="notices_noticeversion_publish",
            ),
            path(
                "<int:pk>/sections/<int:section_pk>/translation-checked/",
                self.admin_site.admin_view(require_POST(self.translation_checked_view)),
                name="notices_noticeversion_translation_checked",
            ),
        ]
        return own + super().get_urls()

    def preview_view(self, request, pk):
        """A draft in both languages side by side, rendered from the live registry."""
        version = get_object_or_404(NoticeVersion.objects.select_related("notice"), pk=pk)
        if not self.has_view_permission(request, version):
            raise PermissionDenied
        if version.is_published:
            return redirect("notices:version", number=version.number)
        sections = [section_parts(section) for section in version.sections.all()]
        registry = registry_data()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "version": version,
            "title": gettext("Preview of %(version)s") % {"version": version},
            "documents": [
                {
                    "language": language,
                    "title": getattr(version.notice, f"title_{language}"),
                    "html": render_document(
                        sections=sections, registry=registry, language=language
                    ),
                }
                for language in ("fr", "nl")
            ],
            **problem_context(version),
        }
        return TemplateResponse(request, "admin/notices/noticeversion/preview.html", context)

    def translation_checked_view(self, request, pk, section_pk):
        """The DPO's word that a section's other language is still right (who and when)."""
        if not request.user.has_perm("notices.publish_noticeversion"):
            raise PermissionDenied
        section = get_object_or_404(Section, pk=section_pk, version_id=pk)
        try:
            section_mark_translation_checked(section=section, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                gettext("Section “%(section)s”: translation marked as checked.")
                % {"section": section.title_fr or section.title_nl or section.anchor},
            )
        return redirect("admin:notices_noticeversion_publish", pk)

    def publish_view(self, request, pk):
        version = get_object_or_404(NoticeVersion.objects.select_related("notice"), pk=pk)
        if not request.user.has_perm("notices.publish_noticeversion"):
            raise PermissionDenied
        if version.is_published:
            messages.info(request, gettext("This version is already published."))
            return redirect("admin:notices_noticeversion_change", version.pk)
        gaps = keyed_gaps(registry_gaps())
        form = PublishWithGapsForm(
            request.POST or None, initial={"effective_from": timezone.localdate()}, gaps=gaps
        )
        if request.method == "POST" and form.is_valid():
            try:
                notice_version_publish(
                    version=version,
                    by=request.user,
                    effective_from=form.cleaned_data["effective_from"],
                    acknowledge_registry_gaps=set(form.cleaned_data["acknowledge"]),
                    gaps_reason=form.cleaned_data["gaps_reason"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, field_errors in error.error_dict.items():
                        for field_error in field_errors:
                            form.add_error(field if field in form.fields else None, field_error)
                else:
                    for message in error.messages:
                        form.add_error(None, message)
            else:
                messages.success(
                    request,
                    gettext("Version %(number)s is published and takes effect on %(date)s.")
                    % {
                        "number": version.number,
                        "date": long_date(form.cleaned_data["effective_from"]),
                    },
                )
                return redirect("admin:notices_noticeversion_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "version": version,
            "form": form,
            "title": gettext("Publish %(version)s") % {"version": version},
            **problem_context(
                version, acknowledged=set(form.data.getlist("acknowledge")), gaps=gaps
            ),
        }
        return TemplateResponse(request, "admin/notices/noticeversion/publish.html", context)
