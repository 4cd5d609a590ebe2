"""The DPO's e-mail templates in the admin: French and Dutch side by side, checked on save
(requests/email_templates.py), with a preview in both languages for a sample request.

The six rows are created by a migration (0011) and are neither added nor deleted here; the DPO
group may view and change them (migration 0012). The admin's history lists who changed a
template and when.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from requests import email_templates
from requests.models import DataSubjectRequest, EmailTemplate, Right
from requests.models.requests import due_date

LANGUAGES = ("fr", "nl")


def sample_request(language):
    """An unsaved request with a made-up reference and today's dates: no one's data."""
    received_on = timezone.localdate()
    return DataSubjectRequest(
        reference=f"AIM-{received_on.year}-000123",
        language=language,
        right=Right.ACCESS,
        received_on=received_on,
        due_on=due_date(received_on, 1),
    )


SAMPLE_MESSAGE = {
    "fr": "[Votre texte pour cette décision]",
    "nl": "[Uw tekst voor deze beslissing]",
}


def previews(values):
    """[(language label, subject, body or the errors)] for the posted or saved texts."""
    result = []
    for language in LANGUAGES:
        template = EmailTemplate(
            **{
                f"subject_{language}": values.get(f"subject_{language}") or "",
                f"body_{language}": values.get(f"body_{language}") or "",
            }
        )
        request = sample_request(language)
        label = dict(DataSubjectRequest.Language.choices)[language]
        try:
            subject, body = email_templates.render(
                template, request, language, SAMPLE_MESSAGE[language]
            )
        except ValidationError:  # shown as such on the form, never a 500
            subject, body = "", gettext("This text has errors: see the form.")
        result.append((label, subject, body))
    return result


class EmailTemplateForm(forms.ModelForm):
    class Meta:
        model = EmailTemplate
        fields = ["subject_fr", "body_fr", "subject_nl", "body_nl"]
        widgets = {
            "body_fr": forms.Textarea(attrs={"rows": 16, "cols": 90}),
            "body_nl": forms.Textarea(attrs={"rows": 16, "cols": 90}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].required = True
            self.fields[name].help_text = email_templates.VARIABLES_HELP

    def _checked(self, name, validate):
        value = self.cleaned_data.get(name) or ""
        validate(value)
        return value

    def clean_subject_fr(self):
        return self._checked("subject_fr", email_templates.validate_subject)

    def clean_subject_nl(self):
        return self._checked("subject_nl", email_templates.validate_subject)

    def clean_body_fr(self):
        return self._checked("body_fr", email_templates.validate_body)

    def clean_body_nl(self):
        return self._checked("body_nl", email_templates.validate_body)


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    form = EmailTemplateForm
    list_display = ["kind", "subject_fr", "subject_nl", "updated_at"]
    readonly_fields = ["kind", "updated_at"]
    fieldsets = [
        (None, {"fields": ["kind", "updated_at"]}),
        (_("French"), {"fields": ["subject_fr", "body_fr"]}),
        (_("Dutch"), {"fields": ["subject_nl", "body_nl"]}),
    ]
    change_form_template = "admin/rights_requests/emailtemplate/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_at = timezone.now()
        # The untranslated columns follow the French text (modeltranslation's fallback).
        obj.subject, obj.body = obj.subject_fr, obj.body_fr
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and "previews" not in context:
            context["previews"] = previews(
                {name: getattr(obj, name) for name in EmailTemplateForm.Meta.fields}
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_preview" in request.POST:
            return self.preview_view(request, object_id, form_url)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def preview_view(self, request, object_id, form_url=""):
        """The posted texts rendered in both languages, on the change page; nothing is saved
        (the form's instance is changed in memory only)."""
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        form = self.get_form(request, obj, change=True)(request.POST, instance=obj)
        valid = form.is_valid()
        fieldsets = self.get_fieldsets(request, obj)
        admin_form = helpers.AdminForm(
            form, list(fieldsets), {}, self.get_readonly_fields(request, obj), model_admin=self
        )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Change %s") % self.opts.verbose_name,
            "subtitle": str(obj),
            "adminform": admin_form,
            "object_id": object_id,
            "original": obj,
            "is_popup": False,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
            "previews": previews(form.cleaned_data) if valid else None,
            "previewed": True,
        }
        return self.render_change_form(request, context, change=True, obj=obj, form_url=form_url)
