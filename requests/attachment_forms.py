"""The staff form that adds files to a request: several at once, each checked by the rule of
requests/attachments.attachment_validate (size, type from the content)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from requests.attachments import attachment_validate


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A list of uploaded files (Django's documented pattern for several files in one input),
    each validated by attachment_validate; every refused file is named in the errors."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, (list, tuple)) else [data]
        files = [file for file in files if file]
        if not files:
            single(None, initial)  # "required" when the field is
            return []
        cleaned, errors = [], []
        for file in files:
            try:
                cleaned.append(single(file, initial))
                attachment_validate(file)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class AttachmentAddForm(forms.Form):
    file = MultipleFileField(
        label=_("Files"),
        help_text=_("For example the scanned letter that brought the request in."),
        error_messages={"required": _("Choose at least one file.")},
    )


class DownloadForm(forms.Form):
    """What the requester's download page asks besides the link: the reference and the address
    the request was sent from (requests/download_views.py)."""

    reference = forms.CharField(
        label=_("Reference of your request"),
        max_length=20,
        help_text=_("It is in our e-mails about your request, for example AIM-2026-000123."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Enter the reference of your request.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("The address you sent your request from."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address in the form name@example.be."),
        },
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = "post"
        self.helper.form_action = action
        self.helper.form_id = "download-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout("reference", "email", Submit("submit", _("Show the files")))
