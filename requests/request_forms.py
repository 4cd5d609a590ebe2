"""The form a citizen fills in to send AIM's data protection officer a request online."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from requests.models import Right

HONEYPOT_FIELD = "website"
# What `request_submit` stores; the honeypot is not in it.
STORED_FIELDS = ("name", "email", "right", "description", "phone")


class RequestForm(forms.Form):
    name = forms.CharField(
        label=_("Your first name and surname"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send you a link to confirm it; the answer also comes to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address in the form name@example.be."),
        },
    )
    right = forms.ChoiceField(
        label=_("The right you want to exercise"),
        choices=[("", _("Choose a right")), *Right.choices],
        error_messages={
            "required": _("Choose the right you want to exercise."),
            "invalid_choice": _("Choose one of the rights in the list."),
        },
    )
    description = forms.CharField(
        label=_("Your request"),
        max_length=5000,
        help_text=_("Describe your request; do not send health data."),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Describe your request.")},
    )
    phone = forms.CharField(
        label=_("Your phone number (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    # A trap for robots: people never see it, so whatever fills it in is not a person.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = "post"
        self.helper.form_action = reverse("rights:request")
        self.helper.form_id = "request-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            "name",
            "email",
            "right",
            "description",
            "phone",
            Div(
                Field(HONEYPOT_FIELD),
                css_class="visually-hidden",
                aria_hidden="true",
            ),
            Submit("submit", _("Send my request")),
        )

    @staticmethod
    def is_trap_filled(data):
        return bool((data.get(HONEYPOT_FIELD) or "").strip())

    def stored_data(self):
        return {name: self.cleaned_data[name] for name in STORED_FIELDS}
