"""The letter form: the wizard's answers (hidden) and the name and address a letter needs.

What a person types here exists only while the letter is built (requests.letter_views): it is
not stored, logged, cached or put in a URL.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.models import Organisation
from requests.routing import Answerer, route

# The one note every personal field points to (aria-describedby).
PRIVACY_NOTE_ID = "letter-privacy-note"
PERSONAL_FIELDS = ("name", "address")
ROUTING_FIELDS = ("topic", "right", "insurer")
OUTPUT_HTML = "html"
OUTPUT_PDF = "pdf"


def letter_offered(found_route):
    """Whether a letter can be prepared for this route: a right exercised with an insurer or
    with AIM. A complaint to the DPA is not a letter, nor is "something else" (no right)."""
    return (
        found_route.answerer in (Answerer.INSURER, Answerer.AIM)
        and bool(found_route.right)
        and found_route.organisation is not None
    )


class LetterForm(forms.Form):
    topic = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    right = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    insurer = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    name = forms.CharField(
        label=gettext_lazy("Your first name and surname"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": gettext_lazy("Enter your name: the letter must be signed.")},
    )
    address = forms.CharField(
        label=gettext_lazy("Your postal address"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        error_messages={
            "required": gettext_lazy("Enter your postal address: the answer is sent to it.")
        },
    )
    output = forms.ChoiceField(
        label=gettext_lazy("Output"),
        choices=[(OUTPUT_HTML, gettext_lazy("Web page")), (OUTPUT_PDF, gettext_lazy("PDF"))],
        widget=forms.HiddenInput,
        error_messages={
            "required": gettext_lazy("Choose whether to show the letter or download it."),
            "invalid_choice": gettext_lazy("Choose whether to show the letter or download it."),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "letter-%s")
        super().__init__(*args, **kwargs)
        self.route = None
        for name in PERSONAL_FIELDS:
            self.fields[name].widget.attrs.update(
                {"class": "form-control", "aria-describedby": PRIVACY_NOTE_ID}
            )

    @classmethod
    def for_route(cls, found_route):
        return cls(
            initial={
                "topic": found_route.topic,
                "right": found_route.right,
                "insurer": found_route.insurer,
            }
        )

    def clean(self):
        cleaned = super().clean()
        if any(name in self.errors for name in ROUTING_FIELDS):
            raise ValidationError(self.not_offered_message(), code="invalid_route")
        try:
            found = route(
                topic=cleaned.get("topic", ""),
                right=cleaned.get("right", ""),
                insurer=cleaned.get("insurer", ""),
            )
        except (ValueError, Organisation.DoesNotExist):
            raise ValidationError(self.not_offered_message(), code="invalid_route") from None
        if found.answerer == Answerer.AUTHORITY:
            raise ValidationError(
                _(
                    "A complaint to the Data Protection Authority is not made with this letter: "
                    "the Authority asks for its own form, dated and signed."
                ),
                code="complaint",
            )
        if found.answerer == Answerer.INSURER_UNKNOWN:
            raise ValidationError(
                _("Choose your health insurer first: the letter must be addressed to it."),
                code="insurer_unknown",
            )
        if not letter_offered(found):
            raise ValidationError(self.not_offered_message(), code="invalid_route")
        self.route = found
        return cleaned

    @staticmethod
    def not_offered_message():
        return _(
            "A letter cannot be prepared from these answers. Please answer the questions again."
        )

    @property
    def route_is_valid(self):
        return self.route is not None

    def full_clean(self):
        super().full_clean()
        # Point each field that has an error to its message as well as to the privacy note.
        for name in PERSONAL_FIELDS:
            attrs = self.fields[name].widget.attrs
            described_by = [PRIVACY_NOTE_ID]
            classes = ["form-control"]
            if name in self.errors:
                described_by.insert(0, f"{self[name].auto_id}_error")
                classes.append("is-invalid")
            attrs["aria-describedby"] = " ".join(described_by)
            attrs["class"] = " ".join(classes)
