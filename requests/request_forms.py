"""The form a citizen fills in to send AIM's data protection officer a request online.

Whatever anyone types here goes to the DPO's queue, never into an e-mail (the e-mails greet
without the name); still, a name is a name and a phone a phone number: no line breaks, no
invisible characters, no web address.
"""

import re
import unicodedata

import phonenumbers
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from requests.models import Right
from requests.models.requests import INVISIBLE_MESSAGE, has_invisible_characters

HONEYPOT_FIELD = "website"
# What `request_submit` stores; the honeypot is not in it.
STORED_FIELDS = ("name", "email", "right", "description", "phone")

# Besides letters of any script (and their combining accents): spaces, hyphens, apostrophes
# (straight and typographic) and the dot of an initial.
NAME_PUNCTUATION = frozenset(" -\u2010\u2011'\u2019.")
# A dot followed at once by a letter ("evil.example", "www.") or a scheme or an "@": what a web
# or e-mail address looks like; an initial takes a space after its dot (J. Dupont).
NAME_ADDRESS_LIKE = re.compile(r"://|@|\.[^\W\d_]")
PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ().\-/]+$")
PHONE_REGION = "BE"
PHONE_MESSAGE = _(
    "Enter a phone number such as 02 123 45 67 or 0470 12 34 56; a number outside Belgium "
    "starts with its country code (+33 1 23 45 67 89)."
)


def _is_name_character(char):
    return char in NAME_PUNCTUATION or unicodedata.category(char)[0] in "LM"


def clean_person_name(value):
    """The name with spaces tidied (NFC, one plain space between words), or ValidationError."""
    if has_invisible_characters(value):
        raise ValidationError(INVISIBLE_MESSAGE, code="invisible")
    name = " ".join(unicodedata.normalize("NFC", value).split())
    if NAME_ADDRESS_LIKE.search(name):
        raise ValidationError(
            _(
                "Type only your first name and surname, without a web or e-mail address. "
                "After the dot of an initial, leave a space (J. Dupont)."
            ),
            code="address_like",
        )
    if not all(_is_name_character(char) for char in name):
        raise ValidationError(
            _("Use only letters, spaces, hyphens (-), apostrophes (') and dots in your name."),
            code="characters",
        )
    if not any(unicodedata.category(char)[0] == "L" for char in name):
        raise ValidationError(_("Your name must contain letters."), code="no_letters")
    return name


def clean_phone(value):
    """The number in international format ("+32 470 12 34 56"), "" for none, or
    ValidationError. Belgian numbers may be typed as dialled in Belgium (0470 12 34 56)."""
    if has_invisible_characters(value):
        raise ValidationError(INVISIBLE_MESSAGE, code="invisible")
    typed = " ".join(unicodedata.normalize("NFKC", value).split())
    if not typed:
        return ""
    if not PHONE_CHARACTERS.match(typed):
        raise ValidationError(PHONE_MESSAGE, code="invalid")
    try:
        number = phonenumbers.parse(typed, PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(PHONE_MESSAGE, code="invalid") from None
    # Possible (a length the numbering plan allows), not "valid": the library's list of ranges
    # in use lags behind the operators', and a number it does not know may still ring.
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise ValidationError(PHONE_MESSAGE, code="invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


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

    def clean_name(self):
        return clean_person_name(self.cleaned_data["name"])

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    @staticmethod
    def is_trap_filled(data):
        return bool((data.get(HONEYPOT_FIELD) or "").strip())

    def stored_data(self):
        return {name: self.cleaned_data[name] for name in STORED_FIELDS}
